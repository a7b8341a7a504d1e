"""The public shapes of API keys (`/v1/keys`), and of the events that announce their
changes. A key's secret appears in one answer only, the one that created it."""

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from claimledger_server.ids import id_meta
from claimledger_server.rate_limits import MAX_LIMIT

Scope = Literal["read", "write", "admin"]
MAX_NAME = 200
KeyName = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=MAX_NAME,
        # Not blank, and no control character (`claimledger keys list` prints one key a line,
        # its fields separated by tabs). Spelled out, not `\s`/`\S`, which Python (the server)
        # and ECMA-262 (the document's readers) do not agree on.
        pattern=r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$(?!\n)",
        description="Who or what the key is for, e.g. the partner or app; shown to admins only.",
    ),
]
Scopes = Annotated[
    list[Scope],
    Meta(
        min_length=1,
        max_length=3,
        description="`read`, `write`, `admin`; each includes the ones before it (admin can"
        " write, write can read). Stored once each, in that order.",
    ),
]
RateLimit = Annotated[
    int,
    Meta(
        ge=1,
        le=MAX_LIMIT,
        description="Requests a minute this key may make, all routes together; null: the"
        " server's default.",
    ),
]
KeyId = Annotated[str, id_meta("key", "The key's id.")]


class ApiKeyCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: KeyName
    scopes: Scopes
    rate_limit_per_minute: RateLimit | None = None


class ApiKeyUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Members present replace the stored ones; `rate_limit_per_minute: null` gives the key
    the server's default again."""

    name: KeyName | UnsetType = UNSET
    scopes: Scopes | UnsetType = UNSET
    rate_limit_per_minute: RateLimit | UnsetType | None = UNSET


class ApiKey(msgspec.Struct, kw_only=True):
    """An API key as admins see it: never its secret, nor the secret's hash."""

    id: KeyId
    version: int
    """1 on creation, +1 on every change (the ETag)."""
    name: str
    prefix: str
    """The secret's first characters (`clk_` and six more), to tell keys apart."""
    scopes: list[Scope]
    rate_limit_per_minute: int | None
    """Requests a minute; null: the server's default."""
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None
    """When a request last came with it, to the minute; null if never."""
    revoked_at: datetime | None
    """When it was revoked; null while it works."""


class ApiKeyWithSecret(ApiKey, kw_only=True):
    secret: str
    """`clk_…`: shown now and never again (only its hash is stored). Send it as
    `Authorization: Bearer <secret>`."""


class ApiKeyList(msgspec.Struct):
    data: list[ApiKey]
    next_cursor: str | None


class ApiKeyChanged(msgspec.Struct, kw_only=True):
    """The `data` of an `api_key.*` event. The feed is open to every key and partners mirror
    it, so it says what a key may do, never what it is called or any part of its secret."""

    id: str
    version: int
    scopes: list[str]
    rate_limit_per_minute: int | None
    created_at: datetime
    updated_at: datetime
    revoked_at: datetime | None


API_TYPES: list[type[msgspec.Struct]] = [
    ApiKeyCreate,
    ApiKeyUpdate,
    ApiKey,
    ApiKeyWithSecret,
    ApiKeyList,
]
