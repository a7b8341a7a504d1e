"""`client.sources`: the articles, videos and briefings claims are reported in.

Everything about sources is generated from the contract, in
`claimledger._generated.resources.sources`; this module keeps its classes importable from here.
"""

from claimledger._generated.resources.sources import OPS, AsyncSources, Sources

__all__ = ["OPS", "AsyncSources", "Sources"]
