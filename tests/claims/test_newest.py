"""`GET /v1/claims?q=…` newest first (`sort=newest`, the default with `q`): the bucketed
text index of migration 0020 and the walk over its buckets (claims/newest.py)."""

import secrets
import time
import urllib.parse
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import factories
import pytest
from claimledger_server.claims import newest
from claimledger_server.ids import new_id
from factories import assert_problem, ids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from support.databases import wait_until_sequenced

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
MINUTE, HOUR, DAY = 60_000, 3_600_000, 86_400_000
# Claims made at these distances before now, so that their ids fall in buckets of every size
# (migration 0020: about 9 hours, 12 days and 397 days), some crowded, some not.
AGES = [0, 1, 700, MINUTE, 16 * MINUTE, 19 * MINUTE, 2 * HOUR, 9 * HOUR, 11 * HOUR]
AGES += [2 * DAY, 11 * DAY, 13 * DAY, 40 * DAY, 200 * DAY, 390 * DAY, 420 * DAY, 900 * DAY]
# Ids the API would never make but a history import may hold: shorter than a bucket prefix,
# or one prefix of another.
ODD_IDS = ["clm_00ab", "clm_00abc", "clm_00abd", "clm_00abcdefgh", "clm_00abcdefgz", "clm_00b"]


def made_at(ms: int) -> str:
    """An id as `ids.new_id` makes it, for a claim created at epoch milliseconds `ms`."""
    value = (ms << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return "clm_" + "".join(reversed(chars))


class Corpus:
    """Claims written straight into the table (ids of any age), their words unique to it."""

    def __init__(self, words: list[str], ids: list[str]) -> None:
        self.words = words
        self.ids = ids


@pytest.fixture(scope="module")
async def corpus(database_url: str) -> AsyncIterator[Corpus]:
    tag = uuid.uuid4().hex[:6]
    # Letters and digits: PostgreSQL takes such words as they are (no stemming).
    words = [f"nw{tag}{i}x" for i in range(6)]
    rnd = secrets.SystemRandom()
    now = int(time.time() * 1000)
    made = []
    for age in AGES:
        made += [made_at(now - age) for _ in range(rnd.randint(1, 6))]
    made += ODD_IDS
    rows = []
    for i, claim_id in enumerate(made):
        text = " ".join([*rnd.choices(words, k=rnd.randint(1, 5)), "reported", "the"])
        doc = f'{{"id":"{claim_id}","text":"{text}","claimant_id":"act_{tag}"}}'
        rows.append((claim_id, 1, i % 7 == 3, doc))
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("DELETE FROM claims WHERE id = ANY($1::text[])", ODD_IDS)
        await conn.executemany(
            "INSERT INTO claims (id, version, created_at, updated_at, deleted, doc)"
            " VALUES ($1, $2, now(), now(), $3, $4::json)",
            rows,
        )
        yield Corpus(words, made)
        await conn.execute("DELETE FROM claims WHERE id = ANY($1::text[])", made)
    finally:
        await conn.close()


async def matching(database_url: str, q: str, include_deleted: bool) -> list[str]:
    """Every claim `q` matches, newest first, as PostgreSQL's own text search has it."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT id FROM claims WHERE search @@ websearch_to_tsquery('english', $1)"
            " AND (NOT deleted OR $2) ORDER BY id DESC",
            q,
            include_deleted,
        )
    finally:
        await conn.close()
    return [row["id"] for row in rows]


def searches(words: list[str]) -> st.SearchStrategy[str]:
    """Searches in web-search syntax over `words`: words, `or`, `-word`, quoted phrases."""
    word = st.sampled_from(words)
    term = st.one_of(
        word,
        word.map(lambda w: f"-{w}"),
        st.tuples(word, word).map(lambda pair: f'"{pair[0]} {pair[1]}"'),
    )
    joined = st.lists(st.tuples(st.sampled_from([" ", " or "]), term), min_size=1, max_size=3)
    return st.tuples(word, joined).map(lambda x: x[0] + "".join(op + t for op, t in x[1]))


async def walk(client: Any, **params: Any) -> list[str]:
    """The ids of every page of a search, checking each page's size."""
    found: list[str] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/v1/claims", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        found += [claim["id"] for claim in page["data"]]
        cursor = page["next_cursor"]
        assert len(page["data"]) == (params.get("limit", 50) if cursor else len(page["data"]))
        if cursor is None:
            return found


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_newest_first_is_every_match_in_id_order(
    client: Any, database_url: str, corpus: Corpus, data: st.DataObject
) -> None:
    q = data.draw(searches(corpus.words), label="q")
    limit = data.draw(st.sampled_from([1, 2, 3, 5, 50, 200]), label="limit")
    include_deleted = data.draw(st.booleans(), label="include_deleted")
    expected = await matching(database_url, q, include_deleted)
    params = {"q": q, "limit": limit, "include_deleted": str(include_deleted).lower()}
    assert await walk(client, **params) == expected
    assert await walk(client, **params, sort="newest") == expected


async def test_the_first_page_is_the_newest_matches_of_the_whole_table(
    client: Any, database_url: str, corpus: Corpus
) -> None:
    # Negations only narrow nothing: every claim without the word matches, other tests' too.
    q = f"-{corpus.words[0]}"
    page = (await client.get("/v1/claims", params={"q": q, "limit": 7})).json()
    assert [c["id"] for c in page["data"]] == (await matching(database_url, q, False))[:7]
    nothing = await client.get("/v1/claims", params={"q": "the and of", "limit": 7})
    assert nothing.json() == {"data": [], "next_cursor": None}  # stop words only


async def test_walks_match_every_bucket_once_however_odd_the_ids(
    client: Any, database_url: str, corpus: Corpus
) -> None:
    q = " or ".join(corpus.words)
    everything = await matching(database_url, q, True)
    assert set(ODD_IDS) <= set(everything)
    for limit in (1, 4, 200):
        assert await walk(client, q=q, limit=limit, include_deleted="true") == everything


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(
        st.sampled_from(
            [
                "kursk",
                "troops'",
                "o'brien",
                "back\\slash",
                "it's",
                "a" * 1200,
                "b" * 990,
                "x@example.org",
                "https://example.org/a'b",
                "don't",
                "\\'",
                "q''",
                "3,000",
            ]
        ),
        min_size=1,
        max_size=6,
    ).map(" ".join),
    q=st.lists(
        st.sampled_from(
            [
                "kursk",
                "troops'",
                "o'brien",
                "back\\slash",
                "a" * 1200,
                "b" * 990,
                "don't",
                '"kursk troops"',
                "-kursk",
                "or",
                "x@example.org",
                "\\'",
                "q''",
                "3,000",
            ]
        ),
        min_size=1,
        max_size=4,
    ).map(" ".join),
    claim_id=st.sampled_from([new_id("clm"), "clm_0", "clm_00abcdefgh", "clm_a'b\\c"]),
)
async def test_a_bucket_query_finds_the_claims_of_its_bucket_that_match(
    database_url: str, text: str, q: str, claim_id: str
) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            """SELECT to_tsvector('english', $1) @@ query AS matches,
                      strpos(query::text, '!') = 0 AND strpos(query::text, '<') = 0 AS plain,
                      cl_newest_pieces(query) IS NULL AS wordless,
                      cl_newest_terms($2, to_tsvector('english', $1))
                          @@ cl_newest_query(cl_newest_pieces(query), substr($2, 1, length))
                          AS in_bucket
                 FROM websearch_to_tsquery('english', $3) AS query,
                      generate_series(7, 9) AS length""",
            text,
            claim_id,
            q,
        )
    finally:
        await conn.close()
    for row in rows:
        if row["wordless"]:  # only stop words: the walk asks nothing, and nothing matches
            assert not row["matches"]
            continue
        # Every match is found; without phrases and negations, nothing else is.
        assert row["in_bucket"] or not row["matches"]
        assert row["in_bucket"] == row["matches"] or not row["plain"]


async def test_a_claim_with_too_many_words_to_index_is_still_found(
    client: Any, database_url: str
) -> None:
    # ~20,000 distinct words, more than migration 0020 indexes one by one for a claim.
    words = [uuid.uuid4().hex[:6] for _ in range(20_000)]
    fields = [" ".join(words[i::7])[:20_000] for i in range(7)]
    source = (await factories.source(client))["id"]
    made = await factories.claim(
        client,
        text=fields[0],
        quote=fields[1],
        basis=fields[2],
        citations=[{"source_id": source, "quote": quote} for quote in fields[3:]],
    )
    conn = await asyncpg.connect(database_url)
    try:
        marked = await conn.fetchval(
            "SELECT cl_newest_terms(id, search) @@ '''@@'''::tsquery FROM claims WHERE id = $1",
            made["id"],
        )
    finally:
        await conn.close()
    assert marked  # indexed by its mark alone
    later = await factories.claim(client, text=f"{words[0]} once more")
    for q in (words[7], f"{words[7]} {words[14]}", f'"{words[7]} {words[14]}"', f"{words[21]} -x"):
        assert await ids(client, "/v1/claims", q=q, limit=1) == [made["id"]], q
    assert await ids(client, "/v1/claims", q=words[0]) == [later["id"], made["id"]]


async def test_newest_is_the_default_and_relevance_is_asked_for(client: Any) -> None:
    word = f"zn{uuid.uuid4().hex[:10]}"
    actor = (await factories.actor(client))["id"]
    strong = await factories.claim(client, claimant_id=actor, text=f"{word} {word} {word}")
    weak = await factories.claim(client, claimant_id=actor, text=f"{word} and many other words")
    newest = await ids(client, "/v1/claims", q=word)
    assert newest == [weak["id"], strong["id"]]
    assert await ids(client, "/v1/claims", q=word, sort="newest") == newest
    assert await ids(client, "/v1/claims", q=word, sort="relevance") == [strong["id"], weak["id"]]


async def test_writes_show_in_the_next_search(client: Any) -> None:
    word = f"zw{uuid.uuid4().hex[:10]}"
    actor = (await factories.actor(client))["id"]
    first = await factories.claim(client, claimant_id=actor, text=word)
    assert await ids(client, "/v1/claims", q=word) == [first["id"]]
    assert await ids(client, "/v1/claims", q=word) == [first["id"]]  # a kept page
    second = await factories.claim(client, claimant_id=actor, text=f"{word} again")
    assert await ids(client, "/v1/claims", q=word) == [second["id"], first["id"]]
    patched = await client.patch(f"/v1/claims/{second['id']}", json={"text": "renamed"})
    assert patched.status_code == 200, patched.text
    assert await ids(client, "/v1/claims", q=word) == [first["id"]]
    # The page's documents are the versions the walk found (read again where it found them):
    # the current ones, as GET has them.
    edited = await client.patch(f"/v1/claims/{first['id']}", json={"text": f"{word} edited"})
    assert edited.status_code == 200, edited.text
    page = await client.get("/v1/claims", params={"q": word})
    assert page.json() == {"data": [edited.json()], "next_cursor": None}
    await factories.delete(client, "/v1/claims", first["id"])
    assert await ids(client, "/v1/claims", q=word) == []
    assert await ids(client, "/v1/claims", q=word, include_deleted="true") == [first["id"]]


async def test_filters_and_as_of_combine_with_newest_first(client: Any) -> None:
    word = f"zf{uuid.uuid4().hex[:10]}"
    one, two = [(await factories.actor(client))["id"] for _ in range(2)]
    old = await factories.claim(client, claimant_id=one, text=word, status="disputed")
    mid = await factories.claim(client, claimant_id=two, text=word)
    new = await factories.claim(client, claimant_id=one, text=f"{word} later")
    assert await ids(client, "/v1/claims", q=word, claimant_id=one) == [new["id"], old["id"]]
    assert await ids(client, "/v1/claims", q=word, status="disputed") == [old["id"]]
    for limit in (1, 2):
        found = await ids(client, "/v1/claims", q=word, claimant_id=one, limit=limit)
        assert found == [new["id"], old["id"]]
    before = new["updated_at"]
    patched = await client.patch(f"/v1/claims/{mid['id']}", json={"text": "renamed"})
    assert patched.status_code == 200, patched.text
    assert await ids(client, "/v1/claims", q=word) == [new["id"], old["id"]]
    for limit in (1, 5):
        then = await ids(client, "/v1/claims", q=word, as_of=before, limit=limit)
        assert then == [new["id"], mid["id"], old["id"]]
    by_relevance = await ids(client, "/v1/claims", q=word, as_of=before, sort="relevance")
    assert sorted(by_relevance) == sorted([new["id"], mid["id"], old["id"]])


async def test_a_cursor_belongs_to_its_order(client: Any) -> None:
    word = f"zc{uuid.uuid4().hex[:10]}"
    actor = (await factories.actor(client))["id"]
    for n in range(3):
        await factories.claim(client, claimant_id=actor, text=f"{word} " * (n + 1))

    async def cursor(**params: Any) -> str:
        page = (await client.get("/v1/claims", params={**params, "limit": 1})).json()
        assert page["next_cursor"], page
        return str(page["next_cursor"])

    newest = await cursor(q=word)
    relevance = await cursor(q=word, sort="relevance")
    plain = await cursor(claimant_id=actor)
    for params, given_cursor in (
        ({"q": word, "sort": "relevance"}, newest),
        ({"q": word}, relevance),
        ({"q": word}, plain),
        ({"claimant_id": actor}, newest),
        ({"claimant_id": actor}, relevance),
    ):
        response = await client.get("/v1/claims", params={**params, "cursor": given_cursor})
        assert_problem(response, 400, "cursor")
    continued = await client.get("/v1/claims", params={"q": word, "cursor": newest})
    assert continued.status_code == 200, continued.text


async def test_sort_is_checked(client: Any) -> None:
    assert_problem(await client.get("/v1/claims?q=kursk&sort=best"), 400, "sort")
    assert_problem(await client.get("/v1/claims?q=kursk&sort="), 400, "sort")
    assert_problem(await client.get("/v1/claims?sort=newest"), 422, "sort")
    quoted = urllib.parse.quote('it\'s a \\ test "of" -quoting')
    assert (await client.get(f"/v1/claims?q={quoted}")).status_code == 200


async def test_a_repeated_page_is_kept_until_a_claim_changes(
    client: Any, app: Litestar, database_url: str
) -> None:
    word = f"zk{uuid.uuid4().hex[:10]}"
    made = await factories.claim(client, text=word)
    await wait_until_sequenced(database_url)
    first = (await client.get("/v1/claims", params={"q": word})).json()
    kept = newest.pages(app.state, app.state.reads.replica)
    answer = next(a for k, a in kept.items() if isinstance(k, tuple) and k[0] == word)
    answer.body = b'{"data":[],"next_cursor":"kept"}'
    again = await client.get("/v1/claims", params={"q": word})
    assert again.json() == {"data": [], "next_cursor": "kept"}  # served without a search
    patched = await client.patch(f"/v1/claims/{made['id']}", json={"text": f"{word} again"})
    assert patched.status_code == 200, patched.text
    fresh = (await client.get("/v1/claims", params={"q": word})).json()
    assert [c["text"] for c in fresh["data"]] == [f"{word} again"]
    assert first["data"][0]["text"] == word
