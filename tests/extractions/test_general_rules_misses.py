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
listed" and "have since left". Then: a press review's sections dated by the editions it
reviews; a statement quoted whole, numbered items and all, and a quotation under its issuer's
heading; a letter's "your report …, citing X" and "our network"; a document's own date
("report of Dec. 2", "Monday's report by X", "in a statement on Tuesday"); ", and" before a
new speaker; a figure another party judges after it; the counted people a speaker's relative
clause gives; titles, acronyms and one-word names that name someone spoken of before; "one
of them, X,"; a participle of saying; a named hospital or aid "room" as a body."""

from datetime import date

import pytest
from claimledger_server.extractions.actor_kinds import kind_of
from claimledger_server.extractions.gazetteer import Gazetteer

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


@pytest.mark.parametrize(
    "introduction",
    [
        "Storms and fighting led the front pages on Wednesday.",
        "Wednesday's national papers led with the floods.",
    ],
)
def test_a_press_reviews_sections_are_dated_by_the_editions_it_reviews(introduction: str) -> None:
    text = (
        "Press review: what the papers say\n\n"
        f"CITY, Dec 27 (Meridian News) - {introduction}\n\n"
        "THE VALLEY HERALD (Nira, independent) led with a photograph of the flooded market."
        " In an editorial, the paper said 200 homes had been destroyed. It also carried a"
        " statement by the army, which said two soldiers were killed near Dec. 20 Bridge."
        " It quoted the fire service as saying on Tuesday that 14 people had died.\n\n"
        "NORTH STAR (Port Lira, state-owned) ran the same photograph. The paper said 30 shops were"
        " looted in the raid of Dec. 21."
    )
    wednesday = date(2024, 12, 25)
    assert [(claimant, on) for claimant, _, on, figures in _claims(text) if figures] == [
        ("THE VALLEY HERALD", wednesday),
        ("army", wednesday),
        ("fire service", date(2024, 12, 24)),  # a date of its own stands
        ("NORTH STAR", wednesday),  # the raid's date, in the sentence after the heading's
    ]
    # a review that names no editions' day leaves its sections to the day it appeared
    undated = text.replace(introduction, "Storms and fighting led the front pages.")
    assert {on for _, _, on, figures in _claims(undated)[:2] if figures} == {PUBLISHED}


def test_a_statement_quoted_whole_is_one_speakers_numbered_items_and_all() -> None:
    text = (
        "The Red Hand gang claimed the raid on Friday. Meridian News could not verify the"
        " statement.\n\n"
        '"Our men entered the barracks at dawn and stayed until noon. The results:\n'
        "(1) 25 policemen were killed;\n"
        "(2) we captured 9 rifles.\n"
        'Two of our men were martyred."\n\n'
        "The police said three officers were killed."
    )
    claims = [(claimant, on, figures) for claimant, _, on, figures in _claims(text) if figures]
    friday = date(2024, 12, 27)
    assert claims == [
        ("Red Hand gang", friday,
         [("killed", "exact", 25, "people"), ("captured", "exact", 9, "rifles")]),
        ("Red Hand gang", friday, [("killed", "exact", 2, "people")]),
        ("police", friday, [("killed", "exact", 3, "people")]),
    ]  # fmt: skip


def test_a_quotation_under_an_issuers_heading_is_the_issuers() -> None:
    text = (
        "The tallies\n\n"
        "CITY, Dec 27 (Meridian News) - Each day the two sides publish what they say they"
        " destroyed.\n\n"
        "SOUTHERN COMMAND (Telegram, 09:00):\n"
        '"Our units destroyed five tanks. The enemy lost up to 80 servicemen."'
    )
    assert [claimant for claimant, _, _, figures in _claims(text) if figures] == [
        "SOUTHERN COMMAND",
        "SOUTHERN COMMAND",
    ]


def test_what_a_letter_says_the_paper_printed_citing_someone_is_that_someones_on_its_date() -> None:
    text = (
        "Letters: the flood\n\n"
        "The toll is wrong\n\n"
        'Sir, Your report of Dec. 20 ("Floods sweep through the valley") put the number of'
        ' dead at 12, citing the police. The police spoke of "about 40 looters arrested".'
        " The council has listed 30 people killed.\n\n"
        "Ana Ruiz, Port Nira\n\n"
        "The camps are full\n\n"
        "Sir, In your article on the camps of Dec. 18, you wrote that 400 families had fled.\n\n"
        "Omar Haddad, Kora"
    )
    assert [(claimant, relay, on) for claimant, relay, on, _ in _claims(text)] == [
        ("police", None, date(2024, 12, 20)),  # the publisher relays nothing
        ("police", None, date(2024, 12, 20)),  # the same claimant's date, named before
        ("council", None, PUBLISHED),
        ("Meridian News", None, date(2024, 12, 18)),
    ]


def test_a_documents_own_date_is_the_date_it_said_what_it_says() -> None:
    text = "The ministry's bulletin of Dec. 23 put the number of displaced at 5,000."
    assert [on for _, _, on, _ in _claims(text)] == [date(2024, 12, 23)]


def test_it_names_the_body_that_spoke_last_a_named_hospital_or_aid_room_included() -> None:
    text = (
        "The Kora Doctors Union said 19 of the dead were women. The Lantern Emergency Room"
        " said volunteers had buried 40 people. It said dozens of people were still missing."
    )
    assert [claimant for claimant, *_ in _claims(text)] == [
        "Kora Doctors Union",
        "Lantern Emergency Room",
        "Lantern Emergency Room",
    ]


def test_what_a_participle_of_saying_reports_holds_no_speaker() -> None:
    text = (
        "Interior Minister Ana Ruiz repeated her appeal for more helicopters, saying donors"
        " had pledged only three of the 12 the country needs."
    )
    assert [claimant for claimant, *_ in _claims(text)] == ["Ana Ruiz"]


def test_and_after_a_closed_attribution_passes_to_the_next_speaker() -> None:
    text = (
        "Shelling killed nine people in Kora overnight, the provincial governor said on"
        " Monday, and four more died in Lira, according to that town's mayor. Mayor Ana Ruiz"
        " said 20 homes had burned."
    )
    claims = [(claimant, on, figures) for claimant, _, on, figures in _claims(text)]
    assert claims[:2] == [
        ("provincial governor", date(2024, 12, 23), [("killed", "exact", 9, "people")]),
        ("Ana Ruiz", PUBLISHED, [("killed", "exact", 4, "people")]),  # named in the next
    ]
    # what the speaker said may go on after "and", and a quotation is one speaker's
    for one in (
        "The governor said nine people had died, and four more were missing in Lira.",
        '"We counted nine bodies so far, and I fear there will be more," the mayor said.',
    ):
        assert [claimant for claimant, *_ in _claims(one)] in (["governor"], ["mayor"])


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("Her son is among the 40 people the village council says were killed that night.",
         "village council"),
        ("He is one of about 300 residents the charity believes are still missing.", "charity"),
    ],
)  # fmt: skip
def test_a_count_that_a_speaker_gives_in_a_relative_clause_is_that_speakers(
    text: str, claimant: str
) -> None:
    assert [name for name, _, _, figures in _claims(text) if figures] == [claimant]


def test_a_report_on_a_date_is_dated_by_it_wherever_it_stands() -> None:
    text = "The health office put the toll at 14 dead and 30 wounded in a report on Dec. 19."
    assert [on for _, _, on, _ in _claims(text)] == [date(2024, 12, 19)]


def test_a_sentence_opening_on_a_one_word_name_makes_that_person_whom_she_names() -> None:
    text = (
        'Ana Lenz keeps a list. "I wrote them down," said Lenz, 34.\n\n'
        "At the camp, a doctor who asked not to be named said cholera had killed six people."
        " Food, he said, is short.\n\n"
        "Lenz has not gone back. She says she will not return until the guns are silent."
    )
    assert [claimant for claimant, *_ in _claims(text)][-1] == "Lenz"


def test_a_capitalised_description_opening_a_headline_is_no_name() -> None:
    text = (
        "Nira health minister gives flood toll\n\n"
        "CITY, Dec 27 (Meridian News) - Floods have killed 14 people, Health Minister Ana Ruiz"
        " told reporters on Friday.\n\n"
        "Asked about the missing, the minister said 30 people had not been found."
    )
    assert {claimant for claimant, *_ in _claims(text)} == {"Ana Ruiz"}


def test_a_title_and_name_in_a_sentence_without_speaker_name_the_official_spoken_of() -> None:
    text = (
        "The region's deputy governor told reporters on Monday that 16 people had died.\n\n"
        "Speaking in the regional capital, Deputy Governor Omar Haddad took questions for an"
        " hour.\n\n"
        "Haddad said 40 people were wounded."
    )
    assert [(claimant, on) for claimant, _, on, _ in _claims(text)] == [
        ("Omar Haddad", date(2024, 12, 23)),
        ("Omar Haddad", date(2024, 12, 23)),  # the same claimant's date
    ]


def test_the_publishers_earlier_report_citing_someone_is_that_someones_on_its_day() -> None:
    text = (
        "Monday's report by Meridian News, citing a nurse at the clinic, had put the toll at"
        " 12 dead."
    )
    assert [(claimant, relay, on) for claimant, relay, on, _ in _claims(text)] == [
        ("nurse at the clinic", None, date(2024, 12, 23))
    ]


def test_and_before_a_new_speaker_and_verb_passes_to_that_speaker() -> None:
    text = (
        'The Lira Rights League has put the number of dead at "more than 50", and a police'
        " source told Meridian News on Tuesday that 12 officers were among them."
    )
    assert [(claimant, on) for claimant, _, on, _ in _claims(text)] == [
        ("Lira Rights League", PUBLISHED),
        ("police source", date(2024, 12, 24)),
    ]


def test_a_title_in_lower_case_after_a_capitalised_one_names_the_official_too() -> None:
    text = (
        "The town's deputy mayor told reporters on Monday that 14 people were killed."
        " Deputy mayor Ana Ruiz said 35 homes had burned."
    )
    assert [(claimant, on) for claimant, _, on, _ in _claims(text)] == [
        ("Ana Ruiz", date(2024, 12, 23)),
        ("Ana Ruiz", date(2024, 12, 23)),
    ]


def test_our_body_in_a_letter_is_the_body_its_writer_signs_for() -> None:
    text = (
        "Letters\n\n"
        "The camps are full\n\n"
        "Sir, Our trust's volunteers estimate that 900 families have fled the valley.\n\n"
        "Omar Haddad, director, Lantern Trust, Kora"
    )
    assert [claimant for claimant, *_ in _claims(text)] == ["Lantern Trust"]


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("One of them, Witness 4, told the inquiry that he saw 30 bodies.", "Witness 4"),
        ("Another, a teacher in Kora, wrote that 12 pupils had died.", "teacher in Kora"),
    ],
)
def test_one_of_a_group_is_named_by_the_apposition_that_follows(text: str, claimant: str) -> None:
    assert [name for name, *_ in _claims(text)] == [claimant]


def test_a_figure_another_party_judges_after_it_is_that_partys_word_too() -> None:
    text = (
        "Local nurses tell Meridian News that the clinic has received at least 90 bodies, a"
        ' figure the Health Ministry calls "exaggerated".'
    )
    assert [(claimant, figures) for claimant, _, _, figures in _claims(text)] == [
        ("Local nurses", [("killed", "at_least", 90, "people")]),
        ("Health Ministry", []),
    ]


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ('The rebels called the ceasefire "a trap" in a statement on Tuesday.', date(2024, 12, 24)),
        ('The monitor put the number of dead at "more than 9,000" in a report published on'
         " Dec. 2.", date(2024, 12, 2)),
        # the date of what the statement is about is no date of the statement
        ("The army said 12 soldiers were killed in an ambush on Tuesday.", PUBLISHED),
    ],
)  # fmt: skip
def test_the_statement_a_claim_was_made_in_dates_it_after_what_it_says(text: str, on: date) -> None:
    assert [stated for _, _, stated, _ in _claims(text)] == [on]


def test_an_acronym_names_the_body_whose_initials_it_spells() -> None:
    text = (
        "The Kora Civilian Protection Monitor said on Monday that 300 civilians had been"
        " killed this year. In the first month, the KCPM recorded 40 killings."
    )
    assert [(claimant, on) for claimant, _, on, _ in _claims(text)] == [
        ("Kora Civilian Protection Monitor", date(2024, 12, 23)),
        ("Kora Civilian Protection Monitor", date(2024, 12, 23)),
    ]


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("the U.N. humanitarian office", "international_organization"),
        ("the Office of the United Nations High Commissioner", "international_organization"),
        ("UNHCR's regional bureau", "international_organization"),
        ("a U.N. official", "person"),
        ("the U.N.-backed government", "government_body"),
        ("the UN-recognised government", "government_body"),
        ("the interior ministry's office", "government_body"),
    ],
)
def test_a_body_of_the_united_nations_is_an_international_organisation(
    phrase: str, kind: str
) -> None:
    assert kind_of(phrase, Gazetteer([]), person=False) == kind
