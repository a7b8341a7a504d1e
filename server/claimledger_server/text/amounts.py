"""The amounts a quantity phrase stores: whole numbers JSON carries exactly (`figures/
schemas.py`: up to 2^53 - 1), and the bounds of a magnitude that a qualifier opens on one
side ("more than several hundred" keeps its floor)."""

from decimal import Decimal

from claimledger_server.figures.schemas import MAX_AMOUNT

_LOWER = frozenset({"at_least", "more_than"})
_UPPER = frozenset({"at_most", "fewer_than"})


def vague_bounds(vague: tuple[int, int], qualifier: str) -> tuple[int | None, int | None]:
    """A magnitude with a qualifier: "more than several hundred" keeps its floor, "up to
    several hundred" its ceiling."""
    if qualifier in _LOWER:
        return vague[0], None
    if qualifier in _UPPER:
        return None, vague[1]
    return vague


def too_large(value: Decimal | None) -> bool:
    """Past 2^53 - 1 a JSON number is not exact in every client (`figures/schemas.py`)."""
    return value is not None and value > MAX_AMOUNT


def whole(value: Decimal | None) -> int | None:
    if value is None or too_large(value) or value != value.to_integral_value():
        return None
    return int(value)


def number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    as_whole = whole(value)
    return as_whole if as_whole is not None else float(value)


def storable(qualifier: str, amount: int | None, amount_max: int | None, high: int | None) -> bool:
    """What `figures/bounds.py` would accept: amounts JSON can carry exactly, no "nearly 0"."""
    if any(v is not None and v > MAX_AMOUNT for v in (amount, amount_max)):
        return False
    if high is not None and high > MAX_AMOUNT + 1:
        return False
    return not (qualifier in ("nearly", "fewer_than") and amount == 0)
