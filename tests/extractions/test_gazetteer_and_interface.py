"""The pieces an extractor is built on, without a server: the gazetteer's lookups, loading
an extractor by name, and how what it reads off a text joins the caller's source."""

import pytest
from claimledger_server.extractions.extractor import load_extractor
from claimledger_server.extractions.gazetteer import Gazetteer, KnownActor, normalize
from claimledger_server.extractions.rules import RuleExtractor
from claimledger_server.extractions.schemas import DraftSource
from claimledger_server.extractions.store import with_found_source

ZELENSKYY = KnownActor("act_1", "Volodymyr Zelenskyy", ("Zelenskiy", "Zelensky"), "person", False)
KREMLIN = KnownActor("act_2", "The Kremlin", (), "government_body", False)
OFFICIALS = KnownActor("act_3", "Western officials", (), "government_body", True)
NAMESAKE = KnownActor("act_4", "Zelensky", (), "person", False)


def test_names_and_aliases_find_one_actor() -> None:
    gazetteer = Gazetteer([ZELENSKYY, KREMLIN, OFFICIALS])
    for name in ("Zelenskiy", "ZELENSKY", "volodymyr  zelenskyy", "Volodymyr\nZelenskyy"):
        assert gazetteer.lookup(name) == (ZELENSKYY,), name
    assert gazetteer.lookup("Kremlin") == gazetteer.lookup("the Kremlin") == (KREMLIN,)
    assert gazetteer.lookup("Western officials") == ()  # anonymous: never matched by name
    assert gazetteer.lookup("Zelenskyi") == ()
    assert len(gazetteer) == 3
    assert ("Western officials", OFFICIALS) not in list(gazetteer.names())
    assert ("Zelenskiy", ZELENSKYY) in list(gazetteer.names())


def test_namesakes_are_all_returned() -> None:
    assert Gazetteer([ZELENSKYY, NAMESAKE]).lookup("Zelensky") == (ZELENSKYY, NAMESAKE)


def test_the_registry_json_decodes_into_a_gazetteer() -> None:
    body = b'[["act_1","Volodymyr Zelenskyy",["Zelenskiy"],"person",false]]'
    assert Gazetteer.from_json(body).lookup("zelenskiy")[0].id == "act_1"


def test_normalize() -> None:
    assert normalize("  The  People\u2019s Republic ") == "people's republic"
    assert normalize("\uff35\uff33\uff21") == "usa"  # fullwidth letters


def test_load_extractor() -> None:
    assert load_extractor("claimledger_server.extractions.rules:RuleExtractor") is RuleExtractor
    for bad, reason in (
        ("rules", "package.module:Class"),
        ("claimledger_server.extractions.rules:Nothing", "has no Nothing"),
        ("no_such_module_anywhere:X", "cannot import"),
        ("claimledger_server.extractions.rules:MAX_CLAIM_CHARS", "extract method"),
    ):
        with pytest.raises(ValueError, match=reason):
            load_extractor(bad)


def test_what_the_extractor_reads_fills_only_empty_source_fields() -> None:
    given = DraftSource(title="Given", language="en")
    found = DraftSource(title="Read", kind="news_article", url="https://example.org/a")
    merged = with_found_source(given, found)
    assert (merged.title, merged.kind, merged.url, merged.language) == (
        "Given",
        "news_article",
        "https://example.org/a",
        "en",
    )
    # What does not fit the caller's source is left out rather than failing the draft.
    assert with_found_source(given, DraftSource(url="http://[abc")) == given
    assert with_found_source(given, None) is given
