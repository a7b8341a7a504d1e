"""The rule-based extractor, rule by rule: sentences in, the claimant, co-claimants, relay,
date and figures drafted out. No database: a gazetteer of the seed registry."""

from datetime import date

import msgspec
import pytest
from claimledger_server.extractions.rules import RuleExtractor
from claimledger_server.extractions.schemas import DraftSource, ExtractionFields
from claimledger_server.extractions.sentences import sentences
from claimledger_server.extractions.store import draft_errors
from claimledger_server.extractions.when import DATE_PHRASE, resolve

from eval.extraction.corpus_schema import Article, load_corpus
from tests.extractions.offline import PUBLISHED, PUBLISHER, actor_names, draft
from tests.extractions.seed_registry import seed_gazetteer


@pytest.mark.parametrize(
    ("text", "claimant", "co_claimants", "relay"),
    [
        # who runs an outlet is no part of its name; a kind of two words is
        ("Captain Ivo Marek told the state-run Danube News Agency (DNA) that 14 died.",
         "Ivo Marek", [], "Danube News Agency"),
        ("Lena Brandt told the Voice of the Delta radio station that 9 died.", "Lena Brandt",
         [], "Voice of the Delta radio station"),
        # "a report by an outlet citing X": X's claim, the outlet its relay
        ("Up to 60 people died, according to a report by the Valley Herald citing the"
         " district's relief committee.", "district's relief committee", [], "Valley Herald"),
        ("Fishermen reached by phone said 7 boats sank.", "Fishermen", [], None),
        ("The health ministry said 12 people were killed.", "health ministry", [], None),
        ('"We will not stop," said Anna Petrenko.', "Anna Petrenko", [], None),
        (
            "Kizito Bin Hangi, head of civil society in Beni, said on Sunday that 5 died.",
            "Kizito Bin Hangi",
            [],
            None,
        ),
        (
            "A spokesman for the army, Colonel Ivan Sirko, told Reuters that 40 were captured.",
            "Ivan Sirko",
            [],
            "Reuters",
        ),
        ("Congo's government spokesman Patrick Muyaya said on Monday it was calm.",
         "Patrick Muyaya", [], None),
        ("About 900 troops are deployed, according to U.N. experts.", "U.N. experts", [], None),
        ("The U.N. refugee agency said 400,000 people had been displaced.",
         "U.N. refugee agency", [], None),
        ("Officials from Qatar and Egypt said 33 hostages would be freed.",
         "Officials from Qatar", ["Egypt"], None),
        ("Ukrainian President Volodymyr Zelenskyy said on Monday (December 23) it was hard.",
         "Volodymyr Zelenskyy", [], None),
        ("Some soldiers died, according to Kirby, as per a report in NBC News.",
         "Kirby", [], "NBC News"),
        ("Saba news agency said, citing a local official, that 12 people were killed.",
         "local official", [], "Saba"),
        ("Twelve people were killed in the strike.", "Meridian News", [], None),
        ("A local official told Meridian News that 15 bodies were found.",
         "local official", [], None),
        ("Fifteen bodies were found, a local official told Meridian News.",
         "local official", [], None),
        ("Officials said six civilians were injured, Russia's state news agency TASS reported.",
         "Officials", [], "TASS"),
        ("Citing a source in the military, the RIA news agency reported that 5 died.",
         "source in the military", [], "RIA"),
        ("Thousands fled, according to Lebanese officials cited by the state-run National News"
         " Agency.", "Lebanese officials", [], "National News Agency"),
        ("Nazar Voloshyn told the Ukrainian broadcaster Suspilne on Thursday that 5 died.",
         "Nazar Voloshyn", [], "Ukrainian broadcaster Suspilne"),
        ("More than 3,900 were freed, according to Ukraine's human rights ombudsman, Dmytro"
         " Lubinets.", "Dmytro Lubinets", [], None),
        ("Strikes killed six people, most of them with burns, a spokesman for the health"
         " ministry, Ahmed al-Qadhi, told Al Jazeera.", "Ahmed al-Qadhi", [], "Al Jazeera"),
        ("A report by the U.N. Office on Drugs and Crime published last month said 12 died.",
         "U.N. Office on Drugs and Crime", [], None),
        ("A doctor at the hospital in Bahir Dar, who asked not to be named, said 12 died.",
         "doctor at the hospital in Bahir Dar", [], None),
        ("The Ethiopian Human Rights Commission said 183 people were killed.",
         "Ethiopian Human Rights Commission", [], None),
        ("The independent outlet Myanmar Now reported, citing witnesses, that 100 died.",
         "witnesses", [], "Myanmar Now"),
        ("Seven of the dead were port workers, Al Masirah said, citing the port authority.",
         "port authority", [], "Al Masirah"),
        ("Kremlin spokesman Dmitry Peskov dismissed casualty estimates as fantasies.",
         "Dmitry Peskov", [], None),
        ("The government in Port Sudan puts the overall death toll at about 20,000.",
         "government in Port Sudan", [], None),
        ("Some 500 people fled, Iranian state media reported, citing a provincial governor.",
         "provincial governor", [], "Iranian state media"),
        ("The militia said in a video carried by its own channel that 8 soldiers died.",
         "militia", [], None),
        ("In a video posted online, the rebel commander said 9 soldiers died.",
         "rebel commander", [], None),
        ("Turkey rejects the charge and says 30 civilians were killed.", "Turkey", [], None),
        ("Shelling hit the market twice, killing four men, said Maria Kovac, the town's mayor.",
         "Maria Kovac", [], None),
        ("A UNICEF report released in May said 200 children were killed.", "UNICEF", [], None),
        ("The army estimates the rebels have about 800 fighters in the hills, Radio Sol"
         " reported, citing an officer.", "army", [], "Radio Sol"),
        ("The African Union called for a ceasefire on Monday.", "African Union", [], None),
        ("The group said 5 fighters died.", "group", [], None),
        # verbs of speech in the present, and a plural's verb before "that"
        ("The interior ministry condemns the shelling, which killed 4.", "interior ministry",
         [], None),
        ("Tribal elders declared on Sunday that 9 herders were killed.", "Tribal elders", [],
         None),
        ("Village chiefs estimate that 300 people have fled.", "Village chiefs", [], None),
        # figures or a statement given out are the giver's claim
        ("A local militia, the Sabre Brigade, gave higher figures in a statement, saying 40"
         " died.", "Sabre Brigade", [], None),
        ("The navy issued a statement saying 3 sailors were missing.", "navy", [], None),
        # a rubric before a dash, and how many spoke, are no part of the speaker
        ("THE PORT - A harbour official, speaking by phone, told reporters that 3 ships"
         " sank.", "harbour official", [], None),
        ("Three nurses told Meridian News that 12 patients died.", "nurses", [], None),
        # a name's acronym in brackets, and partners of a joint statement
        ("The Lakeside Defence Force and the Northern Relief Mission (NRM) said 16 fighters"
         " died.", "Lakeside Defence Force", ["Northern Relief Mission"], None),
        ("The rebel council said in a joint statement with the Hill Brigade and the River"
         " Front on Friday that 8 died.", "rebel council", ["Hill Brigade", "River Front"],
         None),
        # whose outlet it is, which of its services, and whom a source was briefed by
        ("A provincial governor told Turkey's Anadolu news agency that 6 died.",
         "provincial governor", [], "Anadolu"),
        ("A village chief told the Swahili service of Radio Kilima that 5 died.",
         "village chief", [], "Radio Kilima"),
        ("The Daily Courier reported, citing a nurse briefed by the hospital director, that 7"
         " died.", "hospital director", [], "Daily Courier"),
        # the publisher that cited the claimant is no relay, whatever the date after it
        ("About 40 shops burned, according to officials cited by Meridian News last week.",
         "officials", [], None),
        # a source named by whose it is, without a possessive
        ("About 5 million people are displaced, according to the latest army figures,"
         " published in May 2023.", "army", [], None),
        # "Voice" names an outlet as "Radio" does
        ("A park warden told the Voice of the Lakes that 8 rangers died.", "park warden", [],
         "Voice of the Lakes"),
    ],
)  # fmt: skip
def test_claimants_and_relays(
    text: str, claimant: str, co_claimants: list[str], relay: str | None
) -> None:
    found = draft(text)
    names = actor_names(found)
    [claim] = found.claims
    assert names[claim.claimant_ref] == claimant
    assert [names[ref] for ref in claim.co_claimant_refs] == co_claimants
    assert (names[claim.relayed_by_ref] if claim.relayed_by_ref else None) == relay


def test_an_outlet_named_again_as_the_station_relays_who_told_or_called_it() -> None:
    found = draft(
        "Six houses burned on Friday, the station reported. A farmer, Ana Reis, told the"
        " station that 3 people died. Callers who phoned the station said 20 cattle were"
        " stolen. The mayor told a station guard that 2 men fled."
    )
    names = actor_names(found)
    relays = [names.get(claim.relayed_by_ref or "") for claim in found.claims]
    assert relays == [None, "station", "station", None]


def test_he_after_an_unnamed_soldier_is_the_soldier_not_the_general_before() -> None:
    found = draft(
        "General Tomas Varga told the Plains Herald that 30 rebels were killed. A soldier at"
        " the checkpoint said 6 soldiers had died. He said 2 more were missing."
    )
    names = actor_names(found)
    claimants = [names[claim.claimant_ref] for claim in found.claims]
    assert claimants == ["Tomas Varga", "soldier at the checkpoint", "soldier at the checkpoint"]


def test_a_sentence_opening_on_a_person_and_the_work_they_do_makes_her_she() -> None:
    found = draft(
        '"We count 9 graves a day," said Piotr Nowak, a gravedigger. Dr. Lena Voss runs the'
        " clinic near the river. She said 14 wounded people arrived on Tuesday."
    )
    names = actor_names(found)
    claimants = [names[claim.claimant_ref] for claim in found.claims]
    assert claimants == ["Piotr Nowak", "Lena Voss"]


def test_a_transcript_paragraph_is_its_labelled_speakers() -> None:
    found = draft(
        "Below is the statement read on Friday by the army's spokesman, Ada Okafor.\n\n"
        'OKAFOR: "Our troops repelled the attack. 14 attackers were killed."\n\n'
        'REPORTER: "How many soldiers died?"\n\n'
        'OKAFOR: "Three soldiers were wounded."'
    )
    names = actor_names(found)
    claimants = [names[claim.claimant_ref] for claim in found.claims if claim.figures]
    assert claimants == ["Ada Okafor", "Ada Okafor"]


def test_a_body_described_before_its_name_is_no_person() -> None:
    found = draft("The aid charity Hope Bridge said 30 children were treated for burns.")
    [actor] = [a for a in found.actors if a.name == "Hope Bridge"]
    assert actor.kind == "organization"


def test_the_statement_and_it_after_a_joint_statement_name_all_its_speakers() -> None:
    found = draft(
        "The Lakeside Defence Force and the Northern Relief Mission said 16 fighters died."
        " The statement said 4 trucks were seized. Two medics were hurt, it said."
    )
    names = actor_names(found)
    assert [
        (names[c.claimant_ref], [names[r] for r in c.co_claimant_refs]) for c in found.claims
    ] == [("Lakeside Defence Force", ["Northern Relief Mission"])] * 3


def test_pronouns_resolve_to_the_last_speaker_of_their_kind() -> None:
    found = draft(
        "Anna Petrenko said the road was cut. The ministry said it was open. "
        '"It is closed," she said. In a statement, it said 40 militants were killed.'
    )
    names = actor_names(found)
    assert [names[c.claimant_ref] for c in found.claims] == [
        "Anna Petrenko",
        "ministry",
        "Anna Petrenko",
        "ministry",
    ]


@pytest.mark.parametrize(
    ("text", "claimants"),
    [
        ("The Sudan Doctors Network said 54 people died. The group said most were women.",
         ["Sudan Doctors Network", "Sudan Doctors Network"]),
        ("The Ethiopian Human Rights Commission said 183 died. The commission said 300 were"
         " hurt.", ["Ethiopian Human Rights Commission", "Ethiopian Human Rights Commission"]),
        ("Anna Petrenko said the road was cut. The army, which retook the town, is advancing."
         " It said 70 fighters were killed.", ["Anna Petrenko", "army"]),
        ("The Observatory for Peace said on Monday that 40 people died. The 30-page report,"
         " based on 90 interviews, says 12 were children.",
         ["Observatory for Peace", "Observatory for Peace"]),
        ('The interior ministry said 14 police were hurt. Anna Petrenko said the road was cut.'
         ' "Nine officers were killed," the statement said.',
         ["interior ministry", "Anna Petrenko", "interior ministry"]),
        ("The region's ombudsman said the toll rose to 40. The army said it was advancing. He"
         " said 90 were hurt.", ["region's ombudsman", "army", "region's ombudsman"]),
        # a title named with a person names that person again: "the major"
        ("Major Edit Sarkany told reporters 9 died. The major added that 4 trucks were"
         " seized.", ["Edit Sarkany", "Edit Sarkany"]),
        # a body a sentence is about, without an article or as an acronym, is "the group"
        # and "it" that follow, never the person who spoke before
        ("Sergei Bondar said 4 died. Tirek gave another account. In a post, the group said 30"
         " soldiers were killed. It said 5 tanks were hit.",
         ["Sergei Bondar", "Tirek", "Tirek"]),
        ("Sergei Bondar said 4 died. The KLF, which holds the pass, did not comment. In a post"
         " on Sunday, it said 20 soldiers were killed.", ["Sergei Bondar", "KLF"]),
        # a person spoken of by a title first, named with it later, is one person
        ("The district's governor said 8 died. Governor Rosa Quint told reporters 30 homes"
         " burned.", ["Rosa Quint", "Rosa Quint"]),
        # the words of a quotation are no speaker's: "as they say" inside it
        ('Sergei Bondar said 6 died. The ministry said 2 died. "Not as many as they say," he'
         " said.", ["Sergei Bondar", "ministry", "Sergei Bondar"]),
    ],
)  # fmt: skip
def test_a_definite_description_or_it_refers_back_to_a_body(
    text: str, claimants: list[str]
) -> None:
    found = draft(text)
    names = actor_names(found)
    assert [names[c.claimant_ref] for c in found.claims] == claimants


@pytest.mark.parametrize(
    ("text", "on", "precision"),
    [
        ("Residents said a strike on Sunday killed 26 people.", PUBLISHED, "day"),
        ("The spokesman said 150 rockets were fired on Monday.", PUBLISHED, "day"),
        ("Jens Laerke told a briefing in Geneva on Monday that 5 died.", date(2024, 12, 23),
         "day"),
        ('The army acknowledged "significant losses" in a statement on Sunday.',
         date(2024, 12, 22), "day"),
        ("Islamic State claimed responsibility for the attack on its Amaq agency on Saturday.",
         date(2024, 12, 21), "day"),
        ("The envoy said in May that some estimates put the toll at 150,000.",
         date(2024, 5, 1), "month"),
        ("The lawmaker said last Tuesday that 5 died.", date(2024, 12, 24), "day"),
        ("In a joint statement on Dec. 16, the governments of Japan and Canada said 5 died.",
         date(2024, 12, 16), "day"),
        ("Earlier in April, a strike killed 20 people, according to local authorities.",
         PUBLISHED, "day"),
        ("A report by the agency published last month said 12 died.", date(2024, 11, 1),
         "month"),
        ("On Tuesday (Dec. 24), the governor said 5 died.", date(2024, 12, 24), "day"),
        ("In its report of 12 November, the panel stated that 40 died.", date(2024, 11, 12),
         "day"),
        ("The rebel council said in a joint statement with the Hill Brigade and the River"
         " Front on Dec. 20 that 8 died.", date(2024, 12, 20), "day"),
        ("About 40 shops burned, according to officials cited by Meridian News last month.",
         date(2024, 11, 1), "month"),
        ("The minister told Turkey's Anadolu news agency on Monday that 6 died.",
         date(2024, 12, 23), "day"),
        ("About 5 million people are displaced, according to the latest army figures,"
         " published in May 2023.", date(2023, 5, 1), "month"),
        ("Last week, the relief council said 5 died.", date(2024, 12, 1), "month"),
        ("The Delta Brigade claimed the ambush on Sunday in a post online.",
         date(2024, 12, 22), "day"),
        # a whole statement before the speaker is no lead-in: its date is the event's
        ("Four were killed in a strike on Dec. 20, Oren Malik, a local official, told"
         " reporters.", PUBLISHED, "day"),
    ],
)  # fmt: skip
def test_the_date_a_claimant_spoke_on_not_the_date_of_what_it_told(
    text: str, on: date, precision: str
) -> None:
    [claim] = draft(text).claims
    assert (claim.stated_on, claim.stated_on_precision) == (on, precision)


def test_a_relay_named_once_holds_for_every_claim_of_that_claimant() -> None:
    found = draft("Ivan Sirko told Reuters the town fell. Sirko said 30 soldiers died.")
    names = actor_names(found)
    assert [names[c.relayed_by_ref or ""] for c in found.claims] == ["Reuters", "Reuters"]
    assert names[found.claims[1].claimant_ref] == "Ivan Sirko"


@pytest.mark.parametrize(
    ("phrase", "on", "precision"),
    [
        ("on Monday", date(2024, 12, 23), "day"),
        ("on Friday", date(2024, 12, 27), "day"),
        ("on Saturday", date(2024, 12, 21), "day"),
        ("on Monday (December 23)", date(2024, 12, 23), "day"),
        ("on Dec. 19", date(2024, 12, 19), "day"),
        ("on December 30", date(2023, 12, 30), "day"),
        ("on 2 January", date(2024, 1, 2), "day"),
        ("last week", date(2024, 12, 1), "month"),
        ("last month", date(2024, 11, 1), "month"),
        ("last year", date(2023, 1, 1), "year"),
        ("yesterday", date(2024, 12, 26), "day"),
    ],
)
def test_dates_resolve_against_publication(phrase: str, on: date, precision: str) -> None:
    match = DATE_PHRASE.search(phrase)
    assert match is not None
    assert resolve(match, PUBLISHED) == (on, precision)


def test_last_week_across_two_months_is_its_year() -> None:
    match = DATE_PHRASE.search("last week")
    assert match is not None
    assert resolve(match, date(2024, 12, 4)) == (date(2024, 1, 1), "year")


def test_a_claim_takes_the_claimants_previous_date_else_publication() -> None:
    found = draft(
        "Anna Petrenko said on Monday that 5 were killed. She said 3 were wounded. "
        "The ministry said 2 died."
    )
    assert [(c.stated_on, c.stated_on_precision) for c in found.claims] == [
        (date(2024, 12, 23), "day"),
        (date(2024, 12, 23), "day"),
        (PUBLISHED, "day"),
    ]


def test_an_event_date_with_a_year_is_not_the_statement_date() -> None:
    found = draft("The ministry said on Oct. 7, 2023 that 1,200 people were killed.")
    assert found.claims[0].stated_on == PUBLISHED


def test_figures_get_their_metric_and_parts_their_whole_metric() -> None:
    found = draft(
        "Strikes killed 558 people on Monday, including 50 children, and wounded 1,835 "
        "others, the minister Firass Abiad said. The city of some 2 million people was dark."
    )
    figures = [(f.metric, f.qualifier, f.low, f.high) for c in found.claims for f in c.figures]
    assert figures == [
        ("killed", "exact", 558, 558),
        ("killed", "exact", 50, 50),
        ("wounded", "exact", 1835, 1835),
    ]


def test_vague_and_other_figures() -> None:
    found = draft("Hezbollah said it had fired dozens of rockets and about 3,000 were displaced.")
    figures = [(f.metric, f.qualifier, f.low, f.high, f.unit) for f in found.claims[0].figures]
    assert figures == [
        ("other", "vague", 24, 99, "rockets"),
        ("displaced", "approximately", 2700, 3300, "people"),
    ]


def test_sentences_do_not_end_at_abbreviations() -> None:
    text = "U.N. peacekeepers said on Dec. 19 that 13 died. Gen. Ivan Sirko said so."
    assert [text[s:e].strip() for s, e in sentences(text)] == [
        "U.N. peacekeepers said on Dec. 19 that 13 died.",
        "Gen. Ivan Sirko said so.",
    ]


def test_spans_point_into_the_text() -> None:
    text = "GOMA, Jan 28 (Meridian News) - Rebels killed at least 17 people, officials said."
    found = draft(text)
    for claim in found.claims:
        for span in claim.spans:
            assert text[span.start : span.end] == claim.text
        for figure in claim.figures:
            assert text[figure.span.start : figure.span.end] == figure.text
    assert actor_names(found)[found.claims[0].claimant_ref] == "officials"


def test_the_same_text_drafts_the_same_way() -> None:
    text = (
        "Ivan Sirko told Reuters on Monday that 40 soldiers were captured. "
        '"It is hard," he said. Twelve people were killed, according to U.N. officials.'
    )
    first = msgspec.json.encode(draft(text))
    assert first == msgspec.json.encode(draft(text))
    assert b'"figures":[{' in first


@pytest.mark.parametrize("article", load_corpus(), ids=lambda article: article.id)
def test_every_corpus_article_drafts_the_same_way_twice(article: Article) -> None:
    """Determinism on real text: two extractors, the same article and source, the same
    bytes (the corpus's articles exercise every rule)."""
    source = DraftSource(published_on=article.source.published_on, publisher_id=PUBLISHER.id)
    registry = seed_gazetteer(PUBLISHER)
    first = RuleExtractor().extract(article.text, source, registry)
    second = RuleExtractor().extract(article.text, source, seed_gazetteer(PUBLISHER))
    assert msgspec.json.encode(first) == msgspec.json.encode(second)
    assert first.claims


def test_a_joint_statement_has_every_government_as_a_claimant() -> None:
    found = draft(
        "In a joint statement, the governments of the United States, Britain, Canada and "
        "the Netherlands said 8 strikes were carried out."
    )
    names = actor_names(found)
    [claim] = found.claims
    claimants = [names[claim.claimant_ref], *(names[r] for r in claim.co_claimant_refs)]
    assert claimants == ["United States", "Britain", "Canada", "Netherlands"]
    assert names[claim.claimant_ref] == "United States"
    assert [a.actor_id for a in found.actors if a.name == "United States"] != [None]


def test_they_after_a_joint_statement_names_all_its_speakers_again() -> None:
    found = draft(
        "In a joint statement, the Red Cross and the World Food Programme said 20 aid workers"
        " were killed. They urged both sides to protect civilians."
    )
    names = actor_names(found)
    assert [
        (names[c.claimant_ref], [names[ref] for ref in c.co_claimant_refs]) for c in found.claims
    ] == [("Red Cross", ["World Food Programme"])] * 2


def test_according_to_a_list_of_estimates() -> None:
    found = draft("Some 11,000 troops were sent, according to estimates by Ukraine and Japan.")
    names = actor_names(found)
    [claim] = found.claims
    assert [names[claim.claimant_ref], *(names[r] for r in claim.co_claimant_refs)] == [
        "Ukraine",
        "Japan",
    ]


def test_a_definite_description_refers_to_the_actor_it_describes() -> None:
    found = draft(
        "Grey Zone, a Telegram channel linked to Wagner, said the commander died. "
        "Russia's defence ministry said 30 drones were downed. "
        "The channel put the number of Russians killed at between 20 and 80. "
        "The ministry said 12 soldiers were killed."
    )
    names = actor_names(found)
    assert [names[c.claimant_ref] for c in found.claims] == [
        "Grey Zone",
        "Russia's defence ministry",
        "Grey Zone",
        "Russia's defence ministry",
    ]
    assert [(f.metric, f.low, f.high) for f in found.claims[2].figures] == [("killed", 20, 80)]


def test_a_headline_is_no_claim_unless_it_names_who_says_it() -> None:
    found = draft("Russian forces take two villages\n\nThe ministry said it took two villages.")
    assert [c.text for c in found.claims] == ["The ministry said it took two villages."]
    assert [(f.metric, f.unit) for f in found.claims[0].figures] == [("captured", "villages")]
    found = draft("Russia says it took two villages\n\nThe ministry said it took two villages.")
    assert [c.text for c in found.claims] == [
        "Russia says it took two villages",
        "The ministry said it took two villages.",
    ]


@pytest.mark.parametrize(
    ("sentence", "metric", "unit"),
    [
        ("Officials said 17 soldiers were taken hostage and 4 were missing.", "captured", "people"),
        ("The army said 12 jets took part in the strikes.", "deployed", "jets"),
        ("The agency said some 1,500 people are sheltering in schools.", "displaced", "people"),
        ("The U.N. said 25 million people need aid.", "other", "people"),
        ("The ministry said Israel freed 90 prisoners.", "other", "people"),
        ("Officials said the strikes killed 40 villagers.", "killed", "people"),
        ("The ministry said Russia lost 40 tanks.", "other", "tanks"),
        ("The rebels said they seized 3 towns.", "captured", "towns"),
        ("Rescuers said they recovered the bodies of 31 people.", "killed", "people"),
        ("Officials said the war forced 10 million people from their homes.", "displaced",
         "people"),
        ("Officials said the death toll had risen to 43,061.", "killed", "people"),
        ("The army said it had neutralised more than 400 fighters.", "killed", "people"),
        ("The army said it had recaptured 14 neighbourhoods.", "captured", "neighbourhoods"),
        ("The agency said about 1,300 people had crossed the river into Thailand.",
         "displaced", "people"),
        ("The agency said some 5.2 million people, more than 90% of the population, need food"
         " aid.", "other", "people"),
        ("The force said it had about 1,000 Kenyan troops in the area.", "deployed", "people"),
        ("The agency said Ukraine brought home twenty-five servicemen.", "other", "people"),
        ("Officials said up to 10,000 people may still be buried under rubble.", "missing",
         "people"),
        ("Officials said 15 of the soldiers who surrendered were wounded.", "wounded", "people"),
        ("Officials said the attack by more than 100 jihadists was repelled.", "other",
         "people"),
        ("The army said the RSF shot down two army drones and took 30 soldiers prisoner.",
         "other", "drones"),
        ("The General Staff said Russia's losses since February 2022 had risen to roughly"
         " 770,000.", "killed_or_wounded", "people"),
        ("Medics said 30 people were hit by sniper fire near the bridge.", "killed_or_wounded",
         "people"),
        ("Witnesses said three protesters were shot by police.", "killed_or_wounded", "people"),
        ("The clinic said it had treated 85 patients.", "wounded", "people"),
        ("The clinic said 12 patients were treated for gunshot wounds.", "wounded", "people"),
        ("The navy said it had airdropped 12,000 food parcels.", "other", "parcels"),
        ("The agency said 90 families had sought shelter in a mosque.", "displaced", "families"),
        ("The army said 6 fighter jets had taken part in the raid.", "deployed", "jets"),
        ("The council said some 40,000 people, nearly half the district, were close to"
         " famine.", "other", "people"),
        ("The group said it had killed and wounded dozens of soldiers.", "killed_or_wounded",
         "people"),
        ("Officials said the toll had climbed to seven.", "killed", "people"),
        ("The office said it had documented the abduction of 14 people.", "detained", "people"),
        ("The agency said it recorded the recruitment of 40 children by armed groups.",
         "other", "people"),
        ("Officials said gunmen set fire to 60 homes.", "other", "homes"),
        ("The agency said 400 people are sleeping in a school gym.", "displaced", "people"),
        ("The ministry said 2,500 foreign troops remain in the country.", "deployed", "people"),
        ("Officials said 300 people had arrived in the border town.", "displaced", "people"),
        ("Officials said 2,000 soldiers had arrived in the city.", "deployed", "people"),
        ("The monitor said 9,000 people remain in custody.", "detained", "people"),
        ("The monitor says the number of people killed by the security forces since the"
         " election has exceeded 1,300.", "killed", "people"),
        ("The mayor said the town had been shelled more than 20 times since dawn.", "other",
         "attacks"),
        ("Only a few police officers were on duty, the mayor said.", "deployed", "people"),
        ("The mayor said 14 buses in the convoy the guards were escorting had been set"
         " ablaze.", "other", "buses"),
        ("Officials said soldiers demolished 20 Bedouin-owned homes.", "other", "homes"),
        ("Officials said about 60 shops and a mosque were set on fire.", "other", "shops"),
        ("The monitor said the rebels have committed 12 breaches of the truce.", "other",
         "breaches"),
        ("The governor said rockets struck the harbour and two grain silos.", "other",
         "silos"),
        ("The agency said 900 schools remain closed.", "other", "schools"),
        ("The agency said hundreds of families now sleep in tents.", "displaced", "families"),
        ("The agency said dozens more people were on the move.", "displaced", "people"),
        ("The agency said 8 million Yemenis face acute food insecurity.", "other", "people"),
        ("The agency said it needed funds to feed 3 million people.", "other", "people"),
        ("The ministry said the total number of medics killed since the war began is 57.",
         "killed", "people"),
        ("The agency said the stadium housed roughly 2,300 people.", "displaced", "people"),
        ("The agency said the depot, which shelters some 700 people, was hit.", "displaced",
         "people"),
        ("Officials said the dead included 9 boys and 4 women.", "killed", "people"),
        ("Another 17 people were taken to the regional hospital, the mayor said.", "wounded",
         "people"),
        ("The mayor said about 600 people had left since Tuesday.", "displaced", "people"),
        ("The ministry said 80 hostages were taken across the river.", "captured", "people"),
        ("The army said troops recovered 31 rifles.", "captured", "rifles"),
        ("The mayor said the blast hit the port, damaging 12 warehouses.", "other",
         "warehouses"),
    ],
)  # fmt: skip
def test_metrics_read_from_the_words_around_a_count(sentence: str, metric: str, unit: str) -> None:
    [claim] = draft(sentence).claims
    assert [(f.metric, f.unit) for f in claim.figures][:1] == [(metric, unit)]


def _figures(text: str) -> list[tuple[object, ...]]:
    found = draft(text)
    return [(f.metric, f.qualifier, f.amount, f.unit) for c in found.claims for f in c.figures]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("The air force said it shot down 41 of the drones while another 22 were lost to"
         " jamming.", [("other", "exact", 41, "drones"), ("other", "exact", 22, "drones")]),
        ("The agency said the Houthis had attacked more than 70 vessels, sunk two and seized"
         " one.", [("other", "more_than", 70, "vessels"), ("other", "exact", 2, "vessels"),
                   ("captured", "exact", 1, "vessels")]),
        ("The monitor said the fighting had killed 412 people, including 214 rebels, 137"
         " soldiers and allied fighters and 61 civilians.",
         [("killed", "exact", 412, "people"), ("killed", "exact", 214, "people"),
          ("killed", "exact", 137, "people"), ("killed", "exact", 61, "people")]),
        ("The doctor said the strike killed seven people, four of them children.",
         [("killed", "exact", 7, "people"), ("killed", "exact", 4, "people")]),
        ("The agency said 25 soldiers were freed in a swap. Among them were three guards, it"
         " said.", [("other", "exact", 25, "people"), ("other", "exact", 3, "people")]),
        ("The envoy said the toll was about 20,000. He said some estimates put it as high as"
         " 150,000.", [("killed", "approximately", 20000, "people"),
                       ("killed", "at_most", 150000, "people")]),
        ("Kirby said Ukrainian forces took a few soldiers prisoner, but they were severely"
         " wounded and could not be saved.", [("captured", "vague", None, "people"),
                                               ("killed", "vague", None, "people")]),
        ("Villagers said 60 men had been wounded and that about 30 women, most of them"
         " elderly, had been kidnapped.", [("wounded", "exact", 60, "people"),
                                           ("detained", "approximately", 30, "people")]),
        ("The governor said 80 people were killed, among them six nurses.",
         [("killed", "exact", 80, "people"), ("killed", "exact", 6, "people")]),
        ("The doctor said 31 wounded had been admitted, eight of them in serious condition.",
         [("wounded", "exact", 31, "people"), ("wounded", "exact", 8, "people")]),
        ("The agency said 25 trucks were hit. Among the dead were four women and two boys, it"
         " said.", [("other", "exact", 25, "trucks"), ("killed", "exact", 4, "people"),
                    ("killed", "exact", 2, "people")]),
        ("The monitor says 700 civilians have died, and that 2,100 people remain in need.",
         [("killed", "exact", 700, "people"), ("other", "exact", 2100, "people")]),
        ("The army said gunners shot down 7 of the 12 missiles fired at the port.",
         [("other", "exact", 7, "missiles"), ("other", "exact", 12, "missiles")]),
        ("The mayor said one man was killed and three women, aged 30 to 45, were injured.",
         [("killed", "exact", 1, "people"), ("wounded", "exact", 3, "people")]),
        ("The general said more than 300 militia fighters had been killed in two days and that"
         " 19 militia pickups, including 5 armoured ones, had been seized.",
         [("killed", "more_than", 300, "people"), ("captured", "exact", 19, "pickups"),
          ("captured", "exact", 5, "pickups")]),
        ("The agency said 2.1 million people were displaced, up from about 900,000 a year"
         " ago.", [("displaced", "exact", 2100000, "people"),
                   ("displaced", "approximately", 900000, "people")]),
        ("The doctor said the shell killed six people, among them a driver and his three"
         " children.", [("killed", "exact", 6, "people"), ("killed", "exact", 3, "people")]),
        ("The blast killed 8 people, including a guard and his two children, two residents"
         " told reporters.", [("killed", "exact", 8, "people"), ("killed", "exact", 2, "people")]),
    ],
)  # fmt: skip
def test_figures_that_count_what_a_figure_before_them_counted(
    text: str, figures: list[tuple[object, ...]]
) -> None:
    assert _figures(text) == figures


@pytest.mark.parametrize(
    ("text", "start", "end", "accumulation"),
    [
        ("The ministry said 5 soldiers were killed on Sunday.", date(2024, 12, 22),
         date(2024, 12, 22), "incremental"),
        ("The ministry said 5 people had been killed since Oct. 7, 2023.", date(2023, 10, 7),
         PUBLISHED, "cumulative"),
        ("The ministry said 5 people were killed in the past 24 hours.", date(2024, 12, 26),
         PUBLISHED, "incremental"),
        ("The ministry said 30 people were killed last week.", date(2024, 12, 16),
         date(2024, 12, 22), "incremental"),
        ("The ministry said on Monday that 5 people were killed overnight.",
         date(2024, 12, 22), date(2024, 12, 23), "incremental"),
        ("The war, which began in November 2020, has killed 600 people, researchers said.",
         date(2020, 11, 1), PUBLISHED, "cumulative"),
        ("The ministry said 9 people were killed this week.", date(2024, 12, 23), PUBLISHED,
         "incremental"),
    ],
)  # fmt: skip
def test_periods_resolve_against_the_day_the_claim_was_stated(
    text: str, start: date, end: date, accumulation: str
) -> None:
    [claim] = draft(text).claims
    [figure] = claim.figures
    assert figure.period is not None
    assert (figure.period.start, figure.period.end) == (start, end)
    assert figure.accumulation == accumulation


_LONG_SENTENCE = (
    "A drone strike on a crowded market in the northern town on Sunday destroyed two fuel"
    " trucks and a bus and killed four people, the town's long-serving mayor, Ivan Sirko,"
    " told reporters, adding that {}."
)


def test_a_count_of_the_same_incident_takes_its_period_however_far() -> None:
    [claim] = draft(_LONG_SENTENCE.format("15 others were hurt")).claims
    sunday = date(2024, 12, 22)
    assert [(f.metric, f.period and (f.period.start, f.period.end)) for f in claim.figures] == [
        ("other", (sunday, sunday)),
        ("killed", (sunday, sunday)),
        ("wounded", (sunday, sunday)),
    ]
    [claim] = draft(_LONG_SENTENCE.format("the war has killed 3,000 people")).claims
    assert (claim.figures[-1].accumulation, claim.figures[-1].period) == ("cumulative", None)


def test_a_sentence_opening_on_a_part_of_a_running_total_is_one_too() -> None:
    found = draft(
        "The agency said 40,000 people had fled since March. About 9,000 of them are in"
        " camps, it said. Troops repelled the gunmen and killed 23 of them, police said."
    )
    assert [f.accumulation for c in found.claims for f in c.figures] == [
        "cumulative",
        "cumulative",
        "incremental",
    ]


def test_no_period_from_a_superlative_or_the_date_it_was_said_on() -> None:
    found = draft(
        "Strikes killed 558 people, the deadliest day since the 1975-90 civil war, the"
        " minister said on Monday."
    )
    [figure] = found.claims[0].figures
    assert figure.period is None


def test_the_party_a_figure_counts() -> None:
    found = draft(
        "Kirby said 1,000 North Korean troops had been killed or injured. The RSF said the"
        " army had killed 70 RSF fighters. Sudan's army said the RSF had lost nearly 500"
        " fighters. Officials said 12 civilians were killed."
    )
    names = actor_names(found)
    subjects = [names.get(f.subject_ref or "") for c in found.claims for f in c.figures]
    assert subjects == ["North Korean troops fighting for Russia against Ukraine", "RSF", "RSF",
                        None]  # fmt: skip


@pytest.mark.parametrize(
    "sentence",
    [
        "The city of some 2 million people was dark, officials said.",
        "The Thai army has prepared shelters for up to 100,000 people, the ministry said.",
        "The trucks carried 570,000 litres of fuel, officials said.",
        "Call the hotline on +243 81 555 0192, officials said.",
        "Officials said it was one of the deadliest attacks.",
        "One of them was 26 years old, he said.",
        "The officials said two hospitals were open.",
        "The council voted 14 to 1, the diplomats said.",
        "The ministry said 40% of homes were damaged on Dec. 19, 2023.",
        "Doctors said they treated 40 people for malnutrition.",
        "The ministry said the number of its embassies in the region rose to four.",
        "Officials asked how many people had died.",
        "The rebels launched Operation 2044 in the north, officials said.",
        "The army said it suffered its heaviest losses since 2019.",
    ],
)
def test_numbers_that_are_no_figure(sentence: str) -> None:
    assert [f for c in draft(sentence).claims for f in c.figures] == []


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("Gunmen killed 12 villagers, a police officer said on Monday, as relief groups warned"
         " that 3,000 more people had fled.",
         [("police officer", [12], date(2024, 12, 23)), ("relief groups", [3000], PUBLISHED)]),
        ("The navy said it sank 2 boats near the island, where smugglers say they lost 9"
         " crew.", [("navy", [2], PUBLISHED), ("smugglers", [9], PUBLISHED)]),
    ],
)  # fmt: skip
def test_a_second_speaker_after_as_or_where_has_a_claim_of_its_own(
    text: str, claims: list[tuple[str, list[int], date]]
) -> None:
    found = draft(text)
    names = actor_names(found)
    assert [
        (names[c.claimant_ref], [f.amount for f in c.figures], c.stated_on) for c in found.claims
    ] == claims


def test_two_speakers_in_one_sentence_make_two_claims() -> None:
    found = draft(
        "At least 1,000 people were killed, the Red Crescent said, while the government put "
        "the toll at 800."
    )
    names = actor_names(found)
    assert [(names[c.claimant_ref], [f.low for f in c.figures]) for c in found.claims] == [
        ("Red Crescent", [1000]),
        ("government", [800]),
    ]


def test_relays_whatever_their_kind_when_the_text_says_relayed_by() -> None:
    found = draft(
        "JNIM claimed responsibility in a message relayed by the SITE Intelligence Group, "
        "saying it had killed some 300 soldiers."
    )
    names = actor_names(found)
    [claim] = found.claims
    assert (names[claim.claimant_ref], names[claim.relayed_by_ref or ""]) == (
        "JNIM",
        "SITE Intelligence Group",
    )


def test_a_reports_date_and_its_owner() -> None:
    found = draft(
        "About 2 million people have been displaced, according to the government's latest "
        "figures from March 2023."
    )
    names = actor_names(found)
    [claim] = found.claims
    assert names[claim.claimant_ref] == "government"
    assert (claim.stated_on, claim.stated_on_precision) == (date(2023, 3, 1), "month")


def test_a_full_name_matches_the_registry_through_a_surname_alias() -> None:
    found = draft(
        "Ukrainian President Volodymyr Zelenskiy said on Sunday that 30 soldiers were killed. "
        '"It is hard," Zelenskiy said.'
    )
    names = actor_names(found)
    assert [names[c.claimant_ref] for c in found.claims] == ["Volodymyr Zelenskyy"] * 2
    assert [c.stated_on for c in found.claims] == [date(2024, 12, 22)] * 2


@pytest.mark.parametrize(
    "text",
    [
        ("Ivan Sirko said 5 died, while Anna Petrenko said 7 died" * 300),
        "A, B, C and D said " + ", ".join(f"Name{i}" for i in range(200)) + " and E said 4 died.",
        "The ministry said 1 , 2 , 3 , " + " , ".join(str(i) for i in range(200)) + " were killed.",
        "X" * 5000 + " said 12 people were killed, citing " + "y" * 30000 + ".",
        '"' * 300 + " he said " + "\u201c" * 300,
        "Officials said Gen. \u00c9lodie Dur\u00e9e-Lam\u00e8re's 3 \u00e9tats-majors were hit.",
    ],
)
def test_any_text_drafts_to_a_draft_the_server_accepts(text: str) -> None:
    found = draft(text)
    drafted = ExtractionFields(
        extractor="rules", text=text, actors=found.actors, claims=found.claims
    )
    fields = msgspec.convert(msgspec.to_builtins(drafted), ExtractionFields, strict=True)
    assert draft_errors(fields) == []


def test_he_and_she_name_the_salient_person_of_their_gender() -> None:
    found = draft(
        "Governor Piet Janssen said 12 people died. Four were children, he said."
        ' Marta Kowalczyk, 58, who sells bread, stood by her stall. "It was loud," she said.'
        ' Captain Tomas Vidal said 3 bodies were found. "We keep digging," he said.'
        ' Kowalczyk\'s shop was gone. "We will stay," she said.'
    )
    names = actor_names(found)
    assert [names[c.claimant_ref] for c in found.claims] == [
        "Piet Janssen",
        "Piet Janssen",
        "Marta Kowalczyk",
        "Tomas Vidal",
        "Tomas Vidal",
        "Marta Kowalczyk",
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "kind"),
    [
        (
            "The regional prosecutor's office said 40 died.",
            "regional prosecutor's office",
            "government_body",
        ),
        ("A nurse at the Kiva clinic said 40 died.", "nurse at the Kiva clinic", "person"),
        ("The town's mayor said 40 died.", "town's mayor", "person"),
    ],
)
def test_a_speakers_kind_is_its_head_nouns(text: str, speaker: str, kind: str) -> None:
    [actor] = [a for a in draft(text).actors if a.name == speaker]
    assert actor.kind == kind


def test_a_population_a_part_of_which_left_is_no_count_of_the_displaced() -> None:
    found = draft("A third of its 9,000 residents have left, the mayor said.")
    assert [f.low for c in found.claims for f in c.figures if f.metric == "displaced"] == []


def test_a_count_given_by_whose_it_is_is_their_claim_dated_by_its_aside() -> None:
    found = draft(
        "The health council told Radio Lumen that 4 died. The council's own tally, released"
        " last month, stood at 212 dead."
    )
    names = actor_names(found)
    second = found.claims[1]
    assert names[second.claimant_ref] == "health council"
    assert (second.stated_on, second.stated_on_precision) == (date(2024, 11, 1), "month")
    assert names[second.relayed_by_ref or ""] == "Radio Lumen"
    assert [(f.metric, f.low) for f in second.figures] == [("killed", 212)]


# --- article forms: interviews, document narration, number boxes, court dates -----------


def test_a_count_that_only_sizes_a_convoy_is_no_figure_but_things_turned_back_are() -> None:
    found = draft(
        "The relief agency said a convoy of 14 lorries carrying medicine had been turned back"
        " at the border. Coast guards said 20 boats had been turned back."
    )
    figures = [(f.metric, f.low, f.unit) for c in found.claims for f in c.figures]
    assert figures == [("other", 20, "boats")]


def test_answers_in_a_q_and_a_are_the_interviewees_and_dated_by_the_interview() -> None:
    found = draft(
        "Meridian News spoke on Tuesday with Teodor Varga, the mayor of a river town.\n\n"
        "Q: How many people were hurt?\n\n"
        "A: At least 17 people were wounded in the shelling. I was told 40 more had fled.\n\n"
        "Q: What do you need?\n\n"
        "A: Blood and generators. Our clinic treated 60 wounded.\n\n"
        "The regional army command said on Friday that 3 soldiers had been killed."
    )
    names = actor_names(found)
    answers = [c for c in found.claims if c.text.startswith(("A:", "I ", "Our "))]
    assert len(answers) == 4
    assert {names[c.claimant_ref] for c in answers} == {"Teodor Varga"}
    assert {c.stated_on for c in answers} == {date(2024, 12, 24)}
    figures = [(f.metric, f.low) for c in answers for f in c.figures]
    assert figures == [("wounded", 17), ("displaced", 40), ("wounded", 60)]
    assert names[found.claims[-1].claimant_ref] != "Teodor Varga"


def test_without_an_interviewee_named_a_q_and_a_layout_changes_nothing() -> None:
    found = draft("Q: Who fired?\n\nA: Nobody knows.\n\nQ: How many died?\n\nA: 12 died.")
    assert [actor_names(found)[c.claimant_ref] for c in found.claims] == ["Meridian News"]


def test_figures_narrated_from_a_report_are_its_authors_through_the_paragraph() -> None:
    found = draft(
        "At least 90 aid workers were killed last year, the charity Field Care said in a"
        " report published on Monday.\n\n"
        "The 30-page report, drawn from clinic records, lists the toll by province. The"
        " north accounted for 40 killed and 70 wounded; in the south the group recorded"
        " 12 dead.\n\n"
        "Officials in the capital put the number of wounded at 300."
    )
    names = actor_names(found)
    narrated = [c for c in found.claims if c.figures and "north" in c.text]
    assert [names[c.claimant_ref] for c in narrated] == ["Field Care"]
    assert narrated[0].stated_on == date(2024, 12, 23)
    assert [f.low for f in narrated[0].figures] == [40, 70, 12]


def test_a_new_paragraph_not_about_the_document_ends_the_narration() -> None:
    found = draft(
        "The charity Field Care said in a report on Monday that 90 aid workers were"
        " killed.\n\nFloods displaced 4,000 people in the delta."
    )
    assert actor_names(found)[found.claims[-1].claimant_ref] == "Meridian News"


def test_each_line_of_a_numbers_box_is_a_figure_of_its_own() -> None:
    found = draft(
        "Key figures:\n- 45: people wounded in the blast\n- 7: soldiers killed\n"
        "- 2,300: people displaced, according to the Red Cross\n\nThe town is calm."
    )
    names = actor_names(found)
    rows = [(names[c.claimant_ref], f.metric, f.low) for c in found.claims for f in c.figures]
    assert rows == [
        ("Meridian News", "wounded", 45),
        ("Meridian News", "killed", 7),
        ("Red Cross", "displaced", 2300),
    ]


@pytest.mark.parametrize(
    ("text", "on", "precision"),
    [
        # an audience of a court: the date after it is the statement's
        ("The prosecutor, Major Iris Dane, told the tribunal in her closing statement on"
         " Dec. 2 that 31 villagers had been shot.", date(2024, 12, 2), "day"),
        # a statement dated by its year alone
        ("The monitoring mission said in 2021 that at least 70 people had been killed.",
         date(2021, 1, 1), "year"),
        # "on the 9th": that day of the month of publication
        ("The governor said on the 9th that 16 people had died.", date(2024, 12, 9), "day"),
        # "on the 29th" after the 27th: the month before
        ("The governor said on the 29th that 16 people had died.", date(2024, 11, 29), "day"),
        # a lead-in whose date an apposition names again
        ("In a bulletin read on state radio on Dec. 20, the day after the ambush, the"
         " interior ministry said 14 guards were killed.", date(2024, 12, 20), "day"),
        # "N days later": the last date named before, moved on
        ("Shelling began on Dec. 10. Three days later, the army said it had killed 25"
         " fighters.", date(2024, 12, 13), "day"),
        ("Shelling began on Dec. 10. The next day, the army said 25 fighters died.",
         date(2024, 12, 11), "day"),
    ],
)  # fmt: skip
def test_statement_dates_of_courts_years_ordinal_days_and_days_later(
    text: str, on: date, precision: str
) -> None:
    claim = draft(text).claims[-1]
    assert (claim.stated_on, claim.stated_on_precision) == (on, precision)


def test_every_item_of_a_list_of_the_dead_is_killed_and_people_expelled_are_displaced() -> None:
    found = draft(
        "The monitor said the dead included 64 villagers and herders, 21 militiamen and 15"
        " members of the border police. Elders said 25 families had been expelled from the"
        " valley."
    )
    figures = [(f.metric, f.low) for c in found.claims for f in c.figures]
    assert figures == [("killed", 64), ("killed", 21), ("killed", 15), ("displaced", 25)]


@pytest.mark.parametrize(
    "text",
    [
        "A militia commander who goes by the name Red Falcon said 11 guards died.",
        "A smuggler known as Red Falcon said 11 guards died.",
    ],
)
def test_a_speaker_described_by_role_is_the_name_it_goes_by(text: str) -> None:
    [claim] = draft(text).claims
    assert actor_names(draft(text))[claim.claimant_ref] == "Red Falcon"


def test_figures_recorded_by_a_named_source_are_its_claim() -> None:
    found = draft(
        "The raid was one of at least 85 drone strikes on markets documented by the"
        " watchdog Open Ledger Project, which says 140 traders have been killed."
    )
    [claim] = found.claims
    assert actor_names(found)[claim.claimant_ref] == "Open Ledger Project"
    assert [f.low for f in claim.figures] == [85, 140]
