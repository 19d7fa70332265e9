"""Draw the illustrative neighbourhoods in ``data/raw/neighbourhoods/E08000035/``.

Usage (from the repository root; reads the data mirror named in ``config.yaml``)::

    .venv/bin/python tools/draw_illustrative_neighbourhoods.py [--plot DIR]

For each Leeds LSOA in the national most deprived 1% of IoD2019 (IMD rank <= 328: twelve
LSOAs) this draws one polygon the way an officer might, following the estate rather than the
statistical boundary, and writes it as a small GeoJSON file (RFC 7946: WGS84 lon/lat, no
``crs`` member, six decimals, which is what the site's draw page exports):

1. start from the LSOA's 2011 Output Areas (20 m generalised boundaries);
2. add up to two neighbouring OAs (of LSOAs outside the 1%) that share at least 40% of their
   boundary with the LSOA, are small (under 15 ha) and hold addresses: the streets across
   the road that belong to the same estate;
3. trim the LSOA's large OAs (over 9 ha and at least twice its median OA) to the land
   within 70 m of their postcode locations when that leaves out at least a fifth of the OA:
   the park, playing fields or yards at the edge that an officer would not draw around;
4. smooth the outline as a hand would (close notches under 80 m, wider where that keeps it
   in one piece; drop spikes under 30 m; simplify to 12 m), fill its holes, keep it
   off the other illustrative neighbourhoods and inside Leeds.

Properties: ``name`` (the local name the council's reports use), ``ward`` (the LSOA's
best-fit ward, May 2024), ``notes`` (what was done) and ``illustrative: true``. The ``id`` is
left to the pipeline (a slug of the name). These shapes are NOT agreed boundaries: they show
how the pipeline treats drawn areas until officers and ward members replace them.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.core.text import slugify
from geo.inputs.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
LAD = "E08000035"
OUT = ROOT / "data/raw/neighbourhoods" / LAD
CRS = "EPSG:27700"
RANK_1PCT = 328
IMD_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"

logger = logging.getLogger("draw_illustrative")


def mirror_path(name: str) -> Path:
    """Path of registry dataset ``name`` in the mirror named by config.yaml."""
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    mirror = (ROOT / config["mirror"]).resolve()
    return mirror / load_registry(ROOT / "data/registry.yaml")[name].mirror


def load_inputs() -> dict[str, pd.DataFrame]:
    """Output Areas (with LSOA and postcode locations), priority LSOAs, names and wards."""
    oas = gpd.read_file(mirror_path("oa11_bgc_leeds")).to_crs(CRS)
    oas["geometry"] = shapely.make_valid(oas.geometry.to_numpy())
    lookup = pd.read_csv(mirror_path("lookup_oa11_lsoa21_leeds"))
    oas = oas.merge(lookup[["oa11_code", "lsoa11_code"]], left_on="OA11CD",
                    right_on="oa11_code", validate="1:1")  # fmt: skip
    pcs = pd.read_csv(mirror_path("postcodes_leeds")).dropna(subset=["lat", "long"])
    pcs = pcs.drop_duplicates(["lat", "long"])  # PO boxes stacked at delivery offices count once
    points = gpd.GeoSeries(gpd.points_from_xy(pcs["long"], pcs["lat"]), crs=4326).to_crs(CRS)
    joined = gpd.sjoin(gpd.GeoDataFrame(geometry=points), oas[["geometry"]], predicate="within")
    oas["locations"] = joined.groupby("index_right").size().reindex(oas.index).fillna(0)
    oas["homes"] = (
        gpd.GeoSeries(points.to_numpy()[joined.index], crs=CRS)
        .buffer(70, quad_segs=4)
        .groupby(joined["index_right"].to_numpy())
        .agg(lambda g: shapely.union_all(g.to_numpy()))
        .reindex(oas.index)
    )
    imd = pd.read_csv(mirror_path("imd2019_file2"), encoding="utf-8-sig")
    imd = imd[imd["Local Authority District code (2019)"] == LAD]
    priority = imd.loc[
        imd[IMD_RANK] <= RANK_1PCT, ["LSOA code (2011)", "LSOA name (2011)", IMD_RANK]
    ]
    priority.columns = ["lsoa_code", "lsoa_name", "imd_rank"]
    names = pd.read_csv(mirror_path("leeds_lsoa_local_names")).set_index("lsoa11_code")
    wards = pd.read_csv(mirror_path("lookup_lsoa21_ward24")).set_index("lsoa21_code")
    priority["name"] = priority["lsoa_code"].map(names["local_name"]).fillna(priority["lsoa_code"])
    priority["ward"] = priority["lsoa_code"].map(wards["ward24_name"]).fillna("")
    return {"oas": oas, "priority": priority.sort_values("lsoa_code", ignore_index=True)}


def shared_fraction(oa: BaseGeometry, lsoa: BaseGeometry) -> float:
    """Share of ``oa``'s perimeter lying on ``lsoa``'s boundary (within 1 m)."""
    return oa.boundary.intersection(lsoa.boundary.buffer(1.0)).length / oa.boundary.length


def choose_oas(
    code: str, oas: gpd.GeoDataFrame, taken: set[str]
) -> tuple[list[str], list[str], list[str]]:
    """OAs of the drawn area: (own OAs, added neighbours, own OAs trimmed to their homes)."""
    own = oas[oas["lsoa11_code"] == code]
    lsoa = own.union_all()
    near = oas[(oas["lsoa11_code"] != code) & oas.intersects(lsoa.buffer(1.0))]
    near = near[~near["OA11CD"].isin(taken) & (near.area < 150_000) & (near["locations"] >= 3)]
    share = near.geometry.map(lambda g: shared_fraction(g, lsoa))
    added = list(near.loc[share[share >= 0.40].sort_values(ascending=False).index[:2], "OA11CD"])
    big = own[(own.area > 90_000) & (own.area >= 2 * own.area.median())]
    trimmed = [
        row.OA11CD
        for row in big.itertuples()
        if row.homes is not None
        and row.geometry.intersection(row.homes).area <= 0.8 * row.geometry.area
    ]
    return list(own["OA11CD"]), added, trimmed


def oa_shape(row: pd.Series, trim: bool) -> BaseGeometry:
    """Return an OA's polygon, trimmed to the land within 70 m of its homes when ``trim``."""
    return row.geometry.intersection(row["homes"]) if trim else row.geometry


def smooth(geom: BaseGeometry) -> BaseGeometry:
    """Round the outline like a hand-drawn one, in one piece, without holes."""
    radius = 40
    closed = geom.buffer(radius, quad_segs=4).buffer(-radius, quad_segs=4)
    while closed.geom_type != "Polygon" and radius < 200:
        radius += 20
        closed = geom.buffer(radius, quad_segs=4).buffer(-radius, quad_segs=4)
    opened = closed.buffer(-15, quad_segs=4).buffer(15, quad_segs=4)
    simple = opened.simplify(12, preserve_topology=True)
    return shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(simple)])


def largest_part(geom: BaseGeometry) -> BaseGeometry:
    """Return the largest polygon of ``geom`` (drops slivers left by subtracting others)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    return max(parts, key=lambda p: p.area)


def draw_all(inputs: dict[str, pd.DataFrame]) -> gpd.GeoDataFrame:
    """One drawn polygon per priority LSOA, non-overlapping, inside Leeds."""
    oas, priority = inputs["oas"], inputs["priority"]
    taken = set(oas.loc[oas["lsoa11_code"].isin(priority["lsoa_code"]), "OA11CD"])
    outline = oas.union_all().buffer(0)
    rows, raw = [], {}
    for code in priority["lsoa_code"]:
        own, added, trimmed = choose_oas(code, oas, taken)
        taken |= set(added)
        chosen = oas[oas["OA11CD"].isin(own + added)]
        shapes = [oa_shape(row, row["OA11CD"] in trimmed) for _, row in chosen.iterrows()]
        raw[code] = shapely.union_all(shapes)
        rows.append({"lsoa_code": code, "added": added, "trimmed": trimmed})
    drawn: dict[str, BaseGeometry] = {}
    for code in priority["lsoa_code"]:
        geom = smooth(raw[code]).intersection(outline)
        others = [g for c, g in raw.items() if c != code] + list(drawn.values())
        geom = largest_part(geom.difference(shapely.union_all(others)))
        drawn[code] = shapely.make_valid(geom)
    out = priority.merge(pd.DataFrame(rows), on="lsoa_code", validate="1:1")
    return gpd.GeoDataFrame(out, geometry=[drawn[c] for c in out["lsoa_code"]], crs=CRS)


def notes(row: pd.Series) -> str:
    """Describe what was drawn, for the ``notes`` property."""
    text = (
        f"Illustrative only, not agreed locally: drawn around LSOA {row['lsoa_code']} "
        f"({row['lsoa_name']}, IoD2019 IMD rank {row['imd_rank']}, national most deprived 1%) "
        "from its 2011 Output Areas"
    )
    if row["added"]:
        text += f", adding {', '.join(row['added'])} across the boundary"
    if row["trimmed"]:
        text += f", leaving out the open land of {', '.join(row['trimmed'])}"
    return text + ", outline smoothed (80 m). Replace with the boundary agreed with ward members."


def _rounded(coords: object) -> object:
    if isinstance(coords, tuple | list) and coords and isinstance(coords[0], float | int):
        return [round(float(c), 6) for c in coords]
    assert isinstance(coords, tuple | list)
    return [_rounded(c) for c in coords]


def feature_collection(row: pd.Series, geom_wgs84: BaseGeometry) -> dict[str, object]:
    """Return a one-feature RFC 7946 FeatureCollection (exterior rings counter-clockwise)."""
    geom = shapely.orient_polygons(geom_wgs84, exterior_cw=False)
    geometry = mapping(geom)
    geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
    properties = {"name": row["name"], "ward": row["ward"], "notes": notes(row),
                  "illustrative": True}  # fmt: skip
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": properties, "geometry": geometry}]}  # fmt: skip


def is_illustrative(path: Path) -> bool:
    """Tell whether every feature of an existing file is still marked illustrative."""
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (ValueError, KeyError):
        return False
    return bool(features) and all(f["properties"].get("illustrative") is True for f in features)


def write_files(drawn: gpd.GeoDataFrame) -> list[Path]:
    """Write one GeoJSON per neighbourhood; check each reads back valid.

    A file that exists and is no longer marked illustrative (an officer replaced it) is
    never overwritten.
    """
    OUT.mkdir(parents=True, exist_ok=True)
    wgs84 = drawn.to_crs(4326)
    paths = []
    for (_, row), geom in zip(drawn.iterrows(), wgs84.geometry, strict=True):
        collection = feature_collection(row, geom)
        path = OUT / f"{slugify(row['name'])}.geojson"
        if path.exists() and not is_illustrative(path):
            logger.warning("%s: not illustrative any more (edited locally); left as it is", path)
            continue
        path.write_text(
            json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        back = gpd.read_file(path)
        if not back.geometry.is_valid.all():
            msg = f"{path}: invalid after rounding"
            raise RuntimeError(msg)
        paths.append(path)
        logger.info("%s: %.1f ha (+%s -%s)", path.name, row.geometry.area / 1e4,
                    row["added"], row["trimmed"])  # fmt: skip
    return paths


def plot(drawn: gpd.GeoDataFrame, oas: gpd.GeoDataFrame, folder: Path) -> None:
    """PNG per neighbourhood: LSOA (grey), OAs (thin) and the drawn outline (red)."""
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    for _, row in drawn.iterrows():
        fig, ax = plt.subplots(figsize=(6, 6))
        box = row.geometry.buffer(300)
        near = oas[oas.intersects(box)]
        near.boundary.plot(ax=ax, linewidth=0.3, color="0.5")
        oas[oas["lsoa11_code"] == row["lsoa_code"]].plot(ax=ax, color="0.85")
        gpd.GeoSeries([row.geometry]).boundary.plot(ax=ax, color="red", linewidth=1.5)
        ax.set_xlim(box.bounds[0], box.bounds[2])
        ax.set_ylim(box.bounds[1], box.bounds[3])
        ax.set_title(f"{row['lsoa_code']} {row['name']}"[:70], fontsize=8)
        ax.set_axis_off()
        fig.savefig(folder / f"{row['lsoa_code']}.png", dpi=80)
        plt.close(fig)


def main() -> None:
    """Draw, write and optionally plot the illustrative neighbourhoods."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", type=Path, help="folder for one PNG per neighbourhood")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    inputs = load_inputs()
    drawn = draw_all(inputs)
    write_files(drawn)
    if args.plot:
        plot(drawn, inputs["oas"], args.plot)
    overlap = np.triu(np.array([[a.intersection(b).area for b in drawn.geometry]
                                for a in drawn.geometry]), 1).sum()  # fmt: skip
    logger.info("%d files in %s; total overlap %.1f m²", len(drawn), OUT, overlap)


if __name__ == "__main__":
    main()
