from pathlib import Path

import pytest
import yaml

from geo.core.errors import ConfigError
from geo.model.config import validate_config

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


def test_defaults_fill_every_key():
    config = validate_config({}, SCHEMA)
    assert config["lad_code"] == "E08000035"
    assert config["vintages"] == [2004, 2007, 2010, 2015, 2019, 2025]
    assert config["thresholds"] == {
        "most_deprived_1pct": 1, "most_deprived_10pct": 10, "most_deprived_20pct": 20,
    }  # fmt: skip
    assert config["tiers"]["extra_priority_vintages"] == []
    assert config["tiers"]["priority_ward_order"] == "imd_average_score"
    assert config["crs"] == "EPSG:27700"


def test_project_config_is_valid():
    config = validate_config(yaml.safe_load((ROOT / "config.yaml").read_text()), SCHEMA)
    assert config["mirror"] == "../shared/data"


@pytest.mark.parametrize(
    ("override", "pattern"),
    [
        ({"lad_code": "E0800003"}, r"lad_code: value 'E0800003' is invalid"),
        ({"lad_code": "W06000015"}, r"lad_code: value 'W06000015'"),
        ({"vintages": [2011]}, r"vintages\.0: value 2011"),
        ({"thresholds": {"most_deprived_1pct": 0}}, r"thresholds\.most_deprived_1pct: value 0"),
        ({"crs": "27700"}, r"crs: value '27700'"),
        ({"lad_cod": "E08000035"}, r"'lad_cod' was unexpected"),
    ],
)
def test_bad_values_name_key_and_value(override, pattern):
    with pytest.raises(ConfigError, match=pattern):
        validate_config(override, SCHEMA, source="config.yaml")


def test_every_schema_key_is_described():
    schema = yaml.safe_load(SCHEMA.read_text())

    def walk(node, path):
        for key, sub in node.get("properties", {}).items():
            assert sub.get("description"), f"{path}{key} has no description"
            assert "default" in sub, f"{path}{key} has no default"
            walk(sub, f"{path}{key}.")

    walk(schema, "")
