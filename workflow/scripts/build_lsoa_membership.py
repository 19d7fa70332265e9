"""Assign the authority's LSOAs to wards and to the areas of every tier."""

from geo.core.io import read_geoparquet, read_parquet, write_csv, write_parquet
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.geography.membership import build_membership
from geo.inputs.imd import census_population
from geo.model.tiers import tier_registry

with logged(snakemake.log[0]):
    p, i, o = snakemake.params, snakemake.input, snakemake.output
    layers = {v: read_geoparquet(path) for v, path in keyed(i, "layer").items()}
    result = build_membership(
        layers,
        registry=tier_registry(p.tier_config),
        lad_code=p.lad_code,
        priority_vintage=int(p.priority_vintage),
        ward_lookup=i.ward_lookup,
        lsoa_changes=i.lsoa_changes,
        population11=read_parquet(i.population11),
        population21=census_population(i.population21),
        datasets=dict(p.datasets),
        local_names=i.get("local_names"),
        lsoa01_links=read_parquet(i.lsoa01_links) if i.get("lsoa01_links") else None,
    )
    write_parquet(result.members, o.members)
    write_parquet(result.areas, o.areas)
    write_parquet(result.crosswalk, o.crosswalk)
    write_csv(result.membership, o.membership)
