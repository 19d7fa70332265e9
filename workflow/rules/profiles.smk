# Area profiles' data: registered indicators (LSOA level and aggregated to every tier) and
# the watchlist. Indicator metadata lives in src/geo/statistics/indicators/registry.yaml.

INDICATOR_NAMES = [
    name
    for name, meta in INDICATORS.items()
    if name not in config["indicators"]["exclude"] and meta.covers(config["lad_code"])
]
# Summaries exist only for the tiers the authority has (tiers.smk); the others are skipped.
WATCHED_TIERS = [t for t in config["watchlist"]["tiers"] if t in TIER_PLAN.lsoa_tiers]
PARTITION_TIERS = [t.key for t in TIER_PLAN.registry if t.partitions]
PROFILE_OUTPUTS = [
    *expand("data/processed/indicators/{indicator}_by_tier.csv", indicator=INDICATOR_NAMES),
    "data/processed/indicators/catalogue.csv",
    "data/processed/watchlist.csv",
]


rule build_indicator:
    message:
        "Build the LSOA-level indicator {wildcards.indicator} for {config[lad_code]}"
    wildcard_constraints:
        indicator="|".join(INDICATOR_NAMES),
    input:
        # the indicator registry, the LSOA layers of every vintage and the indicator's datasets
        unpack(
            lambda w: {
                "registry": INDICATOR_REGISTRY,
                "layers": expand("data/interim/lsoa_imd{vintage}.parquet", vintage=VINTAGES),
                **{name: raw(name) for name in INDICATORS[w.indicator].datasets},
            }
        ),
    output:
        "data/processed/indicators/{indicator}.csv",
    log:
        "logs/build_indicator/{indicator}.log",
    benchmark:
        "benchmarks/results/build_indicator/{indicator}.tsv"
    params:
        vintages=VINTAGES,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_indicator.py"


rule aggregate_indicator:
    message:
        "Aggregate {wildcards.indicator} to every tier by summing numerators and denominators"
    wildcard_constraints:
        indicator="|".join(INDICATOR_NAMES),
    input:
        registry=INDICATOR_REGISTRY,
        indicator="data/processed/indicators/{indicator}.csv",
        members=rules.build_lsoa_membership.output.members,
        areas=rules.build_lsoa_membership.output.areas,
    output:
        "data/processed/indicators/{indicator}_by_tier.csv",
    log:
        "logs/aggregate_indicator/{indicator}.log",
    benchmark:
        "benchmarks/results/aggregate_indicator/{indicator}.tsv"
    params:
        partition_tiers=PARTITION_TIERS,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/aggregate_indicator.py"


rule build_indicator_catalogue:
    message:
        "List the built indicators with their metadata"
    input:
        registry=INDICATOR_REGISTRY,
        tables=expand("data/processed/indicators/{indicator}.csv", indicator=INDICATOR_NAMES),
    output:
        "data/processed/indicators/catalogue.csv",
    log:
        "logs/build_indicator_catalogue.log",
    benchmark:
        "benchmarks/results/build_indicator_catalogue.tsv"
    params:
        indicators=INDICATOR_NAMES,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_indicator_catalogue.py"


rule build_watchlist:
    message:
        "Watchlist: LSOAs near the national thresholds, worsened ranks, areas that moved"
    input:
        layers=expand("data/interim/lsoa_imd{vintage}.parquet", vintage=VINTAGES),
        # the authority's LSOA 2011 -> 2021 links, built once by build_lsoa_membership
        crosswalk=rules.build_lsoa_membership.output.crosswalk,
        membership=rules.build_lsoa_membership.output.membership,
        members=rules.build_lsoa_membership.output.members,
        areas=rules.build_lsoa_membership.output.areas,
        summaries=expand("data/processed/summaries/{tier}.csv", tier=WATCHED_TIERS),
    output:
        "data/processed/watchlist.csv",
    log:
        "logs/build_watchlist.log",
    benchmark:
        "benchmarks/results/build_watchlist.tsv"
    params:
        vintages=VINTAGES,
        thresholds=config["thresholds"],
        rules=config["watchlist"],
        tiers=WATCHED_TIERS,
        partition_tiers=PARTITION_TIERS,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_watchlist.py"


rule build_facts:
    message:
        "Facts for the pages: LSOA rank changes and threshold moves, areas' ranks in their tier"
    input:
        layers=expand("data/interim/lsoa_imd{vintage}.parquet", vintage=VINTAGES),
        crosswalk=rules.build_lsoa_membership.output.crosswalk,
        summaries=expand("data/processed/summaries/{tier}.csv", tier=TIER_PLAN.registry.keys),
    output:
        lsoa_changes="data/processed/facts/lsoa_changes.csv",
        area_ranks="data/processed/facts/area_ranks.csv",
    log:
        "logs/build_facts.log",
    benchmark:
        "benchmarks/results/build_facts.tsv"
    params:
        vintages=VINTAGES,
        tiers=list(TIER_PLAN.registry.keys),
        thresholds=config["thresholds"],
        tier_config=TIER_CONFIG,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_facts.py"
