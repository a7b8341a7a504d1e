"""Reading English text: deterministic, offline rules (no model, nothing downloaded).

`quantities.find_quantities` finds every quantity phrase of a text with its qualifier,
amount and the bounds `figures/bounds.py` derives from them; `POST /v1/figures/parse`
serves it."""
