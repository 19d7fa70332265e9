"""Write lsoa_imd.gpkg (one layer per vintage) and one CSV per vintage."""

from geo.core.io import read_geoparquet, write_csv, write_gpkg
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.inputs.lsoa import to_ons
from geo.presentation.gis.gpkg import gpkg_finisher

with logged(snakemake.log[0]):
    layers = {
        f"imd{v}": to_ons(read_geoparquet(path), v)
        for v, path in keyed(snakemake.input, "layer").items()
    }
    finish = gpkg_finisher(snakemake.input.registry, **snakemake.params.gpkg_style)
    write_gpkg(layers, snakemake.output.gpkg, finish=finish)
    # the CSVs are listed in the order of config vintages, as params.vintages is
    for v, csv in zip(snakemake.params.vintages, snakemake.output.csv, strict=True):
        write_csv(layers[f"imd{v}"], csv)
