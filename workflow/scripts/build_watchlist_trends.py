"""The watchlist's trends: each area's change over the windows against the city's."""

from geo.core.io import read_csv, write_csv
from geo.core.logs import logged
from geo.statistics.indicators import load_indicator_registry
from geo.statistics.trends import TrendRules, area_trends

with logged(snakemake.log[0]):
    rules = TrendRules.from_config(snakemake.params.rules)
    meta = load_indicator_registry(snakemake.input.registry)[rules.indicator]
    table = read_csv(snakemake.input.table, dtype={"area_code": "str", "period": "str"})
    write_csv(area_trends(table, meta, rules=rules), snakemake.output[0])
