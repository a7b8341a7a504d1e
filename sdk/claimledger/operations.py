"""The raw operations, one module per tag, for calls the resource methods do not cover.

Each function builds an `Operation` without sending it; send it with `client.request(...)`:

    from claimledger.operations import claims
    page = client.request(claims.list_claims(limit=10, status="disputed"))
"""

from claimledger._generated.operations import *  # noqa: F403
from claimledger._generated.operations import __all__ as __all__
