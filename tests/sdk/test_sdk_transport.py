"""The SDK against a fault-injecting transport (httpx.MockTransport): retries and backoff,
Retry-After, idempotency keys, timeouts, and the exception for every error status."""

import email.utils
import json
import time
from collections.abc import Callable
from typing import Any

import claimledger
import httpx
import pytest
from claimledger import _base_client

BASE = "http://claimledger.test"
Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def actor_json(**overrides: Any) -> dict[str, Any]:
    body = {
        "id": "act_1",
        "version": 1,
        "created_at": "2024-12-27T18:00:00Z",
        "updated_at": "2024-12-27T18:00:00Z",
        "deleted": False,
        "external_id": None,
        "name": "John Kirby",
        "kind": "person",
        "aliases": [],
        "country": "USA",
        "parent_id": None,
        "role": None,
        "description": None,
        "external_ids": {},
        "anonymous": False,
    }
    return {**body, **overrides}


def problem(status: int, **members: Any) -> httpx.Response:
    body = {"type": "urn:claimledger:problem:x", "title": "Title", "status": status, **members}
    return httpx.Response(status, json=body, headers={"Content-Type": "application/problem+json"})


class Script:
    """A transport that answers each request with the next step, and records the requests."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)

    def header(self, name: str) -> list[str | None]:
        return [request.headers.get(name) for request in self.requests]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the SDK's waits between retries instead of sleeping."""
    waited: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(_base_client, "sleep", waited.append)
    monkeypatch.setattr(_base_client, "async_sleep", async_sleep)
    return waited


def client(script: Script, **options: Any) -> claimledger.Client:
    http = httpx.Client(transport=httpx.MockTransport(script))
    return claimledger.Client(BASE, "clk_test", http_client=http, **options)


def async_client(script: Script, **options: Any) -> claimledger.AsyncClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    return claimledger.AsyncClient(BASE, "clk_test", http_client=http, **options)


def ok() -> httpx.Response:
    return httpx.Response(200, json=actor_json())


def created() -> httpx.Response:
    return httpx.Response(201, json=actor_json())


# ---------------------------------------------------------------------------------- retries


def test_get_is_retried_on_5xx_with_growing_jittered_backoff(sleeps: list[float]) -> None:
    script = Script(problem(500), problem(502), httpx.Response(503), ok())
    actor = client(script, max_retries=3).actors.get("act_1")
    assert actor.name == "John Kirby"
    assert len(script.requests) == 4
    assert len(sleeps) == 3
    for wait, base in zip(sleeps, [0.5, 1.0, 2.0], strict=True):
        assert 0.75 * base <= wait <= base


def test_retries_stop_after_max_retries(sleeps: list[float]) -> None:
    script = Script(*[problem(503) for _ in range(3)])
    with pytest.raises(claimledger.ServerError) as raised:
        client(script, max_retries=2).actors.get("act_1")
    assert raised.value.status == 503
    assert len(script.requests) == 3
    assert len(sleeps) == 2


def test_max_retries_zero_disables_retries(sleeps: list[float]) -> None:
    script = Script(problem(503), httpx.ConnectError("refused"))
    sdk = client(script, max_retries=0)
    with pytest.raises(claimledger.ServerError):
        sdk.actors.get("act_1")
    with pytest.raises(claimledger.APIConnectionError):
        sdk.actors.get("act_1")
    assert len(script.requests) == 2
    assert sleeps == []


def test_with_options_changes_retries_and_shares_the_connection(sleeps: list[float]) -> None:
    script = Script(problem(503), problem(503), ok())
    sdk = client(script, max_retries=2)
    with pytest.raises(claimledger.ServerError):
        sdk.with_options(max_retries=0).actors.get("act_1")
    assert sdk.actors.get("act_1").id == "act_1"
    assert len(script.requests) == 3


def test_429_honours_retry_after_seconds(sleeps: list[float]) -> None:
    script = Script(problem(429, detail="slow down"), ok())
    script.steps[0].headers["Retry-After"] = "3"
    client(script).actors.get("act_1")
    assert sleeps == [3.0]


def test_429_honours_retry_after_http_date(sleeps: list[float]) -> None:
    later = email.utils.formatdate(time.time() + 10, usegmt=True)
    script = Script(httpx.Response(429, headers={"Retry-After": later}), ok())
    client(script).actors.get("act_1")
    assert len(sleeps) == 1
    assert 8 <= sleeps[0] <= 10


def test_429_with_a_long_retry_after_is_raised_at_once(sleeps: list[float]) -> None:
    script = Script(problem(429))
    script.steps[0].headers["Retry-After"] = "3600"
    with pytest.raises(claimledger.RateLimited) as raised:
        client(script).actors.get("act_1")
    assert raised.value.retry_after == 3600
    assert sleeps == []


def test_rate_limited_after_the_last_retry_carries_retry_after(sleeps: list[float]) -> None:
    script = Script(*[httpx.Response(429, headers={"Retry-After": "1"}) for _ in range(3)])
    with pytest.raises(claimledger.RateLimited) as raised:
        client(script).actors.list().first_page()
    assert raised.value.retry_after == 1.0
    assert sleeps == [1.0, 1.0]


def test_408_is_retried(sleeps: list[float]) -> None:
    script = Script(httpx.Response(408), ok())
    client(script).actors.get("act_1")
    assert len(script.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 412, 413, 422, 501])
def test_other_errors_are_not_retried(sleeps: list[float], status: int) -> None:
    script = Script(problem(status))
    with pytest.raises(claimledger.APIError):
        client(script).actors.get("act_1")
    assert len(script.requests) == 1


def test_connection_errors_are_retried_then_raised(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"), httpx.ReadError("reset"), ok())
    assert client(script).actors.get("act_1").id == "act_1"
    failing = Script(*[httpx.ConnectError("refused") for _ in range(3)])
    with pytest.raises(claimledger.APIConnectionError) as raised:
        client(failing).actors.get("act_1")
    assert isinstance(raised.value.__cause__, httpx.ConnectError)
    assert "GET http://claimledger.test/v1/actors/act_1" in str(raised.value)


# ---------------------------------------------------------------------------------- POST, PATCH


def test_post_carries_one_idempotency_key_reused_across_retries(sleeps: list[float]) -> None:
    script = Script(problem(503), httpx.ReadTimeout("slow"), created())
    actor = client(script).actors.create(name="John Kirby")
    assert actor.id == "act_1"
    keys = script.header("Idempotency-Key")
    assert len(keys) == 3
    assert keys[0]
    assert len(set(keys)) == 1
    assert [json.loads(r.content) for r in script.requests] == [{"name": "John Kirby"}] * 3


def test_each_post_call_gets_its_own_idempotency_key(sleeps: list[float]) -> None:
    script = Script(created(), created(), created())
    sdk = client(script)
    sdk.actors.create(name="A")
    sdk.actors.create(name="B")
    sdk.actors.create(name="C", idempotency_key="my-key")
    keys = script.header("Idempotency-Key")
    assert keys[0] != keys[1]
    assert keys[2] == "my-key"


def test_patch_is_not_retried_when_it_may_have_applied(sleeps: list[float]) -> None:
    script = Script(problem(503))
    with pytest.raises(claimledger.ServerError):
        client(script).actors.update("act_1", {"role": "x"})
    timed_out = Script(httpx.ReadTimeout("slow"))
    with pytest.raises(claimledger.Timeout):
        client(timed_out).actors.update("act_1", role="x")
    assert len(script.requests) == len(timed_out.requests) == 1
    assert sleeps == []


def test_patch_is_retried_when_it_cannot_have_applied(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"), httpx.Response(429), ok())
    client(script).actors.update("act_1", role="x")
    assert len(script.requests) == 3


def test_delete_and_put_style_methods_are_retried(sleeps: list[float]) -> None:
    script = Script(problem(502), ok())
    client(script).actors.delete("act_1")
    assert [r.method for r in script.requests] == ["DELETE", "DELETE"]


# ---------------------------------------------------------------------------------- timeouts


def test_timeout_is_retried_then_raised_as_timeout(sleeps: list[float]) -> None:
    script = Script(httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("x"))
    with pytest.raises(claimledger.Timeout) as raised:
        client(script).actors.get("act_1")
    assert isinstance(raised.value, claimledger.APIConnectionError)
    assert len(script.requests) == 3


def test_timeout_setting_reaches_every_request() -> None:
    script = Script(ok(), ok())
    sdk = client(script, timeout=2.5)
    sdk.actors.get("act_1")
    sdk.with_options(timeout=httpx.Timeout(7.0, connect=1.0)).actors.get("act_1")
    first, second = (r.extensions["timeout"] for r in script.requests)
    assert first == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert second == {"connect": 1.0, "read": 7.0, "write": 7.0, "pool": 7.0}


# ---------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, claimledger.BadRequest),
        (401, claimledger.Unauthorized),
        (403, claimledger.Forbidden),
        (404, claimledger.NotFound),
        (409, claimledger.Conflict),
        (410, claimledger.Gone),
        (412, claimledger.PreconditionFailed),
        (413, claimledger.PayloadTooLarge),
        (422, claimledger.UnprocessableEntity),
        (429, claimledger.RateLimited),
        (500, claimledger.ServerError),
        (503, claimledger.ServerError),
        (418, claimledger.APIError),
    ],
)
def test_each_status_raises_its_exception_with_the_problem(
    status: int, error: type[claimledger.APIError]
) -> None:
    answer = problem(
        status,
        title="Something",
        detail="what went wrong",
        errors=[{"field": "claimant_id", "message": "no such actor"}],
        request_id="req_123",
        current_version=4,
    )
    with pytest.raises(error) as raised:
        client(Script(answer), max_retries=0).actors.get("act_1")
    exc = raised.value
    assert type(exc) is error
    assert isinstance(exc, claimledger.APIError)
    assert isinstance(exc, claimledger.ClaimLedgerError)
    assert exc.status == status
    assert exc.title == "Something"
    assert exc.detail == "what went wrong"
    assert exc.type == "urn:claimledger:problem:x"
    assert [(e.field, e.message) for e in exc.errors] == [("claimant_id", "no such actor")]
    assert exc.request_id == "req_123"
    assert str(exc) == f"{status} Something: what went wrong (request id req_123)"
    if isinstance(exc, claimledger.PreconditionFailed):
        assert exc.current_version == 4


def test_an_error_without_problem_json_still_maps(sleeps: list[float]) -> None:
    html = httpx.Response(
        502,
        text="<html>Bad gateway</html>",
        headers={"Content-Type": "text/html", "X-Request-ID": "req_proxy"},
    )
    with pytest.raises(claimledger.ServerError) as raised:
        client(Script(html), max_retries=0).actors.get("act_1")
    assert raised.value.title == "Bad Gateway"
    assert raised.value.detail == "<html>Bad gateway</html>"
    assert raised.value.request_id == "req_proxy"
    assert raised.value.errors == []
    assert raised.value.problem is None


def test_an_answer_that_breaks_the_contract_is_a_response_validation_error() -> None:
    script = Script(httpx.Response(200, json={"id": 7}))
    with pytest.raises(claimledger.ResponseValidationError) as raised:
        client(script).actors.get("act_1")
    assert raised.value.response.status_code == 200


def test_newer_servers_fields_and_enum_values_are_tolerated() -> None:
    newer = actor_json(kind="alliance", country="XYZ", new_member={"nested": True})
    actor = client(Script(httpx.Response(200, json=newer))).actors.get("act_1")
    assert (actor.kind, actor.country) == ("alliance", "XYZ")


# ---------------------------------------------------------------------------------- requests


def test_requests_carry_auth_user_agent_and_if_match() -> None:
    script = Script(ok(), ok(), ok())
    sdk = client(script, default_headers={"X-Team": "research"})
    fetched = sdk.actors.get("act_1", as_of="2024-12-28T00:00:00Z")
    sdk.actors.update(fetched, role="spokesperson", change_note="looked it up")
    sdk.actors.update("act_1", role="x", if_match=7)
    get, patch, by_id = script.requests
    assert get.headers["Authorization"] == "Bearer clk_test"
    assert get.headers["User-Agent"].startswith(f"claimledger-sdk/{claimledger.__version__} ")
    assert get.headers["X-Team"] == "research"
    assert get.url.params["as_of"] == "2024-12-28T00:00:00Z"
    assert "If-Match" not in get.headers
    assert patch.headers["If-Match"] == '"1"'
    assert patch.headers["X-Change-Note"] == "looked it up"
    assert patch.headers["Content-Type"] == "application/json"
    assert json.loads(patch.content) == {"role": "spokesperson"}
    assert by_id.headers["If-Match"] == '"7"'
    assert "Idempotency-Key" not in patch.headers


def test_a_change_note_in_any_language_is_sent_as_utf8() -> None:
    script = Script(ok())
    client(script).actors.update("act_1", role="x", change_note="Перевірено")
    raw = dict(script.requests[0].headers.raw)
    assert raw[b"X-Change-Note"] == "Перевірено".encode()


def test_a_missing_api_key_is_refused_early(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMLEDGER_API_KEY", raising=False)
    with pytest.raises(claimledger.ClaimLedgerError, match="CLAIMLEDGER_API_KEY"):
        claimledger.Client(BASE)
    monkeypatch.setenv("CLAIMLEDGER_API_KEY", "clk_env")
    monkeypatch.setenv("CLAIMLEDGER_BASE_URL", "http://elsewhere:9000/prefix")
    configured = claimledger.Client()
    assert configured.api_key == "clk_env"
    assert str(configured.base_url) == "http://elsewhere:9000/prefix/"


def test_base_url_with_a_path_prefix() -> None:
    script = Script(ok())
    http = httpx.Client(transport=httpx.MockTransport(script))
    claimledger.Client(f"{BASE}/api/", "k", http_client=http).actors.get("act 1")
    assert str(script.requests[0].url) == f"{BASE}/api/v1/actors/act%201"


# ---------------------------------------------------------------------------------- async


async def test_async_retries_reuse_the_idempotency_key(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"), problem(503), created())
    async with async_client(script) as sdk:
        actor = await sdk.actors.create(name="John Kirby")
    assert actor.id == "act_1"
    keys = script.header("Idempotency-Key")
    assert len(keys) == 3
    assert keys[0]
    assert len(set(keys)) == 1
    assert len(sleeps) == 2


async def test_async_retry_after_and_exhaustion(sleeps: list[float]) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "2"}), problem(500), problem(500))
    async with async_client(script, max_retries=2) as sdk:
        with pytest.raises(claimledger.ServerError):
            await sdk.actors.get("act_1")
    assert sleeps[0] == 2.0
    assert len(script.requests) == 3


async def test_async_timeout_and_errors(sleeps: list[float]) -> None:
    script = Script(httpx.ReadTimeout("slow"), problem(404, detail="No actor act_1."))
    async with async_client(script, max_retries=0) as sdk:
        with pytest.raises(claimledger.Timeout):
            await sdk.actors.get("act_1")
        with pytest.raises(claimledger.NotFound, match="No actor act_1"):
            await sdk.actors.get("act_1")


async def test_async_patch_is_not_retried_on_5xx(sleeps: list[float]) -> None:
    script = Script(problem(503))
    async with async_client(script) as sdk:
        with pytest.raises(claimledger.ServerError):
            await sdk.actors.update("act_1", role="x")
    assert len(script.requests) == 1
