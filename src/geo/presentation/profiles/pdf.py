"""Export the profiles to PDF with headless Chromium, and count the pages of a PDF.

:func:`export_pdfs` opens each ``site/profiles/<tier>/<area>.html`` from the built site
(``file://``: the site works from a file share) in Chromium driven by Playwright, prints it
to A4 with the page's print stylesheet, writes ``<out>/<tier>/<area>.pdf`` and a
``page_counts.csv``, and fails naming every profile longer than ``max_pages``.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pandas as pd

from geo.core.io import write_csv

logger = logging.getLogger(__name__)

CHROMIUM_ARGS: Final[tuple[str, ...]] = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
)  # fmt: skip
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


class PrintLengthError(ValueError):
    """A profile prints to more pages than allowed."""


def count_pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF: its ``/Type /Page`` objects (not ``/Pages``), as Chromium writes them."""
    return len(_PAGE.findall(pdf))


def profile_pages(site_dir: Path | str) -> list[Path]:
    """Every profile page of a built site (not the profiles index)."""
    root = Path(site_dir) / "profiles"
    return sorted(p for p in root.glob("*/*.html"))


def export_pdfs(
    site_dir: Path | str,
    out_dir: Path | str,
    *,
    chromium: Path | str = "/usr/bin/chromium",
    args: Sequence[str] = CHROMIUM_ARGS,
    max_pages: int = 2,
) -> pd.DataFrame:
    """Print every profile of ``site_dir`` to PDF under ``out_dir``.

    Returns:
        ``profile, pdf, pages`` per profile (also written to ``page_counts.csv``).

    Raises:
        FileNotFoundError: the Chromium executable or the site's profiles are missing.
        PrintLengthError: a profile prints to more than ``max_pages`` A4 pages (naming each).

    """
    from playwright.sync_api import sync_playwright

    site_dir, out = Path(site_dir).resolve(), Path(out_dir)
    if not Path(chromium).exists():
        msg = f"profiles.chromium: {chromium} does not exist (apt-get install chromium)"
        raise FileNotFoundError(msg)
    pages = profile_pages(site_dir)
    if not pages:
        msg = f"{site_dir}/profiles: no profile pages to export"
        raise FileNotFoundError(msg)
    if out.exists():
        shutil.rmtree(out)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=list(args), headless=True
        )
        try:
            page = browser.new_context().new_page()
            for html in pages:
                rel = html.relative_to(site_dir / "profiles")
                page.goto(html.as_uri(), wait_until="load")
                pdf = page.pdf(format="A4", print_background=True)
                target = out / rel.with_suffix(".pdf")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(pdf)
                rows.append(
                    {"profile": str(rel), "pdf": str(target), "pages": count_pdf_pages(pdf)}
                )
        finally:
            browser.close()
    table = pd.DataFrame(rows)
    write_csv(table, out / "page_counts.csv")
    logger.info("Exported %d profiles to PDF in %s; pages: %s", len(table), out,
                table["pages"].value_counts().sort_index().to_dict())  # fmt: skip
    long = table.loc[table["pages"] > max_pages]
    if not long.empty:
        listed = ", ".join(f"{r.profile} ({r.pages} pages)" for r in long.itertuples())
        msg = f"{len(long)} profile(s) print to more than {max_pages} A4 pages: {listed}"
        raise PrintLengthError(msg)
    return table
