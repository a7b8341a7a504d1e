"""`client.claims`: actors' assertions, with quotes, dates, citations and relations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias, Unpack

from claimledger._generated.models import (
    Claim,
    ClaimFieldsParam,
    ClaimPatch,
    ClaimPatchParam,
    ClaimVersion,
    ExpandedClaim,
)
from claimledger._generated.operations import claims as ops
from claimledger._generated.operations.claims import ListClaimsQuery
from claimledger._resource import (
    AsyncResource,
    Moment,
    SyncResource,
    Versioned,
    VersionedOps,
    comma_separated,
    resource_id,
)
from claimledger.pagination import AsyncPager, SyncPager

OPS: VersionedOps[Claim, ExpandedClaim, ClaimVersion] = VersionedOps(
    create=ops.create_claim,
    get=ops.get_claim,
    list_page=ops.list_claims,
    update=ops.update_claim,
    delete=ops.delete_claim,
    list_versions=ops.list_claim_versions,
    get_version=ops.get_claim_version,
    diff_version=ops.diff_claim_version,
)


Expansion: TypeAlias = Literal["claimant", "figures", "relations", "citations.source"]
"""A neighbour `get(..., expand=[...])` can include inline in `claim.expanded`."""


class Claims(SyncResource[Claim, ExpandedClaim, ClaimVersion]):
    """Claims (`/v1/claims`): who asserted what, when, and where it was reported."""

    _ops = OPS

    def create(
        self,
        *,
        change_note: str | None = None,
        idempotency_key: str | None = None,
        **fields: Unpack[ClaimFieldsParam],
    ) -> Claim:
        """Create a claim (version 1); `claimant_id` and `text` are required.

        Args:
            change_note: Why; stored on the revision (`X-Change-Note`).
            idempotency_key: Sent as `Idempotency-Key`; one is generated when not given.
            **fields: The claim's fields (see `ClaimFieldsParam`).

        Raises:
            UnprocessableEntity: A field breaks a rule, or a reference names no live resource.
            Conflict: The `external_id` is taken.

        """
        return self._create(fields, change_note, idempotency_key)

    def get(
        self,
        target: Versioned | str,
        *,
        as_of: Moment | None = None,
        expand: Sequence[Expansion] | str | None = None,
    ) -> ExpandedClaim:
        """Return the latest version of a claim, or with `as_of` the one current then.

        `expand` adds the neighbours asked for inline, in `claim.expanded`: `"claimant"`,
        `"figures"`, `"relations"`, `"citations.source"` (as of `as_of` too).

        Raises:
            NotFound: No such claim (or it did not exist yet at `as_of`).
            Gone: The claim was deleted.

        """
        operation = ops.get_claim(resource_id(target), as_of=as_of, expand=comma_separated(expand))
        return self._client.request(operation)

    def list(self, **filters: Unpack[ListClaimsQuery]) -> SyncPager[Claim]:
        """Iterate over claims, oldest first, fetching pages as needed.

        Filters: `claimant_id`, `subject_id`, `status`, `topic`, `stated_from`, `stated_to`,
        `country`, `q` (full text), `external_id`, `updated_since`, `include_deleted`;
        `limit` is the page size and `cursor` resumes from a page.
        """
        return self._list(filters)

    def update(
        self,
        claim: Claim | ExpandedClaim | str,
        changes: ClaimPatch | ClaimPatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[ClaimPatchParam],
    ) -> Claim:
        """Change a claim (JSON merge patch: given members replace, `None` clears).

        Given a `Claim`, the change applies only if the claim is still at that version
        (`If-Match`), else `PreconditionFailed`; given an id, to the latest version unless
        `if_match` names one. Changes come as a dict or `ClaimPatch`, and/or as keywords.
        """
        return self._update(claim, changes, fields, if_match, change_note)


class AsyncClaims(AsyncResource[Claim, ExpandedClaim, ClaimVersion]):
    """Claims (`/v1/claims`) on an `AsyncClient`."""

    _ops = OPS

    async def create(
        self,
        *,
        change_note: str | None = None,
        idempotency_key: str | None = None,
        **fields: Unpack[ClaimFieldsParam],
    ) -> Claim:
        """Create a claim (version 1); `claimant_id` and `text` are required.

        See `Claims.create`.
        """
        return await self._create(fields, change_note, idempotency_key)

    async def get(
        self,
        target: Versioned | str,
        *,
        as_of: Moment | None = None,
        expand: Sequence[Expansion] | str | None = None,
    ) -> ExpandedClaim:
        """Return the latest version of a claim, or with `as_of` the one current then.

        See `Claims.get`.
        """
        operation = ops.get_claim(resource_id(target), as_of=as_of, expand=comma_separated(expand))
        return await self._client.request(operation)

    def list(self, **filters: Unpack[ListClaimsQuery]) -> AsyncPager[Claim]:
        """Iterate (`async for`) over claims, oldest first; see `Claims.list`."""
        return self._list(filters)

    async def update(
        self,
        claim: Claim | ExpandedClaim | str,
        changes: ClaimPatch | ClaimPatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[ClaimPatchParam],
    ) -> Claim:
        """Change a claim (JSON merge patch); see `Claims.update`."""
        return await self._update(claim, changes, fields, if_match, change_note)
