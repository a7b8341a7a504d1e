"""Rules of English news reporting that the revision studying the failures of `unread` by
mechanism added, each on sentences of its own (no article's wording, names or numbers): a
paper naming itself by the last words of its name, an outlet's name without the
description around it, an outlet quoting a source as one citing it, a bracketed aside after
a name, "told the paper", the name after a cited one, "whose spokesman said", a name with
"and" before its acronym, a noun after a verb in the past, "according to X estimates", a
long role or a self-description between a dated lead-in and the name, and the publisher's
own staff as the audience of "told"."""

from datetime import date

import pytest
from claimledger_server.extractions.gazetteer import KnownActor

from tests.extractions.offline import PUBLISHED, actor_names, claims_said, draft

LAKE_GAZETTE = KnownActor("act_gazette", "Northern Lake Gazette", (), "media_outlet", False)


@pytest.mark.parametrize(
    "text",
    [
        "Speaking to the Gazette, a fisherman said 12 boats sank.",
        "A fisherman told the Lake Gazette that 12 boats sank.",
    ],
)
def test_a_paper_named_by_the_last_words_of_its_name_is_the_publisher(text: str) -> None:
    assert claims_said(text, LAKE_GAZETTE)[0][:2] == ("fisherman", None)


def test_another_paper_sharing_no_last_words_still_relays() -> None:
    text = "A fisherman told the Hill Courier that 12 boats sank."
    assert claims_said(text, LAKE_GAZETTE)[0][:2] == ("fisherman", "Hill Courier")


@pytest.mark.parametrize(
    ("text", "relay"),
    [
        ("Nine died, a nurse said in remarks carried by the state-run DELTA news agency.",
         "DELTA"),
        ("Nine died, a nurse told Ghana's Coastline Star newspaper.", "Coastline Star"),
        # a description alone keeps its words: nothing else names the outlet
        ("Nine died, a nurse told Radio Kora.", "Radio Kora"),
    ],
)  # fmt: skip
def test_an_outlets_name_is_without_the_description_around_it(text: str, relay: str) -> None:
    assert claims_said(text)[0][1] == relay


def test_an_outlet_citing_someone_named_after_their_role_relays_the_one_cited() -> None:
    text = (
        "The state news agency DELTA, citing the mayor of Port Nira, Ana Ruiz, reported"
        " that 300 people had fled."
    )
    assert claims_said(text)[0][:2] == ("mayor of Port Nira", "DELTA")


def test_an_outlet_quoting_a_statement_relays_its_author() -> None:
    text = (
        "The Valley Herald, quoting a Lantern Trust statement issued on Tuesday, said"
        " 4,000 families needed shelter."
    )
    assert claims_said(text)[0][:2] == ("Lantern Trust", "Valley Herald")


def test_a_bracketed_aside_after_a_name_splits_no_speaker_phrase() -> None:
    text = "THE VALLEY HERALD (Nira, independent), citing police, said 14 shops burned."
    assert claims_said(text)[0][:2] == ("police", "VALLEY HERALD")


def test_told_the_paper_names_the_outlet_named_before() -> None:
    text = (
        "Fire swept the market, the Valley Herald reported. Traders told the paper that 14"
        " shops burned."
    )
    assert claims_said(text)[-1][:2] == ("Traders", "Valley Herald")


def test_whose_spokesman_speaks_for_the_one_before_it() -> None:
    text = (
        "Six bodies were found, according to the Lakeside Rescue Service, whose spokesman"
        " said four people were missing."
    )
    assert claims_said(text)[0][0] == "Lakeside Rescue Service"


@pytest.mark.parametrize(
    ("text", "claimant", "co_claimants"),
    [
        ("The Coastal Defence and Rescue Force (CDRF) said 12 boats sank.",
         "Coastal Defence and Rescue Force", []),
        # an article after "and": two bodies, whatever follows
        ("The navy and the Rescue Force (CDRF) said 12 boats sank.", "navy", ["Rescue Force"]),
    ],
)  # fmt: skip
def test_a_name_with_and_before_its_acronym_is_one_name(
    text: str, claimant: str, co_claimants: list[str]
) -> None:
    found = draft(text)
    names = actor_names(found)
    claim = found.claims[0]
    assert names[claim.claimant_ref] == claimant
    assert [names[ref] for ref in claim.co_claimant_refs] == co_claimants


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("Interior Minister Ana Ruiz renewed calls for tents, saying 40 homes had burned.",
         "Ana Ruiz"),
        ("The army dismissed claims of abuse, saying 12 soldiers had been wounded.", "army"),
        # a verb after an auxiliary and a past participle: "says" is a verb
        ("A man who was detained says 30 others are held.", "man"),
    ],
)  # fmt: skip
def test_a_plural_after_a_verb_in_the_past_is_its_object(text: str, claimant: str) -> None:
    assert claims_said(text)[0][0] == claimant


def test_according_to_someones_estimates_is_theirs() -> None:
    text = "The floods have killed 5,000 people, according to U.N. estimates."
    assert claims_said(text)[0][0] == "U.N."


@pytest.mark.parametrize(
    "text",
    [
        "Speaking to Radio Sol on Tuesday, the head of the fishermen's union of the old lake"
        " port, Ana Ruiz, said 12 boats sank.",
        "In a video posted online on Tuesday, a man describing himself as the militia's"
        " commander said 30 soldiers died.",
    ],
)
def test_a_dated_lead_in_dates_a_speaker_described_at_length(text: str) -> None:
    assert claims_said(text)[0][2] == date(2024, 12, 24)


@pytest.mark.parametrize("audience", ["our newsroom", "our correspondent", "this reporter"])
def test_the_publishers_own_staff_as_audience_leave_the_date_to_the_verb(audience: str) -> None:
    text = f"Twelve people died in the fire, the mayor told {audience} on Monday."
    assert claims_said(text) == [("mayor", None, date(2024, 12, 23))]


def test_an_event_date_in_what_was_said_is_no_statement_date() -> None:
    text = "The mayor told our newsroom the fire on Monday killed 12 people."
    assert claims_said(text)[0][2] == PUBLISHED
