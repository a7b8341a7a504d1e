"""Rules of English text structure and reporting that the revision studying the failures of
`unvisited` by mechanism added, each on texts of its own (no article's wording, names or
numbers): dated entries (a diary, a chronology) and a diarist's first person, the occasion a
record of minutes or a meeting summary reports, "per", "in the words of", "as stated by",
counts named by their owner ("A tally by X shows", "Figures released by X on Monday"),
delegates who speak also for others, a time opener without a comma, "had said", "told me",
a contact clause ("a commander I reached") and a member's party in brackets."""

from datetime import date

import pytest

from tests.extractions.offline import PUBLISHED, actor_names, draft

Said = tuple[str, list[str], date | None]


def _claims(text: str) -> list[Said]:
    """(claimant, co-claimants, stated_on) of each claim."""
    found = draft(text)
    names = actor_names(found)
    return [
        (names[c.claimant_ref], [names[r] for r in c.co_claimant_refs], c.stated_on)
        for c in found.claims
    ]


def _by_figure(text: str) -> dict[int | None, Said]:
    """Each figure's amount, with the claim that carries it."""
    found = draft(text)
    names = actor_names(found)
    return {
        f.amount: (names[c.claimant_ref], [names[r] for r in c.co_claimant_refs], c.stated_on)
        for c in found.claims
        for f in c.figures
    }


_DIARY = (
    "Notes from a field clinic\n\n"
    "TOWN, Dec 27 (Meridian News) - Dr. Lena Okoro, a nurse with a medical charity, kept this"
    " diary for Meridian News during her month at the clinic.\n\n"
    "Sunday, Dec. 15\n"
    "We admitted 38 wounded after the market shelling. In the evening the district officer"
    " told us that 12 people had died in the market.\n\n"
    "Thursday, Dec. 19\n"
    "Another long night: 9 casualties. A driver with the ambulance service told me that his"
    " crew had moved 20 wounded from the border on Tuesday.\n\n"
    "The charity said on Monday that it would send more staff."
)


def test_a_diary_dates_each_entry_and_its_first_person_figures_are_the_diarists() -> None:
    figures = _by_figure(_DIARY)
    assert figures[38] == ("Lena Okoro", [], date(2024, 12, 15))
    assert figures[9] == ("Lena Okoro", [], date(2024, 12, 19))
    assert figures[12][2] == date(2024, 12, 15)  # told on the entry's day
    assert figures[12][0] == "district officer"
    assert figures[20][2] == date(2024, 12, 19)  # "on Tuesday" is when the crew moved them
    charity = [c for c in _claims(_DIARY) if c[0] == "charity"]
    assert charity
    assert charity[0][2] == date(2024, 12, 23)  # outside the entries: its own date


_CHRONOLOGY = (
    "TIMELINE-A year of fighting in the valley\n\n"
    "Dec 27 (Meridian News) - These are the main events, with the tolls given at the time.\n\n"
    "Jan. 10 - Rebels seize two villages. The regional governor says 14 people were killed.\n\n"
    "June 2 - Troops retake the ridge; the army says 40 rebels died in the assault.\n\n"
    "Nov. 30 - A ceasefire is signed. The monitor Valley Watch says on the same day that its"
    " count has reached 610 dead.\n\n"
    "Dec. 20 - Shelling kills 6 people in the main town."
)


def test_a_chronology_dates_what_is_said_in_each_entry_by_the_entrys_date() -> None:
    figures = _by_figure(_CHRONOLOGY)
    assert figures[14][2] == date(2024, 1, 10)
    assert figures[40][2] == date(2024, 6, 2)
    assert figures[610][2] == date(2024, 11, 30)  # "on the same day" as the entry
    # a figure the chronology states itself is the publisher's, written when it was published
    assert figures[6] == ("Meridian News", [], PUBLISHED)


def test_one_paragraph_that_opens_on_a_date_is_no_layout_of_entries() -> None:
    text = (
        "CITY, Dec 27 (Meridian News) - Fighting went on.\n\n"
        "Dec. 3 - a date some readers remember. The mayor says 11 people were killed."
    )
    assert _by_figure(text)[11][2] == PUBLISHED


_MINUTES = (
    "Minutes: the security committee on prisoners\n\n"
    "CAPITAL, Dec 27 (Meridian News) - The following are excerpts from the minutes of the 18"
    " December sitting of the assembly's security committee, published on Thursday.\n\n"
    "Item 1. The deputy minister, Mr. Karl Lind, told the committee that 52 soldiers were"
    " still held prisoner. He added that 300 people were listed as missing.\n\n"
    "Ms. Vera Holm (Green Alliance) said that as many as 410 people were missing."
)


def test_minutes_date_every_statement_by_the_sitting_they_record() -> None:
    assert {c[2] for c in _claims(_MINUTES)} == {date(2024, 12, 18)}
    assert _by_figure(_MINUTES)[410][0] == "Vera Holm"  # her party in brackets is no speaker


def test_a_meeting_summary_dates_its_speakers_by_the_meeting_and_delegates_speak_for_others() -> (
    None
):
    text = (
        "Council hears of a worsening siege\n\n"
        "NEW YORK, Dec 27 (Meridian News) - The following summarises Tuesday's open briefing"
        " of the Security Council, drawn from the official record.\n\n"
        "Speaking next, the representative of France, penholder on the file, said that 63"
        " people had been killed.\n\n"
        "The representative of Ghana, speaking also on behalf of Kenya and Gabon, said dozens"
        " of children had been killed."
    )
    claims = _claims(text)
    assert {on for _, _, on in claims} == {date(2024, 12, 24)}
    france, ghana = claims
    assert "Speaking" not in france[0]
    assert "France" in france[0]
    assert set(ghana[1]) == {"Kenya", "Gabon"}


@pytest.mark.parametrize(
    ("sentence", "claimant", "on"),
    [
        ("At least 19 people were killed in a strike on Friday, per the regional health office.",
         "regional health office", PUBLISHED),
        ("Per the city council, 11 people were killed.", "city council", PUBLISHED),
        ('The camp was "a rebel base", in the words of the army spokesman, Colonel Ivo Brandt.',
         "Ivo Brandt", PUBLISHED),
        ("Thousands of people have fled the port since Dec. 2, as stated by the U.N. refugee"
         " agency, UNHCR, at a briefing in Geneva on Monday.", "U.N. refugee agency",
         date(2024, 12, 23)),
    ],
)  # fmt: skip
def test_per_in_the_words_of_and_as_stated_by_name_the_claimant(
    sentence: str, claimant: str, on: date
) -> None:
    text = f"CITY, Dec 27 (Meridian News) - Fighting went on.\n\n{sentence}"
    assert _claims(text) == [(claimant, [], on)]


def test_per_as_a_rate_names_no_one() -> None:
    text = "CITY, Dec 27 (Meridian News) - Fighting went on.\n\nThe rate is 10 per 1,000 births."
    assert _claims(text) == []


@pytest.mark.parametrize(
    ("sentence", "claimant", "on"),
    [
        ("A count by the Prisoners Aid Network, a rights group, shows 2,470 people detained.",
         "Prisoners Aid Network", PUBLISHED),
        ("Figures released by the provincial police command in June put the number of"
         " civilians killed this year at 96.", "provincial police command", date(2024, 6, 1)),
        ("Figures released by the Red Lantern Society on Monday show that 5,000 people fled.",
         "Red Lantern Society", date(2024, 12, 23)),
        ("Rebels have killed at least 43 civilians this year, a tally by the Daily Star of"
         " local media reports shows.", "Daily Star", PUBLISHED),
    ],
)  # fmt: skip
def test_a_count_named_by_its_owner_is_the_owners_claim_dated_by_its_release(
    sentence: str, claimant: str, on: date
) -> None:
    text = f"CITY, Dec 27 (Meridian News) - Fighting went on.\n\n{sentence}"
    assert _claims(text) == [(claimant, [], on)]


@pytest.mark.parametrize(
    ("sentence", "claimant", "on"),
    [
        ("On Monday he said that 86 bodies had been found.", "Ali Musa", date(2024, 12, 23)),
        ("In the evening the district officer told us that 27 people died.",
         "district officer", PUBLISHED),
        ("The governor, Ali Musa, had said on Sunday that 68 people had been killed.",
         "Ali Musa", date(2024, 12, 22)),
        ("The regional bureau told me on Dec. 24 that 312 people died.", "regional bureau",
         date(2024, 12, 24)),
        ("A rebel commander I reached by phone claimed his men had killed 500 soldiers.",
         "rebel commander", PUBLISHED),
    ],
)  # fmt: skip
def test_openers_auxiliaries_and_the_writer_beside_the_speaker_are_no_part_of_it(
    sentence: str, claimant: str, on: date
) -> None:
    text = (
        "CITY, Dec 27 (Meridian News) - The governor, Ali Musa, said the town was calm.\n\n"
        f"{sentence}"
    )
    assert _claims(text)[-1] == (claimant, [], on)
