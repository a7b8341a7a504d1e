"""Rules of English news reporting that the revision studying the failures of `unheard` by
mechanism added, each on sentences of its own (no article's wording, names or numbers):
who speaks (the platform X ending a sentence, a quotation carried over and closed by "she
told the paper", a name with a particle described by a person's role, an outlet described as
a station, media named by country or language, a described speaker after the verb of a
clause that ends in a predicate, "put the navy's toll at", "according to officials at the
time"), where one sentence holds several claims (the writer's narration after an
attribution, an earlier figure "up from N announced on DAY", a relative clause in which the
one just named speaks again, "which it says"), and what a count counts (what a place has,
places people came from, a part of a place's population, parts after "the dead included",
"buried", "the other two", a headline's "injure", a quotation's figures, "were also
wounded", recruits harmed, "compared with", the bodies of a family, people pulled alive, a
total named by its subject, an aside's parts sent, members of a named body, an incident's
rank that counts its kind)."""

from datetime import date

import pytest
from claimledger_server.extractions.gazetteer import KnownActor

from tests.extractions.offline import (
    PUBLISHED,
    Counted,
    actor_names,
    claims_said,
    counted,
    draft,
)

LAKE_GAZETTE = KnownActor("act_gazette", "Lake Gazette", (), "media_outlet", False)


# Who speaks


def test_the_platform_x_ends_a_sentence() -> None:
    text = (
        "The governor announced a curfew in a post on X. The rights office said 52 civilians"
        " were killed."
    )
    assert [said[0] for said in claims_said(text)] == ["governor", "rights office"]


def test_a_quotation_carried_over_closes_on_whom_she_told() -> None:
    text = (
        'Mayor Ana Ruiz said the gunmen came at dawn. "They burned the market first. We have'
        ' counted 30 bodies," she told the Lake Gazette.'
    )
    assert claims_said(text, LAKE_GAZETTE)[-1][:2] == ("Ana Ruiz", None)


def test_a_name_with_a_particle_described_by_a_role_is_a_persons() -> None:
    text = (
        "Nine people died, according to local officials. Omar al-Rashid, a spokesman for the"
        ' fire service, told reporters the blaze was out. "Two firefighters are still'
        ' missing," he said.'
    )
    assert claims_said(text)[-1][0] == "Omar al-Rashid"


def test_an_outlet_described_as_a_station_relays_whom_it_cites() -> None:
    text = "Local radio station Radio Kora, citing fishermen, said 900 people had fled."
    assert claims_said(text)[0][:2] == ("fishermen", "Radio Kora")


@pytest.mark.parametrize("media", ["Israeli media", "Turkish media", "Arabic-language media"])
def test_media_named_by_country_or_language_relay(media: str) -> None:
    text = f"The navy confirmed it had sunk the ferry, according to {media}."
    assert claims_said(text)[0][:2] == ("navy", media)


def test_social_media_relay_nothing() -> None:
    text = "Social media posts showed the port on fire, the army said."
    assert claims_said(text)[0][:2] == ("army", None)


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("Two boys were also hurt, said the mayor of Port Nira, Ana Ruiz, who told this"
         " paper that 14 houses burned.", "Ana Ruiz"),
        ("The shells landed at dawn, when the market was full, said a member of the village"
         " council, which runs the market.", "member of the village council"),
        ("Four people were killed, said the ministry.", "ministry"),
        # the part before the verb speaks: what follows the verb is what was said
        ("Ana Ruiz, a nurse, said the army had killed 12.", "Ana Ruiz"),
        ("The Delta News Agency, citing a nurse in the town, said a strike on the port had"
         " killed five.", "nurse"),
    ],
)  # fmt: skip
def test_a_described_speaker_after_the_verb_of_a_predicate(text: str, claimant: str) -> None:
    assert claims_said(text)[0][0] == claimant


def test_a_person_described_after_the_verb_is_whom_he_names_next() -> None:
    text = (
        "The jets struck at noon, when the market was full, said a member of the village"
        " council. He said 22 people were injured."
    )
    assert [said[0] for said in claims_said(text)] == ["member of the village council"] * 2


def test_a_toll_put_by_a_body_with_a_possessive_before_it() -> None:
    text = "The Lake Monitor, a London-based group, put the navy's death toll at 30."
    assert claims_said(text)[0][0] == "Lake Monitor"


def test_officials_at_the_time_spoke_when_it_happened() -> None:
    text = (
        "A market was bombed in a similar raid in March 2023 that killed 25 people, according"
        " to officials at the time."
    )
    claim = draft(text).claims[0]
    assert claims_said(text)[0][0] == "officials"
    assert (claim.stated_on, claim.stated_on_precision) == (date(2023, 3, 1), "month")


# Several claims in one sentence


def test_the_writers_narration_after_an_attribution_is_the_publishers() -> None:
    text = (
        "Gunmen killed 12 people in the town, local officials said on Thursday, as hundreds"
        " of families fled the district."
    )
    assert claims_said(text) == [
        ("local officials", None, date(2024, 12, 26)),
        ("Meridian News", None, PUBLISHED),
    ]
    assert counted(text) == [
        ("killed", "exact", 12, "people"),
        ("displaced", "vague", None, "families"),
    ]


def test_a_clause_after_an_attribution_that_speaks_stays_its_speakers() -> None:
    text = (
        "Twelve people were killed, officials said on Thursday, as the rebels claimed 40"
        " soldiers had died."
    )
    assert [said[0] for said in claims_said(text)] == ["officials", "rebels"]


def test_an_earlier_figure_is_the_speakers_claim_of_its_own_day() -> None:
    text = (
        "The death toll has risen to 52, officials said on Friday, up from 31 announced on"
        " Wednesday."
    )
    assert claims_said(text) == [
        ("officials", None, PUBLISHED),
        ("officials", None, date(2024, 12, 25)),
    ]
    assert counted(text) == [("killed", "exact", 52, "people"), ("killed", "exact", 31, "people")]


def test_a_relative_clause_in_which_the_one_named_speaks_again_has_its_own_date() -> None:
    text = (
        "The raid is the ninth this year, according to a count by the Lake Rights Office, which"
        " said in a report last month that 70 people had been killed since January. The office"
        " also recorded 4,100 people displaced over the same period."
    )
    found = draft(text)
    names = actor_names(found)
    dated = [(names[c.claimant_ref], c.stated_on, c.stated_on_precision) for c in found.claims]
    assert dated[1:] == [("Lake Rights Office", date(2024, 11, 1), "month")] * 2


def test_a_relative_clause_said_on_no_other_occasion_stays_one_claim() -> None:
    text = (
        "Shelling killed 40 people on Monday, according to the health office, which put the"
        " number of wounded at 112."
    )
    assert [said[0] for said in claims_said(text)] == ["health office"]


def test_which_it_says_is_the_body_the_reported_clause_is_about() -> None:
    text = (
        "The minister said the government would press on against the rebels, which it says"
        " have lost more than 80 villages since March."
    )
    assert [said[0] for said in claims_said(text)] == ["minister", "government"]
    assert counted(text) == [("captured", "more_than", 80, "villages")]


def test_which_it_said_after_a_count_is_the_speakers() -> None:
    text = (
        "The army said some 20 jets had taken part in the raids, which it said also hit two"
        " bridges."
    )
    assert [said[0] for said in claims_said(text)] == ["army", "army"]


# What a count counts


@pytest.mark.parametrize(
    "text",
    [
        "The clinic, which has 60 beds, was shelled, the ministry said.",
        "The school had 40 classrooms before it was closed, the ministry said.",
    ],
)
def test_what_a_place_has_is_no_figure(text: str) -> None:
    assert counted(text) == []


def test_places_people_came_from_are_no_figure() -> None:
    text = (
        "About 900 families from Kalay and three surrounding villages have fled to the town,"
        " the committee said."
    )
    assert counted(text) == [("displaced", "approximately", 900, "families")]


def test_a_part_of_a_places_population_counts_what_the_predicate_says() -> None:
    text = (
        "More than 1.2 million of the region's 1.5 million people remain displaced, the agency"
        " said."
    )
    assert counted(text) == [("displaced", "more_than", 1_200_000, "people")]


def test_a_clause_of_its_own_ends_the_list_of_the_dead() -> None:
    text = (
        "The doctor said the dead included an infant and that 30 people were injured, eight of"
        " them seriously."
    )
    assert counted(text) == [("wounded", "exact", 30, "people"), ("wounded", "exact", 8, "people")]


def test_the_buried_are_the_dead_and_the_other_two_more_of_them() -> None:
    text = (
        "Seven died, the mayor said. We buried five of them at dawn, and relatives of the other"
        " two carried them home, he said."
    )
    assert counted(text)[1:] == [("killed", "exact", 5, "people"), ("killed", "exact", 2, "people")]


def test_a_headlines_present_injure() -> None:
    text = "Strikes on the depot kill four people and injure 19, the ministry said."
    assert counted(text) == [("killed", "exact", 4, "people"), ("wounded", "exact", 19, "people")]


def test_a_quotation_alone_with_figures_is_the_last_speakers() -> None:
    text = '"They came at night," the mayor said. "We counted 14 bodies at the clinic.'
    assert [said[0] for said in claims_said(text)] == ["mayor", "mayor"]


def test_people_described_in_an_aside_then_also_wounded() -> None:
    text = "Three men, a farmer and a teacher, were also wounded, the mayor said."
    assert counted(text) == [("wounded", "exact", 3, "people")]


def test_recruits_harmed_are_harmed_and_recruits_waiting_are_counted() -> None:
    assert counted("At least 20 army recruits were killed, the officer said.") == [
        ("killed", "at_least", 20, "people")
    ]
    assert counted("About 500 recruits were waiting at the gate, the officer said.") == [
        ("other", "approximately", 500, "people")
    ]


def test_a_count_compared_with_counts_the_same() -> None:
    text = (
        "The monitor said militants had killed 65 police officers since January, compared with"
        " 30 in the same period last year."
    )
    assert counted(text) == [("killed", "exact", 65, "people"), ("killed", "exact", 30, "people")]


def test_the_bodies_of_a_family_are_its_dead() -> None:
    text = "Rescuers recovered the bodies of a woman and her four children, the police said."
    assert counted(text) == [("killed", "exact", 4, "people")]


def test_people_pulled_alive_are_other_and_firefighters_at_work_no_figure() -> None:
    text = (
        "The fire service said 12 people had been pulled alive from the rubble and that 150"
        " firefighters were at work."
    )
    assert counted(text) == [("other", "exact", 12, "people")]


def test_a_total_is_what_its_subject_names() -> None:
    text = (
        "The ministry said nine bodies had reached hospitals, bringing the number of people"
        " killed in the war to 40,120 and the number wounded to 95,300."
    )
    assert counted(text)[1:] == [
        ("killed", "exact", 40_120, "people"),
        ("wounded", "exact", 95_300, "people"),
    ]


def test_the_parts_of_an_aside_share_the_verb_after_it() -> None:
    text = (
        "The minister said reinforcements, including four armoured vehicles and 300 soldiers,"
        " had been sent to the border."
    )
    assert counted(text) == [
        ("deployed", "exact", 4, "vehicles"),
        ("deployed", "exact", 300, "people"),
    ]


def test_members_of_a_named_body_then_an_aside_then_the_verb() -> None:
    text = (
        "The source said 15 police officers and at least 9 members of the Volunteers for the"
        " Defence of the Northern Homeland (VDNH), a civilian auxiliary force, had been killed."
    )
    assert counted(text) == [("killed", "exact", 15, "people"), ("killed", "at_least", 9, "people")]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("The ambush is the 17th on army convoys in the region this year, the governor said.",
         [("other", "exact", 17, "ambushes")]),
        ("The raid was the 12th strike on the port since January, the navy said.",
         [("other", "exact", 12, "strikes")]),
        # a rank without the span it counts in, or no incident's
        ("The 155th Brigade said the attack was repelled.", []),
        ("Envoys met for a second day of talks, the ministry said.", []),
    ],
)  # fmt: skip
def test_an_incidents_rank_within_a_span_counts_its_kind(text: str, figures: list[Counted]) -> None:
    assert counted(text) == figures
