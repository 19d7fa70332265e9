"""The authority's outline (union of its LSOAs), against which drawn areas are checked."""

from geo.core.io import read_geoparquet, write_parquet
from geo.core.logs import logged
from geo.inputs.neighbourhoods import authority_outline

with logged(snakemake.log[0]):
    write_parquet(authority_outline(read_geoparquet(snakemake.input[0])), snakemake.output[0])
