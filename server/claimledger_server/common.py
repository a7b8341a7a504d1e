"""Field types shared by several resources. Every string refuses NUL (PostgreSQL cannot
store it in text) and has a length bound, so bad input is a 422, never a 500 or a silent cut."""

from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from claimledger_server.countries import Country
from claimledger_server.ids import id_meta

_NO_NUL = r"^[^\x00]*$"

ShortText = Annotated[str, Meta(min_length=1, max_length=300, pattern=_NO_NUL)]
LongText = Annotated[str, Meta(min_length=1, max_length=20_000, pattern=_NO_NUL)]
ExternalId = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=200,
        pattern=r"^[^\x00-\x1f]+$(?!\n)",
        description="Your own key for this resource; unique per resource kind.",
    ),
]
# No control character or space. Spelled out rather than `\s`, which Python (the server)
# and ECMA-262 (the document's readers) do not agree on: Python's includes \x1c-\x1f.
Url = Annotated[str, Meta(max_length=2048, pattern=r"^https?://[^\x00-\x20\x7f]+$(?!\n)")]
Slug = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$(?!\n)")]
Latitude = Annotated[float, Meta(ge=-90, le=90)]
Longitude = Annotated[float, Meta(ge=-180, le=180)]

Precision = Literal["day", "month", "year"]
"""How much of a date is known: a "month" or "year" date is written as the first day of
that month or year (see `dates.py`)."""
Day = Annotated[date, Meta(description="ISO 8601 date, YYYY-MM-DD.")]

ActorId = Annotated[str, id_meta("act", "Id of an actor.")]
SourceId = Annotated[str, id_meta("src", "Id of a source.")]
ClaimId = Annotated[str, id_meta("clm", "Id of a claim.")]


class Location(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Where something happened, as precisely as it was stated."""

    name: ShortText | None = None
    country: Country | None = None
    admin1: ShortText | None = None
    """First-level administrative division, e.g. "Kursk Oblast"."""
    lat: Latitude | None = None
    lon: Longitude | None = None
