"""Full-text `q` on claims, actors and sources: PostgreSQL text search, ranked, paginated
(claims newest first by default: tests/claims/test_newest.py)."""

import asyncio
import json
import sys
import time
import urllib.parse
import uuid
from typing import Any

import asyncpg
from claimledger_server.app import create_app
from claimledger_server.changes import Watermark
from claimledger_server.claims import search
from claimledger_server.claims.rankings import MAX_PAGES, Ranking, RankingCache
from claimledger_server.config import Settings
from claimledger_server.pagination import decode_cursor
from litestar import Litestar
from litestar.testing import AsyncTestClient


async def create(client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def walk(client: Any, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await client.get(url + (f"&cursor={cursor}" if cursor else ""))
        assert page.status_code == 200, page.text
        items += page.json()["data"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


async def test_claims_are_ranked_and_page_without_repeats(client: Any) -> None:
    word = f"zq{uuid.uuid4().hex[:10]}"  # a token no other test uses
    actor = await create(client, "/v1/actors", {"name": "Search claimant"})
    weak = await create(
        client,
        "/v1/claims",
        {
            "claimant_id": actor["id"],
            "text": f"A long statement that mentions {word} once among many other words here",
        },
    )
    strong = await create(
        client,
        "/v1/claims",
        {"claimant_id": actor["id"], "text": f"{word} {word} {word}", "quote": f"{word}!"},
    )
    basis_only = await create(
        client,
        "/v1/claims",
        {"claimant_id": actor["id"], "text": "Unrelated words", "basis": f"citing {word} data"},
    )
    await create(client, "/v1/claims", {"claimant_id": actor["id"], "text": "Nothing to find"})
    ranked = (await client.get(f"/v1/claims?q={word}&sort=relevance")).json()["data"]
    assert ranked[0]["id"] == strong["id"]
    assert {c["id"] for c in ranked} == {weak["id"], strong["id"], basis_only["id"]}
    paged = await walk(client, f"/v1/claims?q={word}&sort=relevance&limit=1")
    assert [c["id"] for c in paged] == [c["id"] for c in ranked]


async def test_claims_are_found_by_the_quotes_of_their_citations(client: Any) -> None:
    word = f"zk{uuid.uuid4().hex[:10]}"  # only in a citation's quote
    actor = await create(client, "/v1/actors", {"name": "Quoted claimant"})
    source = await create(client, "/v1/sources", {"kind": "news_article", "title": "A report"})
    quoted = await create(
        client,
        "/v1/claims",
        {
            "claimant_id": actor["id"],
            "text": "Casualties were reported.",
            "quote": "We lost many.",
            "basis": "citing officials",
            "citations": [
                {"source_id": source["id"]},
                {"source_id": source["id"], "quote": f"the {word} figure was given by officials"},
            ],
        },
    )
    await create(client, "/v1/claims", {"claimant_id": actor["id"], "text": "Nothing to find"})
    assert await search_ids(client, f"q={word}") == [quoted["id"]]
    now = urllib.parse.quote(quoted["updated_at"])
    assert await search_ids(client, f"q={word}&as_of={now}") == [quoted["id"]]
    # The quote is part of the claim: changing it changes what finds the claim.
    patched = await client.patch(
        f"/v1/claims/{quoted['id']}", json={"citations": [{"source_id": source["id"]}]}
    )
    assert patched.status_code == 200, patched.text
    assert await search_ids(client, f"q={word}") == []


async def test_search_understands_words_not_substrings(client: Any) -> None:
    token = f"casualt{uuid.uuid4().hex[:6]}"
    actor = await create(client, "/v1/actors", {"name": "Stemming claimant"})
    claim = await create(
        client, "/v1/claims", {"claimant_id": actor["id"], "text": f"Heavy {token}s reported"}
    )
    hits = (await client.get(f'/v1/claims?q="{token}s" -nothingness')).json()["data"]
    assert [c["id"] for c in hits] == [claim["id"]]


async def test_actors_by_name_and_alias(client: Any) -> None:
    alias = f"Zel{uuid.uuid4().hex[:8]}"
    actor = await create(client, "/v1/actors", {"name": "Volodymyr Test", "aliases": [alias]})
    by_alias = (await client.get(f"/v1/actors?q={alias}")).json()["data"]
    assert [a["id"] for a in by_alias] == [actor["id"]]


async def test_sources_by_title(client: Any) -> None:
    word = f"addr{uuid.uuid4().hex[:8]}"
    source = await create(
        client, "/v1/sources", {"kind": "video_address", "title": f"Evening {word}"}
    )
    hits = (await client.get(f"/v1/sources?q={word}")).json()["data"]
    assert [s["id"] for s in hits] == [source["id"]]


async def test_sql_looking_search_is_just_text(client: Any) -> None:
    response = await client.get("/v1/claims?q=' OR 1=1; DROP TABLE claims; --")
    assert response.status_code == 200
    assert (await client.get("/v1/claims?limit=1")).status_code == 200


# --- Cached rankings for current-time claim searches (claims/search.py) ---------------------


async def search_ids(client: Any, query: str) -> list[str]:
    """The claims a search finds best first (the order these rankings are kept for)."""
    response = await client.get(f"/v1/claims?{query}&sort=relevance&limit=200")
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    return [c["id"] for c in response.json()["data"]]


def claim_searches(app: Litestar) -> Any:
    return search.searches(app.state, app.state.reads.replica)


async def test_paging_is_the_same_whether_rankings_are_cached_or_not(
    client: Any, app: Litestar
) -> None:
    word = f"zp{uuid.uuid4().hex[:10]}"
    actor = await create(client, "/v1/actors", {"name": "Paging claimant"})
    texts = [f"{word} " * (1 + i % 3) + "filler words" * (i % 2) for i in range(9)]
    created = [
        await create(client, "/v1/claims", {"claimant_id": actor["id"], "text": text})
        for text in texts
    ]
    everything = await search_ids(client, f"q={word}")
    assert sorted(everything) == sorted(c["id"] for c in created)
    cached = await walk(client, f"/v1/claims?q={word}&sort=relevance&limit=2")
    uncached = []
    cursor = None
    while True:
        claim_searches(app).cache.clear()  # every page read from the database again
        url = f"/v1/claims?q={word}&sort=relevance&limit=2" + (
            f"&cursor={cursor}" if cursor else ""
        )
        page = (await client.get(url)).json()
        uncached += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [c["id"] for c in cached] == everything
    assert [c["id"] for c in uncached] == everything


async def test_search_sees_this_process_writes_at_once(client: Any, app: Litestar) -> None:
    word = f"zr{uuid.uuid4().hex[:10]}"
    actor = await create(client, "/v1/actors", {"name": "Read-after-write claimant"})
    first = await create(client, "/v1/claims", {"claimant_id": actor["id"], "text": word})
    assert await search_ids(client, f"q={word}") == [first["id"]]
    hits = claim_searches(app).cache.hits
    assert await search_ids(client, f"q={word}") == [first["id"]]
    assert claim_searches(app).cache.hits == hits + 1  # the ranking was reused

    second = await create(
        client, "/v1/claims", {"claimant_id": actor["id"], "text": f"{word} {word} {word}"}
    )
    assert await search_ids(client, f"q={word}") == [second["id"], first["id"]]

    patched = await client.patch(f"/v1/claims/{second['id']}", json={"text": "no longer"})
    assert patched.status_code == 200, patched.text
    assert await search_ids(client, f"q={word}") == [first["id"]]

    third = await create(client, "/v1/claims", {"claimant_id": actor["id"], "text": word})
    assert await search_ids(client, f"q={word}") == sorted([first["id"], third["id"]])
    deleted = await client.delete(f"/v1/claims/{first['id']}")
    assert deleted.status_code in (200, 204), deleted.text
    assert await search_ids(client, f"q={word}") == [third["id"]]
    included = await search_ids(client, f"q={word}&include_deleted=true")
    assert sorted(included) == sorted([first["id"], third["id"]])


async def test_search_sees_imports(client: Any) -> None:
    word = f"zi{uuid.uuid4().hex[:10]}"
    actor = await create(client, "/v1/actors", {"name": "Import claimant"})
    assert await search_ids(client, f"q={word}") == []
    line = {
        "kind": "claim",
        "external_id": f"search-{word}",
        "data": {"claimant_id": actor["id"], "text": f"imported {word}"},
    }
    imported = await client.post(
        "/v1/import",
        content=json.dumps(line) + "\n",
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert imported.status_code == 200, imported.text
    found = (await client.get(f"/v1/claims?q={word}")).json()["data"]
    assert [c["external_id"] for c in found] == [f"search-{word}"]


async def test_search_sees_writes_of_another_process(
    client: Any, database_url: str, api_keys: dict[str, str]
) -> None:
    word = f"zo{uuid.uuid4().hex[:10]}"
    actor = await create(client, "/v1/actors", {"name": "Other process claimant"})
    assert await search_ids(client, f"q={word}") == []  # cached: nothing matches
    # The suite's key spends thousands of requests a minute: the other process has the
    # suite's budget, not the default one (its own 429 would end this test, not a miss).
    other_app = create_app(
        Settings(
            database_url=database_url,
            api_key_cache_seconds=0,
            rate_limit_per_minute=100_000_000,
        )
    )
    async with AsyncTestClient(app=other_app) as other:
        other.headers["Authorization"] = f"Bearer {api_keys['admin']}"
        made = await create(other, "/v1/claims", {"claimant_id": actor["id"], "text": word})
    assert await search_ids(client, f"q={word}") == [made["id"]]


async def test_filters_combine_with_search_and_have_their_own_rankings(client: Any) -> None:
    word = f"zf{uuid.uuid4().hex[:10]}"
    one = await create(client, "/v1/actors", {"name": "Filter claimant one"})
    two = await create(client, "/v1/actors", {"name": "Filter claimant two"})
    mine = await create(
        client, "/v1/claims", {"claimant_id": one["id"], "text": word, "status": "disputed"}
    )
    theirs = await create(client, "/v1/claims", {"claimant_id": two["id"], "text": word})
    assert sorted(await search_ids(client, f"q={word}")) == sorted([mine["id"], theirs["id"]])
    assert await search_ids(client, f"q={word}&claimant_id={one['id']}") == [mine["id"]]
    assert await search_ids(client, f"q={word}&claimant_id={two['id']}") == [theirs["id"]]
    assert await search_ids(client, f"q={word}&status=disputed") == [mine["id"]]
    assert await search_ids(client, f"q=%20{word}%20%20&status=disputed") == [mine["id"]]
    assert await search_ids(client, f"q={word}&external_id=nothing-{word}") == []


async def test_as_of_search_reads_history_not_the_cache(client: Any, app: Litestar) -> None:
    word = f"za{uuid.uuid4().hex[:10]}"
    actor = await create(client, "/v1/actors", {"name": "As-of claimant"})
    claim = await create(client, "/v1/claims", {"claimant_id": actor["id"], "text": word})
    before = (await client.get(f"/v1/claims/{claim['id']}")).json()["updated_at"]
    await asyncio.sleep(0.01)
    patched = await client.patch(f"/v1/claims/{claim['id']}", json={"text": "renamed"})
    assert patched.status_code == 200, patched.text
    assert await search_ids(client, f"q={word}") == []
    entries = len(claim_searches(app).cache)
    as_of = urllib.parse.quote(before)
    past = (await client.get(f"/v1/claims?q={word}&as_of={as_of}")).json()["data"]
    assert [(c["id"], c["text"]) for c in past] == [(claim["id"], word)]
    assert len(claim_searches(app).cache) == entries


# --- The ranking cache on its own -----------------------------------------------------------

MARK = Watermark(1, 0)


def ranking(n: int, read_at: float | None = None) -> Ranking:
    matches = [(f"clm_{i:04d}", float(i % 3)) for i in range(n)]
    return Ranking(matches, MARK, time.monotonic() if read_at is None else read_at)


def test_ranking_orders_best_first_then_by_id_and_pages_by_position() -> None:
    ranked = ranking(7)
    assert list(ranked.ids) == [
        "clm_0002",
        "clm_0005",
        "clm_0001",
        "clm_0004",
        "clm_0000",
        "clm_0003",
        "clm_0006",
    ]
    first, cursor = ranked.page(None, 3)
    assert first == ["clm_0002", "clm_0005", "clm_0001"]
    assert cursor is not None
    after = decode_cursor(cursor, tuple)
    assert after == (1.0, "clm_0001")
    assert ranked.page(after, 10) == (["clm_0004", "clm_0000", "clm_0003", "clm_0006"], None)
    # A cursor whose match is gone still continues right after where it stood.
    assert ranked.page((1.0, "clm_0003"), 2)[0] == ["clm_0004", "clm_0000"]


def test_cache_is_bounded_in_entries_least_recently_used_first() -> None:
    cache = RankingCache(max_entries=2, max_bytes=10**9, max_age_seconds=60)
    cache.put("a", ranking(1))
    cache.put("b", ranking(1))
    assert cache.get("a") is not None  # now "b" is the least recently used
    cache.put("c", ranking(1))
    assert len(cache) == 2
    assert cache.get("b") is None
    assert cache.get("a") is not None
    assert cache.get("c") is not None


def test_cache_is_bounded_in_bytes() -> None:
    size = ranking(100).nbytes
    cache = RankingCache(max_entries=100, max_bytes=size * 3 + size // 2, max_age_seconds=60)
    for key in "abcde":
        cache.put(key, ranking(100))
        assert cache.nbytes <= cache.max_bytes
    assert len(cache) == 3
    assert cache.get("a") is None
    cache.put("huge", ranking(1000))  # larger than the whole budget: not kept
    assert cache.get("huge") is None
    assert len(cache) == 3
    cache.put("c", ranking(1))  # replacing an entry gives its bytes back
    assert cache.nbytes == 2 * size + ranking(1).nbytes


def test_kept_pages_count_against_the_byte_budget_and_are_few() -> None:
    size = ranking(10).nbytes
    cache = RankingCache(max_entries=10, max_bytes=2 * size + 1_000, max_age_seconds=60)
    first, second = ranking(10), ranking(10)
    cache.put("a", first)
    cache.put("b", second)
    for page in range(MAX_PAGES + 2):
        cache.keep_page("b", second, page, b"x" * 10)
    assert len(second.pages) == MAX_PAGES
    assert cache.nbytes == 2 * size + sum(sys.getsizeof(b) for b in second.pages.values())
    assert cache.get("a") is first  # as a search does before keeping a page
    cache.keep_page("a", first, 0, b"x" * 800)  # past the budget: "b", least recent, goes
    assert cache.get("b") is None
    assert cache.get("a") is first
    cache.keep_page("b", second, "late", b"{}")  # no longer cached: nothing kept for it
    assert "late" not in second.pages


def test_searches_asked_once_do_not_flush_the_repeated_ones() -> None:
    size = ranking(10).nbytes
    cache = RankingCache(max_entries=100, max_bytes=10 * size, max_age_seconds=60)
    for popular in ("p1", "p2", "p3"):
        cache.put(popular, ranking(10))
        assert cache.get(popular) is not None  # asked again: protected
    for n in range(50):  # a stream of searches nobody repeats
        cache.put(f"once-{n}", ranking(10))
        assert cache.nbytes <= cache.max_bytes
    assert all(cache.get(popular) is not None for popular in ("p1", "p2", "p3"))
    assert cache.get("once-0") is None
    assert cache.get("once-49") is not None  # the newest of them still had room


def test_protected_rankings_give_way_when_they_outgrow_their_share() -> None:
    size = ranking(10).nbytes
    cache = RankingCache(max_entries=5, max_bytes=10**9, max_age_seconds=60)
    for key in "abcde":
        cache.put(key, ranking(10))
        cache.get(key)
    assert len(cache) == 5
    cache.put("f", ranking(10))  # the oldest protected one went back to probation, then out
    assert cache.get("a") is None
    assert all(cache.get(key) is not None for key in "bcdef")
    assert cache.nbytes == 5 * size


def test_a_search_without_matches_is_cached_too() -> None:
    cache = RankingCache(max_entries=10, max_bytes=10**9, max_age_seconds=60)
    cache.put("nothing", ranking(0))
    assert cache.get("nothing") is not None
    assert cache.get("nothing") is not None  # and once protected, still found
    assert cache.hits == 2


def test_cache_forgets_rankings_older_than_its_age_bound() -> None:
    now = [100.0]
    cache = RankingCache(max_entries=10, max_bytes=10**9, max_age_seconds=5, clock=lambda: now[0])
    cache.put("a", ranking(3, read_at=100.0))
    now[0] = 104.0
    assert cache.get("a") is not None
    now[0] = 105.5
    assert cache.get("a") is None
    assert cache.nbytes == 0


async def feed_is_positioned(database_url: str) -> None:
    """Wait (briefly) until the sequencer has numbered every claim event: a page is kept
    only when the watermark did not move while it was read."""
    conn = await asyncpg.connect(database_url)
    try:
        for _ in range(100):
            if not await conn.fetchval(
                "SELECT count(*) FROM events WHERE position IS NULL AND resource = 'claim'"
            ):
                return
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    raise AssertionError("claim events were not positioned within 5 s")


async def test_a_repeated_page_is_answered_from_the_cache_until_a_claim_changes(
    client: Any, app: Litestar, database_url: str
) -> None:
    word = f"zk{uuid.uuid4().hex[:10]}"
    actor = await create(client, "/v1/actors", {"name": "Kept page claimant"})
    made = await create(client, "/v1/claims", {"claimant_id": actor["id"], "text": word})
    await feed_is_positioned(database_url)
    first = await client.get(f"/v1/claims?q={word}&sort=relevance")
    ranking = next(r for k, r in claim_searches(app).cache.items() if k[0] == word)
    assert len(ranking.pages) == 1  # the body was kept with its ranking
    ranking.pages[next(iter(ranking.pages))] = b'{"data":[],"next_cursor":"kept"}'
    kept = await client.get(f"/v1/claims?q={word}&sort=relevance")
    assert kept.json() == {"data": [], "next_cursor": "kept"}  # served without reading claims

    patched = await client.patch(f"/v1/claims/{made['id']}", json={"text": f"{word} again"})
    assert patched.status_code == 200, patched.text
    fresh = (await client.get(f"/v1/claims?q={word}&sort=relevance")).json()
    assert [c["text"] for c in fresh["data"]] == [f"{word} again"]
    assert first.json()["data"][0]["text"] == word


async def test_a_search_in_use_is_ranked_again_in_the_background_before_it_expires(
    client: Any, app: Litestar
) -> None:
    word = f"zb{uuid.uuid4().hex[:10]}"
    actor = await create(client, "/v1/actors", {"name": "Refresh claimant"})
    await create(client, "/v1/claims", {"claimant_id": actor["id"], "text": word})
    assert len(await search_ids(client, f"q={word}")) == 1
    searches_ = claim_searches(app)
    key, old = next((k, r) for k, r in searches_.cache.items() if k[0] == word)
    old.read_at -= search.REFRESH_AFTER_SECONDS * 1.3  # past the refresh age, not expired
    hits = searches_.cache.hits
    assert len(await search_ids(client, f"q={word}")) == 1
    assert searches_.cache.hits == hits + 1  # answered from the old ranking, at once
    # The re-read runs in the background, on the app's own event loop: wait for it there.
    for _ in range(200):
        fresh = next(r for k, r in searches_.cache.items() if k == key)
        if fresh is not old:
            break
        await asyncio.sleep(0.025)
    assert fresh is not old
    assert searches_.cache.clock() - fresh.read_at < search.REFRESH_AFTER_SECONDS
