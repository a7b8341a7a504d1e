"""One module per resource of the API; each is reached as an attribute of the client.

To add one (e.g. `events`, `webhooks`) when the contract gains it: run `make sdk`, write
`resources/<name>.py` with a sync and an async class over the generated operations of its
tag, and assign both in `Client.__init__` / `AsyncClient.__init__`.
"""
