"""Summary measures and map layers of every tier: one CSV and one GeoPackage per tier."""

from geo.core.io import read_geoparquet, read_parquet, write_csv, write_gpkg
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.model.tiers import tier_registry
from geo.presentation.gis.gpkg import gpkg_finisher
from geo.statistics.tiers import build_tiers, read_display_boundaries

with logged(snakemake.log[0]):
    p, i, o = snakemake.params, snakemake.input, snakemake.output
    registry = tier_registry(p.tier_config)
    layers = {v: read_geoparquet(path) for v, path in keyed(i, "layer").items()}
    areas = read_parquet(i.areas)
    tiers = build_tiers(
        layers,
        members=read_parquet(i.members),
        areas=areas,
        registry=registry,
        priority_vintage=int(p.priority_vintage),
        priority_ward_order=p.priority_ward_order,
        thresholds=p.thresholds,
        ward_boundaries=read_display_boundaries(
            i.get("ward_boundaries"), areas, registry=registry, crs=p.crs, dataset=p.ward_boundaries
        ),
        display_source=(
            "ward shapes from Output Areas assigned by postcodes (ward_shape_agreement.csv)"
            if p.ward_shapes
            else f"ward display boundaries (dataset {p.ward_boundaries})"
        ),
    )
    for tier, csv, gpkg in zip(p.tiers, o.summaries, o.gpkg, strict=True):
        write_csv(tiers[tier].summary, csv)
        write_gpkg(tiers[tier].layers, gpkg, finish=gpkg_finisher(i.registry, **p.gpkg_style))
