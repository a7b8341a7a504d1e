"""The kind a drafted actor gets from its name's words (`actors.py`, `actor_kinds.py`)."""

import pytest

from tests.extractions.offline import draft


@pytest.mark.parametrize(
    "name",
    [
        "Doctors Without Borders",
        "Médecins Sans Frontières",
        "Action Against Hunger",
        "Islamic Relief",
        "World Vision",
        "Geneva Call",
        "Insecurity Insight",
        "Save the Children",
    ],
)
def test_the_names_aid_and_rights_groups_take_are_no_persons(name: str) -> None:
    found = draft(f"{name} said on Thursday that at least 12 civilians had been killed.")
    [claimant] = [a for a in found.actors if a.ref == found.claims[0].claimant_ref]
    assert (claimant.name, claimant.kind) == (name, "organization")


def test_a_group_named_after_its_description_is_no_person() -> None:
    found = draft("The charity Islamic Relief said 14 people were killed.")
    assert [(a.name, a.kind) for a in found.actors if a.kind != "media_outlet"] == [
        ("Islamic Relief", "organization")
    ]


@pytest.mark.parametrize("name", ["Amal Haddad", "Hope Mwangi", "Jean-Marc Ilunga"])
def test_a_persons_name_stays_a_persons(name: str) -> None:
    found = draft(f"{name} said on Thursday that at least 12 civilians had been killed.")
    [claimant] = [a for a in found.actors if a.ref == found.claims[0].claimant_ref]
    assert (claimant.name, claimant.kind) == (name, "person")
