"""Rules of English news reporting that the revision studying the failures of `unsought` by
mechanism added, each on sentences of its own (no article's wording, names or numbers):
what counts nothing of the conflict (a group whose name opens with a number, the beds a ward
is "with", what each of many families lost), what a count counts (a tally's line that names
its count after a colon, a force that "had numbered" its men, the verb after a named unit and
its allies, families moved to a church, things seized past an "including …" aside), and who
speaks and when in a statement reproduced whole (its first line that names its speaker holds
for the rest, and its own line of place and date dates it)."""

from datetime import date

from tests.extractions.offline import claims_said, counted, draft

# What counts nothing of the conflict


def test_a_group_whose_name_opens_with_a_number_is_no_count() -> None:
    text = "The 300 Lions gang has freed 12 of the 30 people it seized, police said."
    assert counted(text) == [("other", "exact", 12, "people"), ("other", "exact", 30, "people")]


def test_a_count_of_a_plural_group_is_still_a_count() -> None:
    text = "Police said the 40 Wagner fighters in the convoy were killed."
    assert counted(text) == [("killed", "exact", 40, "people")]


def test_the_beds_a_ward_is_with_are_its_capacity() -> None:
    text = (
        "The clinic received 42 wounded, eight of them in intensive care, in a ward with only"
        " 10 intensive care beds, the doctor said."
    )
    assert counted(text) == [("wounded", "exact", 42, "people"), ("wounded", "exact", 8, "people")]


def test_what_each_of_many_families_lost_is_no_total() -> None:
    for subject in ("Some families lost", "Many households have lost"):
        text = f"{subject} two or three relatives each, the elder said."
        assert counted(text) == []


def test_what_one_named_family_lost_is_still_counted() -> None:
    text = "The Diallo family lost three members in the raid, the elder said."
    assert [metric for metric, *_ in counted(text)] != []


# What a count counts


def test_a_tallys_lines_name_what_they_count_after_a_colon() -> None:
    text = (
        "Weekly tallies. 300: people killed in the north in May, according to the monitor."
        ' Up to 40: "fighters neutralised" in raids, according to the army. Nearly 90: schools'
        " closed in the region since March, the ministry said."
    )
    assert counted(text) == [
        ("killed", "exact", 300, "people"),
        ("killed", "at_most", 40, "people"),
        ("other", "nearly", 90, "schools"),
    ]


def test_a_colon_after_a_number_inside_a_sentence_opens_no_tally_line() -> None:
    text = "The monitor gave the score as 3: a draw, officials said."
    assert counted(text) == []


def test_a_force_that_had_numbered_its_men_was_deployed() -> None:
    text = "The nurse said the convoy had numbered about 80 soldiers in five trucks."
    assert counted(text) == [("deployed", "approximately", 80, "people")]


def test_the_verb_after_a_named_unit_and_its_allies_is_the_counts() -> None:
    text = (
        "A source told the agency that at least 15 soldiers of the 4th Brigade and allied"
        " units had been killed since Monday."
    )
    assert counted(text) == [("killed", "at_least", 15, "people")]


def test_families_moved_to_a_building_people_shelter_in_are_displaced() -> None:
    text = "The governor said about 40 families had been moved overnight to a church."
    assert counted(text) == [("displaced", "approximately", 40, "families")]


def test_things_seized_past_an_including_aside_share_the_verb() -> None:
    text = "The army said 120 rifles, including 7 mortars, and 3 trucks were seized."
    assert counted(text) == [
        ("captured", "exact", 120, "rifles"),
        ("captured", "exact", 7, "mortars"),
        ("captured", "exact", 3, "trucks"),
    ]


# Who speaks, and when, in a statement reproduced whole

_STATEMENT = (
    "Rebels hold town, army says\n\nKALO, March 6 (Meridian News) - The army said on"
    " Wednesday that it had retaken the town. Its statement, issued on Wednesday, follows"
    ' unedited.\n\n"PRESS RELEASE ON OPERATIONS IN THE NORTH\n\nPort Nira, 4 March 2027\n\n'
    "The Ministry of Defence of Kalo informs the public of the results of the operation:\n\n"
    "1. 48 fighters of the rebel group were neutralised.\n\n"
    '2. 7 pickups were seized."'
)


def test_a_reproduced_statements_lines_are_its_first_speakers() -> None:
    found = draft(_STATEMENT, published=date(2027, 3, 6))
    figures = [(f.metric, f.amount) for c in found.claims for f in c.figures]
    assert ("killed", 48) in figures
    assert ("captured", 7) in figures
    names = {a.ref: a.name for a in found.actors}
    owners = {names[c.claimant_ref] for c in found.claims if c.figures}
    assert owners == {"Ministry of Defence of Kalo"}


def test_a_reproduced_statement_is_dated_by_its_own_line_of_place_and_date() -> None:
    found = draft(_STATEMENT, published=date(2027, 3, 6))
    dated = {c.stated_on for c in found.claims if c.figures}
    assert dated == {date(2027, 3, 4)}


def test_a_quotation_closed_in_its_paragraph_holds_no_block() -> None:
    text = (
        'The mayor said: "We buried nine people."\n\n12 houses burned, the fire service said'
        " on Monday."
    )
    assert [name for name, *_ in claims_said(text)] == ["mayor", "fire service"]
