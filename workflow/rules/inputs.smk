# Stage 1, inputs and checks: the national IoD tables of each release, the authority's LSOA
# layers and their outputs, and the validation of each hand-drawn neighbourhood file (read at
# parse time from <neighbourhoods.dir>/<lad_code>/, one job per file).


rule build_imd_table:
    message:
        "Build the national IoD{wildcards.vintage} LSOA table from the official files"
    input:
        unpack(lambda w: {name: raw(name) for name in IOD[int(w.vintage)].inputs}),
    output:
        "data/interim/imd{vintage}_england.parquet",
    log:
        "logs/build_imd_table/imd{vintage}.log",
    benchmark:
        "benchmarks/results/build_imd_table/imd{vintage}.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_imd_table.py"


rule build_lsoa_layer:
    message:
        "Join {config[lad_code]} LSOA boundaries to IoD{wildcards.vintage}"
    input:
        table="data/interim/imd{vintage}_england.parquet",
        boundaries=lambda w: raw(boundary_dataset(w.vintage)),
    output:
        "data/interim/lsoa_imd{vintage}.parquet",
    log:
        "logs/build_lsoa_layer/imd{vintage}.log",
    benchmark:
        "benchmarks/results/build_lsoa_layer/imd{vintage}.tsv"
    params:
        lad_code=config["lad_code"],
        thresholds=config["thresholds"],
        crs=config["crs"],
        boundary_dataset=lambda w: boundary_dataset(w.vintage),
        repair_invalid=config["boundaries"]["repair_invalid"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_lsoa_layer.py"


rule build_lsoa_outputs:
    message:
        "Write the LSOA x IMD GeoPackage (one layer per vintage) and CSVs"
    input:
        **by_vintage("layer", lsoa_layer),
        registry=GPKG_REGISTRY,
    output:
        gpkg="data/processed/lsoa_imd.gpkg",
        csv=expand("data/processed/lsoa_imd_{vintage}.csv", vintage=VINTAGES),
    log:
        "logs/build_lsoa_outputs.log",
    benchmark:
        "benchmarks/results/build_lsoa_outputs.tsv"
    params:
        vintages=VINTAGES,
        gpkg_style=GPKG_STYLE,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_lsoa_outputs.py"


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
