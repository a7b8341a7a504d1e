"""Who a sentence attributes itself to: the speech and attribution patterns of news
reporting, read off one sentence at a time.

- "X said/told/warned…" — X is the noun phrase before the verb, back to the clause's start
  (a comma, a quote, "that"); "X, head of Y, said" and "A spokesman for Y, X, told" take the
  name among the comma-separated parts;
- "'…,' said X" — X after the verb;
- "according to X";
- "he/she/it/they said" — a pronoun, resolved by the caller (`salience.py` for persons);
- "X gave figures/issued a statement, saying…" — figures given out are X's claim;
- "X's own count, given last week, stood at N" — a count given by whose it is.

A rubric before a dash ("THE MILITIAS - "), how many spoke ("two residents") and a name's
acronym in brackets ("… Mission in Somalia (AUSSOM) said") are no part of the speaker.

Only the sentence's words are read; which actor a phrase is, is `actors.py`'s business."""

import re
from typing import Final, NamedTuple

from claimledger_server.extractions.names import (
    appositive_name,
    looks_like_name,
    members_of,
)

SPEECH_VERBS: Final = (
    *("said", "says", "say", "told", "tells", "added", "explained", "stated", "announced"),
    *("claimed", "claims", "revealed", "warned", "insisted", "noted", "acknowledged"),
    *("confirmed", "estimated", "estimates", "wrote", "reported", "reports", "denied"),
    *("denies", "described", "urged", "criticized", "criticised", "condemned", "accused"),
    *("blamed", "alleged", "posted", "tweeted", "disputed", "rejected", "counted", "declined"),
    *("recorded", "documented", "verified", "registered", "tallied", "assessed", "believes"),
    *("dismissed", "stressed", "argued", "asserted", "maintained", "conceded", "admitted"),
    *("vowed", "pledged", "replied", "responded", "countered", "reiterated", "cautioned"),
    *("emphasised", "emphasized", "complained", "predicted", "called for", "calls for"),
    *("declared", "declares", "condemns", "warns", "alleges", "accuses", "insists"),
    # the plural's verb ("local authorities estimate that…"): only after a plural subject
    # and before "that", where the word is no noun ("a report that…" has no "s " before it)
    r"(?<=s )(?:estimate|warn|allege|insist|believe|report|claim|confirm|deny|accuse|"
    r"fear|stress|agree|acknowledge|maintain|argue)(?= that\b)",
    # a statement or figures given out, said to be the speaker's: "the group gave similar
    # figures in a statement, saying…", "the army issued a statement saying…"
    r"(?:gave|gives|issued|issues|released|releases|published|publishes)\s+"
    r"(?:[a-z'-]+\s+){0,3}?(?:statement|figures|toll|tally|estimates?|numbers)\b",
    r"(?:put|puts|putting|placed|places)(?= the (?:[\w-]+ ){0,3}?(?:toll|number|figure|count"
    r"|total|tally)\b)",
)
_VERB = re.compile(r"\b(?:" + "|".join(sorted(set(SPEECH_VERBS), key=len, reverse=True)) + r")\b")
_INVERTED: Final = frozenset({"said", "says", "added", "wrote", "noted", "explained"})
"""Verbs news puts before their speaker ("…, said Maria Kovac"); "told X" names a hearer."""
ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
_CITING = re.compile(r"\bciting\s+", re.IGNORECASE)
PRONOUNS: Final = frozenset({"he", "she", "it", "they"})
_CLAUSE_BOUNDARY = re.compile(
    r"[,;:\"\u201c\u201d(\u2014]|\s[-\u2013]\s|\b(?:that|while|but|as|after|when)\s"
)
_PHRASE_END = re.compile(
    r"[,;:\"\u201c\u201d(\u2014]|(?<![A-Z])(?<!\bDr|\bMr|\bMs|\bSt|\bLt)(?<!Mrs|Gen|Col|Maj|Sgt)\."
    r"|\s(?:that|on|in|who|which|and said|citing|(?:cited|quoted|carried|relayed) by)\s"
    r"|\s(?:last\s+(?:week|month|year|night)|yesterday|earlier\s+this\s+(?:week|month|year))\b"
    r"|$"
)
_TRAILING_FILLER: Final = frozenset(
    {
        *("has", "have", "had", "also", "later", "earlier", "previously", "separately"),
        *("further", "again", "would", "will", "then", "publicly", "has also", "is", "was"),
        *("reportedly", "on", "in", "a", "statement", "the", "all", "quoted", "as"),
    }
)
_LEADING: Final = frozenset(
    {"the", "a", "an", "but", "and", "however", "meanwhile", "separately", "also", "later"}
)
_DESCRIPTION_STARTS: Final = frozenset(
    {"who", "which", "whose", "published", "released", "issued", "dated", "seen", "reached"}
    | {"contacted", "interviewed"}
)
"""Words after which a speaker phrase goes on to describe it, not to name it."""
_PARTICIPLE = re.compile(r"\s*[a-z]+ing\b")
"""A part that opens with a participle ("…, wounding two women, said X") says what
happened, not who speaks."""
_RELATIVE = re.compile(r"^\s*(?:which|who|whose|whom|where|when)\b", re.IGNORECASE)
MAX_PHRASE_WORDS: Final = 16
MAX_PHRASE_CHARS: Final = 200
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
_ANAPHOR = re.compile(
    r"(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:[a-z0-9-]+\s+){0,2}"
    r"(?:report|statement|study|survey|document|group|organi[sz]ation)"
)
"""A speaker named again by what it is ("the statement said", "the 40-page report says",
"the group estimated"): the last speaker that is no person, as "it" would be."""
_SOURCE_WORDS = re.compile(
    r"\s*(?:the\s+|a\s+|an\s+)?(?:(?:latest|new|official|preliminary|initial|updated)\s+)?"
    + _SOURCE_NOUNS
    + r"\s+(?:by|from|of|released by|compiled by|issued by)\s+(?!(?:"
    + r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.?\s+\d)",
    re.IGNORECASE,
)
_OWNER_OF_SOURCE = re.compile(
    r"\s*(?:the\s+)?(?P<owner>[\w.-]+(?:\s+[\w.-]+){0,3}?)['\u2019]s?\s+"
    r"(?:(?:latest|new|official|preliminary|initial|updated)\s+)?" + _SOURCE_NOUNS + r"\b",
    re.IGNORECASE,
)
_OWNER_NOUN_OF_SOURCE = re.compile(
    r"\s*(?:the\s+)?(?:(?:latest|new|official|preliminary|initial|updated)\s+)?"
    r"(?P<owner>government|army|military|police|ministry|authorities|U\.N\.|[A-Z]{2,})\s+"
    r"(?:figures|data|estimates|statistics|tallies|tally|counts?)\b"
)
"""A source named by whose it is, without a possessive: "the latest government figures"."""
_SOURCE_NOUN_BEFORE = re.compile(r"\b(?:according to|in|the|its|their|his|her)\s+$", re.IGNORECASE)
_LEAD_SUBJECT = re.compile(
    r"\s*(?:The\s+|the\s+|A\s+|An\s+)?([\w'.-]+(?:\s+[\w'.-]+){0,3}?)\s+"
    r"(?:did|does|has|have|had|is|was|were|are|will|would|could|gave|put|confirm(?:s|ed)"
    r"|(?:reject|dismiss|dispute|accuse|blame|acknowledge)(?:s|es|d|ed)|denie[sd]|insists"
    r"|admit(?:s|ted))\b"
)
"""The subject a sentence opens with, before its first verb: "Azerbaijan rejects the charge
and says…", "The government did not comment but said…"."""


class Found(NamedTuple):
    """A speaker phrase (`start`, `end` into the text) or a pronoun, and where the words
    after the verb begin (`after`, for the date)."""

    start: int
    end: int
    pronoun: str | None
    after: int
    basis: tuple[int, int] | None = None
    members: tuple[tuple[int, int], ...] = ()
    """A joint statement's speakers ("the governments of A, B and C said"), in order."""
    described: tuple[int, int] | None = None
    """What an appositive calls the speaker ("Grey Zone, a Telegram channel, said")."""


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The phrase `text[start:end]` without spaces, leading articles and trailing
    auxiliaries ("have", "also"); None when nothing is left or it is no noun phrase."""
    if (source_words := _SOURCE_WORDS.match(text, start, end)) is not None:
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
    while words and words[-1].group().lower().strip(",") in _TRAILING_FILLER:
        words.pop()
    while words and (words[0].group().lower() in _LEADING or _describes(words)):
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
    if any(w.group().strip(".,").isdigit() for w in words):
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
    if first.endswith("-based"):
        return True
    return "-" in first and first[0].islower() and len(words) > 1 and words[1].group()[0].isupper()


_DASHES: Final = (" - ", " \u2013 ", " \u2014 ")
_COUNTED: Final = frozenset(
    {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several"}
)
"""How many speakers there were ("two residents told…"): no part of who they are."""


def _appositive(
    text: str, start: int, comma: int
) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """ "Kizito Bin Hangi, head of civil society, said": the parts before the verb, split at
    commas; a part that is a person's name wins, else the first that is no relative clause."""
    parts: list[tuple[int, int]] = []
    end = comma
    while len(parts) < 3:
        cut = max(text.rfind(",", start, end), start - 1)
        piece_start = cut + 1
        boundary = max(text.rfind(q, piece_start, end) for q in '"\u201c\u201d;:')
        # a rubric or dateline before a dash ("THE MILITIAS - A commander, speaking…")
        dash = max(
            (found + 2 for d in _DASHES if (found := text.rfind(d, piece_start, end)) >= 0),
            default=-1,
        )
        if max(boundary, dash) >= piece_start:
            piece_start = max(boundary, dash) + 1
        parts.append((piece_start, end))
        if piece_start != cut + 1 or cut < start:
            break
        end = cut
    trimmed = [
        t
        for p in parts
        if not _RELATIVE.match(text[p[0] : p[1]])
        and not _PARTICIPLE.match(text, p[0], p[1])
        and (t := trim(text, *p))
    ]
    for part in trimmed:
        if looks_like_name(text[part[0] : part[1]]):
            others = [p for p in trimmed if p != part]
            return part, others[0] if others else None
    return (trimmed[-1], None) if trimmed else None


Subject = tuple[tuple[int, int], tuple[int, int] | None]


class Anaphor(NamedTuple):
    """A speaker named again by what it is ("the statement"), at `start`-`end`."""

    start: int
    end: int


def _before_verb(text: str, start: int, verb_start: int) -> Subject | Anaphor | str | None:
    """The subject before a speech verb (its span and an appositive's), or a pronoun."""
    boundary = start
    for match in _CLAUSE_BOUNDARY.finditer(text, start, verb_start):
        boundary = match.end()
    if _ANAPHOR.fullmatch(raw := text[boundary:verb_start].strip()):
        first = text.index(raw, boundary)
        return Anaphor(first, first + len(raw))
    phrase = trim(text, boundary, verb_start)
    if phrase is not None:
        words = text[phrase[0] : phrase[1]]
        if words.lower() in PRONOUNS:
            return words.lower()
        if re.search(r"\s(?:and|but)$", words) and (lead := _LEAD_SUBJECT.match(text, boundary)):
            return ((lead.start(1), lead.end(1)), None)  # "X rejects the charge and says"
        return (phrase, None) if _plausible_subject(words) else None
    before = text[start:verb_start].rstrip()
    if before.endswith(","):
        subject = _appositive(text, start, start + len(before) - 1)
        if subject is not None and _ANAPHOR.fullmatch(_with_article(text, start, subject[0])):
            return Anaphor(*subject[0])
        return subject
    if re.search(r"\b(?:but|and)$", before) and (lead := _LEAD_SUBJECT.match(text, start)):
        return ((lead.start(1), lead.end(1)), None)  # "The government did not…, but said"
    return None


_PREPOSITIONS: Final = frozenset(
    {"in", "on", "at", "with", "from", "during", "after", "before", "by"}
)
"""Words no subject begins with: "In a video posted online, the leader said" has its
speaker after the comma, and "posted" there is no speech verb."""


def _with_article(text: str, start: int, phrase: tuple[int, int]) -> str:
    """The phrase with the article `trim` took off it ("the report")."""
    article = re.search(
        r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+$", text[max(start, phrase[0] - 5) : phrase[0]]
    )
    return (article.group() if article else "") + text[phrase[0] : phrase[1]]


def _plausible_subject(words: str) -> bool:
    lowered = words.lower().split()
    if (
        lowered[0] in ("who", "which", "that", "there", "this", "what")
        or lowered[0] in _PREPOSITIONS
    ):
        return False
    if any(w in ("is", "are", "was", "were", "been", "be", "not") for w in lowered):
        return False
    return not (lowered[0] in ("its", "his", "her", "their", "this", "these") and len(lowered) < 2)


def _after_verb(text: str, after: int, end: int) -> tuple[int, int] | None:
    """ "'…,' said X": the phrase right after the verb, when it is a name or a noun phrase."""
    match = _PHRASE_END.search(text, after + 1, end)
    stop = match.start() if match else end
    phrase = trim(text, after, stop)
    if phrase is None:
        return None
    first = text[phrase[0] : phrase[1]].split()[0]
    return phrase if first[:1].isupper() and first.lower() not in PRONOUNS else None


def phrase_until_boundary(text: str, start: int, end: int) -> tuple[int, int] | None:
    match = _PHRASE_END.search(text, start, end)
    return trim(text, start, match.start() if match else end)


def find_speaker(text: str, start: int, end: int) -> Found | None:
    """Who the sentence `text[start:end]` attributes itself to, if a pattern says so."""
    basis = None
    if (citing := _CITING.search(text, start, end)) is not None:
        stop = _PHRASE_END.search(text, citing.end(), end)
        if (
            stop is not None
            and stop.group().strip() in ("in", "at")
            and _UNNAMED_SOURCE.search(text, citing.end(), stop.start())
        ):
            stop = _PLACE_END.search(text, stop.start() + 1, end)  # "a source in the army"
        basis = (citing.start(), stop.start() if stop else end)
    for verb in _VERB.finditer(text, start, end):
        if _SOURCE_NOUN_BEFORE.search(text, start, verb.start()):
            continue  # "according to estimates by…": a noun here
        if _inside_quote(text, start, verb.start()):
            continue  # '"…not as many as they say," he said': the quote's words, not its speaker
        preceding = text[start : verb.start()].rstrip()
        if (
            preceding.endswith(",")
            and verb.group() in _INVERTED
            and (named := _after_verb(text, verb.end(), end)) is not None
            and looks_like_name(text[slice(*named)])
        ):
            return Found(*named, None, named[1], basis=basis)  # "…, killing four, said X"
        subject_end = verb.start()
        if (acronym := _ACRONYM_BEFORE.search(text, start, subject_end)) is not None:
            subject_end = acronym.start()  # "the … Mission in Somalia (AUSSOM) said"
        subject = _before_verb(text, start, subject_end)
        if isinstance(subject, str):
            return Found(verb.start(), verb.end(), subject, verb.end(), basis=basis)
        if isinstance(subject, Anaphor):
            return Found(subject.start, subject.end, "it", verb.end(), basis=basis)
        if subject is not None:
            (first, last), described = subject
            members = members_of(text, start, first, last)
            return Found(first, last, None, verb.end(), basis, members, described)
        if preceding.endswith((",", '"', "\u201d")) and (
            postposed := _after_verb(text, verb.end(), end)
        ):
            return Found(*postposed, None, postposed[1], basis=basis)
    if (own := _OWN_COUNT.match(text, start, end)) is not None:
        return Found(
            *own.span("owner"),
            None,
            own.end("given") if own.group("given") else own.end("owner"),
            basis=basis,
        )
    if (according := ACCORDING.search(text, start, end)) is not None:
        phrase = phrase_until_boundary(text, according.end(), end)
        if phrase is not None:
            members = members_of(text, start, *phrase, forward_to=end)
            if not members and (named := appositive_name(text, phrase[1], end)) is not None:
                return Found(*named, None, named[1], basis=basis, described=phrase)
            return Found(*phrase, None, phrase[1], basis=basis, members=members)
    return None


def _inside_quote(text: str, start: int, at: int) -> bool:
    """Whether `at` lies inside a quotation opened after `start`."""
    before = text[start:at]
    if (closed := _CLOSED_FIRST.match(before)) is not None:
        before = before[closed.end() :]  # 'Only half came back," she said': opened before
    if before.count('"') % 2:
        return True
    return before.rfind("\u201c") > before.rfind("\u201d")


_OWN_COUNT = re.compile(
    r"\s*(?:[Tt]he\s+)?(?P<owner>[\w.-]+(?:\s+[\w.-]+){0,3}?)['\u2019]s?\s+"
    r"(?:(?:own|latest|new|official|updated|previous)\s+)?(?:count|tally|toll|figures?)"
    r"(?:\s*,\s*(?P<given>given|published|released|issued)\b[^.;,]{0,30},)?"
    r"\s+(?:stood at|stands at|stood|showed|shows|rose to|reached)\b"
)
"""A sentence that opens on whose count it gives: "The ministry's own count, given last week,
stood at 107 dead" is the ministry's claim, dated by the aside."""
_CLOSED_FIRST = re.compile(r"[^\"\u201c\u201d]*[,.!?][\"\u201d](?=\s)")
"""A sentence that closes a quotation opened in a sentence before it."""
_ACRONYM_BEFORE = re.compile(r"\s*\([A-Z][A-Za-z.&-]{1,15}\)\s*$")
"""A name's acronym in brackets after it: part of the name, no boundary of the phrase."""
_UNNAMED_SOURCE = re.compile(
    r"\b(?:source|sources|official|officials|person|people|someone|member|members)\s*$"
)
"""A source known only by where it sits: "citing a source in the military" keeps "in the
military"."""
_PLACE_END = re.compile(r"[,;:\"\u201c\u201d(\u2014]|\.(?:\s|$)|\s(?:that|who|which)\s|$")
