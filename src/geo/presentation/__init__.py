"""Stage 4, presentation: the static map site and the printable profiles.

Owns: formatting and phrasing what the earlier stages computed, as HTML pages, maps, SVG
charts and downloads (:mod:`geo.presentation.site`, :mod:`geo.presentation.profiles`). May
import every other stage; nothing imports it.
"""
