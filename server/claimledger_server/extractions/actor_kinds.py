"""What kind of actor a phrase names, by its words: an outlet (`relays.is_outlet`), else the
kind its head noun says ("the regional prosecutor's office" is a body, "a nurse at the
hospital" a person), else the kind any of its words says. A body of the United Nations is an
international organisation whatever its head noun ("the U.N. humanitarian office")."""

import re
from typing import Final

from claimledger_server.actors.schemas import ActorKind
from claimledger_server.extractions.gazetteer import Gazetteer
from claimledger_server.extractions.relays import is_outlet

_HEAD_END: Final = frozenset(
    {"of", "for", "in", "to", "linked", "based", "that", "who", "which", "with", "at", "on"}
)
"""Words a phrase's head noun comes before ("the office of …", "a nurse at …")."""
_UNITED_NATIONS: Final = re.compile(
    r"\bU\.N\.(?![\w-])|\b(?:UN|United Nations|UNICEF|UNHCR|UNRWA|OCHA|WFP|WHO)\b(?!-)"
)
"""The U.N. or one of its agencies named (not "a U.N.-backed government")."""
_CIVIL_GROUP: Final = re.compile(
    r"\b(?:aid|rights|monitoring|advocacy|humanitarian|relief|medical|charity|campaign|"
    r"volunteer|society|research|watchdog|activist|community|support)\s+group\b",
    re.IGNORECASE,
)
"""A group named by what it does for people, no armed one: "a local aid group"."""
_UN_BODY_HEADS: Final = frozenset(
    {"agency", "agencies", "office", "body", "mission", "organisation", "organization"}
    | {"programme", "program", "fund", "commission", "council", "committee"}
)
_PERSON_WORDS: Final = (
    r"\b(?:official|officials|spokes\w+|resident|residents|witness\w*|lawmaker|source|"
    r"commander|doctor|nurses?|medics?|paramedics?|survivors?|minister|envoy|coordinator|chief|"
    r"ombuds\w+|leader|advis[eo]r|prosecutor|mayor|governor|president|colonel|captain|"
    r"lieutenant|sergeant|ambassador|senator|director|aide|admiral|brigadier|marshal|"
    r"officer|soldier|villager|trader|farmer|teacher|fisherman|caller|administrator|priest|head|"
    r"pastor|imam|elder|bishop|shopkeeper|driver|journalist|mother|father|widow|member)\b"
)
_KIND_WORDS: Final[tuple[tuple[str, ActorKind], ...]] = (
    (_PERSON_WORDS, "person"),
    (r"\b(?:intelligence|spy)\b", "intelligence_agency"),
    (r"\b(?:U\.N\.|UN|United Nations|agency|UNICEF|UNHCR|OCHA|WHO)\b",
     "international_organization"),
    (r"\b(?:military|army|forces?|troops|air force|navy|general staff|command|guard|corps|"
     r"brigade|battalion|regiment|division|militaries|soldiers|servicemen|personnel|"
     r"marines|paratroopers|peacekeepers)\b", "armed_force"),
    (r"\b(?:rebels?|militants?|militia|group|fighters|movement|alliance|insurgents|"
     r"jihadists|militiamen|gunmen|mercenaries)\b", "armed_group"),
    (r"\b(?:ministry|government|office|service|services|administration|council|authorities|"
     r"cabinet|presidency|police)\b", "government_body"),
    (r"\b(?:committee|front|union|network|coalition|observatory|tracker|project|programme|"
     r"program|fund|federation|party|monitor|centre|center|institute|foundation|society|"
     r"association|league|charity|collectif|collective|commission|organi[sz]ation|group|"
     r"watch|crescent|cross|company|corporation|international|hospital|clinic|"
     # a named hospital, clinic or volunteer "Emergency Room" is a body, no person
     r"rooms?)\b", "organization"),
)  # fmt: skip


def kind_of(phrase: str, gazetteer: Gazetteer, person: bool) -> ActorKind | None:
    if person:
        return "person"
    head = _head_word(phrase)
    if head and head.lower() in _UN_BODY_HEADS and _UNITED_NATIONS.search(phrase):
        return "international_organization"  # "the U.N. agency": no news agency
    if is_outlet(phrase, gazetteer):
        return "media_outlet"
    if _UNITED_NATIONS.search(phrase) and not (
        head and re.search(_PERSON_WORDS, head, re.IGNORECASE)
    ):
        return "international_organization"  # "a U.N. official" stays a person
    # the head noun says what it is, else any word
    head_kind = _kind_by_words(head) if head else None
    if _CIVIL_GROUP.search(phrase) and (head_kind is None or (head or "").lower() == "group"):
        return "organization"  # "a local aid group", "the advocacy group Shelter Now"
    return head_kind or _kind_by_words(phrase)


def _kind_by_words(words: str) -> ActorKind | None:
    """The kind of the first row of `_KIND_WORDS` whose words `words` has."""
    for pattern, kind in _KIND_WORDS:
        if re.search(pattern, words, re.IGNORECASE):
            return kind
    return None


def head_words(phrase: str) -> list[str]:
    """The words before a phrase's first preposition or relative word: its head noun is the
    last of them ("a Telegram channel linked to Wagner" → "a Telegram channel")."""
    words: list[str] = []
    for word in phrase.split():
        if word.lower() in _HEAD_END and words:  # first, "that" points: "that city's mayor"
            break
        words.append(word)
    return words


def _head_word(phrase: str) -> str | None:
    """The last word before a phrase's first preposition: "the regional prosecutor's
    office" → "office" (a body, not a prosecutor), "a nurse at the hospital" → "nurse"."""
    words = head_words(phrase)
    return words[-1] if words else None
