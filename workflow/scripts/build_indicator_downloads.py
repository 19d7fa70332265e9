"""Every indicator of each tier in one CSV (the site's indicator downloads)."""

from geo.core.io import read_csv, write_csv
from geo.core.logs import logged
from geo.statistics.indicators import load_indicator_registry
from geo.statistics.indicators.downloads import tier_download

with logged(snakemake.log[0]):
    metas = load_indicator_registry(snakemake.input.registry)
    tables = {
        name: read_csv(path, dtype={"area_code": "str", "period": "str"})
        for name, path in zip(snakemake.params.indicators, snakemake.input.tables, strict=True)
    }
    for tier, path in zip(snakemake.params.tiers, snakemake.output, strict=True):
        write_csv(tier_download(tables, metas, tier=tier), path)
