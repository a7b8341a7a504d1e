"""What the words around a number say it is: a date, a time, an ordinal, a designation
("155th Brigade", "T-72", "Resolution 2231"), an age, or a measurement (a percentage,
money, a distance, a duration…) rather than a count."""

from decimal import Decimal
from typing import Final

from claimledger_server.text.lexicon import (
    AGE_WORDS_BEFORE,
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    DESIGNATORS,
    MEASURE_PHRASES,
    MEASURES,
    MONTHS,
    SUFFIX_SCALES,
    TIME_WORDS_AFTER,
)
from claimledger_server.text.numbers import Reading, Token, read_number

_ORDINALS = frozenset({"st", "nd", "rd", "th"})
_TIME_SUFFIXES = frozenset({"am", "pm", "h", "hrs", "gmt", "utc"})
_DATE_GLUE = frozenset({":", "/", ".", "-"})


def is_month(token: Token) -> bool:
    return token.lower in MONTHS and token.text[0].isupper()


def _glued_chain_end(tokens: list[Token], i: int) -> int:
    """The end of "10:30", "23/12/2024", "2024-12-27": numbers glued by `:`, `/`, `.`,
    `-` into one token run."""
    j = i + 1
    while (
        j + 1 < len(tokens)
        and tokens[j].text in _DATE_GLUE
        and tokens[j].glued
        and tokens[j + 1].is_number
        and tokens[j + 1].glued
    ):
        j += 2
    return j


def next_to_month(tokens: list[Token], first: int, last: int) -> bool:
    """A day or year beside a month name: "December 23", "Dec. 19", "23 December",
    "23rd of December", "December 2024"."""
    before = tokens[first - 1] if first > 0 else None
    if before is not None and before.text == "." and first > 1:
        before = tokens[first - 2]
    if before is not None and is_month(before):
        return True
    after = tokens[last] if last < len(tokens) else None
    if after is not None and after.lower == "of" and last + 1 < len(tokens):
        after = tokens[last + 1]
    return after is not None and is_month(after)


def distractor_end(tokens: list[Token], reading: Reading) -> int | None:
    """Where to resume when the number read is not a quantity (a date, time, ordinal,
    designation or age); None when it may be one."""
    i = reading.first
    token = tokens[i]
    if token.is_number:
        if (end := _digits_distractor_end(tokens, i)) is not None:
            return end
    elif reading.value is None:
        return None
    if next_to_month(tokens, i, reading.last) or _age_word_before(tokens, i):
        return _past_range_end(tokens, reading)
    end = _past_range_end(tokens, reading)
    if end != reading.last and next_to_month(tokens, end - 1, end):
        return end  # "on 14 and 15 December"
    if _time_word_after(tokens, reading.last):
        return reading.last + 1
    return _ratio_end(tokens, reading)


def _ratio_end(tokens: list[Token], reading: Reading) -> int | None:
    """ "1 in 4 residents", "one in five", "three in every ten schools", "one school in
    three": a proportion, not a count. With its noun before "in" ("one school in three"),
    the second number must end the phrase ("two people in 24 hours" is a count and a
    duration, "two soldiers in three attacks" two counts)."""
    if reading.value is None or reading.value > 10:
        return None
    j = reading.last
    while j - reading.last < 2 and j < len(tokens) and _noun_word(tokens, j):
        j += 1  # "one school", "one displaced child"
    noun_between = j > reading.last
    if j + 1 >= len(tokens) or tokens[j].lower != "in":
        return None
    every = tokens[j + 1].lower in ("every", "each")
    if every and j + 2 >= len(tokens):
        return None
    second = read_number(tokens, j + 2 if every else j + 1)
    if second is None or second.value is None or second.value <= reading.value:
        return None
    if year_like(tokens[second.first]):
        return None  # "one soldier in 2019": a year
    if noun_between and not every and not _ends_phrase(tokens, second.last):
        return None
    return second.last


_AFTER_A_PROPORTION: Final = frozenset(
    {
        *("in", "of", "across", "among", "at", "on", "and", "or", "nationwide", "countrywide"),
        *("is", "are", "was", "were", "has", "have", "had", "remain", "remains", "remained"),
    }
)
"""Words a proportion's phrase goes on with ("one school in three in the region is")."""


def _noun_word(tokens: list[Token], j: int) -> bool:
    token = tokens[j]
    plain = token.is_word and token.text.isalpha() and token.text.islower()
    return plain and token.lower not in ("in", "of", "out") and read_number(tokens, j) is None


def _ends_phrase(tokens: list[Token], j: int) -> bool:
    return j >= len(tokens) or not tokens[j].is_word or tokens[j].lower in _AFTER_A_PROPORTION


def year_like(token: Token) -> bool:
    """Whether a token could be a year: plain digits (no separator, no suffix), a whole
    number from 1800 to 2100."""
    value = token.value
    plain = token.is_number and not token.grouped and not token.suffix
    return plain and value is not None and value == int(value) and 1800 <= value <= 2100


def _digits_distractor_end(tokens: list[Token], i: int) -> int | None:
    token = tokens[i]
    chain_end = _glued_chain_end(tokens, i)
    if chain_end - i > 3 or (chain_end - i == 3 and tokens[i + 1].text != "-"):
        return chain_end  # 10:30, 23/12, 2024-12-27, 23.12.2024
    suffix = token.suffix
    known = suffix in ("", "%", "m") or suffix in SUFFIX_SCALES or suffix in MEASURES
    if suffix in _ORDINALS or suffix in _TIME_SUFFIXES or suffix == "s" or not known:
        return i + 1
    if token.text.startswith("0") and len(token.text) > 1 and token.text[1].isdigit():
        return i + 1  # 0800, codes
    if _list_marker(tokens, i):
        return i + 2  # "(2) 11 were taken prisoner": the item's number, then its count
    if i > 0 and token.glued:
        before = tokens[i - 1]
        if before.text == "+" and not token.grouped:
            return _digit_groups_end(tokens, i)  # +243 81 555 0192: a phone number
        if before.is_word or before.is_number or before.text == "#":
            return i + 1  # T72, A4, #5
        glued_word = i > 1 and before.glued and tokens[i - 2].is_word
        if before.text in "-/" and glued_word:
            return i + 1  # T-72, Su-25, COVID-19
    if i > 0 and not token.grouped and token.value is not None and token.value < 100_000:
        before = tokens[i - 1]
        if before.text == "." and i > 1:
            before = tokens[i - 2]
        if before.lower in DESIGNATORS and not token.glued:
            return i + 1  # Brigade 155, No. 5, Resolution 2231
        if not token.glued and _names_with_number(tokens, i):
            return i + 1  # Operation 1027, Task Force 62
        if _number_led_name(tokens, i):
            return i + 1  # "the 300 Lions gang": a group whose name starts with a number
        if _age_after_name(tokens, i):
            return i + 1  # "Jean Dupont, 34, a farmer": an age
        if _age_after_pronoun(tokens, i):
            return i + 1  # "she was 34 when": an age
    return None


_ITEM_OPENERS: Final = frozenset({":", ";", ".", '"', "\u201c"})


def _list_marker(tokens: list[Token], i: int) -> bool:
    """ "(2)" or "2)" opening an item of a numbered list (at the start of the text read, or
    after the colon, semicolon or full stop that closes what comes before): it numbers the
    items, it counts nothing. A number in brackets after another ("tanks: 7 (11,412)") is a
    count of its own."""
    token = tokens[i]
    if i + 1 >= len(tokens) or tokens[i + 1].text != ")" or token.suffix or token.grouped:
        return False
    opener = i - 1 if i > 0 and tokens[i - 1].text == "(" else i
    return opener == 0 or tokens[opener - 1].text in _ITEM_OPENERS


def _age_after_name(tokens: list[Token], i: int) -> bool:
    """A bare number under 120 set off by commas right after a capitalised word ("led by
    Amadou Sow, 41, who") is that person's age, as news English gives ages."""
    if i < 2 or i + 1 >= len(tokens) or tokens[i].suffix or (tokens[i].value or 0) >= 120:
        return False
    name, comma, after = tokens[i - 2], tokens[i - 1], tokens[i + 1]
    return comma.text == "," and after.text == "," and name.is_word and name.text[0].isupper()


_PERSONS: Final = frozenset({"he", "she"})
_AFTER_AN_AGE: Final = frozenset({"when", "and", "but", "at", "as", "years", "year", "then"})


def _age_after_pronoun(tokens: list[Token], i: int) -> bool:
    """A bare number under 120 that "he was" or "she is" states, its clause going on with no
    noun ("she was 34 when the shell hit"), is that person's age."""
    if i < 2 or tokens[i].suffix or (tokens[i].value or 0) >= 120:
        return False
    if tokens[i - 2].lower not in _PERSONS or tokens[i - 1].lower not in ("was", "is"):
        return False
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    return after is None or not after.is_word or after.lower in _AFTER_AN_AGE


_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_AFTER_A_NAME = frozenset(
    {
        *("in", "near", "on", "at", "of", "from", "to", "and", "or", "which", "that"),
        *("was", "is", "were", "are", "has", "had", "have", "said", "says", "who"),
    }
)
"""Words a name goes on with; a count goes on with what it counts ("Gaza 40 killed")."""


def _names_with_number(tokens: list[Token], i: int) -> bool:
    """ "launched Operation 1027 in": a capitalised word inside a sentence followed by a
    bare number that the sentence goes on past is a name with a number in it."""
    before = tokens[i - 1]
    if not before.is_word or not before.text[0].isupper() or before.text.isupper():
        return False
    if i < 2 or tokens[i - 2].text in '.!?:"\u201c' or not tokens[i - 2].is_word:
        return False  # the sentence's first word is capitalised whatever it is
    if is_month(before) or before.lower in _WEEKDAYS:
        return False
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    return after is None or not after.is_word or after.lower in _AFTER_A_NAME


_NAMED_GROUPS = frozenset(
    {"gang", "group", "militia", "movement", "cartel", "faction", "crew", "band", "club"}
)


def _number_led_name(tokens: list[Token], i: int) -> bool:
    """ "the 300 Lions gang": after "the", a number and a capitalised word that a singular
    noun of a group follows are that group's name; a count goes on with the plural it counts
    ("the 300 Wagner fighters")."""
    if i < 1 or tokens[i - 1].lower != "the" or i + 2 >= len(tokens):
        return False
    name, head = tokens[i + 1], tokens[i + 2]
    capitalised = name.is_word and name.text[0].isupper() and not name.text.isupper()
    return capitalised and head.lower in _NAMED_GROUPS


def _digit_groups_end(tokens: list[Token], i: int) -> int:
    """The end of a run of digit groups ("+243 81 555 0192", "+7-495-123")."""
    j = i + 1
    while j < len(tokens) and (
        tokens[j].is_number or (tokens[j].text in "-." and j + 1 < len(tokens) and tokens[j].glued)
    ):
        j += 1
    return j


def _past_range_end(tokens: list[Token], reading: Reading) -> int:
    """Past the other end of "aged 18 to 60", "23 to 25 December": one distractor. An
    end ten times the first and more is no other end ("its losses since February 2022 to
    935,480": a running total reached)."""
    j = reading.last
    if j + 1 >= len(tokens) or tokens[j].lower not in ("to", "and", "or", "-", "\u2013"):
        return j
    second = read_number(tokens, j + 1)
    if second is None or second.value is None:
        return j
    if reading.value is not None and second.value >= 10 * max(reading.value, Decimal(10)):
        return j
    return second.last


def _age_word_before(tokens: list[Token], i: int) -> bool:
    for back in (1, 2, 3):
        if i - back < 0:
            return False
        word = tokens[i - back].lower
        if word in AGE_WORDS_BEFORE:
            return True
        if word not in ("of", "between", "from", "the"):
            return False
    return False


def _time_word_after(tokens: list[Token], j: int) -> bool:
    if j >= len(tokens):
        return False
    word = tokens[j].lower
    if word in TIME_WORDS_AFTER:
        return True
    spelled = "".join(t.lower for t in tokens[j : j + 3])
    return spelled in ("a.m", "p.m")


def currency_before(tokens: list[Token], i: int, floor: int) -> tuple[int, str] | None:
    """A currency sign or code right before token `i` ("$3", "US$3", "USD 3"): the first
    token of the money phrase and the currency."""
    if i - 1 < floor:
        return None
    before = tokens[i - 1]
    if before.text in CURRENCY_SIGNS:
        first = i - 1
        country = tokens[first - 1].text if first - 1 >= floor and before.glued else ""
        if country.isalpha() and country.isupper() and len(country) <= 2:
            first -= 1  # US$, A$, C$
        return first, CURRENCY_SIGNS[before.text]
    is_code = before.is_word and before.text.isupper() and len(before.text) == 3
    if is_code and before.lower in CURRENCY_WORDS:
        return i - 1, CURRENCY_WORDS[before.lower]
    return None


def measure_after(tokens: list[Token], j: int) -> tuple[str, str, int] | None:
    """A unit right after a number that makes it a measurement: (kind, unit, end). An age
    ("12 years old") is kind "age"."""
    for size in (3, 2):
        phrase = tuple(t.lower for t in tokens[j : j + size])
        if len(phrase) == size and phrase in MEASURE_PHRASES:
            kind, unit = MEASURE_PHRASES[phrase]
            return kind, unit, j + size
    if j >= len(tokens):
        return None
    word = tokens[j].lower
    if word in CURRENCY_WORDS and tokens[j].is_word:
        return "money", CURRENCY_WORDS[word], j + 1
    if word == "times" and tokens[j].is_word and not _compared(tokens, j + 1):
        return "count", "times", j + 1  # "shelled some 30 times": how often, a count
    if word in MEASURES and (tokens[j].is_word or word == "%"):
        kind, unit = MEASURES[word]
        if kind == "duration" and j + 1 < len(tokens) and tokens[j + 1].lower == "old":
            return "age", unit, j + 2
        return kind, unit, j + 1
    return None


_COMPARISON: Final = frozenset(
    {
        *("as", "more", "less", "fewer", "higher", "lower", "larger", "smaller", "bigger"),
        *("greater", "the", "that", "what", "its", "their", "his", "her", "over", "faster"),
    }
)


def _compared(tokens: list[Token], j: int) -> bool:
    """ "three times as many", "ten times the size": a ratio, not how often."""
    if j >= len(tokens):
        return False
    word = tokens[j].lower
    if word == "over" and _over_a_period(tokens, j + 1):
        return False  # "27 times over the past week": how often, in a period
    return word in _COMPARISON or word.endswith("er")


def _over_a_period(tokens: list[Token], j: int) -> bool:
    """ "over the past week", "over the same period", "over a month": a span, no ratio."""
    words = [token.lower for token in tokens[j : j + 2]]
    return words[:1] in (["a"], ["an"]) or (
        words[:1] == ["the"] and words[1:] in (["past"], ["last"], ["same"], ["previous"])
    )


def measure_suffix(token: Token) -> tuple[str, str] | None:
    """A unit glued to the digits: "15%", "5km", "155mm"."""
    if token.suffix and token.suffix in MEASURES:
        return MEASURES[token.suffix]
    return None


def year_of_event(tokens: list[Token], first: int, time_words: frozenset[str]) -> bool:
    """ "since the 2021 coup", "after the 2014 war": a word of time, "the", then a number
    like a year, which names the event after it."""
    before = tokens[first - 2].lower if first > 1 else ""
    return first > 0 and tokens[first - 1].lower == "the" and before in time_words


_EVENTS: Final = frozenset(
    {
        *("war", "coup", "flood", "floods", "election", "elections", "earthquake", "invasion"),
        *("offensive", "ceasefire", "truce", "uprising", "revolution", "census", "accord"),
        *("agreement", "famine", "drought", "crisis", "protests", "riots", "massacre", "siege"),
    }
)


def year_naming_event(tokens: list[Token], first: int, after: int) -> bool:
    """ "the 2023 floods", "its 2014 offensive": after "the" or a possessive, a number like a
    year followed by an event's noun is that event's year, no count of events."""
    if first < 1 or after >= len(tokens) or tokens[after].lower not in _EVENTS:
        return False
    before = tokens[first - 1].lower
    possessive = before.endswith(("'s", "\u2019s"))
    return possessive or before in ("the", "its", "their", "his", "her", "a")
