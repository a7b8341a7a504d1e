"""ClaimLedger server: a versioned ledger of structured claims about armed conflicts."""

__version__ = "0.1.0"
