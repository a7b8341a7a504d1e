"""The line of an import or export file, and the import report."""

from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from claimledger_server.common import ExternalId

KindName = Literal["actor", "source", "claim", "figure"]
Count = Annotated[int, Meta(ge=0)]


class ImportLine(msgspec.Struct, forbid_unknown_fields=True):
    """One resource: one line of NDJSON, or one row of CSV (`data` as JSON text)."""

    kind: KindName
    external_id: ExternalId
    """Upsert key: the line updates the resource of this kind with this external_id, or
    creates it."""
    data: Annotated[
        dict[str, Any],
        Meta(
            description="The create body of the kind, without `external_id`. References may"
            ' name their target as `"ext:<external_id>"`.'
        ),
    ]


class ImportCounts(msgspec.Struct):
    created: Count
    updated: Count
    unchanged: Count


class ImportKinds(msgspec.Struct):
    actor: ImportCounts
    source: ImportCounts
    claim: ImportCounts
    figure: ImportCounts


class ImportResult(msgspec.Struct):
    """What an import did, per line: each line created, updated or left unchanged a resource."""

    lines: Count
    """Lines read (blank lines are skipped)."""
    created: Count
    updated: Count
    unchanged: Count
    """Lines equal to what is stored: no new version was written for them."""
    kinds: ImportKinds
