"""What a drafted figure covers and how it accumulates, by general rules of English news
reporting, each on sentences of its own (no article's wording, names or numbers): a whole
year or month named ("in 2019", "last year", "this month", "in March"), a day written day
first ("on 4 March"), "so far this year", a stretch named by its ends ("between March and
October"), "over the weekend", a later count of the story's incident that its sentence does
not date, a running total's end as precise as its statement, a standing count ("remain
displaced", "a hall housing …"); and who a count counts (members of a named body, an armed
body's own, the party that launched the things counted and a part of them)."""

from datetime import date

import pytest
from claimledger_server.common import Precision

from tests.extractions.offline import PUBLISHED, actor_names, draft

Covered = tuple[date | None, Precision | None, date | None, Precision | None]
"""A drafted period as (start, start precision, end, end precision)."""


def covered(text: str) -> list[tuple[Covered | None, str]]:
    """(period, accumulation) of each figure drafted from `text`, in order."""
    return [
        (
            (f.period.start, f.period.start_precision, f.period.end, f.period.end_precision)
            if f.period
            else None,
            f.accumulation,
        )
        for claim in draft(text).claims
        for f in claim.figures
    ]


@pytest.mark.parametrize(
    ("text", "period", "accumulation"),
    [
        ("The monitor said 412 people were killed in 2019.",
         (date(2019, 1, 1), "year", date(2019, 1, 1), "year"), "incremental"),
        ("The charity said floods and raids killed 88 farmers during 2021.",
         (date(2021, 1, 1), "year", date(2021, 1, 1), "year"), "incremental"),
        ("The league said 57 referees were attacked last year.",
         (date(2023, 1, 1), "year", date(2023, 1, 1), "year"), "incremental"),
        ("The bureau said 19 lorries were hijacked this month.",
         (date(2024, 12, 1), "month", date(2024, 12, 1), "month"), "incremental"),
        ("The port authority said 31 boats were seized in March.",
         (date(2024, 3, 1), "month", date(2024, 3, 1), "month"), "incremental"),
        ("The relief agency said 64 wells were destroyed so far this year.",
         (date(2024, 1, 1), "year", PUBLISHED, "day"), "cumulative"),
        ("The council said 230 people had fled since last year.",
         (date(2023, 1, 1), "year", PUBLISHED, "day"), "cumulative"),
        ("The governor said 14 guards were wounded on 3 December.",
         (date(2024, 12, 3), "day", date(2024, 12, 3), "day"), "incremental"),
        ("The museum said the blockade, which began in 2018, has killed 900 fishermen.",
         (date(2018, 1, 1), "year", PUBLISHED, "day"), "cumulative"),
    ],
)  # fmt: skip
def test_a_whole_year_month_or_day_named(text: str, period: Covered, accumulation: str) -> None:
    assert covered(text) == [(period, accumulation)]


def test_a_year_within_a_longer_stretch_is_no_running_total() -> None:
    # "the first nine months of this year" is no "so far this year"
    [(_, accumulation)] = covered(
        "The union said 45 drivers were killed in the first nine months of this year."
    )
    assert accumulation == "incremental"


TUESDAY = date(2024, 12, 24)


def test_a_later_count_the_story_does_not_date_covers_its_incident() -> None:
    found = covered(
        "Raiders burned 40 granaries in the hill village of Toru on Tuesday, a farmers'"
        " union said. The district nurse said 9 herders were treated for burns."
    )
    tuesday = (TUESDAY, "day", TUESDAY, "day")
    assert found == [(tuesday, "incremental"), (tuesday, "incremental")]


def test_a_tally_over_a_longer_stretch_covers_only_its_counters_later_counts() -> None:
    found = covered(
        "The monitor said 212 people were killed in the province in 2023. It said 480"
        " others were wounded. The governor said 35 schools were closed."
    )
    year = (date(2023, 1, 1), "year", date(2023, 1, 1), "year")
    assert found == [(year, "incremental"), (year, "incremental"), (None, "incremental")]


def test_a_count_its_sentence_places_in_time_otherwise_keeps_its_own() -> None:
    # "two weeks earlier" tells of another incident than the story's
    found = covered(
        "Raiders burned 40 granaries in the hill village of Toru on Tuesday, a farmers'"
        " union said. The district nurse said 9 herders were hurt in a raid two weeks"
        " earlier."
    )
    assert found[1] == (None, "incremental")


def test_a_running_total_does_not_take_the_incident() -> None:
    found = covered(
        "Raiders burned 40 granaries in the hill village of Toru on Tuesday, a farmers'"
        " union said. The union said 300 herders have been killed in the province."
    )
    assert found[1] == (None, "cumulative")


@pytest.mark.parametrize(
    "text",
    [
        "The agency said 52,000 people remain displaced in the valley.",
        "The agency said some 8,000 herders are displaced along the river.",
        "The agency said a sports hall housing about 700 people was flooded on Monday.",
        "The agency said it fed 6,400 displaced families on Monday.",
        "The agency said 3,000 villagers were still sheltering in churches on Monday.",
        "The agency said 9,000 herders were now displaced across the plain.",
        "The agency said 1,200 detainees remained in detention.",
        "The agency said 14,000 people need food aid this year.",
    ],
)
def test_a_standing_count_is_neither_a_total_nor_an_incident(text: str) -> None:
    assert [accumulation for _, accumulation in covered(text)] == ["unknown"]


def test_people_still_missing_stay_with_their_incident() -> None:
    found = covered("The coast guard said 11 fishermen were still missing after the storm.")
    assert [accumulation for _, accumulation in found] == ["incremental"]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("The clinic said 26 people were treated for burns over the weekend.",
         (date(2024, 12, 21), "day", date(2024, 12, 22), "day")),
        ("The bureau said 130 lorries were looted between March and October.",
         (date(2024, 3, 1), "month", date(2024, 10, 1), "month")),
        ("The inquiry said 7,400 people were killed between 1991 and 1999.",
         (date(1991, 1, 1), "year", date(1999, 1, 1), "year")),
        ("The council said 61 houses were burned from Nov. 9 to Nov. 12.",
         (date(2024, 11, 9), "day", date(2024, 11, 12), "day")),
        ("Over the past 24 hours, 17 fishermen were rescued, the coast guard said.",
         (date(2024, 12, 26), "day", PUBLISHED, "day")),
        ("In 2022, 300 teachers were abducted, the union said.",
         (date(2022, 1, 1), "year", date(2022, 1, 1), "year")),
    ],
)  # fmt: skip
def test_a_stretch_named_by_its_ends_or_at_the_sentence_start(text: str, period: Covered) -> None:
    [(found, _)] = covered(text)
    assert found == period


def test_a_running_total_ends_as_precisely_as_it_was_stated() -> None:
    # said "last month": the total runs to that month, not to a day of it
    [(found, accumulation)] = covered(
        "The monitor said last month that 880 shops had been looted since April."
    )
    assert found == (date(2024, 4, 1), "month", date(2024, 11, 1), "month")
    assert accumulation == "cumulative"


def test_bringing_the_number_to_is_a_running_total() -> None:
    [(_, accumulation)] = covered(
        "Two more bodies were found, bringing the number of dead to 19, the mayor said."
    )[-1:]
    assert accumulation == "cumulative"


# Who a count counts


def subjects(text: str) -> list[str | None]:
    """The name of the subject of each figure drafted from `text`, in order."""
    found = draft(text)
    names = actor_names(found)
    return [names.get(f.subject_ref or "") for c in found.claims for f in c.figures]


def test_members_of_a_body_named_after_the_count() -> None:
    assert subjects(
        "The army said it killed 40 members of the Lowland Liberation Front (LLF) on Monday."
    ) == ["Lowland Liberation Front"]


def test_members_of_a_family_are_no_party() -> None:
    assert subjects(
        "The rescuers said they recovered the bodies of six members of the Okoro family."
    ) == [None]


def test_an_armed_bodys_own_members() -> None:
    text = (
        "The Lowland Liberation Front said in a statement that 14 of its fighters had been killed."
    )
    assert subjects(text) == ["Lowland Liberation Front"]


def test_a_bodys_own_staff_are_no_party() -> None:
    assert subjects("The Harbour Relief Society said 9 of its staff were killed.") == [None]


def test_the_party_that_launched_the_things_counted_and_a_part_of_them() -> None:
    text = (
        "Russia launched 95 drones at the city overnight, and air defences shot down 70 of"
        " the drones, the air force said."
    )
    assert subjects(text) == ["Russia", "Russia"]


def test_a_group_that_fired_is_not_guessed() -> None:
    # "the group" may be any body the text named; the count is left without a party
    text = (
        "The spokesman of the Lowland Liberation Front said the group had fired 12 rockets"
        " at the base."
    )
    assert subjects(text) == [None]


def test_bare_soldiers_are_the_one_army_the_story_named() -> None:
    text = (
        "The Lowland National Army said it had retaken the pass on Monday. A nurse at the"
        " field hospital said nine soldiers were killed."
    )
    assert subjects(text) == ["Lowland National Army"]


def test_bare_soldiers_a_ministry_counts_are_its_own_states() -> None:
    # the ministry's state need not be the army the text named
    text = (
        "The Lowland National Army said it had retaken the pass on Monday. The Highland"
        " defence ministry said nine soldiers were killed."
    )
    assert subjects(text) == [None]


def test_a_standing_count_beside_a_running_total_stays_one() -> None:
    found = covered(
        "The agency said 2,000 families had fled the valley since Monday, and that 600 of"
        " them were sheltering in churches."
    )
    assert [accumulation for _, accumulation in found] == ["cumulative", "unknown"]


def test_displaced_people_going_home_are_no_standing_count() -> None:
    found = covered("The agency said it helped 5,000 displaced people return home since March.")
    assert [accumulation for _, accumulation in found] == ["cumulative"]
