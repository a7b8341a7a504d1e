"""The API's models, generated from the OpenAPI contract (see `claimledger._generated`).

- Resources as answered: `Actor`, `Source`, `Claim`, `Figure`, their `…Version`s and `…List`s.
- Request bodies as Structs (`ClaimFields`, `ClaimPatch`…) and as TypedDicts
  (`ClaimFieldsParam`, `ClaimPatchParam`…), the keyword arguments of `create`/`update`.
- `Literal` aliases of each enum (`Metric`, `Qualifier`, `ClaimStatus`, `Country`…).

In a request Struct, a member left at `UNSET` is not sent; in a patch, `None` clears it.
"""

from claimledger._generated.models import *  # noqa: F403
from claimledger._generated.models import __all__ as __all__
