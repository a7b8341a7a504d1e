"""Logs: one JSON object a line with the request's id, route template, status, duration and
key id (never the key); the app's own records made during a request carry its id; `serve`
writes nothing else on stderr, and logs each request once."""

import asyncio
import io
import json
import logging
import re
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from claimledger_server.observability import logs
from factories import UNKNOWN_ID, actor
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.databases import fresh_database, make_key
from support.serve_process import serving

RFC3339_MS_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


@contextmanager
def captured(log_format: str = "json") -> Iterator[io.StringIO]:
    """The `claimledger` loggers' records, formatted as `serve` formats them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter() if log_format == "json" else logs.TextFormatter())
    handler.addFilter(logs.RequestContext())
    logger = logging.getLogger("claimledger")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def records(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line]


async def key_id(database_url: str, name: str) -> str:
    conn = await asyncpg.connect(database_url)
    try:
        found: str = await conn.fetchval("SELECT id FROM api_keys WHERE name = $1", name)
        return found
    finally:
        await conn.close()


def test_a_record_is_one_json_line_with_its_exception() -> None:
    formatter = logs.JsonFormatter()
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        record = logging.LogRecord(
            "claimledger", logging.ERROR, __file__, 1, "failed: %s", ("x",), sys.exc_info()
        )
    record.status = 500
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert RFC3339_MS_UTC.match(entry["time"]), entry
    assert entry["level"] == "error"
    assert entry["logger"] == "claimledger"
    assert entry["message"] == "failed: x"
    assert entry["status"] == 500
    assert entry["exception"].startswith("Traceback")
    assert "ValueError: bad\nthing" in entry["exception"]


@pytest.fixture(scope="module")
async def logging_client(
    database_url: str, api_keys: dict[str, str]
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(Settings(database_url=database_url, api_key_cache_seconds=0, access_log=True))
    async with AsyncTestClient(app=app) as client:
        client.headers["Authorization"] = f"Bearer {api_keys['read']}"
        yield client


async def test_the_access_log_has_route_status_duration_and_key_id_never_the_key(
    logging_client: Any, client: Any, database_url: str, api_keys: dict[str, str]
) -> None:
    made = await actor(client)
    with captured() as stream:
        found = await logging_client.get(f"/v1/actors/{made['id']}")
        missing = await logging_client.get(f"/v1/actors/{UNKNOWN_ID['actors']}")
        refused = await logging_client.get(
            "/v1/actors", headers={"Authorization": f"Bearer {api_keys['revoked']}"}
        )
    assert [found.status_code, missing.status_code, refused.status_code] == [200, 404, 401]
    lines = records(stream.getvalue())
    assert len(lines) == 3, stream.getvalue()  # one line a request
    reader = await key_id(database_url, "test-read")
    for line, response in zip(lines, (found, missing, refused), strict=True):
        assert line["logger"] == "claimledger.access"
        assert line["level"] == "info"
        assert RFC3339_MS_UTC.match(line["time"])
        assert line["request_id"] == response.headers["x-request-id"]
        assert line["method"] == "GET"
        assert line["status"] == response.status_code
        assert isinstance(line["duration_ms"], float)
        assert line["duration_ms"] >= 0
        assert line["path"] == response.request.url.path
    assert [line["route"] for line in lines[:2]] == ["/v1/actors/{id}", "/v1/actors/{id}"]
    assert [line.get("key_id") for line in lines] == [reader, reader, None]  # 401: no key
    for secret in api_keys.values():
        assert secret not in stream.getvalue()


async def test_a_record_made_during_a_request_names_the_request(
    logging_client: Any, client: Any
) -> None:
    # Nothing in a successful request logs: the context filter is what every record passes.
    scope = {
        "method": "PATCH",
        "path_template": "/v1/claims/{id}",
        "state": {"request_id": "req_given"},
        "auth": type("Key", (), {"id": "key_abc"})(),
    }
    with captured() as stream:
        token = logs.CURRENT_REQUEST.set(scope)
        try:
            logging.getLogger("claimledger").warning("something odd")
        finally:
            logs.CURRENT_REQUEST.reset(token)
        logging.getLogger("claimledger").warning("outside a request")
    inside, outside = records(stream.getvalue())
    assert inside["request_id"] == "req_given"
    assert inside["method"] == "PATCH"
    assert inside["route"] == "/v1/claims/{id}"
    assert inside["key_id"] == "key_abc"
    assert set(outside) == {"time", "level", "logger", "message"}

    # And through the app: the request id the client gave is on the line.
    with captured() as stream:
        response = await logging_client.get("/v1/actors", headers={"X-Request-ID": "trace-42"})
    assert response.status_code == 200
    (line,) = records(stream.getvalue())
    assert line["request_id"] == "trace-42"


def test_text_lines_are_for_people() -> None:
    record = logging.LogRecord(
        "claimledger.access", logging.INFO, __file__, 1, "GET /v1/actors 200 1.0 ms", (), None
    )
    record.route, record.request_id, record.key_id = "/v1/actors", "req_1", "key_1"
    line = logs.TextFormatter().format(record)
    assert re.fullmatch(
        r"\S+Z INFO claimledger\.access: GET /v1/actors 200 1\.0 ms"
        r" route=/v1/actors request_id=req_1 key_id=key_1",
        line,
    ), line


def serve_and_read_logs(dsn: str, data_dir: Path, key: str) -> tuple[str, list[str]]:
    with serving(dsn, data_dir, "--access-log") as serve:
        auth = {"Authorization": f"Bearer {key}"}
        ids = [
            httpx.get(f"{serve.url}/v1/actors", headers=auth).headers["x-request-id"],
            httpx.get(f"{serve.url}/nowhere", headers=auth).headers["x-request-id"],
        ]
    return serve.output, ids


@pytest.mark.slow
async def test_serve_writes_only_json_lines_and_each_request_once(
    server_dsn: str, tmp_path: Path
) -> None:
    async with fresh_database(server_dsn, "claimledger_logs") as dsn:
        key = await make_key(dsn, "logged", ("read",))
        output, ids = await asyncio.to_thread(serve_and_read_logs, dsn, tmp_path, key)
    lines = records(output)  # fails on any line that is not one JSON object
    assert {line["logger"] for line in lines} >= {"claimledger.cli", "uvicorn.error"}
    assert "uvicorn.access" not in {line["logger"] for line in lines}
    access = [line for line in lines if line["logger"] == "claimledger.access"]
    for request_id in ids:
        assert [line["request_id"] for line in access].count(request_id) == 1
    by_id = {line["request_id"]: line for line in access}
    assert by_id[ids[0]]["route"] == "/v1/actors"
    assert by_id[ids[0]]["key_id"].startswith("key_")
    assert by_id[ids[1]]["status"] == 404
    assert "route" not in by_id[ids[1]]  # no route matched
    assert key not in output
    assert lines[-1]["message"] == "stopped"


def test_the_log_format_is_checked() -> None:
    with pytest.raises(SystemExit, match="CLAIMLEDGER_LOG_FORMAT must be one of json, text"):
        Settings.from_env({"CLAIMLEDGER_LOG_FORMAT": "xml"})
    assert Settings.from_env({}).log_format == "json"
    assert Settings.from_env({"CLAIMLEDGER_LOG_FORMAT": "TEXT"}).log_format == "text"
