"""User-supplied text (area names, notes) is data, never markup.

Names typed by officers (a drawn neighbourhood called ``<script>alert(1)</script>``) are
stored exactly as typed in every table and GeoPackage; whatever writes them into HTML,
including a Leaflet tooltip or popup, passes them through :func:`escape_html` first.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_html(value: object) -> str:
    """Return ``value`` as text safe to place in HTML content or a quoted attribute.

    ``&``, ``<``, ``>``, ``"`` and ``'`` are escaped; ``None`` and NaN become ``""``.

    Examples:
        >>> escape_html("<script>alert(1)</script>")
        '&lt;script&gt;alert(1)&lt;/script&gt;'
        >>> escape_html("St Hilda's & Copperfields")
        'St Hilda&#x27;s &amp; Copperfields'

    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def has_control_characters(text: str) -> bool:
    """Tell whether ``text`` holds ASCII control characters other than tab and newline."""
    return bool(_CONTROL.search(text))


def slugify(text: str) -> str:
    """Lower-case ASCII slug of ``text``: letters and digits joined by single hyphens.

    Accents are dropped, apostrophes removed and every other run of non-alphanumeric
    characters becomes one hyphen, so the slug is stable for a given name.

    Examples:
        >>> slugify("St Hilda's, Copperfields, Gartons")
        'st-hildas-copperfields-gartons'
        >>> slugify("<script>alert(1)</script>")
        'script-alert-1-script'

    """
    text = re.sub(r"['\u2018\u2019`]", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
