"""Stage 1, inputs and checks: the dataset registry, retrieval, and readers of official files.

Owns: the registry and the mirror/official-URL retrieval (:mod:`geo.inputs.registry`,
:mod:`geo.inputs.retrieve`), the canonical national IoD tables (:mod:`geo.inputs.imd`), the
authority's LSOA layers (:mod:`geo.inputs.lsoa`) and the validation of hand-drawn
neighbourhood files (:mod:`geo.inputs.neighbourhoods`). May import :mod:`geo.core` and
:mod:`geo.model`.
"""
