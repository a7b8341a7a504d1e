"""Where one sentence holds more than one claim, and whose each part is:

- clauses with a speaker each ("… killed, the Red Crescent said, while the government put
  the toll at 800");
- the writer's narration after an attribution that closes its clause ("…, local officials
  said on Thursday, as hundreds of families fled the district"): a figure there is the
  publisher's, said on publication, not the officials';
- the same speaker speaking on another occasion, named inside the sentence: an earlier
  figure ("the toll has risen to 38, officials said on Friday, up from 24 announced on
  Wednesday") and a relative clause on the speaker just named ("…, according to a count by the
  X, which said in a report last month that …"). Such a part is that speaker's, dated by its
  own words (`Clause.speaker`, whose pronoun `AGAIN` names the previous part's claimant);
- a headline's last clause that blames someone in a speaker's voice (`headlines.py`);
- an outlet that quotes someone in a relative clause after the speaker told it ("X confirmed
  the ambush to Radio Y, which quoted an engineer, Z, as saying …"): the part from the outlet
  on is the one quoted's, relayed by the outlet;
- what someone told the outlet, as its staff pass it on ("The presenter said fishermen had
  told the station on Monday that …"): the part is theirs, relayed by the outlet;
- a document someone was asked about, before their answer ("Questioned over a tally by X,
  released last week, that counted 96 deaths, Y told reporters …"): the figure is X's;
- another's earlier toll a speaker recalls, on its own date ("arguing that the ministry had
  reported a figure of 17 dead on Dec. 3"): the ministry's, on that date;
- a relative clause with a speaker of its own inside what was said ("X said the government
  would press on against the rebels, which it says have lost 80 villages"): "it" is the body the
  reported clause is about (the government), else the sentence's speaker."""

import re
from typing import Final, NamedTuple

from claimledger_server.extractions.figures_in_claims import figures_of
from claimledger_server.extractions.headlines import blaming_clause
from claimledger_server.extractions.saying import saying_subject
from claimledger_server.extractions.speaker_phrases import phrase_until_boundary, trim
from claimledger_server.extractions.speakers import Found, find_speaker
from claimledger_server.extractions.speech_verbs import VERB
from claimledger_server.extractions.statement_dates import DATE_WINDOW
from claimledger_server.extractions.when import attribution_date

MAX_SPLIT_CHARS: Final = 2_000
"""Longest sentence split into clauses by speaker (each split reads the sentence again)."""
AGAIN: Final = "again"
"""The pronoun of a `Found` that names the previous part's speaker again."""

_JOINT: Final = re.compile(r",\s+(?:while|whereas|but|as|where|and)\s+|;\s+")
"""Where a sentence may pass to another speaker: "…, a local official said, as aid agencies
warned that…", "… near the town, where rebels say they killed…", "…, the governor said, and
two more died in the north, according to the mayor"."""
_QUOTE_MARK: Final = re.compile(r"[\"\u201c\u201d]")
_AND: Final = re.compile(r",\s+and\s+")
_ARTICLE: Final = re.compile(r"(?:(?:the|a|an|its|their)\s+)?")
"""A joint that passes to another speaker only after an attribution that closes its clause:
"X said 12 died, and Y said" is one speaker's until "X said" has ended."""
_NARRATION: Final = re.compile(r",\s+as\s+")
"""Where the writer takes over after an attribution: "…, officials said, as residents fled"."""
_ATTRIBUTION_TAIL: Final = re.compile(r"(?:\s+[\w.]+){0,4}\s*")
"""What may follow a speech verb that closes its clause: its date ("said late on Thursday")."""
_EARLIER: Final = re.compile(
    r",\s+(?P<part>(?:up|down)\s+from\s+[^,;]{1,40}?\s+"
    r"(?P<verb>announced|given|reported|released|published|issued|cited|stated))\b"
)
"""The same total as the speaker gave it before: "…, up from 24 announced on Wednesday"; or as
another gave it ("…, up from 15 given by the police on Monday")."""
_BY_AGENT: Final = re.compile(r"\s+by\s+(?=\S)")
_JUDGED: Final = re.compile(
    r",\s+(?:a|an)\s+(?:figure|number|toll|count|tally|claim|estimate|account)\s+"
    r"(?:that\s+|which\s+)?(?:the\s+)?(?P<speaker>[A-Z][^,;:\"\u201c]{1,60}?)\s+"
    r"(?:also\s+|later\s+)?(?P<verb>calls?|called|denie[sd]|deny|disputed|disputes?|"
    r"rejected|rejects?|contested|contests?|dismissed|dismiss(?:es)?)\b"
)
"""A figure another party judges, set after it: "…, a figure the ministry calls inflated",
"…, a number the army also denied"."""
_EARLIER_GIVEN_BY: Final = re.compile(
    r",\s+(?:up|down)\s+from\s+(?:[\w,.-]+\s+){1,3}?(?:given|reported|announced|issued|"
    r"released|put\s+out)\s+(?:earlier\s+)?by\s+(?P<speaker>[^,;:\"\u201c]{2,60}?)"
    r"(?=\s+(?:this|last|on|earlier|yesterday|in|at)\b|[,;.]|$)"
)
"""The earlier toll a speaker's new one is set against, given by someone else: "…, up from 16
given by local officials this morning" is the officials' figure."""
_NEXT_REPORTED: Final = re.compile(r",\s+(?:and\s+)?that\b|;")
_RELATIVE_SPEAKER: Final = re.compile(r"\s*,\s+(?:which|who)\s+(?=\S)")
"""A relative clause right after the speaker phrase: "according to X, which said …"."""


_WHICH_IT_SAYS: Final = re.compile(
    r",\s+(?:which|who|whom)\s+(?P<pronoun>it|they|he|she)\s+"
    r"(?P<verb>says|said|say|claims|claimed|claim|estimates|estimated)\b"
)
"""A relative clause that a pronoun speaks: "…, which it says have lost 80 villages"."""
_SUBJECT: Final = (
    r"(?:the\s+)?(?P<body>[A-Za-z][\w'-]*(?:\s+[\w'-]+){0,3}?)\s+"
    r"(?:would|will|has|had|is|was|did|could|must|should|can|planned|plans|intends)\b"
)
_THAT_SUBJECT: Final = re.compile(r"\bthat\s+" + _SUBJECT)
_VERB_SUBJECT: Final = re.compile(r"\s+" + _SUBJECT)
"""The body a reported clause is about: "said (that) the government would not be deterred";
without "that", right after the verb."""


_WHICH_QUOTED: Final = re.compile(
    r"(?P<outlet>[A-Z\u00c0-\u00de][\w'.&\u00c0-\u00ff-]*(?:\s+(?:(?:de|del|da|do|of|the)\s+)?"
    r"[A-Z\u00c0-\u00de][\w'.&\u00c0-\u00ff-]*)*(?:\s+\d{1,4})?),\s+which\s+(?:also\s+)?"
    r"(?:quoted|cited)\s+(?P<who>(?:(?:its|their|his|her|the|an?)\s+)?[\w\s'-]{2,40}?"
    r"(?:,\s+(?P<name>[A-Z][^,;:\"\u201c\u201d]{1,60}?),)?)\s+as\s+(?:saying|telling|stating)\b"
)
"""An outlet the speaker told, quoting someone in a relative clause: "…, confirmed the ambush to
Radio Y, which quoted an engineer, Z, as saying …"."""


_TOLD_THE_OUTLET: Final = re.compile(
    r"\s+(?:that\s+)?(?P<who>[^,;:\"\u201c\u201d]{2,60}?)\s+(?:had\s+|have\s+|has\s+)?told\s+"
    r"(?:the\s+(?:station|channel|broadcaster|radio|newspaper|paper|programme|program|show)|us|"
    r"this\s+newspaper)\b"
)
"""Whom an outlet's own staff say told it: "said residents had told the station that …"."""


_ASKED_ABOUT: Final = re.compile(
    r"(?:Asked|Questioned|Pressed)\s+(?:about|on|over)\s+(?P<document>(?:a|an|the)\s+(?:[\w-]+\s+)?"
    r"(?:report|statement|count|tally|estimate|survey)\s+by\s+)(?P<who>[^,;:\"\u201c\u201d]{2,120}?)"
    r"(?=\s*,|\s+that\b)"
)
"""A document put to the speaker, whose author's figure comes before the answer."""


_RECALLED_TOLL: Final = re.compile(
    r"(?<![\w'])(?P<who>(?:the\s+)?[A-Z][^,;:\"\u201c\u201d]{1,60}?)\s+had\s+"
    r"(?:given|put|reported|announced|published|released)\s+(?P<what>(?:a|an|the|its|their)\s+"
    r"(?:toll|figure|count|tally|number)\b[^,;:\"\u201c\u201d]{1,40}?)(?=\s+(?:on|in|last)\s)"
)
"""Another's earlier toll that a speaker recalls, dated: "the ministry had reported a figure of
17 dead on Dec. 3"."""


class Clause(NamedTuple):
    start: int
    end: int
    narration: bool = False
    """The writer's: the publisher's claim."""
    speaker: Found | None = None
    """Who speaks this part, as the sentence's structure says (not a speech pattern)."""


def clauses(text: str, start: int, end: int) -> list[Clause]:
    """The parts of the sentence `text[start:end]` that are claims of their own."""
    if end - start > MAX_SPLIT_CHARS:
        return [Clause(start, end)]  # no sentence of an article is that long: not worth it
    if start == 0 and (blaming := blaming_clause(text, end)) is not None:
        split, speaker = blaming  # a headline's ", police blame rebels"
        return [Clause(start, split), Clause(split + 1, end, speaker=speaker)]
    parts: list[Clause] = []
    for joint in _JOINT.finditer(text, start, end):
        first = find_speaker(text, start, joint.start())
        second = find_speaker(text, joint.end(), end)
        if _AND.fullmatch(joint.group()) and not (
            _closes_with_attribution(text, first, joint) or _opens_on_speaker(text, second, joint)
        ):
            continue
        if first is not None and (second is not None or _narrates(text, first, joint, end)):
            parts.append(Clause(start, joint.start()))
            start = joint.end()
            if second is None:
                return [*parts, Clause(start, end, narration=True)]
    if (judged := _JUDGED.search(text, start, end)) is not None:
        # "…, a figure the ministry calls inflated": the ministry's word on it
        speaker = Found(*judged.span("speaker"), None, judged.end("verb"))
        return [
            *parts,
            Clause(start, judged.start()),
            Clause(judged.start() + 1, end, False, speaker),
        ]
    said = find_speaker(text, start, end)
    given = _EARLIER_GIVEN_BY.search(text, said.after, end) if said is not None else None
    if given is not None and (who := trim(text, *given.span("speaker"))) is not None:
        # "X said 21 …, up from 16 given by Y this morning, and that …": Y's 16, X's the rest
        then = _NEXT_REPORTED.search(text, given.end(), end)
        earlier = Found(*who, None, given.end("speaker"))
        rest = [Clause(then.start() + 1, end, speaker=said)] if then is not None else []
        stop = then.start() if then is not None else end
        return [
            *parts,
            Clause(start, given.start()),
            Clause(given.start() + 1, stop, speaker=earlier),
            *rest,
        ]
    if (voiced := _other_voice(text, start, end, said)) is not None:
        return [*parts, *voiced]
    again = _spoken_again(text, said, end) if said is not None and said.pronoun is None else None
    if again is not None:
        split, speaker = again
        return [*parts, Clause(start, split), Clause(split, end, speaker=speaker)]
    if said is not None and (inner := _WHICH_IT_SAYS.search(text, said.after, end)):
        return [
            *parts,
            Clause(start, inner.start()),
            Clause(inner.start() + 1, end, speaker=_pronoun_speaker(text, said, inner)),
        ]
    return [*parts, Clause(start, end)]


def _other_voice(text: str, start: int, end: int, said: Found | None) -> list[Clause] | None:
    """The parts of a sentence in which someone other than its speaker `said` speaks, by its
    structure: a document put to the speaker, another's earlier toll the speaker recalls,
    what someone told an outlet as its staff pass it on, an outlet quoting someone in a
    relative clause; None when it has none of these."""
    asked = _ASKED_ABOUT.match(text, start, said.start) if said is not None else None
    answer = text.rfind(",", start, said.start) if said is not None else -1
    if asked is not None and answer > asked.end("who"):
        # "Questioned over a tally by X … that counted 96 deaths, Y told": X's figure, Y's answer
        author = Found(*asked.span("who"), None, asked.end("who"))
        return [Clause(asked.start("document"), answer, speaker=author), Clause(answer + 1, end)]
    speaking = said or saying_subject(text, start, end)  # "X disputed it, arguing that …"
    recalled = _RECALLED_TOLL.search(text, speaking.after, end) if speaking is not None else None
    earlier = trim(text, *recalled.span("who")) if recalled is not None else None
    if recalled is not None and earlier is not None and _dated(text, recalled.end("what"), end):
        # "arguing that the ministry had reported a figure of 17 dead on Dec. 3": its own claim
        who = recalled.start("who")
        return [
            Clause(start, who),
            Clause(who, end, speaker=Found(*earlier, None, recalled.end("what"))),
        ]
    if said is not None and (told := _TOLD_THE_OUTLET.match(text, said.after, end)):
        # "the presenter said fishermen had told the station …": the fishermen's
        return [Clause(start, end, speaker=Found(*told.span("who"), None, told.end()))]
    if said is not None and (quoting := _WHICH_QUOTED.search(text, said.after, end)):
        quoted = quoting.span("name") if quoting.group("name") else quoting.span("who")
        return [
            Clause(start, quoting.end("outlet")),
            Clause(quoting.start("outlet"), end, speaker=Found(*quoted, None, quoting.end())),
        ]
    return None


def _pronoun_speaker(text: str, said: Found, inner: re.Match[str]) -> Found:
    """Who the pronoun of "…, which it says …" names: the body the reported clause before it
    is about ("said that the government would …"), else the sentence's speaker."""
    after = inner.end("verb")
    if inner.group("pronoun") in ("it", "they"):
        subject = _VERB_SUBJECT.match(text, said.after, inner.start())
        for that in _THAT_SUBJECT.finditer(text, said.after, inner.start()):
            subject = that  # the last: the nearest clause before the relative one
        if subject is not None and _agrees(subject.group("body"), inner.group("pronoun")):
            return Found(*subject.span("body"), None, after)
    return Found(inner.start("pronoun"), inner.start("pronoun"), AGAIN, after)


def _narrates(text: str, first: Found, joint: re.Match[str], end: int) -> bool:
    """Whether the part after `joint` is the writer's: the attribution before it closes its
    clause ("…, officials said Thursday, as …"), and the part has figures but no speaker."""
    if _NARRATION.fullmatch(joint.group()) is None or not _closes_clause(text, first, joint):
        return False
    return bool(figures_of(text, joint.end(), end))


def _closes_with_attribution(text: str, first: Found | None, joint: re.Match[str]) -> bool:
    """Whether the part before `joint` ends on its attribution, with nothing but its date
    after the verb ("…, the governor said, and …", "…, officials said on Monday, and …") and
    outside any quotation."""
    if first is None or first.end > first.after:
        return False  # "X said 12 died, and …": what X said may go on
    if _QUOTE_MARK.search(text, first.after, joint.start()):
        return False
    tail = text[first.after : joint.start()]
    return not tail.strip() or attribution_date(text, first.after, joint.start()) is not None


def _opens_on_speaker(text: str, second: Found | None, joint: re.Match[str]) -> bool:
    """Whether the part after `joint` opens on a speaker of its own and its verb ("…, and a
    security source told the paper that …")."""
    if second is None or second.pronoun is not None or second.end > second.after:
        return False
    return _ARTICLE.fullmatch(text, joint.end(), second.start) is not None


def _closes_clause(text: str, first: Found | None, joint: re.Match[str]) -> bool:
    """Whether the attribution `first` ends the part before `joint` ("…, officials said
    Thursday, and …"): what follows is no longer what they said."""
    return first is not None and bool(_ATTRIBUTION_TAIL.fullmatch(text, first.after, joint.start()))


def _spoken_again(text: str, said: Found, end: int) -> tuple[int, Found] | None:
    """Where the part of the sentence begins in which its speaker speaks again, and who
    speaks it: an earlier figure ("…, up from 24 announced on Sunday", or another's: "…, up
    from 15 given by the police on Monday") or a relative clause right after the speaker
    phrase ("according to X, which said in a report last month that …")."""
    earlier = _EARLIER.search(text, said.after, end)
    if earlier is not None and (agent := _BY_AGENT.match(text, earlier.end("verb"), end)):
        # "…, up from 15 given by local officials on Monday": another speaker's earlier total
        phrase = phrase_until_boundary(text, agent.end(), end)
        if phrase is not None and _dated(text, phrase[1], end):
            return earlier.start("part"), Found(*phrase, None, phrase[1])
    if earlier is not None and _dated(text, earlier.end("verb"), end):
        part = earlier.start("part")
        return part, Found(part, part, AGAIN, earlier.end("verb"))
    relative = _RELATIVE_SPEAKER.match(text, said.end, end)
    if relative is None or said.end < said.after:
        return None  # only a speaker named after its verb ("according to X") has one
    verb = VERB.match(text, relative.end(), end)
    if verb is None or not _dated(text, verb.end(), end):
        return None  # said on no other occasion: one claim ("X, which put the toll at 12")
    return relative.end(), Found(relative.end(), relative.end(), AGAIN, verb.end())


def _dated(text: str, after: int, end: int) -> bool:
    """Whether the words right after a speech verb say when it was said."""
    return attribution_date(text, after, min(end, after + DATE_WINDOW)) is not None


def _agrees(body: str, pronoun: str) -> bool:
    """Whether `pronoun` may name the body: "it" a singular one ("the government"), "they" a
    plural one; a count ("some 20 fighter jets had taken part") names no speaker."""
    if any(ch.isdigit() for ch in body):
        return False
    return body.endswith("s") == (pronoun == "they")
