# Downloads for QGIS and spreadsheets (issue 14): a QGIS project of every GeoPackage layer
# (the GeoPackages carry their own default styles and metadata, written where they are
# built), an XLSX workbook per tier and CSVW metadata beside every CSV output. The tiers
# and CSVs are those the other rule files build; nothing here lists them again.

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
