"""Who a sentence attributes itself to: the speech and attribution patterns of news
reporting, read off one sentence at a time.

- "X said/told/warned…" — X is the noun phrase before the verb, back to the clause's start
  (a comma, a quote, "that"); "X, head of Y, said" and "A spokesman for Y, X, told" take the
  name among the comma-separated parts, and "their employer, the charity X, said" the part
  that names someone; the verbs of saying are every form of their lemmas
  (`speech_verbs.py`), and an adverb or a day between speaker and verb ("X on Tuesday
  denied", "X, a deputy, later told") belongs to neither;
- "'…,' said X" — X after the verb ('"…," said a farmer who gave his name as X': X);
- "…, she said." closing a sentence — the pronoun's, whatever participles come before;
- "according to X";
- "It was claimed by X that", "were said by X to": the agent of a passive (`passives.py`);
- "he/she/it/they said" — a pronoun, resolved by the caller (`salience.py` for persons);
- "X gave figures/issued a statement, saying…" — figures given out are X's claim;
- "X's own count, given last week, stood at N" — a count given by whose it is.

A rubric before a dash ("THE MILITIAS - "), how many spoke ("two residents") and a name's
acronym in brackets ("… Mission in Somalia (AUSSOM) said") are no part of the speaker.

Only the sentence's words are read; what of a phrase names someone is `speaker_phrases.py`'s
business, and which actor it is, `actors.py`'s."""

import re
from typing import Final, NamedTuple

from claimledger_server.extractions.name_phrases import object_of_past_verb, one_name_with_acronym
from claimledger_server.extractions.names import (
    appositive_name,
    looks_like_name,
    members_of,
)
from claimledger_server.extractions.openers import TIME_OPENER
from claimledger_server.extractions.outlet_names import without_bracket_asides
from claimledger_server.extractions.passives import passive_agent
from claimledger_server.extractions.speaker_phrases import (
    PHRASE_END,
    SOURCE_BY,
    described_then_named,
    phrase_until_boundary,
    trim,
)
from claimledger_server.extractions.speech_verbs import INVERTED as _INVERTED
from claimledger_server.extractions.speech_verbs import VERB as _VERB

ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
_CITING = re.compile(r"\b(?:citing|quoting)\s+", re.IGNORECASE)
PRONOUNS: Final = frozenset({"he", "she", "it", "they"})
_CLAUSE_BOUNDARY = re.compile(
    r"[,;:\"\u201c\u201d(\u2014]|\s[-\u2013]\s|\b(?:that|while|but|as|after|when|where)\s"
    r"|\b(?:in|on|during|at)\s+which\s"  # "aired a clip in which X said": X speaks
)
_PARTICIPLE = re.compile(
    r"\s*[a-z]+ing\b|\s*[A-Z][a-z]+ing\s+(?:next|first|last|later|earlier|again|also|after|"
    r"before|for|to|at|in|on)\b"
)
"""A part that opens with a participle ("…, wounding two women, said X", "Speaking next, the
delegate of X said") says what happened, not who speaks."""
_CITING_PART = re.compile(r"\s*(?:citing|quoting)\s")
"""A part that cites a source: a name right after it is the cited one's apposition."""
_RELATIVE = re.compile(r"^\s*(?:which|who|whose|whom|where|when)\b", re.IGNORECASE)
_ANAPHOR = re.compile(
    r"(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:[a-z0-9-]+\s+){0,2}"
    r"(?:report|statement|study|survey|document|group|organi[sz]ation|communiqu[eé])"
    # a body's own channel speaks for it: "Its Telegram channel said", "their statement"
    r"|(?:[Ii]ts|[Tt]heir)\s+(?:[\w-]+\s+){0,2}(?:channel|website|account|statement|"
    r"report|bulletin|post|page|feed|communiqu[eé]|newsletter|broadcast)"
)
"""A speaker named again by what it is ("the statement said", "the 40-page report says",
"the group estimated"): the last speaker that is no person, as "it" would be."""
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


_DASHES: Final = (" - ", " \u2013 ", " \u2014 ")


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
        for i, p in enumerate(parts)
        if not _RELATIVE.match(text[p[0] : p[1]])
        and not _PARTICIPLE.match(text, p[0], p[1])
        # "X, citing the governor, Ana Ruiz, said": the name is the cited one's apposition
        and not (i + 1 < len(parts) and _CITING_PART.match(text, *parts[i + 1]))
        and (t := trim(text, *p))
        and _plausible_subject(text[t[0] : t[1]])  # "Seven were abducted, their employer, …"
    ]
    for part in trimmed:
        if looks_like_name(text[part[0] : part[1]]):
            others = [p for p in trimmed if p != part]
            return part, others[0] if others else None
    for part in trimmed:
        # "their employer, the charity Open Hands, said": the part that names someone
        if len(trimmed) > 1 and described_then_named(text[part[0] : part[1]]):
            return part, next(p for p in trimmed if p != part)
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
    if (opener := TIME_OPENER.match(text, boundary, verb_start)) is not None:
        boundary = opener.end()  # "On Monday he said": when, no part of the speaker
    if _ANAPHOR.fullmatch(raw := text[boundary:verb_start].strip()):
        first = text.index(raw, boundary)
        return Anaphor(first, first + len(raw))
    phrase = trim(text, boundary, verb_start)
    if phrase is not None:
        words = text[phrase[0] : phrase[1]]
        if words.lower() in PRONOUNS:
            return words.lower()
        if re.search(r"\s(?:and|but)$", words) and (lead := _LEAD_SUBJECT.match(text, boundary)):
            # "X rejects the charge and says"; "It did not give a toll but said": a pronoun
            pronoun = lead.group(1).lower()
            return pronoun if pronoun in PRONOUNS else ((lead.start(1), lead.end(1)), None)
        return (phrase, None) if _plausible_subject(words) else None
    before = _ADVERB_TAIL.sub("", text[start:verb_start].rstrip())  # "X, a deputy, later told"
    if before.endswith(","):
        subject = _appositive(text, start, start + len(before) - 1)
        if subject is not None and _ANAPHOR.fullmatch(_with_article(text, start, subject[0])):
            return Anaphor(*subject[0])
        return subject
    if re.search(r"\b(?:but|and)$", before) and (lead := _LEAD_SUBJECT.match(text, start)):
        pronoun = lead.group(1).lower()  # "The government did not…, but said"; "It …, but"
        return pronoun if pronoun in PRONOUNS else ((lead.start(1), lead.end(1)), None)
    return None


_ADVERB_TAIL: Final = re.compile(
    r"(?<=,)\s*(?:(?:had|has|have|would|will|could|did)(?:\s+(?:also|later|earlier|previously|"
    r"already))?|later|also|then|separately|again|today|yesterday|earlier|previously|"
    r"further|jointly|publicly|subsequently|meanwhile|however)$"
)
"""An adverb or auxiliary between an apposition's closing comma and the verb ("X, a deputy,
had said on Sunday")."""
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
        lowered[0] in ("which", "that", "there", "this", "what", "according")
        or words.split()[0] == "who"  # "WHO said": the World Health Organization
        or lowered[0] in _PREPOSITIONS
    ):
        return False
    if any(w in ("is", "are", "was", "were", "been", "be", "not") for w in lowered):
        return False
    return not (lowered[0] in ("its", "his", "her", "their", "this", "these") and len(lowered) < 2)


def _after_verb(text: str, after: int, end: int, *, quoted: bool = False) -> tuple[int, int] | None:
    """ "'…,' said X": the phrase right after the verb, when it is a name or a noun phrase;
    after a quotation (`quoted`) a description too ('"…," said a fisherman')."""
    match = PHRASE_END.search(text, after + 1, end)
    stop = match.start() if match else end
    phrase = trim(text, after, stop)
    if phrase is None:
        return None
    first = text[phrase[0] : phrase[1]].split()[0]
    if first.lower() in PRONOUNS:
        return None
    described = quoted and _ARTICLE_AFTER.match(text, after) is not None
    return phrase if first[:1].isupper() or described else None


def find_speaker(text: str, start: int, end: int) -> Found | None:
    """Who the sentence `text[start:end]` attributes itself to, if a pattern says so."""
    text = without_bracket_asides(text, start, end)  # "X (Marib, a weekly), citing Y, said"
    basis = None
    if (citing := _CITING.search(text, start, end)) is not None:
        stop = PHRASE_END.search(text, citing.end(), end)
        if (
            stop is not None
            and stop.group().strip() in ("in", "at")
            and _UNNAMED_SOURCE.search(text, citing.end(), stop.start())
        ):
            stop = _PLACE_END.search(text, stop.start() + 1, end)  # "a source in the army"
        basis = (citing.start(), stop.start() if stop else end)
    if (tail := _PRONOUN_TAIL.search(text, start, end)) is not None and not _inside_quote(
        text, start, tail.start()
    ):
        # "A truce announced on Saturday collapsed within hours, she said": the closing
        # attribution, not a participle earlier in the sentence ("announced")
        return Found(*tail.span("verb"), tail.group("pronoun").lower(), tail.end("verb"), basis)
    passive = passive_agent(text, start, end)
    for verb in _VERB.finditer(text, start, end):
        if passive is not None and passive.verb[0] <= verb.start() < passive.verb[1]:
            continue  # "It was claimed by a spokesman that …": the agent speaks, unless
            # another verb names its subject (", a spokesman said")
        if object_of_past_verb(text, start, verb):
            continue  # "the minister renewed calls for …": a noun here
        if _SOURCE_NOUN_BEFORE.search(text, start, verb.start()):
            continue  # "according to estimates by…": a noun here
        if _inside_quote(text, start, verb.start()):
            continue  # '"…not as many as they say," he said': the quote's words, not its speaker
        if _ARTICLE_BEFORE.search(text, max(start, verb.start() - 5), verb.start()):
            continue  # "an estimated 1.2 million", "the reported deaths": an adjective here
        preceding = text[start : verb.start()].rstrip()
        if (
            preceding.endswith(",")
            and verb.group() in _INVERTED
            and (named := _after_verb(text, verb.end(), end)) is not None
            and looks_like_name(text[slice(*named)])
        ):
            return Found(*named, None, named[1], basis=basis)  # "…, killing four, said X"
        subject_end = verb.start()
        if (when := _WHEN_BEFORE_VERB.search(text, start, subject_end)) is not None:
            subject_end = when.start()  # "The Kremlin on Tuesday denied": no part of a name
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
            if one_name_with_acronym(text, first, last):
                members = ()  # "the Support and Stability Force (SSF) said": one name
            return Found(first, last, None, verb.end(), basis, members, described)
        closes_quote = preceding.endswith(('"', "\u201d"))
        if preceding.endswith((",", '"', "\u201d")) and (
            postposed := _after_verb(text, verb.end(), end, quoted=closes_quote)
        ):
            return Found(*postposed, None, postposed[1], basis=basis)
    if passive is not None:
        return Found(passive.start, passive.end, None, passive.after, basis, (), passive.described)
    if (own := _OWN_COUNT.match(text, start, end)) is not None:
        return Found(
            *own.span("owner"),
            None,
            own.end("given") if own.group("given") else own.end("owner"),
            basis=basis,
        )
    if (according := ACCORDING.search(text, start, end)) is not None:
        authored = SOURCE_BY.match(text, according.end(), end)  # "a report released … by X"
        phrase = phrase_until_boundary(text, authored.end() if authored else according.end(), end)
        if phrase is not None:
            members = members_of(text, start, *phrase, forward_to=end)
            if not members and (named := appositive_name(text, phrase[1], end)) is not None:
                return Found(*named, None, named[1], basis=basis, described=phrase)
            return Found(*phrase, None, phrase[1], basis=basis, members=members)
    return None


_WHEN_BEFORE_VERB = re.compile(
    r"\s+(?:(?:late|early)\s+)?(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)(?:\s+(?:morning|afternoon|evening|night))?\s*$"
    r"|\s+(?:yesterday|today|last\s+(?:week|month|night)|earlier\s+this\s+(?:week|month))\s*$"
)
"""When, between a speaker and the verb: "The Kremlin on Tuesday denied …"."""
_ARTICLE_AFTER = re.compile(r"\s+(?:a|an|the|one)\s+[a-z]")
_ARTICLE_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+$")
_PRONOUN_TAIL = re.compile(
    r",\s+(?P<pronoun>he|she|they|it)\s+(?:(?:also|later|then)\s+)?"
    r"(?P<verb>said|says|added|told|wrote|explained|recalled|noted)\b"
    r"(?:\s+(?:on|in|at|to|last|earlier|this|by)\b[^,;:\"\u201c\u201d]{0,40})?[.!?]?\s*$"
)
"""A sentence that closes on ", she said": the pronoun's, whatever verbs come before."""


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
_ACRONYM_BEFORE = re.compile(
    r"\s*\([A-Z][A-Za-z.&-]{1,15}(?:\s+[A-Z][A-Za-z.&'-]{1,15}){0,3}\)\s*"
    r"(?:(?:today|yesterday|also|jointly|formally)\s*)?$"
)
"""A name's acronym in brackets after it, or a member's party ("Ms. X (Green Alliance)
said"): no part of who speaks, no boundary of the phrase."""
_UNNAMED_SOURCE = re.compile(
    r"\b(?:source|sources|official|officials|person|people|someone|member|members)\s*$"
)
"""A source known only by where it sits: "citing a source in the military" keeps "in the
military"."""
_PLACE_END = re.compile(r"[,;:\"\u201c\u201d(\u2014]|\.(?:\s|$)|\s(?:that|who|which)\s|$")
