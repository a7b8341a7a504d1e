"""The version of the claimledger-sdk distribution."""

__version__ = "0.1.0"
