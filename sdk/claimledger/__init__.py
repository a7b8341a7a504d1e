"""The ClaimLedger SDK: a typed client for the ClaimLedger API.

    import claimledger

    client = claimledger.Client("http://127.0.0.1:8000", api_key="clk_...")
    for claim in client.claims.list(status="disputed"):
        print(claim.id, claim.text)

`Client` and `AsyncClient` share one surface: `client.actors`, `.sources`, `.claims` and
`.figures`, each with `create`, `get`, `list`, `update`, `delete`, `versions`, `version` and
`diff`; `client.figures.summary`; `client.events` (the changes feed), `client.webhooks`
and `client.keys` (API keys for apps and partners, admin).
Models are in `claimledger.models`, raw operations in `claimledger.operations`, errors are the
exceptions exported here, `claimledger.webhooks.verify` checks webhook deliveries, and
`claimledger.mirror.Mirror` keeps a local copy of the dataset in sync from the changes feed
(`claimledger.sync`, its former name, still works), and every list's `to_pandas()` and
`to_polars()` make a DataFrame of it (`claimledger.frames`; extras `claimledger-sdk[pandas]`
and `[polars]`); `client.figures.timeline(...).plot()` draws the web explorer's chart of
competing figures (`claimledger.charts`; extra `[plot]`).
"""

import warnings
from typing import Any

from claimledger import charts, frames, mirror, models, operations, sync, webhooks
from claimledger._client import AsyncClient, Client
from claimledger._exceptions import (
    APIConnectionError,
    APIError,
    BadRequest,
    ClaimLedgerError,
    Conflict,
    Forbidden,
    Gone,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    RateLimited,
    ResponseValidationError,
    ServerError,
    Timeout,
    Unauthorized,
    UnprocessableEntity,
)
from claimledger._generated import API_VERSION
from claimledger._generated.models import FieldError, Problem
from claimledger._operation import Operation
from claimledger._version import __version__
from claimledger.pagination import AsyncPager, Page, SyncPager
from claimledger.webhooks import WebhookVerificationError

__all__ = [
    "API_VERSION",
    "APIConnectionError",
    "APIError",
    "AsyncClient",
    "AsyncPager",
    "BadRequest",
    "ClaimLedgerError",
    "Client",
    "Conflict",
    "FieldError",
    "Forbidden",
    "Gone",
    "NotFound",
    "Operation",
    "Page",
    "PayloadTooLarge",
    "PreconditionFailed",
    "Problem",
    "RateLimited",
    "ResponseValidationError",
    "ServerError",
    "SyncPager",
    "Timeout",
    "Unauthorized",
    "UnprocessableEntity",
    "WebhookVerificationError",
    "__version__",
    "charts",
    "frames",
    "mirror",
    "models",
    "operations",
    "sync",
    "webhooks",
]


def __getattr__(name: str) -> Any:
    # The former name of APIConnectionError, which shadowed the builtin it now subclasses.
    if name == "ConnectionError":
        warnings.warn(
            "claimledger.ConnectionError is now claimledger.APIConnectionError",
            DeprecationWarning,
            stacklevel=2,
        )
        return APIConnectionError
    raise AttributeError(f"module 'claimledger' has no attribute {name!r}")
