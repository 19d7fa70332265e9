# Deprivation geography pipeline: official IoD data -> LSOA layers -> tiers -> site.
# Logic lives in src/geo; rules live in workflow/rules; this file only loads and validates
# the configuration, reads the dataset registry and names the targets.

from geo.model.config import validate_config
from geo.inputs.registry import load_registry


configfile: "config.yaml"


config.update(
    validate_config(config, "workflow/schemas/config.schema.yaml", source="config")
)
REGISTRY = load_registry("data/registry.yaml")
VINTAGES = config["vintages"]


include: "workflow/rules/common.smk"
include: "workflow/rules/retrieve.smk"
include: "workflow/rules/build.smk"
include: "workflow/rules/tiers.smk"
include: "workflow/rules/neighbourhoods.smk"
include: "workflow/rules/profiles.smk"
include: "workflow/rules/profile_pages.smk"
include: "workflow/rules/site.smk"
include: "workflow/rules/package.smk"


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
        rules.build_qgis_project.output,
        rules.build_workbooks.output,
        rules.build_csv_metadata.output,
