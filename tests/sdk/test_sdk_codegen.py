"""The generated layer: the committed SDK matches what the committed contract generates, and
the generator copes with the contract growing (new tags, schemas, parameters, media types)."""

import copy
import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "sdk" / "codegen" / "generate.py"
SPEC = ROOT / "openapi" / "openapi.json"
COMMITTED = ROOT / "sdk" / "claimledger" / "_generated"


def generate(spec: Path, out: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--spec", str(spec), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*.py"))}


def test_committed_sdk_matches_the_committed_contract(tmp_path: Path) -> None:
    generate(SPEC, tmp_path)
    fresh, committed = tree(tmp_path), tree(COMMITTED)
    assert sorted(fresh) == sorted(committed), "files differ: run `make sdk`"
    stale = [path for path in fresh if fresh[path] != committed[path]]
    assert not stale, f"out of date, run `make sdk`: {stale}"
    assert not filecmp.dircmp(tmp_path, COMMITTED).diff_files


def test_check_mode_reports_drift(tmp_path: Path) -> None:
    shutil.copytree(COMMITTED, tmp_path / "out")
    check = [sys.executable, str(GENERATOR), "--out", str(tmp_path / "out"), "--check"]
    assert subprocess.run(check, capture_output=True, check=False).returncode == 0
    models = tmp_path / "out" / "models.py"
    models.write_text(models.read_text().replace("class Claim(", "class Kleim("))
    result = subprocess.run(check, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "models.py" in result.stderr


def grown_contract() -> dict[str, Any]:
    """The committed contract plus a made-up tag using what a generator must cope with."""
    spec = copy.deepcopy(json.loads(SPEC.read_text()))
    schemas = spec["components"]["schemas"]
    schemas["ZzReport"] = {
        "type": "object",
        "required": ["id", "seq", "from"],
        "properties": {
            "id": {"type": "string"},
            "seq": {"type": "integer"},
            "from": {"type": "string", "description": "A member whose name is a keyword."},
            "data": {"type": "object", "additionalProperties": True},
            "kind": {"const": "report"},
            "level": {"enum": ["low", "high", None], "type": ["string", "null"]},
            "envelope": {
                "type": "object",
                "properties": {
                    "low": {"type": ["integer", "null"]},
                    "high": {"type": ["integer", "null"]},
                },
            },
        },
    }
    schemas["ZzReportList"] = {
        "type": "object",
        "required": ["data", "next_cursor"],
        "properties": {
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/ZzReport"}},
            "next_cursor": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
    }
    json_of = {"application/json": {"schema": {"$ref": "#/components/schemas/ZzReportList"}}}
    spec["paths"]["/v1/zz-reports"] = {
        "get": {
            "operationId": "listZzReports",
            "tags": ["zz reports"],
            "parameters": [
                {"name": "after", "in": "query", "required": True, "schema": {"type": "integer"}},
                {
                    "name": "types",
                    "in": "query",
                    "schema": {"type": "array", "items": {"type": "string"}},
                },
                {
                    "name": "since",
                    "in": "query",
                    "schema": {
                        "format": "date-time",
                        "oneOf": [{"type": "string"}, {"type": "null"}],
                    },
                },
            ],
            "responses": {"200": {"description": "ok", "content": json_of}},
        },
        "post": {
            "operationId": "uploadZzReports",
            "tags": ["zz reports"],
            "parameters": [
                {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}
            ],
            "requestBody": {
                "required": True,
                "content": {"application/x-ndjson": {}, "text/csv": {}},
            },
            "responses": {"204": {"description": "stored"}},
        },
    }
    spec["paths"]["/v1/zz-reports/{id}/levels"] = {
        "get": {
            "operationId": "getZzReportLevels",
            "tags": ["zz reports"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/ZzReport"},
                            }
                        }
                    },
                }
            },
        }
    }
    # A versioned resource shaped like actors under another name gets a resource module.
    zebras = json.dumps(
        {
            "paths": {p: v for p, v in spec["paths"].items() if p.startswith("/v1/actors")},
            "schemas": {n: v for n, v in schemas.items() if n.startswith("Actor")},
        }
    )
    zebras = zebras.replace("Actor", "Zebra").replace("actor", "zebra")
    spec["paths"].update(json.loads(zebras)["paths"])
    schemas.update(json.loads(zebras)["schemas"])
    return spec


@pytest.mark.slow
def test_a_grown_contract_generates_a_typed_importable_layer(tmp_path: Path) -> None:
    package = tmp_path / "claimledger"
    shutil.copytree(ROOT / "sdk" / "claimledger", package)
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(grown_contract()))
    generate(spec, package / "_generated")
    generated = package / "_generated" / "operations"
    assert (generated / "zz_reports.py").exists()
    assert (package / "_generated" / "resources" / "zebras.py").exists()
    assert not (package / "_generated" / "resources" / "zz_reports.py").exists()

    script = """
import datetime, msgspec
from claimledger._generated import models
from claimledger._generated.operations import zz_reports as ops
op = ops.list_zz_reports(after=3, types=["a", "b"], since=datetime.datetime(2025, 1, 1))
assert op.query_params() == [
    ("after", "3"), ("types", "a"), ("types", "b"), ("since", "2025-01-01T00:00:00")
]
page = msgspec.json.decode(
    b'{"data": [{"id": "r", "seq": 4, "from": "x", "kind": "report", "level": null,'
    b' "envelope": {"low": 3001, "high": null}}], "next_cursor": null}', type=op.response)
report = page.data[0]
assert report.from_ == "x" and report.seq == 4 and report.envelope.low == 3001
assert msgspec.json.decode(b'[]', type=ops.get_zz_report_levels("r").response) == []
upload = ops.upload_zz_reports(b"a,b\\n", content_type="text/csv", idempotency_key="k")
assert upload.content_type == "text/csv" and upload.response is None
assert upload.headers == {"Idempotency-Key": "k"}

import inspect
from claimledger._generated.operations import zebras as zebra_ops
from claimledger._generated.resources.zebras import OPS, AsyncZebras, Zebras
assert OPS.create is zebra_ops.create_zebra and OPS.diff_version is zebra_ops.diff_zebra_version
assert inspect.iscoroutinefunction(AsyncZebras.create)
assert "`name` is required" in Zebras.create.__doc__
"""
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr

    ruff = [sys.executable, "-m", "ruff", "check", "--config", str(ROOT / "sdk" / "pyproject.toml")]
    lint = subprocess.run([*ruff, str(package)], capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "claimledger"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout
