"""The name a speaker phrase carries, for `actors.py`: a person's name at its end ("Congo's
government spokesman Patrick Muyaya"), a name after a description in lower case ("rights
group Vigil"), and whether a capitalised name looks like a person's or like a group's
("Islamic Relief", "Al Shabaab")."""

from typing import Final

from claimledger_server.extractions.names import NAME_PARTICLES
from claimledger_server.extractions.titles import TITLES

ORGANISATION_HEADS: Final = frozenset(
    {
        *("commission", "ministry", "office", "council", "agency", "army", "command"),
        *("forces", "force", "front", "union", "network", "service", "services", "group"),
        *("alliance", "organisation", "organization", "committee", "movement", "party"),
        *("court", "bank", "university", "observatory", "programme", "program", "fund"),
        *("corporation", "company", "department", "administration", "authority"),
        *("authorities", "government", "staff", "navy", "guard", "corps", "brigade"),
        *("battalion", "regiment", "division", "society", "association", "institute"),
        *("centre", "center", "mission", "coalition", "federation", "helmets", "crescent"),
        *("cross", "parliament", "assembly", "cabinet", "presidency", "police", "news", "team"),
    }
)
"""The last word of a body's name ("Ethiopian Human Rights Commission"): no person's name,
and what "the commission said" refers back to."""
_PLACE_WORDS: Final = frozenset(
    {"in", "at", "from", "near", "outside", "inside", "across", "to", "by", "with", "into"}
)
_CONNECTORS: Final = frozenset({"for", "of", "and", "on", "the", "de", "des", "du", "&"})


def _is_title(word: str) -> bool:
    lowered = word.lower().rstrip(".")
    return lowered in TITLES or lowered.endswith(("ian", "ean", "ese", "ish", "'s"))


_OUTLET_HEADS: Final = frozenset({"radio", "television", "tv"})
"""The last word of an outlet's name ("Marnia's National Radio"): no person's."""


def person_name(phrase: str) -> str | None:
    """The person's name a speaker phrase ends with ("Congo's government spokesman Patrick
    Muyaya" → "Patrick Muyaya"), or an organisation's acronym after its description ("U.N.
    humanitarian office OCHA" → "OCHA")."""
    words = phrase.split()
    run: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper() and word.lower().split("-")[0] not in NAME_PARTICLES:
            break
        run.insert(0, word)
    if len(run) < len(words):
        before = words[len(words) - len(run) - 1].lower()
        if before in _CONNECTORS or before in _PLACE_WORDS or before[:1].isdigit():
            return None  # "Syrian Observatory for Human Rights", "a doctor in Bahir Dar"
    if run and run[-1].lower().strip(".,") in ORGANISATION_HEADS | _OUTLET_HEADS:
        return None  # "Ethiopian Human Rights Commission": a body, not a person
    if names_a_cause(" ".join(run)):
        return None  # "the charity Islamic Relief": a group, named after its description
    titled = [i for i, word in enumerate(run) if word.lower().rstrip(".") in TITLES]
    named = run[titled[-1] + 1 :] if titled else run  # "Acting Sumy Mayor Artem Kobzar"
    while named and _is_title(named[0]):
        named = named[1:]
    if 2 <= len(named) < len(words):
        return " ".join(named)
    if len(run) == 1 and len(words) > 1 and run[0].isupper() and len(run[0]) > 1:
        return run[0]
    return None


def described_name(phrase: str) -> str | None:
    """The name a description in lower case comes before ("paramilitary Rapid Support
    Forces" → "Rapid Support Forces", "rights group Vigil" → "Vigil"); None for a phrase of
    another shape ("local officials in Kharkiv", "al Qaeda-linked JNIM group")."""
    words = phrase.split()
    described = 0
    while described < len(words) and words[described].islower():
        if not words[described].replace("-", "").isalpha() or words[described] in _CONNECTORS:
            return None
        if words[described] in _PLACE_WORDS or words[described] in NAME_PARTICLES:
            return None
        described += 1
    named = words[described:]
    if not 1 <= described <= 3 or not named:
        return None
    if not all(w[:1].isupper() or w.lower() in NAME_PARTICLES for w in named):
        return None
    return " ".join(named)


def looks_personal(name: str) -> bool:
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not names_a_cause(name)
        and not (len(words) == 2 and words[0] in _ARTICLES_OF_NAMES)
    )


_ARTICLES_OF_NAMES: Final = frozenset({"Al", "El", "Le", "La"})
"""An article that opens a two-word name makes it a group's or a paper's, not a person's
("Al Shabaab", "El Watan"); a person's name has it inside ("Ali Al Ahmad")."""


_CAUSE_WORDS: Final = frozenset(
    {
        *("without", "against", "sans", "frontières", "frontieres", "médecins", "medecins"),
        *("doctors", "physicians", "reporters", "relief", "aid", "vision", "hunger", "rescue"),
        *("rights", "mercy", "children", "refugees", "borders", "humanitarian", "insight"),
        *("initiative", "lifeline", "call", "alert", "action", "world"),
    }
)
"""Words of the names aid, rights and monitoring groups take ("Doctors Without Borders",
"Islamic Relief", "World Vision", "Geneva Call") that a person's name is not made of."""


def names_a_cause(name: str) -> bool:
    """Whether a capitalised name is a group's, by a word no person's name has."""
    return any(word.lower().strip(".,'\u2019") in _CAUSE_WORDS for word in name.split())
