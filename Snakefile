# Deprivation geography pipeline: official IoD data -> LSOA layers -> tiers -> site.
# Logic lives in src/geo; rules live in workflow/rules; this file only loads and validates
# the configuration, reads the dataset registry and names the targets.

from geo.inputs.registry import load_registry
from geo.model.config import require_consistent, validate_config
from geo.statistics.indicators import load_indicator_registry


configfile: "config.yaml"


config.update(
    validate_config(config, "workflow/schemas/config.schema.yaml", source="config")
)
REGISTRY = load_registry("data/registry.yaml")
INDICATOR_REGISTRY = "src/geo/statistics/indicators/registry.yaml"
INDICATORS = load_indicator_registry(INDICATOR_REGISTRY)
# Rules that span keys are checked here, before any job runs (snakemake -n reports them).
require_consistent(config, datasets=REGISTRY, indicators=INDICATORS, source="config")
VINTAGES = config["vintages"]


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
