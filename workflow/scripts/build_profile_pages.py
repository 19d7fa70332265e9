"""Area profiles, their index and the watchlist page, as files for the site to copy in.

The profile pages are rendered on the rule's ``threads`` worker processes.
"""

from geo.core.io import read_csv
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.model.releases import Thresholds
from geo.model.tiers import tier_registry
from geo.presentation.profiles.inputs import read_profile_inputs
from geo.presentation.profiles.render import build_profile_files, write_files
from geo.presentation.site.build import site_options

with logged(snakemake.log[0]):
    p, i = snakemake.params, snakemake.input
    inputs = read_profile_inputs(
        lad_code=p.lad_code,
        layers=keyed(i, "layer"),
        summaries=dict(zip(p.summary_tiers, i.summaries, strict=True)),
        england=i.england,
        membership=i.membership,
        members=i.members,
        areas=i.areas,
        crosswalk=i.crosswalk,
        drawn_fit=i.drawn_fit,
        registry=i.registry,
        indicators=dict(zip(p.indicators, i.indicators, strict=True)),
        tiers=tier_registry(p.tier_config),
        thresholds=Thresholds.from_config(p.thresholds),
        lsoa_changes=i.lsoa_changes,
        area_standouts=i.area_standouts,
    )
    inputs.england_indicators = read_csv(i.england_indicators, dtype={"period": "str"})
    options = site_options(
        p.site, lad_name=inputs.lad_name, vintages=p.vintages, priority_vintage=p.priority_vintage
    )
    files = build_profile_files(
        inputs,
        site_title=options.title,
        tiers=p.profiles["tiers"],
        rank_pairs=[tuple(pair) for pair in p.rank_pairs],
        watchlist=read_csv(i.watchlist, dtype={"local_name": "str", "ward_code": "str"}),
        trends=read_csv(i.trends, dtype={"area_code": "str"}) if hasattr(i, "trends") else None,
        standout_limit=int(p.profiles["standout_domains"]),
        budget=int(p.site["page_budget_bytes"]),
        workers=snakemake.threads,
        postcodes=bool(p.postcodes),
    )
    write_files(files, snakemake.output[0])
