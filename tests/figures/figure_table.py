"""The figure table of DESIGN.md, row by row: (qualifier, amount, amount_max, low, high)."""

DESIGN_TABLE = [
    ("exact", 1000, None, 1000, 1000),
    ("approximately", 1000, None, 1000, 1000),
    ("at_least", 3000, None, 3000, None),
    ("more_than", 3000, None, 3001, None),
    ("at_most", 500, None, 0, 500),
    ("fewer_than", 500, None, 0, 499),
    ("range", 200, 300, 200, 300),
    ("unspecified", None, None, None, None),
]
ROW_IDS = [row[0] for row in DESIGN_TABLE]
MAX_AMOUNT = 2**53 - 1
