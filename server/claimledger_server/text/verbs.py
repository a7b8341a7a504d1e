"""English verbs by what they do to the people or things a count counts, each written once
as its lemma and read in every inflection ("massacre" is "massacres", "massacred",
"massacring"), so that a rule reading "killed 40" reads "slaughtered 40" and "gunned down
40" as well, and a wording no article used yet is known because English has it.

    forms("gun down") -> {"gun down", "guns down", "gunned down", "gunning down"}

The groups are what the metric rules ask of a verb (`metrics.py`, `count_metrics.py`):
whom it kills, wounds, detains, drives from home; what it takes, or otherwise acts on."""

from collections.abc import Iterable
from typing import Final, NamedTuple


class Forms(NamedTuple):
    """A verb's inflections: "kills", ("killed",), "killing"."""

    base: str
    third: str
    pasts: tuple[str, ...]
    """Past tense and past participle ("took", "taken")."""
    ing: str


_IRREGULAR: Final[dict[str, tuple[str, tuple[str, ...], str]]] = {
    "slay": ("slays", ("slew", "slain"), "slaying"),
    "shoot": ("shoots", ("shot",), "shooting"),
    "take": ("takes", ("took", "taken"), "taking"),
    "retake": ("retakes", ("retook", "retaken"), "retaking"),
    "drive": ("drives", ("drove", "driven"), "driving"),
    "flee": ("flees", ("fled",), "fleeing"),
    "hold": ("holds", ("held",), "holding"),
    "sink": ("sinks", ("sank", "sunk"), "sinking"),
    "blow": ("blows", ("blew", "blown"), "blowing"),
    "bring": ("brings", ("brought",), "bringing"),
    "burn": ("burns", ("burned", "burnt"), "burning"),
    "overrun": ("overruns", ("overran", "overrun"), "overrunning"),
    "lose": ("loses", ("lost",), "losing"),
    "hit": ("hits", ("hit",), "hitting"),
    "strike": ("strikes", ("struck",), "striking"),
    "set": ("sets", ("set",), "setting"),
    "shut": ("shuts", ("shut",), "shutting"),
    "seek": ("seeks", ("sought",), "seeking"),
    "feed": ("feeds", ("fed",), "feeding"),
    "send": ("sends", ("sent",), "sending"),
    "die": ("dies", ("died",), "dying"),
    "find": ("finds", ("found",), "finding"),
    "level": ("levels", ("levelled", "leveled"), "levelling"),
    "kidnap": ("kidnaps", ("kidnapped", "kidnaped"), "kidnapping"),
    "mow": ("mows", ("mowed", "mown"), "mowing"),
    "tear": ("tears", ("tore", "torn"), "tearing"),
    "break": ("breaks", ("broke", "broken"), "breaking"),
    "fight": ("fights", ("fought",), "fighting"),
    "leave": ("leaves", ("left",), "leaving"),
    "rebuild": ("rebuilds", ("rebuilt",), "rebuilding"),
    "cut": ("cuts", ("cut",), "cutting"),
    "lock": ("locks", ("locked",), "locking"),
    "put": ("puts", ("put",), "putting"),
    "beat": ("beats", ("beat", "beaten"), "beating"),
    "hurt": ("hurts", ("hurt",), "hurting"),
    "say": ("says", ("said",), "saying"),
    "tell": ("tells", ("told",), "telling"),
    "write": ("writes", ("wrote", "written"), "writing"),
}
_VOWELS: Final = frozenset("aeiou")


def _syllables(word: str) -> int:
    """Runs of vowels: enough to tell "drop" (one) from "target" (two)."""
    return sum(
        1 for i, c in enumerate(word) if c in _VOWELS and (i == 0 or word[i - 1] not in _VOWELS)
    )


_STRESSED_LAST: Final = frozenset(
    {
        *("admit", "airdrop", "expel", "repel", "compel", "propel", "commit", "submit"),
        *("permit", "omit", "control", "patrol", "equip", "regret", "occur", "deter"),
        *("refer", "prefer", "confer", "transfer", "rebut", "abet", "acquit", "outfit"),
    }
)
"""Longer verbs stressed on their last syllable, which double its consonant ("repelled")."""


def _doubles(word: str) -> bool:
    """A word ending consonant, vowel, consonant doubles its last letter before -ed and
    -ing when it has one syllable ("drop", "stab", "rob") or is stressed on the last."""
    if len(word) < 3 or word[-1] in "wxy" or word[-1] in _VOWELS:
        return False
    if word[-2] not in _VOWELS or word[-3] in _VOWELS:
        return False
    return _syllables(word) == 1 or word in _STRESSED_LAST


def inflect(word: str) -> Forms:
    """The inflections of a one-word verb, by English spelling rules. Checked against
    lemminflect 0.2.3 on every lemma of the groups below: the same forms, but for variant
    spellings it lists beside them ("targetted", "re-taken"). It is not a dependency: it
    needs numpy, for a table this module writes in a page."""
    if word in _IRREGULAR:
        third, pasts, ing = _IRREGULAR[word]
        return Forms(word, third, pasts, ing)
    if word.endswith(("s", "x", "z", "ch", "sh")) or (
        word.endswith("o") and word[-2] not in _VOWELS
    ):
        third = word + "es"  # "torpedoes", "vetoes"
    elif word.endswith("y") and word[-2] not in _VOWELS:
        third = word[:-1] + "ies"
    else:
        third = word + "s"
    if word.endswith(("ee", "ye", "oe")):
        past, ing = word + "d", word + "ing"  # "agreeing", "dyeing", "canoeing"
    elif word.endswith("ie"):
        past, ing = word + "d", word[:-2] + "ying"  # "tied", "tying"
    elif word.endswith("c") and word[-2] in _VOWELS:
        past, ing = word + "ked", word + "king"  # "panicked", "mimicking"
    elif word.endswith("e"):
        past, ing = word + "d", word[:-1] + "ing"
    elif word.endswith("y") and word[-2] not in _VOWELS:
        past, ing = word[:-1] + "ied", word + "ing"
    elif _doubles(word):
        past, ing = word + word[-1] + "ed", word + word[-1] + "ing"
    else:
        past, ing = word + "ed", word + "ing"
    return Forms(word, third, (past,), ing)


def _phrasal(lemma: str) -> tuple[Forms, str]:
    head, _, rest = lemma.partition(" ")
    return inflect(head), f" {rest}" if rest else ""


def forms(lemma: str) -> frozenset[str]:
    """Every inflection of `lemma`; a phrasal verb inflects its first word ("gun down")."""
    verb, tail = _phrasal(lemma)
    return frozenset(f + tail for f in (verb.base, verb.third, *verb.pasts, verb.ing))


def past_forms(lemmas: Iterable[str]) -> frozenset[str]:
    """Past tense and participle: what follows "were"/"had been" ("were massacred")."""
    found: set[str] = set()
    for lemma in lemmas:
        verb, tail = _phrasal(lemma)
        found.update(p + tail for p in verb.pasts)
    return frozenset(found)


def ing_forms(lemmas: Iterable[str]) -> frozenset[str]:
    """The -ing forms: "torching 14 shops", "seizing two towns"."""
    found: set[str] = set()
    for lemma in lemmas:
        verb, tail = _phrasal(lemma)
        found.add(verb.ing + tail)
    return frozenset(found)


def acting_forms(lemmas: Iterable[str]) -> frozenset[str]:
    """The forms that stand right before their object in news English: "massacred 40",
    "massacring 40", "massacres 40" (not the bare lemma, which is also a noun)."""
    found: set[str] = set()
    for lemma in lemmas:
        verb, tail = _phrasal(lemma)
        found.update(f + tail for f in (verb.third, *verb.pasts, verb.ing))
    return frozenset(found)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, the longest first, spaces matching any run."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(w.replace(" ", r"\s+") for w in ordered)


KILLING: Final = (
    *("kill", "massacre", "murder", "slaughter", "slay", "assassinate", "behead"),
    *("decapitate", "lynch", "gun down", "shoot dead", "mow down", "martyr", "butcher"),
    *("exterminate", "eliminate", "liquidate", "neutralise", "neutralize", "annihilate"),
    *("wipe out",),
)
"""Verbs whose object is dead after them: "massacred 40 villagers"."""
DYING: Final = ("die", "perish", "drown", "succumb", "suffocate", "starve to death")
"""Verbs whose subject is dead: "30 migrants drowned"."""
WOUNDING: Final = ("wound", "injure", "maim", "hurt", "mutilate", "hospitalise", "hospitalize")
DETAINING: Final = (
    *("detain", "arrest", "abduct", "kidnap", "apprehend", "jail", "imprison"),
    *("incarcerate", "round up", "lock up", "snatch"),
)
DISPLACING: Final = (
    *("displace", "uproot", "evict", "expel", "evacuate", "relocate", "drive out"),
    *("force out", "chase out"),
)
CAPTURING: Final = (
    *("capture", "seize", "overrun", "recapture", "retake", "regain", "recover"),
    *("confiscate", "commandeer", "impound", "hijack", "liberate", "occupy"),
)
"""What is taken: places and equipment (and, of soldiers, prisoners)."""
ACTING_ON: Final = (
    *("destroy", "damage", "hit", "strike", "shell", "bomb", "attack", "target", "raid"),
    *("burn", "torch", "raze", "demolish", "bulldoze", "loot", "ransack", "plunder"),
    *("pillage", "blow up", "shoot down", "bring down", "down", "intercept", "launch"),
    *("fire", "drop", "sink", "sabotage", "disable", "knock out", "flatten", "gut"),
    *("set fire to", "set ablaze", "close", "shut", "repel", "repulse", "foil", "thwart"),
    *("carry out", "conduct", "stage", "mount", "wreck", "detonate", "vandalise", "set alight"),
    *("vandalize", "storm", "ambush", "overturn", "smash", "shut down", "block", "cut off"),
    *("rebuild", "deliver", "distribute", "airdrop", "dismantle", "defuse", "find"),
    *("uncover", "discover", "lose", "tear down", "break into", "flood", "inundate", "submerge"),
    *("swamp", "wash away", "reduce to rubble", "reduce to ruins", "reduce to ashes", "collapse"),
)
"""What is done to things counted (GUIDELINES.md: metric `other`): "ransacked 14 shops"."""
HELPING: Final = (
    *("rescue", "free", "release", "feed", "reach", "assist", "treat", "vaccinate"),
    *("shelter", "house", "host", "accommodate", "recruit", "conscript", "enlist"),
    *("repatriate", "swap", "exchange", "evacuate", "resettle", "register", "support"),
)
"""What is done for (or with) people counted, none of the harms: metric `other` unless a
rule says more ("rescued 86 migrants", "reached 650,000 people with food")."""
