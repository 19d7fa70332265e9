# Stage 4, presentation: class breaks of the map layers, the profile pages, the static map site
# (offline: every asset vendored; optional base tiles the only remote requests), PDFs on
# request, and the downloads for QGIS and spreadsheets (project, workbooks, CSVW metadata).


rule build_classification_breaks:
    message:
        "Class the site's continuous map layers ({config[site][classification][scheme]}, "
        "k={config[site][classification][k]})"
    input:
        **by_vintage("layer", lsoa_layer),
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


rule build_profile_pages:
    message:
        "Area profiles of {config[lad_code]} ({params.profiles[tiers]}) and the watchlist page"
    input:
        **by_vintage("layer", lsoa_layer),
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
        **TRENDS_INPUT,
        england_indicators="data/processed/indicators/england.csv",
        lsoa_changes=rules.build_facts.output.lsoa_changes,
        area_standouts=rules.build_facts.output.area_standouts,
    output:
        directory(PROFILE_PAGES),
    log:
        "logs/build_profile_pages.log",
    benchmark:
        "benchmarks/results/build_profile_pages.tsv"
    threads: workflow.cores  # the profile pages (their charts) are rendered in parallel
    params:
        postcodes=bool(POSTCODE_INPUT),
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


rule build_site:
    message:
        "Build the static map site of {config[lad_code]}: every tier's pages, downloads, search"
    input:
        **by_vintage("layer", lsoa_layer),
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
        **POSTCODE_INPUT,
        place_names=raw("msoa21_names"),
        centroids=raw("lsoa21_pwc"),
        authorities=rules.build_peers.output.national,
        authority_shapes=AUTHORITY_SHAPES,
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


from geo.presentation.site.inputs import QGIS_PROJECT, WORKBOOK_DIR

PACKAGE_GPKGS = {
    **{t: f"data/processed/tiers/{t}.gpkg" for t in SITE_TIERS},
    "lsoa_imd": rules.build_lsoa_outputs.output.gpkg,
}
WORKBOOKS = {
    "lsoa_imd": list(rules.build_lsoa_outputs.output.csv),
    **{t: [f"data/processed/summaries/{t}.csv"] for t in SITE_TIERS},
}
CSV_OUTPUTS = sorted(
    {
        *rules.build_lsoa_outputs.output.csv,
        *rules.build_headlines.output,
        rules.build_lsoa_membership.output.membership,
        *SITE_SUMMARIES,
        rules.build_drawn_neighbourhoods.output.fit,
        *rules.build_drawn_vs_lsoa.output,
        *RANK_CHANGE_TARGETS,
        *PROFILE_OUTPUTS,
        *expand("data/processed/indicators/{indicator}.csv", indicator=INDICATOR_NAMES),
        *rules.build_classification_breaks.output,
        *rules.build_england_summary.output,
        *rules.build_facts.output,
        rules.build_peers.output.national,
        rules.build_peers.output.peers,
        rules.build_peers.output.similar,
        *WARD_SHAPE_OUTPUTS,
    }
)


rule build_qgis_project:
    message:
        "QGIS project of every GeoPackage layer of {config[lad_code]}, relative paths"
    input:
        **PACKAGE_GPKGS,
    output:
        processed=f"data/processed/{QGIS_PROJECT}",
        downloads=f"data/interim/downloads/{QGIS_PROJECT}",
    log:
        "logs/build_qgis_project.log",
    benchmark:
        "benchmarks/results/build_qgis_project.tsv"
    params:
        names=list(PACKAGE_GPKGS),
        lad_code=config["lad_code"],
        tier_config=TIER_CONFIG,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_qgis_project.py"


rule build_workbooks:
    message:
        "XLSX workbooks (a sheet per release and a data dictionary) of {params.names}"
    input:
        **WORKBOOKS,
    output:
        expand(f"{WORKBOOK_DIR}/{{name}}.xlsx", name=list(WORKBOOKS)),
    log:
        "logs/build_workbooks.log",
    benchmark:
        "benchmarks/results/build_workbooks.tsv"
    params:
        names=list(WORKBOOKS),
        lad_code=config["lad_code"],
        tier_config=TIER_CONFIG,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_workbooks.py"


rule build_csv_metadata:
    message:
        "CSVW metadata (column titles, descriptions, datatypes) of {params.files} CSV files"
    input:
        CSV_OUTPUTS,
    output:
        [f"{csv}-metadata.json" for csv in CSV_OUTPUTS],
    log:
        "logs/build_csv_metadata.log",
    benchmark:
        "benchmarks/results/build_csv_metadata.tsv"
    params:
        files=len(CSV_OUTPUTS),
        tier_config=TIER_CONFIG,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_csv_metadata.py"
