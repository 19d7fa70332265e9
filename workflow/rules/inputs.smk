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


rule build_lsoa01_links:
    message:
        "Link every LSOA 2001 to its LSOA 2011s (ONS lookup, U/S/M/X) with population shares"
    input:
        lookup=raw("lookup_lsoa01_lsoa11"),
        population01=raw("imd2010_denominators"),
        population11=raw("imd2015_file6"),
    output:
        LSOA01_LINKS,
    log:
        "logs/build_lsoa01_links.log",
    benchmark:
        "benchmarks/results/build_lsoa01_links.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_lsoa01_links.py"


rule build_lsoa01_boundaries:
    message:
        "Derive the LSOA 2001 shapes of {config[lad_code]} from its LSOA 2011 boundaries"
    input:
        table=national_table(LSOA01_VINTAGES[0] if LSOA01_VINTAGES else 2010),
        links=LSOA01_LINKS,
        boundaries=raw(config["boundaries"]["lsoa11"]),
    output:
        LSOA01_BOUNDARIES,
    log:
        "logs/build_lsoa01_boundaries.log",
    benchmark:
        "benchmarks/results/build_lsoa01_boundaries.tsv"
    params:
        lad_code=config["lad_code"],
        vintage=LSOA01_VINTAGES[0] if LSOA01_VINTAGES else 2010,
        crs=config["crs"],
        boundary_dataset=config["boundaries"]["lsoa11"],
        repair_invalid=config["boundaries"]["repair_invalid"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_lsoa01_boundaries.py"


rule build_lsoa_layer:
    message:
        "Join {config[lad_code]} LSOA boundaries to IoD{wildcards.vintage}"
    input:
        table="data/interim/imd{vintage}_england.parquet",
        boundaries=lambda w: lsoa_boundaries(w.vintage),
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
        derived_boundaries=lambda w: IOD[int(w.vintage)].lsoa_year == 2001,
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
