"""Speaker phrases: the noun phrase a speech pattern points at, trimmed to who is named —
without its articles, trailing auxiliaries and adverbs ("have", "also", "today"), how many
spoke ("two residents"), a description of who runs or hosts it ("the Kyiv-based", "Rebel-run"),
and the document it was said in ("estimates by Ukraine", "a report released on Thursday by X",
"the government's figures" name Ukraine, X, the government). `speakers.py` finds where the
phrase stands; this module says what of it names someone."""

import re
from typing import Final

from claimledger_server.extractions.when import WEEKDAY_NAMES

PHRASE_END = re.compile(
    r"[,;:\"\u201c\u201d(\u2014]|(?<![A-Z])(?<!\bDr|\bMr|\bMs|\bSt|\bLt)(?<!Mrs|Gen|Col|Maj|Sgt)\."
    r"|\s(?:that|on|in|who|which|and said|citing|(?:cited|quoted|carried|relayed) by)\s"
    r"|\sas\s+(?:saying|telling|stating)\b"
    r"|\s(?:last\s+(?:week|month|year|night)|yesterday|earlier\s+this\s+(?:week|month|year))\b"
    r"|$"
)

_TRAILING_FILLER: Final = frozenset(
    {
        *("has", "have", "had", "also", "later", "earlier", "previously", "separately"),
        *("further", "again", "would", "will", "then", "publicly", "has also", "is", "was"),
        *("reportedly", "on", "in", "a", "statement", "the", "all", "quoted", "as"),
        *("today", "yesterday", "tonight", "now", "jointly", "formally", "officially"),
        *("strongly", "repeatedly", "initially", "first", "subsequently", "swiftly"),
        # a reflexive that stresses who speaks: "the hospital itself said"
        *("itself", "himself", "herself", "themselves"),
    }
)
_LEADING: Final = frozenset(
    {"the", "a", "an", "but", "and", "however", "meanwhile", "separately", "also", "later"}
)
_DESCRIPTION_STARTS: Final = frozenset(
    {"who", "which", "whose", "published", "released", "issued", "dated", "seen", "reached"}
    | {"contacted", "interviewed", "cited", "quoted", "carried", "relayed"}
)
"""Words after which a speaker phrase goes on to describe it, not to name it."""
_CONTACT_SUBJECTS: Final = frozenset({"I", "we", "you"})
"""The subject of a contact clause without "who" ("a commander I reached", "a nurse we
spoke to"): the writer, no part of the speaker's name."""

AT_THE_TIME: Final = "at the time"
"""After a speaker ("according to officials at the time"): no part of who spoke, but when:
as the event happened (`statement_dates.py`)."""
MAX_PHRASE_WORDS: Final = 16
MAX_PHRASE_CHARS: Final = 200
_DOCUMENT_AGE = (
    r"(?:(?:latest|new|official|preliminary|initial|updated|earlier|later|previous|first|"
    r"final|revised|separate|joint|written)\s+)?"
)
"""What a document is among others of its kind: "an earlier statement from X" is X's."""
_SOURCE_NOUNS = (
    r"(?:estimates?|figures|data|reports?|statements?|tallies|tally|counts?|assessments?|"
    r"investigations?|analys[ie]s|lists?(?:\s+of\s+[\w-]+)?|databases?|reviews?|surveys?)"
)
_AUTHORED = re.compile(
    r"reports?|statements?|stud(?:y|ies)|surveys?|investigations?|analys[ie]s|tally|count|"
    r"list|database|review|audit|assessment"
)
"""Documents that name their author before them ("a UNICEF report said": UNICEF's); an
adjective of nationality before one names no author ("Israeli tallies")."""
_NATIONALITY = re.compile(r".*(?:i|ian|ean|ese|ish)$", re.IGNORECASE)

_SOURCE_WORDS = re.compile(
    # a day's possessive dates the document, owns nothing: "Wednesday's report by X"
    rf"\s*(?:the\s+|a\s+|an\s+|(?:{WEEKDAY_NAMES}|[Yy]esterday)['\u2019]s\s+)?"
    + _DOCUMENT_AGE
    + _SOURCE_NOUNS
    + r"\s+(?:by|from|of|released by|compiled by|issued by)\s+(?!(?:"
    + r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.?\s+\d)",
    re.IGNORECASE,
)
SOURCE_BY = re.compile(
    r"\s*(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}?"
    + _SOURCE_NOUNS
    + r"\s+(?:released|published|issued|compiled|produced|prepared|presented|written|kept|"
    r"maintained)\b"
    r"[^,;.\"\u201c]{0,40}?\bby\s+",
    re.IGNORECASE,
)
"""A document its author is named after, past when it came out or as it is kept: "a report
released on Thursday by the monitoring group X", "a tally kept by X" are X's."""
_OWNER_OF_SOURCE = re.compile(
    r"\s*(?:the\s+)?(?P<owner>[\w.-]+(?:\s+[\w.-]+){0,3}?)['\u2019]s?\s+"
    + _DOCUMENT_AGE
    + _SOURCE_NOUNS
    + r"\b",
    re.IGNORECASE,
)
_OWNER_NOUN_OF_SOURCE = re.compile(
    r"\s*(?:the\s+)?"
    + _DOCUMENT_AGE
    # capitalised at the head of a sentence too: "Government figures put the number at …"
    + r"(?P<owner>(?i:government|army|military|police|ministry|authorities)|U\.N\.|[A-Z]{2,})\s+"
    r"(?:figures|data|estimates|statistics|tallies|tally|counts?)\b"
)
"""A source named by whose it is, without a possessive: "the latest government figures"."""


_CODED_NAME: Final = re.compile(r"(?:Witness|Survivor|Victim|Patient|Source|Detainee)\s+\d{1,3}")
"""The code an inquiry gives a witness it does not name ("Witness 7"): a name, not a count."""


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The phrase `text[start:end]` without spaces, leading articles and trailing
    auxiliaries ("have", "also"); None when nothing is left or it is no noun phrase."""
    if (
        source_words := _SOURCE_WORDS.match(text, start, end) or SOURCE_BY.match(text, start, end)
    ) is not None:
        start = source_words.end()  # "estimates by Ukraine": Ukraine's
    elif (owner := _OWNER_OF_SOURCE.match(text, start, end)) is not None:
        start, end = owner.start("owner"), owner.end("owner")  # "the government's figures"
    elif (owner := _OWNER_NOUN_OF_SOURCE.match(text, start, end)) is not None:
        start, end = owner.start("owner"), owner.end("owner")  # "the latest government figures"
    words = list(re.finditer(r"[^\s]+", text[start:end]))
    for i, word in enumerate(words):
        if i and word.group().lower() in _DESCRIPTION_STARTS:
            words = words[:i]  # "A resident who helped", "a report published last month"
            break
        contact = i and word.group() in _CONTACT_SUBJECTS and i + 1 < len(words)
        if contact and words[i + 1].group()[:1].islower():
            words = words[:i]  # "a commander I reached by phone": who reached him
            break
    if len(words) > 3 and " ".join(w.group() for w in words[-3:]).strip(".,") == AT_THE_TIME:
        words = words[:-3]  # "officials at the time": they spoke when it happened
    while words and (tail := words[-1].group().strip(",")).islower() and tail in _TRAILING_FILLER:
        words.pop()
    while words and (
        words[0].group().lower() in _LEADING
        or _describes(words)
        or re.fullmatch(r"[\d:.]*[\])]", words[0].group())  # "[00:45] Anchor X": a timestamp's tail
    ):
        words.pop(0)  # "the Yemen-based Sanaa Centre", "the exile-run X": no part of a name
    if len(words) > 1 and words[0].group().lower() in _COUNTED:
        words.pop(0)  # "two residents": residents
    if (
        len(words) > 1
        and _AUTHORED.fullmatch(words[-1].group())
        and words[-2].group()[0].isupper()
        and not _NATIONALITY.fullmatch(words[-2].group())
    ):
        words.pop()  # "a UNICEF report said": UNICEF's
    if not words or len(words) > MAX_PHRASE_WORDS:
        return None
    if words[-1].end() - words[0].start() > MAX_PHRASE_CHARS:
        return None
    coded = " ".join(w.group() for w in words).strip(".,")
    if any(w.group().strip(".,").isdigit() for w in words) and not _CODED_NAME.fullmatch(coded):
        return None
    first, last = start + words[0].start(), start + words[-1].end()
    while last > first and text[last - 1] in ".,;:)\"'\u201d":
        if text[last - 1] == "." and re.search(r"\b[A-Z]\.$", text[first:last]):
            break  # "U.N."
        last -= 1
    return (first, last) if last > first else None


def _describes(words: list[re.Match[str]]) -> bool:
    """A hyphenated word before a name that says where it sits or who runs it."""
    first = words[0].group()
    if first.lower().endswith(_RUN_BY) and len(words) > 1 and words[1].group()[:1].isupper():
        return True  # "Rebel-run Al-Masirah TV", "the Kyiv-based X", "Iran-backed Y"
    return "-" in first and first[0].islower() and len(words) > 1 and words[1].group()[0].isupper()


_RUN_BY: Final = (
    "-based",
    "-run",
    "-backed",
    "-owned",
    "-linked",
    "-affiliated",
    "-controlled",
    "-aligned",
)

_COUNTED: Final = frozenset(
    {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several"}
)
"""How many speakers there were ("two residents told…"): no part of who they are."""


def described_then_named(phrase: str) -> bool:
    """ "charity Open Hands", "medical charity Open Hands": a description of common nouns
    in lower case, then the name it describes (not "affiliate in the Sahel", "known as X")."""
    words = phrase.split()
    described = [w for w in words if w.islower()]
    named = words[len(described) :]
    return (
        0 < len(described) <= 3
        and bool(named)
        and words[: len(described)] == described
        and all(w[:1].isupper() for w in named)
        and all(w.isalpha() and w not in _NOT_DESCRIPTIONS for w in described)
    )


_NOT_DESCRIPTIONS: Final = frozenset(
    {"of", "in", "for", "at", "on", "as", "by", "to", "from", "with", "and", "or", "known"}
    | {"called", "named", "dubbed", "nicknamed", "al", "el", "bin", "ibn", "abu", "de"}
)


def phrase_until_boundary(text: str, start: int, end: int) -> tuple[int, int] | None:
    match = PHRASE_END.search(text, start, end)
    return trim(text, start, match.start() if match else end)
