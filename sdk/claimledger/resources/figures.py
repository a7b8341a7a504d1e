"""`client.figures`: the numbers inside figures, exactly as stated, with derived bounds."""

from __future__ import annotations

from typing import Unpack

from claimledger._generated.models import (
    Figure,
    FigureFieldsParam,
    FigureGroup,
    FigurePatch,
    FigurePatchParam,
    FigureVersion,
)
from claimledger._generated.operations import figures as ops
from claimledger._generated.operations.figures import ListFiguresQuery, SummarizeFiguresQuery
from claimledger._resource import AsyncResource, SyncResource, VersionedOps
from claimledger.pagination import AsyncPager, SyncPager

OPS: VersionedOps[Figure, Figure, FigureVersion] = VersionedOps(
    create=ops.create_figure,
    get=ops.get_figure,
    list_page=ops.list_figures,
    update=ops.update_figure,
    delete=ops.delete_figure,
    list_versions=ops.list_figure_versions,
    get_version=ops.get_figure_version,
    diff_version=ops.diff_figure_version,
)


class Figures(SyncResource[Figure, Figure, FigureVersion]):
    """Figures (`/v1/figures`): "over 3,000 killed" as `amount`, `qualifier`, `low`, `high`."""

    _ops = OPS

    def create(
        self,
        *,
        change_note: str | None = None,
        idempotency_key: str | None = None,
        **fields: Unpack[FigureFieldsParam],
    ) -> Figure:
        """Create a figure (version 1); `claim_id` and `metric` are required.

        Args:
            change_note: Why; stored on the revision (`X-Change-Note`).
            idempotency_key: Sent as `Idempotency-Key`; one is generated when not given.
            **fields: The figure's fields (see `FigureFieldsParam`).

        Raises:
            UnprocessableEntity: A field breaks a rule, or a reference names no live resource.
            Conflict: The `external_id` is taken.

        """
        return self._create(fields, change_note, idempotency_key)

    def list(self, **filters: Unpack[ListFiguresQuery]) -> SyncPager[Figure]:
        """Iterate over figures, oldest first, fetching pages as needed.

        Filters: `claim_id`, `subject_id`, `metric`, `min_low`, `max_high`, `external_id`,
        `updated_since`, `include_deleted`; `limit` is the page size and `cursor` resumes
        from a page.
        """
        return self._list(filters)

    def summary(self, **filters: Unpack[SummarizeFiguresQuery]) -> SyncPager[FigureGroup]:
        """Iterate over competing figures: who says how many, per subject, metric and unit.

        Each group has the envelope of its figures' bounds (`low`; `high`, `None` when one is
        unbounded above), how many figures and claimants there are, and each claimant's
        latest figure with its claim and sources. Filters: `subject_id`, `metric`,
        `country`, `claimant_id`, `stated_from`, `stated_to`, `as_of`; `limit` is the page
        size.
        """
        return SyncPager(self._client, ops.summarize_figures(**filters))

    def update(
        self,
        figure: Figure | str,
        changes: FigurePatch | FigurePatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[FigurePatchParam],
    ) -> Figure:
        """Change a figure (JSON merge patch: given members replace, `None` clears).

        Given a `Figure`, the change applies only if the figure is still at that version
        (`If-Match`), else `PreconditionFailed`; given an id, to the latest version unless
        `if_match` names one. Changes come as a dict or `FigurePatch`, and/or as keywords.
        """
        return self._update(figure, changes, fields, if_match, change_note)


class AsyncFigures(AsyncResource[Figure, Figure, FigureVersion]):
    """Figures (`/v1/figures`) on an `AsyncClient`."""

    _ops = OPS

    async def create(
        self,
        *,
        change_note: str | None = None,
        idempotency_key: str | None = None,
        **fields: Unpack[FigureFieldsParam],
    ) -> Figure:
        """Create a figure (version 1); `claim_id` and `metric` are required.

        See `Figures.create`.
        """
        return await self._create(fields, change_note, idempotency_key)

    def list(self, **filters: Unpack[ListFiguresQuery]) -> AsyncPager[Figure]:
        """Iterate (`async for`) over figures, oldest first; see `Figures.list`."""
        return self._list(filters)

    def summary(self, **filters: Unpack[SummarizeFiguresQuery]) -> AsyncPager[FigureGroup]:
        """Iterate (`async for`) over competing figures; see `Figures.summary`."""
        return AsyncPager(self._client, ops.summarize_figures(**filters))

    async def update(
        self,
        figure: Figure | str,
        changes: FigurePatch | FigurePatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[FigurePatchParam],
    ) -> Figure:
        """Change a figure (JSON merge patch); see `Figures.update`."""
        return await self._update(figure, changes, fields, if_match, change_note)
