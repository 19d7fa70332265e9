"""Join the authority's LSOA boundaries to one vintage's national IoD table."""

from geo.core.io import read_parquet, write_parquet
from geo.core.logs import logged
from geo.inputs.lsoa import build_lsoa_layer_from_file

with logged(snakemake.log[0]):
    p, i = snakemake.params, snakemake.input
    layer = build_lsoa_layer_from_file(
        read_parquet(i.table),
        i.boundaries,
        lad_code=p.lad_code,
        vintage=int(snakemake.wildcards.vintage),
        thresholds=p.thresholds,
        crs=p.crs,
        repair=p.repair_invalid,
        source=i.table,
        boundaries_source=f"{i.boundaries} (dataset {p.boundary_dataset})",
    )
    write_parquet(layer, snakemake.output[0])
