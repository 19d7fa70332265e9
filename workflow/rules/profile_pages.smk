# Area profiles (issue 6): England's summary measures (the national column), one printable
# profile page per ward, committee and neighbourhood, the profiles index and the watchlist
# page, written for the site build to copy into site/; and, on request, every profile
# printed to PDF by headless Chromium.

PROFILE_SUMMARY_TIERS = [
    t.key for t in TIER_PLAN.registry
    if t.build == "authority" or t.key in config["profiles"]["tiers"]
]
PROFILE_PAGES = "data/interim/profile_pages"
PROFILE_PDFS = "data/processed/profiles_pdf"
PROFILE_PDF_TARGETS = [PROFILE_PDFS] if config["profiles"]["pdf"] else []


rule build_england_summary:
    message:
        "England's summary measures in every release (the profiles' national column)"
    input:
        expand("data/interim/imd{vintage}_england.parquet", vintage=VINTAGES),
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


rule build_profile_pages:
    message:
        "Area profiles of {config[lad_code]} ({params.profiles[tiers]}) and the watchlist page"
    input:
        layers=LSOA_LAYERS,
        summaries=expand("data/processed/summaries/{tier}.csv", tier=PROFILE_SUMMARY_TIERS),
        england=rules.build_england_summary.output[0],
        membership=rules.build_lsoa_membership.output.membership,
        members=rules.build_lsoa_membership.output.members,
        areas=rules.build_lsoa_membership.output.areas,
        crosswalk=rules.build_lsoa_membership.output.crosswalk,
        drawn_fit=rules.build_drawn_neighbourhoods.output.fit,
        registry=INDICATOR_REGISTRY,
        indicators=expand(
            "data/processed/indicators/{indicator}_by_tier.csv", indicator=INDICATOR_NAMES
        ),
        watchlist=rules.build_watchlist.output[0],
        lsoa_changes=rules.build_facts.output.lsoa_changes,
    output:
        directory(PROFILE_PAGES),
    log:
        "logs/build_profile_pages.log",
    benchmark:
        "benchmarks/results/build_profile_pages.tsv"
    threads: workflow.cores  # the profile pages (their charts) are rendered in parallel
    params:
        lad_code=config["lad_code"],
        vintages=VINTAGES,
        summary_tiers=PROFILE_SUMMARY_TIERS,
        indicators=INDICATOR_NAMES,
        profiles=config["profiles"],
        site=config["site"],
        rank_pairs=list(zip(sorted(VINTAGES), sorted(VINTAGES)[1:])),
        priority_vintage=config["tiers"]["priority_vintage"],
        tier_config=TIER_CONFIG,
        thresholds=config["thresholds"],
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_profile_pages.py"


rule export_profile_pdfs:
    message:
        "Print every area profile to A4 PDF with headless Chromium ({params.chromium})"
    input:
        site="site",
    output:
        directory(PROFILE_PDFS),
    log:
        "logs/export_profile_pdfs.log",
    benchmark:
        "benchmarks/results/export_profile_pdfs.tsv"
    params:
        chromium=config["profiles"]["chromium"],
        max_pages=config["profiles"]["max_print_pages"],
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        "../../environment.yml"
    script:
        "../scripts/export_profile_pdfs.py"
