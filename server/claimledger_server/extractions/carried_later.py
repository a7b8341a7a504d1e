"""A relay named after the words it passed on, in a sentence of its own ("His remarks were
carried by the X news agency", "Her account was first reported by the Y"): the outlet relays
the claim before it, and — a relay named once holds for all the claimant's claims — every
other claim of that claimant. The claimant's own channel ("were carried by its radio") and
the text's own publisher relay nothing."""

import re
from typing import Final

from claimledger_server.extractions.actors import ActorBook
from claimledger_server.extractions.gazetteer import Gazetteer
from claimledger_server.extractions.outlet_names import names_publisher, without_description
from claimledger_server.extractions.relays import is_outlet
from claimledger_server.extractions.schemas import DraftClaim
from claimledger_server.extractions.speaker_phrases import trim

_CARRIED: Final = re.compile(
    r"(?:(?<=^)|(?<=[.!?\"\u201d]\s)|(?<=\n))(?:His|Her|Their|Its|These|Those|The)\s+"
    r"(?:[a-z]+\s+)?(?:remarks|comments|words|statements?|account|claims?|figures?)\s+"
    r"(?:was|were|had\s+been|have\s+been|has\s+been)\s+(?:first\s+|later\s+|also\s+)?"
    r"(?:carried|reported|relayed|published|broadcast|aired)\s+(?:by|on)\s+"
    r"(?!(?:its|their|his|her|our)\s)(?P<outlet>[^.;:\n]{2,80}?)\s*(?:\.(?!\w)|;|$)",
    re.MULTILINE,
)
"""The sentence that names the outlet which carried the words said before it."""


def fill_relays(
    text: str,
    claims: list[DraftClaim],
    relays: dict[str, str],
    book: ActorBook,
    context: tuple[Gazetteer, str | None],
) -> None:
    """Give each claim the relay its claimant has, after the relays that sentences of their
    own name for the claim before them ("His remarks were carried by …")."""
    gazetteer, publisher = context
    for carried in _CARRIED.finditer(text):
        before = [
            claim for claim in claims if claim.spans and claim.spans[0].start < carried.start()
        ]
        span = trim(text, *carried.span("outlet"))
        if not before or span is None:
            continue
        name = text[span[0] : span[1]]
        if is_outlet(name, gazetteer) and not names_publisher(name, publisher):
            outlet = book.named(text, *without_description(text, *span))
            relays.setdefault(before[-1].claimant_ref, outlet)
    for claim in claims:
        if claim.relayed_by_ref is None:
            claim.relayed_by_ref = relays.get(claim.claimant_ref)
