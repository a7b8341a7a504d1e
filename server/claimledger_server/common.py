"""Field types shared by several resources. Every string refuses NUL (PostgreSQL cannot
store it in text) and has a length bound, so bad input is a 422, never a 500 or a silent cut."""

from typing import Annotated

import msgspec
from msgspec import Meta

from claimledger_server.countries import Country

_NO_NUL = r"^[^\x00]*$"

ShortText = Annotated[str, Meta(min_length=1, max_length=300, pattern=_NO_NUL)]
LongText = Annotated[str, Meta(min_length=1, max_length=20_000, pattern=_NO_NUL)]
ExternalId = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=200,
        pattern=r"^[^\x00-\x1f]+$",
        description="Your own key for this resource; unique per resource kind.",
    ),
]
Url = Annotated[str, Meta(max_length=2048, pattern=r"^https?://[^\s\x00]+$")]
Slug = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Latitude = Annotated[float, Meta(ge=-90, le=90)]
Longitude = Annotated[float, Meta(ge=-180, le=180)]

ActorId = Annotated[
    str, Meta(max_length=64, pattern=r"^act_[0-9a-z]+$", description="Id of an actor.")
]
SourceId = Annotated[
    str, Meta(max_length=64, pattern=r"^src_[0-9a-z]+$", description="Id of a source.")
]
ClaimId = Annotated[
    str, Meta(max_length=64, pattern=r"^clm_[0-9a-z]+$", description="Id of a claim.")
]


class Location(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Where something happened, as precisely as it was stated."""

    name: ShortText | None = None
    country: Country | None = None
    admin1: ShortText | None = None
    """First-level administrative division, e.g. "Kursk Oblast"."""
    lat: Latitude | None = None
    lon: Longitude | None = None
