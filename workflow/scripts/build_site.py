"""The static map site: every page, its data, the search index, the downloads and assets."""

from pathlib import Path

from geo.core.io import read_tree
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.model.tiers import tier_registry
from geo.presentation.site.build import build_site, site_options, write_site
from geo.presentation.site.inputs import read_site_inputs

with logged(snakemake.log[0]):
    p, i = snakemake.params, snakemake.input
    inputs = read_site_inputs(
        lad_code=p.lad_code,
        layers=keyed(i, "layer"),
        membership=i.membership,
        members=i.members,
        areas=i.areas,
        crosswalk=i.crosswalk,
        summaries=dict(zip(p.tiers, i.summaries, strict=True)),
        tier_gpkgs=dict(zip(p.tiers, i.tier_gpkgs, strict=True)),
        drawn_fit=i.drawn_fit,
        rank_changes=dict(zip(map(tuple, p.rank_pairs), i.rank_changes, strict=True)),
        headlines=i.headlines,
        registry=i.registry,
        breaks=i.breaks,
        downloads=p.downloads,
        tiers=tier_registry(p.tier_config),
        lsoa_changes=i.lsoa_changes,
        area_ranks=i.area_ranks,
        postcodes=i.get("postcodes"),
        place_names=i.place_names,
        centroids=i.centroids,
        authorities=i.authorities,
        authority_shapes=i.authority_shapes,
    )
    options = site_options(
        p.site, lad_name=inputs.lad_name, vintages=p.vintages, priority_vintage=p.priority_vintage
    )
    files = build_site(
        inputs,
        options,
        download_files={d.name: Path(d.source).read_bytes() for d in p.downloads},
        neighbourhood_folder=p.neighbourhood_folder,
        budget=int(p.site["page_budget_bytes"]),
        extra_files=read_tree(i.profiles),
    )
    write_site(files, snakemake.output[0])
