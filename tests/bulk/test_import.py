"""POST /v1/import: all or nothing, every failing line reported, upserts that write no new
version when nothing changed."""

from typing import Any

import msgspec
import pytest
from bulk_instances import NewInstance
from factories import assert_problem, uid

NDJSON = {"content-type": "application/x-ndjson"}


def ndjson(*lines: Any) -> bytes:
    """Lines as NDJSON; a `bytes` line is taken as is (e.g. broken JSON)."""
    return b"".join(
        (line if isinstance(line, bytes) else msgspec.json.encode(line)) + b"\n" for line in lines
    )


def actor(external_id: str, **data: Any) -> dict[str, Any]:
    return {"kind": "actor", "external_id": external_id, "data": {"name": "An actor", **data}}


def claim(external_id: str, claimant: str, **data: Any) -> dict[str, Any]:
    body = {"claimant_id": f"ext:{claimant}", "text": "Something was said.", **data}
    return {"kind": "claim", "external_id": external_id, "data": body}


async def post(client: Any, body: bytes, **headers: str) -> Any:
    return await client.post("/v1/import", content=body, headers={**NDJSON, **headers})


async def by_external_id(client: Any, plural: str, external_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/{plural}", params={"external_id": external_id})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


async def test_a_file_of_resources_that_refer_to_each_other(client: Any) -> None:
    state, person, said, number = uid("state"), uid("person"), uid("claim"), uid("figure")
    body = ndjson(
        actor(state, kind="state"),
        actor(person, parent_id=f"ext:{state}", kind="person"),
        claim(said, person, subject_ids=[f"ext:{state}"]),
        {
            "kind": "figure",
            "external_id": number,
            "data": {"claim_id": f"ext:{said}", "metric": "killed", "amount": 5},
        },
    )
    response = await post(client, body)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "lines": 4,
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "kinds": {
            "actor": {"created": 2, "updated": 0, "unchanged": 0},
            "source": {"created": 0, "updated": 0, "unchanged": 0},
            "claim": {"created": 1, "updated": 0, "unchanged": 0},
            "figure": {"created": 1, "updated": 0, "unchanged": 0},
            "extraction": {"created": 0, "updated": 0, "unchanged": 0},
        },
    }
    [parent] = await by_external_id(client, "actors", state)
    [child] = await by_external_id(client, "actors", person)
    [made] = await by_external_id(client, "claims", said)
    [figure] = await by_external_id(client, "figures", number)
    assert child["parent_id"] == parent["id"]
    assert (made["claimant_id"], made["subject_ids"]) == (child["id"], [parent["id"]])
    assert (figure["claim_id"], figure["low"]) == (made["id"], 5)

    again = await post(client, body)
    assert again.json()["unchanged"] == 4
    assert (await client.get(f"/v1/actors/{child['id']}")).json()["version"] == 1

    changed = await post(client, ndjson(actor(person, parent_id=f"ext:{state}", kind="state")))
    assert (changed.json()["updated"], changed.json()["kinds"]["actor"]["updated"]) == (1, 1)
    assert (await client.get(f"/v1/actors/{child['id']}")).json()["version"] == 2


async def test_every_failing_line_is_reported_and_nothing_is_written(client: Any) -> None:
    ok, later, broken, other = uid("ok"), uid("later"), uid("broken"), uid("other")
    body = ndjson(
        actor(ok),  # 1
        b'{"kind": "actor", "external_id": ',  # 2: not JSON
        {"kind": "planet", "external_id": uid(), "data": {}},  # 3
        {"kind": "actor", "external_id": broken, "data": {"kind": "person"}},  # 4: no name
        claim(uid("claim"), "nobody-has-this-external-id"),  # 5
        claim(uid("claim"), later),  # 6: names line 8
        actor(other),  # 7
        actor(later),  # 8
        {  # 9: a range whose top is below its bottom
            "kind": "figure",
            "external_id": uid(),
            "data": {
                "claim_id": "ext:nothing",
                "metric": "killed",
                "qualifier": "range",
                "amount": 10,
                "amount_max": 5,
            },
        },
        b"   ",  # 10: blank
        claim(uid("claim"), broken),  # 11: names the failed line 4
        [1, 2, 3],  # 12
        {"kind": "actor", "external_id": uid(), "data": {"name": "x", "colour": "red"}},  # 13
    )
    problem = assert_problem(await post(client, body), 422)
    errors = problem["errors"]
    for error in errors:
        assert set(error) == {"line", "field", "message"}, error
    assert [(e["line"], e["field"]) for e in errors] == [
        (2, "line"),
        (3, "kind"),
        (4, "data.name"),
        (5, "data.claimant_id"),
        (6, "data.claimant_id"),
        (9, "data.claim_id"),
        (11, "data.claimant_id"),
        (12, "line"),
        (13, "data.colour"),
    ]
    messages = {e["line"]: e["message"] for e in errors}
    assert "not valid JSON" in messages[2]
    assert "defined later, on line 8" in messages[6]
    assert "line 4, which defines it, failed" in messages[11]
    assert "9 lines failed" in problem["detail"]
    for external_id in (ok, later, other):
        assert await by_external_id(client, "actors", external_id) == []


async def test_a_rule_across_fields_names_the_line(client: Any) -> None:
    said = uid("claim")
    person = uid("person")
    body = ndjson(
        actor(person),
        claim(said, person),
        {
            "kind": "figure",
            "external_id": uid(),
            "data": {
                "claim_id": f"ext:{said}",
                "metric": "killed",
                "qualifier": "range",
                "amount": 10,
                "amount_max": 5,
            },
        },
    )
    problem = assert_problem(await post(client, body), 422)
    assert [(e["line"], e["field"]) for e in problem["errors"]] == [(3, "data.amount_max")]
    assert await by_external_id(client, "claims", said) == []


async def test_at_most_a_hundred_errors(client: Any) -> None:
    problem = assert_problem(await post(client, b"{\n" * 150), 422)
    assert [e["line"] for e in problem["errors"]] == list(range(1, 101))
    assert "stopped after line 100" in problem["detail"]


async def test_claim_relations_may_point_forward_and_form_cycles(client: Any) -> None:
    person, first, second = uid("person"), uid("claim"), uid("claim")
    body = ndjson(
        actor(person),
        claim(first, person, relations=[{"claim_id": f"ext:{second}", "relation": "contradicts"}]),
        claim(second, person, relations=[{"claim_id": f"ext:{first}", "relation": "contradicts"}]),
    )
    response = await post(client, body)
    assert response.status_code == 200, response.text
    assert response.json()["kinds"]["claim"] == {"created": 2, "updated": 0, "unchanged": 0}
    [one] = await by_external_id(client, "claims", first)
    [two] = await by_external_id(client, "claims", second)
    assert one["relations"] == [{"claim_id": two["id"], "relation": "contradicts"}]
    assert two["relations"] == [{"claim_id": one["id"], "relation": "contradicts"}]
    assert (one["version"], two["version"]) == (2, 1)  # written first without the relation
    assert (await post(client, body)).json()["unchanged"] == 3


async def test_a_relation_to_a_claim_nowhere_in_the_file_fails(client: Any) -> None:
    person, said = uid("person"), uid("claim")
    relations = [{"claim_id": "ext:no-such-claim", "relation": "contradicts"}]
    body = ndjson(actor(person), claim(said, person, relations=relations))
    problem = assert_problem(await post(client, body), 422)
    assert [(e["line"], e["field"]) for e in problem["errors"]] == [
        (2, "data.relations[0].claim_id")
    ]
    assert "no claim with external_id 'no-such-claim'" in problem["errors"][0]["message"]


async def test_a_claim_cannot_relate_to_itself(client: Any) -> None:
    person, said, other = uid("person"), uid("claim"), uid("claim")
    relations = [
        {"claim_id": f"ext:{other}", "relation": "corroborates"},
        {"claim_id": f"ext:{said}", "relation": "contradicts"},
    ]
    body = ndjson(actor(person), claim(other, person), claim(said, person, relations=relations))
    problem = assert_problem(await post(client, body), 422)
    assert [(e["line"], e["field"]) for e in problem["errors"]] == [
        (3, "data.relations[1].claim_id")
    ]
    assert "cannot relate to itself" in problem["errors"][0]["message"]


async def test_a_later_line_updates_what_an_earlier_one_wrote(client: Any) -> None:
    person = uid("person")
    response = await post(client, ndjson(actor(person, role="first"), actor(person, role="second")))
    assert response.json()["kinds"]["actor"] == {"created": 1, "updated": 1, "unchanged": 0}
    [stored] = await by_external_id(client, "actors", person)
    assert (stored["role"], stored["version"]) == ("second", 2)


async def test_external_id_in_data_must_agree(client: Any) -> None:
    line = actor(uid("person"))
    line["data"]["external_id"] = "something-else"
    problem = assert_problem(await post(client, ndjson(line)), 422)
    assert [(e["line"], e["field"]) for e in problem["errors"]] == [(1, "data.external_id")]


async def test_a_line_naming_a_deleted_resource_fails(client: Any) -> None:
    person = uid("person")
    made = await client.post("/v1/actors", json={"name": "Gone", "external_id": person})
    assert (await client.delete(f"/v1/actors/{made.json()['id']}")).status_code == 200
    problem = assert_problem(await post(client, ndjson(actor(person))), 422)
    assert [(e["line"], e["field"]) for e in problem["errors"]] == [(1, "external_id")]


async def test_resources_without_external_id_are_named_by_id(client: Any) -> None:
    made = (await client.post("/v1/actors", json={"name": "No key"})).json()
    person = uid("person")
    body = ndjson(
        {"kind": "actor", "external_id": made["id"], "data": {"name": "No key"}},
        claim(person, made["id"]),
    )
    response = await post(client, body)
    assert response.status_code == 200, response.text
    assert (response.json()["unchanged"], response.json()["created"]) == (1, 1)
    [said] = await by_external_id(client, "claims", person)
    assert said["claimant_id"] == made["id"]
    stored = (await client.get(f"/v1/actors/{made['id']}")).json()
    assert (stored["external_id"], stored["version"]) == (None, 1)


async def test_csv_import(client: Any) -> None:
    person = uid("=person")
    data = msgspec.json.encode({"name": 'Quoted "name", with commas'}).decode()
    quoted = '"' + data.replace('"', '""') + '"'
    body = f"kind,external_id,data\r\nactor,'{person},{quoted}\r\n".encode()
    response = await client.post("/v1/import", content=body, headers={"content-type": "text/csv"})
    assert response.status_code == 200, response.text
    [stored] = await by_external_id(client, "actors", person)
    assert stored["name"] == 'Quoted "name", with commas'

    bad_header = b"type,external_id,data\r\n"
    response = await client.post(
        "/v1/import", content=bad_header, headers={"content-type": "text/csv; charset=utf-8"}
    )
    problem = assert_problem(response, 422)
    assert [(e["line"], e["field"]) for e in problem["errors"]] == [(1, "header")]
    bad_row = b'kind,external_id,data\r\nactor,x\r\nactor,y,"{not json"\r\n'
    response = await client.post(
        "/v1/import", content=bad_row, headers={"content-type": "text/csv"}
    )
    problem = assert_problem(response, 422)
    assert [(e["line"], e["field"]) for e in problem["errors"]] == [(2, "line"), (3, "data")]


async def test_empty_file_imports_nothing(client: Any) -> None:
    response = await post(client, b"")
    assert response.status_code == 200, response.text
    assert (response.json()["lines"], response.json()["created"]) == (0, 0)


@pytest.mark.parametrize("media_type", ["application/json", "text/plain", "multipart/form-data"])
async def test_other_media_types_are_415(client: Any, media_type: str) -> None:
    response = await client.post(
        "/v1/import", content=ndjson(actor(uid())), headers={"content-type": media_type}
    )
    assert_problem(response, 415)


async def test_without_content_type_the_body_is_ndjson(client: Any) -> None:
    person = uid("person")
    response = await client.post("/v1/import", content=ndjson(actor(person)))
    assert response.status_code == 200, response.text
    assert len(await by_external_id(client, "actors", person)) == 1


async def test_import_needs_write_scope(client: Any, api_keys: dict[str, str]) -> None:
    read_only = {"Authorization": f"Bearer {api_keys['read']}"}
    assert_problem(await post(client, ndjson(actor(uid())), **read_only), 403)
    exported = await client.get("/v1/export", params={"kinds": "source"}, headers=read_only)
    assert exported.status_code == 200


async def test_an_import_is_idempotent_with_a_key(client: Any) -> None:
    person, key = uid("person"), uid("idem")
    body = ndjson(actor(person))
    first = await post(client, body, **{"Idempotency-Key": key})
    again = await post(client, body, **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert first.json()["created"] == 1


async def test_import_files_may_be_larger_than_other_bodies(client: Any) -> None:
    """The general 1 MiB body limit does not apply to import files."""
    lines = [actor(uid("big"), description="x" * 20_000) for _ in range(60)]
    body = ndjson(*lines)
    assert len(body) > 1024 * 1024
    response = await post(client, body)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 60


async def test_import_files_have_their_own_limit(new_instance: NewInstance) -> None:
    small = await new_instance(max_import_bytes=10_000)
    body = ndjson(*[actor(f"a{i}", description="x" * 1000) for i in range(20)])
    assert_problem(await post(small.client, body), 413)
    assert (await small.client.get("/v1/actors")).json()["data"] == []
    fits = ndjson(actor("a"))
    assert (await post(small.client, fits)).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"format": "xml"}, {"kinds": "actors"}, {"kinds": "actor,"}, {"as_of": "yesterday"}],
)
async def test_bad_export_parameters_are_400(client: Any, params: dict[str, str]) -> None:
    assert_problem(await client.get("/v1/export", params=params), 400)


@pytest.mark.parametrize(
    "line",
    [
        b'{"kind":"claim","external_id":"x","data":{"claimant_id":"ext:a\\u0000b","text":"t"}}',
        b'{"kind":"claim","external_id":"x","data":{"claimant_id":"ext:\\ud800","text":"t"}}',
        b'{"kind":"actor","external_id":"x","data":{"name":"\xff\xfe"}}',
        b'{"kind":"actor","external_id":"a\\u0000","data":{"name":"x"}}',
        b'{"kind":"actor","external_id":"' + b"x" * 201 + b'","data":{"name":"x"}}',
        b'{"kind":"figure","external_id":"x","data":{"claim_id":"ext:x","metric":"killed",'
        b'"amount":1e400}}',
        b'{"kind":"figure","external_id":"x","data":{"claim_id":"ext:x","metric":"killed",'
        b'"amount":99999999999999999999999}}',
        b"[" * 5000 + b"]" * 5000,
        b'{"kind":"actor","external_id":"x","data":{"name":"x"},"extra":1}',
        b'{"kind":"actor","external_id":"x","data":"not an object"}',
        b'"just a string"',
    ],
)
async def test_hostile_lines_are_422(client: Any, line: bytes) -> None:
    problem = assert_problem(await post(client, line + b"\n"), 422)
    assert [e["line"] for e in problem["errors"]] == [1]


@pytest.mark.parametrize("amount", [b"1e-400", b"4503599627370496.5", b"1.0000000000000001"])
async def test_an_amount_that_is_not_whole_as_written_is_422(client: Any, amount: bytes) -> None:
    person, said = uid("person"), uid("claim")
    lines = ndjson(actor(person, kind="person"), claim(said, person))
    figure = b'{"kind":"figure","external_id":"%s","data":{"claim_id":"ext:%s",' % (
        uid("figure").encode(),
        said.encode(),
    )
    body = lines + figure + b'"metric":"killed","amount":%s}}\n' % amount
    problem = assert_problem(await post(client, body), 422)
    assert [(e["line"], e["field"]) for e in problem["errors"]] == [(3, "data.amount")]
