"""Rules of English news reporting that the revision studying the failures of `unopened` by
mechanism added, each on sentences of its own (no article's wording, names or numbers): the
agent of a passive of saying, an outlet that quoted someone "as saying by", a tally kept by
its author, a summary of one outlet's broadcast (the outlet relays all but its presenters,
"told the channel" names it, "opened by saying"), a pronoun before "but said", a plural's
claim before a quotation, background with a thousands separator, and a reflexive after a
speaker."""

from datetime import date

import pytest

from tests.extractions.offline import PUBLISHED, actor_names, claims_said, draft


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("It was claimed by the river brigade that 14 boats had been sunk.", "river brigade"),
        ("Some 60 shops were said by the traders' guild to have been looted.",
         "traders' guild"),
        ("The blast was blamed on an E.U.-made shell by the provincial council, which gave no"
         " toll.", "provincial council"),
        ("About 9,000 people are considered by the Lantern Trust to need shelter.",
         "Lantern Trust"),
        ("Twenty houses burned down, it was estimated by the fire service.", "fire service"),
        # the agent's name, given after its description
        ("It was stated by a navy spokesman, Captain Ilse Marten, that 3 mines were cleared.",
         "Ilse Marten"),
    ],
)  # fmt: skip
def test_the_agent_of_a_passive_of_saying_is_the_speaker(text: str, claimant: str) -> None:
    assert claims_said(text)[0][0] == claimant


def test_a_passive_dated_after_its_agent_is_dated_so() -> None:
    text = "It was stated by the navy on Tuesday that 3 mines were cleared."
    assert claims_said(text) == [("navy", None, date(2024, 12, 24))]


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        # no agent: what was said about, not who said it
        ("Nine were said to be farmers, the mayor said.", "mayor"),
        # a passive required, not stated, and an agent that is no speaker
        ("Each death must be confirmed by two witnesses, a monitor said.", "monitor"),
        ("Twelve people were reported killed by shelling, the governor said.", "governor"),
    ],
)  # fmt: skip
def test_a_passive_names_no_speaker_without_an_agent_of_saying(text: str, claimant: str) -> None:
    assert claims_said(text)[0][0] == claimant


def test_an_outlet_that_quoted_someone_as_saying_relays_them() -> None:
    text = "Six were wounded, a nurse was quoted as saying by the Lakeside Herald."
    assert claims_said(text) == [("nurse", "Lakeside Herald", PUBLISHED)]


def test_a_tally_kept_by_someone_is_theirs() -> None:
    text = "At least 80 people have died this year, according to a tally kept by the Ridge Watch."
    assert claims_said(text)[0][0] == "Ridge Watch"


_PROGRAMME = (
    "RIVERTON, Dec 27 (Meridian News) - The following summarises the morning programme of the"
    " regional channel Delta 4, broadcast on Friday and monitored by Meridian News.\n\n"
    "Presenter Mara Kiel opened by saying that floods had cut 3 roads.\n\n"
    "Mayor Tomas Brandt told the channel that 40 homes had been flooded.\n\n"
    "[05:10] In a recorded interview, engineer Paul Adler said 2 dams were under strain.\n\n"
    "Kiel said 7 schools were closed."
)


def test_a_broadcast_summarised_relays_its_guests_but_not_its_presenter() -> None:
    claims = claims_said(_PROGRAMME)
    assert [(c, r) for c, r, _ in claims] == [
        ("Presenter Mara Kiel", None),
        ("Tomas Brandt", "Delta 4"),
        ("Paul Adler", "Delta 4"),
        ("Presenter Mara Kiel", None),
    ]


def test_a_text_that_summarises_no_broadcast_relays_no_one() -> None:
    text = (
        "RIVERTON, Dec 27 (Meridian News) - Floods hit the valley.\n\n"
        "Engineer Paul Adler said 2 dams were under strain."
    )
    assert claims_said(text)[0][1] is None


def test_a_clip_in_which_someone_spoke_is_theirs() -> None:
    text = "The station aired a clip in which army spokesman Colonel Ida Sorn said 5 tanks burned."
    assert claims_said(text)[0][0] == "Ida Sorn"


def test_a_pronoun_before_but_said_names_the_body_spoken_of() -> None:
    text = (
        "The Lantern Trust said the camp held 900 people. It did not name any victims but"
        " said 3 of its volunteers were hurt."
    )
    assert [c for c, _, _ in claims_said(text)] == ["Lantern Trust", "Lantern Trust"]


def test_a_plural_claims_a_quoted_figure() -> None:
    text = "Rebels claim '200' soldiers dead; army denies"
    found = draft(text)
    assert actor_names(found)[found.claims[0].claimant_ref] == "Rebels"


def test_a_thousands_separator_is_no_comma_of_a_relative_clause() -> None:
    text = "The mission, which has about 6,500 troops there, said on Monday that 4 rebels died."
    found = draft(text)
    names = actor_names(found)
    by_claimant = {names[c.claimant_ref]: [f.amount for f in c.figures] for c in found.claims}
    assert by_claimant == {"mission": [4], "Meridian News": [6500]}


def test_a_reflexive_after_a_speaker_is_no_part_of_it() -> None:
    assert claims_said("The clinic itself said it had treated 30 people.")[0][0] == "clinic"
