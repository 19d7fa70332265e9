"""Every authority's summary measures; the authority beside its peers and its look-alikes."""

from pathlib import Path

from geo.core.io import atomic_path, read_parquet, write_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.presentation.peers_page import peers_chart_svg, peers_page_html
from geo.statistics.peers import (
    authority_measures,
    authority_summaries,
    peer_table,
    similar_authorities,
)

with logged(snakemake.log[0]):
    p = snakemake.params
    paths = keyed(snakemake.input, "table")
    measures = {v: authority_measures(read_parquet(path), vintage=v) for v, path in paths.items()}
    table = peer_table(measures, lad_code=p.lad_code, peers=p.peers)
    similar = similar_authorities(measures, lad_code=p.lad_code, count=p.similar_count)
    svg = peers_chart_svg(table)
    write_csv(authority_summaries(measures), snakemake.output.national)
    write_csv(table, snakemake.output.peers)
    write_csv(similar, snakemake.output.similar)
    for key, text in (("svg", svg), ("html", peers_page_html(table, similar, svg=svg))):
        with atomic_path(snakemake.output[key]) as tmp:
            Path(tmp).write_text(text, encoding="utf-8")
