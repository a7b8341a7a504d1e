"""Resource ids: a kind prefix plus a ULID-style body (48-bit millisecond time, 80 random
bits, Crockford base32). Sorting ids sorts by creation time, which is what keyset pagination
orders by, and the prefix tells a human (and the API) what kind of thing an id names."""

import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def new_id(prefix: str) -> str:
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return f"{prefix}_{''.join(reversed(chars))}"
