"""Link every English LSOA 2001 to its LSOA 2011s, with population shares."""

from geo.core.io import write_parquet
from geo.core.logs import logged
from geo.geography.lsoa01 import link_shares
from geo.inputs.imd import read_denominators_2010, read_file6_2015
from geo.inputs.lsoa01 import read_lsoa01_lookup

with logged(snakemake.log[0]):
    i = snakemake.input
    pop01 = read_denominators_2010(i.population01).set_index("lsoa_code")["population"]
    pop11 = read_file6_2015(i.population11).set_index("lsoa_code")["population"]
    links = link_shares(
        read_lsoa01_lookup(i.lookup),
        population01=pop01,
        population11=pop11,
        source=i.lookup,
    )
    write_parquet(links, snakemake.output[0])
