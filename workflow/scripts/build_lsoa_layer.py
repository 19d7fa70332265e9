"""Join the authority's LSOA boundaries to one vintage's national IoD table."""

from geo.io import read_parquet, write_parquet
from geo.logs import logged
from geo.lsoa import build_lsoa_layer, read_lsoa_boundaries

with logged(snakemake.log[0]):
    p = snakemake.params
    national = read_parquet(snakemake.input.table)
    codes = sorted(national.loc[national["lad_code"] == p.lad_code, "lsoa_code"])
    boundaries = read_lsoa_boundaries(
        snakemake.input.boundaries,
        codes,
        source=f"{snakemake.input.boundaries} (dataset {p.boundary_dataset})",
        repair=True,
    )
    layer = build_lsoa_layer(
        national,
        boundaries,
        lad_code=p.lad_code,
        vintage=int(snakemake.wildcards.vintage),
        thresholds=p.thresholds,
        crs=p.crs,
        source=snakemake.input.table,
    )
    write_parquet(layer, snakemake.output[0])
