"""How ordinary news stories name outlets, for `claimants.py`'s relays:

- a paper names itself by the last words of its name ("told the Mirror" in the Kivu Daily
  Mirror, "speaking to the Observer" in the Sahel Observer): that is the publisher, which
  relays nothing (the source already is it);
- an outlet's name is its capitalised words; a lower-case description after them ("the
  state-run SONNA news agency", "the Global New Light of Myanmar newspaper") says what it
  is, and whose it is or who runs it before them ("Iran's", "Saudi-owned") whose it is: no
  part of its name ("Kivu News Agency", capitalised, is a name)."""

import re
from typing import Final

from claimledger_server.extractions.gazetteer import normalize

_DESCRIPTION_AFTER: Final = re.compile(
    r"\s+(?:news\s+agency|news\s+service|newspaper|daily|weekly|news\s+site|website|"
    r"news\s+outlet)$"
)
"""Lower-case words after an outlet's name that say what kind of outlet it is."""
_NAME_WORD: Final = re.compile(r"[A-Z\u00c0-\u00de]")
_OWNER_BEFORE: Final = re.compile(
    r"(?:(?:the|an?)\s+)?(?:[\w.-]+['\u2019]s?\s+)?"
    r"(?:[\w-]+-(?:run|owned|backed|based|funded|controlled|aligned)\s+|state\s+|independent\s+)*"
)
"""Whose an outlet is or who runs it, before its name: "Iran's", "the group's", "Saudi-owned"."""


def names_publisher(name: str, publisher: str | None) -> bool:
    """Whether `name` is the publisher's name or the last words of it, capitalised as in it
    ("the Mirror", "Daily Mirror" for the Kivu Daily Mirror)."""
    if publisher is None:
        return False
    folded, own = normalize(name), normalize(publisher)
    if folded == own:
        return True
    words, own_words = name.removeprefix("the ").split(), publisher.split()
    if not words or len(words) >= len(own_words) or not _NAME_WORD.match(words[0]):
        return False
    return own_words[-len(words) :] == words


def without_description(text: str, start: int, end: int) -> tuple[int, int]:
    """The outlet's name in `text[start:end]`, without the lower-case description after it
    ("SONNA news agency" → "SONNA"), when what is left is a capitalised name."""
    phrase = text[start:end]
    description = _DESCRIPTION_AFTER.search(phrase)
    if description is None:
        return start, end
    words = phrase[: description.start()].split()
    if not words or not _NAME_WORD.match(words[-1]):
        return start, end  # "the state news agency": a description alone, no name
    owner = _OWNER_BEFORE.match(phrase, 0, description.start())
    first = owner.end() if owner and _NAME_WORD.match(phrase, owner.end()) else 0
    return start + first, start + description.start()


_BRACKET_ASIDE: Final = re.compile(r"\s*\([^()\n]*,[^()\n]*\)")
"""A bracketed aside with a comma after a name ("MARIB VOICE (Marib, pro-government weekly)",
"the Lantern Trust (London, founded 1990)"): where and what the speaker is."""


def without_bracket_asides(text: str, start: int, end: int) -> str:
    """`text` with the bracketed asides of `text[start:end]` that hold a comma blanked out,
    each character a space, so that their commas split no speaker phrase and every position
    stays where it was; an acronym in brackets ("(AUSSOM)") is kept."""
    if "(" not in text[start:end]:
        return text
    blanked = _BRACKET_ASIDE.sub(lambda m: " " * len(m.group()), text[start:end])
    return text[:start] + blanked + text[end:]


_CITED_DOCUMENT: Final = re.compile(
    r"\s+(?:statement|report|communiqu[eé]|bulletin|update|press\s+release|post)"
    r"(?:\s+(?:issued|published|released|posted|dated)\b.*)?$"
)
"""What a cited source issued, after its author: "a World Food Programme statement"."""


def cited_author(text: str, start: int, end: int) -> tuple[int, int]:
    """Who a cited phrase names: the author of the document it cites ("quoting a World Food
    Programme statement issued on Sunday" → "World Food Programme"), else the phrase."""
    document = _CITED_DOCUMENT.search(text, start, end)
    if document is None or not _NAME_WORD.match(text, start):
        return start, end
    return start, document.start()
