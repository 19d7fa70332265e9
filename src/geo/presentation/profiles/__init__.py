"""Area profiles: a printable page per ward, committee and neighbourhood, and the watchlist page.

See :mod:`geo.presentation.profiles.model` (content), :mod:`geo.presentation.profiles.standout` and
:mod:`geo.presentation.profiles.changes` (wording), :mod:`geo.presentation.profiles.charts` (SVG),
:mod:`geo.presentation.profiles.render` (pages), :mod:`geo.presentation.profiles.pdf` (print to PDF).
"""
