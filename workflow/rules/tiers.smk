# Spatial tiers: LSOA -> ward / community committee / priority-area membership, the official
# IoD summary measures of every area, map layers, and rank-change tables between releases.

TIER_DATASETS = {name: raw(name) for name in TIER_PLAN.tier_datasets}
RANK_CHANGE_TARGETS = [
    f"data/processed/rank_changes_{a}_{b}.csv"
    for a, b in zip(sorted(VINTAGES), sorted(VINTAGES)[1:])
]


wildcard_constraints:
    vintage_from=r"\d{4}",
    vintage_to=r"\d{4}",


rule build_lsoa_membership:
    message:
        "Assign the LSOAs of {config[lad_code]} to wards, committees and priority areas"
    input:
        unpack(
            lambda w: {"local_names": raw(TIER_PLAN.local_names)} if TIER_PLAN.local_names else {}
        ),
        datasets=list(TIER_DATASETS.values()),
        layers=expand("data/interim/lsoa_imd{vintage}.parquet", vintage=VINTAGES),
        ward_lookup=raw("lookup_lsoa21_ward24"),
        lsoa_changes=raw("lookup_lsoa11_lsoa21"),
        # mid-2015 LSOA 2011 populations (IoD2019 File 6) apportion merged LSOAs
        population11="data/interim/imd2019_england.parquet",
        population21=raw("census2021_population"),
    output:
        members="data/interim/tier_members.parquet",
        areas="data/interim/tier_areas.parquet",
        crosswalk="data/interim/lsoa_crosswalk.parquet",
        membership="data/processed/lsoa_membership.csv",
    log:
        "logs/build_lsoa_membership.log",
    benchmark:
        "benchmarks/results/build_lsoa_membership.tsv"
    params:
        lad_code=config["lad_code"],
        vintages=VINTAGES,
        priority_vintage=config["tiers"]["priority_vintage"],
        tier_config=TIER_CONFIG,
        datasets=TIER_DATASETS,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_lsoa_membership.py"


rule build_tiers:
    message:
        "Summary measures and map layers of every tier of {config[lad_code]}: "
        + ", ".join(TIER_PLAN.lsoa_tiers)
    input:
        unpack(
            lambda w: (
                {"ward_boundaries": raw(TIER_PLAN.ward_boundaries)}
                if TIER_PLAN.ward_boundaries
                else {}
            )
        ),
        layers=expand("data/interim/lsoa_imd{vintage}.parquet", vintage=VINTAGES),
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


rule build_rank_changes:
    message:
        "Rank changes of the most deprived LSOAs of {config[lad_code]}, "
        "IoD{wildcards.vintage_from} to IoD{wildcards.vintage_to}"
    input:
        table_from="data/interim/imd{vintage_from}_england.parquet",
        table_to="data/interim/imd{vintage_to}_england.parquet",
        membership=rules.build_lsoa_membership.output.membership,
        crosswalk=rules.build_lsoa_membership.output.crosswalk,
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
