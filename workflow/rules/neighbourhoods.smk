# Hand-drawn "real geography" neighbourhoods (issue 4).
#
# Files in <neighbourhoods.dir>/<lad_code>/ (GeoJSON or GeoPackage, read at parse time) get
# one validation and one apportionment job each, so editing one file reruns only its own two
# jobs and the steps that combine all files. An authority with no folder (or an empty one)
# gets the same outputs with no neighbourhood rows, so later rules can rely on them.

from pathlib import Path

from geo.statistics.apportion import check_settings
from geo.inputs.neighbourhoods import neighbourhood_files

NEIGHBOURHOODS = check_settings(config["neighbourhoods"])
PRIORITY_VINTAGE = config["tiers"]["priority_vintage"]
NEIGHBOURHOOD_DIR = Path(NEIGHBOURHOODS["dir"]) / config["lad_code"]
NEIGHBOURHOOD_FILES = [p.name for p in neighbourhood_files(NEIGHBOURHOOD_DIR)]

# The registry file of postcode points, if one is configured.
POSTCODE_INPUT = (
    {"postcodes": raw(NEIGHBOURHOODS["postcodes"])} if NEIGHBOURHOODS["postcodes"] else {}
)

LSOA_LAYERS = expand("data/interim/lsoa_imd{vintage}.parquet", vintage=VINTAGES)
VALIDATED = "data/interim/neighbourhoods/validated/{nb_file}.parquet"
SHARES = "data/interim/neighbourhoods/shares/{nb_file}.parquet"


rule build_authority_outline:
    message:
        "Outline {config[lad_code]} (union of its LSOAs) to check drawn neighbourhoods against"
    input:
        f"data/interim/lsoa_imd{min(VINTAGES)}.parquet",
    output:
        "data/interim/authority_outline.parquet",
    log:
        "logs/build_authority_outline.log",
    benchmark:
        "benchmarks/results/build_authority_outline.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_authority_outline.py"


rule validate_neighbourhood_file:
    message:
        "Validate the drawn neighbourhoods in {input.file}"
    input:
        file=f"{NEIGHBOURHOOD_DIR}/{{nb_file}}",
        outline=rules.build_authority_outline.output[0],
    output:
        VALIDATED,
    log:
        "logs/validate_neighbourhood_file/{nb_file}.log",
    benchmark:
        "benchmarks/results/validate_neighbourhood_file/{nb_file}.tsv"
    wildcard_constraints:
        nb_file=r"[^/]+\.(?i:geojson|json|gpkg)",
    params:
        crs=config["crs"],
        repair_invalid=NEIGHBOURHOODS["repair_invalid"],
        outside_tolerance=NEIGHBOURHOODS["outside_tolerance"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/validate_neighbourhood_file.py"


rule apportion_neighbourhood_file:
    message:
        "Share of each LSOA inside the neighbourhoods of {wildcards.nb_file}, by area and by postcodes"
    input:
        unpack(lambda w: POSTCODE_INPUT),
        neighbourhoods=VALIDATED,
        layers=LSOA_LAYERS,
    output:
        SHARES,
    log:
        "logs/apportion_neighbourhood_file/{nb_file}.log",
    benchmark:
        "benchmarks/results/apportion_neighbourhood_file/{nb_file}.tsv"
    wildcard_constraints:
        nb_file=r"[^/]+\.(?i:geojson|json|gpkg)",
    params:
        vintages=VINTAGES,
        crs=config["crs"],
        postcodes=NEIGHBOURHOODS["postcodes"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/apportion_neighbourhood_file.py"


rule build_drawn_neighbourhoods:
    message:
        "drawn_neighbourhood tier ({params.method}-weighted) and its fit to the LSOAs"
    input:
        neighbourhoods=expand(VALIDATED, nb_file=NEIGHBOURHOOD_FILES),
        shares=expand(SHARES, nb_file=NEIGHBOURHOOD_FILES),
        layers=LSOA_LAYERS,
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
        layers=LSOA_LAYERS,
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
