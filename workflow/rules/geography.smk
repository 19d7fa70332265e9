# Stage 2, geographies and tiers: which LSOAs make up each area of every tier (the long
# tier_members / tier_areas tables, the LSOA crosswalk, lsoa_membership.csv), and the share of
# each LSOA inside each drawn neighbourhood (one job per file).


rule build_lsoa_membership:
    message:
        "Assign the LSOAs of {config[lad_code]} to wards, committees and priority areas"
    input:
        unpack(
            lambda w: {"local_names": raw(TIER_PLAN.local_names)} if TIER_PLAN.local_names else {}
        ),
        datasets=list(TIER_DATASETS.values()),
        **by_vintage("layer", lsoa_layer),
        ward_lookup=raw("lookup_lsoa21_ward24"),
        lsoa_changes=raw("lookup_lsoa11_lsoa21"),
        # mid-2015 LSOA 2011 populations (IoD2019 File 6) apportion merged LSOAs
        population11="data/interim/imd2019_england.parquet",
        population21=raw("census2021_population"),
        **({"lsoa01_links": LSOA01_LINKS} if LSOA01_VINTAGES else {}),
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


rule apportion_neighbourhood_file:
    message:
        "Share of each LSOA inside the neighbourhoods of {wildcards.nb_file}, by area and by postcodes"
    input:
        unpack(lambda w: POSTCODE_INPUT),
        neighbourhoods=VALIDATED,
        **by_vintage("layer", lsoa_layer),
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


if WARD_SHAPES:

    rule build_ward_shapes:
        message:
            "Ward shapes of {config[lad_code]} from Output Areas assigned by their postcodes, "
            "and their agreement with the published outlines and the best-fit LSOAs"
        input:
            unpack(lambda w: POSTCODE_INPUT),
            output_areas=raw(TIER_PLAN.output_areas),
            official=raw(TIER_PLAN.ward_boundaries),
            ward_lookup=raw("lookup_lsoa21_ward24"),
            lsoa21_layer=lsoa_layer(LSOA21_VINTAGE),
        output:
            shapes="data/interim/ward_shapes.gpkg",
            agreement="data/processed/ward_shape_agreement.csv",
            assignment="data/processed/ward_output_areas.csv",
        log:
            "logs/build_ward_shapes.log",
        benchmark:
            "benchmarks/results/build_ward_shapes.tsv"
        params:
            lad_code=config["lad_code"],
            crs=config["crs"],
        threads: 1
        resources:
            mem_mb=1500,
            runtime=10,
        conda:
            "../../environment.yml"
        script:
            "../scripts/build_ward_shapes.py"


rule build_authority_shapes:
    message:
        "Dissolve the English LSOAs 2021 into every local authority (the England page's map)"
    input:
        boundaries=raw(ENGLAND_LSOA21),
        lookup=raw("lookup_lsoa21_ward24"),
    output:
        AUTHORITY_SHAPES,
    log:
        "logs/build_authority_shapes.log",
    benchmark:
        "benchmarks/results/build_authority_shapes.tsv"
    params:
        crs=config["crs"],
        boundaries=ENGLAND_LSOA21,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        "../../environment.yml"
    script:
        "../scripts/build_authority_shapes.py"
