"""LSOA × IMD layers for one local authority: boundaries joined to the national tables.

The published national ranks are kept; the layer adds the national percentile
``ceil(rank / N × 100)`` and the flags ``in_national_1pct``, ``in_national_10pct`` and
``in_national_20pct`` (:data:`geo.model.releases.BANDS`).
On disk the identifying columns follow ONS naming (``LSOA11CD``, ``LSOA11NM``,
``LAD19CD``, ``LAD19NM``…); :func:`read_lsoa_layer` maps them back to the canonical names.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core.checks import check_geometry, merge_validated, require_unique, show
from geo.core.errors import GeoInputError
from geo.core.io import read_vector, vector_path
from geo.model.domains import IMD, decile_col, rank_col
from geo.model.releases import BANDS, DECILES, VINTAGES, Thresholds, Vintage

logger = logging.getLogger(__name__)

#: Property names that hold the LSOA code in the boundary files we know.
CODE_FIELDS = ("LSOA01CD", "LSOA11CD", "LSOA21CD", "lsoa11_code", "lsoa21_code", "lsoa_code")


def ons_names(vintage: int) -> dict[str, str]:
    """Canonical → ONS-style names of the identifying columns of ``vintage``'s layer."""
    v = VINTAGES[vintage]
    lsoa, lad = v.lsoa_geography, f"LAD{v.lad_year % 100:02d}"
    return {"lsoa_code": f"{lsoa}CD", "lsoa_name": f"{lsoa}NM", "lad_code": f"{lad}CD",
            "lad_name": f"{lad}NM"}  # fmt: skip


def authority_lsoas(
    national: pd.DataFrame, *, lad_code: str, vintage: int, source: str
) -> pd.DataFrame:
    """Rows of ``national`` in ``lad_code``; error naming the code if there are none."""
    sub = national.loc[national["lad_code"] == lad_code]
    if sub.empty:
        known = national[["lad_code", "lad_name"]].drop_duplicates().head(3)
        examples = ", ".join(f"{c} {n}" for c, n in known.itertuples(index=False))
        msg = (
            f"config lad_code: {lad_code!r} is not a local authority district of IoD{vintage} "
            f"({source}, field 'lad_code'); e.g. {examples}"
        )
        raise GeoInputError(msg)
    return sub.reset_index(drop=True)


def read_lsoa_boundaries(
    path: Path | str, codes: list[str], *, source: str, repair: bool
) -> gpd.GeoDataFrame:
    """Read the boundaries of ``codes`` from a local or national LSOA file, checked.

    Raises if the file lacks any of ``codes`` (naming them) or a geometry is unsound.
    """
    fields = pyogrio.read_info(vector_path(path))["fields"]
    field = next((f for f in CODE_FIELDS if f in fields), None)
    if field is None:
        msg = f"{source}: no LSOA code field; expected one of {CODE_FIELDS}, found {list(fields)}"
        raise GeoInputError(msg)
    quoted = ",".join(f"'{c}'" for c in codes)
    gdf = read_vector(path, where=f"{field} IN ({quoted})", columns=[field])
    gdf = gdf.rename(columns={field: "lsoa_code"})
    require_unique(gdf, "lsoa_code", source=f"{source} field {field!r}")
    missing = sorted(set(codes) - set(gdf["lsoa_code"]))
    if missing:
        msg = (
            f"{source}: boundaries missing for {len(missing)} of the authority's {len(codes)} "
            f"LSOAs (field {field!r}): {show(missing)}; use a national boundary dataset"
        )
        raise GeoInputError(msg)
    return check_geometry(gdf, source=source, id_col="lsoa_code", repair=repair)


def add_national_flags(
    df: pd.DataFrame, *, vintage: Vintage, thresholds: Mapping[str, float]
) -> pd.DataFrame:
    """Add ``national_percentile`` and ``in_national_<band>`` for every band (1%, 10%, 20%).

    A band at its official percent (10%, 20%) must agree with the published decile
    (decile 1, deciles 1–2).

    Raises:
        GeoInputError: the published decile disagrees with the rank (naming the LSOAs).

    """
    rank = df[rank_col(IMD.stem)].astype("int64")
    limits = Thresholds.from_config(thresholds)
    out = df.copy()
    out["national_percentile"] = vintage.percentile(rank.to_numpy()).astype("int64")
    for band in BANDS:
        out[f"in_national_{band}"] = rank <= limits.rank(band, vintage.n_national)
        top = DECILES.get(band)
        if top is None or limits.percent(band) != 10 * top:
            continue
        in_deciles = out[decile_col(IMD.stem)] <= top
        # the published deciles' own boundaries (IMD 2004-2010 end them at ceil(N d / 10))
        wrong = out.loc[in_deciles != (vintage.decile(rank.to_numpy()) <= top), "lsoa_code"]
        if not wrong.empty:
            deciles = "= 1" if top == 1 else f"<= {top}"
            msg = (
                f"IoD{vintage.year}: field 'imd_decile' {deciles} disagrees with 'imd_rank' <= "
                f"{limits.rank(band, vintage.n_national)} for LSOA(s) {show(wrong)}"
            )
            raise GeoInputError(msg)
        edge = out.loc[in_deciles & ~out[f"in_national_{band}"], "lsoa_code"]
        if not edge.empty:
            logger.info(
                "IoD%d: LSOA(s) %s in the published decile(s) 1-%d but beyond rank %d "
                "(deciles rounded up): not counted in the national %s",
                vintage.year, show(edge), top, limits.rank(band, vintage.n_national), band,
            )  # fmt: skip
    return out


def build_lsoa_layer(
    national: pd.DataFrame,
    boundaries: gpd.GeoDataFrame,
    *,
    lad_code: str,
    vintage: int,
    thresholds: Mapping[str, float],
    crs: str,
    source: str,
) -> gpd.GeoDataFrame:
    """Join an authority's LSOAs (from ``national``) 1:1 to their checked boundaries."""
    v = VINTAGES[vintage]
    table = authority_lsoas(national, lad_code=lad_code, vintage=vintage, source=source)
    table = add_national_flags(table, vintage=v, thresholds=thresholds)
    table["vintage"] = vintage
    # Per LSOA, from the national table (sources can differ by LSOA); kept as the last column.
    sources = (
        table.pop("population_source")
        if "population_source" in table
        else pd.Series(v.population_source, index=table.index)
    )
    table["population_source"] = sources
    shape_cols = [
        "lsoa_code",
        *(["geometry_method"] if "geometry_method" in boundaries else []),
        "geometry",
    ]
    joined = merge_validated(
        table, pd.DataFrame(boundaries[shape_cols]), on="lsoa_code",
        left_name=f"IoD{vintage} LSOAs of {lad_code}", right_name="boundaries",
        right_may_have_extra=False,
    )  # fmt: skip
    gdf = gpd.GeoDataFrame(joined, geometry="geometry", crs=boundaries.crs).to_crs(crs)
    logger.info(
        "IoD%d %s: %d LSOAs, %d in national 1%%, %d in national 10%%, %d in national 20%%; "
        "projected to %s", vintage, lad_code, len(gdf), gdf["in_national_1pct"].sum(),
        gdf["in_national_10pct"].sum(), gdf["in_national_20pct"].sum(), crs,
    )  # fmt: skip
    return gdf.sort_values("lsoa_code", ignore_index=True)


def build_lsoa_layer_from_file(
    national: pd.DataFrame,
    boundaries_path: Path | str,
    *,
    lad_code: str,
    vintage: int,
    thresholds: Mapping[str, float],
    crs: str,
    repair: bool,
    source: str,
    boundaries_source: str,
) -> gpd.GeoDataFrame:
    """Read the authority's LSOA boundaries from a file and join them to ``national``.

    :func:`read_lsoa_boundaries` (of the authority's codes in ``national``), then
    :func:`build_lsoa_layer`; ``source`` names the national table, ``boundaries_source``
    the boundary file in messages.
    """
    mine = authority_lsoas(national, lad_code=lad_code, vintage=vintage, source=source)
    boundaries = read_lsoa_boundaries(
        boundaries_path, sorted(mine["lsoa_code"]), source=boundaries_source, repair=repair
    )
    return build_lsoa_layer(
        national, boundaries, lad_code=lad_code, vintage=vintage, thresholds=thresholds,
        crs=crs, source=source,
    )  # fmt: skip


def to_ons(gdf: pd.DataFrame, vintage: int) -> pd.DataFrame:
    """Rename identifying columns to ONS style for writing."""
    return gdf.rename(columns=ons_names(vintage))


def read_lsoa_layer(path: Path | str, vintage: int) -> gpd.GeoDataFrame:
    """Read one vintage's layer of ``lsoa_imd.gpkg`` with canonical column names."""
    gdf = gpd.read_file(path, layer=f"imd{vintage}", engine="pyogrio")
    return gdf.rename(columns={v: k for k, v in ons_names(vintage).items()})
