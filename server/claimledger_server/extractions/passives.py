"""Speakers named as the agent of a passive: "It was claimed by a spokesman that …", "30 boats
were said by the union to have burned", "the strike was blamed on X by the ministry", "2
million people are considered by the WFP to be in need", "it was estimated by the group".

The verb is any form of saying, claiming, estimating or judging in its past participle, after
a form of "be" (an adverb or a day may stand between: "was later stated", "was stated on
Tuesday by"); the speaker is the phrase after "by" (with the words the verb takes before it:
"blamed on U.S. aircraft by"), or the name its description is given right after ("by a
military spokesman, Colonel X, that"). A passive with no "by" names no speaker ("two were said
to be boys"): the sentence's subject is what was said about, not who said it. Being quoted or
cited by someone is no passive of this kind ("X was quoted by Y as saying": Y relays X)."""

import re
from typing import Final, NamedTuple

from claimledger_server.extractions.names import looks_like_name, without_full_stop
from claimledger_server.extractions.speaker_phrases import PHRASE_END, trim
from claimledger_server.text.verbs import alternation, past_forms

_ATTRIBUTING: Final = (
    *("say", "state", "claim", "estimate", "report", "announce", "acknowledge", "confirm"),
    *("deny", "blame", "allege", "assert", "declare", "record", "document", "count"),
    *("tally", "assess", "calculate", "put", "give", "consider", "believe", "think", "judge"),
    *("describe", "dispute", "reject", "disclose", "reveal", "tell", "write", "verify"),
    *("register", "project", "forecast", "suggest", "note", "attribute"),
)
"""Verbs whose agent, in the passive, is who said or judged it ("it was estimated by X")."""
_BE: Final = r"(?:was|were|is|are|been)"
"""A passive stated, not one required or awaited ("must be confirmed by two sources")."""
_PASSIVE: Final = re.compile(
    r"\b" + _BE + r"\s+(?:(?:also|later|earlier|widely|first|separately|further)\s+)?"
    r"(?P<verb>" + alternation(past_forms(_ATTRIBUTING)) + r")\b"
)
_BY: Final = re.compile(
    r"\s+(?:(?:on|upon|to|at|in|against)\s(?:[^,;:\"\u201c\u201d.()]|(?<=[A-Z])\.){0,60}?\s)?by\s+"
)
"""What the verb takes before "by", each after a preposition ("blamed on U.S. and British
aircraft by", "stated on Tuesday by", "put at 40 by"); not another participle ("were
reported killed by shelling" names no speaker)."""
_AGENT_END: Final = re.compile(
    PHRASE_END.pattern + r"|\s(?:to|as|for|after|over|about|with|at|but|and)\s"
)
_NAMED_AFTER: Final = re.compile(r",\s*(?P<name>[A-Z][^,;:\"\u201c\u201d()]{2,80}?)\s*,")
"""The name a described agent is given, set off by commas ("by a spokesman, Colonel X,")."""


class Agent(NamedTuple):
    """The agent's phrase, where the words after it begin (its date, "that …") and what the
    text calls it when a name follows its description."""

    start: int
    end: int
    after: int
    described: tuple[int, int] | None
    verb: tuple[int, int]
    """The passive's words ("was claimed"), which name no speaker before them."""


def passive_agent(text: str, start: int, end: int) -> Agent | None:
    """The first passive of saying in `text[start:end]` that names who said it."""
    for passive in _PASSIVE.finditer(text, start, end):
        by = _BY.match(text, passive.end(), end)
        if by is None:
            continue
        stop = _AGENT_END.search(text, by.end(), end)
        phrase = trim(text, by.end(), stop.start() if stop else end)
        if phrase is None:
            continue
        named = _NAMED_AFTER.match(text, phrase[1], end)
        if named is not None:
            name = (named.start("name"), without_full_stop(text, *named.span("name")))
            if looks_like_name(text[slice(*name)]):
                return Agent(*name, named.end(), phrase, passive.span())
        return Agent(*phrase, phrase[1], None, passive.span())
    return None
