"""Sources: how they reference others, and their list filters."""

from claimledger_server.errors import FieldError
from claimledger_server.sources.schemas import SourceFields, SourceKind
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.store import Filters


def _check(fields: SourceFields, source_id: str | None) -> list[FieldError]:
    if fields.title is None and fields.url is None:
        return [FieldError("title", "a source needs a title or a url to be identifiable")]
    return []


SOURCES = register(
    ResourceKind(
        name="source",
        table="sources",
        prefix="src",
        fields=SourceFields,
        references={"publisher_id": "actors"},
        check=_check,
    )
)


def filters(*, kind: SourceKind | None, publisher_id: str | None, q: str | None) -> Filters:
    found = Filters()
    if kind is not None:
        found.add("kind = {}", kind)
    if publisher_id is not None:
        found.add("publisher_id = {}", publisher_id)
    if q is not None:
        found.search("english", q)
    return found
