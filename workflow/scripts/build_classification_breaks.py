"""Class breaks of the site's continuous map layers (mapclassify), written beside the outputs."""

from geo.core.io import read_csv, read_geoparquet, write_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.presentation.site.classify import breaks_table, classify_site_layers

with logged(snakemake.log[0]):
    p, i = snakemake.params, snakemake.input
    lsoas = {v: read_geoparquet(path) for v, path in keyed(i, "layer").items()}
    summaries = {tier: read_csv(path) for tier, path in zip(p.tiers, i.summaries, strict=True)}
    classes = classify_site_layers(lsoas, summaries, scheme=p.scheme, k=int(p.k))
    write_csv(breaks_table(classes), snakemake.output[0])
