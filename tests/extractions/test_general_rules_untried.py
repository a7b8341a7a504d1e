"""Rules of English news reporting that the revision studying the failures of `untried` by
mechanism added, each on sentences of its own (no article's wording, names or numbers):
what counts nothing of a conflict (a place's population after "home to", a definition's
threshold, "many" without a number), what a count counts (the hurt "in intensive care",
people "staying in" a shelter, a toll whose subject stands far before it, things seized in
a toll's clause, "it was the Nth massacre this year", those who attack, people who "had
reached" a town, kin someone "lost", patients sent on, a number "recorded" after a count,
"several others", monitors a mission has), who speaks (a source cited by an outlet, a
speaker after a time opener without "on", a headline's "put toll higher" and ", police
blame X", "up from N given by X on DAY") and when (a sentence opening on a month, a lead-in
whose aside says when its document came out)."""

from datetime import date

import pytest

from tests.extractions.offline import claims_said, counted, draft

# What counts nothing of the conflict


def test_a_place_home_to_people_gives_its_population() -> None:
    text = (
        "Kadugli, home to some 90,000 people before the fighting, has been cut off by road"
        " for months, the governor said."
    )
    assert counted(text) == []


def test_a_camp_home_to_people_who_fled_counts_the_displaced() -> None:
    text = (
        "The shell hit a camp home to about 6,000 people who fled the fighting, aid workers said."
    )
    assert counted(text) == [("displaced", "approximately", 6000, "people")]


@pytest.mark.parametrize(
    "definition",
    [
        "which counts as a massacre any attack killing four or more people",
        "which defines a massacre as the killing of five or more civilians",
    ],
)
def test_a_definitions_threshold_is_no_count(definition: str) -> None:
    text = f"The monitor, {definition}, said 40 people were killed in the raid."
    assert counted(text) == [("killed", "exact", 40, "people")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Many of the dead were farmers, the mayor said.",
        "Numerous civilians were wounded, the army said.",
        "Officials said many people fled on foot toward the hills.",
    ],
)
def test_many_without_a_number_is_no_figure(sentence: str) -> None:
    assert counted(sentence) == []


def test_some_without_a_number_is_still_a_figure() -> None:
    assert counted("Some soldiers were captured, the ministry said.") == [
        ("captured", "unspecified", None, "people")
    ]


# What a count counts


@pytest.mark.parametrize("state", ["were still in intensive care", "were in critical condition"])
def test_the_hurt_by_how_badly_are_wounded(state: str) -> None:
    text = f"The clinic said 60 people had been hurt and that 14 {state}."
    assert counted(text) == [("wounded", "exact", 60, "people"), ("wounded", "exact", 14, "people")]


def test_people_staying_in_a_shelter_are_displaced() -> None:
    text = "Around 900 people are staying in the town stadium, the council said."
    assert counted(text) == [("displaced", "approximately", 900, "people")]


def test_a_toll_counts_the_dead_however_far_its_subject_stands() -> None:
    text = (
        "The death toll from a truck bomb that went off beside a crowded bus station in the"
        " northern border town of Azaz on Monday evening has risen to 27, the health office"
        " said on Thursday."
    )
    assert counted(text) == [("killed", "exact", 27, "people")]


def test_things_seized_in_a_tolls_clause_are_captured() -> None:
    text = "A police source said the toll was 40 and that the attackers had seized five trucks."
    assert counted(text) == [("killed", "exact", 40, "people"), ("captured", "exact", 5, "trucks")]


def test_it_was_the_nth_incident_of_its_kind_this_year() -> None:
    text = "The monitor said it was the 12th massacre in Peru this year."
    assert counted(text) == [("other", "exact", 12, "massacres")]
    assert counted("The monitor said it was the 12th this year.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Dozens of armed men arrived on motorcycles at dawn, residents said.",
        "Hundreds of men on motorbikes stormed the post, the army said.",
    ],
)
def test_those_who_attack_are_counted_as_other(sentence: str) -> None:
    assert counted(sentence) == [("other", "vague", None, "people")]


def test_people_who_had_reached_a_town_fled_there() -> None:
    text = "As many as 9,000 people had reached the district capital by Sunday, an aid worker said."
    assert counted(text) == [("displaced", "at_most", 9000, "people")]


def test_kin_someone_lost_died_but_a_forces_losses_stay_casualties() -> None:
    assert counted("Ali Hassan, a baker, said he had lost three nephews.") == [
        ("killed", "exact", 3, "people")
    ]
    assert counted("The army said it had lost 40 soldiers.") == [
        ("killed_or_wounded", "exact", 40, "people")
    ]


def test_patients_sent_on_are_the_wounded() -> None:
    assert counted('"We had to send 12 patients to Bahir Dar," the doctor said.') == [
        ("wounded", "exact", 12, "people")
    ]


def test_a_number_recorded_counts_what_was_counted_before() -> None:
    text = (
        "The monitor said it was the 12th massacre in Peru this year. It recorded 58 across"
        " the country in 2023, 9 of them in Cusco."
    )
    assert counted(text) == [
        ("other", "exact", 12, "massacres"),
        ("other", "exact", 58, "massacres"),
        ("other", "exact", 9, "massacres"),
    ]


def test_several_others_are_more_of_the_count_before() -> None:
    text = "Officials said 14 guards had been killed and that several others were missing."
    assert counted(text) == [
        ("killed", "exact", 14, "people"),
        ("missing", "vague", None, "people"),
    ]


def test_the_monitors_a_mission_has_are_deployed() -> None:
    text = "The UN mission has about 300 unarmed observers on the Kenyan side of the border."
    assert counted(text) == [("deployed", "approximately", 300, "people")]


# Who speaks


def test_a_source_cited_by_an_outlet_speaks_and_the_outlet_relays() -> None:
    text = (
        "A police source cited by the Dakar-based news site Ndar Info put the toll at"
        ' "about 40 dead".'
    )
    assert claims_said(text)[0][:2] == ("police source", "Ndar Info")


@pytest.mark.parametrize(
    ("opener", "stated"),
    [
        ("Last week", date(2024, 12, 1)),
        ("Last month", date(2024, 11, 1)),
        ("In November", date(2024, 11, 1)),
    ],
)
def test_a_time_opener_without_on_is_no_part_of_the_speaker(opener: str, stated: date) -> None:
    text = f"{opener} the navy said it had sunk 4 boats."
    assert claims_said(text)[0] == ("navy", None, stated)


def test_a_headlines_put_toll_higher_names_its_speaker() -> None:
    text = (
        "Mali says 9 soldiers killed in raid on Gao base; residents put toll higher\n\n"
        "GAO - Nine soldiers were killed on Monday, the army said."
    )
    assert [said[0] for said in claims_said(text)] == ["Mali", "residents", "army"]


def test_a_headlines_last_clause_that_blames_is_the_blamers() -> None:
    text = (
        "Bomb kills seven at Kano market, police blame Boko Haram\n\n"
        "KANO - Seven people were killed, the mayor said."
    )
    assert [said[0] for said in claims_said(text)] == ["Meridian News", "police", "mayor"]
    assert [len(claim.figures) for claim in draft(text).claims] == [1, 0, 1]


def test_an_earlier_total_another_gave_is_their_claim_on_their_day() -> None:
    text = (
        "The toll has risen to 31, the governor said on Friday, up from 18 given by local"
        " officials on Wednesday evening."
    )
    found = draft(text)
    names = {actor.ref: actor.name for actor in found.actors}
    claims = [
        (names[c.claimant_ref], c.stated_on, [f.amount for f in c.figures]) for c in found.claims
    ]
    assert claims == [
        ("governor", date(2024, 12, 27), [31]),
        ("local officials", date(2024, 12, 25), [18]),
    ]


# When


def test_a_sentence_opening_on_a_month_dates_the_statement() -> None:
    text = "In November, the interior ministry said five guards had been killed."
    assert claims_said(text)[0] == ("interior ministry", None, date(2024, 11, 1))


def test_a_lead_ins_aside_dates_its_document() -> None:
    text = "In its annual review, released last month, the agency said 300 people were killed."
    assert claims_said(text)[0] == ("agency", None, date(2024, 11, 1))
