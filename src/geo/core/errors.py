"""Errors raised by the package; every message names the file, field and value at fault."""


class GeoInputError(ValueError):
    """An input file or table is not what the pipeline needs."""


class ConfigError(GeoInputError):
    """The workflow configuration is invalid."""


class RetrievalError(GeoInputError):
    """A dataset could not be retrieved from the mirror or its official URL."""


class ChecksumError(RetrievalError):
    """A retrieved file does not have the sha256 the registry expects."""


class JoinError(GeoInputError):
    """A join found unmatched or duplicated keys."""


class GeometryError(GeoInputError):
    """A geometry is missing a CRS, invalid, empty or of the wrong type."""


class ConservationError(GeoInputError):
    """A tier does not partition the authority (LSOAs, population or area do not add up)."""
