"""The declarations the rest is derived from: configuration, domains, releases, tiers.

Owns: loading and validating the configuration (:mod:`geo.model.config`), the IoD domains
(:mod:`geo.model.domains`), and the one declaration of each statistical geography, release
and tier. May import only :mod:`geo.core`.
"""
