"""/v1/sources: the shared contract, plus list filters and field rules."""

import hashlib
import uuid
from typing import Any

import factories
from factories import assert_problem, ids, uid
from resource_tests import DROP, ResourceContract

SHA = hashlib.sha256(b"the article as retrieved").hexdigest()


class TestSources(ResourceContract):
    table = "sources"
    prefix = "src"
    patch = {"title": "Kirby: 1,000 North Korean troops killed or injured", "language": "en-US"}
    optional_field = "language"
    reference_fields = {"publisher_id": "actors"}
    invalid_bodies = [
        ("kind-unknown", {"kind": "rumour"}, 422, "kind"),
        ("title-and-url-missing", {"title": DROP, "url": DROP}, 422, "title"),
        ("title-empty", {"title": ""}, 422, "title"),
        ("url-not-http", {"url": "ftp://example.org/a"}, 422, "url"),
        ("url-with-space", {"url": "https://example.org/a b"}, 422, "url"),
        ("url-too-long", {"url": "https://example.org/" + "a" * 2048}, 422, "url"),
        ("archived-url-javascript", {"archived_url": "javascript:alert(1)"}, 422, "archived_url"),
        # URLs must parse (RFC 3986) and name a host, not merely match the pattern.
        ("url-ipv6-unclosed", {"url": "http://[abc"}, 422, "url"),
        ("url-bracket-alone", {"url": "http://["}, 422, "url"),
        ("url-ipv6-not-an-address", {"url": "https://[abc]/a"}, 422, "url"),
        ("url-no-host", {"url": "https:///a"}, 422, "url"),
        ("url-port-only", {"url": "https://:443/a"}, 422, "url"),
        ("url-port-too-big", {"url": "https://example.org:65536/a"}, 422, "url"),
        ("url-bracket-in-host", {"url": "https://exa[mple.org/a"}, 422, "url"),
        ("archived-url-unclosed", {"archived_url": "https://[::1/x"}, 422, "archived_url"),
        ("published-at-naive", {"published_at": "2024-12-24T01:30:00"}, 422, "published_at"),
        ("published-at-date", {"published_at": "2024-12-24"}, 422, "published_at"),
        ("published-at-words", {"published_at": "yesterday"}, 422, "published_at"),
        ("language-invalid", {"language": "english!"}, 422, "language"),
        ("sha-uppercase", {"content_sha256": SHA.upper()}, 422, "content_sha256"),
        ("sha-short", {"content_sha256": SHA[:63]}, 422, "content_sha256"),
        (
            "publisher-other-kind",
            {"publisher_id": "src_01jfzq6m3b8n0c2k4d5e6f7g8h"},
            422,
            "publisher_id",
        ),
    ]
    invalid_patches = [
        ("title-and-url-null", {"title": None, "url": None}, 422, "title"),
        ("published-at-naive", {"published_at": "2024-12-24T01:30:00"}, 422, "published_at"),
        ("kind-number", {"kind": 1}, 422, "kind"),
        ("url-ipv6-unclosed", {"url": "http://[abc"}, 422, "url"),
    ]

    async def make_body(self, client: Any) -> dict[str, Any]:
        nbc = await factories.actor(client, name="NBC News", kind="media_outlet", country="USA")
        return {
            "external_id": uid("source"),
            "kind": "news_article",
            "title": "North Korean troops suffer heavy losses, White House says",
            "url": "https://www.nbcnews.com/news/world/north-korea-troops-kursk",
            "publisher_id": nbc["id"],
            "published_at": "2024-12-24T01:30:00Z",
            "language": "en",
            "archived_url": "https://web.archive.org/web/20241224/https://www.nbcnews.com/x",
            "content_sha256": SHA,
        }

    async def make_referrer(self, client: Any, resource_id: str) -> tuple[str, str] | None:
        made = await factories.claim(client, citations=[{"source_id": resource_id}])
        return "/v1/claims", made["id"]


async def test_published_at_is_normalised_to_utc(client: Any) -> None:
    made = await factories.source(client, published_at="2024-12-24T03:30:00+02:00")
    assert made["published_at"] == "2024-12-24T01:30:00Z"


async def test_urls_that_parse_are_kept_as_written(client: Any) -> None:
    for url in [
        "https://[2001:db8::1]:8443/a?b=c#d",
        "https://uk.wikipedia.org/wiki/Курська_область",
        "http://user@example.org:80/",
    ]:
        made = await factories.create(client, "/v1/sources", {"url": url, "archived_url": url})
        assert (made["url"], made["archived_url"]) == (url, url)


async def test_url_alone_identifies_a_source(client: Any) -> None:
    made = await factories.create(
        client, "/v1/sources", {"url": "https://t.me/V_Zelenskiy_official/12345"}
    )
    assert made["title"] is None
    assert made["kind"] == "other"
    response = await client.patch(f"/v1/sources/{made['id']}", json={"url": None})
    assert_problem(response, 422, "title")


async def test_filters_kind_publisher_and_q(client: Any) -> None:
    token = f"zq{uuid.uuid4().hex}"
    nbc = await factories.actor(client, kind="media_outlet")
    office = await factories.actor(client, kind="government_body")
    article = await factories.source(
        client, kind="news_article", title=f"Report {token}", publisher_id=nbc["id"]
    )
    video = await factories.source(
        client, kind="video_address", title=f"Address {token}", publisher_id=office["id"]
    )
    untitled = await factories.source(client, kind="video_address", title="Something else")
    assert await ids(client, "/v1/sources", q=token) == [article["id"], video["id"]]
    assert await ids(client, "/v1/sources", q=token, kind="video_address") == [video["id"]]
    assert await ids(client, "/v1/sources", publisher_id=nbc["id"]) == [article["id"]]
    assert await ids(client, "/v1/sources", publisher_id=office["id"]) == [video["id"]]
    assert await ids(client, "/v1/sources", q=f"address {token}") == [video["id"]]
    videos = await ids(client, "/v1/sources", kind="video_address")
    assert {video["id"], untitled["id"]} <= set(videos)
    assert article["id"] not in videos


async def test_publisher_filter_follows_updates(client: Any) -> None:
    first = await factories.actor(client, kind="media_outlet")
    second = await factories.actor(client, kind="media_outlet")
    made = await factories.source(client, publisher_id=first["id"])
    patched = await client.patch(f"/v1/sources/{made['id']}", json={"publisher_id": second["id"]})
    assert patched.status_code == 200, patched.text
    assert await ids(client, "/v1/sources", publisher_id=first["id"]) == []
    assert await ids(client, "/v1/sources", publisher_id=second["id"]) == [made["id"]]
    # The old publisher is no longer referenced, so it can be deleted; the new one cannot.
    await factories.delete(client, "/v1/actors", first["id"])
    assert_problem(await client.delete(f"/v1/actors/{second['id']}"), 409)


async def test_list_filter_values_are_validated(client: Any) -> None:
    assert_problem(await client.get("/v1/sources", params={"kind": "rumour"}), 400, "kind")
    assert await ids(client, "/v1/sources", publisher_id=factories.UNKNOWN_ID["actors"]) == []


async def test_filter_republished_from_id(client: Any) -> None:
    original = await factories.source(client, title="Wire report")
    reprint = await factories.source(client, republished_from_id=original["id"])
    copy = await factories.source(client, republished_from_id=original["id"])
    reprint_of_reprint = await factories.source(client, republished_from_id=reprint["id"])
    listed = await ids(client, "/v1/sources", republished_from_id=original["id"])
    assert listed == [reprint["id"], copy["id"]]
    assert await ids(client, "/v1/sources", republished_from_id=reprint["id"]) == [
        reprint_of_reprint["id"]
    ]
    assert await ids(client, "/v1/sources", republished_from_id=copy["id"]) == []
    unknown = factories.UNKNOWN_ID["sources"]
    assert await ids(client, "/v1/sources", republished_from_id=unknown) == []
