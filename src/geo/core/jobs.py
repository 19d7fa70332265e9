"""What a workflow job's script needs from Snakemake, without knowing Snakemake.

Rules name one input per release (``layer_2019``, ``table_2025``: see
``workflow/rules/common.smk``), so a script finds each release's file by name, never by its
position in a list.
"""

from __future__ import annotations

from typing import Any


def keyed(named: Any, prefix: str) -> dict[int, str]:
    """Return the inputs named ``<prefix>_<year>`` of a job, by year, oldest first.

    Args:
        named: ``snakemake.input`` (anything with ``keys()`` and item access).
        prefix: The name before the year, e.g. ``layer``.

    Raises:
        KeyError: no input is named ``<prefix>_<year>`` (naming the prefix and the names).

    """
    out = {}
    for name in named.keys():  # noqa: SIM118 (a Namedlist iterates over its values)
        stem, _, year = str(name).rpartition("_")
        if stem == prefix and year.isdigit():
            out[int(year)] = str(named[name])
    if not out:
        msg = f"no input named {prefix}_<year>; the inputs are {sorted(map(str, named.keys()))}"
        raise KeyError(msg)
    return dict(sorted(out.items()))
