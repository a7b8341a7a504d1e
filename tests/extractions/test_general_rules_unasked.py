"""Rules of English news reporting that the revision studying the failures of `unasked` by
mechanism added, each on sentences of its own (no article's wording, names or numbers):
what counts nothing of a conflict (a force's planned strength, the clips an investigator
verified), what a count counts (people freed in a swap or "in exchange for" others, "handed
over" without a bound, one side's nationals still held, hostages beside a clause that frees
others, explosions and exchanges of fire, people who needed aid, a crowd that besieges,
"the deaths of … and injuries to …", people feared trapped, the wounded who later died), who
speaks (an outlet's name that ends in digits, "as reported by", a weekly described by where
it is based, outlets counted but not named, "confirmed … to" an outlet that quotes someone in
a relative clause, a source "in" a place, a body whose name lists its remit, "both sides
said", a scene set before the person "she" names next, what people told a station as its
presenter passes it on, a document put to a speaker, another's earlier toll a speaker
recalls, "its bulletin", a pronoun that says nothing, a headline's clause that rejects a
toll, a body named in apposition before ", saying", a speaker inside an object relative
clause, a subject that denies and says past its relative clause) and when (the document's or
the act's own date)."""

from datetime import date

import pytest

from tests.extractions.offline import claims_said, counted, draft

# What counts nothing of the conflict


@pytest.mark.parametrize(
    "strength",
    [
        "which was meant to have 4,200 troops",
        "which was supposed to number 4,200 troops",
        "with an authorised strength of 4,200 troops",
    ],
)
def test_a_forces_planned_strength_is_no_count(strength: str) -> None:
    text = f"The mission, {strength}, has 1,900 soldiers in the country, the envoy said."
    assert counted(text) == [("deployed", "exact", 1900, "people")]


def test_the_videos_and_photos_an_investigator_verified_are_no_count() -> None:
    text = (
        "Its analysts have verified more than 530 clips and 90 photos since March, the"
        " collective's director said."
    )
    assert counted(text) == []


# What a count counts


def test_people_freed_in_a_swap_are_other_whatever_they_were() -> None:
    text = (
        "Ukraine returned 40 soldiers and Russia released 38 prisoners in Tuesday's swap,"
        " both sides said."
    )
    assert counted(text) == [("other", "exact", 40, "people"), ("other", "exact", 38, "people")]


def test_a_list_of_those_released_is_other_to_its_last_item() -> None:
    text = (
        "Those released include four farmers held since 2020 and two women from border"
        " villages, a lawyer said."
    )
    assert counted(text) == [("other", "exact", 4, "people"), ("other", "exact", 2, "people")]


def test_people_freed_in_exchange_for_others_are_other() -> None:
    assert counted("Kyiv freed the pilots in exchange for 30 marines, the navy said.") == [
        ("other", "exact", 30, "people")
    ]


def test_handed_over_is_a_verbs_particle_not_a_bound() -> None:
    assert counted("Russia handed over 41 bodies, officials said.") == [
        ("killed", "exact", 41, "people")
    ]
    assert counted("Officials said over 41 bodies were found.") == [
        ("killed", "more_than", 41, "people")
    ]


def test_one_sides_nationals_still_held_are_captured() -> None:
    assert counted("Some 23 Ukrainians are still being held in Minsk, the ombudsman said.") == [
        ("captured", "approximately", 23, "people")
    ]
    assert counted("The rebels have 23 Belarusians still in their custody, a negotiator said.") == [
        ("captured", "exact", 23, "people")
    ]


def test_people_still_held_by_no_other_side_stay_detained() -> None:
    assert counted("Police said 40 people were still being held.") == [
        ("detained", "exact", 40, "people")
    ]


def test_hostages_taken_stay_captured_when_the_next_clause_frees_others() -> None:
    text = (
        "Villagers held 12 police officers hostage for two days; 7 released on Monday, the"
        " governor said."
    )
    assert counted(text) == [("captured", "exact", 12, "people"), ("other", "exact", 7, "people")]


def test_a_long_subject_held_hostage_is_captured() -> None:
    text = (
        "At least 40 aid workers and their drivers have been held hostage in the province"
        " since 2022, the UN said."
    )
    assert counted(text) == [("captured", "at_least", 40, "people")]


def test_explosions_and_exchanges_of_fire_are_counted_whatever_the_verb() -> None:
    assert counted("Observers logged 19 explosions near the front line, the mission said.") == [
        ("other", "exact", 19, "explosions")
    ]
    assert counted("Border guards reported 12 exchanges of fire overnight, the ministry said.") == [
        ("other", "exact", 12, "exchanges")
    ]


def test_people_who_needed_aid_are_other() -> None:
    text = "About 800,000 people in the province needed clean water, the Red Crescent said."
    assert counted(text) == [("other", "approximately", 800_000, "people")]


def test_the_deaths_of_and_injuries_to_count_each_their_own() -> None:
    text = (
        "Medics confirmed the deaths of 9 villagers and injuries to 15 others, the governor said."
    )
    assert counted(text) == [("killed", "exact", 9, "people"), ("wounded", "exact", 15, "people")]


def test_people_feared_trapped_are_missing_but_people_remaining_trapped_are_not() -> None:
    assert counted("Rescuers said two children were feared trapped under the school.") == [
        ("missing", "exact", 2, "people")
    ]
    assert counted("Some 500,000 people remained trapped in the city, the UN said.") == [
        ("other", "approximately", 500_000, "people")
    ]


def test_the_wounded_taken_somewhere_who_later_died_are_dead() -> None:
    text = "Two of the injured miners airlifted to the capital later died, the company said."
    assert counted(text) == [("killed", "exact", 2, "people")]


# Who speaks, and when


def test_an_outlets_name_may_end_in_digits_but_not_in_a_count() -> None:
    text = (
        "General Rosa Quispe told Radio Delta 98 on Monday that three soldiers had been"
        " killed. She told Reuters 15 people were missing."
    )
    assert [said[:2] for said in claims_said(text)] == [
        ("Rosa Quispe", "Radio Delta 98"),
        ("Rosa Quispe", "Reuters"),
    ]


def test_a_frequency_after_a_stations_name_is_no_part_of_it() -> None:
    text = "Four guards were hurt, Ali Diop told Radio Sahel 98.5 FM on Tuesday."
    assert claims_said(text)[0][:2] == ("Ali Diop", "Radio Sahel")


def test_as_reported_by_names_a_relay() -> None:
    text = "Forty people were killed, the interior ministry said, as reported by the Andes Post."
    assert claims_said(text)[0][:2] == ("interior ministry", "Andes Post")


def test_a_weekly_described_by_where_it_is_based_relays() -> None:
    text = "Speaking to the Cusco-based weekly Selva Hoy, a nurse said 300 people had fled."
    assert claims_said(text)[0][:2] == ("nurse", "Selva Hoy")


def test_outlets_counted_but_not_named_relay_nothing() -> None:
    text = "Nine rebels were killed, the army said in a statement relayed by many local media."
    assert claims_said(text)[0][:2] == ("army", None)


def test_what_a_speaker_confirmed_to_an_outlet_that_quoted_another() -> None:
    text = (
        "Mining company Oro Andino confirmed the ambush to Radio Montaña, which quoted a"
        " company engineer, Ana Lopez, as saying 3 guards were wounded."
    )
    said = [s[:2] for s in claims_said(text)]
    assert said == [("Oro Andino", "Radio Montaña"), ("Ana Lopez", "Radio Montaña")]
    assert [len(claim.figures) for claim in draft(text).claims] == [0, 1]


def test_a_source_cited_by_where_they_are_keeps_the_place() -> None:
    text = "Twelve people were killed, Radio Sol reported, citing an elder in Tolu."
    assert claims_said(text)[0][:2] == ("elder in Tolu", "Radio Sol")


def test_a_bodys_name_that_lists_its_remit_is_one_speaker() -> None:
    text = (
        "The Ministry of Refugees, Returnees and Displaced Persons said 40 people were"
        " missing. Ukraine, Poland and Lithuania said 3 drones fell."
    )
    found = draft(text)
    names = {actor.ref: actor.name for actor in found.actors}
    speakers = [
        (names[c.claimant_ref], [names[r] for r in c.co_claimant_refs]) for c in found.claims
    ]
    assert speakers == [
        ("Ministry of Refugees, Returnees and Displaced Persons", []),
        ("Ukraine", ["Poland", "Lithuania"]),
    ]


def test_both_sides_are_the_two_the_sentence_opens_on() -> None:
    text = (
        "KYIV, Dec. 24 (Meridian News) - Ukraine returned 40 soldiers and Russia released"
        " 38 prisoners in Tuesday's swap, both sides said."
    )
    found = draft(text)
    names = {actor.ref: actor.name for actor in found.actors}
    claim = found.claims[0]
    assert names[claim.claimant_ref] == "Ukraine"
    assert [names[r] for r in claim.co_claimant_refs] == ["Russia"]


def test_a_scene_set_first_leaves_the_person_she_names_next() -> None:
    text = (
        "Petar Kovac, an aide to the president, told reporters that 5 people had been freed."
        "\n\nOutside the hospital, Dragana Ilic, 47, held her grandson's hand."
        ' "We have no one left," she said.'
    )
    assert [said[0] for said in claims_said(text)] == ["Petar Kovac", "Dragana Ilic"]


def test_what_people_told_a_station_is_theirs_as_its_presenter_passes_it_on() -> None:
    text = (
        "General Rosa Quispe told Radio Delta 98 on Monday that three soldiers had been"
        " killed.\n\nJuan Rios, the programme's presenter, said fishermen had told the station"
        " on Thursday that 14 boats were missing."
    )
    assert claims_said(text)[1] == ("fishermen", "Radio Delta 98", date(2024, 12, 26))


def test_a_document_put_to_a_speaker_is_its_authors_on_its_own_date() -> None:
    text = (
        "Questioned over a tally by the monitor Vigilancia Andina, released last week, that"
        " counted 96 civilian deaths in November, General Rosa Quispe told reporters it was"
        ' "invented".'
    )
    found = draft(text)
    names = {actor.ref: actor.name for actor in found.actors}
    claims = [
        (names[c.claimant_ref], c.stated_on, [f.amount for f in c.figures]) for c in found.claims
    ]
    assert claims == [
        ("Vigilancia Andina", date(2024, 12, 1), [96]),
        ("Rosa Quispe", date(2024, 12, 27), []),
    ]


def test_another_bodys_earlier_toll_a_speaker_recalls_is_theirs_on_its_date() -> None:
    text = (
        "The families' lawyer disputed the army's count, arguing that the Health Ministry had"
        " reported a figure of 17 dead on Dec. 3."
    )
    found = draft(text)
    names = {actor.ref: actor.name for actor in found.actors}
    claims = [
        (names[c.claimant_ref], c.stated_on, [f.amount for f in c.figures]) for c in found.claims
    ]
    assert claims == [
        ("families' lawyer", date(2024, 12, 27), []),
        ("Health Ministry", date(2024, 12, 3), [17]),
    ]


def test_its_bulletin_is_the_body_the_sentence_named_before() -> None:
    text = (
        "Forty arrests in Kassala were logged in November by the monitoring network,"
        " according to its monthly bulletin released on Thursday."
    )
    assert claims_said(text)[0] == ("monitoring network", None, date(2024, 12, 26))


def test_a_pronoun_that_says_nothing_leaves_it_to_the_last_body() -> None:
    text = (
        "The Truce Group said it had counted 9 deaths. It gave no breakdown by district."
        "\n\nIt said its observers had been turned back twice."
    )
    assert [said[0] for said in claims_said(text)] == ["Truce Group", "Truce Group"]


def test_a_headlines_last_clause_that_rejects_a_toll_is_the_rejecters() -> None:
    text = (
        "Nine dead in Kherson market shelling, mayor says; Moscow rejects figures\n\n"
        "KHERSON - Nine people were killed, the mayor said."
    )
    assert [said[0] for said in claims_said(text)] == ["mayor", "Moscow", "mayor"]


def test_a_body_named_in_apposition_speaks_through_its_saying_on_its_acts_date() -> None:
    text = (
        "The regional relief office, ROCA, gave a lower count in a bulletin on Wednesday,"
        " saying some 9,000 people had been displaced."
    )
    assert claims_said(text)[0] == ("ROCA", None, date(2024, 12, 25))


def test_a_speaker_inside_an_object_relative_clause_speaks_past_its_apposition() -> None:
    text = (
        "That is well below the 90 people that the Tawila Youth Network, a volunteer group,"
        " said on Monday had died."
    )
    assert claims_said(text)[0] == ("Tawila Youth Network", None, date(2024, 12, 23))


@pytest.mark.parametrize(
    "subject",
    ["The FLN factions", "The FLN factions, which rejected the 2019 accord with the government,"],
)
def test_a_subject_that_denies_and_says_speaks_past_its_relative_clause(subject: str) -> None:
    text = f"{subject} deny holding hostages and say they do not control the gangs."
    assert claims_said(text)[0][0] == "FLN factions"


@pytest.mark.parametrize(
    ("sentence", "qualifier", "amount"),
    [
        (
            "A mob of about 200 men surrounded the police post, the police said.",
            "approximately",
            200,
        ),
        (
            'A farmer said "between 300 and 400" villagers had gathered to block the road.',
            "range",
            300,
        ),
    ],
)
def test_a_crowd_that_besieges_is_counted_as_other(
    sentence: str, qualifier: str, amount: int
) -> None:
    assert counted(sentence) == [("other", qualifier, amount, "people")]


def test_a_crowd_at_a_funeral_counts_nothing_of_the_conflict() -> None:
    assert counted("Thousands gathered for the funeral on Friday, the mayor said.") == []
