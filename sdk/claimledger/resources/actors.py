"""`client.actors`: people, states, government bodies, armed forces, media outlets.

Everything about actors is generated from the contract, in
`claimledger._generated.resources.actors`; this module keeps its classes importable from here.
"""

from claimledger._generated.resources.actors import OPS, Actors, AsyncActors

__all__ = ["OPS", "Actors", "AsyncActors"]
