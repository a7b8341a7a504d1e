"""Rules of English news reporting that the revision studying the failures of `unbidden` by
mechanism added, each on sentences of its own (no article's wording, names or numbers):
parts of a count ("nine of whom were children", "one of them, a nurse, died", "including one
whose name was unknown", a verb of dying past an aside), totals brought to a number in words,
attackers who "numbered" so many, the dead named again by "those of" after their remains,
remains still sought (missing) or buried (dead), the forcibly disappeared, people forced from
their tents and camps flooded, inmates who escaped and escapees recaptured, a side's losses
"for the loss of" its soldiers, a list of names of the dead; who speaks (a speaker who "raised
its toll to", "gave a lower figure", "gave the paper a list of", a body named with its country
before a name that lists its remit, the subject after "according to X," who is no second
speaker); and when (a relative clause that names the statement the speaker made, an earlier
figure dated by the estimate it was given in)."""

from datetime import date

from tests.extractions.offline import PUBLISHED, actor_names, claims_said, counted, draft

# Parts of a count


def test_a_part_told_by_of_whom_after_its_number() -> None:
    for number in ("9", "nine"):
        text = f"The governor said 52 people had been wounded, {number} of whom were children."
        assert counted(text) == [
            ("wounded", "exact", 52, "people"),
            ("wounded", "exact", 9, "people"),
        ]


def test_one_of_them_who_died_is_a_count_of_the_dead() -> None:
    text = (
        "The doctor said 20 wounded were taken to the city, and that one of them, a nurse,"
        " died there."
    )
    assert counted(text) == [("wounded", "exact", 20, "people"), ("killed", "exact", 1, "people")]
    text = "The army said 12 soldiers were wounded, one of whom was later killed."
    assert counted(text) == [("wounded", "exact", 12, "people"), ("killed", "exact", 1, "people")]
    # one of them who speaks is no count
    assert counted("One of them said 40 houses had burned down, the mayor added.") == [
        ("other", "exact", 40, "houses")
    ]


def test_one_told_by_a_relative_clause_is_a_part() -> None:
    text = "The commission said it had buried 17 people, including one whose name was unknown."
    assert counted(text) == [("killed", "exact", 17, "people"), ("killed", "exact", 1, "people")]


def test_a_verb_of_dying_past_an_including_aside_is_the_counts() -> None:
    text = "The mayor said four people, including two children, had drowned when the boat sank."
    assert counted(text) == [("killed", "exact", 4, "people"), ("killed", "exact", 2, "people")]


# Totals, forces, the dead and the missing


def test_a_total_brought_to_a_number_in_words() -> None:
    text = (
        "The army confirmed his death, which brought the number of soldiers killed in the raid"
        " to five."
    )
    found = counted(text)
    assert found == [("killed", "exact", 5, "people")]


def test_attackers_who_numbered_so_many_took_part() -> None:
    text = "The army said the raiders, from a faction of the rebel movement, numbered about 200."
    assert counted(text) == [("deployed", "approximately", 200, "people")]
    assert (
        counted("The town's residents numbered about 5,000 before the war, the mayor said.") == []
    )


def test_the_dead_named_again_by_those_of_after_their_remains() -> None:
    text = (
        "The ministry said it had received the bodies of 40 soldiers and handed over those of"
        " 25 rebel fighters."
    )
    assert counted(text) == [("killed", "exact", 40, "people"), ("killed", "exact", 25, "people")]


def test_remains_still_sought_are_missing_and_remains_buried_are_dead() -> None:
    text = "The ministry said the bodies of three more soldiers were still being sought."
    assert counted(text) == [("missing", "exact", 3, "people")]
    text = "A police officer said the remains of as many as 15 people might be buried in the field."
    assert counted(text) == [("killed", "at_most", 15, "people")]


def test_the_forcibly_disappeared_are_missing() -> None:
    text = (
        "The monitor said in a report that about 9,000 people remained forcibly disappeared"
        " across the country."
    )
    assert counted(text) == [("missing", "approximately", 9000, "people")]


def test_people_forced_from_their_tents_and_camps_flooded() -> None:
    text = (
        "KALO - Hundreds of families were forced from their tents near Kalo after shelling"
        " breached a dam late on Friday, flooding at least four camps, officials said."
    )
    assert counted(text) == [
        ("displaced", "vague", None, "families"),
        ("other", "at_least", 4, "camps"),
    ]


def test_inmates_who_escaped_and_escapees_caught_again() -> None:
    assert counted("The justice ministry said about 450 inmates escaped from the jail.") == [
        ("other", "approximately", 450, "people")
    ]
    text = (
        "Police said 210 prisoners had fled and that 37 escapees had been recaptured by nightfall."
    )
    assert counted(text) == [("other", "exact", 210, "people"), ("detained", "exact", 37, "people")]
    text = "The rights group said at least 90 of those held at the jail were journalists."
    assert counted(text) == [("detained", "at_least", 90, "people")]


def test_a_sides_losses_for_what_it_did() -> None:
    text = "The army said 60 rebels had been killed and 14 captured, for the loss of five soldiers."
    assert counted(text) == [
        ("killed", "exact", 60, "people"),
        ("captured", "exact", 14, "people"),
        ("killed_or_wounded", "exact", 5, "people"),
    ]


# Who speaks


def test_a_list_of_names_given_to_an_outlet_is_the_givers_count_of_people() -> None:
    text = "Musa Keita, a village elder, gave Radio Kalo a list of 41 names of people killed."
    assert counted(text) == [("killed", "exact", 41, "people")]
    assert [who for who, _, _ in claims_said(text)] == ["Musa Keita"]


def test_a_speaker_who_raised_its_toll_and_one_who_gave_a_lower_figure() -> None:
    text = (
        "Update, 10:05 GMT: The interior ministry raised its toll to 48 dead, saying five of"
        " the wounded had died."
    )
    assert [who for who, _, _ in claims_said(text)] == ["interior ministry"]
    assert [who for who, _, _ in claims_said("The regional hospital gave a lower figure.")] == [
        "regional hospital"
    ]


def test_a_body_that_lists_its_remit_keeps_its_country() -> None:
    text = (
        "Kalonia's State Commission on Refugees, Returnees and Displaced Persons said 400"
        " people had been displaced."
    )
    assert [who for who, _, _ in claims_said(text)] == [
        "Kalonia's State Commission on Refugees, Returnees and Displaced Persons"
    ]


def test_the_subject_after_according_to_is_no_second_speaker() -> None:
    text = (
        "According to the Belarian air force, Kalonia launched 62 drones at Belaria overnight."
        " The air force said 48 drones had been shot down."
    )
    found = draft(text)
    names = actor_names(found)
    assert [[names[r] for r in c.co_claimant_refs] for c in found.claims] == [[], []]


# When


def test_the_statement_a_relative_clause_says_the_speaker_made_dates_it() -> None:
    text = (
        "The rebel group, which claimed the attack in a video posted on social media on"
        " Saturday, said its fighters had killed 20 soldiers."
    )
    assert [when for _, _, when in claims_said(text)] == [date(2024, 12, 21)]
    text = "The rebel group, which attacked the town on Saturday, said it had killed 20 soldiers."
    assert [when for _, _, when in claims_said(text)] == [PUBLISHED]


def test_an_earlier_figure_is_dated_by_the_estimate_it_was_given_in() -> None:
    text = (
        "The monitor said in a report on Monday that 900 people had fled, up from 400 in its"
        " first estimate on Sunday."
    )
    assert claims_said(text) == [
        ("monitor", None, date(2024, 12, 23)),
        ("monitor", None, date(2024, 12, 22)),
    ]
