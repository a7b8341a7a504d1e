"""Sources: where a claim was reported — an article, a video address, a briefing."""

import contextlib
from datetime import UTC, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from claimledger_server.common import ActorId, Day, ExternalId, LongText, Precision, SourceId, Url
from claimledger_server.versioning.documents import derive_schemas

SourceKind = Literal[
    "news_article",
    "video_address",
    "press_briefing",
    "official_statement",
    "social_media_post",
    "report",
    "other",
]
LanguageTag = Annotated[
    str,
    Meta(
        max_length=35,
        pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$(?!\n)",
        description='BCP 47 language tag, e.g. "en" or "uk".',
    ),
]
Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$(?!\n)")]
Moment = Annotated[datetime, Meta(tz=True, description="RFC 3339 with an offset.")]


class SourceFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The writable fields of a source."""

    external_id: ExternalId | None = None
    kind: SourceKind = "other"
    title: LongText | None = None
    url: Url | None = None
    publisher_id: ActorId | None = None
    """The actor that published it (an outlet, a presidency…)."""
    published_at: Moment | None = None
    """The instant of publication, when it is known."""
    language: LanguageTag | None = None
    archived_url: Url | None = None
    content_sha256: Sha256 | None = None
    """SHA-256 of the content as retrieved: evidence of what the page said."""
    published_on: Day | None = None
    """The day (or month, or year) of publication, when no instant is known; filled with
    the UTC day of `published_at` when only that is given."""
    published_on_precision: Precision | None = None
    """How much of `published_on` is known; "day" when `published_on` is given without it."""
    republished_from_id: SourceId | None = None
    """The source this one syndicates or reprints (a wire story run by a newspaper)."""

    def __post_init__(self) -> None:
        # In UTC, unless that instant is past the years 1-9999 Python can hold
        # (9999-12-31T23:59:59-01:00): then as given, which is the same instant.
        if self.published_at is not None:
            with contextlib.suppress(OverflowError):
                self.published_at = self.published_at.astimezone(UTC)
            if self.published_on is None:
                self.published_on = self.published_at.date()
        if self.published_on is not None and self.published_on_precision is None:
            self.published_on_precision = "day"


SOURCE = derive_schemas("Source", SourceFields, [])
