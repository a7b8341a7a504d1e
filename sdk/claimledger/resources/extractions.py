"""`client.extractions`: drafts of claims from a text, reviewed and then published.

    draft = client.extractions.create(text=article, source={"title": "…", "published_on": d})
    for claim in draft.claims:                      # what the server found, with spans
        print(claim.claimant_ref, claim.text)
    draft = client.extractions.update(draft, claims=[...])      # a reviewer's corrections
    done = client.extractions.publish(draft)        # one transaction; ids in done.published

Drafts are versioned like every resource (`versions`, `version`, `diff`, `get(as_of=...)`)
but are never deleted: they end published or discarded. Written by hand on the generated
operations (`claimledger._generated.operations.extractions`), since create, publish and
discard do not have the shape of the generated versioned resources.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias, Unpack, cast

from claimledger._generated.models import (
    CreateExtractionParam,
    DraftSource,
    DraftSourceParam,
    Extraction,
    ExtractionPatch,
    ExtractionPatchParam,
    ExtractionVersion,
    JsonPatchOperation,
)
from claimledger._generated.operations import extractions as ops
from claimledger._generated.operations.extractions import ListExtractionsQuery
from claimledger._operation import AsyncRequester, Operation, SyncRequester
from claimledger._resource import Moment, patch_body, precondition, resource_id
from claimledger.pagination import AsyncPager, SyncPager

Draft: TypeAlias = Extraction | str
"""A draft, or its id."""
Patch: TypeAlias = list[JsonPatchOperation]
"""RFC 6902 operations (`diff`)."""


def _create_op(
    text: str, source: DraftSource | DraftSourceParam | None, change_note: str | None
) -> Operation[Extraction]:
    body: CreateExtractionParam = {"text": text}
    if source is not None:
        body["source"] = source
    return ops.create_extraction(body, x_change_note=change_note)


def _update_op(
    draft: Draft,
    changes: ExtractionPatch | ExtractionPatchParam | Mapping[str, Any] | None,
    fields: Mapping[str, Any],
    if_match: int | str | None,
    change_note: str | None,
) -> Operation[Extraction]:
    body = patch_body(changes, fields)
    return ops.update_extraction(
        resource_id(draft),
        cast(ExtractionPatchParam, body),
        if_match=precondition(draft, if_match),
        x_change_note=change_note,
    )


class Extractions:
    """Drafts (`/v1/extractions`): create from a text, review, publish or discard."""

    def __init__(self, client: SyncRequester) -> None:
        self._client = client

    def create(
        self,
        *,
        text: str,
        source: DraftSource | DraftSourceParam | None = None,
        change_note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Extraction:
        """Draft the actors, claims and figures of `text` (version 1, `status` "draft").

        Args:
            text: The article or statement; longer than the server's limit is `PayloadTooLarge`.
            source: What is known of its source (all optional). `published_on` dates the
                text's relative dates; with `id`, an existing source is cited and its fields
                fill those not given.
            change_note: Why; stored on the revision (`X-Change-Note`).
            idempotency_key: Sent as `Idempotency-Key`; one is generated when not given.

        Raises:
            UnprocessableEntity: A source field breaks a rule, or `source.id` is no live source.
        """
        operation = _create_op(text, source, change_note)
        return self._client.request(operation, idempotency_key=idempotency_key)

    def get(self, draft: Draft, *, as_of: Moment | None = None) -> Extraction:
        """Return the latest version of a draft, or with `as_of` the one current then."""
        return self._client.request(ops.get_extraction(resource_id(draft), as_of=as_of))

    def list(self, **filters: Unpack[ListExtractionsQuery]) -> SyncPager[Extraction]:
        """Iterate over drafts in creation order (`status="draft"`: the review queue).

        Filters (see `ListExtractionsQuery`): `status`, `updated_since`, `as_of`; `limit` is
        the page size and `cursor` resumes from a page.
        """
        return SyncPager(self._client, ops.list_extractions(**filters))

    def update(
        self,
        draft: Draft,
        changes: ExtractionPatch | ExtractionPatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[ExtractionPatchParam],
    ) -> Extraction:
        """Edit a draft (a merge patch); `errors[]` of a refusal name the draft's fields.

        `source` merges member by member; `actors` and `claims` replace the whole list.
        Given an `Extraction`, the change applies only if the draft is still at that
        version (`If-Match`).

        Raises:
            UnprocessableEntity: A rule is broken; `errors[]` names the field, e.g.
                `claims[0].figures[1].qualifier`.
            Conflict: The draft is published or discarded.
            PreconditionFailed: The draft changed since that version.
        """
        operation = _update_op(draft, changes, fields, if_match, change_note)
        return self._client.request(operation)

    def publish(
        self,
        draft: Draft,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Extraction:
        """Write the draft to the ledger in one transaction; the ids are in `.published`.

        Publishing again creates nothing and returns the same. Given an `Extraction`,
        publishes only if the draft is still at that version.

        Raises:
            UnprocessableEntity: Something only publish needs is missing; `errors[]` names it.
            Conflict: The draft was discarded.
        """
        operation = ops.publish_extraction(
            resource_id(draft), if_match=precondition(draft, if_match), x_change_note=change_note
        )
        return self._client.request(operation, idempotency_key=idempotency_key)

    def discard(
        self,
        draft: Draft,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Extraction:
        """End a draft unpublished (it stays readable).

        Raises:
            Conflict: The draft was published.
        """
        operation = ops.discard_extraction(
            resource_id(draft), if_match=precondition(draft, if_match), x_change_note=change_note
        )
        return self._client.request(operation, idempotency_key=idempotency_key)

    def versions(self, draft: Draft, *, limit: int | None = None) -> SyncPager[ExtractionVersion]:
        """Iterate over every version of the draft, oldest first (`limit`: page size)."""
        return SyncPager(
            self._client, ops.list_extraction_versions(resource_id(draft), limit=limit)
        )

    def version(self, draft: Draft, number: int) -> ExtractionVersion:
        """Return version `number` of the draft, with who changed it, when and why."""
        return self._client.request(ops.get_extraction_version(resource_id(draft), number))

    def diff(self, draft: Draft, number: int, *, against: int | None = None) -> Patch:
        """Return the JSON Patch (RFC 6902) from version `against` to version `number`."""
        operation = ops.diff_extraction_version(resource_id(draft), number, against=against)
        return self._client.request(operation)


class AsyncExtractions:
    """Drafts (`/v1/extractions`) on an `AsyncClient`; see `Extractions`."""

    def __init__(self, client: AsyncRequester) -> None:
        self._client = client

    async def create(
        self,
        *,
        text: str,
        source: DraftSource | DraftSourceParam | None = None,
        change_note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Extraction:
        """Draft the actors, claims and figures of `text`; see `Extractions.create`."""
        operation = _create_op(text, source, change_note)
        return await self._client.request(operation, idempotency_key=idempotency_key)

    async def get(self, draft: Draft, *, as_of: Moment | None = None) -> Extraction:
        """Return the latest version of a draft, or with `as_of` the one current then."""
        return await self._client.request(ops.get_extraction(resource_id(draft), as_of=as_of))

    def list(self, **filters: Unpack[ListExtractionsQuery]) -> AsyncPager[Extraction]:
        """Iterate (`async for`) over drafts; see `Extractions.list`."""
        return AsyncPager(self._client, ops.list_extractions(**filters))

    async def update(
        self,
        draft: Draft,
        changes: ExtractionPatch | ExtractionPatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[ExtractionPatchParam],
    ) -> Extraction:
        """Edit a draft; see `Extractions.update`."""
        operation = _update_op(draft, changes, fields, if_match, change_note)
        return await self._client.request(operation)

    async def publish(
        self,
        draft: Draft,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Extraction:
        """Write the draft to the ledger in one transaction; see `Extractions.publish`."""
        operation = ops.publish_extraction(
            resource_id(draft), if_match=precondition(draft, if_match), x_change_note=change_note
        )
        return await self._client.request(operation, idempotency_key=idempotency_key)

    async def discard(
        self,
        draft: Draft,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Extraction:
        """End a draft unpublished; see `Extractions.discard`."""
        operation = ops.discard_extraction(
            resource_id(draft), if_match=precondition(draft, if_match), x_change_note=change_note
        )
        return await self._client.request(operation, idempotency_key=idempotency_key)

    def versions(self, draft: Draft, *, limit: int | None = None) -> AsyncPager[ExtractionVersion]:
        """Iterate (`async for`) over every version of the draft, oldest first."""
        operation = ops.list_extraction_versions(resource_id(draft), limit=limit)
        return AsyncPager(self._client, operation)

    async def version(self, draft: Draft, number: int) -> ExtractionVersion:
        """Return version `number` of the draft."""
        return await self._client.request(ops.get_extraction_version(resource_id(draft), number))

    async def diff(self, draft: Draft, number: int, *, against: int | None = None) -> Patch:
        """Return the JSON Patch (RFC 6902) from version `against` to version `number`."""
        operation = ops.diff_extraction_version(resource_id(draft), number, against=against)
        return await self._client.request(operation)


__all__ = ["AsyncExtractions", "Draft", "Extractions"]
