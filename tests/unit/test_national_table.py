"""The national table of every authority's summary measures, on synthetic rows."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.core.errors import GeoInputError
from geo.statistics.peers import authority_summaries


def _measures(vintage: int, codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"vintage": vintage, "lad_code": codes, "imd_average_score": range(len(codes))}
    )


def test_every_release_by_release_then_code() -> None:
    out = authority_summaries({2019: _measures(2019, ["E2", "E1"]), 2015: _measures(2015, ["E3"])})
    assert list(zip(out["vintage"], out["lad_code"], strict=True)) == [
        (2015, "E3"),
        (2019, "E1"),
        (2019, "E2"),
    ]


def test_an_authority_twice_in_a_release_is_refused() -> None:
    with pytest.raises(GeoInputError, match="IoD2019 E1"):
        authority_summaries({2019: _measures(2019, ["E1", "E1"])})


def test_no_release_is_refused() -> None:
    with pytest.raises(GeoInputError, match="no release"):
        authority_summaries({})
