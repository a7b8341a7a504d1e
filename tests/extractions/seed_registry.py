"""The actor registry a new deployment starts with (`seeds/`), as a gazetteer."""

import json
from pathlib import Path

from claimledger_server.extractions.gazetteer import Gazetteer, KnownActor

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_gazetteer(*extra: KnownActor) -> Gazetteer:
    actors = []
    for path in sorted(SEEDS.glob("*.ndjson")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["kind"] == "actor":
                data = record["data"]
                actors.append(
                    KnownActor(
                        f"act_seed{len(actors):04d}",
                        data["name"],
                        tuple(data.get("aliases", ())),
                        data.get("kind"),
                        data.get("anonymous", False),
                    )
                )
    return Gazetteer([*actors, *extra])
