"""Each LSOA-based priority neighbourhood (national 1% LSOA) beside its drawn one."""

from geo.core.io import read_csv, read_geoparquet, write_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.statistics.apportion import build_comparison, read_postcode_points

with logged(snakemake.log[0]):
    p = snakemake.params
    points = None
    if p.postcodes:
        points = read_postcode_points(snakemake.input.postcodes, crs=p.crs, source=p.postcodes)
    table = build_comparison(
        {int(v): read_geoparquet(path) for v, path in keyed(snakemake.input, "layer").items()},
        priority_vintage=int(p.priority_vintage),
        fit=read_csv(snakemake.input.fit, dtype={"area_code": "str"}),
        tier=read_csv(snakemake.input.summaries, dtype={"area_code": "str"}),
        points=points,
        method=p.method,
        threshold=float(p.threshold),
        membership=read_csv(snakemake.input.membership),
    )
    write_csv(table, snakemake.output[0])
