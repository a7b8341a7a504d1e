"""The contract tells clients what a database outage looks like (`db/outage.py`): every
operation that needs the database declares 503 problem+json with a required Retry-After."""

import json
from typing import Any

from claimledger_server.app import openapi_document

METHODS = ("get", "put", "post", "patch", "delete")


def test_every_operation_that_needs_the_database_declares_503() -> None:
    document: dict[str, Any] = json.loads(openapi_document())
    missing = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None or operation["operationId"] in ("health", "readiness"):
                continue
            outage = operation["responses"].get("503", {})
            content = outage.get("content", {}).get("application/problem+json", {})
            retry_after = outage.get("headers", {}).get("Retry-After", {})
            if content.get("schema") != {"$ref": "#/components/schemas/Problem"} or not (
                retry_after.get("required")
            ):
                missing.append(f"{method.upper()} {path}")
    assert not missing, missing
    assert "503" not in document["paths"]["/healthz"]["get"]["responses"]
    readiness = document["paths"]["/readyz"]["get"]["responses"]["503"]
    assert readiness["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Health"
    }
