"""`text/asides.py`: counts the words around them show are no figure of the conflict — an
age set off by commas, the vehicles people rode in, places named again — and the counts
beside them that stay figures."""

import pytest
from claimledger_server.text.quantities import find_quantities


def _found(text: str) -> list[str]:
    return [quantity.text for quantity in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # an age in apposition to one person; the count before it stays
        ("A shell killed one woman, 54, near the bridge.", ["one woman"]),
        ("Shrapnel wounded a boy, 9.", []),
        # digits after a comma that are a count of their own, not an age
        ("The raid killed 12 soldiers, 5 civilians and a nurse.", ["12 soldiers", "5 civilians"]),
        # the vehicles the attackers came in; vehicles burned or seized are counts
        ("The raiders came in some 20 motorcycles and burned 8 trucks.", ["8 trucks"]),
        ("Gunmen travelling aboard three boats seized 14 vehicles.", ["14 vehicles"]),
        # places already named, counted again; the people counted in them stay
        ("In the four provinces, 2,000 people have fled.", ["2,000 people"]),
        (
            "The 300 soldiers sent to the three regions held.",
            ["300 soldiers"],
        ),
    ],
)
def test_asides_are_no_count(text: str, found: list[str]) -> None:
    assert _found(text) == found
