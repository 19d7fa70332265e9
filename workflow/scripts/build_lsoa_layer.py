"""Join the authority's LSOA boundaries to one vintage's national IoD table."""

from geo.io import read_parquet, write_parquet
from geo.logs import logged
from geo.lsoa import authority_lsoas, build_lsoa_layer, read_lsoa_boundaries

with logged(snakemake.log[0]):
    p = snakemake.params
    national = read_parquet(snakemake.input.table)
    vintage = int(snakemake.wildcards.vintage)
    mine = authority_lsoas(
        national, lad_code=p.lad_code, vintage=vintage, source=snakemake.input.table
    )
    codes = sorted(mine["lsoa_code"])
    boundaries = read_lsoa_boundaries(
        snakemake.input.boundaries,
        codes,
        source=f"{snakemake.input.boundaries} (dataset {p.boundary_dataset})",
        repair=p.repair_invalid,
    )
    layer = build_lsoa_layer(
        national,
        boundaries,
        lad_code=p.lad_code,
        vintage=vintage,
        thresholds=p.thresholds,
        crs=p.crs,
        source=snakemake.input.table,
    )
    write_parquet(layer, snakemake.output[0])
