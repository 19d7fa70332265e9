"""Facts between statistics and pages: LSOA changes between releases, areas' ranks in tiers."""

from geo.core.io import read_csv, read_parquet, write_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.model.releases import Thresholds
from geo.model.tiers import tier_registry
from geo.statistics.facts import area_ranks, area_standouts, lsoa_changes
from geo.statistics.indicators.sources import read_lsoa_tables

with logged(snakemake.log[0]):
    p, i, o = snakemake.params, snakemake.input, snakemake.output
    layers = read_lsoa_tables(keyed(i, "layer"))
    changes = lsoa_changes(
        layers, crosswalk=read_parquet(i.crosswalk), thresholds=Thresholds.from_config(p.thresholds)
    )
    summaries = {
        t: read_csv(path, dtype={"area_code": "str"})
        for t, path in zip(p.tiers, i.summaries, strict=True)
    }
    write_csv(changes, o.lsoa_changes)
    tiers = tier_registry(p.tier_config)
    write_csv(area_ranks(summaries, tiers=tiers), o.area_ranks)
    write_csv(area_standouts(summaries, tiers=tiers), o.area_standouts)
