"""Rules of English news reporting that the revision studying the failures of `sealed` by
mechanism added, each on sentences of its own (no article's wording, names or numbers):
an age set off by commas after a name, a paper that speaks for whoever issued or signed it,
a sentence's capitalised first word naming a party again, and the occasions that date a
statement ("during Monday's hearing", "told the …-based Post on Monday")."""

from datetime import date

import pytest
from claimledger_server.text.quantities import find_quantities

from tests.extractions.offline import PUBLISHED, actor_names, draft


def _claims(text: str) -> list[tuple[str, list[str], date | None]]:
    """(claimant, co-claimants, stated_on) of each claim."""
    found = draft(text)
    names = actor_names(found)
    return [
        (names[c.claimant_ref], [names[r] for r in c.co_claimant_refs], c.stated_on)
        for c in found.claims
    ]


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("Police said gunmen led by Amadou Sow, 41, killed 12 people.", [12]),
        ("The raid was ordered by Colonel Ana Ruiz, 52, and left 30 dead.", [30]),
        # no name before the comma, or no comma after the number: a count
        ("In the north, 41 people were killed and 12 wounded.", [41, 12]),
        ("The toll rose in Kassala, 41 of them children.", [41]),
    ],
)  # fmt: skip
def test_an_age_is_a_number_set_off_by_commas_after_a_name(text: str, amounts: list[int]) -> None:
    assert [q.amount for q in find_quantities(text) if q.kind == "count"] == amounts


def test_a_paper_signed_by_several_parties_is_their_joint_claim() -> None:
    text = (
        '"We cannot stay silent," said the open letter, signed among others by the Lake'
        " Women's Forum, Hope Relief and the River Bar Association. The signatories said"
        " gunmen had killed 23 people. The letter said 40 people were abducted."
    )
    joint = ("Lake Women's Forum", ["Hope Relief", "River Bar Association"])
    assert [(c, co) for c, co, _ in _claims(text)] == [joint, joint, joint]


def test_a_paper_introduced_without_its_issuer_is_the_opening_partys() -> None:
    text = (
        "CITY, Dec 27 (Meridian News) - State prosecutors have charged a militia leader with"
        " murder, according to a 30-page indictment filed with the court on Monday. The"
        " filing says his men killed at least 61 people. According to the indictment, 112"
        " houses were burned."
    )
    assert _claims(text) == [("State prosecutors", [], date(2024, 12, 23))] * 3


def test_a_paper_with_its_author_named_is_unchanged() -> None:
    # a paper named with its issuer is no paper without one
    assert [c for c, _, _ in _claims("A UNICEF report said 40 children were killed.")] == ["UNICEF"]


def test_a_sentence_opening_word_names_a_party_again() -> None:
    text = (
        "Provincial prosecutors said on Monday that 9 people were killed. Prosecutors say"
        " the gang abducted 27 people."
    )
    assert _claims(text) == [("Provincial prosecutors", [], date(2024, 12, 23))] * 2


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("During Monday's hearing, lawmaker Asha Nur said 40 soldiers were killed.",
         date(2024, 12, 23)),
        ("At Tuesday's briefing, the spokesman said 12 people were killed.",
         date(2024, 12, 24)),
        # a weekday's event is no occasion of the statement
        ("The mayor said Monday's attack killed 9 people.", PUBLISHED),
        ("The spokesman told the Bangkok-based Delta Post on Wednesday that 20 were killed.",
         date(2024, 12, 25)),
    ],
)  # fmt: skip
def test_the_occasions_that_date_a_statement(text: str, on: date) -> None:
    assert _claims(text)[-1][2] == on


@pytest.mark.parametrize(
    ("headline", "claimants"),
    [
        ("Toll from the dam attack rises to nine, governor says", ["governor", "governor"]),
        ("Rebels say drone strike on the depot killed 24", ["Rebels", "governor"]),
        # a headline that names nobody and states a figure is the publisher's statement of
        # fact (GUIDELINES.md, "Claims"); one without a figure repeats the article
        ("Drone strike on the depot kills at least 9", ["Meridian News", "governor"]),
        ("Drone strike hits the depot", ["governor"]),
    ],
)  # fmt: skip
def test_a_headline_that_names_who_says_it_is_their_claim(
    headline: str, claimants: list[str]
) -> None:
    text = f"{headline}\n\nCITY, Dec 27 (Meridian News) - The governor said 9 people were killed."
    assert [c for c, _, _ in _claims(text)] == claimants


def _figures(text: str) -> list[tuple[str, str, int | None]]:
    return [(f.metric, f.qualifier, f.low) for c in draft(text).claims for f in c.figures]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        # the figure's own words quoted: the marks stand between amount and noun
        ('The minister said the force had "no more than 9,000" troops in the region.',
         [("deployed", "at_most", 0)]),
        ('The mayor said the raiders burned "dozens" of homes.', [("other", "vague", 24)]),
        # the wounded who died are dead
        ("The governor said three wounded officers died in hospital overnight.",
         [("killed", "exact", 3)]),
        ("The medic said the toll rose to 14 after two of the wounded died.",
         [("killed", "exact", 14), ("killed", "exact", 2)]),
        # a part of the hurt, by how badly it is hurt
        ("The medic said 40 people were wounded, some of them critically.",
         [("wounded", "exact", 40), ("wounded", "unspecified", None)]),
        ("The medic said 40 people were wounded and that some of them were in critical"
         " condition.", [("wounded", "exact", 40), ("wounded", "unspecified", None)]),
        # what a part is, is no count of its own
        ("The medic said 40 people were wounded, some of them teenagers.",
         [("wounded", "exact", 40)]),
        ("The mayor said gunmen raided the village, beheading four men.",
         [("killed", "exact", 4)]),
    ],
)  # fmt: skip
def test_counts_in_quotes_and_the_fate_of_the_wounded(
    text: str, figures: list[tuple[str, str, int | None]]
) -> None:
    assert _figures(text) == figures


def test_a_speaker_introduced_with_a_is_someone_new() -> None:
    text = (
        "Delta news agency said, citing a local official in the port, that 26 people died. A port"
        " official told Meridian News that two tanks burned. The official said 3 guards"
        " were hurt."
    )
    assert [c for c, _, _ in _claims(text)] == [
        "local official in the port",
        "port official",
        "port official",
    ]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Toll from the dam attack rises to nine, the governor said.", [("killed", "exact", 9)]),
        ("The death toll from the strike on the market has risen to 14, the mayor said.",
         [("killed", "exact", 14)]),
        # a toll that no attack's name stands between: as before
        ("The mayor said the toll had climbed to 30.", [("killed", "exact", 30)]),
    ],
)  # fmt: skip
def test_a_toll_named_by_the_sentence_subject(
    text: str, figures: list[tuple[str, str, int | None]]
) -> None:
    assert _figures(text) == figures


@pytest.mark.parametrize(
    ("text", "claimants"),
    [
        ("The Relief Agency and its partners launched an appeal on Friday, saying 3 million"
         " people need aid.", [("Relief Agency", [])]),
        ("CITY, Dec 27 (Meridian News) - The Harbour Board issued new rules, saying 40"
         " boats were lost.", [("Harbour Board", [])]),
        # a subject that says how many spoke, not who: no speaker named
        ("Twelve aid groups signed a petition, saying 96 people were killed.",
         [("Meridian News", [])]),
    ],
)  # fmt: skip
def test_saying_hands_the_clause_to_the_sentence_subject(
    text: str, claimants: list[tuple[str, list[str]]]
) -> None:
    assert [(c, co) for c, co, _ in _claims(text)] == claimants
