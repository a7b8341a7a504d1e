"""Rules of English news reporting that the revision studying the failures of `newest` and
`recent` by mechanism added, each on sentences of its own (no article's wording, names or
numbers): totals named by the sentence's subject, counts whose noun is left out, what
befalls people in other words, quotations attributed after they close, sources named by
their documents, and the dates of documents and occasions."""

from datetime import date

import pytest
from claimledger_server.text.quantities import find_quantities

from tests.extractions.offline import actor_names, draft


def _figures(text: str) -> list[tuple[str, int | None, str]]:
    return [(f.metric, f.low, f.unit) for c in draft(text).claims for f in c.figures]


def _claimants(text: str) -> list[str]:
    found = draft(text)
    names = actor_names(found)
    return [names[claim.claimant_ref] for claim in found.claims]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        # the subject names the total, however long its modifiers
        ("The number of people killed in three weeks of clashes between herders and farmers"
         " in the northern valley districts has risen to 87, the governor said.",
         [("killed", 87, "people")]),
        ("The number of people driven from their homes by the floods and the fighting"
         " around the port has surpassed 4,000, the agency said.",
         [("displaced", 4001, "people")]),
        ("The number of rocket attacks on the airfield since the truce has topped 15, a"
         " spokesman said.", [("other", 16, "attacks")]),
        ("The mayor put the number of drone strikes at 21.", [("other", 21, "strikes")]),
        # a total named again counts what the figure before it counted
        ("The militia said 30 civilians were killed on Monday. The mayor said the number"
         " had since risen to 41.", [("killed", 30, "people"), ("killed", 41, "people")]),
        # a total of what nothing says is counted is no figure
        ("The number of polling stations has risen to 300, the commission said.", []),
    ],
)  # fmt: skip
def test_a_total_named_by_the_sentence_subject(
    text: str, figures: list[tuple[str, int, str]]
) -> None:
    assert _figures(text) == figures


def test_another_n_counts_what_the_count_before_it_counted() -> None:
    assert _figures(
        "Rescuers pulled 12 bodies from the river on Monday and another five on Tuesday,"
        " the coast guard said."
    ) == [("killed", 12, "people"), ("killed", 5, "people")]
    [quantity] = find_quantities("and a further nine were taken to the clinic")
    assert (quantity.text, quantity.amount) == ("nine", 9)


def test_several_of_them_is_a_part_of_the_count_before() -> None:
    assert _figures(
        "The clinic said 40 people were injured and that several of them lost limbs."
    ) == [
        ("wounded", 40, "people"),
        ("wounded", 3, "people"),
    ]


@pytest.mark.parametrize(
    ("text", "metric", "low"),
    [
        ("Volunteers were still searching the ruins for seven residents, the mayor said.",
         "missing", 7),
        ("Crews were digging for at least three people, the mayor said.", "missing", 3),
        ("A fisherman said 9 canoes had not come back.", "missing", 9),
        ("The mayor said two of her nephews were among the dead.", "killed", 2),
        ("The mayor said the raiders withdrew at dawn, taking six soldiers with them.",
         "captured", 6),
        ("The mayor said gunmen had taken away eight men from the market.", "detained", 8),
        ("The mayor said 300 residents had been moved to emergency shelters.", "displaced", 300),
        ("Firefighters pulled 14 people alive from the rubble, the mayor said.", "other", 14),
        ("The mayor said 25 teachers and nurses were still held by the rebels.", "detained", 25),
        ("The mayor said the post was defended by a company of 90 soldiers.",
         "deployed", 90),
        ("The guide said the column had 70 men.", "deployed", 70),
        ("The agency said 2 million people remain displaced.", "displaced", 2_000_000),
        ("The charity said 90,000 people were at risk of famine.", "other", 90_000),
        ("The ministry said 19 children had been killed or maimed by mines.",
         "killed_or_wounded", 19),
        ("Medics said the army evacuated 15 wounded soldiers to the capital.", "wounded", 15),
        ("Police said they had arrested 31 people suspected of taking part in the riot.",
         "detained", 31),
        ("The monitor's count stands at 412 people reported killed, the monitor said.",
         "killed", 412),
        ("The court heard that the militia was blamed for hundreds of killings.", "killed", 200),
        ("The ombudsman said armed groups had recruited 64 minors.", "other", 64),
    ],
)  # fmt: skip
def test_what_befalls_people_in_other_words(text: str, metric: str, low: int) -> None:
    assert [(m, lo) for m, lo, _ in _figures(text)] == [(metric, low)]


def test_a_verb_right_before_things_beats_a_metric_word_further_on() -> None:
    assert _figures(
        "The mayor said the gang set fire to 30 houses and shot villagers as they fled."
    ) == [("other", 30, "houses")]


def test_a_quotation_of_several_sentences_is_who_speaks_after_it_closes() -> None:
    text = (
        'The governor said the town was calm. "The patrol had 50 men and 20 were killed.'
        ' Only half came back," a local official said.'
    )
    assert _claimants(text) == ["governor", "local official", "local official"]


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("The raids killed 40 people, according to a list of names compiled by Ledger Watch.",
         "Ledger Watch"),
        ("The raids killed 40 people, according to a River Monitor investigation.",
         "River Monitor"),
        ("The raids killed 40 people, according to a tally by the Lagos-based Centre for"
         " Conflict Studies.", "Centre for Conflict Studies"),
        ("The Office for Relief and Recovery (ORR), which runs the camps, counted 40 dead.",
         "Office for Relief and Recovery"),
    ],
)  # fmt: skip
def test_a_source_named_by_its_document_or_with_its_acronym(text: str, claimant: str) -> None:
    assert _claimants(text) == [claimant]


def test_a_name_with_its_acronym_is_named_again_by_the_acronym() -> None:
    found = draft(
        "The Office for Relief and Recovery (ORR) said 40 died. ORR said 12 were missing."
    )
    assert len({claim.claimant_ref for claim in found.claims}) == 1


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("In a letter to the committee dated 19 December, the ministry said 12 died.",
         date(2024, 12, 19)),
        ("The ministry said in its monthly bulletin, issued on Tuesday, that 12 died.",
         date(2024, 12, 24)),
        ("In a statement posted on Monday, its spokesman, Omar Haddad, said 12 died.",
         date(2024, 12, 23)),
        ("The governor, Ana Lupu, told the station on Wednesday that 12 died.",
         date(2024, 12, 25)),
    ],
)  # fmt: skip
def test_the_dates_of_documents_and_occasions(text: str, on: date) -> None:
    claim = draft(text).claims[-1]
    assert (claim.stated_on, claim.stated_on_precision) == (on, "day")
