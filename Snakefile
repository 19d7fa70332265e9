# Deprivation geography pipeline: official IoD data -> LSOA layers -> tiers -> site.
# Logic lives in src/geo; rules live in workflow/rules; this file only loads and validates
# the configuration, reads the dataset registry and names the targets.

import sys

from geo.core import publish
from geo.inputs.registry import load_registry
from geo.inputs.retrieve import retrieved_before, verify_retrieved
from geo.model.config import require_consistent, validate_config
from geo.model.sense import check_config_sense, check_yaml_syntax
from geo.statistics.indicators import load_indicator_registry


check_yaml_syntax("config.yaml")


configfile: "config.yaml"


config.update(
    validate_config(config, "workflow/schemas/config.schema.yaml", source="config")
)
check_config_sense(config, source="config")
REGISTRY = load_registry("data/registry.yaml")
INDICATOR_REGISTRY = "src/geo/statistics/indicators/registry.yaml"
INDICATORS = load_indicator_registry(INDICATOR_REGISTRY)
# Rules that span keys are checked here, before any job runs (snakemake -n reports them).
require_consistent(config, datasets=REGISTRY, indicators=INDICATORS, source="config")
VINTAGES = config["vintages"]

# Nothing lost, nothing wrong (src/geo/core/publish.py): the outputs users see are kept
# until a build succeeds; an interrupted build is rolled back before the DAG is computed;
# outputs of another authority or set of releases are set aside; every retrieved file is
# checked against the registry each time the workflow loads.
PUBLISHED = ["data/processed", "site"]
GUARDED = [*PUBLISHED, *(f"data/raw/{name}" for name in sorted(REGISTRY))]
LEFTOVERS = ["data/processed", "data/interim", "data/raw"]
if not publish.locked("."):
    publish.recover_interrupted(".")
    publish.clean_leftovers(".", LEFTOVERS)
    # workflow.dryrun is only known once the executor is chosen (after this file is read);
    # the output settings know it now: a dry run (-n) never moves anything.
    if not (workflow.dryrun or workflow.output_settings.dryrun):
        publish.set_aside_stale(
            ".", {"lad_code": config["lad_code"], "vintages": sorted(VINTAGES)}, PUBLISHED
        )
verify_retrieved(REGISTRY)


onstart:
    publish.clean_leftovers(".", LEFTOVERS)
    publish.snapshot(".", GUARDED)


onsuccess:
    publish.discard(".")


onerror:
    restored = publish.rollback(".")
    print(
        "The build failed: the previous outputs are kept"
        + (
            f" ({len(restored)} file(s) put back: {', '.join(restored[:5])}"
            + (" ..." if len(restored) > 5 else "")
            + ")"
            if restored
            else " (none had been removed or replaced)"
        )
        + ". Fix the error above and run again.",
        file=sys.stderr,
    )


include: "workflow/rules/common.smk"
include: "workflow/rules/retrieve.smk"
include: "workflow/rules/inputs.smk"
include: "workflow/rules/geography.smk"
include: "workflow/rules/statistics.smk"
include: "workflow/rules/presentation.smk"
include: "workflow/rules/tools.smk"


rule all:
    message:
        "Build every output for {config[lad_code]}"
    default_target: True
    input:
        rules.build_lsoa_outputs.output,
        rules.build_headlines.output,
        rules.build_lsoa_membership.output.membership,
        rules.build_tiers.output,
        WARD_SHAPE_OUTPUTS,
        RANK_CHANGE_TARGETS,
        rules.build_drawn_neighbourhoods.output,
        rules.build_drawn_vs_lsoa.output,
        PROFILE_OUTPUTS,
        rules.build_profile_pages.output,
        PROFILE_PDF_TARGETS,
        rules.build_site.output,
        rules.build_peers.output,
        CLASSIFY_TARGETS,
        rules.build_qgis_project.output,
        rules.build_workbooks.output,
        rules.build_csv_metadata.output,
        retrieved_before(REGISTRY),
