"""Rules of English news reporting that the revision studying what `unopened`, `unvisited`
and `unread` still missed added, each on sentences of its own (no article's wording, names or
numbers): counts that are no figure whatever metric word stands near them (the informants a
claim came from, a capacity, a household, aid handed out, a proportion, a numbered list's item
markers, more places where something happened, things that are the subject of a verb of
their own); counts set out as labelled lines ("Burns: 7", "- tanks: 6 (2,118)"); blocks that
name their issuer by a source line, a heading in capitals or a letter's signature, a press
review's sections and a letter's "you"; another party's figure that a speaker disputes; a
title that names an official spoken of before by role; a station described before its name;
a participle that dates the statement; a nickname in quotation marks; "spoke of", "has
listed" and "have since left"."""

from datetime import date

import pytest

from tests.extractions.offline import PUBLISHED, actor_names, draft

Figure = tuple[str, str, int | None, str]


def _figures(text: str) -> list[Figure]:
    """(metric, qualifier, amount, unit) of every figure drafted from `text`."""
    return [
        (f.metric, f.qualifier, f.amount, f.unit) for c in draft(text).claims for f in c.figures
    ]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Nine villagers were detained on Monday, according to three relatives of the"
         " detainees.", [("detained", "exact", 9, "people")]),
        ("The monitor said it counts only deaths confirmed by at least three separate"
         " sources.", []),
        ("The toll rose to 40, according to three doctors treating the wounded.",
         [("killed", "exact", 40, "people")]),
    ],
)  # fmt: skip
def test_a_count_of_the_informants_a_claim_came_from_is_no_figure(
    text: str, figures: list[Figure]
) -> None:
    assert _figures(text) == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("The clinic's mortuary was built to hold 30 bodies, a nurse said.", []),
        ("The field hospital, designed for 60 patients, admitted 140 wounded on Sunday, its"
         " director said.", [("wounded", "exact", 140, "people")]),
        ("The ward has room for 20 injured people, the doctor said.", []),
        # what aid is meant for is a count of the people it serves
        ("A delivery meant for 900 displaced families was delayed, the agency said.",
         [("displaced", "exact", 900, "families")]),
    ],
)  # fmt: skip
def test_what_a_place_can_hold_is_no_figure(text: str, figures: list[Figure]) -> None:
    assert _figures(text) == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ('"We left everything," said Amina Bello, who now lives in a camp shelter with 12'
         " relatives.", []),
        ("A fisherman said he was sheltering in a mosque with nine relatives.", []),
        # others than kin beside the displaced are more of them
        ("About 300 people are sheltering in the school with 40 other displaced families, the"
         " mayor said.", [("displaced", "approximately", 300, "people"),
                          ("displaced", "exact", 40, "families")]),
    ],
)  # fmt: skip
def test_the_kin_someone_lives_with_are_no_figure(text: str, figures: list[Figure]) -> None:
    assert _figures(text) == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("The Red Crescent said it had handed out 3,000 hygiene kits to displaced families.",
         []),
        ("The charity distributed 450 winter tents last week, it said.", []),
        # the same things harmed are counted as usual
        ("The charity said gunmen had looted 450 winter tents.",
         [("other", "exact", 450, "tents")]),
    ],
)  # fmt: skip
def test_supplies_handed_out_in_kind_are_no_figure(text: str, figures: list[Figure]) -> None:
    assert _figures(text) == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Two in every five health centres have been looted, the agency said.", []),
        ("One clinic in four is shut, the ministry said.", []),
        ("One displaced child in six is out of school, the agency said.", []),
        # a count, then how long it took or where it happened
        ("Two people were killed in 24 hours, police said.", [("killed", "exact", 2, "people")]),
        ("One soldier was killed in 2023, the army said.", [("killed", "exact", 1, "people")]),
    ],
)  # fmt: skip
def test_a_proportion_is_no_count(text: str, figures: list[Figure]) -> None:
    assert _figures(text) == figures


def test_the_markers_of_a_numbered_list_count_nothing() -> None:
    text = (
        'The group said in its statement: "(1) 40 soldiers were killed;\n(2) 12 were taken'
        ' prisoner;\n(3) four trucks were seized."'
    )
    assert _figures(text) == [
        ("killed", "exact", 40, "people"),
        ("captured", "exact", 12, "people"),
        ("captured", "exact", 4, "trucks"),
    ]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Rescuers recovered 40 bodies from Lokoja and three nearby villages, the governor"
         " said.", [("killed", "exact", 40, "people")]),
        ("Gunmen set fire to homes in Lokoja and two nearby villages, the governor said.", []),
        # places taken are counted as usual
        ("The rebels captured Lokoja and three nearby villages, the army said.",
         [("captured", "exact", 3, "villages")]),
    ],
)  # fmt: skip
def test_places_joined_to_a_named_place_say_where_it_happened(
    text: str, figures: list[Figure]
) -> None:
    assert _figures(text) == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Dozens of videos showed the burning market, residents said.", []),
        # a verb of harm right after the things counted is theirs
        ("Two drones targeted the depot, setting it ablaze, the army said.",
         [("other", "exact", 2, "drones")]),
    ],
)  # fmt: skip
def test_things_that_do_something_are_not_what_a_later_verb_harms(
    text: str, figures: list[Figure]
) -> None:
    assert _figures(text) == figures


Said = tuple[str, str | None, date | None, list[Figure]]


def _claims(text: str) -> list[Said]:
    """(claimant, relay, stated_on, figures) of each claim drafted from `text`."""
    found = draft(text)
    names = actor_names(found)
    return [
        (
            names[c.claimant_ref],
            names[c.relayed_by_ref] if c.relayed_by_ref else None,
            c.stated_on,
            [(f.metric, f.qualifier, f.amount, f.unit) for f in c.figures],
        )
        for c in found.claims
    ]


def test_a_bulletins_labelled_lines_are_its_source_lines_on_its_own_date() -> None:
    text = (
        "Hope Hospital's evening bulletin\n\n"
        "CITY, Dec 27 (Meridian News) - The hospital publishes a bulletin every evening.\n\n"
        '"EVENING BULLETIN - Thursday 26 December, 20:00\n'
        "Admitted since Wednesday:\n"
        "Shrapnel injuries: 18 (of whom 4 children).\n"
        "Burns: 7.\n"
        "Deaths on admission: 5.\n"
        "Oxygen cylinders: 12.\n"
        'Source: Records Office, Hope Hospital."'
    )
    assert [claim for claim in _claims(text) if claim[3]] == [
        ("Records Office, Hope Hospital", None, date(2024, 12, 26),
         [("wounded", "exact", 18, "people"), ("wounded", "exact", 4, "people")]),
        ("Records Office, Hope Hospital", None, date(2024, 12, 26),
         [("wounded", "exact", 7, "people")]),
        ("Records Office, Hope Hospital", None, date(2024, 12, 26),
         [("killed", "exact", 5, "people")]),
    ]  # fmt: skip


def test_a_tally_under_its_issuers_heading_counts_losses_and_totals_in_brackets() -> None:
    text = (
        "The daily tallies\n\n"
        "CITY, Dec 27 (Meridian News) - Meridian News reproduces Thursday's tallies below.\n\n"
        "NORTHERN ARMY COMMAND (Telegram, 08:00). Enemy losses in the past day, with totals"
        " since March 3 in brackets:\n"
        "- personnel: about 240 (51,300);\n"
        "- armoured vehicles: 6 (2,118)."
    )
    claims = [claim for claim in _claims(text) if claim[3]]
    assert {(claimant, on) for claimant, _, on, _ in claims} == {
        ("NORTHERN ARMY COMMAND", date(2024, 12, 26))
    }
    assert [figure for *_, figures in claims for figure in figures] == [
        ("killed_or_wounded", "approximately", 240, "people"),
        ("killed_or_wounded", "exact", 51300, "people"),
        ("other", "exact", 6, "armoured-vehicles"),
        ("other", "exact", 2118, "armoured-vehicles"),
    ]

    # a wire dateline is no issuer's heading: a dash follows its bracket
    dateline = "PORT NIRA (Meridian News) - Twelve people were killed in clashes overnight."
    assert [claimant for claimant, *_ in _claims(dateline)] == ["Meridian News"]


def test_a_press_reviews_section_is_the_paper_its_heading_names() -> None:
    text = (
        "Press review: what the papers say\n\n"
        "CITY, Dec 27 (Meridian News) - Storms and fighting led the front pages.\n\n"
        "THE VALLEY HERALD (Nira, independent) led with a photograph of the flooded market."
        " It quoted the fire service as saying that 14 people had died. In an editorial,"
        " the paper said 200 homes had been destroyed.\n\n"
        "NORTH STAR (Port Lira, state-owned) ran the same photograph. It also carried a"
        " statement by the army, which said two soldiers were killed."
    )
    assert [(claimant, relay) for claimant, relay, _, figures in _claims(text) if figures] == [
        ("fire service", "THE VALLEY HERALD"),
        ("THE VALLEY HERALD", None),
        ("army", "NORTH STAR"),
    ]


def test_a_figure_a_speaker_disputes_stays_its_owners_claim() -> None:
    text = "The army on Tuesday rejected the rebels' toll of 40 soldiers killed, saying six died."
    assert [(claimant, on, figures) for claimant, _, on, figures in _claims(text)] == [
        ("army", date(2024, 12, 24), [("killed", "exact", 6, "people")]),
        ("rebels", PUBLISHED, [("killed", "exact", 40, "people")]),
    ]
    # a figure a speaker cites is theirs, its owner the basis
    cited = "The charity said, citing the health ministry's toll of 31 dead, that it was unlawful."
    assert [claimant for claimant, *_ in _claims(cited)] == ["charity"]


def test_a_title_names_the_official_spoken_of_before_by_that_role() -> None:
    text = (
        "The district administrator said on Monday that 12 people had died. Administrator"
        " Ana Ruiz told Meridian News that 30 homes had burned."
    )
    assert [(claimant, on) for claimant, _, on, _ in _claims(text)] == [
        ("Ana Ruiz", date(2024, 12, 23)),
        ("Ana Ruiz", date(2024, 12, 23)),
    ]


def test_a_station_described_before_its_name_is_an_outlet_that_relays() -> None:
    text = (
        "Community station Radio Kora reported, citing the Red Cross, that 1,700 people had fled."
    )
    assert [(claimant, relay) for claimant, relay, _, _ in _claims(text)] == [
        ("Red Cross", "Radio Kora")
    ]


def test_a_participle_after_the_verbs_object_dates_the_statement() -> None:
    text = (
        "A police spokesman, Inspector Ana Ruiz, gave a lower toll, telling reporters in the"
        " capital on Thursday that 11 civilians had died."
    )
    assert [on for _, _, on, _ in _claims(text)] == [date(2024, 12, 26)]


@pytest.mark.parametrize(
    "text",
    [
        'In a video posted online, a leader of the Red Hand gang who calls himself "Big Tom"'
        " said his men had killed 15 police officers.",
        'A gang leader who goes by the name "Big Tom" said his men had killed 15 police officers.',
        '"We killed 15 police officers," said a gang leader known as "Big Tom".',
    ],
)
def test_a_nickname_in_quotation_marks_names_the_speaker(text: str) -> None:
    assert [claimant for claimant, *_ in _claims(text)] == ["Big Tom"]


def test_a_readers_letter_is_its_signers_and_its_you_the_paper() -> None:
    text = (
        "Letters to the editor\n\n"
        "The toll is higher\n\n"
        "Sir, In your report on the floods, you wrote that 40 people had died. At least 300"
        ' families have since left the valley. The army spoke of "about 20 looters'
        ' arrested". The valley council has listed 62 people killed.\n\n'
        "Ana Ruiz, Port Nira"
    )
    assert [(claimant, figures) for claimant, _, _, figures in _claims(text)] == [
        ("Meridian News", [("killed", "exact", 40, "people")]),
        ("Ana Ruiz", [("displaced", "at_least", 300, "families")]),
        ("army", [("detained", "approximately", 20, "people")]),
        ("valley council", [("killed", "exact", 62, "people")]),
    ]
