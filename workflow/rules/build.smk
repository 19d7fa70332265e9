# LSOA x IMD layers and headline figures for the configured authority.

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
        layers=expand("data/interim/lsoa_imd{vintage}.parquet", vintage=VINTAGES),
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


rule build_headlines:
    message:
        "Headline figures for {config[lad_code]} and its rank among all authorities"
    input:
        expand("data/interim/imd{vintage}_england.parquet", vintage=VINTAGES),
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
