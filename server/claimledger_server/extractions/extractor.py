"""The extractor interface: what drafts claims from a text, and how the configured one is
found.

An extractor is a class whose instances have

    def extract(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> ExtractedDraft

and which is built without arguments. The setting `extractor` (environment
`CLAIMLEDGER_EXTRACTOR`) names it as `package.module:Class`; the default is the rule-based
`claimledger_server.extractions.rules:RuleExtractor`. A deployment plugs in another one
(model-backed, say) by installing its package and naming its class there.

The contract an extractor keeps:

- It runs in a drafting process of its own (`drafting.py`), built once per process; `extract`
  is called for one text at a time, and may take CPU time without slowing other requests.
  It must not read the network or the database: what it knows of the ledger is `gazetteer`,
  and what it knows of the text's origin is `source`.
- `text` is the text as the client sent it; every `Span` it returns is `text[start:end]` in
  Unicode code points, never empty.
- `source` holds the source fields the client gave (all may be null). `published_on` with
  `published_on_precision` (filled from `published_at` when only that is given) is what
  relative dates ("on Monday (December 23)", "last week") resolve against.
- `gazetteer` is the registry's live actors (`Gazetteer.lookup`, `Gazetteer.names`): an
  actor found there is returned with its `actor_id`; one that is not gets `actor_id: null`
  and a `kind` when the text tells it. An actor is returned once, with every mention.
- The result uses refs, not ids, between its items: each claim's `claimant_ref`,
  `co_claimant_refs`, `relayed_by_ref`, `subject_refs`, `based_on[].actor_ref` and each
  figure's `subject_ref` name an actor of `actors` by its `ref`; refs are unique.
- Figures carry `qualifier`, `amount` and `amount_max` as stated; the server derives `low`
  and `high` exactly as for a figure, except for `vague`, whose bounds the extractor gives
  (DESIGN's lexicon: "several hundred" is 300-900…).
- `ExtractedDraft.source` may carry fields read off the text (a dateline's date); they fill
  only the fields the client left empty.
- The same text, source and gazetteer give the same draft (no randomness, no clock).

The server checks the result as it checks a reviewer's edit (`store.draft_errors`); a result
that breaks a rule is the extractor's fault and answers 500, naming the rule, not a draft."""

import importlib
from typing import Protocol, cast

from claimledger_server.extractions.gazetteer import Gazetteer
from claimledger_server.extractions.schemas import DraftSource, ExtractedDraft


class Extractor(Protocol):
    def extract(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> ExtractedDraft:
        """The actors, claims and figures `text` states (see the module's contract)."""
        ...


class ExtractorFactory(Protocol):
    def __call__(self) -> Extractor: ...


def load_extractor(path: str) -> ExtractorFactory:
    """The class `path` (`package.module:Class`) names; ValueError saying what is wrong."""
    module_name, colon, attribute = path.partition(":")
    if not colon or not module_name or not attribute:
        raise ValueError(f"extractor {path!r} is not of the form package.module:Class")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"extractor {path!r}: cannot import {module_name}: {exc}") from exc
    found: object = module
    for name in attribute.split("."):
        found = getattr(found, name, None)
        if found is None:
            raise ValueError(f"extractor {path!r}: {module_name} has no {attribute}")
    if not callable(found) or not callable(getattr(found, "extract", None)):
        raise ValueError(f"extractor {path!r} is not a class with an extract method")
    return cast(ExtractorFactory, found)
