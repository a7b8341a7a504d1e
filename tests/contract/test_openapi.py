"""The OpenAPI document is the contract: generated from the app, committed as
`openapi/openapi.json` (the SDK is generated from it), served at `/schema/openapi.json`, and
complete enough for a client, the SDK generator and the fuzzer to rely on."""

import difflib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from claimledger_server.app import create_app, openapi_document
from claimledger_server.config import Settings

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "openapi" / "openapi.json"
REGENERATE = (
    "Regenerate it with `claimledger openapi` (or `make openapi`) and commit the result;"
    " the SDK is generated from that file."
)
METHODS = ("get", "put", "post", "patch", "delete")
PROBLEM = {"$ref": "#/components/schemas/Problem"}
# Liveness and readiness probes: open (no API key) and never a client error to declare.
PROBES = {"health", "readiness"}

Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(openapi_document())


def operations(document: dict[str, Any]) -> Iterator[Operation]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def label(method: str, path: str) -> str:
    return f"{method} {path}"


def test_the_committed_document_is_the_one_the_app_generates() -> None:
    generated = openapi_document()
    committed = COMMITTED.read_bytes() if COMMITTED.exists() else b""
    if committed == generated:
        return
    diff = difflib.unified_diff(
        committed.decode(errors="replace").splitlines(),
        generated.decode().splitlines(),
        "openapi/openapi.json (committed)",
        "openapi_document() (the app)",
        n=2,
        lineterm="",
    )
    shown = "\n".join(list(diff)[:80])
    pytest.fail(f"openapi/openapi.json is out of date. {REGENERATE}\n\n{shown}", pytrace=False)


async def test_the_served_document_is_the_committed_one(client: Any) -> None:
    response = await client.get("/schema/openapi.json", headers={"Authorization": ""})
    assert response.status_code == 200, "the document is open, no API key needed"
    assert response.headers["content-type"].startswith("application/")
    assert response.json() == json.loads(openapi_document()), REGENERATE


def test_every_operation_has_an_explicit_unique_operation_id(document: dict[str, Any]) -> None:
    ids = [op.get("operationId") for _, _, op in operations(document)]
    assert all(ids), "every operation needs an operationId: it becomes an SDK method name"
    assert len(ids) == len(set(ids)), f"duplicate operationIds: {sorted(ids)}"
    bad = [i for i in ids if not re.fullmatch(r"[a-z][A-Za-z0-9]*", i)]
    assert not bad, f"operationIds must be lowerCamelCase identifiers: {bad}"
    # Explicit: named by the route handler, not invented by Litestar from the path.
    app = create_app(Settings(database_url="postgresql://unused"))
    named = {
        handler.operation_id
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if isinstance(handler.operation_id, str)
    }
    assert set(ids) <= named, f"operationIds no handler names: {sorted(set(ids) - named)}"


def test_every_operation_has_a_tag_and_a_summary(document: dict[str, Any]) -> None:
    declared_tags = {tag["name"] for tag in document.get("tags", [])}
    for method, path, op in operations(document):
        assert op.get("tags"), f"{label(method, path)} has no tag"
        assert (op.get("summary") or "").strip(), f"{label(method, path)} has no summary"
        if declared_tags:
            assert set(op["tags"]) <= declared_tags, f"{label(method, path)}: undeclared tag"


def test_error_responses_are_declared_as_problem_documents(document: dict[str, Any]) -> None:
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status"} <= set(problem["required"])
    assert "errors" in problem["properties"]
    for method, path, op in operations(document):
        where = label(method, path)
        responses = op["responses"]
        client_errors = {status for status in responses if status.startswith("4")}
        if op["operationId"] not in PROBES:
            assert client_errors, f"{where} declares no error response"
        if op.get("security", document["security"]) != [{}]:
            assert {"400", "401", "403"} <= client_errors, f"{where}: 400/401/403 not declared"
        for status in client_errors:
            content = responses[status].get("content", {})
            assert content == {"application/problem+json": {"schema": PROBLEM}}, (
                f"{where} {status} is not declared as application/problem+json Problem"
            )


def test_the_bearer_scheme_is_declared_and_required(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    open_operations = {
        op["operationId"] for _, _, op in operations(document) if op.get("security") == [{}]
    }
    assert open_operations == PROBES, "only the probes may be called without an API key"
    for method, path, op in operations(document):
        if "security" in op and op["security"] != [{}]:
            assert op["security"] == [{"bearerAuth": []}], label(method, path)


def test_create_responses_link_to_get_update_and_delete(document: dict[str, Any]) -> None:
    by_id = {op["operationId"] for _, _, op in operations(document)}
    creates = [op for _, _, op in operations(document) if op["operationId"].startswith("create")]
    assert len(creates) >= 5, "actors, sources, claims, figures and drafts are created"
    for op in creates:
        name = op["operationId"].removeprefix("create")
        links = op["responses"]["201"].get("links", {})
        # Drafts are not deleted: they are published or discarded; keys are revoked.
        ends = (f"delete{name}", f"revoke{name}", f"publish{name}")
        end = next((end for end in ends if end in by_id), ends[0])
        for target in (f"get{name}", f"update{name}", end):
            assert target in links, f"{op['operationId']} does not link to {target}"
            assert links[target]["parameters"].get("id") == "$response.body#/id", target


def test_every_link_targets_an_operation_and_its_parameters(document: dict[str, Any]) -> None:
    by_id = {op["operationId"]: op for _, _, op in operations(document)}
    for method, path, op in operations(document):
        for status, response in op["responses"].items():
            for name, link in response.get("links", {}).items():
                where = f"{label(method, path)} {status} → {name}"
                target = by_id.get(link["operationId"])
                assert target is not None, f"{where}: no such operation"
                accepted = {p["name"] for p in target.get("parameters", [])}
                assert set(link.get("parameters", {})) <= accepted, where


def test_request_bodies_have_valid_examples(document: dict[str, Any]) -> None:
    with_body = [(m, p, op) for m, p, op in operations(document) if "requestBody" in op]
    assert with_body
    for method, path, op in with_body:
        for media_type, content in op["requestBody"]["content"].items():
            where = f"{label(method, path)} ({media_type})"
            schema = content.get("schema", {})
            examples = [
                *([content["example"]] if "example" in content else []),
                *(e["value"] for e in content.get("examples", {}).values() if "value" in e),
                *schema.get("examples", []),
            ]
            assert examples, f"{where} has no example"
            if media_type != "application/json":
                continue
            # Examples are documentation people copy: they must be valid requests.
            validator = jsonschema_rs.validator_for(
                {**schema, "components": document["components"]}
            )
            for example in examples:
                errors = [e.message for e in validator.iter_errors(example)]
                assert not errors, f"{where}: example {example} is invalid: {errors}"


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    def refs(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    schemas = document["components"]["schemas"]
    for ref in set(refs(document)):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in schemas, f"{ref} does not resolve"
