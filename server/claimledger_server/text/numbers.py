"""Tokens, and the numbers they spell: digits with separators ("3,000", "3 000", "3.5
million"), number words ("twenty-five", "a thousand", "two dozen") and the words of a
magnitude without a number ("dozens", "several hundred", "tens of thousands").

Hand-written rather than a number-words library: the parser needs each number's token span
and its scale ("3 to 5 million" shares "million"), and the libraries on PyPI return neither
(text2num's `alpha2digit` rewrites text, and reads "a thousand" as "a 1000" and "3.5
million" as "3.5 1000000")."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from claimledger_server.text.lexicon import (
    SCALES,
    SUFFIX_SCALES,
    TEENS,
    TENS,
    UNITS,
    UNSPECIFIED_WORDS,
    VAGUE_MULTIPLIERS,
    VAGUE_PLURALS,
)


class Token(NamedTuple):
    """A word, a number written in digits (with the letters or "%" glued after it in
    `suffix`), or one punctuation character. Offsets are code points into the text."""

    text: str
    lower: str
    start: int
    end: int
    glued: bool
    """No space between this token and the one before."""
    is_word: bool
    value: Decimal | None = None
    """The number a digits token is, separators removed; None for other tokens."""
    grouped: bool = False
    """Written with thousands separators ("3,000")."""
    suffix: str = ""

    @property
    def is_number(self) -> bool:
        return self.value is not None


# Separators: comma, space, no-break space, narrow no-break space, thin space; each group of
# three digits must end where the digits end, so "2024 100" and "5,10" are not one number.
_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?P<sep>[,\u00a0\u202f\u2009 ])\d{3}(?!\d)(?:(?P=sep)\d{3}(?!\d))*"
    r"(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suffix>[^\W\d_]+|%)?"
    r"|(?P<word>[^\W\d_]+(?:['\u2019-][^\W\d_]+)*)"
    r"|(?P<punct>\S)"
)
_SEPARATORS = str.maketrans("", "", ",\u00a0\u202f\u2009 ")
_STARTS = frozenset(
    {*UNITS, *TEENS, *TENS, "a", "an", "half", "several", "tens", *VAGUE_PLURALS}
    | UNSPECIFIED_WORDS
)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    previous_end = -1
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        glued = start == previous_end
        previous_end = end
        word = match[0]
        if (digits := match["num"]) is not None:
            value = Decimal(digits.translate(_SEPARATORS))
            grouped = match["sep"] is not None
            suffix = (match["suffix"] or "").lower()
            lower = word.lower()
            tokens.append(Token(word, lower, start, end, glued, False, value, grouped, suffix))
        else:
            lower = word.lower()
            if "\u2019" in lower:
                lower = lower.replace("\u2019", "'")
            tokens.append(Token(word, lower, start, end, glued, match["word"] is not None))
    return tokens


def may_start_number(token: Token) -> bool:
    """Whether a number or magnitude can start at this token: a cheap test that keeps the
    parser from reading every word of a text."""
    word = token.lower
    return token.value is not None or word in _STARTS or word.partition("-")[0] in _STARTS


@dataclass(frozen=True, slots=True)
class Reading:
    """A number (or a magnitude) read from tokens `first` to `last` (exclusive)."""

    first: int
    last: int
    value: Decimal | None = None
    """The number; None for a vague or unspecified magnitude."""
    scale: int = 1
    """The scale word that ends it ("5 million": 1,000,000), or 1."""
    vague: tuple[int, int] | None = None
    """The bounds DESIGN's lexicon gives a magnitude ("several hundred": 300, 900)."""
    unspecified: bool = False
    """"some", "many": a number was stated to exist, with no magnitude."""
    words: bool = False
    """Spelled in words, and nothing larger than the words themselves ("one", "twenty")."""


def read_number(tokens: list[Token], i: int) -> Reading | None:
    """The number or magnitude that starts at token `i`, if one does."""
    token = tokens[i]
    if token.value is not None:
        return _digits(tokens, i)
    if not token.is_word:
        return None
    return _words(tokens, i) or _vague(tokens, i)


def _digits(tokens: list[Token], i: int) -> Reading:
    token = tokens[i]
    assert token.value is not None
    value, scale = token.value, 1
    if token.suffix in SUFFIX_SCALES:
        scale = SUFFIX_SCALES[token.suffix]
    elif token.suffix == "m" and i > 0 and tokens[i - 1].text in "$€£¥₴₽₩₪₹" and token.glued:
        scale = 1_000_000
    j = i + 1
    while j < len(tokens) and tokens[j].lower in SCALES and not tokens[j].glued:
        scale *= SCALES[tokens[j].lower]
        j += 1
    return Reading(i, j, value * scale, scale)


def _number_parts(token: Token) -> list[str] | None:
    """The number words of a token ("twenty-five" → twenty, five), or None."""
    if not token.is_word:
        return None
    parts = token.lower.split("-")
    known = all(p in UNITS or p in TEENS or p in TENS or p in SCALES for p in parts)
    return parts if known else None


_FOLLOWS: dict[str, set[str | None]] = {
    "unit": {None, "tens", "hundred", "big"},
    "teen": {None, "hundred", "big"},
    "tens": {None, "hundred", "big"},
    "hundred": {"unit", "teen"},
    "dozen": {"unit", "teen", "tens"},
    "big": {"unit", "teen", "tens", "hundred", "dozen"},
}
"""Which kind of number word may follow which: "twenty five" and "nineteen hundred" read as
one number, "five six" and "twenty thirty" as two."""


class _WordNumber:
    """The state of the usual English number-words reading: a running `total` of the
    completed thousands groups and the `current` group."""

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.last: str | None = None
        self.big = 0
        self.scale = 1

    def take(self, word: str) -> bool:
        if word in UNITS or word in TEENS or word in TENS:
            kind = "unit" if word in UNITS else "teen" if word in TEENS else "tens"
            value = UNITS.get(word) or TEENS.get(word) or TENS.get(word, 0)
        else:
            value = SCALES[word]
            kind = "hundred" if value == 100 else "dozen" if value == 12 else "big"
        if self.last not in _FOLLOWS[kind] or (kind == "big" and self.big and value >= self.big):
            return False
        if kind in ("unit", "teen", "tens"):
            self.current += value
            self.scale = 1
        elif kind == "big":
            self.total += self.current * value
            self.current, self.big = 0, value
            self.scale = value
        else:
            self.current *= value
            self.scale = value
        self.last = kind
        return True


def _words(tokens: list[Token], i: int) -> Reading | None:
    n = len(tokens)
    state = _WordNumber()
    j = i
    word = tokens[i].lower
    if word in ("a", "an", "half") and i + 1 < n and tokens[i + 1].lower in SCALES:
        if word == "half":
            return None  # "half hundred" is not English; "half a dozen" is below
        state.current, state.last, j = 1, "unit", i + 1
    elif word == "half" and i + 2 < n and tokens[i + 1].lower in ("a", "an"):
        scale = SCALES.get(tokens[i + 2].lower)
        if scale is None or scale % 2:
            return None
        return Reading(i, i + 3, Decimal(scale // 2), scale)
    while j < n:
        parts = _number_parts(tokens[j])
        if parts is None:
            after = _number_parts(tokens[j + 1]) if j + 1 < n else None
            joins = tokens[j].lower == "and" and state.last in ("hundred", "big")
            if joins and after and after[0] not in SCALES:
                j += 1
                continue
            break
        saved = (state.total, state.current, state.last, state.big, state.scale)
        if not all(state.take(p) for p in parts):
            state.total, state.current, state.last, state.big, state.scale = saved
            break
        j += 1
    if j == i or state.last is None:
        return None
    if tokens[j - 1].lower == "and":
        j -= 1
    value = state.total + state.current
    spelled_small = state.scale == 1 and all(_number_parts(t) for t in tokens[i:j])
    return Reading(i, j, Decimal(value), state.scale, words=spelled_small)


def _vague(tokens: list[Token], i: int) -> Reading | None:
    n = len(tokens)
    word = tokens[i].lower
    nxt = tokens[i + 1].lower if i + 1 < n else ""
    if word in ("tens", "hundreds") and nxt == "of" and i + 2 < n:
        magnitude = SCALES.get(tokens[i + 2].lower.removesuffix("s"))
        if magnitude and magnitude >= 1_000 and tokens[i + 2].lower.endswith("s"):
            low = 2 * (10 if word == "tens" else 100)
            return Reading(i, i + 3, vague=(low * magnitude, low * 5 * magnitude - 1))
    if word in VAGUE_PLURALS:
        if word == "scores" and nxt != "of":
            return None  # "he scores", "the scores"
        return Reading(i, i + 1, vague=VAGUE_PLURALS[word])
    for phrase, (low, high) in VAGUE_MULTIPLIERS.items():
        if tuple(t.lower for t in tokens[i : i + len(phrase)]) == phrase:
            j = i + len(phrase)
            scale = 1
            while j < n and (tokens[j].lower.removesuffix("s") in SCALES):
                scale *= SCALES[tokens[j].lower.removesuffix("s")]
                j += 1
            return Reading(i, j, scale=scale, vague=(low * scale, high * scale))
    if word in UNSPECIFIED_WORDS:
        return Reading(i, i + 1, unspecified=True)
    unknown = word == "an" and nxt in _UNKNOWN
    if unknown and tuple(t.lower for t in tokens[i + 2 : i + 4]) == ("number", "of"):
        return Reading(i, i + 4, unspecified=True)  # "an unknown number of women"
    return None


_UNKNOWN = frozenset({"unknown", "unspecified", "undisclosed", "undetermined", "uncounted"})
"""How "an … number of" says a number exists that nobody gave."""
