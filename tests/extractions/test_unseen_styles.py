"""Whole paragraphs written for these tests, in news forms the corpus does not hold (a
charity's press release, a situation report that cites its sources in brackets, a court
report, a minister before parliament, a night raid told through a deputy governor, a coast
guard rescue, a hospital amid distractor numbers): the proxy for text nobody fitted the
rules to. Each checks what an analyst would expect of the draft — who said it, through
whom, when, and the figures with their metric — and that no distractor became a figure.
Names, places and numbers are invented."""

from datetime import date

from claimledger_server.extractions.gazetteer import KnownActor
from claimledger_server.extractions.schemas import ExtractedDraft

from tests.extractions.offline import actor_names, draft

PUBLISHED = date(2025, 3, 14)  # a Friday
PUBLISHER = KnownActor("act_publisher", "Lantern Wire", (), "media_outlet", False)

Claim = tuple[str, str | None, date | None, list[tuple[str, str, int | None]]]


def _draft(text: str) -> ExtractedDraft:
    return draft(text, PUBLISHED, PUBLISHER)


def _claims(text: str) -> list[Claim]:
    """(claimant, relay, stated_on, [(metric, qualifier, amount)]) of each claim."""
    found = _draft(text)
    names = actor_names(found)
    return [
        (
            names[c.claimant_ref],
            names[c.relayed_by_ref] if c.relayed_by_ref else None,
            c.stated_on,
            [(f.metric, f.qualifier, f.amount) for f in c.figures],
        )
        for c in found.claims
    ]


def test_a_night_raid_told_by_a_deputy_governor_and_a_police_spokesman() -> None:
    text = (
        "Gunmen on motorbikes stormed the market town of Velo late on Tuesday, killing 17"
        " villagers and torching 14 shops, the deputy governor of the province, Irena Holm,"
        " said on Wednesday.\n\n"
        "Holm told the Daily Beacon that upwards of 40 people were hospitalised, and that a"
        ' further nine remained unaccounted for. "They shot at anyone who ran," she said.\n\n'
        "A police spokesman, Inspector Teo Varga, said officers had arrested six suspects and"
        " seized 11 rifles."
    )
    wednesday = date(2025, 3, 12)
    assert _claims(text) == [
        ("Irena Holm", "Daily Beacon", wednesday,
         [("killed", "exact", 17), ("other", "exact", 14)]),
        ("Irena Holm", "Daily Beacon", wednesday,
         [("wounded", "more_than", 40), ("missing", "exact", 9)]),
        ("Irena Holm", "Daily Beacon", wednesday, []),
        ("Teo Varga", None, PUBLISHED, [("detained", "exact", 6), ("captured", "exact", 11)]),
    ]  # fmt: skip


def test_a_charity_press_release() -> None:
    text = (
        "PRESS RELEASE\n\n"
        "Geneva, 12 March - The Alliance for Civilian Safety (ACS) today condemned an attack"
        " on a camp for displaced families that killed 23 people and injured 41.\n\n"
        '"Attacks on people sheltering in camps are a grave violation of the law," said ACS'
        " director Hanne Lind. The camp hosts some 12,000 internally displaced people.\n\n"
        "ACS teams have provided medical care to 2,450 people in the region since January."
    )
    claims = _claims(text)
    assert claims[0][0] == "Alliance for Civilian Safety"
    assert claims[0][3] == [("killed", "exact", 23), ("wounded", "exact", 41)]
    assert claims[1][0] == "Hanne Lind"
    assert [figure for claim in claims[2:] for figure in claim[3]] == [
        ("displaced", "approximately", 12000),
        ("other", "exact", 2450),
    ]


def test_a_situation_report_that_cites_its_sources_in_brackets() -> None:
    text = (
        "Situation report, 13 March\n\n"
        "- An estimated 1.4 million people are internally displaced across the three northern"
        " provinces (IOM).\n"
        "- At least 360 civilians have been killed since 1 January (OHCHR).\n"
        "- 21 aid workers have been killed this year."
    )
    assert [(c, figures) for c, _, _, figures in _claims(text)] == [
        ("IOM", [("displaced", "approximately", 1400000)]),
        ("OHCHR", [("killed", "at_least", 360)]),
        ("Lantern Wire", [("killed", "exact", 21)]),
    ]


def test_a_court_report() -> None:
    text = (
        "Prosecutors allege that the former major ordered the execution of 43 prisoners in"
        ' 2016. Testifying on Tuesday, a former guard said he had seen "at least 30 bodies"'
        " in a trench behind the barracks. The defence argued that the witness, 58, could not"
        " have seen the site from his post."
    )
    claims = _claims(text)
    assert claims[0][3] == [("executed", "exact", 43)]
    assert claims[1][:3] == ("former guard", None, date(2025, 3, 11))
    assert claims[1][3] == [("killed", "at_least", 30)]
    assert [figure for claim in claims for figure in claim[3]] == [
        ("executed", "exact", 43),
        ("killed", "at_least", 30),
    ]  # the year, the age: distractors


def test_a_minister_before_parliament_and_the_opposition() -> None:
    text = (
        "Interior Minister Rafael Ortun told parliament on Wednesday that security forces had"
        " detained 412 people during the protests, of whom 38 were still being held. He said"
        " 19 police officers had been wounded.\n\n"
        "Opposition lawmaker Maya Delacroix disputed the figures. She said her party had"
        " documented at least 27 deaths and hundreds of injuries."
    )
    assert [(c, f) for c, _, _, f in _claims(text)] == [
        ("Rafael Ortun", [("detained", "exact", 412), ("detained", "exact", 38)]),
        ("Rafael Ortun", [("wounded", "exact", 19)]),
        ("Maya Delacroix", []),
        ("Maya Delacroix", [("killed", "at_least", 27), ("wounded", "vague", None)]),
    ]


def test_a_coast_guard_rescue() -> None:
    text = (
        "The coast guard said it had rescued 86 migrants from a sinking boat on Sunday and"
        " recovered the bodies of 11 others. A further 30 were missing, presumed drowned, a"
        " coast guard officer said."
    )
    assert [f for _, _, _, figures in _claims(text) for f in figures] == [
        ("other", "exact", 86),
        ("killed", "exact", 11),
        ("missing", "exact", 30),
    ]


def test_a_hospital_among_distractor_numbers() -> None:
    text = (
        "The town of Dena, home to about 80,000 people, lies 45 km from the front line. Its"
        " only hospital has 60 beds and two surgeons, the director, Dr. Amal Tesfa, said on"
        " Monday.\n\n"
        "She said the hospital had received 37 wounded since Friday, among them a 9-year-old"
        " girl, and that four of them had died. A 48-hour truce announced on Saturday"
        " collapsed within six hours, she said.\n\n"
        "The government declared three days of national mourning and pledged $2 million."
    )
    claims = _claims(text)
    assert {c for c, _, _, _ in claims} == {"Amal Tesfa", "government"}
    assert [f for _, _, _, figures in claims for f in figures] == [
        ("wounded", "exact", 37),
        ("killed", "exact", 4),
    ]
    assert {stated for c, _, stated, _ in claims if c == "Amal Tesfa"} == {date(2025, 3, 10)}


def test_a_militia_claim_and_a_military_source_through_an_outlet() -> None:
    text = (
        "The militia said in a Telegram post on Monday that its fighters had shot down a"
        " reconnaissance drone and captured 14 government soldiers. The army did not comment."
        "\n\nA military source, speaking on condition of anonymity, told the Delta Post that"
        " the militia had taken around 20 soldiers prisoner and that five more had been"
        " killed."
    )
    claims = _claims(text)
    assert claims[0][:3] == ("militia", None, date(2025, 3, 10))
    assert claims[0][3] == [("captured", "exact", 14)]
    assert claims[-1][:2] == ("military source", "Delta Post")
    assert claims[-1][3] == [("captured", "approximately", 20), ("killed", "exact", 5)]
