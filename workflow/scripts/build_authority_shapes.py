"""Every English local authority as a polygon, dissolved from the national LSOA 2021 coverage."""

from geo.core.io import write_parquet
from geo.core.logs import logged
from geo.geography.authorities import authority_shapes, read_inputs

with logged(snakemake.log[0]):
    p, i = snakemake.params, snakemake.input
    lsoas, lookup = read_inputs(i.boundaries, i.lookup)
    shapes = authority_shapes(lsoas, lookup, crs=p.crs, source=f"{i.boundaries} (dataset {p.boundaries})",
                              lookup_source=i.lookup)  # fmt: skip
    write_parquet(shapes, snakemake.output[0])
