"""The 1M-claim benchmark dataset, generated in Python and loaded with COPY.

Rows are written exactly as the server's write path would write them: the live row, one
`<table>_history` row per version (with its validity span) and one `events` row per version
(already positioned, so the sequencer has nothing to catch up on). Documents are built with
the server's own `store._document` + `store.to_fields` when they can be imported from the
benchmarked source tree, so the JSON is byte-for-byte what the API would have stored; if
those internals moved, a hand-written template of today's shape is used instead. Each
generated version also passes the kind's own cross-field rules (`kind.check`), and its
`refs` come from the kind's declared references (`kinds.find_references`), as on a write.

The v2 model is exercised at realistic rates (claims: co-claimants, `based_on`, citations
relayed by their outlet with `via_ids` chains and quotes, relations, month/year-precision
`stated_on`; figures: every accumulation, periods with month precisions, `nearly`, `vague`,
`fewer_than`, `unspecified`, units other than people; sources: date-only `published_on`,
syndication; actors: anonymous ones, the new kinds, `parent_id`, `external_ids`), drawn
from a second random stream, so every v1 field of every row is the same as in the v1
dataset (same ids, claimants, texts, dates of day precision) and the issue-6 scenarios stay
comparable. One subject (HOT_SUBJECT) is counted by ~1,000 figures (issue 10's summary and
timeline target), 60% of them by a dozen regular claimants and the rest by a long tail, some
of them killed and wounded stated apart in one claim (composites).

Run as a script (with the project's venv python and PYTHONPATH pointing at the benchmarked
server source): `python -m harness.dataset --dsn ... --claims 1000000 --out ids.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing as mp
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

SPEC_VERSION = "5"  # bump when the shape of the generated data changes
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
API_KEY_ID = "key_benchloader"

N_ACTORS = 5_000
N_CLAIMANTS = 2_000  # claims are made by the first 2,000 actors
N_HEAVY = 20  # ... 20% of them by these 20
N_MEDIA = 200  # actors that publish sources
N_SOURCES = 50_000
VERSIONED_EVERY = 20  # every 20th claim (5%) carries 3 or 4 versions
N_PARENTS = 50  # actors that others belong to (parent_id): the first 50
COALITION = range(N_HEAVY, N_HEAVY + 10)  # claimants that mostly appear as co-claimants
HOT_SUBJECT = N_CLAIMANTS + N_MEDIA  # the actor index counted by ~1,000 figures
HOT_EVERY = 1_250  # claim i with i % HOT_EVERY == 1 states a figure about HOT_SUBJECT
HOT_REGULARS = 12  # most of those are by a dozen claimants that report on it again and again
WAR_START = date(2014, 1, 1)

LIVE_COLUMNS = [
    "id",
    "version",
    "created_at",
    "updated_at",
    "deleted",
    "external_id",
    "refs",
    "doc",
]
HISTORY_COLUMNS = [*LIVE_COLUMNS, "action", "valid_to", "api_key_id", "change_note"]
EVENT_COLUMNS = [
    "id",
    "type",
    "occurred_at",
    "resource",
    "resource_id",
    "version",
    "data",
    "position",
]

WORDS = (
    "forces troops soldiers killed wounded missing captured strike missile drone attack "
    "shelling artillery village city region border frontline offensive defence ministry "
    "statement report said claimed according officials government army brigade battalion "
    "positions destroyed tanks vehicles aircraft helicopter airfield bridge railway depot "
    "ammunition fuel civilians casualties evacuated displaced refugees humanitarian aid "
    "convoy ceasefire talks negotiations sanctions exports grain port naval fleet vessel "
    "coast river crossing advance retreat encircled counteroffensive reserves mobilisation "
    "conscripts volunteers mercenaries contractors intelligence satellite images footage "
    "video briefing spokesperson president prime minister commander general colonel "
    "headquarters command post radar air defence interceptors ballistic cruise hypersonic "
    "energy grid power plant substation blackout water hospital school market residential "
    "building apartment district settlement oblast province capital kursk kharkiv donetsk "
    "luhansk zaporizhzhia kherson odesa kyiv belgorod bakhmut avdiivka pokrovsk sumy "
    "crimea sevastopol mariupol melitopol dnipro lviv chernihiv gaza rafah khan yunis "
    "jabalia beit hanoun lebanon beirut tyre golan sudan khartoum darfur omdurman "
    "el fasher sahel mali niger burkina myanmar rakhine yemen hodeidah red sea shipping "
    "corridor week month day night overnight morning since start total cumulative "
    "preliminary data estimates verified unverified disputed denied confirmed rejected "
    "figures numbers toll rose fell doubled hundreds thousands dozens several many few"
).split()
TOPICS = (
    "casualties prisoners displacement infrastructure energy shipping air-defence drones "
    "missiles artillery armour naval ceasefire negotiations sanctions humanitarian "
    "mobilisation foreign-fighters nuclear-safety cyber"
).split()
COUNTRIES = ["UKR", "RUS", "USA", "PRK", "ISR", "PSE", "LBN", "SDN", "MLI", "MMR", "YEM", "SYR"]
ACTOR_KINDS = ["person", "state", "government_body", "armed_force", "armed_group", "organization"]
SOURCE_KINDS = [
    "news_article",
    "video_address",
    "press_briefing",
    "official_statement",
    "social_media_post",
    "report",
]
METRICS = ["killed", "wounded", "killed_or_wounded", "captured", "missing", "displaced"]
QUALIFIERS = ["exact", "approximately", "at_least", "more_than", "at_most", "range"]
# v2 values, drawn from the second stream (the lists above keep v1's stream unchanged)
V2_ACTOR_KINDS = ["intelligence_agency", "international_organization"]
V2_METRICS = ["deployed", "executed", "detained", "suicides", "other"]
OTHER_UNITS = ["vehicles", "drones", "battalion", "tanks"]
VAGUE = [  # DESIGN's lexicon: words → (low, high)
    ("a few", 2, 5),
    ("several", 3, 9),
    ("dozens of", 24, 99),
    ("several hundred", 300, 900),
    ("hundreds of", 200, 999),
    ("several thousand", 3_000, 9_000),
    ("thousands of", 2_000, 9_999),
]
RELATIONS = ["corroborates", "contradicts", "supersedes"]
STATUSES = ["unverified", "corroborated", "disputed", "refuted"]

# Zipf-like word frequencies, so full-text queries have realistic selectivities.
_CUM: list[float] = []
_total = 0.0
for _rank in range(len(WORDS)):
    _total += 1.0 / (_rank + 3) ** 0.9
    _CUM.append(_total)


_B32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET)


def _time_part(ms: int) -> str:
    chars = []
    for _ in range(10):
        ms, digit = divmod(ms, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def ulid(prefix: str, ms: int, rnd: random.Random) -> str:
    """The server's id format (ids.new_id): 48-bit ms time + 80 random bits, Crockford
    base32; the 80 random bits are exactly the last 16 characters."""
    rand = base64.b32encode(rnd.randbytes(10)).decode().translate(_B32)
    return f"{prefix}_{_time_part(ms)}{rand}"


def sentence(rnd: random.Random, lo: int, hi: int) -> str:
    words = rnd.choices(WORDS, cum_weights=_CUM, k=rnd.randint(lo, hi))
    return " ".join(words).capitalize() + "."


# --------------------------------------------------------------------------- documents


class DocMaker:
    """Builds a stored document from writable fields, the way the server does."""

    def __init__(self) -> None:
        self.exact = False
        self._calls = 0
        try:
            from claimledger_server.actors.store import ACTORS
            from claimledger_server.claims.store import CLAIMS
            from claimledger_server.figures.store import FIGURES
            from claimledger_server.sources.store import SOURCES
            from claimledger_server.versioning import store

            self._kinds = {
                "actors": ACTORS,
                "sources": SOURCES,
                "claims": CLAIMS,
                "figures": FIGURES,
            }
            from claimledger_server.versioning.kinds import find_references

            self._document = store._document
            self._to_fields = store.to_fields
            self._find_references = find_references
            self.exact = True
        except Exception as exc:  # the server's internals moved: fall back to a template
            print(
                f"dataset: server internals not importable ({exc!r}); using templates",
                file=sys.stderr,
            )

    def make(
        self,
        table: str,
        rid: str,
        version: int,
        created: datetime,
        updated: datetime,
        writable: dict[str, Any],
    ) -> bytes:
        if self.exact:
            kind = self._kinds[table]
            fields = self._to_fields(kind, writable)
            errors = kind.check(fields, rid)
            if errors:
                raise ValueError(f"generated {table} {rid} breaks the server's rules: {errors}")
            return msgspec.json.encode(self._document(kind, rid, version, created, updated, fields))
        return msgspec.json.encode(
            {
                "id": rid,
                "version": version,
                "created_at": created,
                "updated_at": updated,
                "deleted": False,
                **writable,
            }
        )

    def refs(self, table: str, writable: dict[str, Any]) -> list[str]:
        """The ids a write of `writable` references. Walking the kind's declared references
        (as the server does) is a fifth of the generation time, so the dataset lists them
        itself and checks every 50th against the server's walk."""
        found = _REFS[table](writable)
        self._calls += 1
        if self.exact and self._calls % 50 == 1:
            kind = self._kinds[table]
            # the writable fields have the shape of their JSON, which is what the server walks
            server = sorted({r.id for r in self._find_references(writable, kind.references)})
            if server != sorted(set(found)):
                raise ValueError(f"{table} references differ: {found} vs the server's {server}")
        return found


def _claim_refs(w: dict[str, Any]) -> list[str]:
    out = [w["claimant_id"], *w["subject_ids"], *w.get("co_claimant_ids", ())]
    for c in w["citations"]:
        out.append(c["source_id"])
        if c.get("relayed_by_id"):
            out.append(c["relayed_by_id"])
        out += c.get("via_ids", ())
    out += [r["claim_id"] for r in w.get("relations", ())]
    out += [b["actor_id"] for b in w.get("based_on", ()) if b["actor_id"]]
    return out


_REFS = {
    "actors": lambda w: [w["parent_id"]] if w.get("parent_id") else [],
    "sources": lambda w: [x for x in (w["publisher_id"], w.get("republished_from_id")) if x],
    "claims": _claim_refs,
    "figures": lambda w: [x for x in (w["claim_id"], w["subject_id"]) if x],
}


# --------------------------------------------------------------------------- generation


class Plan(msgspec.Struct):
    claims: int
    seed: int
    base_ms: int  # creation time of the first actor, epoch ms
    actor_ids: list[str] = []
    source_ids: list[str] = []
    source_publishers: list[str] = []


def _ts(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def actor_rows(plan: Plan, maker: DocMaker) -> tuple[list, list, list]:
    rnd = random.Random(plan.seed)
    rnd2 = random.Random(plan.seed + 100)  # v2 fields: v1's stream stays as it was
    live, hist, events = [], [], []
    ms = plan.base_ms
    for i in range(N_ACTORS):
        ms += 7
        rid = ulid("act", ms, rnd)
        plan.actor_ids.append(rid)
        media = N_CLAIMANTS <= i < N_CLAIMANTS + N_MEDIA
        w: dict[str, Any] = {
            "external_id": f"bench-actor-{i}",
            "name": f"{'Outlet' if media else 'Actor'} {i} {rnd.choice(WORDS).title()}",
            "kind": "media_outlet" if media else rnd.choice(ACTOR_KINDS),
            "country": rnd.choice(COUNTRIES),
        }
        if i % 5 == 0:
            w["aliases"] = [f"A{i}", f"Alias {i}"]
        actor_v2(rnd2, plan, i, media, w)
        refs = maker.refs("actors", w)
        _append(plan, maker, "actors", "actor", rid, ms, [w], refs, live, hist, events)
    return live, hist, events


def actor_v2(rnd2: random.Random, plan: Plan, i: int, media: bool, w: dict[str, Any]) -> None:
    """Anonymous claimants, the new kinds, who belongs to whom, identifiers elsewhere."""
    r = rnd2.random()
    if i == HOT_SUBJECT:
        w["kind"] = "armed_force"
    elif not media and r < 0.03:
        w["kind"] = rnd2.choice(V2_ACTOR_KINDS)
    if not media and i % 100 == 50:  # 1% anonymous, 20 of them among the claimants
        w["anonymous"] = True
        w["name"] = f"{rnd2.choice(['Western', 'Senior', 'Local', 'Military'])} officials ({i})"
        w["kind"] = rnd2.choice(["person", "government_body"])
    elif i >= N_PARENTS and not media and rnd2.random() < 0.2:
        # spokesperson → council → state; a tenth of them under actor 0, the rest spread
        parent = 0 if rnd2.random() < 0.1 else rnd2.randrange(N_PARENTS)
        w["parent_id"] = plan.actor_ids[parent]
        if rnd2.random() < 0.5:
            w["role"] = rnd2.choice(["spokesperson", "commander", "minister", "press office"])
    if not w.get("anonymous") and rnd2.random() < 0.6:
        ids = {"wikidata": f"Q{100_000 + 7 * i}"}
        if rnd2.random() < 0.2:
            ids["acled"] = str(50_000 + i)
        w["external_ids"] = ids


def source_rows(plan: Plan, maker: DocMaker) -> tuple[list, list, list]:
    rnd = random.Random(plan.seed + 1)
    rnd2 = random.Random(plan.seed + 101)
    live, hist, events = [], [], []
    ms = plan.base_ms + 3_600_000
    media = plan.actor_ids[N_CLAIMANTS : N_CLAIMANTS + N_MEDIA]
    for i in range(N_SOURCES):
        ms += 11
        rid = ulid("src", ms, rnd)
        plan.source_ids.append(rid)
        publisher = rnd.choice(media)
        plan.source_publishers.append(publisher)
        w: dict[str, Any] = {
            "external_id": f"bench-source-{i}",
            "kind": rnd.choice(SOURCE_KINDS),
            "title": sentence(rnd, 5, 10),
            "url": f"https://news.example/{i}",
            "publisher_id": publisher,
            "published_at": _ts(ms - 86_400_000),
            "language": "en",
        }
        r = rnd2.random()
        if r < 0.13:  # a date-only publication: no instant, the day or only the month known
            day = w.pop("published_at").date()
            if r < 0.05:
                w["published_on"], w["published_on_precision"] = day, "day"
            else:
                w["published_on"], w["published_on_precision"] = day.replace(day=1), "month"
        if i >= 100 and rnd2.random() < 0.03:  # a wire story run by another outlet
            w["republished_from_id"] = plan.source_ids[rnd2.randrange(max(0, i - 2_000), i)]
        refs = maker.refs("sources", w)
        _append(plan, maker, "sources", "source", rid, ms, [w], refs, live, hist, events)
    return live, hist, events


def claim_writable(rnd: random.Random, plan: Plan, i: int) -> tuple[dict[str, Any], list[str]]:
    actors = plan.actor_ids
    if rnd.random() < 0.2:
        claimant = actors[rnd.randrange(N_HEAVY)]
    else:
        claimant = actors[rnd.randrange(N_CLAIMANTS)]
    subjects = sorted({actors[rnd.randrange(N_ACTORS)] for _ in range(rnd.randint(0, 2))})
    cited = sorted({plan.source_ids[rnd.randrange(N_SOURCES)] for _ in range(rnd.randint(1, 2))})
    stated = date(2014, 1, 1) + timedelta(days=rnd.randrange(4_500))
    w: dict[str, Any] = {
        "external_id": f"bench-claim-{i}" if i % 10 == 3 else None,
        "claimant_id": claimant,
        "text": sentence(rnd, 12, 28),
        "quote": sentence(rnd, 8, 20) if i % 3 == 0 else None,
        "stated_on": stated.isoformat(),
        "basis": "citing preliminary data" if i % 7 == 0 else None,
        "citations": [{"source_id": s} for s in cited],
        "subject_ids": subjects,
        "location": {"country": rnd.choice(COUNTRIES), "name": rnd.choice(WORDS).title()},
        "topics": sorted(set(rnd.choices(TOPICS, k=rnd.randint(1, 3)))),
        "status": "unverified",
    }
    return w, [claimant, *subjects, *cited]


def _other_actor(rnd2: random.Random, pool: range, taken: set[str], plan: Plan) -> str | None:
    for _ in range(5):
        actor = plan.actor_ids[rnd2.choice(pool)]
        if actor not in taken:
            taken.add(actor)
            return actor
    return None


def claim_v2(rnd2: random.Random, plan: Plan, i: int, w: dict[str, Any], recent: list[str]) -> None:
    """The v2 members of claim `i`, at rates that look like real reporting."""
    claimants = range(N_CLAIMANTS)
    if i % HOT_EVERY == 1 and rnd2.random() < 0.6:
        # A much-counted subject is counted mostly by the same few (a general staff's daily
        # toll, a defence ministry's updates), the rest by a long tail of one-off claimants.
        w["claimant_id"] = plan.actor_ids[rnd2.randrange(HOT_REGULARS)]
    r = rnd2.random()
    if r < 0.04:  # "in October": the month only
        w["stated_on"] = date.fromisoformat(w["stated_on"]).replace(day=1).isoformat()
        w["stated_on_precision"] = "month"
    elif r < 0.05:  # "in 2023"
        w["stated_on"] = date.fromisoformat(w["stated_on"]).replace(month=1, day=1).isoformat()
        w["stated_on_precision"] = "year"
    if rnd2.random() < 0.05:  # a joint statement; the coalition's members are in most of them
        taken = {w["claimant_id"]}
        co = []
        for _ in range(rnd2.randint(1, 3)):
            pool = COALITION if rnd2.random() < 0.4 else claimants
            actor = _other_actor(rnd2, pool, taken, plan)
            if actor:
                co.append(actor)
        w["co_claimant_ids"] = co
    if rnd2.random() < 0.08:  # "citing the NIS", "citing preliminary data"
        based = []
        for _ in range(rnd2.randint(1, 2)):
            if rnd2.random() < 0.7:
                k = rnd2.randrange(N_ACTORS)
                based.append({"actor_id": plan.actor_ids[k], "text": f"citing Actor {k}"})
            else:
                based.append({"actor_id": None, "text": "citing " + sentence(rnd2, 2, 4)[:-1]})
        w["based_on"] = based
    citations = []
    for c in w["citations"]:
        c = dict(c)
        if rnd2.random() < 0.3:  # reported by the outlet that published the source
            publisher = _publisher(plan, c["source_id"])
            c["relayed_by_id"] = publisher
            if rnd2.random() < 0.15:  # claimant → lawmaker → outlet
                # nobody twice in the chain: not the claimant, a co-claimant or the outlet
                taken = {w["claimant_id"], *w.get("co_claimant_ids", ()), publisher}
                via = [_other_actor(rnd2, range(N_ACTORS), taken, plan) for _ in range(2)]
                c["via_ids"] = [v for v in via[: rnd2.randint(1, 2)] if v]
        if rnd2.random() < 0.05:
            c["quote"] = sentence(rnd2, 6, 14)
        citations.append(c)
    w["citations"] = citations
    if recent and rnd2.random() < 0.02:
        relations = {}
        for _ in range(rnd2.randint(1, 2)):
            other = recent[rnd2.randrange(max(0, len(recent) - 5_000), len(recent))]
            relations[other] = rnd2.choice(RELATIONS)
        w["relations"] = [{"claim_id": c, "relation": k} for c, k in relations.items()]
    if i % HOT_EVERY == 1:  # a claim about the subject of ~1,000 figures
        w["subject_ids"] = sorted({*w["subject_ids"], plan.actor_ids[HOT_SUBJECT]})


_PUBLISHER: dict[str, str] = {}


def _publisher(plan: Plan, source_id: str) -> str:
    if not _PUBLISHER:
        _PUBLISHER.update(zip(plan.source_ids, plan.source_publishers, strict=True))
    return _PUBLISHER[source_id]


def figure_v2(rnd2: random.Random, claim: dict[str, Any], fw: dict[str, Any], hot: bool) -> None:
    """Qualifiers, accumulation, period and unit of a figure, as v2 lets reporting say them."""
    fw.setdefault("unit", "people")
    amount = fw["amount"]
    stated = date.fromisoformat(claim["stated_on"])
    if hot:
        fw["metric"] = rnd2.choices(
            ["killed", "wounded", "killed_or_wounded", "captured", "missing"],
            [45, 20, 20, 10, 5],
        )[0]
        fw["accumulation"] = rnd2.choices(["cumulative", "incremental", "unknown"], [50, 35, 15])[0]
    else:
        if rnd2.random() < 0.03:
            fw["metric"] = rnd2.choice(V2_METRICS)
        fw["accumulation"] = rnd2.choices(["cumulative", "incremental", "unknown"], [30, 40, 30])[0]
    if fw["accumulation"] == "cumulative" and fw["qualifier"] != "range":
        # running totals grow with time, so a claimant's timeline rises
        amount = max(1, int((50 + 4 * (stated - WAR_START).days) * rnd2.uniform(0.7, 1.3)))
        fw["amount"] = amount
    if not hot and rnd2.random() < 0.02:
        fw["unit"] = rnd2.choice(OTHER_UNITS)
        amount = fw["amount"] = 1 + amount % 400
        if fw["amount_max"] is not None:
            fw["amount_max"] = amount * 2
    r = rnd2.random()
    if r < 0.05:
        fw["qualifier"], fw["amount_max"] = "nearly", None
    elif r < 0.08:
        words, low, high = rnd2.choice(VAGUE)
        fw.update(qualifier="vague", amount=None, amount_max=None, low=low, high=high)
        fw["text"] = f"{words} {fw['unit']}"
    elif r < 0.10:
        fw["qualifier"], fw["amount_max"] = "fewer_than", None
    elif r < 0.11:
        fw.update(qualifier="unspecified", amount=None, amount_max=None, text=f"some {fw['unit']}")
    if fw["qualifier"] not in ("vague", "unspecified"):
        fw["text"] = f"{fw['qualifier'].replace('_', ' ')} {fw['amount']} {fw['unit']}"
    p = rnd2.random()
    if fw["accumulation"] == "cumulative" and p < 0.6:
        start = stated - timedelta(days=rnd2.randrange(30, 1_500))
        if rnd2.random() < 0.3:  # "since October"
            period = {"start": start.replace(day=1), "start_precision": "month"}
        else:
            period = {"start": start}
        fw["period"] = {**period, "end": stated, "text": "since the start"}
    elif fw["accumulation"] == "incremental" and p < 0.7:
        if p < 0.35:
            fw["period"] = {"start": stated - timedelta(days=6), "end": stated, "text": "last week"}
        elif p < 0.56:  # "in September": month precision at both ends
            month = (stated.replace(day=1) - timedelta(days=1)).replace(day=1)
            fw["period"] = {
                "start": month,
                "start_precision": "month",
                "end": month,
                "end_precision": "month",
                "text": "last month",
            }
        else:
            day = stated - timedelta(days=1)
            fw["period"] = {"start": day, "end": day, "text": "yesterday"}
    elif p < 0.1:
        fw["period"] = {"text": "recently"}


_EVT_RND = random.Random(0)


def _append(
    plan: Plan,
    maker: DocMaker,
    table: str,
    name: str,
    rid: str,
    created_ms: int,
    versions: list[dict[str, Any]],
    refs: list[str],
    live: list,
    hist: list,
    events: list,
    step_ms: int = 3_600_000,
) -> None:
    """Rows of every version of one resource; `versions` holds each version's fields."""
    created = _ts(created_ms)
    ref_list = sorted(set(refs))
    times = [_ts(created_ms + k * step_ms) for k in range(len(versions))]
    doc = b""
    for k, w in enumerate(versions):
        updated = times[k]
        doc = maker.make(table, rid, k + 1, created, updated, w).decode()
        valid_to = times[k + 1] if k + 1 < len(versions) else None
        action = "created" if k == 0 else "updated"
        hist.append(
            (
                rid,
                k + 1,
                created,
                updated,
                False,
                w.get("external_id"),
                ref_list,
                doc,
                action,
                valid_to,
                API_KEY_ID,
                None,
            )
        )
        events.append(
            [
                ulid("evt", created_ms + k * step_ms, _EVT_RND),
                f"{name}.{action}",
                updated,
                name,
                rid,
                k + 1,
                doc,
                0,
            ]
        )
    live.append(
        (
            rid,
            len(versions),
            created,
            times[-1],
            False,
            versions[-1].get("external_id"),
            ref_list,
            doc,
        )
    )


def claim_chunk(
    plan: Plan, start: int, stop: int, exact: bool | None = None
) -> dict[str, tuple[list, list, list]]:
    """Claims [start, stop) and their figures; deterministic for a given plan."""
    maker = DocMaker()
    rnd = random.Random(plan.seed * 1_000_003 + start)
    rnd2 = random.Random(plan.seed * 7_000_003 + start)  # v2 members only
    recent: list[str] = []
    span_ms = 400 * 86_400_000
    first_ms = plan.base_ms + 86_400_000
    out: dict[str, tuple[list, list, list]] = {"claims": ([], [], []), "figures": ([], [], [])}
    for i in range(start, stop):
        ms = first_ms + (i * span_ms) // plan.claims
        rid = ulid("clm", ms, rnd)
        w, _ = claim_writable(rnd, plan, i)
        claim_v2(rnd2, plan, i, w, recent)
        refs = maker.refs("claims", w)
        recent.append(rid)
        versions = [w]
        if i % VERSIONED_EVERY == 0:
            for status in ["corroborated", "disputed", "refuted"][: extra_versions(i)]:
                w = {**w, "status": status}
                if status == "disputed":
                    w["basis"] = "disputed by " + sentence(rnd, 3, 6)
                versions.append(w)
        _append(plan, maker, "claims", "claim", rid, ms, versions, refs, *out["claims"])
        if has_figure(i):
            # v1's draws, in v1's order, even when this claim ends up with no figure
            fms = ms + 1
            fid = ulid("fig", fms, rnd)
            amount = rnd.randrange(1, 20_000)
            qualifier = rnd.choice(QUALIFIERS)
            hot = i % HOT_EVERY == 1
            subject = (
                plan.actor_ids[HOT_SUBJECT]
                if hot
                else (w["subject_ids"][0] if w["subject_ids"] else None)
            )
            fw: dict[str, Any] = {
                "claim_id": rid,
                "metric": rnd.choice(METRICS),
                "subject_id": subject,
                "amount": amount,
                "qualifier": qualifier,
                "amount_max": amount * 2 if qualifier == "range" else None,
                "text": f"{qualifier.replace('_', ' ')} {amount} people",
            }
            n = figures_of(i)
            if n:
                figure_v2(rnd2, w, fw, hot)
            figures = [fw]
            if n == 2:  # killed and wounded stated apart: a composite for the summary
                fw["metric"] = "killed"
                other = {**fw, "metric": "wounded"}
                if other["amount"] is not None:
                    other["amount"] = other["amount"] * 3
                    if other["amount_max"] is not None:
                        other["amount_max"] = other["amount"] * 2
                    q = other["qualifier"].replace("_", " ")
                    other["text"] = f"{q} {other['amount']} {other['unit']} wounded"
                figures.append(other)
            for k, f in enumerate(figures[:n]):
                fid_k = fid if k == 0 else ulid("fig", fms + k, rnd2)
                frefs = maker.refs("figures", f)
                _append(
                    plan, maker, "figures", "figure", fid_k, fms + k, [f], frefs, *out["figures"]
                )
    return out


def extra_versions(i: int) -> int:
    if i % VERSIONED_EVERY:
        return 0
    return 2 if i % 100 else 3


def has_figure(i: int) -> bool:
    return i % 10 in (1, 4, 7)  # 30% of the claims carry one figure


def _twin(i: int) -> bool:
    """A quarter of the claims about the hot subject give killed and wounded apart."""
    return (i // HOT_EVERY) % 4 == 0


def figures_of(i: int) -> int:
    """Figures of claim i: 3 in 10 claims carry one; a hot claim with a twin carries two,
    and the claim 6 after it none, so the total stays 30% of the claims."""
    if not has_figure(i):
        return 0
    if i % HOT_EVERY == 1 and _twin(i):
        return 2
    if i % HOT_EVERY == 7 and _twin(i):
        return 0
    return 1


def events_in(start: int, stop: int) -> int:
    return sum(1 + extra_versions(i) + figures_of(i) for i in range(start, stop))


# --------------------------------------------------------------------------- loading


async def _copy(conn: asyncpg.Connection, table: str, columns: list[str], rows: list) -> None:
    if rows:
        await conn.copy_records_to_table(table, records=rows, columns=columns)


async def _load_rows(dsn: str, parts: dict[str, tuple[list, list, list]], position: int) -> int:
    """COPY live, history and event rows of every table in `parts`, events positioned
    from `position + 1`; returns the last position used."""
    conns = [await asyncpg.connect(dsn) for _ in range(3)]
    try:
        for c in conns:
            await c.execute("SET synchronous_commit = off")
        jobs = []
        all_events = []
        for table, (live, hist, events) in parts.items():
            jobs.append((table, LIVE_COLUMNS, live))
            jobs.append((f"{table}_history", HISTORY_COLUMNS, hist))
            all_events.extend(events)
        all_events.sort(key=lambda e: e[2])
        for e in all_events:
            position += 1
            e[7] = position
        jobs.append(("events", EVENT_COLUMNS, [tuple(e) for e in all_events]))
        # Three connections: the server's backends work in parallel on the generated columns.
        queue = list(jobs)

        async def worker(conn: asyncpg.Connection) -> None:
            while queue:
                table, columns, rows = queue.pop(0)
                await _copy(conn, table, columns, rows)

        await asyncio.gather(*(worker(c) for c in conns))
    finally:
        for c in conns:
            await c.close()
    return position


def _worker(args: tuple[str, Plan, list[tuple[int, int, int]]]) -> int:
    """A loader process: generates its chunks and COPYs them; each chunk's events take the
    positions after its pre-computed `first_position`, so processes never collide and the
    feed stays dense."""
    dsn, plan, chunks = args
    total = 0

    async def main() -> None:
        nonlocal total
        for start, stop, first_position in chunks:
            parts = claim_chunk(plan, start, stop)
            count = sum(len(p[2]) for p in parts.values())
            if count != events_in(start, stop):
                raise RuntimeError("event count mismatch")
            await _load_rows(dsn, parts, first_position)
            total += count

    asyncio.run(main())
    return total


async def secondary_indexes(conn: asyncpg.Connection, tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of every index on `tables` that does not back a constraint."""
    rows = await conn.fetch(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                               WHERE c.conindid = (quote_ident(i.indexname))::regclass)""",
        tables,
    )
    return [(r["indexname"], r["indexdef"]) for r in rows]


async def build(dsn: str, claims: int, seed: int, processes: int, log=print) -> dict[str, Any]:
    t0 = time.monotonic()
    tables = ["actors", "sources", "claims", "figures"]
    all_tables = [*tables, *(f"{t}_history" for t in tables), "events"]
    conn = await asyncpg.connect(dsn)
    try:
        for t in all_tables:
            n = await conn.fetchval(f"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1) x")
            if n:
                raise RuntimeError(f"{t} is not empty: build into a freshly migrated database")
        indexes = await secondary_indexes(conn, all_tables)
        for name, _ in indexes:
            await conn.execute(f"DROP INDEX {name}")
        log(f"dataset: dropped {len(indexes)} secondary indexes for the load")

        now_ms = int(time.time() * 1000)
        plan = Plan(claims=claims, seed=seed, base_ms=now_ms - 520 * 86_400_000)
        maker = DocMaker()
        a = actor_rows(plan, maker)
        s = source_rows(plan, maker)
        position = await _load_rows(dsn, {"actors": a, "sources": s}, 0)
        log(
            f"dataset: {N_ACTORS} actors, {N_SOURCES} sources in {time.monotonic() - t0:.0f} s"
            f" (documents {'from the server code' if maker.exact else 'from templates'})"
        )

        chunk = 20_000
        bounds = []
        for start in range(0, claims, chunk):
            stop = min(start + chunk, claims)
            bounds.append((start, stop, position))
            position += events_in(start, stop)
        args = [(dsn, plan, bounds[p::processes]) for p in range(processes)]
        ctx = mp.get_context("fork")
        with ctx.Pool(processes) as pool:
            loaded = sum(pool.map(_worker, args))
        log(
            f"dataset: {claims} claims with figures, versions and events loaded"
            f" ({loaded} versions) in {time.monotonic() - t0:.0f} s"
        )

        async def create(defs: list[str]) -> None:
            c = await asyncpg.connect(dsn)
            try:
                await c.execute("SET maintenance_work_mem = '512MB'")
                await c.execute("SET max_parallel_maintenance_workers = 0")
                for d in defs:
                    await c.execute(d)
            finally:
                await c.close()

        defs = [d for _, d in indexes]
        await asyncio.gather(create(defs[0::2]), create(defs[1::2]))
        log(f"dataset: {len(defs)} indexes rebuilt at {time.monotonic() - t0:.0f} s")
        await conn.execute("VACUUM (ANALYZE)")
        counts = {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in all_tables}
        log(f"dataset: vacuumed and analyzed at {time.monotonic() - t0:.0f} s: {counts}")
        return {
            "seconds": round(time.monotonic() - t0, 1),
            "counts": counts,
            "exact_documents": maker.exact,
            "actor_ids": plan.actor_ids,
            "source_ids": plan.source_ids,
            "hot_subject": plan.actor_ids[HOT_SUBJECT],
        }
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    result = asyncio.run(
        build(
            args.dsn,
            args.claims,
            args.seed,
            args.processes,
            log=lambda m: print(m, file=sys.stderr, flush=True),
        )
    )
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
