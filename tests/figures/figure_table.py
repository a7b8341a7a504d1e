"""The figure tables of the design (docs/design.md), row by row:
(qualifier, amount, amount_max, low, high). For `vague`, `low`/`high` are what the caller
gives; for every other qualifier, what the server derives."""

DESIGN_TABLE = [
    ("exact", 1000, None, 1000, 1000),
    ("approximately", 1000, None, 900, 1100),
    ("approximately", 4000, None, 3600, 4400),
    ("nearly", 1000, None, 900, 999),
    ("at_least", 3000, None, 3000, None),
    ("more_than", 3000, None, 3001, None),
    ("at_most", 500, None, 0, 500),
    ("at_most", 1, None, 0, 1),
    ("fewer_than", 500, None, 0, 499),
    ("range", 200, 300, 200, 300),
    ("vague", None, None, 300, 900),
    ("unspecified", None, None, None, None),
]
ROW_IDS = [f"{row[0]}-{row[1] or row[3]}" for row in DESIGN_TABLE]
MAX_AMOUNT = 2**53 - 1
