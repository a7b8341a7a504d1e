"""Sources: how they reference others, and their list filters."""

from datetime import timedelta

from claimledger_server import urls
from claimledger_server.dates import precision_errors, span_end
from claimledger_server.errors import FieldError
from claimledger_server.sources.schemas import SourceFields, SourceKind
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.lists import Filters

# Local dates of publication may differ from the UTC day by the time zone's offset.
_ZONE_SLACK = timedelta(days=1)


def _check(fields: SourceFields, source_id: str | None) -> list[FieldError]:
    if fields.title is None and fields.url is None:
        return [FieldError("title", "a source needs a title or a url to be identifiable")]
    unparsable = [
        FieldError(name, reason)
        for name in ("url", "archived_url")
        if (url := getattr(fields, name)) is not None and (reason := urls.problem(url))
    ]
    if unparsable:
        return unparsable
    day, precision = fields.published_on, fields.published_on_precision
    errors = precision_errors("published_on", day, "published_on_precision", precision)
    if not errors and day is not None and fields.published_at is not None:
        published = fields.published_at.date()
        # Differences of dates, not sums: 0001-01-01 and 9999-12-31 have no day beyond.
        if published - day < -_ZONE_SLACK or published - span_end(day, precision) > _ZONE_SLACK:
            errors.append(
                FieldError(
                    "published_on",
                    f"{day.isoformat()} ({precision}) does not contain published_at; set it"
                    " to null to take the UTC day of published_at",
                )
            )
    return errors


SOURCES = register(
    ResourceKind(
        name="source",
        table="sources",
        prefix="src",
        fields=SourceFields,
        references={"publisher_id": "actors", "republished_from_id": "sources"},
        check=_check,
        cleared_with={"published_on": "published_on_precision"},
        chain_link="republished_from_id",
    )
)


def filters(
    *,
    kind: SourceKind | None,
    publisher_id: str | None,
    q: str | None,
    republished_from_id: str | None = None,
) -> Filters:
    found = Filters()
    if kind is not None:
        found.add("kind = {}", kind)
    if publisher_id is not None:
        found.add("publisher_id = {}", publisher_id)
    if republished_from_id is not None:
        found.add("republished_from_id = {}", republished_from_id)
    if q is not None:
        found.search("english", q)
    return found
