"""Counts that are asides, not figures of a conflict, told by the words around them rather
than by the number: a person's age set off by commas ("one woman, 67, was killed"), the
vehicles people travelled in ("arrived in a dozen pickup trucks") and a count of places
that names again places already named ("across the three countries")."""

from claimledger_server.text.numbers import Token

_ONE_PERSON = frozenset(
    {
        *("man", "woman", "boy", "girl", "child", "person", "resident", "farmer", "mother"),
        *("father", "son", "daughter", "wife", "husband", "grandmother", "grandfather"),
        *("teacher", "driver", "student", "doctor", "nurse", "shopkeeper", "trader"),
        *("fisherman", "villager", "worker", "teenager", "pensioner"),
    }
)
"""Nouns of one person: a bare number set off by commas after one is the person's age."""

_CONVEYANCES = ("trucks", "vehicles", "cars", "buses", "pickups", "motorcycles", "boats")
"""Units (or their last word) of what people ride in."""

_RIDDEN_IN = frozenset({"in", "aboard"})

_PLACES = frozenset({"countries", "states", "nations", "provinces", "regions"})
"""Places: "the three countries" is a count of places the text has already named."""


def is_aside(tokens: list[Token], first: int, number_last: int, last: int, unit: str) -> bool:
    """Whether the count `tokens[first:last]` (number ending at `number_last`, counting
    `unit`) is one of the module's asides."""
    before = tokens[first - 1].lower if first > 0 else ""
    if _age_apposition(tokens, first, number_last, last):
        return True
    if before in _RIDDEN_IN and unit.endswith(_CONVEYANCES):
        return True
    return before == "the" and unit in _PLACES


def _age_apposition(tokens: list[Token], first: int, number_last: int, last: int) -> bool:
    """ "woman, 67,": digits alone between a comma after a noun of one person and a comma
    or the sentence's end."""
    if last != number_last or first < 2 or not tokens[first].is_number:
        return False
    if tokens[first - 1].text != "," or tokens[first - 2].lower not in _ONE_PERSON:
        return False
    return last >= len(tokens) or tokens[last].text in (",", ".", ";", ")")
