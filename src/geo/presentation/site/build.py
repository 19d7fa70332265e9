"""Build the whole static site: every page, its data, the search index, downloads, assets.

:func:`build_site` returns the site as ``{path: bytes}`` (pure: the same inputs give the same
bytes); :func:`write_site` writes it to a folder with the vendored assets, replacing the
folder as a whole. Each page's own weight (its HTML and its ``.data.js``) is checked against
the budget (1.5 MB by default); shared assets load once and do not count.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import pandas as pd

from geo.core.errors import ConfigError
from geo.core.io import write_tree
from geo.presentation.site import downloads as dl
from geo.presentation.site.assets import copy_assets, tile_layer_options
from geo.presentation.site.classify import read_breaks
from geo.presentation.site.england import england_page
from geo.presentation.site.legends import check_outline_colour, css_properties
from geo.presentation.site.mapdata import safe_json, to_script
from geo.presentation.site.model import SiteInputs, SiteOptions, lsoa_values, plan_areas
from geo.presentation.site.pages import (
    Page,
    SiteContext,
    area_page,
    city_page,
    draw_page,
    glossary_page,
    rank_change_page,
    tier_page,
)
from geo.presentation.site.search import postcode_index, search_index

logger = logging.getLogger(__name__)

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
"""The site's own script and stylesheet (copied to ``assets/``)."""

PAGE_BUDGET_BYTES: Final = 1_500_000


class PageBudgetError(ValueError):
    """A page with its own data files is heavier than the budget."""


def site_options(
    site: Mapping[str, Any], *, lad_name: str, vintages: Sequence[int], priority_vintage: int
) -> SiteOptions:
    """Return the :class:`SiteOptions` of the validated ``site`` config section.

    Raises:
        ConfigError: the tiles value is not ``none``, ``osm`` or a valid template with an
            attribution, or a domain vintage is not built (naming the key and value).

    """
    tiles = tile_layer_options(str(site["tiles"]), attribution=site.get("tile_attribution"))
    built = sorted(int(v) for v in vintages)
    domain_vintages = tuple(int(v) for v in site.get("domain_vintages") or [built[-1]])
    unknown = [v for v in domain_vintages if v not in built]
    if unknown:
        msg = f"config site.domain_vintages: {unknown} not among the built vintages {built}"
        raise ConfigError(msg)
    return SiteOptions(
        tiles=tiles,
        title=site.get("title") or f"Deprivation in {lad_name}",
        simplify_m=dict(site["simplify_m"]),
        decimals=dict(site["coordinate_decimals"]),
        domain_vintages=domain_vintages,
        priority_vintage=int(priority_vintage),
    )


def page_weights(files: Mapping[str, bytes]) -> dict[str, int]:
    """Each page's own bytes: ``page.html`` with ``page.*.json`` and ``page.*.js`` beside it."""
    weights = {}
    for path, data in files.items():
        if not path.endswith(".html") or path.startswith("assets/"):
            continue
        stem = path[: -len(".html")]
        own = [p for p in files if p.startswith(stem + ".") and p.endswith((".json", ".js"))]
        weights[path] = len(data) + sum(len(files[p]) for p in own)
    return weights


def site_stylesheet() -> bytes:
    """Return the stylesheet: the palette's custom properties, then ``static/site.css``."""
    return (css_properties() + (STATIC_DIR / "site.css").read_text(encoding="utf-8")).encode()


def check_tier_colours(inputs: SiteInputs) -> None:
    """Check that every tier's outline colour reads at 3:1 on every fill (its halo included).

    Raises:
        ConfigError: naming the tier and its colour (from the tier registry or the config).

    """
    for tier in inputs.tiers:
        check_outline_colour(tier.colour, where=f"tier {tier.key!r} colour")


def build_site(
    inputs: SiteInputs,
    options: SiteOptions,
    *,
    download_files: Mapping[str, bytes],
    neighbourhood_folder: str,
    budget: int = PAGE_BUDGET_BYTES,
    extra_files: Mapping[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Every file of the site except the vendored assets, as ``{path: bytes}``.

    Args:
        inputs: The pipeline outputs (:class:`geo.presentation.site.model.SiteInputs`).
        options: The ``site`` config.
        download_files: Name under ``downloads/`` → bytes of each file offered.
        neighbourhood_folder: Where drawn files go (shown on the draw page).
        budget: Largest allowed weight of a page with its own data files.
        extra_files: Pages other builds add to the site (``{path: bytes}``: the area profiles
            and the watchlist); linked from the navigation and the area pages.

    Raises:
        PageBudgetError: a page is heavier than ``budget`` (naming the page and its size).
        ConfigError: a tier's outline colour is below 3:1 on some fill.
        ValueError: an extra file would replace one of the site's own (naming it).

    """
    check_tier_colours(inputs)
    plan = plan_areas(inputs.areas, inputs.summaries, inputs.tiers)
    classes = read_breaks(inputs.breaks) if not inputs.breaks.empty else {}
    values = lsoa_values(inputs.lsoas, changes=inputs.lsoa_changes, crosswalk=inputs.crosswalk)
    extra = dict(extra_files or {})
    ctx = SiteContext(inputs, options, plan, classes, values, frozenset(extra))
    pages: list[Page] = [city_page(ctx)]
    england = england_page(ctx)
    if england is not None:
        pages.append(england)
    for tier, areas in plan.items():
        pages.append(tier_page(ctx, tier))
        if inputs.tiers[tier].pages:
            pages += [area_page(ctx, area) for area in areas.values()]
    pages += [rank_change_page(ctx, pair) for pair in sorted(inputs.rank_changes)]
    pages.append(draw_page(ctx, folder=neighbourhood_folder))
    pages.append(downloads_page(ctx, download_files))
    pages.append(glossary_page(ctx))

    files: dict[str, bytes] = {}
    for page in pages:
        files[page.path] = page.html.encode("utf-8")
        if page.data is not None and page.data_path is not None:
            files[page.data_path] = page.data.encode("utf-8")
    lsoas = inputs.membership.merge(
        pd.concat([layer[["lsoa_code", "lsoa_name"]] for layer in inputs.lsoas.values()]).drop_duplicates("lsoa_code"),
        on="lsoa_code", how="left", suffixes=("_membership", ""), validate="m:1",
    )  # fmt: skip
    index = search_index(plan, lsoas, city_name=inputs.lad_name, city_code=inputs.lad_code,
                         tiers=inputs.tiers,
                         extra_paths=frozenset(extra))  # fmt: skip
    files["assets/search-index.json"] = (safe_json(index) + "\n").encode("utf-8")
    files["assets/search-index.js"] = to_script("GEO_SEARCH_INDEX", index).encode("utf-8")
    if inputs.postcodes is not None:
        files |= postcode_index(inputs.postcodes, lad_code=inputs.lad_code, lsoas=inputs.lsoas,
                                membership=inputs.membership, plan=plan,
                                crosswalk=inputs.crosswalk, tiers=inputs.tiers)  # fmt: skip
    files["assets/site.js"] = (STATIC_DIR / "site.js").read_bytes()
    files["assets/site.css"] = site_stylesheet()
    for name, data in download_files.items():
        files[f"downloads/{name}"] = data
    clashes = sorted(set(extra) & set(files))
    if clashes:
        msg = f"site: extra files would replace the site's own: {', '.join(clashes)}"
        raise ValueError(msg)
    files.update(extra)
    _check_budget(files, budget)
    counts = pd.Series(
        [p.path.split("/")[0] if "/" in p.path else "(root)" for p in pages]
    ).value_counts()
    logger.info(
        "Site: %d pages (%s), %d files",
        len(pages),
        ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        len(files),
    )
    return dict(sorted(files.items()))


def _check_budget(files: Mapping[str, bytes], budget: int) -> None:
    weights = page_weights(files)
    heaviest = max(weights, key=lambda p: weights[p])
    logger.info(
        "Heaviest page: %s, %d bytes with its data (budget %d)", heaviest, weights[heaviest], budget
    )
    over = {p: w for p, w in weights.items() if w > budget}
    if over:
        listed = ", ".join(f"{p} ({w:,} bytes)" for p, w in sorted(over.items()))
        msg = (
            f"site: {len(over)} page(s) over the budget of {budget:,} bytes with their data: {listed}; "
            "raise site.simplify_m or lower site.coordinate_decimals"
        )
        raise PageBudgetError(msg)


def downloads_page(ctx: SiteContext, download_files: Mapping[str, bytes]) -> Page:
    """Build the downloads page: files, data dictionary, provenance, class breaks, licence."""
    path = "downloads/index.html"
    offered = [d for d in ctx.inputs.downloads if d.name in download_files]
    sizes = {name: len(data) for name, data in download_files.items()}
    dictionary, _ = dl.dictionary_table(download_files, ctx.tiers)
    breaks = [{str(k): v for k, v in r.items()} for r in ctx.inputs.breaks.to_dict("records")]
    html = ctx.render(
        "downloads.html.j2", path, title="Downloads and sources", heading="Downloads, data dictionary and sources",
        files=dl.files_table(offered, sizes), dictionary=dictionary,
        provenance=dl.provenance_table(ctx.inputs.registry), breaks=dl.breaks_table(breaks) if breaks else None,
        lad_name=ctx.city_name, tile_attribution=_plain_attribution(ctx.options.tiles["attr"]),
        breadcrumbs=[("City", "index.html"), ("Downloads", None)],
    )  # fmt: skip
    return Page(path, html)


def _plain_attribution(attr: str | None) -> str | None:
    """Tile attribution without markup (the page escapes it as text)."""
    if not attr:
        return None
    return html.unescape(re.sub(r"<[^>]+>", "", attr))


def write_site(files: Mapping[str, bytes], site_dir: Path | str) -> Path:
    """Write ``files`` and the vendored assets to ``site_dir``, replacing it as a whole.

    One atomic tree writer (:func:`geo.core.io.write_tree`) for the site and the profiles:
    a failed build never leaves half a site.
    """
    return write_tree(files, site_dir, extra=copy_assets)
