"""Who a sentence attributes itself to: the speech and attribution patterns of news
reporting, read off one sentence at a time.

- "X said/told/warned…" — X is the noun phrase before the verb, back to the clause's start
  (a comma, a quote, "that"); "X, head of Y, said" and "A spokesman for Y, X, told" take the
  name among the comma-separated parts, and "their employer, the charity X, said" the part
  that names someone; the verbs of saying are every form of their lemmas
  (`speech_verbs.py`), and an adverb or a day between speaker and verb ("X on Tuesday
  denied", "X, a deputy, later told") belongs to neither;
- "'…,' said X" — X after the verb ('"…," said a farmer who gave his name as X': X), and a
  description after the verb of a clause that ends in a predicate ("Two civilians were also
  wounded, said the mayor of Port Nira, Ana Ruiz, who …": the name set off after it);
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

from claimledger_server.extractions.appositives import (
    CITING_PART,
    PARTICIPLE,
    appositive_subject,
    plausible_subject,
)
from claimledger_server.extractions.name_phrases import object_of_past_verb, one_name_with_acronym
from claimledger_server.extractions.names import (
    appositive_name,
    listing_name_start,
    looks_like_name,
    members_of,
)
from claimledger_server.extractions.openers import TIME_OPENER
from claimledger_server.extractions.outlet_names import without_bracket_asides
from claimledger_server.extractions.passives import passive_agent
from claimledger_server.extractions.speaker_phrases import (
    PHRASE_END,
    SOURCE_BY,
    phrase_until_boundary,
    trim,
)
from claimledger_server.extractions.speech_verbs import INVERTED as _INVERTED
from claimledger_server.extractions.speech_verbs import VERB as _VERB
from claimledger_server.extractions.structure import DAY_MONTH

ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
_CITING = re.compile(r"\b(?:citing|quoting)\s+", re.IGNORECASE)
PRONOUNS: Final = frozenset({"he", "she", "it", "they"})
_CLAUSE_BOUNDARY = re.compile(
    r"[,;:\"\u201c\u201d(\u2014]|\s[-\u2013]\s|\b(?:that|while|but|as|after|when|where)\s"
    r"|\b(?:in|on|during|at)\s+which\s"  # "aired a clip in which X said": X speaks
)
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
    r"\s*(?:The\s+|the\s+|A\s+|An\s+)?([\w'.-]+(?:\s+[\w'.-]+){0,3}?)"
    # a relative clause set off by commas after it: "The rebels, which rejected the accord,"
    r"(?:\s*,\s*(?:which|who)\s[^,;:\"\u201c]{1,80},)?\s+"
    r"(?:did|does|has|have|had|is|was|were|are|will|would|could|gave|put|confirm(?:s|ed)?"
    r"|(?:reject|dismiss|dispute|accuse|blame|acknowledge)(?:s|es|d|ed)?|den(?:ies|ied|y)"
    r"|insists?|admit(?:s|ted)?)\b"
)
"""The subject a sentence opens with, before its first verb, past a relative clause after it:
"Azerbaijan rejects the charge and says…", "The government did not comment but said…", "The
rebels, which signed no accord, deny it and say…"."""


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
        lead = _LEAD_SUBJECT.match(text, boundary) or _LEAD_SUBJECT.match(text, start)
        if re.search(r"\s(?:and|but)$", words) and lead:
            # "X rejects the charge and says"; "It did not give a toll but said": a pronoun
            pronoun = lead.group(1).lower()
            return pronoun if pronoun in PRONOUNS else ((lead.start(1), lead.end(1)), None)
        return (phrase, None) if plausible_subject(words) else None
    before = _ADVERB_TAIL.sub("", text[start:verb_start].rstrip())  # "X, a deputy, later told"
    if before.endswith(","):
        subject = appositive_subject(text, start, start + len(before) - 1)
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


def _with_article(text: str, start: int, phrase: tuple[int, int]) -> str:
    """The phrase with the article `trim` took off it ("the report")."""
    article = re.search(
        r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+$", text[max(start, phrase[0] - 5) : phrase[0]]
    )
    return (article.group() if article else "") + text[phrase[0] : phrase[1]]


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


def citing_basis(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The sentence's "citing Y" or "quoting Y" phrase: whom its speaker's words rest on."""
    citing = _CITING.search(text, start, end)
    if citing is None:
        return None
    stop = PHRASE_END.search(text, citing.end(), end)
    if (
        stop is not None
        and stop.group().strip() in ("in", "at")
        and _UNNAMED_SOURCE.search(text, citing.end(), stop.start())
    ):
        stop = _PLACE_END.search(text, stop.start() + 1, end)  # "a source in the army"
    return citing.start(), stop.start() if stop else end


def find_speaker(text: str, start: int, end: int) -> Found | None:
    """Who the sentence `text[start:end]` attributes itself to, if a pattern says so."""
    text = without_bracket_asides(text, start, end)  # "X (Marib, a weekly), citing Y, said"
    basis = citing_basis(text, start, end)
    if (tail := _PRONOUN_TAIL.search(text, start, end)) is not None and not _inside_quote(
        text, start, tail.start()
    ):
        # "A truce announced on Saturday collapsed within hours, she said": the closing
        # attribution, not a participle earlier in the sentence ("announced")
        counter = _COUNTER_HEAD.match(text, start, tail.start())
        if counter is not None and tail.group("pronoun") in ("it", "they"):
            # "The X, a monitoring group, recorded 1,100 deaths, it said": the subject counts
            found = trim(text, *counter.span("who"))
            described = counter.span("described") if counter.group("described") else None
            if found is not None:
                return Found(*found, None, tail.end("verb"), basis, described=described)
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
        if preceding.endswith(",") and verb.group() in _INVERTED:
            postposed_described = _described_after_predicate(text, start, verb, end)
            if postposed_described is not None:
                return postposed_described._replace(basis=basis)
        subject_end = verb.start()
        if (when := _WHEN_BEFORE_VERB.search(text, start, subject_end)) is not None:
            subject_end = when.start()  # "The Kremlin on Tuesday denied": no part of a name
        if (acronym := _ACRONYM_BEFORE.search(text, start, subject_end)) is not None:
            subject_end = acronym.start()  # "the … Mission in Somalia (AUSSOM) said"
        if (relative := _COUNT_SPEAKER.search(text, start, subject_end)) is not None:
            # "among the 17 people the committee says were killed": the committee speaks
            speaker = relative.span("speaker" if relative.group("speaker") else "owner")
            return Found(*speaker, None, verb.end(), basis=basis)
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
            elif members and (head := listing_name_start(text, start, first)) is not None:
                first, members = head, ()  # "the Ministry of Refugees, Returnees and …"
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


def _described_after_predicate(
    text: str, start: int, verb: re.Match[str], end: int
) -> Found | None:
    """ "Two boys were also wounded, said the mayor of Port Nira, Ana Ruiz": after a
    clause whose last part is a predicate (no one who could speak), a described speaker
    after the inverted verb, named by the name set off after the description, if any."""
    comma = text.rfind(",", start, verb.start())
    last_part = text[max(start, text.rfind(",", start, comma) + 1) : comma].strip()
    if not last_part or CITING_PART.match(last_part):
        return None  # "X, citing Y, said …": X speaks
    if plausible_subject(last_part) and not PARTICIPLE.match(last_part):
        return None  # "X, a spokesman, said the toll rose": the part before speaks
    if _ARTICLE_AFTER.match(text, verb.end()) is None:
        return None
    phrase = _after_verb(text, verb.end(), end, quoted=True)
    if phrase is None or _NO_DESCRIPTION.search(text, *phrase):
        return None  # "…, said the army had killed 12": what was said, not who
    if not _DESCRIPTION_END.match(text, phrase[1], end):
        return None  # "…, said a strike on the port had killed five": no description
    named = appositive_name(text, phrase[1], end, relative_after=True)
    if named is not None:
        return Found(*named, None, named[1], described=phrase)
    return Found(*phrase, None, phrase[1])


_NO_DESCRIPTION: Final = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|could|been|not)\b|\d"
)
"""Words no description of a speaker holds: after the verb they are what was said."""
_DESCRIPTION_END: Final = re.compile(r"\s*(?:,|[.!?][\"'\u201d]?\s*$|$)")
"""A postposed description runs to a comma or to the sentence's end."""
_WHEN_BEFORE_VERB = re.compile(
    r"\s+(?:(?:late|early)\s+)?(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)(?:\s+(?:morning|afternoon|evening|night))?\s*$"
    r"|\s+(?:yesterday|today|last\s+(?:week|month|night)|earlier\s+this\s+(?:week|month))\s*$"
    # a document's own date: "The ministry's bulletin of Dec. 23 said"
    rf"|\s+(?:of|dated)\s+{DAY_MONTH}\s*$"
)
"""When, between a speaker and the verb: "The Kremlin on Tuesday denied …"."""
_COUNT_SPEAKER: Final = re.compile(
    r"\b(?:the|some|about|around|nearly|almost|over)\s+\d[\d,.]*\s+[a-z]+(?:\s+[a-z]+)?\s+"
    r"(?:(?:the|a|an)\s+(?P<speaker>[^,;:\"\u201c\u201d()]{1,60}?)"
    r"|(?P<owner>(?:its|their)\s+[^,;:\"\u201c\u201d()]{1,60}?))\s*$"
)
"""A relative clause without "that" on a count, its speaker right before the verb: "the 17
people the camp's committee says were killed"."""
_ARTICLE_AFTER = re.compile(r"\s+(?:a|an|the|one)\s+[a-z]")
_ARTICLE_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+$")
_COUNTER_HEAD = re.compile(
    r"(?P<who>(?:[Tt]he\s+)?[A-Z][\w'.&-]*(?:\s+(?:of\s+|for\s+)?(?:the\s+)?[A-Z][\w'.&-]*)*)"
    r"(?:,\s+(?P<described>an?\s+[^,;:\"\u201c\u201d]{2,60}),)?\s+(?:has\s+|have\s+)?"
    r"(?:recorded|counted|documented|registered|tallied|verified)\s"
)
"""A body named at a sentence's head that counts what follows ("The X, a monitoring group,
recorded 1,100 deaths in March, it said"): whom the closing "it said" names."""
_PRONOUN_TAIL = re.compile(
    r",[\"\u201d]?\s+(?P<pronoun>he|she|they|it)\s+(?:(?:also|later|then)\s+)?"
    r"(?P<verb>said|says|added|told|wrote|explained|recalled|noted)\b"
    r"(?:\s+(?:on|in|at|to|last|earlier|this|by)\b[^,;:\"\u201c\u201d]{0,40}"
    r"|(?<=told)\s+[^,;:\"\u201c\u201d]{1,60})?[.!?]?\s*$"  # whom she told: "she told the X"
)
"""A sentence that closes on ", she said" (or on a quotation opened in a sentence before it,
'… more," she told X'): the pronoun's, whatever verbs come before."""


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
    r"\b(?:source|sources|official|officials|person|people|someone|member|members|leader|"
    r"leaders|resident|residents|elder|elders|activist|activists)\s*$"
)
"""A source known only by where it sits: "citing a source in the military" keeps "in the
military", "citing a community leader in Tolu" keeps "in Tolu"."""
_PLACE_END = re.compile(r"[,;:\"\u201c\u201d(\u2014]|\.(?:\s|$)|\s(?:that|who|which)\s|$")
