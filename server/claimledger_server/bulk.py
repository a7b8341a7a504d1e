"""Files of resources, one JSON object per line:
`{"kind": "actor", "external_id": "...", "data": {...create body...}}`, where references may
name earlier lines (or stored resources) as `ext:<external_id>`. Applied in the caller's
transaction, so a file loads whole or not at all; seeding uses it."""

from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

import asyncpg
import msgspec

from claimledger_server.actors.store import ACTORS
from claimledger_server.claims.store import CLAIMS
from claimledger_server.common import ExternalId
from claimledger_server.errors import ApiError, FieldError, from_msgspec_error
from claimledger_server.figures.store import FIGURES
from claimledger_server.sources.store import SOURCES
from claimledger_server.versioning.store import Author
from claimledger_server.versioning.upsert import upsert

KindName = Literal["actor", "source", "claim", "figure"]
KINDS_BY_NAME = {kind.name: kind for kind in (ACTORS, SOURCES, CLAIMS, FIGURES)}


class Line(msgspec.Struct, forbid_unknown_fields=True):
    kind: KindName
    external_id: ExternalId
    data: dict[str, Any]


class LineError(msgspec.Struct):
    line: int
    field: str
    message: str


class BulkError(Exception):
    def __init__(self, errors: list[LineError]) -> None:
        super().__init__("; ".join(f"line {e.line}: {e.field}: {e.message}" for e in errors))
        self.errors = errors


async def apply_lines(
    conn: asyncpg.Connection, lines: Iterable[bytes], author: Author
) -> Counter[str]:
    """Upsert every line; counts of "created", "updated", "unchanged". Raises `BulkError`
    naming the first failing line (later lines may depend on it, so we stop there)."""
    outcomes: Counter[str] = Counter()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            line = msgspec.json.decode(raw, type=Line)
            outcome, _ = await upsert(
                conn, KINDS_BY_NAME[line.kind], line.external_id, line.data, author
            )
        except msgspec.ValidationError as exc:
            error = from_msgspec_error(exc)
            raise BulkError([LineError(number, error.field, error.message)]) from None
        except msgspec.DecodeError as exc:
            raise BulkError([LineError(number, "line", f"not valid JSON: {exc}")]) from None
        except ApiError as exc:
            errors = exc.errors or [FieldError("data", exc.detail)]
            raise BulkError(
                [LineError(number, f"data.{e.field}", e.message) for e in errors]
            ) from None
        outcomes[outcome] += 1
    return outcomes
