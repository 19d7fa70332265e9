"""Stage 3, statistics and facts: summary measures, headlines, changes, indicators, watchlist.

Owns: the official IoD summary measures (:mod:`geo.statistics.measures`) of every tier
(:mod:`geo.statistics.tiers`) and of drawn areas (:mod:`geo.statistics.apportion`),
headlines, rank changes, indicators and the watchlist. May import :mod:`geo.core`,
:mod:`geo.model`, :mod:`geo.inputs` and :mod:`geo.geography`.
"""
