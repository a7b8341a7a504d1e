"""API keys: created, listed, changed and revoked by admins over HTTP (`/v1/keys`), and by
the `claimledger keys` commands for bootstrap; every request is checked against them."""
