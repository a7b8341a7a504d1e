"""URL parameters are checked exactly as the OpenAPI document states them: every id and slug
parameter publishes its real pattern and length, and a value the document rules out — by
pattern, length, type, format or enum — is a 400 naming the parameter, on every route."""

import json
import re
from typing import Any
from urllib.parse import quote

import factories
import pytest
from claimledger_server.app import openapi_document
from factories import assert_problem

DOCUMENT: dict[str, Any] = json.loads(openapi_document())
NUL_ONLY = r"^[^\x00]*$"
"""What a text parameter without a pattern of its own gets: free text."""
ID_PREFIXES = {
    **dict.fromkeys(("claimant_id", "subject_id", "parent_id", "publisher_id"), "act"),
    **dict.fromkeys(("relayed_by_id",), "act"),
    **dict.fromkeys(("source_id", "republished_from_id"), "src"),
    **dict.fromkeys(("claim_id", "related_to"), "clm"),
    "event_id": "evt",
    "delivery_id": "whd",
}
PATH_ID_PREFIXES = {
    "/v1/actors/": "act",
    "/v1/sources/": "src",
    "/v1/claims/": "clm",
    "/v1/figures/": "fig",
    "/v1/webhooks/": "whe",
    "/v1/extractions/": "ext",
    "/v1/keys/": "key",
}
SLUG = {"pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$(?!\n)", "minLength": 1, "maxLength": 64}
EXTERNAL_ID = {"pattern": r"^[^\x00-\x1f]+$(?!\n)", "minLength": 1, "maxLength": 200}


def parameters() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(method, path, operation, parameter) for every path and query parameter."""
    return [
        (method, path, operation, parameter)
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if parameter["in"] in ("path", "query")
    ]


def expected_text(path: str, name: str) -> dict[str, Any] | None:
    """What the document must say of an id or slug parameter; None for any other."""
    if name == "id":
        prefix = next(p for start, p in PATH_ID_PREFIXES.items() if path.startswith(start))
    elif name in ID_PREFIXES:
        prefix = ID_PREFIXES[name]
    elif name in ("topic", "unit"):
        return SLUG
    elif name == "external_id":
        return EXTERNAL_ID
    else:
        assert not name.endswith("_id"), f"{name}: an id parameter this test does not know"
        return None
    return {"pattern": rf"^{prefix}_[0-9a-z]+$(?!\n)", "minLength": None, "maxLength": 64}


def test_every_id_and_slug_parameter_publishes_its_pattern_and_length() -> None:
    checked: set[str] = set()
    for method, path, _, parameter in parameters():
        name, schema = parameter["name"], parameter["schema"]
        expected = expected_text(path, name)
        if expected is None:
            continue
        published = {key: schema.get(key) for key in expected}
        assert published == expected, (method, path, name)
        checked.add(name)
    assert checked == {*ID_PREFIXES, "id", "topic", "unit", "external_id"}


def test_only_free_text_and_dates_are_left_without_a_pattern() -> None:
    for method, path, _, parameter in parameters():
        schema = parameter["schema"]
        if schema.get("pattern") == NUL_ONLY:
            formats = {s.get("format") for s in [schema, *schema.get("oneOf", [])]}
            assert parameter["name"] in ("q", "cursor") or "date" in formats, (method, path)


# --- values the document rules out -------------------------------------------------------


def _schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [schema, *schema.get("oneOf", [])]


def _types(schema: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for part in _schemas(schema):
        kind = part.get("type")
        found |= set(kind) if isinstance(kind, list) else {kind} if kind else set()
    return found


def _matching(schema: dict[str, Any], length: int) -> str | None:
    """A text of `length` characters that matches the schema's pattern, if this finds one:
    the pattern's literal start (`act_`) followed by zeros."""
    pattern = schema.get("pattern")
    start = re.match(r"\^([A-Za-z_]*)", pattern or "^")
    text = (start.group(1) if start else "") + "0" * length
    text = text[:length] if len(text) > length else text
    return text if pattern is None or re.search(pattern, text) else None


def violations(parameter: dict[str, Any]) -> list[str]:
    """Texts the parameter's schema rules out, at least one per constraint it states."""
    schema = parameter["schema"]
    types = _types(schema)
    found: list[str] = []
    if "integer" in types:
        found += ["1e2", "10.0", " 1", "1_0", "0x1", "one"]
        if "maximum" in schema:
            found.append(str(schema["maximum"] + 1))
        if "minimum" in schema:
            found.append(str(schema["minimum"] - 1))
    if "boolean" in types:
        found += ["1", "True", "yes", ""]
    if "string" in types:
        if any(part.get("enum") for part in _schemas(schema)):
            found.append("not-one-of-them")
        pattern = schema.get("pattern")
        if pattern and pattern != NUL_ONLY:
            found += [t for t in ("", "A B", "' OR 1=1", "x\n") if not re.search(pattern, t)]
        if "maxLength" in schema:
            too_long = _matching(schema, schema["maxLength"] + 1)
            found += [too_long] if too_long else []
        if schema.get("minLength", 0) > 0:
            found.append("")
        formats = {part.get("format") for part in _schemas(schema)}
        found += ["2024-02-30"] if "date" in formats else []
        found += ["2024-02-30T00:00:00Z"] if "date-time" in formats else []
    if parameter["in"] == "path":  # an empty segment is another URL, not an empty value
        found = [text for text in found if text]
    return list(dict.fromkeys(found))


def valid(parameter: dict[str, Any]) -> str:
    """A text the parameter's schema accepts."""
    schema = parameter["schema"]
    enum = [v for part in _schemas(schema) for v in part.get("enum", []) if v is not None]
    if enum:
        return str(enum[0])
    if "integer" in _types(schema):
        return str(schema.get("minimum", 1))
    text = _matching(schema, 30)
    assert text is not None, parameter
    return text


def request_for(
    path: str, operation: dict[str, Any], name: str, value: str
) -> tuple[str, dict[str, str], Any]:
    """The URL, query and body of a request that is valid but for `name`, which is `value`."""
    query: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] not in ("path", "query"):
            continue
        if parameter["name"] == name:
            text = value
        elif parameter.get("required"):
            text = valid(parameter)
        else:
            continue
        if parameter["in"] == "path":
            path = path.replace(f"{{{parameter['name']}}}", quote(text, safe=""))
        else:
            query[parameter["name"]] = text
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    example = body["schema"]["examples"][0] if body else None
    return path, query, example


async def test_a_value_the_document_rules_out_is_a_400_naming_the_parameter(client: Any) -> None:
    sent = 0
    for method, path, operation, parameter in parameters():
        name = parameter["name"]
        texts = violations(parameter)
        assert texts, f"{method} {path} {name}: no constraint this test can break"
        for text in texts:
            url, query, body = request_for(path, operation, name, text)
            response = await client.request(method, url, params=query, json=body)
            problem = assert_problem(response, 400)
            assert name in [e["field"] for e in problem.get("errors") or []], (
                method,
                url,
                query,
                problem,
            )
            sent += 1
    assert sent > 300


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/v1/claims?limit=1e2", "limit"),
        ("/v1/figures?max_high=1e3", "max_high"),
        ("/v1/figures?min_low=100.0", "min_low"),
        ("/v1/events?after=1e1", "after"),
        ("/v1/actors?include_deleted=1", "include_deleted"),
        ("/v1/actors?anonymous=True", "anonymous"),
        ("/v1/claims?claimant_id=' OR 1=1", "claimant_id"),
        ("/v1/claims?claimant_id=act_" + "a" * 10_000, "claimant_id"),
        ("/v1/claims?topic=A B", "topic"),
        ("/v1/claims/{claim}?expand=", "expand"),
        ("/v1/claims/{claim}/versions/1_0", "number"),
        ("/v1/claims/{claim}/versions/1e0/diff", "number"),
        ("/v1/claims/{claim}/versions/1/diff?against=0.0", "against"),
        ("/v1/actors/{claim}", "id"),
    ],
)
async def test_values_looser_than_their_meaning_are_400(client: Any, url: str, name: str) -> None:
    claim = await factories.claim(client)
    response = await client.get(url.format(claim=claim["id"]))
    problem = assert_problem(response, 400, name)
    assert problem["type"] == "urn:claimledger:problem:bad-request"


async def test_values_written_as_the_document_says_are_taken(client: Any) -> None:
    claim = await factories.claim(client, topics=["air-strikes"])
    for url in (
        "/v1/claims?limit=100&include_deleted=true",
        f"/v1/claims?claimant_id={claim['claimant_id']}&topic=air-strikes",
        "/v1/figures?min_low=null&max_high=1000",
        "/v1/actors?anonymous=null&include_deleted=false",
        f"/v1/claims/{claim['id']}?expand=claimant,figures",
        f"/v1/claims/{claim['id']}/versions/1",
        f"/v1/claims/{claim['id']}/versions/1/diff?against=0",
    ):
        response = await client.get(url)
        assert response.status_code == 200, (url, response.text)
