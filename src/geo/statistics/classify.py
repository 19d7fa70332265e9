"""Classify postcodes or point sites by deprivation, and summarise the list.

For every row of an officer's file (:class:`geo.inputs.postcodes.Sites`):

- **postcodes** are normalised and looked up in the NSPL extract (LSOA 2021, ward, LAD,
  termination date where the file carries one); **points** are joined to the authority's
  LSOA 2021 polygons (EPSG:27700) and their ward is the LSOA's best-fit ward;
- the LSOA 2011 is the ONS LSOA11→LSOA21 lookup's where it is unique (unchanged and split
  LSOAs); where several 2011 LSOAs merged into the 2021 one it is the polygon nearest the
  point (distance 0 inside), named in ``lsoa11_method``;
- the LSOA 2001 (for IMD 2004, 2007 and 2010) is the ONS LSOA01→LSOA11 lookup's parent of
  that LSOA 2011 where it has one (unchanged and split LSOAs); where several 2001 LSOAs
  merged into it, or the change was irregular, it is the 2001 LSOA holding most of the 2011
  LSOA's people (``share_of_lsoa11``), named in ``lsoa01_method`` (the 2001 shapes inside a
  merged 2011 LSOA cannot be recovered, so the point cannot choose);
- ``tier_<tier>_code``/``_name``: every tier area of ``tier_members`` holding the LSOA (the tier's 2021 LSOAs where it has
  them), with an ``in_<tier>`` flag for tiers that do not cover the whole authority;
- for every release: IMD rank, decile and the national most-deprived flags
  (``rank <= floor(N × p / 100)``).

Rows that cannot be classified are never dropped: they are returned in ``rejected`` with a
``reason_code`` and a ``reason`` (blank or malformed postcode, unknown, terminated, no
LSOA, outside the authority, no coordinates).

:func:`summarise` counts the classified rows in each national group, ward and tier area
beside the share of the authority's population there (the release's population
denominator), so over- and under-representation is visible (``representation`` = share of
rows / share of population).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.checks import require_columns
from geo.core.errors import GeoInputError
from geo.inputs.postcodes import Sites, points_27700
from geo.model.releases import VINTAGES
from geo.model.tiers import WARD

logger = logging.getLogger(__name__)

REASONS: dict[str, str] = {
    "blank": "no postcode or coordinates given",
    "malformed": "not a valid UK postcode",
    "unknown": "postcode not in the postcode lookup (made up, mistyped, or outside its coverage)",
    "terminated": "postcode terminated",
    "no_lsoa": "postcode has no LSOA in the lookup (non-geographic or unallocated)",
    "outside": "outside the authority",
}
"""``reason_code`` → the wording of ``reason``."""


@dataclass(frozen=True)
class Reference:
    """What rows are classified against (the pipeline's contracts and two ONS lookups)."""

    lad_code: str
    layers: Mapping[int, gpd.GeoDataFrame]
    """Vintage → ``data/interim/lsoa_imd<vintage>.parquet`` (EPSG:27700)."""
    members: pd.DataFrame
    """``tier_members``: tier, area_code, lsoa_year, lsoa_code, share."""
    areas: pd.DataFrame
    """``tier_areas``: tier, area_code, area_name, …"""
    postcodes: pd.DataFrame
    """:func:`geo.inputs.postcodes.read_nspl`."""
    ward_lookup: pd.DataFrame
    """ONS LSOA21 → ward (best fit) → LAD: lsoa21_code, ward24_code, ward24_name."""
    lsoa_changes: pd.DataFrame
    """ONS LSOA11 → LSOA21: lsoa11_code, lsoa21_code, change_code."""
    lsoa01_links: pd.DataFrame | None = None
    """LSOA01 → LSOA11 with shares (:func:`geo.geography.lsoa01.link_shares`); needed when a
    release is on 2001 LSOAs."""

    def layer(self, lsoa_year: int) -> gpd.GeoDataFrame:
        """Return the authority's LSOA polygons of ``lsoa_year`` (from the latest such release)."""
        for vintage in sorted(self.layers, reverse=True):
            if VINTAGES[vintage].lsoa_year == lsoa_year:
                return self.layers[vintage]
        msg = f"no LSOA {lsoa_year} layer among the releases {sorted(self.layers)}"
        raise GeoInputError(msg)


@dataclass(frozen=True)
class Classification:
    """The classified rows, the rejected rows, and the release flags' column names."""

    classified: pd.DataFrame
    rejected: pd.DataFrame
    flag_columns: Mapping[int, Mapping[float, str]]
    tiers: Sequence[str]


def flag_column(vintage: int, percent: float) -> str:
    """Name of the national ``percent``% flag of ``vintage``: ``imd2019_national_10pct``."""
    return f"imd{vintage}_national_{percent:g}pct"


# --- locating rows ------------------------------------------------------------------------


def _locate_postcodes(sites: Sites, ref: Reference) -> pd.DataFrame:
    from geo.inputs.postcodes import normalise_postcodes

    raw = sites.frame["postcode_input"].astype("string").fillna("")
    out = pd.DataFrame({"input_row": sites.frame["input_row"]}, index=sites.frame.index)
    out["postcode"] = normalise_postcodes(raw)
    looked = out[["postcode"]].merge(
        ref.postcodes.rename(columns={"lad_code": "postcode_lad_code"}),
        on="postcode",
        how="left",
        validate="m:1",
        indicator=True,
    )
    looked.index = out.index
    reason = pd.Series(pd.NA, index=out.index, dtype="string")
    reason = reason.mask(reason.isna() & (looked["_merge"] == "left_only"), "unknown")
    reason = reason.mask(out["postcode"].isna(), "malformed")
    reason = reason.mask(raw.str.strip() == "", "blank")
    reason = reason.mask(reason.isna() & looked["doterm"].notna(), "terminated")
    reason = reason.mask(reason.isna() & looked["lsoa21_code"].isna(), "no_lsoa")
    reason = reason.mask(reason.isna() & (looked["postcode_lad_code"] != ref.lad_code), "outside")
    out["reason_code"] = reason
    out["detail"] = ""
    outside, terminated = reason.eq("outside").fillna(False), reason.eq("terminated").fillna(False)
    out.loc[outside, "detail"] = "postcode in " + looked.loc[outside, "postcode_lad_code"]
    out.loc[terminated, "detail"] = "doterm " + looked.loc[terminated, "doterm"]
    out["lsoa21_code"] = looked["lsoa21_code"]
    out["ward_code"] = looked["ward_code"]
    out["ward_source"] = "postcode (NSPL)"
    pts = gpd.GeoSeries.from_xy(looked["long"], looked["lat"], crs="EPSG:4326").to_crs("EPSG:27700")
    out["x"], out["y"] = pts.x.to_numpy(), pts.y.to_numpy()
    return out


def _locate_points(sites: Sites, ref: Reference) -> pd.DataFrame:
    pts = points_27700(sites)
    out = pd.DataFrame({"input_row": sites.frame["input_row"]}, index=sites.frame.index)
    out["postcode"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["x"], out["y"] = pts.x.to_numpy(), pts.y.to_numpy()
    layer = ref.layer(2021)
    tree = shapely.STRtree(layer.geometry.to_numpy())
    has = (sites.frame["x"].notna() & sites.frame["y"].notna()).to_numpy()
    idx = np.flatnonzero(has)
    hit_pt, hit_poly = tree.query(pts.to_numpy()[idx], predicate="intersects")
    first = pd.Series(hit_poly, index=idx[hit_pt]).groupby(level=0).min()
    codes = pd.Series(pd.NA, index=range(len(out)), dtype="string")
    codes.iloc[first.index.to_numpy()] = layer["lsoa_code"].to_numpy()[first.to_numpy()]
    out["lsoa21_code"] = codes.to_numpy()
    best_fit = ref.ward_lookup.set_index("lsoa21_code")["ward24_code"]
    out["ward_code"] = out["lsoa21_code"].map(best_fit).astype("string")
    out["ward_source"] = "best-fit ward of the LSOA 2021"
    reason = pd.Series(pd.NA, index=out.index, dtype="string")
    reason = reason.mask(out["lsoa21_code"].isna(), "outside")
    reason = reason.mask(~has, "blank")
    out["reason_code"] = reason
    out["detail"] = np.where(
        reason.eq("outside").fillna(False), f"no LSOA of {ref.lad_code} contains the point", ""
    )
    return out


def _lsoa11(located: pd.DataFrame, ref: Reference) -> pd.DataFrame:
    """LSOA 2011 of each located row and how it was chosen."""
    changes = ref.lsoa_changes[["lsoa11_code", "lsoa21_code"]].drop_duplicates()
    counts = changes.groupby("lsoa21_code")["lsoa11_code"].transform("size")
    unique = changes.loc[counts == 1].set_index("lsoa21_code")["lsoa11_code"]
    out = pd.DataFrame(index=located.index)
    out["lsoa11_code"] = located["lsoa21_code"].map(unique).astype("string")
    out["lsoa11_method"] = np.where(out["lsoa11_code"].notna(), "ONS LSOA11-LSOA21 lookup", "")
    todo = out.index[out["lsoa11_code"].isna() & located["lsoa21_code"].notna()]
    if len(todo):
        layer11 = ref.layer(2011).set_index("lsoa_code")
        candidates = changes.loc[counts > 1].groupby("lsoa21_code")["lsoa11_code"].agg(list)
        for lsoa21, rows in located.loc[todo].groupby("lsoa21_code").groups.items():
            options = [c for c in candidates.get(lsoa21, []) if c in layer11.index]
            if not options:
                continue
            pts = shapely.points(located.loc[rows, "x"], located.loc[rows, "y"])
            polys = layer11.geometry.loc[options].to_numpy()
            dist = shapely.distance(pts[:, None], polys[None, :])
            known = ~np.isnan(dist).all(axis=1)
            pick = np.where(known, np.nanargmin(np.where(np.isnan(dist), np.inf, dist), axis=1), 0)
            chosen = np.asarray(options, dtype=object)[pick]
            labels = pd.Index(rows)
            chosen[~known] = None
            out.loc[labels, "lsoa11_code"] = chosen
            out.loc[labels, "lsoa11_method"] = np.where(
                known,
                "merged LSOA: 2011 polygon nearest the point",
                "merged LSOA: no coordinates to choose",
            )
    return out


def _lsoa01(lsoa11: pd.Series, ref: Reference) -> pd.DataFrame:
    """LSOA 2001 of each row's LSOA 2011 and how it was chosen (module docstring)."""
    out = pd.DataFrame(index=lsoa11.index)
    if ref.lsoa01_links is None:
        msg = "classification: a release on 2001 LSOAs needs the LSOA01-LSOA11 links"
        raise GeoInputError(msg)
    links = ref.lsoa01_links
    require_columns(links, ["lsoa01_code", "lsoa11_code", "share_of_lsoa11"], source="lsoa01_links")
    parents = links.groupby("lsoa11_code")["lsoa01_code"].transform("size")
    best = links.sort_values(["share_of_lsoa11", "lsoa01_code"], ascending=[False, True])
    best = best.drop_duplicates("lsoa11_code").set_index("lsoa11_code")
    single = set(links.loc[parents == 1, "lsoa11_code"])
    out["lsoa01_code"] = lsoa11.map(best["lsoa01_code"]).astype("string")
    method = np.where(
        lsoa11.isin(single),
        "ONS LSOA01-LSOA11 lookup",
        "merged or irregular LSOA: the 2001 LSOA with most of the 2011 LSOA's people",
    )
    out["lsoa01_method"] = np.where(out["lsoa01_code"].notna(), method, "")
    return out


# --- attributes ---------------------------------------------------------------------------


def _tier_columns(codes: Mapping[int, pd.Series], ref: Reference) -> tuple[pd.DataFrame, list[str]]:
    """``<tier>_code``, ``<tier>_name`` (and ``in_<tier>``) for rows with these LSOAs."""
    require_columns(
        ref.members, ["tier", "area_code", "lsoa_year", "lsoa_code"], source="tier_members"
    )
    names = ref.areas.drop_duplicates(["tier", "area_code"]).set_index(["tier", "area_code"])
    index = next(iter(codes.values())).index
    out = pd.DataFrame(index=index)
    tiers = list(dict.fromkeys(ref.members["tier"]))
    for tier in tiers:
        members = ref.members.loc[ref.members["tier"] == tier]
        year = 2021 if (members["lsoa_year"] == 2021).any() else 2011
        members = members.loc[members["lsoa_year"] == year].copy()
        members["area_name"] = [
            names["area_name"].get((tier, code), code) for code in members["area_code"]
        ]
        members = members.sort_values(["lsoa_code", "area_code"])
        joined = members.groupby("lsoa_code").agg(
            code=("area_code", "; ".join), name=("area_name", "; ".join)
        )
        lsoa = codes[year]
        out[f"tier_{tier}_code"] = lsoa.map(joined["code"]).astype("string")
        out[f"tier_{tier}_name"] = lsoa.map(joined["name"]).astype("string")
        if set(members["lsoa_code"]) != set(ref.layer(year)["lsoa_code"]):
            out[f"in_{tier}"] = out[f"tier_{tier}_code"].notna() & lsoa.notna()
    return out, tiers


def _release_columns(
    codes: Mapping[int, pd.Series], ref: Reference, percents: Sequence[float]
) -> tuple[pd.DataFrame, dict[int, dict[float, str]]]:
    index = next(iter(codes.values())).index
    out = pd.DataFrame(index=index)
    flags: dict[int, dict[float, str]] = {}
    for vintage in sorted(ref.layers):
        v = VINTAGES[vintage]
        layer = ref.layers[vintage].set_index("lsoa_code")
        lsoa = codes[v.lsoa_year]
        rank = lsoa.map(layer["imd_rank"]).astype("Int64")
        out[f"imd{vintage}_rank"] = rank
        out[f"imd{vintage}_decile"] = lsoa.map(layer["imd_decile"]).astype("Int64")
        flags[vintage] = {}
        for p in percents:
            col = flag_column(vintage, p)
            out[col] = (rank <= v.threshold_rank(p)).astype("boolean")
            flags[vintage][p] = col
    return out, flags


def classify_sites(
    sites: Sites,
    ref: Reference,
    *,
    percents: Sequence[float] = (1, 10, 20),
    passthrough: Sequence[str] = (),
) -> Classification:
    """Classify every row of ``sites``; rows that cannot be classified go to ``rejected``.

    Args:
        sites: The officer's file, as read by :func:`geo.inputs.postcodes.read_sites`.
        ref: The authority's reference tables.
        percents: National most-deprived percentages to flag for every release.
        passthrough: Input columns copied to both outputs (no other input column is).

    Raises:
        GeoInputError: If a ``passthrough`` column is not in the input.

    """
    missing = [c for c in passthrough if c not in sites.frame]
    if missing:
        msg = f"{sites.path}: passthrough column(s) {missing} not in the file; found {[c for c in sites.frame if c not in ('input_row', 'postcode_input', 'x', 'y')]}"
        raise GeoInputError(msg)
    frame = sites.frame.reset_index(drop=True)
    sites = Sites(sites.path, sites.kind, frame, sites.crs)
    located = (
        _locate_postcodes(sites, ref) if sites.kind == "postcode" else _locate_points(sites, ref)
    )
    known21 = set(ref.layer(2021)["lsoa_code"])
    stray = located["reason_code"].isna() & ~located["lsoa21_code"].isin(known21)
    located.loc[stray, "reason_code"] = "outside"
    located.loc[stray, "detail"] = (
        "LSOA " + located.loc[stray, "lsoa21_code"] + " not in the authority"
    )
    keep = located["reason_code"].isna()
    passed = frame[list(passthrough)]
    rejected = located.loc[~keep, ["input_row", "postcode"]].copy()
    rejected.insert(1, "input_value", _input_value(sites).loc[~keep])
    rejected["reason_code"] = located.loc[~keep, "reason_code"]
    rejected["reason"] = [
        REASONS[c] + (f": {d}" if d else "")
        for c, d in zip(rejected["reason_code"], located.loc[~keep, "detail"], strict=True)
    ]
    rejected = pd.concat([rejected, passed.loc[~keep]], axis=1).reset_index(drop=True)

    ok = located.loc[keep].copy()
    ok = ok.join(_lsoa11(ok, ref))
    years = {VINTAGES[v].lsoa_year for v in ref.layers}
    if 2001 in years:
        ok = ok.join(_lsoa01(ok["lsoa11_code"], ref))
    ward_names = ref.ward_lookup.drop_duplicates("ward24_code").set_index("ward24_code")
    layer21, layer11 = (
        ref.layer(2021).set_index("lsoa_code"),
        ref.layer(2011).set_index("lsoa_code"),
    )
    classified = ok[["input_row", "postcode"]].copy()
    classified["lsoa21_code"] = ok["lsoa21_code"]
    classified["lsoa21_name"] = ok["lsoa21_code"].map(layer21["lsoa_name"])
    classified["lsoa11_code"] = ok["lsoa11_code"]
    classified["lsoa11_name"] = ok["lsoa11_code"].map(layer11["lsoa_name"])
    classified["lsoa11_method"] = ok["lsoa11_method"]
    codes = {2021: ok["lsoa21_code"], 2011: ok["lsoa11_code"]}
    if 2001 in years:
        layer01 = ref.layer(2001).set_index("lsoa_code")
        classified["lsoa01_code"] = ok["lsoa01_code"]
        classified["lsoa01_name"] = ok["lsoa01_code"].map(layer01["lsoa_name"])
        classified["lsoa01_method"] = ok["lsoa01_method"]
        codes[2001] = ok["lsoa01_code"]
    classified["ward_code"] = ok["ward_code"]
    classified["ward_name"] = ok["ward_code"].map(ward_names["ward24_name"])
    classified["ward_source"] = ok["ward_source"]
    tier_cols, tiers = _tier_columns(codes, ref)
    release_cols, flags = _release_columns(codes, ref, percents)
    classified = pd.concat([classified, tier_cols, release_cols, passed.loc[keep]], axis=1)
    logger.info(
        "%s: %d rows classified, %d rejected (%s)",
        sites.path,
        len(classified),
        len(rejected),
        rejected["reason_code"].value_counts().to_dict(),
    )
    return Classification(classified.reset_index(drop=True), rejected, flags, tiers)


def _input_value(sites: Sites) -> pd.Series:
    if sites.kind == "postcode":
        return sites.frame["postcode_input"].astype("string")
    return sites.frame["x"].map("{:.6g}".format) + ", " + sites.frame["y"].map("{:.6g}".format)


# --- summary ------------------------------------------------------------------------------

SUMMARY_COLUMNS = (
    "section", "vintage", "group_code", "group_name", "rows", "share_of_rows",
    "population", "population_share", "representation",
)  # fmt: skip


def _row(section: str, vintage: object, code: str, name: str, rows: float, n: int,
         population: float, total: float) -> dict[str, object]:  # fmt: skip
    share = rows / n if n else np.nan
    pop_share = population / total if total else np.nan
    return {
        "section": section, "vintage": vintage, "group_code": code, "group_name": name,
        "rows": rows, "share_of_rows": share, "population": population,
        "population_share": pop_share,
        "representation": share / pop_share if pop_share else np.nan,
    }  # fmt: skip


def summarise(result: Classification, ref: Reference) -> pd.DataFrame:
    """Count and share the classified rows beside the authority's population shares.

    Sections: ``input`` (rows read, classified, rejected by reason), ``national`` (each
    release × national group), ``ward`` (the rows' wards; population from the LSOA 2021
    best fit and the latest 2021-LSOA release) and ``tier:<tier>`` (each tier area;
    population from ``tier_members`` shares and the latest release on the tier's LSOAs).
    """
    rows, rej = result.classified, result.rejected
    n = len(rows)
    out = [
        _row("input", "", "read", "rows read", n + len(rej), n + len(rej), np.nan, np.nan),
        _row("input", "", "classified", "rows classified", n, n + len(rej), np.nan, np.nan),
    ]
    for code, count in rej["reason_code"].value_counts().sort_index().items():
        out.append(_row("input", "", f"rejected:{code}", REASONS[str(code)], count, n + len(rej),
                        np.nan, np.nan))  # fmt: skip
    for vintage, flags in result.flag_columns.items():
        layer = ref.layers[vintage]
        total = float(layer["population"].sum())
        rank = layer["imd_rank"]
        for p, col in flags.items():
            pop = float(layer.loc[rank <= VINTAGES[vintage].threshold_rank(p), "population"].sum())
            out.append(_row("national", vintage, f"{p:g}pct",
                            f"most deprived {p:g}% of LSOAs in England",
                            float(rows[col].fillna(False).sum()), n, pop, total))  # fmt: skip
    layer21 = ref.layer(2021).set_index("lsoa_code")["population"]
    lookup = ref.ward_lookup.loc[ref.ward_lookup["lsoa21_code"].isin(layer21.index)]
    ward_pop = lookup.assign(p=lookup["lsoa21_code"].map(layer21)).groupby("ward24_code")["p"].sum()
    ward_names = lookup.drop_duplicates("ward24_code").set_index("ward24_code")["ward24_name"]
    counts = rows["ward_code"].value_counts()
    for code in sorted(set(ward_pop.index) | set(counts.index)):
        out.append(_row(WARD.key, "", code, str(ward_names.get(code, code)),
                        float(counts.get(code, 0)), n, float(ward_pop.get(code, 0.0)),
                        float(layer21.sum())))  # fmt: skip
    out += _tier_summary(result, ref)
    return pd.DataFrame(out, columns=list(SUMMARY_COLUMNS))


def _tier_summary(result: Classification, ref: Reference) -> list[dict[str, object]]:
    rows, n = result.classified, len(result.classified)
    names = ref.areas.drop_duplicates(["tier", "area_code"]).set_index(["tier", "area_code"])
    out = []
    for tier in result.tiers:
        members = ref.members.loc[ref.members["tier"] == tier]
        year = 2021 if (members["lsoa_year"] == 2021).any() else 2011
        members = members.loc[members["lsoa_year"] == year]
        pop = ref.layer(year).set_index("lsoa_code")["population"]
        total = float(pop.sum())
        area_pop = (
            (members["share"] * members["lsoa_code"].map(pop)).groupby(members["area_code"]).sum()
        )
        counts = rows[f"tier_{tier}_code"].dropna().str.split("; ").explode().value_counts()
        for code in sorted(area_pop.index):
            name = str(names["area_name"].get((tier, code), code))
            out.append(_row(f"tier:{tier}", "", code, name, float(counts.get(code, 0)), n,
                            float(area_pop[code]), total))  # fmt: skip
    return out
