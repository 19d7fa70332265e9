"""Link the indicator geographies (MSOA 2011/2021, the authority) to the authority's LSOAs."""

from geo.core.io import read_parquet, write_parquet
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.inputs.imd import census_population
from geo.statistics.indicators.geographies import links_from_layers

with logged(snakemake.log[0]):
    i = snakemake.input
    links = links_from_layers(
        {v: read_parquet(p) for v, p in keyed(i, "layer").items()},
        lad_code=snakemake.params.lad_code,
        census21=census_population(i.population21),
        msoa11_lookup=i.msoa11_lookup,
        msoa21_names=i.msoa21_names,
    )
    write_parquet(links, snakemake.output[0])
