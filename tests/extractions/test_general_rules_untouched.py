"""Rules of English news reporting that the revision studying the failures of `untouched` by
mechanism added, each on sentences of its own (no article's wording, names or numbers):
transcripts dated by their occasion, outlets described by who runs them, a broadcast's
stations and the people they put on air, papers and their signatories, the objects and
asides between a verb and its date, background a writer puts beside a speaker, and counts
that are no figures (a population, a survey's sample, a year before an event)."""

from datetime import date

import pytest
from claimledger_server.text.quantities import find_quantities

from tests.extractions.offline import PUBLISHED, actor_names, draft

Said = tuple[str, list[str], str | None, date | None]


def _claims(text: str) -> list[Said]:
    """(claimant, co-claimants, relay, stated_on) of each claim."""
    found = draft(text)
    names = actor_names(found)
    return [
        (
            names[c.claimant_ref],
            [names[r] for r in c.co_claimant_refs],
            names.get(c.relayed_by_ref) if c.relayed_by_ref else None,
            c.stated_on,
        )
        for c in found.claims
    ]


def _figures(text: str) -> list[tuple[str, str, int | None, str]]:
    return [
        (f.metric, f.qualifier, f.amount, f.unit) for c in draft(text).claims for f in c.figures
    ]


def test_a_transcript_is_dated_by_the_occasion_its_introduction_names() -> None:
    text = (
        "CITY, Dec 27 (Meridian News) - Below is a transcript of Tuesday's briefing by Major"
        " Lena Varga, spokeswoman for the northern command.\n\n"
        "VARGA: Rebels shelled 14 villages overnight. I will say 6 soldiers were wounded.\n\n"
        "Q: What of the dam?\n\n"
        "VARGA: We lost no men there."
    )
    claims = _claims(text)
    assert {c for c, _, _, _ in claims} == {"Lena Varga"}
    assert {on for _, _, _, on in claims} == {date(2024, 12, 24)}


@pytest.mark.parametrize(
    ("text", "relay", "on"),
    [
        ("A militia spokesman told the exile-run Delta Voice on Wednesday that 12 people died.",
         "Delta Voice", date(2024, 12, 25)),
        ("The mayor told the diaspora-run Hill Star radio that 12 people died.",
         "Hill Star radio", PUBLISHED),
        ("The mayor told La Voz del Valle radio on Monday that 12 people died.",
         "La Voz del Valle radio", date(2024, 12, 23)),
    ],
)  # fmt: skip
def test_an_outlet_told_is_read_past_who_runs_it_and_the_particles_of_its_name(
    text: str, relay: str, on: date
) -> None:
    assert _claims(text)[0][2:] == (relay, on)


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("The army rejected the accusation in a statement on Tuesday, saying 9 gunmen died.",
         date(2024, 12, 24)),
        ("The governor put the toll at 400 in a speech last year.", date(2023, 1, 1)),
        ('The governor put the toll at "more than 400" in a speech in the capital last year.',
         date(2023, 1, 1)),
        ("About 9,000 people remain displaced, the agency said in its last update of the year,"
         " on Dec. 20.", date(2024, 12, 20)),
        # what was said, not the object of the verb, may carry the event's date
        ("The governor said the attack on Tuesday killed 12 people.", PUBLISHED),
    ],
)  # fmt: skip
def test_what_a_verb_is_about_and_a_date_set_off_by_a_comma(text: str, on: date) -> None:
    assert _claims(text)[0][3] == on


def test_an_aside_that_quotes_someone_dates_them() -> None:
    text = 'The envoy, quoted in Tuesday\'s statement, called the shelling "reckless".'
    assert _claims(text) == [("envoy", [], None, date(2024, 12, 24))]


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        # a place's residents are its population, whatever befalls them as a whole
        ("The office said the province's 70,000 residents were trapped.", []),
        # whom a study asked is its sample
        ("The team counted graves, interviewing 318 families in the camps.", []),
        # a year before the event it names
        ("It said 1,400 people arrested since the 2019 coup were still held.", [1400]),
        # "no one" is a pronoun
        ("The group said it had lost no one.", []),
    ],
)  # fmt: skip
def test_counts_that_are_no_figures(text: str, amounts: list[int]) -> None:
    assert [amount for _, _, amount, _ in _figures(text)] == amounts


def test_a_year_before_an_event_is_no_count() -> None:
    counts = [q.amount for q in find_quantities("held since the 2019 coup") if q.kind == "count"]
    assert counts == []


def test_a_joint_communique_and_a_relative_where_name_their_speakers_again() -> None:
    text = (
        "The governments of Arland, Belmar and Corvia said on Wednesday that their forces had"
        " killed 40 fighters. The communiqué said 3 soldiers had been killed. It made no mention"
        " of the town of Vell, where farmers and a local women's group said troops had killed 9"
        " civilians."
    )
    assert [(c, co) for c, co, _, _ in _claims(text)] == [
        ("Arland", ["Belmar", "Corvia"]),
        ("Arland", ["Belmar", "Corvia"]),
        ("farmers", ["local women's group"]),
    ]


def test_the_signatories_of_a_paper_are_all_who_led_or_signed_it() -> None:
    text = (
        "In a joint letter published on Tuesday, 12 groups, led by the River Rights League (RRL)"
        ' and the Coast Aid Forum, called for an inquiry. "We have recorded 210 killings,"'
        " the signatories wrote. The letter was also signed by the Lowland Bar Association."
    )
    claims = _claims(text)
    assert claims[0] == ("River Rights League", ["Coast Aid Forum"], None, date(2024, 12, 24))
    assert claims[1] == (
        "River Rights League",
        ["Coast Aid Forum", "Lowland Bar Association"],
        None,
        date(2024, 12, 24),
    )


@pytest.mark.parametrize(
    "text",
    [
        'The union called the figure "inflated".',
        'Mayor Tomas Ekberg spoke at noon. He called the raiders "bandits" and said the talks'
        " were over.",
    ],
)
def test_calling_something_a_name_in_quotes_is_a_claim(text: str) -> None:
    assert len(_claims(text)) == 1


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("The officer said the patrol of 30 soldiers was ambushed.",
         [("deployed", "exact", 30, "people")]),
        ("The mayor said the raid forced 90 families to leave their farms.",
         [("displaced", "exact", 90, "families")]),
        ('The rebels said they had "put out of action" 14 soldiers.',
         [("killed_or_wounded", "exact", 14, "people")]),
        ("The priest said 20 people, most of them women, had been taken into the bush.",
         [("detained", "exact", 20, "people")]),
        ("The elder said his daughter was among six girls taken from a school.",
         [("detained", "exact", 6, "people")]),
        ("The nurse said 3,000 people had taken refuge in the church.",
         [("displaced", "exact", 3000, "people")]),
        ("The agency said aid meant for 800 displaced families was stolen.",
         [("displaced", "exact", 800, "families")]),
        ("The army said it struck 300 targets and killed 40 fighters.",
         [("other", "exact", 300, "targets"), ("killed", "exact", 40, "people")]),
        ("The envoy said the mission's 4,000 peacekeepers could not stop the war.",
         [("deployed", "exact", 4000, "people")]),
    ],
)  # fmt: skip
def test_what_counts_count_in_other_words(
    text: str, figures: list[tuple[str, str, int | None, str]]
) -> None:
    assert _figures(text) == figures


def test_a_name_given_for_a_person_is_a_persons_whom_he_names_next() -> None:
    text = (
        "A shepherd named Odo Tarn said 9 sheep were stolen. A militia commander who gave his"
        " name only as Brann told the Valley Post that 12 soldiers were killed. He said 3 of"
        " his men died."
    )
    claims = _claims(text)
    assert [c for c, _, _, _ in claims][1:] == ["Brann", "Brann"]
    assert claims[2][2] == "Valley Post"


def test_a_stations_bulletin_speaks_for_it_and_relays_who_it_puts_on_air() -> None:
    text = (
        "CITY, Dec 27 (Meridian News) - Our desk listened to two stations.\n\n"
        "RADIO LAKESIDE, PORTVILLE\n"
        "In its evening bulletin on Tuesday, the station said gunmen killed 4 men. Speaking on"
        " the same Tuesday bulletin, a fisherman said 12 boats had been burned.\n\n"
        "RADIO HILLTOP\n"
        "During Wednesday's programme, the station read a statement from the border police"
        " saying officers had killed 7 smugglers. A caller to Thursday's phone-in who gave her"
        " name as Ama Sefa said 5 boys were abducted. The station said on Thursday that it could"
        " not confirm the abductions. It also reported that 300 families fled."
    )
    assert _claims(text) == [
        ("RADIO LAKESIDE", [], None, date(2024, 12, 24)),
        ("fisherman", [], "RADIO LAKESIDE", date(2024, 12, 24)),
        ("border police", [], "RADIO HILLTOP", date(2024, 12, 25)),
        ("Ama Sefa", [], "RADIO HILLTOP", date(2024, 12, 26)),
        ("RADIO HILLTOP", [], None, date(2024, 12, 26)),
        ("RADIO HILLTOP", [], None, date(2024, 12, 26)),
    ]


def test_a_role_named_after_an_occasion_is_the_speaker_it_dates() -> None:
    text = (
        'On Monday\'s "Morning Hour" programme, the district police chief, Ivo Brandt, said'
        " officers had killed 3 raiders."
    )
    assert _claims(text)[0][0::3] == ("Ivo Brandt", date(2024, 12, 23))


def test_what_a_speaker_has_said_of_it_in_an_aside_is_the_writers() -> None:
    text = (
        "The alliance, which has about 700 troops in the province, said on Tuesday that two"
        " of its soldiers were wounded."
    )
    found = draft(text)
    names = actor_names(found)
    claims = [(names[c.claimant_ref], [f.amount for f in c.figures]) for c in found.claims]
    assert claims == [("alliance", [2]), ("Meridian News", [700])]
    # an aside that says something else stays the speaker's
    other_aside = "The alliance, which lost 40 men, said on Tuesday it would fight."
    assert len(draft(other_aside).claims) == 1


def test_a_statement_quoted_at_length_is_its_speakers_to_the_closing_mark() -> None:
    text = (
        "The charity Open Wells said on Tuesday it was closing its clinic. In a statement, the"
        " group said:\n\n"
        '"Gunmen fired on our van. Two of our drivers, both local men, were hit. Both are in'
        " stable condition.\n\n"
        '"This year our clinic has treated 410 people for gunshot wounds. We cannot go on."\n\n'
        "Police said 3 suspects were arrested."
    )
    claims = _claims(text)
    assert {c for c, _, _, _ in claims[:-1]} == {"Open Wells"}
    assert {on for _, _, _, on in claims[:-1]} == {date(2024, 12, 24)}
    assert claims[-1][0] == "Police"
    assert _figures(text) == [
        ("wounded", "exact", 2, "people"),
        ("wounded", "exact", 410, "people"),
        ("detained", "exact", 3, "people"),
    ]


def test_people_hit_are_killed_or_wounded_until_the_text_says_they_lived() -> None:
    assert _figures("The mayor said four guards, all young men, were hit.") == [
        ("killed_or_wounded", "exact", 4, "people")
    ]


def test_a_person_described_first_is_named_later_by_the_same_description() -> None:
    text = (
        "Raids killed 30 people last week, a village teacher who fled said on Monday."
        ' "We buried them at dawn," the teacher, Ada Marrow, told Meridian News.'
    )
    claims = _claims(text)
    assert [c for c, _, _, _ in claims] == ["Ada Marrow", "Ada Marrow"]
    assert [on for _, _, _, on in claims] == [date(2024, 12, 23)] * 2


def test_a_correction_gives_a_figure_back_to_whom_it_was_given_by() -> None:
    text = (
        "On Thursday, Ola Brun had put the toll at 30. CORRECTION: An earlier version of this"
        " story wrongly said the police had given the toll of 30 dead; the figure was given by"
        " Ola Brun, a local councillor."
    )
    assert [(c, on) for c, _, _, on in _claims(text)] == [("Ola Brun", date(2024, 12, 26))] * 2


@pytest.mark.parametrize(
    ("headline", "claimants", "figures"),
    [
        # a wire rubric is no part of the headline
        ("UPDATE 3-Toll from the dam attack rises to 12, mayor says", ["mayor", "governor"],
         [("killed", "exact", 12, "people"), ("killed", "exact", 9, "people")]),
        # a figure stated as plain fact is the publisher's
        ("Flooding of the valley sends thousands fleeing", ["Meridian News", "governor"],
         [("displaced", "vague", None, "people"), ("killed", "exact", 9, "people")]),
        ("Capital sends 500 more troops to the border", ["Meridian News", "governor"],
         [("deployed", "exact", 500, "people"), ("killed", "exact", 9, "people")]),
        # a figure denied, or a headline that asks what a figure shows, states none
        ("No, 300 people were not killed in the raid", ["governor"],
         [("killed", "exact", 9, "people")]),
    ],
)  # fmt: skip
def test_a_headline_states_the_publishers_figure_unless_it_names_who_said_it(
    headline: str, claimants: list[str], figures: list[tuple[str, str, int | None, str]]
) -> None:
    text = f"{headline}\n\nCITY, Dec 27 (Meridian News) - The governor said 9 people were killed."
    assert [c for c, _, _, _ in _claims(text)] == claimants
    assert _figures(text) == figures


def test_a_count_named_by_where_counting_stopped() -> None:
    text = 'The priest said 300 people were killed. "We stopped counting at 212," he said.'
    assert _figures(text) == [
        ("killed", "exact", 300, "people"),
        ("killed", "exact", 212, "people"),
    ]


@pytest.mark.parametrize(
    ("phrase", "unit"),
    [
        ("seized an unknown number of rifles", "rifles"),
        ("abducted an undisclosed number of teachers", "people"),
    ],
)
def test_an_unknown_number_is_a_count_nobody_gave(phrase: str, unit: str) -> None:
    found = [(q.qualifier, q.amount, q.unit) for q in find_quantities(phrase)]
    assert found == [("unspecified", None, unit)]
    # a number of things that are not counted is no count at all
    assert find_quantities("for an unknown number of reasons") == []
