from pathlib import Path
import pytest
from test_profiles import *  # noqa: F403

@pytest.fixture(scope="session")
def built_repo():
    return Path("/tmp/pdev")
