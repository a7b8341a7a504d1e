"""The verbs of saying that attribute a sentence to its subject ("X said", "X testified",
"X counts"), each written once as its lemma and read in the forms news English uses of a
speaker: the past ("disclosed") and the present of one speaker ("discloses").

Some present forms are nouns too ("records", "counts", "notes", "documents"): those speak
only when a number or "that" follows them ("the monitor counts 1,146 deaths", not "hospital
records were lost"). A plural subject's bare verb ("local authorities estimate that …")
speaks only after a plural and before "that", where the word is no noun."""

import re
from typing import Final

from claimledger_server.text.verbs import inflect

_LEMMAS: Final = (
    *("say", "tell", "add", "explain", "state", "announce", "claim", "reveal", "warn"),
    *("insist", "note", "acknowledge", "confirm", "estimate", "write", "report", "deny"),
    *("describe", "urge", "criticise", "criticize", "condemn", "accuse", "blame", "allege"),
    *("post", "tweet", "dispute", "reject", "count", "decline", "record", "document"),
    *("verify", "register", "tally", "assess", "believe", "dismiss", "stress", "argue"),
    *("assert", "maintain", "concede", "admit", "vow", "pledge", "reply", "respond"),
    *("counter", "reiterate", "caution", "emphasise", "emphasize", "complain", "predict"),
    *("declare", "disclose", "testify", "recount", "recall", "observe", "contend"),
    *("mention", "remark", "inform", "specify", "clarify", "affirm", "underline"),
    *("highlight", "lament", "deplore", "decry", "denounce", "protest", "boast"),
    *("calculate", "conclude", "forecast", "project", "confide", "list"),
    *("retort", "exclaim", "whisper", "shout", "plead", "implore", "appeal", "suggest"),
)
_NOUN_LIKE: Final = frozenset(
    {
        *("counts", "records", "documents", "notes", "reports", "claims", "estimates"),
        *("tallies", "protests", "posts", "forecasts", "projects", "appeals", "remarks"),
        *("disputes", "responses", "replies", "counters", "states", "tweets", "pledges"),
        *("vows", "blames", "lists"),
    }
)
"""Present forms that are plural nouns as well."""
_SPEAKS_ON: Final = (
    r"(?=\s+(?:that\b|\d|(?:no|not|at|more|fewer|less|about|some|nearly|almost|over|up|as|"
    r"around|roughly|approximately|close|dozens|hundreds|thousands|several|between)\s))"
)


def _forms() -> tuple[set[str], set[str]]:
    plain: set[str] = set()
    noun_like: set[str] = set()
    for lemma in _LEMMAS:
        verb = inflect(lemma)
        plain.update(p for p in verb.pasts if p not in _NOT_SPEECH_PASTS)
        (noun_like if verb.third in _NOUN_LIKE else plain).add(verb.third)
    return plain, noun_like


_NOT_SPEECH_PASTS: Final = frozenset({"believed", "projected", "appealed", "suggested", "written"})
"""Pasts that more often say something else: "he believed he had been sent", "a projected
rise", "appealed against the verdict", "as the name suggested", "a written statement"."""
_PLAIN, _NOUN_LIKE_FORMS = _forms()
_KNOWN_NOUN_VERBS: Final = frozenset({"reports", "claims", "estimates", "denies"})
"""Present forms long read as verbs wherever they stand ("the army claims …")."""

SPEECH_VERBS: Final = (
    *sorted(_PLAIN | _KNOWN_NOUN_VERBS),
    "say",  # a plural's: "rebels say", "officials say"
    "called for",
    "calls for",
    # a noun-like present form speaks before a number or "that"
    r"(?:" + "|".join(sorted(_NOUN_LIKE_FORMS - _KNOWN_NOUN_VERBS)) + r")" + _SPEAKS_ON,
    # the plural's verb ("local authorities estimate that…"): only after a plural subject
    # and before "that", where the word is no noun ("a report that…" has no "s " before it)
    r"(?<=s )(?:estimate|warn|allege|insist|believe|report|claim|confirm|deny|accuse|"
    r"fear|stress|agree|acknowledge|maintain|argue|say|testify|recall|note|count|record)"
    r"(?= that\b| ['\u2018\"\u201c]| \d)",  # or before a quotation or a number: "rebels claim '40'"
    # the plural's telling whom, then what: "local doctors tell the agency that …"
    r"(?<=s )(?:tell|inform)(?= (?:[\w'.-]+ ){1,4}that\b)",
    # a plural's denial of what was said before: "officials dispute the figure"
    r"(?<=s )(?:dispute|deny|reject|contest|question|dismiss)"
    r"(?= (?:that|the|this|these|those|its|their|his|her|such)\b)",
    # a statement or figures given out, said to be the speaker's: "the group gave similar
    # figures in a statement, saying…", "the army issued a statement saying…"
    r"(?:gave|gives|issued|issues|released|releases|published|publishes)\s+"
    r"(?:[a-z'-]+\s+){0,3}?(?:statement|figures?|toll|tally|estimates?|numbers)\b",
    # a list or figures handed to someone: "the elder gave the paper a list of 57 names"
    r"(?:gave|gives|handed|hands|provided|provides|showed|shows|sent|sends)\s+"
    r"(?:[\w'.-]+\s+){0,4}?(?:a|an|the|his|her|its|their)\s+(?:[a-z-]+\s+)?"
    r"(?:list|tally|count|figures?|toll|register|record)\s+of\b",
    # a total the speaker changed: "the ministry raised its toll to 33", "revised the count"
    r"(?:raised|raises|raising|revised|revises|revising|lowered|lowers|lowering|updated|"
    r"updates|updating)\s+(?:its|their|his|her|the)\s+(?:[a-z'-]+\s+){0,2}?"
    r"(?:toll|count|tally|figure|estimate|total)(?=\s+(?:to|up|down|upwards?|downwards?)\b)",
    # "put the army's death toll at 12": a possessive may stand before the total; a
    # headline drops the article ("residents put toll higher")
    r"(?:put|puts|putting|placed|places)(?= (?:the (?:[\w'\u2019-]+ ){0,3}?|(?:death )?)"
    r"(?:toll|number|figure|count|total|tally)\b|"
    # or what it counts, then the figure after "at": "put combined losses on both sides at
    # more than 5,000", "put Marnia's total losses since the war began at 12,000"
    r" [^.;:\"\u201c\u201d]{0,80}?\b(?:losses|deaths|casualties|dead|wounded|displaced)\b"
    r"[^.;:\"\u201c\u201d]{0,60}? at (?:(?:about|around|some|nearly|almost|over|roughly|"
    r"more than|at least|up to) )?\d)",
    # deaths laid to a cause: "it attributed 12 deaths to shelling"
    r"(?:attributed|attributes)(?= (?:[\w,-]+ ){1,3}?(?:deaths|killings|casualties) to\b)",
    # naming something in quotes: "the union called the figure "invented"", "he called
    # the attackers "criminals"" (not "called for", "called on", "a group called X")
    r"(?:called|calls)(?=\s+(?:the|a|an|it|them|him|her|this|that|these|those|his|its|their)"
    r"\b[^.;:\"\u201c\u201d]{0,60}[\"\u201c])",
    # a finding: "investigators found that …"
    r"(?:found|finds)(?= that\b)",
    # how someone spoke first or last: "the anchor opened by saying that …"
    r"(?:opened|opens|began|begins|started|starts|closed|closes|ended|ends|concluded|"
    r"concludes)\s+by\s+(?:saying|telling|stating|noting|announcing|reporting)",
    # what someone spoke of: "the army spoke of "about 60 terrorists neutralised""
    r"(?:spoke|speaks)\s+of",
    # spoken of in the passive: "X was quoted as saying"
    r"(?:was|were|is|are|been)\s+quoted(?=\s+(?:by\s|as\s+saying|in\s))",
)
VERB: Final = re.compile(
    r"\b(?:" + "|".join(sorted(set(SPEECH_VERBS), key=len, reverse=True)) + r")\b"
)
INVERTED: Final = frozenset(
    {"said", "says", "added", "wrote", "noted", "explained", "recalled", "recounted"}
    | {"insisted", "stressed", "warned", "argued", "observed", "testified"}
)
"""Verbs news puts before their speaker ("…, said Maria Kovac"); "told X" names a hearer."""
