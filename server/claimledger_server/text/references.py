"""Numbers in words whose noun is left out or that stand among other words, and whether
they are counts: what the sentence counted before ("sunk two and seized one", "another
eight", "four others were hurt", "three were children"), a total it changed to ("climbed to
four"), a part ("four of them"), things acted on ("two water points had been destroyed") —
and what is no count ("one of the deadliest attacks")."""

from typing import Final

from claimledger_server.text.lexicon import PEOPLE
from claimledger_server.text.numbers import Token
from claimledger_server.text.verbs import (
    ACTING_ON,
    CAPTURING,
    DETAINING,
    KILLING,
    WOUNDING,
    past_forms,
)

_PARTITIVE_HEADS = frozenset({"them", "whom", "those", "these", "us"})
_ACTION_VERBS = frozenset(
    {
        *("killed", "wounded", "injured", "freed", "released", "rescued"),
        *(
            form
            for form in past_forms((*ACTING_ON, *CAPTURING, *KILLING, *WOUNDING, *DETAINING))
            if " " not in form
        ),
    }
)
_ACTION_PHRASES = frozenset(
    tuple(form.split())
    for form in past_forms((*ACTING_ON, *CAPTURING, *KILLING, *DETAINING))
    if form.count(" ") == 1
)
"""Two-word verbs: "blew up three bridges", "gunned down six"."""


def acted_on(tokens: list[Token], first: int) -> bool:
    """ "sunk two and seized one": a number in words right after a verb that acts on what
    the sentence counted before (the noun is left out), or after "and" that joins it to the
    verb's first object ("struck the port and three power stations")."""
    if first > 0 and tokens[first - 1].lower in _ACTION_VERBS:
        return True
    if first > 1 and (tokens[first - 2].lower, tokens[first - 1].lower) in _ACTION_PHRASES:
        return True
    if first < 2 or tokens[first - 1].lower != "and":
        return False
    # "struck the airport and three power stations": the second object of the same verb
    for token in reversed(tokens[max(0, first - 7) : first - 1]):
        if token.lower in _ACTION_VERBS:
            return True
        if not token.lower[:1].isalpha():
            return False  # a comma, a number: another clause or another count
    return False


_RISEN = frozenset(
    {
        *("rose", "risen", "rising", "rises", "climbed", "climbing", "climbs", "jumped"),
        *("increased", "increasing", "grew", "grown", "surged", "soared", "fell"),
        *("fallen", "dropped", "decreased", "declined", "revised", "raised", "lowered"),
    }
)
_LEVEL_VERBS = frozenset({"stood", "stands", "stand", "standing", "remained", "remains"})


_MORE_OF_THE_SAME = frozenset(
    {("another",), ("a", "further"), ("an", "additional"), ("the", "other")}
)
"""More of what was counted before: "another eight", "the families of the other three"."""


_PASSIVE_AUXILIARIES: Final = frozenset({"was", "were", "had", "have", "has", "been", "being"})


def acted_on_after(tokens: list[Token], j: int) -> bool:
    """ "two water points had been destroyed", "three ambulances were seized": a noun the
    clause says was acted on, after it (a number in words with a noun the lexicon does not
    know is a count when something was done to what it counts)."""
    k = j
    while k < len(tokens) and k < j + 3 and tokens[k].lower in _PASSIVE_AUXILIARIES:
        k += 1
    if k == j or k >= len(tokens):
        return False
    if tokens[k].lower in ("also", "later", "all"):
        k += 1
    return k < len(tokens) and tokens[k].lower in _ACTION_VERBS


def one_of_the_most(tokens: list[Token], j: int) -> bool:
    """ "one of the deadliest attacks", "one of the worst": a superlative, no count."""
    words = [t.lower for t in tokens[j : j + 4]]
    if words[:2] != ["of", "the"] or len(words) < 3:
        return False
    return words[2] in _SUPERLATIVES or words[2].endswith("est")


_SUPERLATIVES: Final = frozenset({"most", "worst", "best", "least", "biggest", "largest"})


def elided_people(tokens: list[Token], j: int) -> bool:
    """ "four others were hurt", "three were children": a number in words whose noun is
    left out, counting more of what was counted before or a kind among them."""
    if j >= len(tokens):
        return False
    if tokens[j].lower == "others":
        return True
    if tokens[j].lower == "more" and (j + 1 >= len(tokens) or tokens[j + 1].lower in _AUXILIARIES):
        return True  # "five more had been killed", "and two more were missing"
    kind = j + 2 if j + 2 < len(tokens) and tokens[j + 1].lower in _MOSTLY else j + 1
    if tokens[j].lower not in ("were", "was") or kind >= len(tokens):
        return False
    return tokens[kind].lower in PEOPLE


_AUXILIARIES: Final = frozenset(
    {"were", "was", "had", "have", "has", "are", "is", "remain", "remained", "died", "later"}
)
_MOSTLY: Final = frozenset({"all", "mostly", "also", "both"})


def refers_back(tokens: list[Token], first: int) -> bool:
    """A number in words that counts what the sentence counted before, its noun left out: a
    total it changed to or stands at ("the toll had climbed to four", "rose to twelve",
    "stood at nine"), or more of the same ("19 bodies … and another eight", "the other
    three")."""
    if first >= 1 and (tokens[first - 1].lower,) in _MORE_OF_THE_SAME:
        return True
    if first < 2:
        return False
    joiner, verb = tokens[first - 1].lower, tokens[first - 2].lower
    if (verb, joiner) in _MORE_OF_THE_SAME:
        return True
    if joiner == "to" and _total_named_before(tokens, first - 1):
        return True  # "which brought the number of officers killed in the attack to three"
    return (joiner == "to" and verb in _RISEN) or (joiner == "at" and verb in _LEVEL_VERBS)


_TOTALS: Final = frozenset({"number", "toll", "tally", "total"})
_TOTAL_WINDOW: Final = 14


def _total_named_before(tokens: list[Token], to: int) -> bool:
    """Whether a total ("the number of …", "the toll") is named shortly before the "to" at
    `to` in the same clause, which gives the number it is brought to."""
    for k in range(to - 1, max(-1, to - _TOTAL_WINDOW), -1):
        if tokens[k].text in '.;:!?"':
            return False
        if tokens[k].lower in _TOTALS and k > 0 and tokens[k - 1].lower in ("the", "its", "their"):
            return True
    return False


def partitive(tokens: list[Token], j: int) -> bool:
    """ "four of them", "two of whom", "twelve of the dead": a part, in words, of people
    counted before ("one of them" is how a sentence starts, not a count, unless what befell
    that one follows: "one of them, a nurse, later died")."""
    if j + 1 >= len(tokens) or tokens[j].lower != "of":
        return False
    if tokens[j - 1].lower == "one":
        return _one_harmed(tokens, j)
    head = tokens[j + 1].lower
    if head == "the" and j + 2 < len(tokens):
        return tokens[j + 2].lower in PEOPLE
    return head in _PARTITIVE_HEADS


_ONE_OF: Final = frozenset({"them", "whom", "those"})
_HARMED: Final = frozenset(
    {"died", "killed", "wounded", "injured", "succumbed", "perished", "drowned", "missing"}
)
_ON_THE_WAY: Final = frozenset({"was", "had", "has", "been", "later", "then", "also", "is"})


def _one_harmed(tokens: list[Token], j: int) -> bool:
    """ "one of them, a policeman, died there", "one of whom was later killed": one of the
    people counted before, of whom the clause says what befell them (past an aside)."""
    if j + 1 >= len(tokens) or tokens[j + 1].lower not in _ONE_OF:
        return False
    k = j + 2
    if k < len(tokens) and tokens[k].text == ",":
        close = next(
            (m for m in range(k + 1, min(k + 8, len(tokens))) if tokens[m].text in ",.;"), None
        )
        if close is None or tokens[close].text != ",":
            return False
        k = close + 1
    while k < len(tokens) and tokens[k].lower in _ON_THE_WAY:
        k += 1
    return k < len(tokens) and tokens[k].lower in _HARMED


_HOW_HURT: Final = frozenset({"critically", "seriously", "gravely", "badly", "severely"})


def counted_part(tokens: list[Token], j: int, unspecified: bool) -> bool:
    """ "several of them": a part of the count before; "some of them" only when it says how
    badly they are hurt ("wounded, some of them critically", "some of them were in critical
    condition"), not what they are ("some of them teenagers"). "Several others" are more of
    what was counted before ("two were killed and several others wounded")."""
    if not unspecified and j < len(tokens) and tokens[j].lower == "others":
        return True
    return partitive(tokens, j) and (not unspecified or _hurt_so(tokens, j))


def _hurt_so(tokens: list[Token], j: int) -> bool:
    words = [t.lower for t in tokens[j + 2 : j + 7]]
    if words[:1] and words[0] in _HOW_HURT:
        return True
    condition = ("critical", "serious", "grave")
    return any(w in condition for w in words[:5]) and "condition" in words


def included_one(tokens: list[Token], first: int, after: int) -> bool:
    """ "12 soldiers, including one whose name was unknown": one of the people counted
    before, its noun left out and told by a relative clause."""
    return (
        first > 0
        and tokens[first - 1].lower in ("including", "among")
        and tokens[first].lower == "one"
        and after < len(tokens)
        and tokens[after].lower in ("who", "whose")
    )


_NOBODY: Final = frozenset({"no", "every", "any"})


def pronoun_one(tokens: list[Token], first: int) -> bool:
    """ "no one", "every one": a pronoun, not a count of one."""
    return first > 0 and tokens[first - 1].lower in _NOBODY and tokens[first].lower == "one"
