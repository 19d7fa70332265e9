"""Ward display shapes at the 20 m resolution of the LSOAs, built from Output Areas.

The published ward outlines available offline are super-generalised and further simplified
(about one vertex per kilometre of boundary), so they neither look right nor follow the LSOAs
the statistics use. The shapes built here follow the real ward boundary as closely as the
offline data allow:

1. each Output Area (2011, generalised clipped, the pieces the 20 m LSOAs are built from) is
   assigned to the May-2024 ward holding **most of the authority's NSPL postcodes inside it**
   (point in polygon on the postcode's latitude/longitude); equal counts go to the lower ward
   code (``oa_ward_method = "postcodes"``, ``oa_ward_postcode_share`` the winning share);
2. an Output Area with no postcode goes to the ward of the **LSOA 2021 holding its
   representative point**, by the ONS best-fit lookup (``oa_ward_method = "lsoa21_best_fit"``);
3. the Output Areas are cleaned into a coverage (``shapely.coverage_clean``) and dissolved per
   ward with ``shapely.coverage_union_all``; the shapes of groups of wards (committees) are
   dissolved from these by the tier code.

:func:`shape_agreement` reports, per ward, how the shape agrees with the published outline
and with the union of the ward's best-fit LSOAs (the area the statistics describe): the
intersection over union of the two areas (1 = identical) and the vertex density.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.core.checks import check_geometry, require_columns, require_unique, show
from geo.core.errors import GeoInputError, GeometryError
from geo.core.io import read_geoparquet, read_vector, vector_path
from geo.geography.coverage import clean_coverage, dissolve
from geo.geography.wards import city_wards, read_ward_best_fit, read_ward_boundaries
from geo.inputs.postcodes import read_nspl

logger = logging.getLogger(__name__)

ASSIGNMENT_COLUMNS = (
    "oa_code",
    "ward_code",
    "oa_ward_method",
    "oa_postcodes",
    "oa_ward_postcode_share",
)
"""Columns of :func:`assign_output_areas`."""

AGREEMENT_COLUMNS = (
    "ward_code", "ward_name", "output_areas", "output_areas_without_postcodes",
    "output_areas_split_by_postcodes", "ward_postcodes", "shape_km2", "official_km2",
    "agreement_official", "official_area_covered", "best_fit_km2", "agreement_best_fit",
    "vertices", "vertices_per_km", "official_vertices_per_km",
)  # fmt: skip
"""Columns of :func:`shape_agreement`."""

_OA_CODE_FIELDS = ("OA11CD", "oa11_code", "OA21CD", "oa21_code", "oa_code")


def read_output_areas(path: str, *, crs: str, source: str | None = None) -> gpd.GeoDataFrame:
    """Read Output Area polygons (``oa_code, geometry``), checked, repaired and projected.

    Raises:
        GeoInputError: no Output Area code field (the fields found are named).
        JoinError: a code appears twice.
        GeometryError: no CRS, or an empty or unrepairable geometry.

    """
    source = source or str(path)
    fields = list(pyogrio.read_info(vector_path(path))["fields"])
    field = next((f for f in _OA_CODE_FIELDS if f in fields), None)
    if field is None:
        msg = f"{source}: no Output Area code field; expected one of {_OA_CODE_FIELDS}, found {fields}"
        raise GeoInputError(msg)
    gdf = read_vector(path, columns=[field]).rename(columns={field: "oa_code"})
    require_unique(gdf, "oa_code", source=f"{source} field {field!r}")
    gdf = check_geometry(gdf, source=source, id_col="oa_code", repair=True).to_crs(crs)
    return gpd.GeoDataFrame(
        gdf.loc[:, ["oa_code", "geometry"]].sort_values("oa_code", ignore_index=True),
        geometry="geometry",
        crs=crs,
    )


def postcode_points(postcodes: pd.DataFrame, *, lad_code: str, crs: str) -> gpd.GeoDataFrame:
    """Return the authority's postcodes with coordinates as points (``postcode, ward_code``) in ``crs``.

    ``postcodes`` is :func:`geo.inputs.postcodes.read_nspl`; terminated postcodes (``doterm``
    set) and postcodes without coordinates are left out (counted in the log).
    """
    require_columns(postcodes, ["postcode", "lad_code", "ward_code", "lat", "long"],
                    source="postcode lookup")  # fmt: skip
    mine = postcodes.loc[postcodes["lad_code"] == lad_code]
    if "doterm" in mine:
        mine = mine.loc[mine["doterm"].isna()]
    located = mine.loc[mine["lat"].notna() & mine["long"].notna() & mine["ward_code"].notna()]
    logger.info(
        "%s: %d live postcodes, %d with coordinates and a ward", lad_code, len(mine), len(located)
    )
    points = gpd.points_from_xy(located["long"], located["lat"], crs="EPSG:4326")
    gdf = gpd.GeoDataFrame(
        located.loc[:, ["postcode", "ward_code"]].reset_index(drop=True),
        geometry=gpd.GeoSeries(points).reset_index(drop=True),
        crs="EPSG:4326",
    )
    return gdf.to_crs(crs)


def assign_output_areas(
    oas: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame,
    *,
    lsoa21: gpd.GeoDataFrame,
    best_fit: pd.DataFrame,
    wards: pd.DataFrame,
) -> pd.DataFrame:
    """Assign every Output Area to one ward (module docstring, steps 1 and 2).

    Args:
        oas: From :func:`read_output_areas`.
        points: From :func:`postcode_points` (same CRS).
        lsoa21: The authority's LSOA 2021 polygons (``lsoa_code, geometry``, same CRS).
        best_fit: ``lsoa21_code, ward_code`` (:func:`geo.geography.wards.read_ward_best_fit`).
        wards: The authority's wards (``ward_code, ward_name``).

    Returns:
        :data:`ASSIGNMENT_COLUMNS`, one row per Output Area, by code.

    Raises:
        GeoInputError: a postcode's ward is not one of the authority's wards; an Output Area
            without postcodes lies in no LSOA 2021 (named); a ward gets no Output Area.

    """
    foreign = sorted(set(points["ward_code"]) - set(wards["ward_code"]))
    if foreign:
        msg = f"postcode lookup field 'ward_code': ward(s) {show(foreign)} are not wards of the authority"
        raise GeoInputError(msg)
    hits = gpd.sjoin(points, oas, predicate="within", how="left")
    outside = hits.loc[hits["oa_code"].isna(), "postcode"]
    if not outside.empty:
        logger.info("%d postcode(s) lie in no Output Area (left out): %s", len(outside),
                    show(outside))  # fmt: skip
    counts = (
        hits.dropna(subset=["oa_code"]).groupby(["oa_code", "ward_code"]).size().rename("n")
    ).reset_index()
    counts["oa_postcodes"] = counts.groupby("oa_code")["n"].transform("sum")
    best = counts.sort_values(["oa_code", "n", "ward_code"], ascending=[True, False, True])
    best = best.drop_duplicates("oa_code")
    best = best.assign(
        oa_ward_method="postcodes", oa_ward_postcode_share=best["n"] / best["oa_postcodes"]
    )
    empty = oas.loc[~oas["oa_code"].isin(best["oa_code"])]
    fallback = pd.DataFrame(columns=list(ASSIGNMENT_COLUMNS))
    if not empty.empty:
        where = gpd.GeoDataFrame(
            {"oa_code": empty["oa_code"].to_numpy()},
            geometry=empty.geometry.representative_point().to_numpy(),
            crs=oas.crs,
        )
        inside = gpd.sjoin(where, lsoa21.loc[:, ["lsoa_code", "geometry"]], predicate="within")
        inside = inside.drop_duplicates("oa_code")
        lost = sorted(set(empty["oa_code"]) - set(inside["oa_code"]))
        if lost:
            msg = f"Output Area(s) {show(lost)} hold no postcode and lie in no LSOA 2021"
            raise GeoInputError(msg)
        fits = best_fit.rename(columns={"lsoa21_code": "lsoa_code"})[["lsoa_code", "ward_code"]]
        fallback = inside.merge(fits, on="lsoa_code", how="left", validate="m:1")
        nowhere = fallback.loc[fallback["ward_code"].isna(), "lsoa_code"]
        if not nowhere.empty:
            msg = f"ward best-fit lookup: no ward for LSOA 2021 {show(nowhere)}"
            raise GeoInputError(msg)
        fallback = fallback.assign(oa_ward_method="lsoa21_best_fit", oa_postcodes=0,
                                   oa_ward_postcode_share=np.nan)  # fmt: skip
        logger.info("%d Output Area(s) hold no postcode; assigned by their LSOA 2021's best "
                    "fit: %s", len(fallback), show(fallback["oa_code"]))  # fmt: skip
    out = pd.concat(
        [best.loc[:, list(ASSIGNMENT_COLUMNS)], fallback.loc[:, list(ASSIGNMENT_COLUMNS)]],
        ignore_index=True,
    )
    out["oa_postcodes"] = out["oa_postcodes"].astype("int64")
    out["oa_ward_postcode_share"] = out["oa_ward_postcode_share"].astype(float)
    none = sorted(set(wards["ward_code"]) - set(out["ward_code"]))
    if none:
        msg = f"no Output Area is assigned to ward(s) {show(none)}"
        raise GeoInputError(msg)
    split = int((out["oa_ward_postcode_share"] < 1).sum())
    logger.info("%d Output Areas assigned to %d wards (%d by postcodes, %d of them with "
                "postcodes in two or more wards)", len(out), out["ward_code"].nunique(),
                int((out["oa_ward_method"] == "postcodes").sum()), split)  # fmt: skip
    return out.sort_values("oa_code", ignore_index=True)


def build_ward_shapes(
    oas: gpd.GeoDataFrame, assignment: pd.DataFrame, *, wards: pd.DataFrame, source: str
) -> gpd.GeoDataFrame:
    """Dissolve the Output Areas of each ward as a coverage (module docstring, step 3).

    Returns:
        ``ward_code, ward_name, geometry`` (polygonal), by code.

    Raises:
        GeometryError: cleaning left an Output Area without polygon, the cleaned layer is not
            a valid coverage, or a ward's shape is not polygonal.

    """
    coverage = clean_coverage(oas, id_col="oa_code", source=source)
    members = assignment.rename(columns={"ward_code": "area_code", "oa_code": "lsoa_code"})
    shapes = dissolve(coverage, members.loc[:, ["area_code", "lsoa_code"]])
    # Cleaning can leave slivers as separate parts; drop parts under 1 m².
    geoms = [_drop_specks(g) for g in shapes.to_numpy()]
    bad = [c for c, g in zip(shapes.index, geoms, strict=True)
           if shapely.get_type_id(g) not in (3, 6) or shapely.is_empty(g)]  # fmt: skip
    if bad:
        msg = f"{source}: the dissolved shape of ward(s) {show(bad)} is not polygonal"
        raise GeometryError(msg)
    out = pd.DataFrame({"ward_code": shapes.index.to_numpy()}).merge(
        wards.loc[:, ["ward_code", "ward_name"]], on="ward_code", how="left", validate="1:1"
    )
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, crs=oas.crs), crs=oas.crs)


def _drop_specks(geom: shapely.Geometry, min_area: float = 1.0) -> shapely.Geometry:
    parts = [p for p in shapely.get_parts(geom) if shapely.area(p) >= min_area]
    if len(parts) == 1:
        return parts[0]
    return shapely.MultiPolygon(parts)


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    inter = shapely.area(shapely.intersection(a, b))
    union = shapely.area(shapely.union(a, b))
    return np.asarray(inter / union, dtype=float)


def _density(geoms: np.ndarray) -> np.ndarray:
    """Vertices per km of boundary."""
    return np.asarray(shapely.get_num_coordinates(geoms) / (shapely.length(geoms) / 1000.0))


def shape_agreement(
    shapes: gpd.GeoDataFrame,
    *,
    official: gpd.GeoDataFrame,
    best_fit: gpd.GeoSeries,
    assignment: pd.DataFrame,
) -> pd.DataFrame:
    """Agreement of each ward shape with the published outline and with its best-fit LSOAs.

    Args:
        shapes: From :func:`build_ward_shapes`.
        official: Published ward outlines (``ward_code, geometry``, same CRS).
        best_fit: Union of each ward's best-fit LSOAs, indexed by ward code (same CRS).
        assignment: From :func:`assign_output_areas`.

    Returns:
        :data:`AGREEMENT_COLUMNS`, one row per ward, by code. ``agreement_*`` is the area of
        the intersection over the area of the union (1 = the same area);
        ``official_area_covered`` the share of the published outline inside the shape.

    Raises:
        GeoInputError: a ward has no published outline or no best-fit LSOAs.

    """
    codes = shapes["ward_code"]
    off = official.set_index("ward_code").geometry.reindex(codes)
    fit = best_fit.reindex(codes)
    for name, series in (("published outline", off), ("best-fit LSOAs", fit)):
        if series.isna().any():
            msg = f"ward shape agreement: no {name} for ward(s) {show(codes[series.isna().to_numpy()])}"
            raise GeoInputError(msg)
    geoms, off_g, fit_g = shapes.geometry.to_numpy(), off.to_numpy(), fit.to_numpy()
    by_ward = assignment.groupby("ward_code")
    out = pd.DataFrame(
        {
            "ward_code": codes.to_numpy(),
            "ward_name": shapes["ward_name"].to_numpy(),
            "output_areas": by_ward.size().reindex(codes).to_numpy(),
            "output_areas_without_postcodes": by_ward["oa_postcodes"]
            .agg(lambda s: int((s == 0).sum()))
            .reindex(codes)
            .to_numpy(),
            "output_areas_split_by_postcodes": by_ward["oa_ward_postcode_share"]
            .agg(lambda s: int((s < 1).sum()))
            .reindex(codes)
            .to_numpy(),
            "ward_postcodes": by_ward["oa_postcodes"].sum().reindex(codes).to_numpy(),
            "shape_km2": shapely.area(geoms) / 1e6,
            "official_km2": shapely.area(off_g) / 1e6,
            "agreement_official": _iou(geoms, off_g),
            "official_area_covered": shapely.area(shapely.intersection(geoms, off_g))
            / shapely.area(off_g),
            "best_fit_km2": shapely.area(fit_g) / 1e6,
            "agreement_best_fit": _iou(geoms, fit_g),
            "vertices": shapely.get_num_coordinates(geoms),
            "vertices_per_km": _density(geoms),
            "official_vertices_per_km": _density(off_g),
        }
    )
    for col in out.select_dtypes("float").columns:
        out[col] = out[col].round(4)
    logger.info(
        "ward shapes: agreement with the published outline median %.3f (lowest %.3f, %s); "
        "with the best-fit LSOAs median %.3f (lowest %.3f, %s)",
        out["agreement_official"].median(), out["agreement_official"].min(),
        out["ward_name"].iloc[int(np.argmin(out["agreement_official"].to_numpy()))],
        out["agreement_best_fit"].median(), out["agreement_best_fit"].min(),
        out["ward_name"].iloc[int(np.argmin(out["agreement_best_fit"].to_numpy()))],
    )  # fmt: skip
    return out.loc[:, list(AGREEMENT_COLUMNS)]


def ward_display_shapes(
    *,
    output_areas: str,
    postcodes: str,
    ward_lookup: str,
    lsoa21_layer: str,
    official: str,
    lad_code: str,
    crs: str,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame]:
    """Build the authority's ward shapes from its files (module docstring).

    Args:
        output_areas: Output Area polygons (:func:`read_output_areas`).
        postcodes: NSPL postcode lookup (:func:`geo.inputs.postcodes.read_nspl`).
        ward_lookup: ONS LSOA 2021 → ward best-fit lookup.
        lsoa21_layer: The authority's LSOA 2021 layer (GeoParquet, ``lsoa_code``).
        official: Published ward outlines (:func:`geo.geography.wards.read_ward_boundaries`).
        lad_code: The authority.
        crs: Projected CRS of the outputs.

    Returns:
        The shapes (``ward_code, ward_name, geometry``), the Output Area assignment
        (:data:`ASSIGNMENT_COLUMNS`) and the agreement table (:data:`AGREEMENT_COLUMNS`).

    """
    best_fit = read_ward_best_fit(ward_lookup)
    wards = city_wards(best_fit, lad_code=lad_code, source=ward_lookup)
    oas = read_output_areas(output_areas, crs=crs)
    lsoa21 = read_geoparquet(lsoa21_layer).to_crs(crs)
    points = postcode_points(read_nspl(postcodes), lad_code=lad_code, crs=crs)
    assignment = assign_output_areas(oas, points, lsoa21=lsoa21, best_fit=best_fit, wards=wards)
    shapes = build_ward_shapes(oas, assignment, wards=wards, source=output_areas)
    lsoa_cover = clean_coverage(lsoa21, id_col="lsoa_code", source=lsoa21_layer)
    fits = best_fit.loc[best_fit["lsoa21_code"].isin(lsoa_cover.index)]
    union = dissolve(lsoa_cover, fits.rename(columns={"ward_code": "area_code",
                                                      "lsoa21_code": "lsoa_code"}))  # fmt: skip
    outline = read_ward_boundaries(official, wards=wards, crs=crs)
    agreement = shape_agreement(shapes, official=outline, best_fit=union, assignment=assignment)
    return shapes, assignment, agreement


__all__ = [
    "AGREEMENT_COLUMNS", "ASSIGNMENT_COLUMNS", "assign_output_areas", "build_ward_shapes",
    "postcode_points", "read_output_areas", "shape_agreement", "ward_display_shapes",
]  # fmt: skip
