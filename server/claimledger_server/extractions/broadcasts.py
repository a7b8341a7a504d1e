"""A text that summarises one outlet's broadcast ("The following summarises the evening news
programme of the channel X, monitored by …"): everyone it reports reached the writer through
that outlet, which relays them — the guests it interviewed, the officials its reporters
quoted, the clips it aired — except the outlet's own presenters, who speak on their own
channel (GUIDELINES.md: the claimant's own channel is no relay)."""

import re
from typing import Final

from claimledger_server.extractions.gazetteer import Gazetteer
from claimledger_server.extractions.relays import DESCRIBED_OUTLET, is_outlet

_SUMMARY: Final = re.compile(
    r"[^.\n]*\b(?:summar(?:ises|izes|ised|ized|y\s+of)|monitored|transcribed|recap\s+of)\b"
    r"[^.\n]*\b(?:programme|program|bulletin|broadcast|newscast|news\s+show|talk\s+show)s?\b"
    r"[^\n]*?(?:\.(?=\s)|\n|$)"
)
"""The sentence that says the text summarises a broadcast."""
_OPENING: Final = 1_500
"""How far into the text that sentence is looked for: it frames what follows."""
_OUTLET: Final = re.compile(r"[A-Z][\w'&-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w'&-]*)*")
_STAFF: Final = re.compile(
    r"\b(?:anchor|anchorwoman|anchorman|presenter|host|newsreader|newscaster|co-host)\s*,?\s*$",
    re.IGNORECASE,
)
"""The outlet's own voice, named before the person: "Anchor X", "the presenter, X,"."""


def broadcaster(text: str, gazetteer: Gazetteer, publisher: str | None) -> tuple[int, int] | None:
    """The one outlet whose broadcast the text says it summarises, if it says so."""
    summary = _SUMMARY.search(text, 0, min(len(text), _OPENING))
    if summary is None:
        return None
    named = [m.span("name") for m in DESCRIBED_OUTLET.finditer(text, *summary.span())]
    named += [
        m.span()
        for m in _OUTLET.finditer(text, *summary.span())
        if m.group() != publisher and is_outlet(m.group(), gazetteer)
    ]
    names = {text[first:last] for first, last in named} - {publisher}
    return named[0] if len(names) == 1 else None


def presenter(text: str, start: int, phrase_start: int) -> bool:
    """Whether the speaker phrase at `phrase_start` is introduced as the outlet's presenter
    ("Anchor X said", "the host, X, said"), reading from the sentence's `start`."""
    return _STAFF.search(text, max(start, phrase_start - 30), phrase_start) is not None or (
        _STAFF.search(text[phrase_start : phrase_start + 30].split(" ", 1)[0] + " ") is not None
    )
