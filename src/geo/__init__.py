"""Deprivation geography for local authorities: the English Indices of Deprivation by area.

All logic of the pipeline lives in this package; ``workflow/scripts`` only read, call one
function from here, and write.
"""

__version__ = "0.1.0"
