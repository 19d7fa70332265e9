"""Area profiles: a printable page per ward, committee and neighbourhood, and the watchlist page.

See :mod:`geo.profiles.model` (content), :mod:`geo.profiles.standout` and
:mod:`geo.profiles.changes` (wording), :mod:`geo.profiles.charts` (SVG),
:mod:`geo.profiles.render` (pages), :mod:`geo.profiles.pdf` (print to PDF).
"""
