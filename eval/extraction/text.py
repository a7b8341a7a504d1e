"""Finding phrases and numbers in an article, and comparing actor names."""

import re
import unicodedata
from typing import Final

Span = tuple[int, int]
"""Start and end offsets (code points, end exclusive) into an article's text."""

_SCALES: Final = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_NUMBER: Final = re.compile(
    r"(?<![\w.])"
    # Thousands separated by commas, or by spaces ("3 000"), never both in one number.
    r"(\d{1,3}(?:,\d{3}(?!\d))+|\d{1,3}(?:[ \u00a0\u202f]\d{3}(?!\d))+|\d+)"
    r"(?:\.(\d+))?"
    r"(?:\s+(thousand|million|billion)\b)?"
)


def occurrences(text: str, phrase: str) -> list[Span]:
    """Where `phrase` occurs in `text` as whole words (not inside a longer word or
    number): "12" is not found in "120" nor in "12th"."""
    pattern = r"(?<!\w)" + re.escape(phrase) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def span_of(text: str, phrase: str) -> Span | None:
    """Where `phrase` first occurs in `text`, verbatim; None when it does not."""
    start = text.find(phrase)
    return None if start < 0 else (start, start + len(phrase))


def overlap(a: Span, b: Span) -> int:
    """How many code points two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def numbers_in(text: str) -> list[int]:
    """The numbers written with digits in `text` ("3,000", "3 000", "3.5 million" →
    3500000), as integers (a fraction without a scale word is cut: "2.3" → 2)."""
    values = []
    for match in _NUMBER.finditer(text):
        whole, fraction, scale = match.groups()
        digits = re.sub(r"\D", "", whole)
        multiplier = _SCALES[scale] if scale else 1
        value = int(digits) * multiplier
        if fraction:
            value += int(fraction) * multiplier // 10 ** len(fraction)
        values.append(value)
    return values


def normalize_name(name: str) -> str:
    """An actor's name as names are compared: case, accents, punctuation, a possessive
    "'s" and a leading article do not count ("the U.N. agency's" ~ "UN agency", "a
    lawmaker" ~ "lawmaker")."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"['\u2019]s\b", "", folded)
    folded = re.sub(r"[.\u2019']", "", folded)
    words = re.sub(r"[^\w]+", " ", folded).split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)
