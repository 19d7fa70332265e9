"""Print every area profile of the built site to A4 PDF with headless Chromium."""

from geo.core.logs import logged
from geo.presentation.profiles.pdf import export_pdfs

with logged(snakemake.log[0]):
    p = snakemake.params
    export_pdfs(
        snakemake.input.site,
        snakemake.output[0],
        chromium=p.chromium,
        max_pages=int(p.max_pages),
    )
