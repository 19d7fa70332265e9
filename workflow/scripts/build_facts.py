"""Facts between statistics and pages: LSOA changes between releases, areas' ranks in tiers."""

from geo.core.io import read_csv, read_parquet, write_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.model.releases import Thresholds
from geo.model.tiers import tier_registry
from geo.statistics.facts import area_ranks, area_standouts, lsoa_changes, lsoa_long_run
from geo.statistics.indicators.sources import read_lsoa_tables

with logged(snakemake.log[0]):
    p, i, o = snakemake.params, snakemake.input, snakemake.output
    layers = read_lsoa_tables(keyed(i, "layer"))
    crosswalk = read_parquet(i.crosswalk)
    links01 = read_parquet(i.lsoa01_links) if i.get("lsoa01_links") else None
    changes = lsoa_changes(
        layers,
        crosswalk=crosswalk,
        thresholds=Thresholds.from_config(p.thresholds),
        lsoa01_links=links01,
    )
    write_csv(lsoa_long_run(layers, crosswalk=crosswalk, lsoa01_links=links01), o.long_run)
    summaries = {
        t: read_csv(path, dtype={"area_code": "str"})
        for t, path in zip(p.tiers, i.summaries, strict=True)
    }
    write_csv(changes, o.lsoa_changes)
    tiers = tier_registry(p.tier_config)
    write_csv(area_ranks(summaries, tiers=tiers), o.area_ranks)
    write_csv(area_standouts(summaries, tiers=tiers), o.area_standouts)
