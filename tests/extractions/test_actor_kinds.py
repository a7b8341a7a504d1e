"""Who a drafted actor is and the kind it gets from its words (`actors.py`, `actor_kinds.py`,
`speaker_phrases.py`)."""

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


def test_the_head_of_a_body_is_a_person() -> None:
    found = draft("The head of the regional military administration said 9 people were killed.")
    [claimant] = [a for a in found.actors if a.ref == found.claims[0].claimant_ref]
    assert (claimant.name, claimant.kind) == (
        "head of the regional military administration",
        "person",
    )


@pytest.mark.parametrize(
    "document", ["An earlier statement", "A separate report", "The final tally"]
)
def test_a_documents_author_is_who_speaks_whichever_of_its_kind_it_is(document: str) -> None:
    found = draft(f"{document} from the city council had put the number of wounded at 19.")
    [claimant] = [a for a in found.actors if a.ref == found.claims[0].claimant_ref]
    assert claimant.name == "city council"


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("A local aid group said 14 people were killed.", ("local aid group", "organization")),
        ("The rights group said 14 people were killed.", ("rights group", "organization")),
        (
            "The advocacy group Shelter Now said 14 people were killed.",
            ("Shelter Now", "organization"),
        ),
        ("The militant group said 14 people were killed.", ("militant group", "armed_group")),
    ],
)
def test_a_group_named_by_what_it_does_for_people_is_no_armed_one(
    text: str, actor: tuple[str, str]
) -> None:
    found = draft(text)
    [claimant] = [a for a in found.actors if a.ref == found.claims[0].claimant_ref]
    assert (claimant.name, claimant.kind) == actor


def test_a_group_after_people_spoke_is_someone_new() -> None:
    found = draft("Residents said 4 died. The rights group said 14 people were killed.")
    names = {a.ref: a.name for a in found.actors}
    assert [names[c.claimant_ref] for c in found.claims] == ["Residents", "rights group"]


def test_the_group_after_a_body_spoke_is_that_body() -> None:
    found = draft("The Kivu Peace Network said 4 died. The group said 14 people were wounded.")
    names = {a.ref: a.name for a in found.actors}
    assert [names[c.claimant_ref] for c in found.claims] == ["Kivu Peace Network"] * 2


@pytest.mark.parametrize("name", ["Al Shabaab", "El Watan"])
def test_a_two_word_name_opening_on_an_article_is_no_persons(name: str) -> None:
    found = draft(f"{name} said on Thursday that at least 12 soldiers had been killed.")
    [claimant] = [a for a in found.actors if a.ref == found.claims[0].claimant_ref]
    assert (claimant.name, claimant.kind) == (name, None)


@pytest.mark.parametrize(
    "text",
    [
        "WFP said six people were killed. The U.N. agency said two trucks were burned.",
        "WFP said six people were killed. The agency said two trucks were burned.",
    ],
)
def test_the_agency_after_a_un_body_spoke_is_that_body(text: str) -> None:
    found = draft(text)
    names = {a.ref: a.name for a in found.actors}
    assert [names[c.claimant_ref] for c in found.claims] == ["WFP", "WFP"]


def test_a_un_agency_is_no_news_agency() -> None:
    found = draft("The U.N. agency said six people were killed.")
    [claimant] = [a for a in found.actors if a.ref == found.claims[0].claimant_ref]
    assert claimant.kind == "international_organization"


def test_the_agency_after_another_body_spoke_is_not_a_un_body_named_before() -> None:
    found = draft(
        "WFP said six people were killed. The Kivu Relief Network said two trucks burned."
        " The agency said four drivers were missing."
    )
    names = {a.ref: a.name for a in found.actors}
    assert names[found.claims[-1].claimant_ref] != "WFP"
