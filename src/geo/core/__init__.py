"""Basics every stage uses: errors, logging, text helpers, file I/O and input checks.

Owns: the exception types (:mod:`geo.core.errors`), reading and atomically writing files
(:mod:`geo.core.io`), column/uniqueness/geometry checks and validated joins
(:mod:`geo.core.checks`). May import nothing else from :mod:`geo`.
"""
