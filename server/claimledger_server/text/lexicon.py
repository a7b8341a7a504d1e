"""The words the quantity parser knows, as data: qualifier wordings, vague magnitudes, the
nouns that say what is counted, and the units that say a number is not a count at all.

Every phrase is a tuple of lowercased tokens, as `numbers.tokenize` splits them (a word, a
number, or one punctuation character)."""

from typing import Final

Phrase = tuple[str, ...]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(qualifier: str, *wordings: str) -> dict[Phrase, str]:
    return {tuple(w.split()): qualifier for w in wordings}


_MORE_THAN_BASES = (
    *("over", "more than", "above", "greater than", "larger than", "bigger than"),
    *("higher than", "in excess of", "upwards of", "upward of", "north of"),
)
_INTENSIFIERS = ("well", "just", "slightly", "a little", "far", "much", "many", "considerably")
_FEWER_THAN_BASES = ("fewer than", "less than", "under", "below", "lower than", "smaller than")

PREFIX_QUALIFIERS: Final[dict[Phrase, str]] = {
    **_phrases("more_than", *_MORE_THAN_BASES, ">", "exceeding", "exceeded", "exceeds"),
    **_phrases("more_than", "exceed", "surpassed", "surpassing", "surpasses", "topped"),
    **_phrases("more_than", "topping", "tops", "passed", "passing"),
    **{
        (*i.split(), *b.split()): "more_than"
        for i in _INTENSIFIERS
        for b in ("over", "more than", "above", "in excess of")
    },
    **_phrases("at_least", "at least", "at the least", "at the very least", "no less than"),
    **_phrases("at_least", "as few as", "as little as"),
    **_phrases("at_least", "no fewer than", "not less than", "not fewer than", "a minimum of"),
    **_phrases("at_least", "minimum of", "no lower than", "> =", "≥"),
    **{
        (*c.split(), *tail.split()): "at_least"
        for c in ("more", "greater", "larger", "bigger", "higher")
        for tail in ("or equal to", "or equal than", "than or equal to", "than or equal")
    },
    **_phrases("at_least", "equal to or more than", "equal to or greater than"),
    **_phrases("at_least", "equal to or larger than", "equal to or higher than"),
    **_phrases("at_most", "up to", "at most", "at the most", "at the very most", "no more than"),
    **_phrases("at_most", "not more than", "no greater than", "no larger than", "no higher than"),
    **_phrases("at_most", "not exceeding", "a maximum of", "maximum of", "as many as", "< =", "≤"),
    **_phrases("at_most", "as high as", "as much as"),
    **{
        (*c.split(), *tail.split()): "at_most"
        for c in ("less", "fewer", "smaller", "lower")
        for tail in ("or equal to", "or equal than", "than or equal to", "than or equal")
    },
    **_phrases("at_most", "equal to or less than", "equal to or fewer than"),
    **_phrases("at_most", "equal to or smaller than", "equal to or lower than"),
    **_phrases("fewer_than", *_FEWER_THAN_BASES, "<"),
    **{
        (*i.split(), *b.split()): "fewer_than"
        for i in ("well", "slightly", "a little", "far", "much", "considerably")
        for b in _FEWER_THAN_BASES
    },
    **_phrases("nearly", "nearly", "almost", "close to", "closer to", "just under", "just below"),
    **_phrases("nearly", "just short of", "just shy of", "approaching", "nearing", "not quite"),
    **_phrases("nearly", "a little under", "a little below"),
    **_phrases("nearly", "very nearly", "very close to", "almost exactly"),
    **_phrases("approximately", "about", "around", "roughly", "approximately", "approx", "some"),
    **_phrases("approximately", "approx .", "an estimated", "estimated", "circa", "ca .", "~"),
    **_phrases("approximately", "≈", "in the region of", "on the order of", "in the order of"),
    **_phrases("approximately", "in the range of", "in the neighbourhood of", "give or take"),
    **_phrases("approximately", "of the order of", "something like", "somewhere around"),
    **_phrases("approximately", "an approximate", "more or less", "just about", "around about"),
    **_phrases("approximately", "roughly about", "about some", "perhaps", "maybe"),
    **_phrases("exact", "exactly", "precisely", "a total of", "just", "only"),
    **_phrases("between", "between"),
    **_phrases("from", "from"),
}
"""Words before a number. `between` and `from` open a range ("between 200 and 300"); they
are kept only when the range follows."""

MAX_PREFIX_WORDS: Final = max(len(p) for p in PREFIX_QUALIFIERS)

POSTFIX_QUALIFIERS: Final[dict[Phrase, str]] = {
    **_phrases("at_least", "or more", "and more", "or above", "and above", "or over", "and over"),
    **_phrases("at_least", "or greater", "or higher", "plus", "+", "at least", "at the least"),
    **_phrases("at_least", "or more than that", "at a minimum", "minimum"),
    **_phrases("at_most", "or less", "or fewer", "and less", "and fewer", "or below", "or under"),
    **_phrases("at_most", "and below", "and under", "at most", "at the most", "at a maximum"),
    **_phrases("at_most", "maximum", "max", "or lower"),
    **_phrases("approximately", "or so", "odd", "give or take", "more or less", "or thereabouts"),
    **_phrases("approximately", "approximately", "roughly"),
}
"""Words after a number ("3,000 or more", "300 or so"), or after its noun ("3,000 soldiers
or more")."""

MAX_POSTFIX_WORDS: Final = max(len(p) for p in POSTFIX_QUALIFIERS)

RANGE_CONNECTORS: Final = frozenset(
    {"to", "through", "thru", "-", "\u2013", "\u2014", "until", "till"}
)
"""Between the ends of "200 to 300", "200-300"; "and" after `between`, "or" when the first
number is smaller ("two or three")."""

COMPOUND_JOINERS: Final = frozenset({"and", "but", ",", "yet"})
"""Between the halves of "more than 20 and fewer than 30"."""

CHANGE_VERBS: Final = _words(
    "rose risen rising rises increased increasing increases grew grown growing climbed"
    " climbing jumped jumping surged soared fell fallen falling dropped dropping decreased"
    " decreasing declined declining went gone up down raised lowered revised cut reduced"
    " doubled tripled moved changed"
)
"""A verb before "from A to B" makes it a change (two numbers), not a range."""

UNITS: Final[dict[str, int]] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}  # fmt: skip
TEENS: Final[dict[str, int]] = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS: Final[dict[str, int]] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES: Final[dict[str, int]] = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "mln": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
    "dozen": 12,
}  # fmt: skip
"""Words that multiply what comes before them: "3.5 million", "two dozen"."""

SUFFIX_SCALES: Final[dict[str, int]] = {"k": 1_000, "bn": 1_000_000_000, "mn": 1_000_000}
"""Letters glued to digits that scale them ("3k", "$2bn"); "m" only after a currency sign,
since "300m" is otherwise metres."""

VAGUE_MULTIPLIERS: Final[dict[Phrase, tuple[int, int]]] = {
    ("several",): (3, 9),
    ("a", "few"): (2, 5),
}
"""DESIGN's lexicon: "several" 3-9, "a few" 2-5; before a scale word they scale with it
("several hundred" 300-900, "a few thousand" 2,000-5,000)."""

VAGUE_PLURALS: Final[dict[str, tuple[int, int]]] = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2_000_000, 9_999_999),
    "billions": (2_000_000_000, 9_999_999_999),
}
"""DESIGN's lexicon: "dozens" 24-99, "hundreds" 200-999, "thousands" 2,000-9,999; "tens of
thousands" 20,000-99,999 and "hundreds of thousands" 200,000-999,999 follow from them."""

UNSPECIFIED_WORDS: Final = frozenset({"some", "many", "numerous", "countless", "multiple"})
"""Words that say there were some, without a magnitude; a quantity only before a noun of
something counted ("some soldiers", not "some time")."""

PEOPLE: Final = _words(
    "people persons person individuals civilians civilian soldiers soldier troops servicemen"
    " serviceman servicemembers servicewomen personnel fighters fighter militants militant"
    " combatants men man women woman children child kids boys girls babies infants residents"
    " inhabitants citizens nationals refugees migrants evacuees prisoners prisoner pows"
    " hostages hostage detainees captives casualties casualty victims victim bodies deaths"
    " dead fatalities wounded injured mercenaries mercenary conscripts conscript recruits"
    " volunteers officers officer commanders generals troopers marines paratroopers"
    " infantrymen sailors pilots policemen police guards journalists reporters medics doctors"
    " nurses workers staff members employees students patients passengers pensioners elderly"
    " teenagers adults relatives losses injuries"
    " servicepeople sappers snipers gunmen insurgents rebels partisans separatists"
    " settlers protesters demonstrators activists"
    " suspects villagers worshippers pilgrims shoppers farmers miners fishermen herders"
    " traders teachers peacekeepers militiamen guardsmen jihadists extremists terrorists"
    " assailants attackers raiders bandits tourists foreigners expatriates visitors survivors"
    " crew crewmen seafarers defenders servicemembers displaced paramedics rescuers"
    " firefighters signatories lawyers clerics priests monks engineers drivers"
    " leaders minors pupils cousins brothers sisters sons daughters nephews neighbours"
    " neighbors elders orphans widows killings"
    " arrivals returnees deportees abductees internees inmates asylum-seekers idps lives"
    " bystanders onlookers commuters pedestrians labourers laborers porters guerrillas"
    " cadets recruits trainees contractors staffers volunteers aides diplomats"
    " officials ministers lawmakers mps judges prosecutors clergy imams nuns parishioners"
    " mourners students schoolchildren schoolgirls schoolboys toddlers newborns"
    " wives husbands mothers fathers parents grandparents youths youngsters comrades"
    " colleagues friends passers-by rioters looters smugglers traffickers shepherds nomads"
    " gendarmes herdsmen monitors observers inspectors"
)
"""Head nouns of a count of people: the figure's unit is "people"."""

DEMONYM_ENDINGS: Final = ("ans", "ians", "ese", "is", "ish", "ch")
"""A capitalized plural that ends so ("Russians", "Israelis") counts people."""

FORMATIONS: Final[dict[str, str]] = {
    **{w: w for w in _words("battalion brigade regiment division platoon squad company corps")},
    **{w: w for w in _words("squadron detachment unit")},
    "battalions": "battalion", "brigades": "brigade", "regiments": "regiment",
    "divisions": "division", "platoons": "platoon", "squads": "squad",
    "companies": "company", "squadrons": "squadron", "detachments": "detachment",
    "units": "unit",
}  # fmt: skip
"""Military formations: counted in their own unit ("up to a battalion" is 1 battalion)."""


def plural(noun: str) -> str:
    """A regular English plural: "church" → "churches", "facility" → "facilities"."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


OVER_PARTICLE: Final = _words("hand hands handed handing turn turns turned turning")
"""Verbs whose "over" is a particle, not a bound: "handed over 12 detainees"."""
AIRBORNE: Final = _words(
    "drone drones uav uavs missile missiles rocket rockets aircraft jet jets plane planes"
    " helicopter helicopters balloon balloons projectile projectiles"
)
"""What flies: "over" after them says where ("downed 47 drones over eight regions"), no bound."""
UP_PARTICLE: Final = _words(
    "go goes went gone going climb climbs climbed climbing edge edges edged edging tick ticks"
    " ticked ticking creep creeps crept creeping inch inches inched inching move moves moved"
    " moving revise revises revised revising push pushes pushed pushing bump bumps bumped"
    " bumping jump jumps jumped jumping shoot shoots shot shooting ratchet ratchets ratcheted"
    " ratcheting step steps stepped stepping rise rises rose risen rising"
)
"""Verbs of change whose "up" is a particle, not the bound "up to": "the toll went up to 25",
"revised the toll up to 25" (a toll that reached 25, where "killed up to 25" is at most)."""

THINGS: Final[dict[str, str]] = {
    **{
        s: plural(s)
        for s in _words(
            "tank vehicle drone missile rocket shell aircraft helicopter jet plane gun howitzer"
            " mortar launcher ship vessel boat truck system warplane bomber fighter-jet apc ifv"
            " uav artillery-system mine bomb round grenade munition radar satellite village"
            " town settlement building house home school hospital rifle weapon"
            # vehicles, arms, structures and places a conflict destroys, takes or counts
            " car pickup technical motorcycle motorbike bus ambulance tractor lorry van jeep"
            " bulldozer tanker trailer barge ferry speedboat submarine frigate destroyer"
            " corvette pistol cannon interceptor projectile bridge checkpoint outpost base"
            " bunker trench tunnel shaft depot warehouse shop market mosque church clinic"
            " pharmacy factory substation tower pump pipeline dam airport airfield runway"
            " port harbour camp tent hut compound granary locality municipality township"
            " commune neighbourhood neighborhood attack strike airstrike air-strike raid"
            " ambush incursion violation breach sortie position store facility centre center"
            " post target explosion blast exchange"
        )
    },
    "aircraft": "aircraft",
    "artillery": "artillery",
}
"""Things counted, singular to the plural used as their unit ("1 tank" → "tanks")."""

MODIFIERS: Final = _words(
    "more other additional extra new foreign enemy military armed armoured armored civilian"
    " elite special regular local young unarmed innocent heavy light combat infantry assault"
    " frontline reserve active former fellow allied hostile main own total injured wounded"
    " dead killed displaced severely seriously critically badly slightly lightly fresh recent"
    " airborne naval marine mechanized mechanised motorized motorised tank artillery air"
    " attack combat-ready trained untrained mobilised mobilized contract irregular"
    " government opposition rebel separatist russian ukrainian korean american british"
    " israeli palestinian of their the his her its our these those whose"
    " ballistic cruise guided hypersonic kamikaze suicide unmanned strike attack-drone"
    " army navy police security"
)
"""Words that may stand between a number and its noun ("1,000 North Korean troops"; any
capitalized or hyphenated word may too); "of the" reaches the noun of "3,000 of the
soldiers"."""

NOT_NOUNS: Final = _words(
    "times percent per cent was were is are be been being has have had will would could"
    " should may might must can did does do said says say told tells reported reports"
    " according and or but nor yet so as at by for from in into on onto of off out over"
    " under to up with within without about above across after against along among around"
    " before behind below beneath beside between beyond during except inside near since"
    " than through toward towards until upon via the a an this that these those there here"
    " who whom whose which what when where why how it its they them their he him his she her"
    " we us our you your i me my all both each every either neither any no none more most"
    " less least few fewer many much several such only just also even still yet again"
    " already ago later earlier nearly almost about roughly approximately last next first"
    " second third previous following ones others plus minus yes news series species means"
    " alias whereas thus perhaps always sometimes towards"
)
"""Words that end in "s" or look like a noun but never say what is counted."""

MONTHS: Final = _words(
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec"
)
"""Month names; written capitalized in news text, and only so are they months ("may" and
"march" are verbs too)."""

DESIGNATORS: Final = _words(
    "brigade battalion regiment division corps army fleet squadron company platoon unit"
    " route highway road street avenue flight article resolution number no building block"
    " room page chapter section paragraph clause gate platform terminal zone sector"
    " district ward stage phase level grade class category model version mark mk type"
    " point height hill checkpoint camp station post base bunker lot plot group team"
    " protocol amendment item annex appendix figure table bus train line channel apartment"
    " flat floor cell hall ward seat pier dock berth runway lane exit junction kilometre"
    " kilometer km mile verse psalm act season episode volume issue edition bill case"
    " decree order law"
)
"""A number right after one of these names something ("Brigade 155", "Resolution 2231"):
a designation, not a quantity."""

AGE_WORDS_BEFORE: Final = frozenset({"aged", "age", "ages", "ageing", "aging"})
AGE_NOUNS: Final = _words(
    "children child kids boys girls men women people teenagers adults youths babies"
)
"""A count qualified by "under"/"over" right after one of these ("children under 5") is
an age."""

TIME_WORDS_AFTER: Final = _words("am pm o'clock gmt utc cet eet msk hrs")

CURRENCY_SIGNS: Final[dict[str, str]] = {
    "$": "usd", "€": "eur", "£": "gbp", "¥": "jpy", "₴": "uah", "₽": "rub", "₩": "krw",
    "₪": "ils", "₹": "inr",
}  # fmt: skip
CURRENCY_WORDS: Final[dict[str, str]] = {
    "dollars": "usd", "dollar": "usd", "usd": "usd", "us$": "usd", "euros": "eur",
    "euro": "eur", "eur": "eur", "gbp": "gbp", "sterling": "gbp", "rubles": "rub",
    "ruble": "rub", "roubles": "rub", "rouble": "rub", "rub": "rub", "hryvnias": "uah",
    "hryvnia": "uah", "hryvnas": "uah", "uah": "uah", "yuan": "cny", "renminbi": "cny",
    "cny": "cny", "yen": "jpy", "jpy": "jpy", "won": "krw", "krw": "krw", "rupees": "inr",
    "inr": "inr", "shekels": "ils", "ils": "ils", "dinars": "dinar", "riyals": "riyal",
    "lira": "lira", "liras": "lira", "francs": "franc", "cents": "cent",
}  # fmt: skip
"""Currency names after a number ("3 million dollars") or codes before it ("USD 3m")."""

MEASURES: Final[dict[str, tuple[str, str]]] = {
    **dict.fromkeys(("%", "percent", "pc", "pct"), ("percentage", "percent")),
    **dict.fromkeys(("km", "kms", "kilometres", "kilometers", "kilometre", "kilometer"),
                    ("distance", "km")),
    **dict.fromkeys(("miles", "mile", "mi"), ("distance", "mi")),
    **dict.fromkeys(("metres", "meters", "metre", "meter", "m"), ("distance", "m")),
    **dict.fromkeys(("mm", "millimetre", "millimeter", "millimetres", "millimeters"),
                    ("distance", "mm")),
    **dict.fromkeys(("cm", "centimetres", "centimeters"), ("distance", "cm")),
    **dict.fromkeys(("feet", "foot", "ft"), ("distance", "ft")),
    **dict.fromkeys(("yards", "yard", "yd"), ("distance", "yd")),
    **dict.fromkeys(("km2", "km²"), ("area", "km2")),
    **dict.fromkeys(("hectares", "hectare", "ha"), ("area", "ha")),
    **dict.fromkeys(("acres", "acre"), ("area", "acre")),
    **dict.fromkeys(("tonnes", "tonne", "tons", "ton", "t"), ("weight", "t")),
    **dict.fromkeys(("kg", "kilograms", "kilogrammes", "kilogram", "kilos"), ("weight", "kg")),
    **dict.fromkeys(("pounds", "pound", "lb", "lbs"), ("weight", "lb")),
    **dict.fromkeys(("litres", "liters", "litre", "liter", "l"), ("volume", "l")),
    **dict.fromkeys(("gallons", "gallon"), ("volume", "gal")),
    **dict.fromkeys(("barrels", "barrel", "bbl"), ("volume", "bbl")),
    **dict.fromkeys(("seconds", "second", "secs", "sec"), ("duration", "seconds")),
    **dict.fromkeys(("minutes", "minute", "mins", "min"), ("duration", "minutes")),
    **dict.fromkeys(("hours", "hour"), ("duration", "hours")),
    **dict.fromkeys(("days", "day"), ("duration", "days")),
    **dict.fromkeys(("nights", "night"), ("duration", "nights")),
    **dict.fromkeys(("weeks", "week"), ("duration", "weeks")),
    **dict.fromkeys(("months", "month"), ("duration", "months")),
    **dict.fromkeys(("years", "year", "yrs"), ("duration", "years")),
    **dict.fromkeys(("decades", "decade"), ("duration", "decades")),
    **dict.fromkeys(("centuries", "century"), ("duration", "centuries")),
    **dict.fromkeys(("times",), ("ratio", "times")),
}  # fmt: skip
"""Units that make a number a measurement, not a count: (kind, unit)."""

MEASURE_PHRASES: Final[dict[Phrase, tuple[str, str]]] = {
    ("per", "cent"): ("percentage", "percent"),
    ("percentage", "points"): ("percentage", "percentage-points"),
    ("percentage", "point"): ("percentage", "percentage-points"),
    ("square", "kilometres"): ("area", "km2"),
    ("square", "kilometers"): ("area", "km2"),
    ("sq", "km"): ("area", "km2"),
    ("square", "miles"): ("area", "mi2"),
    ("sq", "mi"): ("area", "mi2"),
    ("square", "metres"): ("area", "m2"),
    ("square", "meters"): ("area", "m2"),
    ("nautical", "miles"): ("distance", "nmi"),
    ("cubic", "metres"): ("volume", "m3"),
    ("cubic", "meters"): ("volume", "m3"),
    ("km", "/", "h"): ("speed", "km-h"),
    ("miles", "per", "hour"): ("speed", "mph"),
}
"""Units of two or three words, tried before the one-word `MEASURES`."""

HYPHEN_PEOPLE: Final = frozenset({"strong", "man", "member", "men", "person", "people"})
"""Glued after a number, these count people: "a 3,000-strong force", "a 12-member crew"."""
