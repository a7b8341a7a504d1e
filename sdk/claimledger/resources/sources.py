"""`client.sources`: the articles, video addresses and briefings sources are reported in."""

from __future__ import annotations

from typing import Unpack

from claimledger._generated.models import (
    Source,
    SourceFieldsParam,
    SourcePatch,
    SourcePatchParam,
    SourceVersion,
)
from claimledger._generated.operations import sources as ops
from claimledger._generated.operations.sources import ListSourcesQuery
from claimledger._resource import AsyncResource, SyncResource, VersionedOps
from claimledger.pagination import AsyncPager, SyncPager

OPS: VersionedOps[Source, Source, SourceVersion] = VersionedOps(
    create=ops.create_source,
    get=ops.get_source,
    list_page=ops.list_sources,
    update=ops.update_source,
    delete=ops.delete_source,
    list_versions=ops.list_source_versions,
    get_version=ops.get_source_version,
    diff_version=ops.diff_source_version,
)


class Sources(SyncResource[Source, Source, SourceVersion]):
    """Sources (`/v1/sources`): where a source was reported, with evidence of what it said."""

    _ops = OPS

    def create(
        self,
        *,
        change_note: str | None = None,
        idempotency_key: str | None = None,
        **fields: Unpack[SourceFieldsParam],
    ) -> Source:
        """Create a source (version 1); every field is optional.

        Args:
            change_note: Why; stored on the revision (`X-Change-Note`).
            idempotency_key: Sent as `Idempotency-Key`; one is generated when not given.
            **fields: The source's fields (see `SourceFieldsParam`).

        Raises:
            UnprocessableEntity: A field breaks a rule, or a reference names no live resource.
            Conflict: The `external_id` is taken.

        """
        return self._create(fields, change_note, idempotency_key)

    def list(self, **filters: Unpack[ListSourcesQuery]) -> SyncPager[Source]:
        """Iterate over sources, oldest first, fetching pages as needed.

        Filters: `kind`, `publisher_id`, `q` (full text over titles), `external_id`,
        `updated_since`, `include_deleted`; `limit` is the page size and `cursor` resumes
        from a page.
        """
        return self._list(filters)

    def update(
        self,
        source: Source | str,
        changes: SourcePatch | SourcePatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[SourcePatchParam],
    ) -> Source:
        """Change a source (JSON merge patch: given members replace, `None` clears).

        Given a `Source`, the change applies only if the source is still at that version
        (`If-Match`), else `PreconditionFailed`; given an id, to the latest version unless
        `if_match` names one. Changes come as a dict or `SourcePatch`, and/or as keywords.
        """
        return self._update(source, changes, fields, if_match, change_note)


class AsyncSources(AsyncResource[Source, Source, SourceVersion]):
    """Sources (`/v1/sources`) on an `AsyncClient`."""

    _ops = OPS

    async def create(
        self,
        *,
        change_note: str | None = None,
        idempotency_key: str | None = None,
        **fields: Unpack[SourceFieldsParam],
    ) -> Source:
        """Create a source (version 1); every field is optional.

        See `Sources.create`.
        """
        return await self._create(fields, change_note, idempotency_key)

    def list(self, **filters: Unpack[ListSourcesQuery]) -> AsyncPager[Source]:
        """Iterate (`async for`) over sources, oldest first; see `Sources.list`."""
        return self._list(filters)

    async def update(
        self,
        source: Source | str,
        changes: SourcePatch | SourcePatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[SourcePatchParam],
    ) -> Source:
        """Change a source (JSON merge patch); see `Sources.update`."""
        return await self._update(source, changes, fields, if_match, change_note)
