"""Write lsoa_imd.gpkg (one layer per vintage) and one CSV per vintage."""

from geo.core.io import read_geoparquet, write_csv, write_gpkg
from geo.core.logs import logged
from geo.inputs.lsoa import to_ons
from geo.presentation.gis.gpkg import gpkg_finisher

with logged(snakemake.log[0]):
    vintages = [int(v) for v in snakemake.params.vintages]
    layers = {
        f"imd{v}": to_ons(read_geoparquet(path), v)
        for v, path in zip(vintages, snakemake.input.layers, strict=True)
    }
    finish = gpkg_finisher(snakemake.input.registry, **snakemake.params.gpkg_style)
    write_gpkg(layers, snakemake.output.gpkg, finish=finish)
    for layer, csv in zip(layers.values(), snakemake.output.csv, strict=True):
        write_csv(layer, csv)
