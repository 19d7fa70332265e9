# Officer tools on request: classify a file of postcodes or points by deprivation (off unless
# classify.input is set; also the geo-classify command).

from pathlib import Path

CLASSIFY = config["classify"]
CLASSIFY_STEM = (
    f"{CLASSIFY['output_dir']}/{Path(CLASSIFY['input']).stem}" if CLASSIFY["input"] else None
)
CLASSIFY_TARGETS = (
    [f"{CLASSIFY_STEM}_{part}" for part in ("classified.csv", "rejected.csv", "summary.csv", "summary.html")]
    if CLASSIFY_STEM
    else []
)

if CLASSIFY_STEM:

    rule classify_sites:
        message:
            "Classify {input.sites} by deprivation (postcodes or points)"
        input:
            sites=CLASSIFY["input"],
            postcodes=raw(config["neighbourhoods"]["postcodes"]),
            ward_lookup=raw("lookup_lsoa21_ward24"),
            lsoa_changes=raw("lookup_lsoa11_lsoa21"),
            **by_vintage("layer", lsoa_layer),
            members="data/interim/tier_members.parquet",
            areas="data/interim/tier_areas.parquet",
            **({"lsoa01_links": LSOA01_LINKS} if LSOA01_VINTAGES else {}),
        output:
            classified=f"{CLASSIFY_STEM}_classified.csv",
            rejected=f"{CLASSIFY_STEM}_rejected.csv",
            summary=f"{CLASSIFY_STEM}_summary.csv",
            html=f"{CLASSIFY_STEM}_summary.html",
        log:
            "logs/classify_sites.log",
        benchmark:
            "benchmarks/results/classify_sites.tsv"
        params:
            lad_code=config["lad_code"],
            vintages=VINTAGES,
            passthrough=CLASSIFY["passthrough"],
            percents=CLASSIFY["national_percents"],
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        conda:
            "../../environment.yml"
        script:
            "../scripts/classify_sites.py"


rule classify:
    message:
        "Classify classify.input (set it in the config) by deprivation"
    input:
        CLASSIFY_TARGETS or "classify.input-is-not-set",
