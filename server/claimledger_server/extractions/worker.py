"""What runs in a drafting process (`drafting.py` starts them): the configured extractor,
built once, and the last gazetteer it was sent, decoded once.

Everything crosses the process boundary as text or JSON bytes, so nothing but plain values
is pickled, and the result is checked again by the API process."""

import msgspec

from claimledger_server.extractions.extractor import Extractor, load_extractor
from claimledger_server.extractions.gazetteer import Gazetteer
from claimledger_server.extractions.schemas import DraftSource

NEEDS_GAZETTEER = b""
"""`draft`'s answer when it was sent a gazetteer token it has not decoded and no JSON."""

_extractor: Extractor | None = None
_gazetteer: tuple[str, Gazetteer] | None = None


def start(path: str) -> None:
    """The process pool's initializer: build the extractor once for this process."""
    global _extractor
    _extractor = load_extractor(path)()


def draft(token: str, registry: bytes | None, text: str, source: bytes) -> bytes:
    """The extractor's `ExtractedDraft` for `text` as JSON. `token` names one reading of the
    registry; its JSON (`registry`) is needed only the first time this process sees it."""
    global _gazetteer
    if _gazetteer is None or _gazetteer[0] != token:
        if registry is None:
            return NEEDS_GAZETTEER
        _gazetteer = (token, Gazetteer.from_json(registry))
    assert _extractor is not None, "start() runs first, as the pool's initializer"
    found = _extractor.extract(text, msgspec.json.decode(source, type=DraftSource), _gazetteer[1])
    return msgspec.json.encode(found)
