"""The versioning core: every resource kind is stored, versioned, listed and served the same
way, so that logic exists once. A kind is described by a `ResourceKind`; its own package adds
only its fields (schemas.py), its filters (store.py) and its list route (routes.py)."""
