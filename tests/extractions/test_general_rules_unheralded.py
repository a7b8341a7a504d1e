"""Rules of English news writing that the revision studying the failures of `unheralded` by
mechanism added, each on sentences of its own (no article's wording, names or numbers): a
statement made "last night" was made the day before; someone "who gave his name only as X" is
a person whom "he" names next; "the … KRV group" is KRV; "Government figures put …" at the
head of a sentence are the government's; "Fishermen and a relief committee, the X, say" is a
joint claim; the words of a long name inside a subject do not push its verb out of reach; a
"supply convoy of about 40 trucks" only sizes the convoy; a bulletin's presenter reads out the
station's own reporting; a "news site" before a name is an outlet; "Of its 5,000 residents"
is a population; "the army" names again the "Marnian military" named before."""

from datetime import date, timedelta

from claimledger_server.extractions.gazetteer import KnownActor

from tests.extractions.offline import PUBLISHED, claims_said, counted, draft

_THE_DAY_BEFORE = PUBLISHED - timedelta(days=1)
_TUESDAY = date(2024, 12, 24)  # the Tuesday before the Friday of publication

# Dates


def test_a_statement_made_last_night_was_made_the_day_before() -> None:
    text = (
        "The district commissioner, Colonel Pavel Orlik, told reporters last night that 12"
        " bodies had been recovered. He blamed the rebels."
    )
    assert claims_said(text) == [("Pavel Orlik", None, _THE_DAY_BEFORE)] * 2


def test_the_army_names_again_the_military_named_before() -> None:
    text = (
        "The Marnian military said on Tuesday that its jets had struck 40 targets. The army"
        " also announced the deaths of two pilots."
    )
    assert claims_said(text) == [("Marnian military", None, _TUESDAY)] * 2
    # the word of a name is no description: "the military" is no "Kachin Freedom Army"
    text = (
        "The Kachin Freedom Army said on Tuesday that it had taken two posts. The military"
        " said 4 soldiers were wounded."
    )
    assert [who for who, _, _ in claims_said(text)] == ["Kachin Freedom Army", "military"]


# Speakers


def test_someone_who_gave_his_name_is_the_person_he_names_next() -> None:
    text = (
        "The mayor, Pavel Orlik, said 12 bodies had been found. He blamed the rebels.\n\n"
        "A militia leader, who gave his name only as Toma, told reporters that his men had"
        " not been there. He said the militia had captured 19 soldiers near the river."
    )
    assert [who for who, _, _ in claims_said(text)] == ["Pavel Orlik"] * 2 + ["Toma"] * 2


def test_an_acronym_before_group_names_the_body() -> None:
    text = (
        "The Baltic-linked KRV group claimed the raid on Wednesday, saying it had killed"
        ' "more than 40" police officers and taken five prisoners.'
    )
    assert [who for who, _, _ in claims_said(text)] == ["KRV"]


def test_government_figures_at_the_head_of_a_sentence_are_the_governments() -> None:
    text = (
        "Officials said 30 people died. Government figures put the number of displaced"
        " people in the district at about 90,000."
    )
    assert [who for who, _, _ in claims_said(text)] == ["Officials", "Government"]


def test_a_description_joining_two_speakers_before_a_name_is_a_joint_claim() -> None:
    text = (
        "Fishermen and a local relief committee, the Varno Harbour Aid Group, say 27 people"
        " drowned, 8 of them children."
    )
    found = draft(text)
    names = {actor.ref: actor.name for actor in found.actors}
    (claim,) = found.claims
    assert names[claim.claimant_ref] == "Varno Harbour Aid Group"
    assert [names[ref] for ref in claim.co_claimant_refs] == ["Fishermen"]
    # one speaker described before the name is no joint claim
    found = draft("A local relief committee, the Varno Harbour Aid Group, said 27 people drowned.")
    assert [claim.co_claimant_refs for claim in found.claims] == [[]]


def test_a_bulletins_presenter_reads_out_the_stations_own_reporting() -> None:
    station = KnownActor("act_station", "Radio Lumen", (), "media_outlet", False)
    text = (
        "RADIO LUMEN, KASESE - EVENING NEWS\n\n"
        "MARIE OTIENO (presenter): Good evening. The toll of Wednesday's landslide in"
        " Bundibugyo has risen to 41.\n\n"
        "PAUL KATO (correspondent): Thank you, Marie. The district commissioner told Radio"
        " Lumen that 41 bodies had been recovered."
    )
    said = claims_said(text, publisher=station)
    assert [who for who, _, _ in said] == ["Radio Lumen", "district commissioner"]


# Relays


def test_a_news_site_before_a_name_is_an_outlet_that_relays() -> None:
    text = (
        "According to a report by the Lagos-based news site Daily Lantern, citing local"
        " elders, 40 homes were burned."
    )
    assert claims_said(text) == [("local elders", "Daily Lantern", PUBLISHED)]


# Figures


def test_a_long_name_inside_the_subject_keeps_its_verb_in_reach() -> None:
    text = (
        "At least 31 soldiers and members of the Volunteers for the Defence of the Northern"
        " Provinces were killed on Monday, security sources said."
    )
    assert counted(text) == [("killed", "at_least", 31, "people")]


def test_a_convoy_described_before_its_size_is_no_figure() -> None:
    text = (
        "At least 31 soldiers were killed on Monday when gunmen ambushed a supply convoy of"
        " about 40 trucks near Tillia, security sources said."
    )
    assert counted(text) == [("killed", "at_least", 31, "people")]


def test_the_population_a_share_is_taken_of_is_no_figure() -> None:
    text = "Of its roughly 5,000 inhabitants, only a few hundred remain, the mayor said."
    assert counted(text) == [("other", "vague", None, "people")]
    # people of a place who fled are a figure
    text = "Roughly 5,000 inhabitants have fled the town, the mayor said."
    assert counted(text) == [("displaced", "approximately", 5000, "people")]


def test_a_statement_made_at_the_time_was_made_on_the_day_the_paragraph_gave() -> None:
    text = (
        "The drone hit the market at about noon on June 3, in the middle of the day. Traders"
        " say 14 people were killed. The interior ministry said at the time that no civilians"
        " had been harmed."
    )
    said = claims_said(text)
    assert said[1] == ("interior ministry", None, date(2024, 6, 3))


# Headlines


def test_a_headlines_clause_after_a_semicolon_is_its_speakers_alone() -> None:
    text = (
        "Floods kill at least 12 in Varno; army says rescue under way\n\n"
        "VARNO - Floods killed at least 12 people on Monday, local officials said."
    )
    assert [who for who, _, _ in claims_said(text)] == [
        "Meridian News",
        "army",
        "local officials",
    ]
    # a speaker after a comma names who says the whole headline
    text = (
        "Floods kill at least 12 in Varno, army says\n\n"
        "VARNO - Floods killed at least 12 people on Monday, the army said."
    )
    assert [who for who, _, _ in claims_said(text)] == ["army", "army"]


# Earlier tolls


def test_an_earlier_toll_given_by_someone_else_is_theirs() -> None:
    text = (
        "The mayor, Ana Ruiz, told reporters this afternoon that 30 bodies had been found, up"
        " from 22 given by the fire brigade this morning, and that five people were missing."
    )
    assert [who for who, _, _ in claims_said(text)] == ["Ana Ruiz", "fire brigade", "Ana Ruiz"]
    assert counted(text) == [
        ("killed", "exact", 30, "people"),
        ("killed", "exact", 22, "people"),
        ("missing", "exact", 5, "people"),
    ]
    # an earlier toll of the speaker's own stays theirs
    text = "The mayor, Ana Ruiz, said 30 bodies had been found, up from 22 on Thursday."
    assert [who for who, _, _ in claims_said(text)] == ["Ana Ruiz"]


def test_people_who_spent_the_night_in_a_school_are_sheltering() -> None:
    text = (
        "The mayor said about 200 residents of nearby blocks had spent the night in a school"
        " used as a shelter."
    )
    assert counted(text) == [("displaced", "approximately", 200, "people")]
