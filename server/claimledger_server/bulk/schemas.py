"""The lines of import and export files, and the import report."""

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from claimledger_server.common import ExternalId
from claimledger_server.ids import MAX_LENGTH, id_meta
from claimledger_server.versioning.documents import Action

KindName = Literal["actor", "source", "claim", "figure"]
HistoryKindName = Literal["actor", "source", "claim", "figure", "extraction"]
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


class HistoryEvent(msgspec.Struct, forbid_unknown_fields=True):
    """The event that announced a version in the changes feed."""

    id: Annotated[str, id_meta("evt", "The event's id, as the feed shows it.")]
    position: (
        Annotated[
            int,
            Meta(
                ge=1,
                # Bounded like `FeedLine.last_position`: every JSON reader holds it exactly.
                le=2**53 - 1,
                description="Its place in the feed (the `seq` readers resume after); null"
                " when the feed had not numbered it yet.",
            ),
        ]
        | None
    )


class HistoryLine(msgspec.Struct, forbid_unknown_fields=True):
    """One version of one resource: a line of a history export (`GET
    /v1/export?history=true`) and of a history import (`POST /v1/import?history=true`)."""

    kind: HistoryKindName
    id: Annotated[
        str,
        Meta(
            max_length=MAX_LENGTH,
            pattern=r"^[a-z]+_[0-9a-z]+$(?!\n)",
            description="The resource's id, with its kind's prefix (`clm_…`).",
        ),
    ]
    version: Annotated[int, Meta(ge=1)]
    action: Annotated[
        Action,
        Meta(description="`created` for version 1; `updated`, or `deleted` for a tombstone."),
    ]
    recorded_at: Annotated[
        datetime, Meta(tz=True, description="When the version was written: its `updated_at`.")
    ]
    api_key_id: Annotated[str, id_meta("key", "The API key that wrote it.")] | None
    change_note: (
        Annotated[
            str,
            Meta(
                max_length=1000,
                pattern=r"^[^\x00]*$",
                description="The `X-Change-Note` the version was written with.",
            ),
        ]
        | None
    )
    event: Annotated[
        HistoryEvent | None,
        Meta(description="The event that announced the version; null if none was written."),
    ]
    data: Annotated[
        dict[str, Any],
        Meta(
            description="The resource as of this version, exactly as `GET"
            " /v1/{kind}/{id}/versions/{version}` answers `data`."
        ),
    ]


class FeedLine(msgspec.Struct, forbid_unknown_fields=True):
    """The first line of a history export: where the exported feed ended. A history import
    numbers the restored instance's new events after it, even when the feed's last events
    are ones the export does not carry (`api_key.*`, `webhook_endpoint.disabled`), so no
    position a mirror of the original has read is handed out again. A file without it (an
    older export) imports as well, and the restored feed then continues after its last
    restored event."""

    kind: Literal["feed"]
    last_position: Annotated[
        int,
        Meta(
            ge=0,
            # The largest integer every JSON reader holds exactly, and far from the bigint
            # limit, so the feed can go on after it.
            le=2**53 - 1,
            description="The feed's last position (`seq`) in the exported snapshot; 0 when"
            " it had none. At least every `event.position` in the file.",
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
    extraction: ImportCounts
    """Drafts: only a history import writes them."""


class ImportResult(msgspec.Struct):
    """What an import did, per line: each line created, updated or left unchanged a resource.
    In a history import each `HistoryLine` is one version: version 1 counts as created, every
    later one (a tombstone too) as updated; the `FeedLine` counts in `lines` only."""

    lines: Count
    """Lines read (blank lines are skipped)."""
    created: Count
    updated: Count
    unchanged: Count
    """Lines equal to what is stored: no new version was written for them."""
    kinds: ImportKinds
