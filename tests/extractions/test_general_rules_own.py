"""Rules found by drafting news articles of our own (not in the corpus) through the API and
reading the drafts as an editor would; each on sentences of its own."""

from datetime import date

import pytest

from tests.extractions.offline import claims_said, counted, draft


def test_a_camp_the_clause_before_names_gives_way_to_the_counts_own_words() -> None:
    text = (
        "Civil defence spokesman Omar Saleh said crews had pulled six bodies from a house in"
        " the Maghazi camp, and that at least 12 people were believed to be trapped under"
        " collapsed buildings."
    )
    assert counted(text) == [
        ("killed", "exact", 6, "people"),
        ("missing", "at_least", 12, "people"),
    ]


def test_people_sheltering_in_a_camp_are_still_displaced() -> None:
    text = "Aid workers said about 3,000 people were sheltering in the Maghazi camp."
    assert counted(text) == [("displaced", "approximately", 3000, "people")]


def test_a_part_of_people_sheltering_somewhere_takes_the_wholes_metric() -> None:
    text = (
        "A drone strike on a school killed 21 people sheltering there, among them six"
        " teachers, a local council said."
    )
    assert counted(text) == [("killed", "exact", 21, "people"), ("killed", "exact", 6, "people")]


def test_a_mission_sized_by_its_officers_is_a_force_deployed() -> None:
    text = (
        "Police said a Kenyan-led mission of about 400 officers had been in the country since June."
    )
    assert counted(text) == [("deployed", "approximately", 400, "people")]


def test_over_after_what_flies_says_where_not_how_many() -> None:
    text = "The ministry said air defences had downed 36 drones overnight over six regions."
    assert counted(text) == [("other", "exact", 36, "drones")]


def test_over_before_places_attacked_is_still_a_bound() -> None:
    text = "The ministry said drones had attacked over six regions."
    assert counted(text) == [("other", "more_than", 6, "regions")]


def test_the_total_a_clause_brings_a_toll_to_is_running_the_count_before_it_is_not() -> None:
    found = draft(
        "The ministry said 58 people were killed on Tuesday, bringing the death toll since"
        " the war began to 12,406."
    )
    figures = [
        (f.low, f.accumulation, f.period and f.period.text) for c in found.claims for f in c.figures
    ]
    assert figures == [(58, "incremental", "on Tuesday"), (12406, "cumulative", None)]


def test_a_stretch_the_total_names_is_its_own() -> None:
    found = draft(
        "Officials said 9 villagers were killed on Friday, bringing the toll from raids in"
        " the area over the past week to nearly 80."
    )
    [_, total] = [f for c in found.claims for f in c.figures]
    assert (total.accumulation, total.period and total.period.text) == (
        "incremental",
        "over the past week",
    )


@pytest.mark.parametrize(
    ("second", "on"),
    [
        ("The rebels had said the previous day that 30 soldiers died.", date(2024, 12, 23)),
        ("A day earlier, the rebels said 30 soldiers had died.", date(2024, 12, 23)),
        ("The rebels said two days earlier that 30 soldiers had died.", date(2024, 12, 22)),
        ("Two days later, the rebels said 30 soldiers had died.", date(2024, 12, 26)),
    ],
)
def test_a_day_before_or_after_counts_from_the_last_date_named(second: str, on: date) -> None:
    text = "The army said on Tuesday that 12 rebels were killed. " + second
    assert [stated for _, _, stated in claims_said(text)] == [date(2024, 12, 24), on]
