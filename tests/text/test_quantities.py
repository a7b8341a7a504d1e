"""`extraction/quantities.py`: every wording of issue 12's list read into the qualifier,
amount and bounds a stored figure gets, number forms in digits and words, distractors that
are never a count, and properties over generated phrases and arbitrary text."""

from typing import Any

import msgspec
import pytest
from claimledger_server.figures.bounds import bounds, consistency_errors
from claimledger_server.figures.schemas import FigureFields
from claimledger_server.text.quantities import Quantity, find_quantities
from hypothesis import assume, given, settings
from hypothesis import strategies as st

# sentence | the phrase found ("=": all of it) | qualifier amount amount_max | low high | unit
# ("_" is null; \uXXXX escapes are read as such)
WORDINGS_TABLE = r"""
# more than: the bound is exclusive, so an integer count starts one above.
over 3,000 soldiers were killed | over 3,000 soldiers | more_than 3000 _ | 3001 _ | people
more than 3,000 troops | = | more_than 3000 _ | 3001 _ | people
above 200 people | = | more_than 200 _ | 201 _ | people
greater than 40 civilians | = | more_than 40 _ | 41 _ | people
in excess of 2,000 fighters | = | more_than 2000 _ | 2001 _ | people
the toll exceeded 500 | exceeded 500 | more_than 500 _ | 501 _ | people
deaths surpassed 1,200 | surpassed 1,200 | more_than 1200 _ | 1201 _ | people
casualties topped 10,000 | topped 10,000 | more_than 10000 _ | 10001 _ | people
the toll had passed 39,700 | passed 39,700 | more_than 39700 _ | 39701 _ | people
well over 600 men | = | more_than 600 _ | 601 _ | people
upwards of 1,000 troops | = | more_than 1000 _ | 1001 _ | people
>5 soldiers | = | more_than 5 _ | 6 _ | people
# at least: inclusive.
at least 30 soldiers | = | at_least 30 _ | 30 _ | people
no less than 20 people | = | at_least 20 _ | 20 _ | people
no fewer than 40 people | = | at_least 40 _ | 40 _ | people
3,000 or more soldiers | = | at_least 3000 _ | 3000 _ | people
3,000 soldiers or more | = | at_least 3000 _ | 3000 _ | people
60 and more were hurt | 60 and more | at_least 60 _ | 60 _ | people
300+ troops | = | at_least 300 _ | 300 _ | people
a 300-plus strong unit | 300-plus | at_least 300 _ | 300 _ | people
greater than or equal to 12 tanks | = | at_least 12 _ | 12 _ | tanks
# at most: inclusive, from 0.
up to 500 soldiers | = | at_most 500 _ | 0 500 | people
at most 100 people | = | at_most 100 _ | 0 100 | people
no more than 40 troops | = | at_most 40 _ | 0 40 | people
50 or less | = | at_most 50 _ | 0 50 | people
50 or fewer soldiers | = | at_most 50 _ | 0 50 | people
as many as 8,000 of them | as many as 8,000 | at_most 8000 _ | 0 8000 | people
estimates put it as high as 150,000 | as high as 150,000 | at_most 150000 _ | 0 150000 | people
less or equal than 35 soldiers | = | at_most 35 _ | 0 35 | people
up to a battalion was lost | up to a battalion | at_most 1 _ | 0 1 | battalion
# fewer than: exclusive.
fewer than 500 people | = | fewer_than 500 _ | 0 499 | people
less than 100 soldiers | = | fewer_than 100 _ | 0 99 | people
under 1,000 troops | = | fewer_than 1000 _ | 0 999 | people
below 300 fighters | = | fewer_than 300 _ | 0 299 | people
# ranges
between 200 and 300 soldiers | = | range 200 300 | 200 300 | people
from 200 to 300 troops | = | range 200 300 | 200 300 | people
200\u2013300 troops | = | range 200 300 | 200 300 | people
200-300 troops | = | range 200 300 | 200 300 | people
200 to 300 troops | = | range 200 300 | 200 300 | people
200 through 300 troops | = | range 200 300 | 200 300 | people
two or three soldiers | = | range 2 3 | 2 3 | people
about 11,000 to 12,000 | = | range 11000 12000 | 11000 12000 | people
11 to 12,000 troops | = | range 11000 12000 | 11000 12000 | people
3 to 5 million people | = | range 3000000 5000000 | 3000000 5000000 | people
five to ten thousand troops | = | range 5000 10000 | 5000 10000 | people
up to 200-300 troops | = | at_most 300 _ | 0 300 | people
# compounds: a lower and an upper bound of one count.
larger than twenty and less or equal than thirty five | = | range 21 35 | 21 35 | people
at most 100 and at least 20 | = | range 20 100 | 20 100 | people
more than 20 but fewer than 30 soldiers | = | range 21 29 | 21 29 | people
no less than 20, no more than 40 | = | range 20 40 | 20 40 | people
# approximately: ±10 %.
about 4,000 soldiers | = | approximately 4000 _ | 3600 4400 | people
around 70 people | = | approximately 70 _ | 63 77 | people
roughly 60 people | = | approximately 60 _ | 54 66 | people
approximately 50 troops | = | approximately 50 _ | 45 55 | people
some 15,000 troops | = | approximately 15000 _ | 13500 16500 | people
an estimated 1,000 civilians | = | approximately 1000 _ | 900 1100 | people
~300 troops | = | approximately 300 _ | 270 330 | people
3,000-odd soldiers | = | approximately 3000 _ | 2700 3300 | people
300 or so soldiers | = | approximately 300 _ | 270 330 | people
# nearly: just below.
close to 1,000 wounded | = | nearly 1000 _ | 900 999 | people
nearly 1,000 soldiers | = | nearly 1000 _ | 900 999 | people
almost 200 people | = | nearly 200 _ | 180 199 | people
just under 500 troops | = | nearly 500 _ | 450 499 | people
approaching 1,000 | = | nearly 1000 _ | 900 999 | people
# exact, in every way of writing a number
1,000 North Korean troops died | 1,000 North Korean troops | exact 1000 _ | 1000 1000 | people
3 000 soldiers | = | exact 3000 _ | 3000 3000 | people
1\xa0500\xa0000 people | = | exact 1500000 _ | 1500000 1500000 | people
3.5 million people fled | 3.5 million people | exact 3500000 _ | 3500000 3500000 | people
1.2m refugees | 1.2m | exact _ _ | _ _ | m
twenty-five soldiers were killed | twenty-five soldiers | exact 25 _ | 25 25 | people
twenty five people | = | exact 25 _ | 25 25 | people
one hundred and twenty soldiers | = | exact 120 _ | 120 120 | people
two thousand three hundred troops | = | exact 2300 _ | 2300 2300 | people
a thousand troops | = | exact 1000 _ | 1000 1000 | people
a million refugees | = | exact 1000000 _ | 1000000 1000000 | people
a dozen tanks | = | exact 12 _ | 12 12 | tanks
half a dozen drones | = | exact 6 _ | 6 6 | drones
two dozen people | = | exact 24 _ | 24 24 | people
3k troops | = | exact 3000 _ | 3000 3000 | people
two battalions | = | exact 2 _ | 2 2 | battalion
a 3,000-strong force | 3,000-strong | exact 3000 _ | 3000 3000 | people
3,000 Russians were killed | 3,000 Russians | exact 3000 _ | 3000 3000 | people
1,101 pieces of equipment | 1,101 pieces | exact 1101 _ | 1101 1101 | pieces
# a noun the lexicon does not know, or a size, between the number and its noun
three precision munitions | = | exact 3 _ | 3 3 | munitions
taken 12 of its fuel tankers | 12 of its fuel tankers | exact 12 _ | 12 12 | tankers
33,000 severely malnourished children | = | exact 33000 _ | 33000 33000 | people
a few 120mm mortars | = | vague _ _ | 2 5 | mortars
1,800 2,000-pound bombs | = | exact 1800 _ | 1800 1800 | bombs
# a noun of people before another noun names its kind
20 fighter jets took part | 20 fighter jets | exact 20 _ | 20 20 | jets
three police vehicles | = | exact 3 _ | 3 3 | vehicles
two fighter pilots | = | exact 2 _ | 2 2 | people
# a number in words that a total reached
the toll had climbed to four | four | exact 4 _ | 4 4 | people
the count stood at nine | nine | exact 9 _ | 9 9 | people
# a part, in words, of people counted before
four of them were children | four | exact 4 _ | 4 4 | people
twelve of them had died | twelve | exact 12 _ | 12 12 | people
nearly 2000 soldiers | = | nearly 2000 _ | 1800 1999 | people
# vague: DESIGN's lexicon
dozens were killed | dozens | vague _ _ | 24 99 | people
dozens of soldiers | = | vague _ _ | 24 99 | people
scores of civilians | = | vague _ _ | 40 99 | people
hundreds of civilians | = | vague _ _ | 200 999 | people
several hundred casualties | = | vague _ _ | 300 900 | people
several thousand troops | = | vague _ _ | 3000 9000 | people
Several thousands of DPRK troops | = | vague _ _ | 3000 9000 | people
thousands of people | = | vague _ _ | 2000 9999 | people
tens of thousands of people | = | vague _ _ | 20000 99999 | people
hundreds of thousands of refugees | = | vague _ _ | 200000 999999 | people
a few North Korean soldiers | = | vague _ _ | 2 5 | people
several tanks | = | vague _ _ | 3 9 | tanks
a few hundred soldiers | = | vague _ _ | 200 500 | people
more than several hundred soldiers | = | vague _ _ | 300 _ | people
up to several hundred soldiers | = | vague _ _ | 0 900 | people
# unspecified: a number was said to exist, with no magnitude
some soldiers were executed | some soldiers | unspecified _ _ | _ _ | people
many civilians fled | many civilians | unspecified _ _ | _ _ | people
"""


def _value(word: str) -> Any:
    return None if word == "_" else int(word) if word.isdigit() else word


def _rows(table: str) -> list[tuple[Any, ...]]:
    rows = []
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        text, phrase, stated, bounds_, unit = (part.strip() for part in line.split(" | "))
        text = text.encode().decode("unicode_escape")
        phrase = text if phrase == "=" else phrase.encode().decode("unicode_escape")
        qualifier, amount, amount_max = stated.split()
        low, high = bounds_.split()
        rows.append((text, phrase, qualifier, *map(_value, (amount, amount_max, low, high)), unit))
    return rows


WORDINGS = _rows(WORDINGS_TABLE)
ROW_IDS = [row[0][:50] for row in WORDINGS]


def counts(text: str) -> list[Quantity]:
    return [q for q in find_quantities(text) if q.kind == "count"]


def stored(quantity: Quantity) -> FigureFields:
    """The figure a client would create from a parsed count, checked by msgspec."""
    given = {"low": quantity.low, "high": quantity.high} if quantity.qualifier == "vague" else {}
    body = {
        "claim_id": "clm_01jfzq6m3b8n0c2k4d5e6f7g8k",
        "metric": quantity.metric or "other",
        "qualifier": quantity.qualifier,
        "amount": quantity.amount,
        "amount_max": quantity.amount_max,
        "unit": quantity.unit,
        "text": quantity.text,
        **given,
    }
    return msgspec.convert(body, FigureFields, strict=True)


@pytest.mark.parametrize(
    ("text", "phrase", "qualifier", "amount", "amount_max", "low", "high", "unit"),
    WORDINGS,
    ids=ROW_IDS,
)
def test_every_wording(
    text: str,
    phrase: str,
    qualifier: str,
    amount: Any,
    amount_max: Any,
    low: Any,
    high: Any,
    unit: str,
) -> None:
    found = find_quantities(text)
    assert [q.text for q in found] == [phrase]
    quantity = found[0]
    assert text[quantity.start : quantity.end] == phrase
    if unit == "m":  # "1.2m" is metres unless money: never a count of refugees
        assert quantity.kind == "distance"
        return
    assert quantity.kind == "count"
    got = (quantity.qualifier, quantity.amount, quantity.amount_max, quantity.low, quantity.high)
    assert got == (qualifier, amount, amount_max, low, high)
    assert quantity.unit == unit
    # What the parse reports is what storing it derives: one rule, `figures/bounds.py`.
    figure = stored(quantity)
    assert consistency_errors(figure) == []
    if qualifier != "vague":
        assert bounds(figure) == (low, high)


METRICS = [
    ("over 3,000 soldiers killed or wounded in the Kursk region", "killed_or_wounded"),
    ("1,000 North Korean troops had been killed or injured in the last week", "killed_or_wounded"),
    ("several hundred casualties", "killed_or_wounded"),
    ("at least 100 have been killed", "killed"),
    ("about 600 of them deaths", "killed"),
    ("about 15,000 of them irretrievably", "killed"),
    ("close to 1,000 wounded", "wounded"),
    ("took a few North Korean soldiers prisoner", "captured"),
    ("at least three went missing", "missing"),
    ("some soldiers were executed by their own forces", "executed"),
    ("Some soldiers have reportedly taken their own lives", "suicides"),
    ("North Korea has sent 15,000 troops to Russia", "deployed"),
    ("a million refugees fled", "displaced"),
    ("police detained 40 protesters", "detained"),
    ("Russia lost more than 38,000 soldiers", "killed_or_wounded"),
    ("neutralised more than 400 Tigrayan fighters", "killed"),
    ("Fifteen of the soldiers who surrendered were wounded", "wounded"),
    ("5 people who were killed in the strike", "killed"),
    ("the gunmen killed and wounded several hundred villagers", "killed_or_wounded"),
    ("shelling wounded or killed 40 soldiers", "killed_or_wounded"),
]


@pytest.mark.parametrize(("text", "metric"), METRICS, ids=[m[0][:40] for m in METRICS])
def test_metric_words(text: str, metric: str) -> None:
    [quantity] = counts(text)
    assert quantity.metric == metric


def test_each_number_keeps_its_own_metric() -> None:
    found = counts("about 300 NK killed and 2,700 wounded; killed 5 and wounded 12")
    assert [(q.amount, q.metric) for q in found] == [
        (300, "killed"),
        (2700, "wounded"),
        (5, "killed"),
        (12, "wounded"),
    ]
    assert counts("3,000 soldiers were deployed")[0].metric == "deployed"
    assert counts("3,000 soldiers arrived. 20 were killed")[0].metric == "deployed"
    assert counts("the 3,000 soldiers")[0].metric is None
    # A metric word before "that" belongs to the clause it ends.
    found = counts("50 were injured and that 20 residents, mostly men, were taken away")
    assert [(q.amount, q.metric) for q in found] == [(50, "wounded"), (20, None)]


DISTRACTORS = [
    "In 2024 the war went on.",
    "between 2019 and 2021",
    "from 2014 to 2022",
    "In 2014-2022 nothing changed.",
    "the 2024 elections",
    "the 1990s",
    "on December 23",
    "on Monday (December 23)",
    "on Dec. 19",
    "on 23 December",
    "on the 23rd of December",
    "on 14 and 15 December",
    "on 14-15 December",
    "2024-12-27",
    "on 23/12/2024",
    "at 10:30",
    "at 10 am",
    "at 3 p.m.",
    "at 0800 GMT",
    "aged 12",
    "aged 18 to 60",
    "aged between 18 and 60",
    "a 12-year-old boy",
    "he was 12 years old",
    "children under 5",
    "men over 60",
    "the 155th Brigade",
    "the 3rd Army",
    "the 21st century",
    "Brigade 155",
    "Resolution 2231",
    "Article 5",
    "No. 5",
    "Route 66",
    "T-72 tanks",
    "F-16s",
    "Su-25 jets",
    "Kh-101 missiles",
    "MH17",
    "COVID-19",
    "9/11",
    "24/7",
    "5 km away",
    "a 5-km stretch",
    "10 miles",
    "300 metres",
    "155mm shells",
    "20 kg",
    "3 tonnes",
    "$3 million",
    "$3.5bn",
    "US$3m",
    "\u20ac5 million",
    "\u00a320",
    "USD 3 million",
    "3 million dollars",
    "15%",
    "25 percent",
    "3.5 per cent",
    "12 percentage points",
    "less than one percent",
    "for five days",
    "in 24 hours",
    "3 weeks ago",
    "a 12-storey building",
    "several times",
    "some time later",
    "One of them said one day they would. No one knows.",
    "one of the deadliest attacks",
    "570,000 litres of fuel",
    "call +243 81 555 0192",
    "magnitude 4.5",
    "they went to one meeting",
    "they launched Operation 2044 in the north",
    "the convoy of Task Force 62 was",
    "how many people died?",
    "five times larger",
    "ten times the size",
    "killed since 2016",
    "its worst losses since 2019",
    "the deadliest raid in 2011",
]


@pytest.mark.parametrize("text", DISTRACTORS)
def test_distractors_are_never_counts(text: str) -> None:
    assert counts(text) == [], [q.text for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "kind", "unit", "amount"),
    [
        ("5 km", "distance", "km", 5),
        ("$3 million", "money", "usd", 3_000_000),
        ("\u20ac5 million", "money", "eur", 5_000_000),
        ("15%", "percentage", "percent", 15),
        ("3.5 per cent", "percentage", "percent", 3.5),
        ("for five days", "duration", "days", 5),
        ("hundreds of kilometres", "distance", "km", None),
        ("570,000 litres", "volume", "l", 570_000),
    ],
)
def test_measurements_say_what_they_are(text: str, kind: str, unit: str, amount: Any) -> None:
    [quantity] = find_quantities(text)
    assert (quantity.kind, quantity.unit, quantity.amount) == (kind, unit, amount)
    assert (quantity.low, quantity.high, quantity.metric) == (None, None, None)


def test_a_sentence_mixing_counts_and_distractors() -> None:
    text = (
        "In 2024, the 155th Brigade lost 5 km of ground and $3 million, 15% of its troops,"
        " aged 12 to 60, at 10:30 on December 23; more than 250 servicemen were killed."
    )
    found = find_quantities(text)
    assert [(q.text, q.kind) for q in found] == [
        ("5 km", "distance"),
        ("$3 million", "money"),
        ("15%", "percentage"),
        ("more than 250 servicemen", "count"),
    ]
    assert found[-1].metric == "killed"


def test_how_often_is_a_count_of_times_but_a_comparison_is_no_count() -> None:
    found = counts("The port was shelled some 30 times, three times as often as in May.")
    assert [(q.text, q.qualifier, q.amount, q.unit) for q in found] == [
        ("some 30 times", "approximately", 30, "times")
    ]


def test_a_year_before_a_total_ten_times_larger_is_no_range_of_years() -> None:
    found = counts("The attacks brought its losses since March 2021 to 41,200 soldiers.")
    assert [q.amount for q in found] == [41200]
    assert counts("Those aged 18 to 60 served from 1990 to 2000.") == []


def test_a_change_is_two_numbers_not_a_range() -> None:
    found = counts("The toll rose from 100 to 200.")
    assert [(q.qualifier, q.amount) for q in found] == [("exact", 100), ("exact", 200)]


def test_offsets_are_code_points() -> None:
    text = "\U0001f1fa\U0001f1e6 — «over 3,000 soldiers»"
    [quantity] = find_quantities(text)
    assert text[quantity.start : quantity.end] == "over 3,000 soldiers"
    assert quantity.start == 6  # two flag code points, space, dash, space, guillemet


def test_numbers_json_cannot_carry_exactly_are_left_out() -> None:
    largest = 2**53 - 1
    [exact] = find_quantities(f"{largest} soldiers")
    assert (exact.amount, exact.low, exact.high) == (largest, largest, largest)
    assert [q.amount for q in find_quantities(f"{largest} km")] == [largest]
    # Rounded, or past the bound a stored figure may have: never reported.
    for text in (f"{largest + 1} soldiers", f"about {largest} soldiers", "$" + "9" * 30):
        assert find_quantities(text) == [], text
    assert find_quantities("1" + "0" * 5000 + " tonnes") == []


# -------------------------------------------------------------------- properties

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_ONES += ["eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"]
_ONES += ["eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spelled(n: int) -> str:
    """English words for 0 <= n < 10**9, as newspapers write them."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    for size, name in ((10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            head, rest = divmod(n, size)
            words = f"{spelled(head)} {name}"
            if rest:
                words += (" and " if size == 100 or rest < 100 else " ") + spelled(rest)
            return words
    raise AssertionError(n)


FORMATS = {
    "exact": "{n} soldiers",
    "more_than": "more than {n} soldiers",
    "at_least": "at least {n} soldiers",
    "at_most": "up to {n} soldiers",
    "fewer_than": "fewer than {n} soldiers",
    "approximately": "about {n} soldiers",
    "nearly": "nearly {n} soldiers",
}
amounts = st.integers(min_value=1, max_value=10**12)


@given(st.sampled_from(sorted(FORMATS)), amounts, st.booleans())
def test_a_formatted_figure_parses_back(qualifier: str, amount: int, words: bool) -> None:
    number = spelled(amount) if words and amount < 10**9 else f"{amount:,}"
    text = "Officials said " + FORMATS[qualifier].format(n=number) + " were killed."
    [quantity] = find_quantities(text)
    assert (quantity.qualifier, quantity.amount, quantity.unit) == (qualifier, amount, "people")
    assert quantity.metric == "killed"
    figure = stored(quantity)
    assert consistency_errors(figure) == []
    assert bounds(figure) == (quantity.low, quantity.high)


@given(amounts, amounts)
def test_a_formatted_range_parses_back(one: int, two: int) -> None:
    low, high = sorted((one, two))
    # "11 to 12,000" is 11,000 to 12,000 (`ranges._shares_thousands`), on purpose.
    assume(not (low < 1000 and low * 1000 < high < 2 * low * 1000))
    [quantity] = find_quantities(f"between {low:,} and {high:,} soldiers")
    assert (quantity.qualifier, quantity.low, quantity.high) == ("range", low, high)


_PIECES = [
    *(row[0] for row in WORDINGS),
    *DISTRACTORS,
    "and", ",", ".", "said", "killed", "wounded", "soldiers", "more than", "at most", "to",
    "between", "-", "December", "some", "several", "thousand", "2024", "of", "the", "3,000",
    "twenty", "a", "(", "\u201c", "\u2013",
]  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_PIECES), max_size=25), st.text(max_size=40))
def test_any_text_parses_to_coherent_spans_and_storable_counts(
    pieces: list[str], noise: str
) -> None:
    text = " ".join(pieces) + noise
    found = find_quantities(text)
    previous_end = 0
    for quantity in found:
        assert previous_end <= quantity.start < quantity.end <= len(text)
        assert text[quantity.start : quantity.end] == quantity.text
        previous_end = quantity.end
        if quantity.kind != "count":
            assert (quantity.low, quantity.high) == (None, None)
            continue
        if quantity.low is not None and quantity.high is not None:
            assert quantity.low <= quantity.high
        figure = stored(quantity)
        assert consistency_errors(figure) == []
        if quantity.qualifier != "vague":
            assert bounds(figure) == (quantity.low, quantity.high)
    assert find_quantities(text) == found  # deterministic


@pytest.mark.parametrize(
    "text",
    [
        "Nine members of the border guard have been martyred.",
        "At least 4 villagers were beheaded overnight.",
    ],
)
def test_martyred_and_beheaded_are_killed(text: str) -> None:
    [found] = find_quantities(text)
    assert found.metric == "killed"


def test_rifles_are_counted_things() -> None:
    [found] = find_quantities("Soldiers recovered three rifles at the camp.")
    assert (found.text, found.unit) == ("three rifles", "rifles")
