"""Stage 2, geographies and tiers: links between LSOA geographies, wards, tier membership.

Owns: the links between releases' geographies (:mod:`geo.geography.crosswalk`), coverage
cleaning and dissolving (:mod:`geo.geography.coverage`), wards (:mod:`geo.geography.wards`)
and which LSOAs make up each area of each tier (:mod:`geo.geography.membership`). May import
:mod:`geo.core`, :mod:`geo.model` and :mod:`geo.inputs`.
"""
