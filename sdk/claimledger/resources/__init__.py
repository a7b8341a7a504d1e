"""The resources of the API; each is reached as an attribute of the client.

`actors`, `sources`, `claims` and `figures` are generated (`claimledger._generated.resources`,
by `make sdk`) on top of the generic `claimledger._resource`; `claims` and `figures` add here
what the contract does not type precisely (`Claims.get(expand=...)`, `Figures.summary`).
`events`, `webhooks`, `keys` and `extractions` (drafts, which are published or discarded rather than
deleted) are written by hand.

To add a resource when the contract gains one: run `make sdk` (a versioned resource gets its
generated module), write `resources/<name>.py` only for what is not generated, and assign the
sync and async classes in `Client.__init__` / `AsyncClient.__init__`.
"""

from claimledger.resources.actors import Actors, AsyncActors
from claimledger.resources.claims import AsyncClaims, Claims, Expansion
from claimledger.resources.events import AsyncEvents, Events
from claimledger.resources.extractions import AsyncExtractions, Extractions
from claimledger.resources.figures import AsyncFigures, Figures
from claimledger.resources.keys import AsyncKeys, Keys
from claimledger.resources.sources import AsyncSources, Sources
from claimledger.resources.webhooks import AsyncWebhooks, Webhooks

__all__ = [
    "Actors",
    "AsyncActors",
    "AsyncClaims",
    "AsyncEvents",
    "AsyncExtractions",
    "AsyncFigures",
    "AsyncKeys",
    "AsyncSources",
    "AsyncWebhooks",
    "Claims",
    "Events",
    "Expansion",
    "Extractions",
    "Figures",
    "Keys",
    "Sources",
    "Webhooks",
]
