"""What a count counts: the metric words near a quantity ("3,000 soldiers killed or
wounded", "killed at least 30"), read within its clause and never past a neighbouring
quantity, so "300 killed and 2,700 wounded" gives each number its own."""

from typing import Final

from claimledger_server.figures.schemas import Metric
from claimledger_server.text.lexicon import Phrase
from claimledger_server.text.numbers import Token
from claimledger_server.text.verbs import (
    DETAINING,
    DISPLACING,
    DYING,
    KILLING,
    WOUNDING,
    acting_forms,
    past_forms,
)


def _phrases(metric: Metric, *wordings: str) -> dict[Phrase, Metric]:
    return {tuple(w.split()): metric for w in wordings}


_EITHER = ("killed", "dead", "wounded", "injured", "maimed")
AFTER: Final[dict[Phrase, Metric]] = {
    **{
        (a, joiner, b): "killed_or_wounded"
        for a in _EITHER
        for b in _EITHER
        for joiner in ("or", "and")
        if (a in ("killed", "dead")) != (b in ("killed", "dead"))
    },
    **_phrases("killed_or_wounded", "casualties", "casualty", "losses", "killed , wounded"),
    **_phrases("killed_or_wounded", "dead and injured", "out of action", "put out of action"),
    **_phrases("suicides", "took their own lives", "taken their own lives", "suicides"),
    **_phrases("suicides", "take their own lives", "taking their own lives", "suicide"),
    **_phrases("suicides", "killed themselves", "killing themselves", "committed suicide"),
    **_phrases("killed", "killed", "dead", "deaths", "death", "died", "die", "dies"),
    **_phrases(
        "killed", "killings", "fatalities", "slain", "perished", "lives lost", "lost their lives"
    ),
    **_phrases("killed", "lost his life", "irretrievable losses", "irrecoverable losses"),
    **_phrases("killed", "killed in action", "bodies", "were shot dead", "shot dead", "lives"),
    **_phrases("killed", "burned alive", "burnt alive", "buried alive", "burned to death"),
    **_phrases("killed", "irretrievably", "irrecoverably", "fatally"),
    **_phrases("wounded", "wounded", "injured", "injuries", "hurt", "wounds", "maimed"),
    # how badly the hurt are: "14 were in intensive care", "two in critical condition"
    **_phrases("wounded", "intensive care", "critical condition", "serious condition"),
    **_phrases("wounded", "stable condition", "grave condition", "life-threatening injuries"),
    # a part of the hurt by how badly, its clause ending there: "40 were injured, 10 seriously"
    **{
        (how, end): "wounded"
        for how in ("seriously", "critically", "gravely", "badly", "severely")
        for end in (",", ".", ";", "and")
    },
    **_phrases("captured", "captured", "prisoner", "prisoners", "pows", "prisoners of war"),
    **_phrases("captured", "taken captive", "captives", "surrendered", "taken prisoner"),
    **_phrases("captured", "laid down their arms", "laid down arms", "lay down their arms"),
    **_phrases("captured", "laying down their arms", "gave themselves up"),
    **_phrases("missing", "missing", "missing in action", "mia", "unaccounted for"),
    **_phrases("missing", "disappeared", "forcibly disappeared", "went missing", "vanished"),
    **_phrases("missing", "have disappeared", "have vanished"),
    # under what fell on them: "six people are still under the rubble", "trapped under debris"
    **{
        (*lead, prep, *the, heap): "missing"
        for lead in ((), ("trapped",))
        for prep in ("under", "beneath")
        for the in ((), ("the",))
        for heap in ("rubble", "debris", "ruins")
    },
    **_phrases("executed", "executed", "executions", "execution", "put to death"),
    **_phrases("deployed", "deployed", "sent", "stationed", "dispatched", "deployment"),
    **_phrases("deployed", "arrived", "sent in", "transferred", "redeployed"),
    **_phrases("deployed", "massed", "amassed"),
    **_phrases("displaced", "displaced", "fled", "refugees", "evacuated", "homeless"),
    **_phrases("displaced", "forced to flee", "forced from their homes", "uprooted"),
    **_phrases("displaced", "abandoned their homes", "abandoned their villages"),
    **_phrases("displaced", "abandoning their homes", "abandon their homes"),
    # "for their lives" is no death: those who ran, and those who fight it in hospital
    **_phrases("displaced", "ran for their lives", "running for their lives"),
    **_phrases("displaced", "fled for their lives", "fleeing for their lives"),
    **{
        (verb, "for", whose, life): "wounded"
        for verb in ("fighting", "battling", "struggling")
        for whose, life in (("their", "lives"), ("his", "life"), ("her", "life"))
    },
    **_phrases("detained", "detained", "arrested", "detainees", "in custody", "jailed"),
    **_phrases("detained", "imprisoned", "abducted", "deported"),
    **_phrases("displaced", "new arrivals", "arrivals", "asylum seekers", "asylum-seekers"),
    **_phrases("displaced", "idps", "internally displaced"),
    # the passive of every verb of the lexicon's harms ("were massacred", "were evicted")
    **_phrases("killed", *past_forms(KILLING), *past_forms(DYING)),
    **_phrases("wounded", *past_forms(WOUNDING)),
    **_phrases("detained", *past_forms(DETAINING)),
    **_phrases("displaced", *(f for f in past_forms(DISPLACING) if f != "relocated")),
}
"""Metric words after a quantity, the longest first where one starts another."""

BEFORE: Final[dict[str, Metric]] = {
    **dict.fromkeys(("killed", "killing", "kill", "kills", "toll"), "killed"),
    # the dead are who is buried: "we buried four of them"
    **dict.fromkeys(("buried", "burying", "bury", "buries"), "killed"),
    # a headline's present: "strikes kill six, injure 31"
    **dict.fromkeys(("wounded", "wounding", "wound", "injured", "injuring", "injures"), "wounded"),
    **dict.fromkeys(("injure",), "wounded"),
    **dict.fromkeys(("captured", "capturing", "captures"), "captured"),
    **dict.fromkeys(("lost", "losing", "loses", "losses", "casualties"), "killed_or_wounded"),
    **dict.fromkeys(("deployed", "deploying", "sent", "sending", "dispatched"), "deployed"),
    **dict.fromkeys(("evacuated", "displaced", "displacing"), "displaced"),
    **dict.fromkeys(("detained", "detaining", "arrested", "arresting"), "detained"),
    **dict.fromkeys(("executed", "executing"), "executed"),
    # a total named by its noun before the number: "deaths reached 1,200", "injuries to 40"
    **dict.fromkeys(("deaths", "fatalities"), "killed"),
    **dict.fromkeys(("injuries",), "wounded"),
    **dict.fromkeys(("arrests",), "detained"),
    **dict.fromkeys((f for f in acting_forms(KILLING) if " " not in f), "killed"),
    **dict.fromkeys((f for f in acting_forms(WOUNDING) if " " not in f), "wounded"),
    **dict.fromkeys((f for f in acting_forms(DETAINING) if " " not in f), "detained"),
    **dict.fromkeys((f for f in acting_forms(DISPLACING) if " " not in f), "displaced"),
}
"""Metric words before a quantity ("killed at least 30", "a death toll of 120")."""


def _pairs(metric: Metric, lemmas: tuple[str, ...]) -> dict[tuple[str, str], Metric]:
    found: dict[tuple[str, str], Metric] = {}
    for form in acting_forms(lemmas):
        first, _, second = form.partition(" ")
        if second and " " not in second:
            found[(first, second)] = metric
    return found


BEFORE_PHRASES: Final[dict[tuple[str, str], Metric]] = {
    **_pairs("killed", KILLING),
    **_pairs("detained", DETAINING),
    **_pairs("displaced", DISPLACING),
}
"""Two-word verbs right before a quantity: "gunned down six", "rounded up 20"."""

_BY_FIRST_WORD: dict[str, list[tuple[Phrase, Metric]]] = {}
for _phrase, _metric in sorted(AFTER.items(), key=lambda item: -len(item[0])):
    _BY_FIRST_WORD.setdefault(_phrase[0], []).append((_phrase, _metric))
BOUNDARIES: Final = frozenset('.;:!?()[]{}—"“”,')
"""Punctuation that ends the clause a metric word is looked for in."""
AFTER_WINDOW: Final = 12
BEFORE_WINDOW: Final = 4


_RELATIVES: Final = frozenset({"who", "that", "which"})
_CLAUSE_OPENERS: Final = frozenset({"that", "which", "who", "while", "whereas", "but"})
"""Words that open a clause: a metric word before one says nothing of a number after it
("200 had been wounded and that about 150 residents … had been abducted")."""
_KILLED_VERBS: Final = frozenset({"killed", "killing", "kill", "kills"})
_WOUNDED_VERBS: Final = frozenset({"wounded", "wounding", "injured", "injuring", "injures"})
_MOVING: Final = frozenset({"displaced", "deployed"})
_HURT: Final = frozenset({"wounded", "injured"})
_MAIN_VERB_AUXILIARIES: Final = frozenset({"were", "was", "had", "have", "has", "are", "is"})


def _past_relative(tokens: list[Token], j: int, stop: int) -> int:
    """Where the main clause goes on after a relative clause on the noun counted ("who
    surrendered were wounded"): its verb's auxiliary. A relative clause that opens with an
    auxiliary ("who were killed") or is not followed by one is read as it stands."""
    if j + 1 >= stop or tokens[j + 1].lower in _MAIN_VERB_AUXILIARIES:
        return j + 1
    for k in range(j + 2, stop):
        if tokens[k].text in BOUNDARIES:
            break
        if tokens[k].lower in _MAIN_VERB_AUXILIARIES:
            return k
    return j + 1


def metric_near(
    tokens: list[Token], first: int, last: int, floor: int, ceiling: int
) -> Metric | None:
    """The metric of the quantity at tokens `first` to `last` (exclusive): a metric verb
    right before it ("killed 5"), else the first metric words after it, else the nearest
    before it, looking no further back than `floor` and no further on than `ceiling` (the
    neighbouring quantities)."""
    if first - 1 > floor and (tokens[first - 2].lower, tokens[first - 1].lower) in BEFORE_PHRASES:
        return BEFORE_PHRASES[(tokens[first - 2].lower, tokens[first - 1].lower)]
    if first > floor and (metric := BEFORE.get(tokens[first - 1].lower)) is not None:
        if _both_verbs(tokens, first, floor):
            return "killed_or_wounded"  # "killed and wounded hundreds": one number for both
        if metric in _MOVING and any(t.lower in _HURT for t in tokens[first:last]):
            return "wounded"  # "evacuated 12 wounded soldiers": moved, they are the wounded
        return metric  # "killed 5 and wounded 12": the verb right before wins
    stop = min(ceiling, last + AFTER_WINDOW, len(tokens))
    j = first
    while j < stop:
        if tokens[j].text == "(" and j >= last and _acronym_at(tokens, j):
            j += 3  # "six members of the Volunteers for the Defence (VDP) were killed"
            stop = min(stop + 3, ceiling, len(tokens))
            continue
        if tokens[j].text in BOUNDARIES and j >= last:
            break
        if j > last and _name_goes_on(tokens, j):
            stop = min(stop + 1, ceiling, len(tokens))  # a name's words count as one
        if j >= last and _next_predicate(tokens, j, stop):
            break  # "rescued 86 migrants … and recovered the bodies of 11 others"
        if j == last and tokens[j].lower in _RELATIVES:
            j = _past_relative(tokens, j, stop)  # "the soldiers who surrendered were wounded"
            continue
        for phrase, metric in _BY_FIRST_WORD.get(tokens[j].lower, ()):
            size = len(phrase)
            if j + size <= stop and all(
                tokens[j + k].lower == word for k, word in enumerate(phrase)
            ):
                return metric
        j += 1
    for j in range(first - 1, max(floor, first - BEFORE_WINDOW) - 1, -1):
        if tokens[j].text in BOUNDARIES or tokens[j].lower in _CLAUSE_OPENERS:
            break
        if (metric := BEFORE.get(tokens[j].lower)) is not None:
            return metric
    return None


def _next_predicate(tokens: list[Token], j: int, stop: int) -> bool:
    """ "and" before a verb of its own that says no metric: the sentence goes on with what
    its subject did next, which says nothing of the count before it."""
    if tokens[j].lower != "and" or j + 1 >= stop:
        return False
    verb = tokens[j + 1].lower
    return verb.endswith("ed") and verb not in _BY_FIRST_WORD and verb not in BEFORE


_NAME_LINKS: Final = frozenset({"of", "for", "the", "and"})
"""Words inside a name ("Volunteers for the Defence of the Homeland")."""


def _name_goes_on(tokens: list[Token], j: int) -> bool:
    """Whether token `j` goes on with a capitalised name begun before it: "Defence" and
    "of the" in "members of the Volunteers for the Defence of the Homeland were killed"."""
    k = j - 1
    while k > 0 and tokens[k].lower in _NAME_LINKS:
        k -= 1
    if k < 0 or not tokens[k].is_word or not tokens[k].text[:1].isupper():
        return False
    if tokens[j].lower in _NAME_LINKS:
        n = j + 1
        while n < len(tokens) and tokens[n].lower in _NAME_LINKS:
            n += 1
        return n < len(tokens) and tokens[n].is_word and tokens[n].text[:1].isupper()
    return tokens[j].is_word and tokens[j].text[:1].isupper()


def _acronym_at(tokens: list[Token], j: int) -> bool:
    """An acronym in brackets at token `j`: part of a name, no end of the clause."""
    return (
        j + 2 < len(tokens)
        and tokens[j + 2].text == ")"
        and tokens[j + 1].is_word
        and tokens[j + 1].text.isupper()
    )


def _both_verbs(tokens: list[Token], first: int, floor: int) -> bool:
    """ "killed and wounded 300", "wounding or killing 40": a verb of each kind joined
    right before the number."""
    if first - 3 < floor or tokens[first - 2].lower not in ("and", "or"):
        return False
    pair = {tokens[first - 1].lower, tokens[first - 3].lower}
    return bool(pair & _KILLED_VERBS) and bool(pair & _WOUNDED_VERBS)
