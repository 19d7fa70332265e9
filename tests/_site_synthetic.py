"""A small synthetic authority for site tests: four LSOAs in two wards, one split in 2021.

LSOAs are 500 m squares in British National Grid near Leeds. Two releases: IoD2019 on 2011
LSOAs (E01000001–4) and IoD2025 on 2021 LSOAs, where E01000004 split into E01033001/2.
A priority neighbourhood and a drawn neighbourhood are named ``<script>alert(1)</script>``,
so every page that shows them tests the escaping.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from _tiers import local_registry

from geo.inputs.registry import Dataset
from geo.model.domains import DOMAINS
from geo.model.tiers import TierRegistry, core_registry
from geo.presentation.site.assets import tile_layer_options
from geo.presentation.site.classify import breaks_table, classify_site_layers
from geo.presentation.site.model import Download, SiteInputs, SiteOptions

EVIL = "<script>alert(1)</script>"
CRS = "EPSG:27700"
X0, Y0, SIZE = 430_000.0, 433_000.0, 500.0
LAD = "E08000099"

LSOA11 = ["E01000001", "E01000002", "E01000003", "E01000004"]
LSOA21 = ["E01000001", "E01000002", "E01000003", "E01033001", "E01033002"]
WARD_OF = {"E01000001": "W1", "E01000002": "W1", "E01000003": "W2", "E01000004": "W2",
           "E01033001": "W2", "E01033002": "W2"}  # fmt: skip
WARDS = {"W1": "Armley", "W2": "Beeston & Holbeck"}
RANKS = {2019: [100, 5000, 20000, 30000], 2025: [90, 6000, 21000, 28000, 31000]}


def square(i: int, j: int, w: float = SIZE, h: float = SIZE) -> shapely.Polygon:
    x, y = X0 + i * SIZE, Y0 + j * SIZE
    return shapely.box(x, y, x + w, y + h)


def _geoms(year: int) -> list[shapely.Polygon]:
    base = [square(0, 0), square(1, 0), square(0, 1)]
    if year == 2011:
        return [*base, square(1, 1)]
    x, y = X0 + SIZE, Y0 + SIZE
    return [
        *base,
        shapely.box(x, y, x + SIZE / 2, y + SIZE),
        shapely.box(x + SIZE / 2, y, x + SIZE, y + SIZE),
    ]


def lsoa_layer(vintage: int) -> gpd.GeoDataFrame:
    year = 2011 if vintage == 2019 else 2021
    codes = LSOA11 if year == 2011 else LSOA21
    ranks = np.array(RANKS[vintage])
    n = 32_844 if vintage == 2019 else 33_755
    data: dict[str, object] = {
        "lsoa_code": codes,
        "lsoa_name": [f"Synth {i:03d}A" for i in range(len(codes))],
        "lad_code": LAD,
        "lad_name": "Synthshire",
        "imd_rank": ranks,
        "imd_decile": np.ceil(ranks * 10 / n).astype(int),
        "imd_score": np.round(60 - ranks / 600, 3),
        "population": 1500.0,
    }
    for k, d in enumerate(DOMAINS):
        r = np.minimum(ranks + 700 * k, n)
        data[f"{d.stem}_rank"] = r
        data[f"{d.stem}_decile"] = np.ceil(r * 10 / n).astype(int)
    return gpd.GeoDataFrame(data, geometry=_geoms(year), crs=CRS)


def _summary(
    tier: str,
    areas: dict[str, tuple[str, list[str], list[str]]],
    lsoas: dict[int, gpd.GeoDataFrame],
) -> pd.DataFrame:
    rows = []
    for code, (name, members11, members21) in areas.items():
        for vintage, layer in lsoas.items():
            members = members11 if vintage == 2019 else members21
            sub = layer.loc[layer["lsoa_code"].isin(members)]
            row = {
                "area_code": code, "area_name": name, "tier": tier, "vintage": vintage,
                "lsoas": float(len(sub)), "lsoas_in_national_10pct": float((sub["imd_decile"] == 1).sum()),
                "lsoas_in_national_20pct": float((sub["imd_decile"] <= 2).sum()),
                "lsoas_in_national_1pct": float((sub["imd_rank"] <= 330).sum()),
                "population": 1500.0 * len(sub), "imd_average_score": float(sub["imd_score"].mean()),
                "imd_average_rank": float(33000 - sub["imd_rank"].mean()), "imd_extent": 0.2,
                "imd_proportion_10pct": float((sub["imd_decile"] == 1).mean()),
                "imd_local_concentration": 30000.0, "income_scale": 100.0, "employment_scale": 50.0,
            }  # fmt: skip
            for d in DOMAINS:
                row[f"{d.stem}_proportion_10pct"] = float((sub[f"{d.stem}_decile"] == 1).mean())
            if tier == "drawn_neighbourhood":
                row.update(ward_name="Armley", fit_verdict="apportioned", apportion_method="area",
                           contributing_lsoas=2, lsoas_inside=1, lsoas_split=1, notes=EVIL,
                           illustrative=True)  # fmt: skip
            rows.append(row)
    return pd.DataFrame(rows)


def site_tiers(*, local_tiers: bool = True) -> TierRegistry:
    """The synthetic authority's tiers: the core ones, plus Leeds's own (no 2017 areas here)."""
    if not local_tiers:
        return core_registry()
    return local_registry(LAD)


def site_inputs(
    *, local_tiers: bool = True, drawn: bool = True, england: bool = True
) -> SiteInputs:
    """The synthetic authority; without ``local_tiers`` it has no committees or wedges, without
    ``england`` no national table (so no England page)."""
    lsoas = {2019: lsoa_layer(2019), 2025: lsoa_layer(2025)}
    groups = {"community_committee": {"CC1": ("Inner West", LSOA11, LSOA21)},
              "wedge_2010": {"WG1": ("West", LSOA11, LSOA21)}} if local_tiers else {}  # fmt: skip
    tiers: dict[str, dict[str, tuple[str, list[str], list[str]]]] = {
        "city": {LAD: ("Synthshire", LSOA11, LSOA21)},
        "ward": {w: (n, [c for c in LSOA11 if WARD_OF[c] == w], [c for c in LSOA21 if WARD_OF[c] == w])
                 for w, n in WARDS.items()},
        **groups,
        "priority_neighbourhood": {"E01000001": (EVIL, ["E01000001"], ["E01000001"])},
        "priority_ward": {"W1": ("Armley", LSOA11[:2], LSOA21[:2])},
    }  # fmt: skip
    members = pd.DataFrame(
        [(t, code, year, lsoa, 1.0) for t, areas in tiers.items() for code, (_, m11, m21) in areas.items()
         for year, ms in ((2011, m11), (2021, m21)) for lsoa in ms],
        columns=["tier", "area_code", "lsoa_year", "lsoa_code", "share"],
    )  # fmt: skip
    area_rows = []
    for t, areas in tiers.items():
        for code, (name, m11, _) in areas.items():
            ward = (
                WARD_OF[m11[0]]
                if t in ("ward", "priority_neighbourhood", "priority_ward")
                else None
            )
            area_rows.append({
                "tier": t, "area_code": code, "area_name": name, "lad_code": LAD,
                "ward_code": ward, "ward_name": WARDS.get(ward or ""),
                "community_committee_code": "CC1" if local_tiers and t not in ("city", "community_committee", "wedge_2010") else None,
                "wedge_2010_code": "WG1" if local_tiers and t not in ("city", "wedge_2010") else None,
            })  # fmt: skip
    membership = pd.DataFrame(
        [{"lsoa_geography": geo, "lsoa_code": c, "ward_code": WARD_OF[c], "ward_name": WARDS[WARD_OF[c]],
          "local_name": EVIL if c == "E01000001" else None}
         for geo, codes in (("LSOA11", LSOA11), ("LSOA21", LSOA21)) for c in codes]
    )  # fmt: skip
    summaries = {t: _summary(t, areas, lsoas) for t, areas in tiers.items()}
    shapes = {}
    for t, areas in tiers.items():
        layer = lsoas[2025].set_index("lsoa_code")
        shapes[t] = gpd.GeoDataFrame(
            {"area_code": list(areas), "area_name": [a[0] for a in areas.values()]},
            geometry=[shapely.union_all(layer.loc[a[2]].geometry.to_numpy()) for a in areas.values()], crs=CRS,
        )  # fmt: skip
    fit = None
    if drawn:
        drawn_areas = {"evil": (EVIL, ["E01000001", "E01000002"], ["E01000001", "E01000002"])}
        summaries["drawn_neighbourhood"] = _summary("drawn_neighbourhood", drawn_areas, lsoas)
        shapes["drawn_neighbourhood"] = gpd.GeoDataFrame(
            {"area_code": ["evil"], "area_name": [EVIL]}, geometry=[square(0, 0, 700, 400)], crs=CRS
        )
        fit = pd.DataFrame([(v, "evil", c, s) for v in (2019, 2025) for c, s in (("E01000001", 1.0), ("E01000002", 0.4))],
                           columns=["vintage", "area_code", "lsoa_code", "share_used"])  # fmt: skip
    crosswalk = pd.DataFrame(
        [("E01000001", "E01000001", "U"), ("E01000002", "E01000002", "U"), ("E01000003", "E01000003", "U"),
         ("E01000004", "E01033001", "S"), ("E01000004", "E01033002", "S")],
        columns=["lsoa11_code", "lsoa21_code", "change_code"],
    )  # fmt: skip
    changes = pd.DataFrame([{
        "lsoa_code": "E01000001", "lsoa_code_from": "E01000001", "local_name": EVIL, "ward_code": "W1",
        "ward_name": "Armley", "vintage_from": 2019, "vintage_to": 2025, "rank_from": 100, "rank_to": 90,
        "rank_change": -10, "percentile_from": 1, "percentile_to": 1, "status": "remained",
        "status_text": "remained in the most deprived 1% of LSOAs in England", "change_type": "U",
        "change_note": "LSOA unchanged in 2021",
    }])  # fmt: skip
    headlines = pd.DataFrame({
        "vintage": [2019, 2025], "lad_code": LAD, "lad_name": "Synthshire", "lsoas": [4, 5],
        "lsoas_in_national_1pct": [1, 1], "lsoas_in_national_10pct": [2, 2],
        "share_in_national_10pct": [0.5, 0.4], "population_in_national_10pct": [3000, 3000],
        "lsoas_in_national_20pct": [3, 3], "share_in_national_20pct": [0.75, 0.6],
        "population_in_national_20pct": [4500, 4500], "lad_rank_by_share_in_10pct": [3, 4], "lads_ranked": [317, 296],
    })  # fmt: skip
    registry = {"imd2019_file2": Dataset(
        name="imd2019_file2", title="IoD2019 File 2", publisher="MHCLG", version="IoD2019",
        url="https://assets.publishing.service.gov.uk/file2.xlsx", mirror="imd2019/file2.csv",
        sha256="0" * 64, licence="OGL-3.0", status="official",
    )}  # fmt: skip
    breaks = breaks_table(classify_site_layers(lsoas, summaries, scheme="fisher_jenks", k=3))
    return SiteInputs(
        lad_code=LAD, lad_name="Synthshire", lsoas=lsoas, membership=membership, members=members,
        areas=pd.DataFrame(area_rows), summaries=summaries, shapes=shapes, headlines=headlines,
        registry=registry, breaks=breaks, crosswalk=crosswalk, drawn_fit=fit,
        rank_changes={(2019, 2025): changes},
        downloads=[Download("ward.csv", "unused", "Summary measures of wards", "ward")],
        tiers=site_tiers(local_tiers=local_tiers),
        authorities=authorities() if england else None,
        authority_shapes=authority_shapes() if england else None,
    )  # fmt: skip


NEIGHBOURS = {"E08000098": "Westshire", "E08000097": "Eastshire"}
"""The synthetic authority's two neighbours in the national table."""


def authorities() -> pd.DataFrame:
    """The national table: three authorities, two releases (Synthshire second, then first)."""
    rows = []
    for vintage, order in (
        (2019, ["E08000098", LAD, "E08000097"]),
        (2025, [LAD, "E08000098", "E08000097"]),
    ):
        for rank, code in enumerate(order, 1):
            row = {
                "vintage": vintage,
                "lad_code": code,
                "lad_name": NEIGHBOURS.get(code, "Synthshire"),
                "population": 1000 * rank,
                "lsoas": 4 + rank,
                "lads_ranked": 3,
            }
            for i, m in enumerate(
                (
                    "imd_average_score",
                    "imd_average_rank",
                    "imd_extent",
                    "imd_local_concentration",
                    "imd_proportion_10pct",
                    "income_scale",
                    "employment_scale",
                )
            ):
                row[m] = 40.0 - 10 * rank + i / 10 if m != "imd_average_rank" else 1000.0 * rank
                row[f"{m}_rank"] = rank
            rows.append(row)
    return pd.DataFrame(rows)


def authority_shapes() -> gpd.GeoDataFrame:
    """Every authority of 2024 as one polygon: Synthshire's LSOAs, a neighbour each side."""
    own = shapely.box(X0, Y0, X0 + 2 * SIZE, Y0 + 2 * SIZE)
    west = shapely.box(X0 - 2 * SIZE, Y0, X0, Y0 + 2 * SIZE)
    east = shapely.box(X0 + 2 * SIZE, Y0, X0 + 4 * SIZE, Y0 + 2 * SIZE)
    return gpd.GeoDataFrame({"lad_code": [LAD, "E08000098", "E08000097"],
                             "lad_name": ["Synthshire", "Westshire", "Eastshire"], "lsoas": [5, 6, 7]},
                            geometry=[own, west, east], crs=CRS)  # fmt: skip


def site_options(**overrides: object) -> SiteOptions:
    options = {
        "tiles": tile_layer_options("none"), "title": "Deprivation in Synthshire",
        "simplify_m": {"city": 10, "area": 1, "england": 50}, "decimals": {"city": 5, "area": 6, "england": 4},
        "domain_vintages": (2025,), "priority_vintage": 2019,
    }  # fmt: skip
    options.update(overrides)
    return SiteOptions(**options)  # type: ignore[arg-type]


def download_files(inputs: SiteInputs) -> dict[str, bytes]:
    return {"ward.csv": inputs.summaries["ward"].to_csv(index=False).encode()}


def build(tmp: Path | None = None, **kwargs: object) -> dict[str, bytes]:
    from geo.presentation.site.build import build_site, write_site

    inputs = site_inputs(**kwargs)  # type: ignore[arg-type]
    files = build_site(inputs, site_options(), download_files=download_files(inputs),
                       neighbourhood_folder="data/raw/neighbourhoods/E08000099/")  # fmt: skip
    if tmp is not None:
        write_site(files, tmp)
    return files
