"""Near variants of the wordings news English uses for what befalls the people a count
counts, each on sentences of its own (no article's wording, names or numbers): the other
verbs and phrases a reporter writes for the same fate (people who "vanished", "still under
the rubble", "abandoned their homes", "laid down their arms", "wiped out", "snatched", "put
to death", troops "massed", homes "reduced to rubble", people who "require" aid), "for their
lives" that is no death, a part of the hurt told by how badly ("10 seriously") or after "of
whom", an earlier count "reported" after "up from", cases of a harm a monitor records, "up
to" that is a verb's particle ("the toll went up to 25"), an outlet that "quoted the
governor as saying"; and the distractors beside them that must stay no count (an age after
"he was", the year that names an event, cases of a disease, a temperature in degrees)."""

import pytest

from tests.extractions.offline import claims_said, counted

# Missing: other verbs and the rubble people lie under


@pytest.mark.parametrize("verb", ["vanished", "have disappeared", "disappeared"])
def test_people_who_vanished_are_missing(verb: str) -> None:
    text = f"Fifteen fishermen {verb} off the coast, the coast guard said."
    assert counted(text) == [("missing", "exact", 15, "people")]


@pytest.mark.parametrize(
    "where",
    [
        "are still under the rubble",
        "were trapped under rubble",
        "lie beneath the debris",
        "remain under the ruins",
    ],
)
def test_people_under_the_rubble_are_missing_and_bodies_there_dead(where: str) -> None:
    text = f"Forty people {where} and 12 bodies lie there too, rescuers said."
    assert counted(text) == [("missing", "exact", 40, "people"), ("killed", "exact", 12, "people")]


# Displaced, captured, killed, detained: the other verbs


@pytest.mark.parametrize(
    "fled",
    ["abandoned their homes", "abandoned their villages", "ran for their lives"],
)
def test_people_who_left_their_homes_or_ran_are_displaced(fled: str) -> None:
    text = f"Some 3,000 people {fled} as the fighting spread, the agency said."
    assert counted(text) == [("displaced", "approximately", 3000, "people")]


@pytest.mark.parametrize("fighting", ["fighting for their lives", "battling for their lives"])
def test_people_fighting_for_their_lives_are_wounded_not_dead(fighting: str) -> None:
    text = f"Ten people were {fighting} in hospital, doctors said."
    assert counted(text) == [("wounded", "exact", 10, "people")]


def test_people_in_stable_condition_are_wounded() -> None:
    text = "Ten people were in stable condition, doctors said."
    assert counted(text) == [("wounded", "exact", 10, "people")]


@pytest.mark.parametrize("gave_up", ["laid down their arms", "gave themselves up"])
def test_soldiers_who_laid_down_their_arms_are_captured(gave_up: str) -> None:
    text = f"Thirty soldiers {gave_up} on Friday, the rebels said."
    assert counted(text) == [("captured", "exact", 30, "people")]


@pytest.mark.parametrize(
    "text",
    [
        "The army said it had wiped out 12 militants.",
        "The army said 12 militants had been wiped out.",
    ],
)
def test_fighters_wiped_out_are_killed(text: str) -> None:
    assert [metric for metric, *_ in counted(text)] == ["killed"]


def test_people_snatched_are_detained() -> None:
    text = "Fifteen students were snatched from their school, police said."
    assert counted(text) == [("detained", "exact", 15, "people")]


# A part of the hurt by how badly


@pytest.mark.parametrize("how", ["seriously", "critically", "badly"])
def test_a_part_of_the_hurt_told_by_how_badly(how: str) -> None:
    text = f"Forty people were injured, 10 {how}, the hospital said."
    assert counted(text) == [("wounded", "exact", 40, "people"), ("wounded", "exact", 10, "people")]
    # things damaged badly are no count of the hurt
    assert counted("The ward has 10 beds, 4 of them seriously damaged, the doctor said.") == []


# Cases of a harm


@pytest.mark.parametrize("harm", ["sexual violence", "torture", "enforced disappearance"])
def test_cases_of_a_harm_a_monitor_records_are_counted(harm: str) -> None:
    text = f"The monitor recorded at least 130 cases of {harm} this year, it said."
    assert counted(text) == [("other", "at_least", 130, "cases")]
    # cases of a disease are a clinic's caseload, no figure
    assert counted("The clinic recorded 130 cases of cholera this month, officials said.") == []


# "up to" that is a verb's particle


@pytest.mark.parametrize(
    "text",
    [
        "The toll went up to 25 on Monday, officials said.",
        "The toll has edged up to 25, officials said.",
        "The death toll climbed up to 25, officials said.",
        "Officials revised the toll up to 25, the agency said.",
    ],
)
def test_up_to_after_a_verb_of_change_is_no_bound(text: str) -> None:
    assert counted(text) == [("killed", "exact", 25, "people")]
    # after a verb of harm "up to" is still the bound
    assert counted("Gunmen killed up to 25 people, officials said.") == [
        ("killed", "at_most", 25, "people")
    ]
    # and the particle before a measure or an ordinal leaves them no count
    for distractor in (
        "Prices went up to $25 a sack, traders said.",
        "Unemployment went up to 25 per cent, officials said.",
        "The road went up to the 3rd checkpoint, officials said.",
    ):
        assert counted(distractor) == []


# Distractors beside the variants


@pytest.mark.parametrize(
    "text",
    [
        "He was 45 when he was hospitalised in 2019, his brother said.",
        "She was 12 and went missing at 3 p.m., police said.",
    ],
)
def test_an_age_after_he_was_is_no_count(text: str) -> None:
    assert counted(text) == []
    # a count after "he was" with its noun is still a count
    assert counted("He was one of 45 people killed, his brother said.") == [
        ("killed", "exact", 45, "people")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The 2023 floods displaced families, officials said.",
        "The country's 2022 offensive uprooted villages, officials said.",
    ],
)
def test_the_year_that_names_an_event_is_no_count(text: str) -> None:
    assert counted(text) == []


def test_the_year_of_an_event_leaves_the_count_after_it() -> None:
    text = "The 2023 floods displaced 4,000 people, officials said."
    assert counted(text) == [("displaced", "exact", 4000, "people")]


def test_a_temperature_in_degrees_is_no_count() -> None:
    text = "Temperatures went up to 45 degrees as 12 people died of heat, officials said."
    assert counted(text) == [("killed", "exact", 12, "people")]


# More verbs for the same fates


def test_people_put_to_death_are_executed() -> None:
    text = "Forty civilians were put to death by the militia, survivors said."
    assert counted(text) == [("executed", "exact", 40, "people")]


@pytest.mark.parametrize("massed", ["have massed near the border", "were amassed in the north"])
def test_troops_massed_are_deployed(massed: str) -> None:
    text = f"Some 12,000 troops {massed}, officials said."
    assert counted(text) == [("deployed", "approximately", 12000, "people")]


@pytest.mark.parametrize(
    "fate", ["were reduced to rubble", "were reduced to ashes", "collapsed in the blast"]
)
def test_buildings_reduced_to_rubble_or_collapsed_are_counted(fate: str) -> None:
    text = f"Twelve homes {fate}, officials said."
    assert counted(text) == [("other", "exact", 12, "homes")]


def test_people_who_require_aid_are_counted_as_in_need() -> None:
    text = "About 1.2 million people require assistance, the agency said."
    assert counted(text) == [("other", "approximately", 1_200_000, "people")]


# A part of a count after "of whom"


@pytest.mark.parametrize("metric", ["killed", "wounded"])
def test_a_part_of_whom_something_is_said_is_of_the_count_before(metric: str) -> None:
    text = f"Forty people were {metric}, 10 of whom were children, officials said."
    assert counted(text) == [(metric, "exact", 40, "people"), (metric, "exact", 10, "people")]


# Who speaks: an outlet that quoted a speaker named with an article


@pytest.mark.parametrize(
    "text",
    [
        "Interfax quoted the governor as saying 12 people died.",
        "Twelve people died, Interfax quoted the governor as saying.",
    ],
)
def test_an_outlet_that_quoted_a_speaker_with_an_article_relays_them(text: str) -> None:
    assert claims_said(text)[0][:2] == ("governor", "Interfax")
    # an outlet's reporter who quoted someone is no outlet of its own
    reporter = "The channel's reporter quoted the mayor as saying 12 people died."
    assert claims_said(reporter)[0][1] is None


# The same count earlier, with the verb that reported it


@pytest.mark.parametrize(
    "earlier", ["up from 18 reported earlier", "compared with 18 reported on Monday"]
)
def test_an_earlier_count_reported_is_no_speaker(earlier: str) -> None:
    text = f"Twenty-five people were killed, {earlier}, officials said."
    assert counted(text) == [("killed", "exact", 25, "people"), ("killed", "exact", 18, "people")]
    # a count of those who spoke is still no figure
    assert counted("Two residents reported that 12 people died.") == [
        ("killed", "exact", 12, "people")
    ]
