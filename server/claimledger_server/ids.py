"""Resource ids: a kind prefix plus a ULID-style body (48-bit millisecond time, 80 random
bits, Crockford base32). Sorting ids sorts by creation time, which is what keyset pagination
orders by, and the prefix tells a human (and the API) what kind of thing an id names."""

import secrets
import time

from msgspec import Meta

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
MAX_LENGTH = 64
"""What an id may be as long as wherever one is accepted; a made one has 30 characters."""


def new_id(prefix: str) -> str:
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return f"{prefix}_{''.join(reversed(chars))}"


def id_meta(prefix: str, description: str) -> Meta:
    """The constraints of an id with this prefix wherever one is accepted, in a body
    (`Annotated[str, id_meta(...)]`) or in the URL (`query_params.query_parameter` and
    `path_parameter` read them from that type): the prefix, then lowercase letters and
    digits. Looser than what `new_id` makes, so that a mistyped id is a 404, or a 422
    naming the field, rather than a refusal of its spelling."""
    # `(?!\n)`: Python's `$` also matches before a final newline; ECMA-262's does not.
    return Meta(
        max_length=MAX_LENGTH, pattern=rf"^{prefix}_[0-9a-z]+$(?!\n)", description=description
    )
