"""Migration 0022: a claim's document stays in its row (and in its history row) unless the
row passes 8,160 bytes, instead of moving to the TOAST table past 2 kB."""

import random
import string
from typing import Any

import asyncpg
import factories


async def _toast_rows(conn: asyncpg.Connection, table: str) -> int:
    toast = await conn.fetchval(
        "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = $1::regclass", table
    )
    count: int = await conn.fetchval(f"SELECT count(*) FROM {toast}")
    return count


async def test_a_claim_of_a_few_kilobytes_keeps_its_document_in_its_rows(
    client: Any, database_url: str
) -> None:
    # Random words: PostgreSQL's compression cannot shrink them, so under the default
    # threshold (2 kB) the document (~2 kB) beside its text vector would move out of line.
    rnd = random.Random(22)
    words = (
        "".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(3, 9))) for _ in range(10**4)
    )
    text = ""
    for word in words:
        if len(text) + len(word) + 1 > 1800:
            break
        text += word + " "
    conn = await asyncpg.connect(database_url)
    try:
        before = {t: await _toast_rows(conn, t) for t in ("claims", "claims_history")}
        made = await factories.claim(client, text=text.strip())
        row_bytes = await conn.fetchval(
            "SELECT pg_column_size(claims.*) FROM claims WHERE id = $1", made["id"]
        )
        after = {t: await _toast_rows(conn, t) for t in ("claims", "claims_history")}
    finally:
        await conn.close()
    assert 2100 < row_bytes < 8160, row_bytes  # past the default threshold, within the new one
    assert after == before
    read = await client.get(f"/v1/claims/{made['id']}")
    assert read.status_code == 200
    assert read.json()["text"] == text.strip()
