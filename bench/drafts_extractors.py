"""Extractors for bench/drafts_latency.py, loaded by the server through
`CLAIMLEDGER_EXTRACTOR` with bench/ on its PYTHONPATH."""

import time

from claimledger_server.extractions.gazetteer import Gazetteer
from claimledger_server.extractions.rules import RuleExtractor
from claimledger_server.extractions.schemas import DraftSource, ExtractedDraft

BUDGET_SECONDS = 0.100
"""Issue 12's budget for a 1,000-word article: 100 ms of server CPU."""


class BusyExtractor(RuleExtractor):
    """The rule-based extractor, then pure-Python work until the draft has cost
    `BUDGET_SECONDS` of CPU: what a full extractor at its budget costs the server."""

    def extract(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> ExtractedDraft:
        started = time.process_time()
        found = super().extract(text, source, gazetteer)
        spin = 0
        while time.process_time() - started < BUDGET_SECONDS:
            for i in range(1000):
                spin ^= i * i
        return found
