"""Render the profile pages, their index and the watchlist page into the site's layout.

The templates in ``src/geo/presentation/profiles/templates/`` extend the site's ``base.html.j2`` (header,
navigation, search box, footer; :mod:`geo.presentation.site.pages`) and reuse its table macro, so the
profiles share the site's vendored Bootstrap, ``site.css``, ``site.js`` (search, sortable
tables) and search index. Their own stylesheet, ``assets/profiles.css``, holds the layout and
the print rules (A4, at most four pages: navigation, search and links hidden, tables and
charts kept whole).

:func:`build_profile_files` returns every file as ``{path from the site root: bytes}``: the
site build copies them into ``site/``. Paths:

``profiles/index.html``
    Every profile, by tier.
``profiles/<tier slug>/<area slug>.html``
    One per area of each profiled tier (the area's map page is ``<tier slug>/<area slug>.html``).
``watchlist.html``
    The watchlist (:mod:`geo.presentation.profiles.watchlist_page`).
``assets/profiles.css``
    The profiles' screen and print styles.

With ``workers > 1`` the pages are rendered in a pool of forked processes, one task per
area, and collected in the serial order; a page depends only on its inputs (the charts are
markup written from the numbers, :mod:`geo.presentation.profiles.charts`), so the bytes
are the same as a serial build's.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import jinja2
import pandas as pd

from geo.core.io import write_tree
from geo.model.tiers import WARD, TierRegistry
from geo.presentation.profiles.model import (
    INDEX_MEASURES,
    Profile,
    ProfileInputs,
    build_profile,
    plan_profiles,
    profile_path,
)
from geo.presentation.profiles.trends_page import trends_context
from geo.presentation.profiles.watchlist_page import watchlist_context
from geo.presentation.site import tables as tb
from geo.presentation.site.build import page_weights
from geo.presentation.site.model import Area
from geo.presentation.site.pages import rel, root_of, site_navigation

logger = logging.getLogger(__name__)

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"

ENV: Final = jinja2.Environment(
    loader=jinja2.ChoiceLoader(
        [
            jinja2.PackageLoader("geo.presentation.profiles", "templates"),
            jinja2.PackageLoader("geo.presentation.site", "templates"),
        ]
    ),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


class Renderer:
    """Renders pages with the site's shared context (title, navigation, root)."""

    def __init__(
        self, *, site_title: str, nav: list[tuple[str, str]], crown_year: int,
        postcodes: bool = False,
    ) -> None:  # fmt: skip
        self.site_title = site_title
        self.nav = nav
        self.crown_year = crown_year
        self.postcodes = postcodes

    def render(self, template: str, path: str, **context: Any) -> str:
        """Render ``template`` for the page at ``path``."""
        base = {
            "site_title": self.site_title, "root": root_of(path), "nav": self.nav,
            "crown_year": self.crown_year, "breadcrumbs": [], "map": None, "data_file": None,
            "postcodes": self.postcodes,
        }  # fmt: skip
        return ENV.get_template(template).render(**{**base, **context})


# --- tables ----------------------------------------------------------------------------------


def lsoa_table(profile: Profile, *, ward_urls: Mapping[str, str]) -> tb.Table:
    """Tabulate the area's LSOAs: national IMD rank and decile by release (sortable)."""
    partial = any(r.share is not None for r in profile.lsoas)
    cols = tb.lsoa_columns(profile.vintages, partial=partial)
    rows, ids = [], []
    for r in profile.lsoas:
        url = ward_urls.get(r.ward_name)
        href = rel(profile.path, f"{url}#lsoa-{r.code}") if url else None
        cells = [
            tb.Cell(r.code, r.code, href, header=True),
            tb.text(r.name),
            tb.text(r.local_name),
            tb.text(r.ward_name),
        ]
        if partial:
            cells.append(tb.number(r.share if r.share is not None else 1.0, 1, percent=True))
        for v in profile.vintages:
            rank, decile = r.ranks.get(v, (None, None))
            cells += [tb.number(rank), tb.number(decile)]
        rows.append(cells)
        ids.append(f"lsoa-{r.code}")
    note = "National ranks and deciles: 1 = the most deprived in England. A dash: the LSOA is not part of the area in that release (LSOA codes changed at the 2021 boundary review)."
    if partial:
        note += " Share inside: the largest share of the LSOA counted in the area."
    return tb.Table("profile-lsoas", f"The LSOAs of {profile.area.name} ({len(rows)})", tuple(cols),
                    tb.rows(rows, ids), note=note)  # fmt: skip


def _up_links(
    profile: Profile, profiled: Mapping[str, Mapping[str, Area]]
) -> list[tuple[str, str]]:
    """Link the profiles (or map pages) of the areas above this one."""
    links = []
    for parent in profile.area.parents:
        has_profile = parent.code in profiled.get(parent.tier, {})
        target = profile_path(parent) if has_profile else parent.url
        kind = "profile" if has_profile else "map"
        links.append(
            (
                f"{parent.name} ({profile.tiers[parent.tier].singular.lower()} {kind})",
                rel(profile.path, target),
            )
        )
    return links


def _breadcrumbs(
    profile: Profile, profiled: Mapping[str, Mapping[str, Area]]
) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        ("City", "index.html"),
        ("Profiles", "profiles/index.html"),
    ]
    for parent in profile.area.parents:
        has_profile = parent.code in profiled.get(parent.tier, {})
        crumbs.append((parent.name, profile_path(parent) if has_profile else parent.url))
    crumbs.append((profile.area.name, None))
    return crumbs


def profile_page(profile: Profile, renderer: Renderer, *, profiled: Mapping[str, Mapping[str, Area]],
                 ward_urls: Mapping[str, str]) -> str:  # fmt: skip
    """Render one profile."""
    children = [
        (profile.tiers[tier].plural.capitalize(),
         [(c.name, rel(profile.path, profile_path(c) if c.code in profiled.get(tier, {}) else c.url))
          for c in kids])
        for tier, kids in profile.area.children.items() if tier in profile.tiers
    ]  # fmt: skip
    return renderer.render(
        "profile.html.j2", profile.path, p=profile, title=f"{profile.area.name}: {profile.tier_label.lower()} profile",
        breadcrumbs=_breadcrumbs(profile, profiled), map_url=rel(profile.path, profile.area.url),
        up=_up_links(profile, profiled), children=children, vintages_desc=sorted(profile.vintages, reverse=True),
        index_measures=INDEX_MEASURES, lsoas=lsoa_table(profile, ward_urls=ward_urls),
    )  # fmt: skip


def index_page(
    renderer: Renderer,
    profiled: Mapping[str, Mapping[str, Area]],
    *,
    city_name: str,
    tiers: TierRegistry,
) -> str:
    """Render ``profiles/index.html``: every profile, by tier."""
    path = "profiles/index.html"
    groups = []
    for tier, areas in profiled.items():
        links = [
            (a.name, rel(path, profile_path(a)), "")
            for a in sorted(areas.values(), key=lambda a: a.name.casefold())
        ]
        groups.append((tiers[tier].plural.capitalize(), links))
    return renderer.render(
        "profiles_index.html.j2", path, title="Area profiles", groups=groups, city_name=city_name,
        breadcrumbs=[("City", "index.html"), ("Profiles", None)],
        count=sum(len(a) for a in profiled.values()),
    )  # fmt: skip


# --- the whole set ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pages:
    """What every profile page needs besides its area: shared by the worker processes."""

    inputs: ProfileInputs
    renderer: Renderer
    profiled: Mapping[str, Mapping[str, Area]]
    ward_urls: Mapping[str, str]
    standout_limit: int

    def page(self, job: tuple[str, str]) -> tuple[str, bytes]:
        """Build and render the profile of the area ``(tier, code)``: its path and bytes."""
        tier, code = job
        profile = build_profile(
            self.inputs, self.profiled[tier][code], standout_limit=self.standout_limit
        )
        html = profile_page(
            profile, self.renderer, profiled=self.profiled, ward_urls=self.ward_urls
        )
        return profile.path, html.encode("utf-8")


_WORKER_PAGES: _Pages | None = None
"""The :class:`_Pages` of a worker process (set by :func:`_init_worker`)."""


def _init_worker(pages: _Pages) -> None:
    global _WORKER_PAGES  # per-process state of the pool's workers
    _WORKER_PAGES = pages


def _worker_page(job: tuple[str, str]) -> tuple[str, bytes]:
    assert _WORKER_PAGES is not None, "worker not initialised"
    return _WORKER_PAGES.page(job)


def _render_pages(
    pages: _Pages, jobs: Sequence[tuple[str, str]], *, workers: int = 1
) -> list[tuple[str, bytes]]:
    """Render the profiles of ``jobs`` (``(tier, code)``), in order, on up to ``workers`` processes.

    The workers are forked, so they inherit ``pages`` (no pickling of the inputs); only the
    area keys and the finished pages cross processes.
    """
    workers = min(workers, len(jobs))
    if workers > 1 and "fork" not in multiprocessing.get_all_start_methods():
        logger.info("Profiles: no 'fork' start method on this platform; rendering serially")
        workers = 1
    if workers <= 1:
        return [pages.page(job) for job in jobs]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(pages,)) as pool:  # fmt: skip
        return list(pool.map(_worker_page, jobs))


def _trends(inputs: ProfileInputs, trends: pd.DataFrame | None, **links: Any) -> dict[str, Any]:
    if trends is None or trends.empty:
        return {"trends": []}
    name = str(trends["indicator"].iloc[0])
    meta = inputs.indicators[name][0] if name in inputs.indicators else None
    return trends_context(trends, title=meta.title if meta else name, unit=meta.unit if meta else "",
                          threshold="", path="watchlist.html", tiers=inputs.tiers, **links)  # fmt: skip


def build_profile_files(
    inputs: ProfileInputs,
    *,
    site_title: str,
    tiers: Sequence[str],
    rank_pairs: Sequence[tuple[int, int]] = (),
    watchlist: pd.DataFrame | None = None,
    trends: pd.DataFrame | None = None,
    standout_limit: int = 3,
    budget: int | None = None,
    workers: int = 1,
    postcodes: bool = False,
) -> dict[str, bytes]:
    """Build every profile page, the profiles index, the watchlist page and the stylesheet.

    Args:
        inputs: The pipeline outputs (:class:`geo.presentation.profiles.model.ProfileInputs`).
        site_title: The site's title (config ``site.title`` or "Deprivation in <city>").
        tiers: Tiers whose areas get a profile; tiers the authority lacks are skipped.
        rank_pairs: The rank-change pages of the site (for the navigation).
        watchlist: ``watchlist.csv``, or None for no watchlist page.
        trends: ``watchlist_trends.csv`` (the watchlist page's trend section), or None.
        standout_limit: Domains listed in "what stands out".
        budget: Largest allowed bytes of a page (None: no check).
        workers: Processes rendering the profile pages (1: in this process). The files are
            the same whatever the number.
        postcodes: Whether the site has a postcode index (the search box then finds postcodes).

    Raises:
        ValueError: a page is over ``budget`` (naming it), or an area cannot be profiled.

    """
    plan = plan_profiles(inputs, tiers)
    profiled = {t: plan[t] for t in tiers if t in plan}
    skipped = [t for t in tiers if t not in plan]
    if skipped:
        logger.info(
            "Profiles: no areas in tier(s) %s for %s; skipped", ", ".join(skipped), inputs.lad_name
        )
    renderer = Renderer(
        site_title=site_title,
        nav=site_navigation(
            inputs.tiers, plan, rank_pairs, ("profiles/index.html", "watchlist.html")
        ),
        crown_year=max(inputs.vintages),
        postcodes=postcodes,
    )
    ward_urls = {a.name: a.url for a in plan.get(WARD.key, {}).values()}
    pages = _Pages(inputs, renderer, profiled, ward_urls, standout_limit)
    jobs = [(tier, code) for tier, areas in profiled.items() for code in sorted(areas)]
    files: dict[str, bytes] = dict(_render_pages(pages, jobs, workers=workers))
    for tier, areas in profiled.items():
        logger.info("Profiles: %d %s", len(areas), inputs.tiers[tier].plural)
    files["profiles/index.html"] = index_page(
        renderer, profiled, city_name=inputs.lad_name, tiers=inputs.tiers
    ).encode("utf-8")
    if watchlist is not None:
        context = watchlist_context(watchlist, plan=plan, profiled=profiled, path="watchlist.html",
                                    city_name=inputs.lad_name, tiers=inputs.tiers)  # fmt: skip
        context |= _trends(inputs, trends, plan=plan, profiled=profiled)
        files["watchlist.html"] = renderer.render(
            "watchlist.html.j2", "watchlist.html", title="Watchlist", breadcrumbs=[("City", "index.html"), ("Watchlist", None)],
            **context,
        ).encode("utf-8")  # fmt: skip
    files["assets/profiles.css"] = (STATIC_DIR / "profiles.css").read_bytes()
    if budget is not None:
        weights = page_weights(files)
        over = {p: w for p, w in weights.items() if w > budget}
        if over:
            msg = f"profiles: page(s) over the budget of {budget:,} bytes: " + ", ".join(
                f"{p} ({w:,})" for p, w in sorted(over.items())
            )
            raise ValueError(msg)
        heaviest = max(weights, key=lambda p: weights[p])
        logger.info("Profiles: heaviest page %s, %d bytes", heaviest, weights[heaviest])
    return dict(sorted(files.items()))


def write_files(files: Mapping[str, bytes], out_dir: Path | str) -> Path:
    """Write ``files`` under ``out_dir``, replacing it as a whole (:func:`geo.core.io.write_tree`)."""
    return write_tree(files, out_dir)
