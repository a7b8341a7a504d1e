"""`client.claims`: actors' assertions, with quotes, dates, citations and relations.

The generated classes (`claimledger._generated.resources.claims`) type `create`, `list` and
`update`; this adds what the contract cannot say precisely: the neighbours `get` can expand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias

from claimledger._generated.models import ExpandedClaim
from claimledger._generated.operations import claims as ops
from claimledger._generated.resources import claims as generated
from claimledger._generated.resources.claims import OPS
from claimledger._resource import Moment, Versioned, comma_separated, resource_id

Expansion: TypeAlias = Literal["claimant", "figures", "relations", "citations.source"]
"""A neighbour `get(..., expand=[...])` can include inline in `claim.expanded`."""


class Claims(generated.Claims):
    """Claims (`/v1/claims`): who asserted what, when, and where it was reported."""

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


class AsyncClaims(generated.AsyncClaims):
    """Claims (`/v1/claims`) on an `AsyncClient`."""

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


__all__ = ["OPS", "AsyncClaims", "Claims", "Expansion"]
