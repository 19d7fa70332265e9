# The static map site (issue 5): class breaks of the continuous map layers, then every page,
# its data and the downloads, built from the outputs of the other rule files. Offline: every
# asset is vendored; the optional base tiles (config site.tiles) are the only remote requests.

from geo.presentation.site.inputs import site_downloads

SITE_TIERS = list(TIER_PLAN.registry.keys)
SITE_RANK_PAIRS = list(zip(sorted(VINTAGES), sorted(VINTAGES)[1:]))
SITE_DOWNLOADS = site_downloads(
    registry=TIER_PLAN.registry,
    tiers=SITE_TIERS, vintages=sorted(VINTAGES), rank_pairs=SITE_RANK_PAIRS
)
SITE_SUMMARIES = expand("data/processed/summaries/{tier}.csv", tier=SITE_TIERS)


rule build_classification_breaks:
    message:
        "Class the site's continuous map layers ({config[site][classification][scheme]}, "
        "k={config[site][classification][k]})"
    input:
        layers=LSOA_LAYERS,
        summaries=SITE_SUMMARIES,
    output:
        "data/processed/classification_breaks.csv",
    log:
        "logs/build_classification_breaks.log",
    benchmark:
        "benchmarks/results/build_classification_breaks.tsv"
    params:
        vintages=VINTAGES,
        tiers=SITE_TIERS,
        scheme=config["site"]["classification"]["scheme"],
        k=config["site"]["classification"]["k"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_classification_breaks.py"


rule build_site:
    message:
        "Build the static map site of {config[lad_code]}: every tier's pages, downloads, search"
    input:
        layers=LSOA_LAYERS,
        membership=rules.build_lsoa_membership.output.membership,
        members=rules.build_lsoa_membership.output.members,
        areas=rules.build_lsoa_membership.output.areas,
        crosswalk=rules.build_lsoa_membership.output.crosswalk,
        summaries=SITE_SUMMARIES,
        tier_gpkgs=expand("data/processed/tiers/{tier}.gpkg", tier=SITE_TIERS),
        drawn_fit=rules.build_drawn_neighbourhoods.output.fit,
        rank_changes=RANK_CHANGE_TARGETS,
        headlines=rules.build_headlines.output[0],
        breaks=rules.build_classification_breaks.output[0],
        registry="data/registry.yaml",
        downloads=sorted({d.source for d in SITE_DOWNLOADS}),
        profiles=rules.build_profile_pages.output[0],
        lsoa_changes=rules.build_facts.output.lsoa_changes,
        area_ranks=rules.build_facts.output.area_ranks,
    output:
        directory("site"),
    log:
        "logs/build_site.log",
    benchmark:
        "benchmarks/results/build_site.tsv"
    params:
        lad_code=config["lad_code"],
        vintages=VINTAGES,
        tiers=SITE_TIERS,
        rank_pairs=SITE_RANK_PAIRS,
        site=config["site"],
        downloads=SITE_DOWNLOADS,
        neighbourhood_folder=f"{NEIGHBOURHOOD_DIR}/",
        priority_vintage=config["tiers"]["priority_vintage"],
        tier_config=TIER_CONFIG,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_site.py"

