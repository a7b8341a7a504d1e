"""Request parameters more than one package declares: page size and cursor, the
Idempotency-Key header, and RFC 3339 times in the query."""

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar.params import HeaderParameter, QueryParameter

from claimledger_server.errors import ApiError, FieldError

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        max_length=255,
        pattern=r"^[\x21-\x7e]{1,255}$",
        required=False,
        description="Makes retries safe: the same key and body within 24 h replay the first"
        " response (`Idempotent-Replayed: true`) instead of creating again.",
    ),
]
# RFC 3339 with its offset. Declared as a string, not a datetime, because Litestar converts
# query values leniently and would read `0.5` as a Unix timestamp; `parse_moment` reads it.
RFC3339 = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


def moment_query(description: str) -> Any:
    """The type of a query parameter holding an RFC 3339 time; read it with `parse_moment`."""
    return Annotated[
        str | None,
        QueryParameter(
            description=description,
            pattern=RFC3339,
            schema_extra={"format": "date-time"},
            required=False,
        ),
    ]


Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Page size, 1 to 200.")]
Cursor = Annotated[
    str | None,
    QueryParameter(
        description="`next_cursor` of the previous page.", max_length=200, required=False
    ),
]


def as_utc(moment: datetime | None) -> datetime | None:
    """Query times without an offset are taken as UTC rather than refused. An instant past
    the years 1-9999 in UTC (`9999-12-31T23:59:59-01:00`) becomes the nearest end of that
    range, which compares the same against every stored time."""
    if moment is None or moment.tzinfo is None:
        return None if moment is None else moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return (datetime.max if moment.year > 1 else datetime.min).replace(tzinfo=UTC)


def parse_moment(field: str, text: str | None) -> datetime | None:
    """A query parameter declared with `moment_query`, in UTC; a calendar-invalid time
    (`2024-02-30T…`) is a 400 naming the parameter."""
    if text is None:
        return None
    try:
        moment = msgspec.json.decode(msgspec.json.encode(text), type=datetime)
    except msgspec.ValidationError:
        raise ApiError(
            400,
            "bad-request",
            f"{field}: not an RFC 3339 date-time",
            errors=[FieldError(field, "not an RFC 3339 date-time, e.g. 2024-12-27T00:00:00Z")],
        ) from None
    return as_utc(moment)
