"""Summary measures and map layers of every tier: one CSV and one GeoPackage per tier."""

from geo.io import read_geoparquet, read_parquet, write_csv, write_gpkg
from geo.logs import logged
from geo.tiers import build_tiers
from geo.wards import read_ward_boundaries

with logged(snakemake.log[0]):
    p, i, o = snakemake.params, snakemake.input, snakemake.output
    layers = {int(v): read_geoparquet(path) for v, path in zip(p.vintages, i.layers, strict=True)}
    areas = read_parquet(i.areas)
    boundaries = None
    if p.ward_boundaries:
        wards = areas.loc[areas["tier"] == "ward", ["area_code", "area_name"]]
        boundaries = read_ward_boundaries(
            i.ward_boundaries,
            wards=wards.set_axis(["ward_code", "ward_name"], axis=1),
            crs=p.crs,
            source=f"{i.ward_boundaries} (dataset {p.ward_boundaries})",
        )
    tiers = build_tiers(
        layers,
        members=read_parquet(i.members),
        areas=areas,
        priority_vintage=int(p.priority_vintage),
        priority_ward_order=p.priority_ward_order,
        ward_boundaries=boundaries,
        display_source=f"ward display boundaries (dataset {p.ward_boundaries})",
    )
    for tier, csv, gpkg in zip(p.tiers, o.summaries, o.gpkg, strict=True):
        write_csv(tiers[tier].summary, csv)
        write_gpkg(tiers[tier].layers, gpkg)
