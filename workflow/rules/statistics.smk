# Stage 3, statistics and facts: headlines, the official summary measures and map layers of
# every tier (drawn neighbourhoods included), rank changes, England's measures, indicators,
# the watchlist, the facts the pages phrase, and the authority beside its peers.


rule build_headlines:
    message:
        "Headline figures for {config[lad_code]} and its rank among all authorities"
    input:
        **by_vintage("table", national_table),
    output:
        "data/processed/headlines.csv",
    log:
        "logs/build_headlines.log",
    benchmark:
        "benchmarks/results/build_headlines.tsv"
    params:
        lad_code=config["lad_code"],
        thresholds=config["thresholds"],
        vintages=VINTAGES,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_headlines.py"


rule build_tiers:
    message:
        "Summary measures and map layers of every tier of {config[lad_code]}: "
        + ", ".join(TIER_PLAN.lsoa_tiers)
    input:
        unpack(lambda w: WARD_DISPLAY),
        **by_vintage("layer", lsoa_layer),
        members=rules.build_lsoa_membership.output.members,
        areas=rules.build_lsoa_membership.output.areas,
        registry=GPKG_REGISTRY,
    output:
        summaries=expand("data/processed/summaries/{tier}.csv", tier=TIER_PLAN.lsoa_tiers),
        gpkg=expand("data/processed/tiers/{tier}.gpkg", tier=TIER_PLAN.lsoa_tiers),
    log:
        "logs/build_tiers.log",
    benchmark:
        "benchmarks/results/build_tiers.tsv"
    params:
        vintages=VINTAGES,
        tiers=TIER_PLAN.lsoa_tiers,
        tier_config=TIER_CONFIG,
        thresholds=config["thresholds"],
        priority_vintage=config["tiers"]["priority_vintage"],
        priority_ward_order=config["tiers"]["priority_ward_order"],
        ward_boundaries=TIER_PLAN.ward_boundaries,
        ward_shapes=WARD_SHAPES,
        crs=config["crs"],
        gpkg_style=GPKG_STYLE,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_tiers.py"


wildcard_constraints:
    vintage_from=r"\d{4}",
    vintage_to=r"\d{4}",


rule build_rank_changes:
    message:
        "Rank changes of the most deprived LSOAs of {config[lad_code]}, "
        "IoD{wildcards.vintage_from} to IoD{wildcards.vintage_to}"
    input:
        table_from="data/interim/imd{vintage_from}_england.parquet",
        table_to="data/interim/imd{vintage_to}_england.parquet",
        membership=rules.build_lsoa_membership.output.membership,
        crosswalk=lambda w: (
            LSOA01_LINKS
            if IOD[int(w.vintage_from)].lsoa_year == 2001
            else rules.build_lsoa_membership.output.crosswalk
        ),
    output:
        "data/processed/rank_changes_{vintage_from}_{vintage_to}.csv",
    log:
        "logs/build_rank_changes/{vintage_from}_{vintage_to}.log",
    benchmark:
        "benchmarks/results/build_rank_changes/{vintage_from}_{vintage_to}.tsv"
    params:
        percent=config["thresholds"]["most_deprived_1pct"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_rank_changes.py"


rule build_drawn_neighbourhoods:
    message:
        "drawn_neighbourhood tier ({params.method}-weighted) and its fit to the LSOAs"
    input:
        neighbourhoods=expand(VALIDATED, nb_file=NEIGHBOURHOOD_FILES),
        shares=expand(SHARES, nb_file=NEIGHBOURHOOD_FILES),
        **by_vintage("layer", lsoa_layer),
        registry=GPKG_REGISTRY,
    output:
        gpkg="data/processed/tiers/drawn_neighbourhood.gpkg",
        csv="data/processed/summaries/drawn_neighbourhood.csv",
        fit="data/processed/drawn_neighbourhood_fit.csv",
    log:
        "logs/build_drawn_neighbourhoods.log",
    benchmark:
        "benchmarks/results/build_drawn_neighbourhoods.tsv"
    params:
        vintages=VINTAGES,
        method=NEIGHBOURHOODS["apportion"],
        threshold=NEIGHBOURHOODS["fit_threshold"],
        allow_overlaps=NEIGHBOURHOODS["allow_overlaps"],
        gpkg_style=GPKG_STYLE,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_drawn_neighbourhoods.py"


rule build_drawn_vs_lsoa:
    message:
        "Compare each IoD{params.priority_vintage} priority LSOA with its drawn neighbourhood"
    input:
        unpack(lambda w: POSTCODE_INPUT),
        **by_vintage("layer", lsoa_layer),
        fit=rules.build_drawn_neighbourhoods.output.fit,
        summaries=rules.build_drawn_neighbourhoods.output.csv,
        membership="data/processed/lsoa_membership.csv",
    output:
        "data/processed/drawn_vs_lsoa_neighbourhoods.csv",
    log:
        "logs/build_drawn_vs_lsoa.log",
    benchmark:
        "benchmarks/results/build_drawn_vs_lsoa.tsv"
    params:
        vintages=VINTAGES,
        priority_vintage=PRIORITY_VINTAGE,
        method=NEIGHBOURHOODS["apportion"],
        threshold=NEIGHBOURHOODS["fit_threshold"],
        crs=config["crs"],
        postcodes=NEIGHBOURHOODS["postcodes"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_drawn_vs_lsoa.py"


rule build_england_summary:
    message:
        "England's summary measures in every release (the profiles' national column)"
    input:
        **by_vintage("table", national_table),
    output:
        "data/processed/england_summary.csv",
    log:
        "logs/build_england_summary.log",
    benchmark:
        "benchmarks/results/build_england_summary.tsv"
    params:
        vintages=VINTAGES,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_england_summary.py"


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
                **by_vintage("layer", lsoa_layer),
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


rule build_indicator_links:
    message:
        "Link MSOA 2011/2021 and authority-level indicator areas to the LSOAs of {config[lad_code]}"
    input:
        **by_vintage("layer", lsoa_layer),
        population21=raw("census2021_population"),
        msoa11_lookup=raw("lookup_lsoa11_msoa11"),
        msoa21_names=raw("msoa21_names"),
    output:
        "data/interim/indicator_links.parquet",
    log:
        "logs/build_indicator_links.log",
    benchmark:
        "benchmarks/results/build_indicator_links.tsv"
    params:
        lad_code=config["lad_code"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_indicator_links.py"


rule aggregate_indicator:
    message:
        "Aggregate {wildcards.indicator} to every tier (drawn neighbourhoods too) by summing counts"
    wildcard_constraints:
        indicator="|".join(INDICATOR_NAMES),
    input:
        registry=INDICATOR_REGISTRY,
        indicator="data/processed/indicators/{indicator}.csv",
        members=rules.build_lsoa_membership.output.members,
        areas=rules.build_lsoa_membership.output.areas,
        links=rules.build_indicator_links.output[0],
        # drawn neighbourhoods take the LSOA shares their population was apportioned by
        drawn_fit=rules.build_drawn_neighbourhoods.output.fit,
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


# DWP series published both by MSOA and by local authority: checked against each other
PUBLISHED_TOTALS = {
    "children_low_income": ("dwp_cilif_msoa21", "dwp_cilif_ltla"),
    "universal_credit_households": ("dwp_uc_households_msoa21", "dwp_uc_households_ltla"),
}


if PUBLISHED_TOTAL_CHECKS:

    rule check_published_totals:
        message:
            "Check the MSOA sums of the DWP series against DWP's totals for {config[lad_code]}"
        input:
            layer=lsoa_layer(LSOA21_VINTAGE),
            msoa21_names=raw("msoa21_names"),
            **{f"{n}_msoa": raw(m) for n, (m, _) in PUBLISHED_TOTALS.items()},
            **{f"{n}_ltla": raw(l) for n, (_, l) in PUBLISHED_TOTALS.items()},
        output:
            "data/processed/indicators/published_total_checks.csv",
        log:
            "logs/check_published_totals.log",
        benchmark:
            "benchmarks/results/check_published_totals.tsv"
        params:
            series=list(PUBLISHED_TOTALS),
        threads: 1
        resources:
            mem_mb=2000,
            runtime=10,
        conda:
            "../../environment.yml"
        script:
            "../scripts/check_published_totals.py"


rule build_indicator_downloads:
    message:
        "Every indicator of each tier in one CSV, with method and estimate flags"
    input:
        registry=INDICATOR_REGISTRY,
        tables=expand("data/processed/indicators/{indicator}_by_tier.csv", indicator=INDICATOR_NAMES),
    output:
        INDICATOR_DOWNLOADS,
    log:
        "logs/build_indicator_downloads.log",
    benchmark:
        "benchmarks/results/build_indicator_downloads.tsv"
    params:
        indicators=INDICATOR_NAMES,
        tiers=INDICATOR_TIERS,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_indicator_downloads.py"


rule build_england_indicators:
    message:
        "England's figure of the indicators whose sources cover all of England"
    input:
        registry=INDICATOR_REGISTRY,
        **{name: raw(name) for name in ENGLAND_DATASETS},
    output:
        "data/processed/indicators/england.csv",
    log:
        "logs/build_england_indicators.log",
    benchmark:
        "benchmarks/results/build_england_indicators.tsv"
    params:
        indicators=ENGLAND_INDICATORS,
        datasets=ENGLAND_DATASETS,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_england_indicators.py"


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


rule build_watchlist_trends:
    message:
        "Trends: each area's change in {params.rules[indicator]} over the configured windows against the city's"
    input:
        registry=INDICATOR_REGISTRY,
        table=f"data/processed/indicators/{TRENDS['indicator']}_by_tier.csv",
    output:
        "data/processed/watchlist_trends.csv",
    log:
        "logs/build_watchlist_trends.log",
    benchmark:
        "benchmarks/results/build_watchlist_trends.tsv"
    params:
        rules=TRENDS,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_watchlist_trends.py"


rule build_watchlist:
    message:
        "Watchlist: LSOAs near the national thresholds, worsened ranks, areas that moved"
    input:
        **by_vintage("layer", lsoa_layer),
        # the authority's LSOA 2011 -> 2021 links, built once by build_lsoa_membership
        crosswalk=rules.build_lsoa_membership.output.crosswalk,
        membership=rules.build_lsoa_membership.output.membership,
        members=rules.build_lsoa_membership.output.members,
        areas=rules.build_lsoa_membership.output.areas,
        summaries=expand("data/processed/summaries/{tier}.csv", tier=WATCHED_TIERS),
        **({"lsoa01_links": LSOA01_LINKS} if LSOA01_VINTAGES else {}),
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
        **by_vintage("layer", lsoa_layer),
        crosswalk=rules.build_lsoa_membership.output.crosswalk,
        summaries=expand("data/processed/summaries/{tier}.csv", tier=TIER_PLAN.registry.keys),
        **({"lsoa01_links": LSOA01_LINKS} if LSOA01_VINTAGES else {}),
    output:
        lsoa_changes="data/processed/facts/lsoa_changes.csv",
        long_run="data/processed/facts/lsoa_long_run.csv",
        area_ranks="data/processed/facts/area_ranks.csv",
        area_standouts="data/processed/facts/area_standouts.csv",
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


rule build_peers:
    message:
        "Summary measures of every authority; {config[lad_code]} beside its peers, and the most similar authorities"
    input:
        **by_vintage("table", national_table),
    output:
        national="data/processed/authority_summaries.csv",
        peers="data/processed/peers.csv",
        similar="data/processed/similar_authorities.csv",
        svg="data/processed/peers.svg",
        html="data/processed/peers.html",
    log:
        "logs/build_peers.log",
    benchmark:
        "benchmarks/results/build_peers.tsv"
    params:
        lad_code=config["lad_code"],
        vintages=VINTAGES,
        peers=config["peers"]["authorities"],
        similar_count=config["peers"]["similar_count"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_peers.py"
