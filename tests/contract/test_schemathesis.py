"""Property-based contract tests: schemathesis generates requests from the OpenAPI document
the running server publishes, sends them to a real server (uvicorn on real PostgreSQL,
authenticated as admin) and runs every default check on each response — no 500s, responses
and headers as documented, valid input accepted, invalid input refused with 4xx, auth
enforced, deleted resources gone… — first operation by operation (examples, coverage and
fuzzing phases, positive and negative data), then as chains of calls that follow the
document's OpenAPI links (stateful phase: create → get/update/delete/versions).

A failing check fails the test with a reproducible curl command. Runs are seeded
(`CLAIMLEDGER_FUZZ_SEED=<int>` to explore others); `CLAIMLEDGER_FUZZ_EXAMPLES` and
`CLAIMLEDGER_FUZZ_SCENARIOS` raise the budget for a longer hunt.

Where the expected outcome of a check is configured rather than the default, the reason is
in `contract_config` below."""

import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from claimledger_server.errors import ApiError, decode_strict
from claimledger_server.versioning.documents import encode_cursor
from hypothesis import HealthCheck
from schemathesis import Case, CheckContext
from schemathesis.core.transport import Response

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("CLAIMLEDGER_FUZZ_SEED", "20241227"))
MAX_EXAMPLES = max(50, int(os.environ.get("CLAIMLEDGER_FUZZ_EXAMPLES", "50")))
SCENARIOS = int(os.environ.get("CLAIMLEDGER_FUZZ_SCENARIOS", "150"))
MAX_STEPS = 10
SLOWNESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

# schemathesis' defaults for positive_data_acceptance: what a server may answer to valid input.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
STATS: Counter[str] = Counter()


def contract_config(admin_key: str) -> schemathesis.Config:
    """Every default check stays on; two have their expectations set by the design.

    positive_data_acceptance asserts that schema-valid input is accepted. Valid input can
    still meet a resource in a state that refuses it, as 404/409 already do by default:
    - 410 Gone: the resource was deleted (a tombstone; DESIGN.md: GET answers 410);
    - 412 Precondition Failed: `If-Match` names a well-formed but stale version;
    - 422 on create/update: a well-formed body whose references name no live resource
      (`claimant_id: "act_…"` that does not exist — DESIGN.md: "an unknown or deleted
      `claimant_id`… is a 422 naming the field"), or that breaks a rule across fields or
      rows the document cannot state (figure `amount_max` < `amount`, a parent cycle).
      That 422 does not hide a schema the server does not honour: every positive body must
      also pass the server's own decoder (`valid_body_is_decodable`, added to each call).

    use_after_free asserts that nothing under a deleted resource's URL answers 2xx. History
    is the exception by design — DELETE writes a tombstone and `/versions`, `/versions/{n}`
    stay readable ("history stays", "nothing is ever physically lost") — so the check is off
    for those two operations only; `GET /{id}` after a delete is still checked (410)."""
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": f"Bearer {admin_key}"},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "410", "412"]}
            },
            "operations": [
                {
                    "include-operation-id-regex": "^(create|update)",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [*ACCEPTED, "410", "412", "422"]
                        }
                    },
                },
                {
                    "include-operation-id-regex": r"^(list\w+Versions|get\w+Version)$",
                    "checks": {"use_after_free": {"enabled": False}},
                },
            ],
            "phases": {"stateful": {"max-steps": MAX_STEPS}},
        }
    )


def _request_body_types() -> dict[str, Any]:
    """operationId → the type the server decodes that operation's body into."""
    app = create_app(Settings(database_url="postgresql://unused"))
    return {
        str(handler.operation_id): data.annotation
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if (data := handler.parsed_fn_signature.parameters.get("data")) is not None
    }


BODY_TYPES = _request_body_types()


def _is_positive(case: Case) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_positive


def valid_body_is_decodable(ctx: CheckContext, response: Response, case: Case) -> None:
    """A body generated as valid from the document must pass the server's own strict
    decoder: the document and the validator describe the same input. (The check reads the
    case, not the response, so it also holds where 422 is an accepted answer.)"""
    body_type = BODY_TYPES.get(case.operation.definition.raw.get("operationId", ""))
    if body_type is None or not _is_positive(case) or not isinstance(case.body, dict):
        return
    try:
        decode_strict(json.dumps(case.body).encode(), body_type)
    except ApiError as exc:
        raise AssertionError(
            f"The document says this body is valid, the server's decoder refuses it"
            f" ({exc.status}): {exc.detail}"
        ) from None


def issued_cursor(context: schemathesis.HookContext, case: Case) -> Case:
    """`cursor` is an opaque token the server issues (base64 of its keyset position): no
    schema can describe which strings it issued, so a random string is not valid input and
    the server rightly answers 400. For valid-data cases the cursor is made one the server
    could have issued, from the generated text; invalid-data cases keep their random text."""
    cursor = (case.query or {}).get("cursor")
    if not isinstance(cursor, str) or not _is_positive(case):
        return case
    operation_id = case.operation.definition.raw.get("operationId", "")
    if operation_id.endswith("Versions"):  # positioned at a version number
        position: str | int = len(cursor)
    else:  # positioned at a resource id
        position = "".join(c for c in cursor.lower() if c.isascii() and c.isalnum())[:40]
    case.query = {**(case.query or {}), "cursor": encode_cursor(position)}
    return case


@pytest.fixture(scope="module")
def api_schema(live_server: str, contract_admin_key: str) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_url(
        f"{live_server}/schema/openapi.json", config=contract_config(contract_admin_key)
    )
    schema.hook("map_case")(issued_cursor)
    return schema


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture(scope="module", autouse=True)
def report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if STATS:
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"schemathesis: {len(STATS) - 1 if 'stateful' in STATS else len(STATS)}"
                f" operations, {sum(v for k, v in STATS.items() if k != 'stateful')} requests"
                f" generated per operation; stateful: {STATS['stateful']} requests"
                f" (seed {SEED})"
            )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=SLOWNESS, print_blob=True
)
def test_operation(case: Case, http: requests.Session) -> None:
    STATS[case.operation.label] += 1
    case.call_and_validate(session=http, additional_checks=[valid_body_is_decodable])


def test_stateful(api_schema: schemathesis.BaseSchema, http: requests.Session) -> None:
    base = api_schema.as_state_machine()

    class Machine(base):  # type: ignore[valid-type, misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"session": http}

        def after_call(self, response: Response, case: Case) -> None:
            STATS["stateful"] += 1
            super().after_call(response, case)

        def validate_response(
            self,
            response: Response,
            case: Case,
            additional_checks: list[Any] | None = None,
            **kwargs: Any,
        ) -> None:
            checks = [*(additional_checks or []), valid_body_is_decodable]
            super().validate_response(response, case, additional_checks=checks, **kwargs)

    hypothesis.seed(SEED)(Machine)
    Machine.run(
        settings=hypothesis.settings(
            max_examples=SCENARIOS,
            stateful_step_count=MAX_STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.generate, hypothesis.Phase.shrink],
        )
    )
