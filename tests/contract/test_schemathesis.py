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

Nothing is excluded and every default check runs. Where an expectation differs from the
default, the reason is written next to it: `contract_config` (statuses the design gives to
valid input; history readable after a delete), `without_forged_cursor` (an opaque cursor
cannot be generated), `without_framing_headers` (a generated `Transfer-Encoding` is HTTP
framing, refused by uvicorn before the API), `sparing_its_own_key` (the fuzzer must not
revoke or restrict the one key it sends), `unknown_parameters_are_ignored` (HTTP
ignores unknown headers), `null_from_a_link_is_no_id` (a null a link picked is not an id)
and `linked_ids_of_another_kind` (an inferred link that puts a claim's id in a figure's path
is not valid input).
`valid_body_is_decodable` adds one check: the document and the server's decoder agree."""

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from claimledger_server.app import create_app
from claimledger_server.bodies import decode_body
from claimledger_server.config import Settings
from claimledger_server.errors import ApiError
from hypothesis import HealthCheck
from schemathesis import Case, CheckContext
from schemathesis.core.failures import AcceptedNegativeData, Failure
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.transport import Response
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario
from schemathesis.openapi.checks import RejectedPositiveData

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("CLAIMLEDGER_FUZZ_SEED", "20241227"))
MAX_EXAMPLES = max(50, int(os.environ.get("CLAIMLEDGER_FUZZ_EXAMPLES", "50")))
SCENARIOS = int(os.environ.get("CLAIMLEDGER_FUZZ_SCENARIOS", "150"))
MAX_STEPS = 10
SLOWNESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

# schemathesis' defaults for positive_data_acceptance: what a server may answer to valid input.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
STATS: Counter[str] = Counter()
STATEFUL = "(stateful)"
STATEFUL_SCENARIOS = "(stateful scenarios)"

# `POST /v1/import` takes a file as text (`type: string`): NDJSON or CSV, sent as is.
schemathesis.serializer.alias(["application/x-ndjson", "text/csv"], "text/plain")


def contract_config(admin_key: str) -> schemathesis.Config:
    """Every default check stays on; two have their expectations set by the design.

    positive_data_acceptance asserts that schema-valid input is accepted. Valid input can
    still meet a resource in a state that refuses it, as 404/409 already do by default:
    - 410 Gone: the resource was deleted (a tombstone; DESIGN.md: GET answers 410);
    - 412 Precondition Failed: `If-Match` names a well-formed but stale version;
    - 422 on writes (POST, PATCH): a well-formed body whose references name no live
      resource (`claimant_id: "act_…"` that does not exist — DESIGN.md: "an unknown or
      deleted `claimant_id`… is a 422 naming the field"), that breaks a rule across fields
      or rows the document cannot state (figure `amount_max` < `amount`, a parent cycle),
      or an `Idempotency-Key` already used with another body (DESIGN.md: 422).
      That 422 does not hide a schema the server does not honour: every positive body must
      also pass the server's own decoder (`valid_body_is_decodable`, added to each call);
    - 422 on `GET /v1/export`: query parameters each valid but not together, which the
      document cannot state — a CSV export holds exactly one kind (`format=csv` with none
      or several `kinds`), and `bom` is for CSV only (issue 14: "a clear 422 naming
      `kinds`");
    - 422 on `GET /v1/claims`: the same for `sort` without `q` (it orders a search's
      matches), and a search by relevance whose ranking outlasts the server's time limit
      (issue 13.6: "a clear problem+json … rather than a hang").

    use_after_free asserts that nothing under a deleted resource's URL answers 2xx. History
    is the exception by design — DELETE writes a tombstone and `/versions`, `/versions/{n}`
    stay readable ("history stays", "nothing is ever physically lost"), and so does the diff
    between two versions, `/versions/{n}/diff` — so the check is off for those three
    operations only; `GET /{id}` after a delete is still checked (410)."""
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            # The document's own security scheme, filled in: requests carry the key, and
            # ignored_auth knows it to be valid, so it probes without it and with a wrong one.
            "auth": {"openapi": {"bearerAuth": {"bearer": admin_key}}},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "410", "412"]}
            },
            "operations": [
                {
                    "include-method-regex": "^(POST|PATCH)$",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [*ACCEPTED, "410", "412", "422"]
                        }
                    },
                },
                {
                    "include-operation-id": "listClaims",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [*ACCEPTED, "410", "412", "422"]
                        }
                    },
                },
                {
                    "include-operation-id": "exportResources",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [*ACCEPTED, "410", "412", "422"]
                        }
                    },
                },
                {
                    "include-operation-id-regex": r"^(list\w+Versions|(get|diff)\w+Version)$",
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
        decode_body(json.dumps(case.body).encode(), body_type)
    except ApiError as exc:
        raise AssertionError(
            f"The document says this body is valid, the server's decoder refuses it"
            f" ({exc.status}): {exc.detail}"
        ) from None


def without_forged_cursor(context: schemathesis.HookContext, case: Case) -> Case:
    """`cursor` is an opaque token that only a previous page can hand out: no schema can
    say which strings the server issued, so a made-up cursor is not valid input and the
    server rightly answers 400. Valid-data cases therefore ask for the first page; the
    invalid-data cases keep their made-up cursors, which must be refused with a 400."""
    if _is_positive(case) and case.query and "cursor" in case.query:
        case.query = {name: value for name, value in case.query.items() if name != "cursor"}
    return case


FRAMING_HEADERS = frozenset({"connection", "content-length", "host", "te", "transfer-encoding"})


def without_framing_headers(context: schemathesis.HookContext, case: Case) -> Case:
    """Extra headers are generated by name at random, and now and then the name is one that
    frames the HTTP message itself (RFC 9112 §6): `Transfer-Encoding: X'A-6D5` on a GET
    makes the request unparseable, and uvicorn answers `400 Invalid HTTP request received.`
    (text/plain) before any route of the API runs. Such a header says how the bytes travel,
    not what is asked of the API, so it is left out; every other generated header is sent."""
    if case.headers:
        case.headers = {
            name: value
            for name, value in case.headers.items()
            if name.lower() not in FRAMING_HEADERS
        }
    return case


NO_KEY = "key_" + "0" * 26
"""A well-formed id of no API key."""


def sparing_its_own_key(own_key_id: str) -> Any:
    """The fuzzer sends one admin key, and `/v1/keys` lists it: a generated or linked change
    of that key (`PATCH` its scopes or a rate limit of 1, `POST …/revoke` once it has made
    other admin keys) would turn every later request of the run into a 403, 429 or 401 and
    test nothing more. Such a request goes to a key that does not exist instead (a 404, and
    every check still runs on it); the routes are tested on keys the fuzzer made itself."""

    def spare(context: schemathesis.HookContext, case: Case) -> Case:
        if case.method != "GET" and (case.path_parameters or {}).get("id") == own_key_id:
            case.path_parameters = {**(case.path_parameters or {}), "id": NO_KEY}
        return case

    return spare


def unknown_parameters_are_ignored(
    context: schemathesis.HookContext, failure: Failure, case: Case, response: Response
) -> bool:
    """Keep every failure but one kind: the coverage phase sends a request whose only flaw
    is an extra header or query parameter nobody declared, and expects it refused. HTTP
    says the opposite for headers (RFC 9110 §5.1: recipients ignore header fields they do
    not recognise — proxies and clients add them all the time), and the API reads query
    strings the same way, so an extra parameter is not invalid input. Unknown *body*
    fields stay refused (400) and checked; the extra-parameter requests are still sent and
    every other check still runs on their responses."""
    data = case.meta.phase.data if case.meta is not None else None
    return not (
        isinstance(failure, AcceptedNegativeData)
        and isinstance(data, CoveragePhaseData)
        and data.scenario == CoverageScenario.OBJECT_UNEXPECTED_PROPERTIES
        and data.parameter_location in (ParameterLocation.HEADER, ParameterLocation.QUERY)
    )


def null_from_a_link_is_no_id(
    context: schemathesis.HookContext, failure: Failure, case: Case, response: Response
) -> bool:
    """Keep every failure but one kind: a stateful step whose path id came from a link that
    found several values in a response, one of them null — a draft's actors, some matched
    to the registry (`actor_id: "act_…"`) and some not (`actor_id: null`). schemathesis
    picks among them, null included, and sends it as `/v1/actors/None/…`; the server's 400
    naming `id` is right, the "valid data rejected" is not (the pick of a lone null is
    skipped by schemathesis itself)."""
    return not (
        isinstance(failure, RejectedPositiveData)
        and any(value is None for value in (case.path_parameters or {}).values())
    )


def linked_ids_of_another_kind(
    context: schemathesis.HookContext, failure: Failure, case: Case, response: Response
) -> bool:
    """Keep every failure but one kind. In the stateful phase schemathesis also follows
    links it infers from names, and it reads the `{id}` of `/v1/claims/{id}` and of
    `/v1/figures/{id}` as one parameter: after `PATCH /v1/claims/clm_…` it may send
    `PATCH /v1/figures/clm_…`. That id breaks the pattern the document gives the parameter
    (`^fig_…`), so the request is not valid input and the server rightly answers 400 naming
    `id`. Only "schema-valid request rejected" is dropped, and only when a path parameter
    breaks its own pattern; every other check still runs on such a request."""
    if not isinstance(failure, RejectedPositiveData):
        return True
    for parameter in case.operation.path_parameters:
        value = (case.path_parameters or {}).get(parameter.name)
        pattern = parameter.definition.get("schema", {}).get("pattern")
        if value is not None and pattern and re.search(pattern, str(value)) is None:
            return False
    return True


def not_a_link_artefact(
    context: schemathesis.HookContext, failure: Failure, case: Case, response: Response
) -> bool:
    """Both filters above: a failure is kept when neither explains it away."""
    return null_from_a_link_is_no_id(
        context, failure, case, response
    ) and linked_ids_of_another_kind(context, failure, case, response)


@pytest.fixture(scope="module")
def api_schema(
    live_server: str, contract_admin_key: str, contract_admin_key_id: str
) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_url(
        f"{live_server}/schema/openapi.json", config=contract_config(contract_admin_key)
    )
    schema.hook("map_case")(without_forged_cursor)
    schema.hook("map_case")(without_framing_headers)
    schema.hook("map_case")(sparing_its_own_key(contract_admin_key_id))
    schema.hook("filter_failure")(unknown_parameters_are_ignored)
    schema.hook("filter_failure")(not_a_link_artefact)
    return schema


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture(scope="module", autouse=True)
def report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print how much was tested (shown at the end of the module's tests)."""
    yield
    per_operation = [
        count for name, count in STATS.items() if name not in (STATEFUL, STATEFUL_SCENARIOS)
    ]
    lines = []
    if per_operation:
        lines.append(
            f"schemathesis: {len(per_operation)} operations, {sum(per_operation)} requests"
            f" ({min(per_operation)}-{max(per_operation)} per operation), seed {SEED}"
        )
    if STATS[STATEFUL]:
        lines.append(
            f"schemathesis stateful: {STATS[STATEFUL]} requests in"
            f" {STATS[STATEFUL_SCENARIOS]} scenarios of up to {MAX_STEPS} steps, seed {SEED}"
        )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            for line in lines:
                reporter.write_line(line)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=SLOWNESS, print_blob=True
)
def test_operation(case: Case, http: requests.Session) -> None:
    STATS[case.operation.label] += 1
    case.call_and_validate(session=http, additional_checks=[valid_body_is_decodable])


def test_stateful(api_schema: schemathesis.BaseSchema, http: requests.Session) -> None:
    failures: list[Exception] = []
    scenarios = Counter[str]()
    base = api_schema.as_state_machine()

    class Machine(base):  # type: ignore[valid-type, misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"session": http}

        def after_call(self, response: Response, case: Case) -> None:
            STATS[STATEFUL] += 1
            super().after_call(response, case)

        def validate_response(
            self,
            response: Response,
            case: Case,
            additional_checks: list[Any] | None = None,
            **kwargs: Any,
        ) -> None:
            checks = [*(additional_checks or []), valid_body_is_decodable]
            try:
                super().validate_response(response, case, additional_checks=checks, **kwargs)
            except Exception as exc:
                failures.append(exc)
                raise

        def teardown(self) -> None:
            scenarios["done"] += 1
            super().teardown()

    # Scenarios run against one server whose data keeps growing, so the steps Hypothesis can
    # take depend on what earlier scenarios left behind; when it notices (FlakyStrategy-
    # Definition) it stops. schemathesis' own runner then starts a new suite, and so does
    # this loop, until the budget of scenarios is spent. A check that fails fails the test.
    for attempt in range(10):
        remaining = SCENARIOS - scenarios["done"]
        if remaining <= 0:
            break
        hypothesis.seed(SEED + attempt)(Machine)
        try:
            Machine.run(
                settings=hypothesis.settings(
                    max_examples=remaining,
                    stateful_step_count=MAX_STEPS,
                    deadline=None,
                    suppress_health_check=SLOWNESS,
                    # Generate only, no example database, as schemathesis does: a scenario
                    # replayed against a server whose state has moved on takes other steps.
                    phases=[hypothesis.Phase.generate],
                    database=None,
                )
            )
        except hypothesis.errors.FlakyStrategyDefinition:
            if failures:  # a failure whose replay went another way: report the failure
                raise failures[0] from None
    assert scenarios["done"] >= SCENARIOS // 2, f"only {scenarios['done']} scenarios ran"
    STATS[STATEFUL_SCENARIOS] += scenarios["done"]
