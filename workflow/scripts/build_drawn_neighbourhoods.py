"""The drawn_neighbourhood tier (GeoPackage layer per vintage, CSV) and the fit table."""

from geo.core.io import read_geoparquet, read_parquet, write_csv, write_gpkg
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.inputs.neighbourhoods import check_neighbourhoods
from geo.presentation.gis.gpkg import gpkg_finisher
from geo.statistics.apportion import build_drawn_tier

with logged(snakemake.log[0]):
    p = snakemake.params
    neighbourhoods = check_neighbourhoods(
        [read_geoparquet(path) for path in snakemake.input.neighbourhoods],
        allow_overlaps=p.allow_overlaps,
    )
    tiers, table, fit = build_drawn_tier(
        neighbourhoods,
        [read_parquet(path) for path in snakemake.input.shares],
        {int(v): read_geoparquet(path) for v, path in keyed(snakemake.input, "layer").items()},
        method=p.method,
        threshold=p.threshold,
    )
    write_gpkg(
        {f"imd{v}": tier for v, tier in tiers.items()},
        snakemake.output.gpkg,
        finish=gpkg_finisher(snakemake.input.registry, **p.gpkg_style),
    )
    write_csv(table, snakemake.output.csv)
    write_csv(fit, snakemake.output.fit)
