"""Relays: the outlet that passed a claimant's words on ("according to Yonhap", "told
Reuters", "as per a report in NBC News", "Saba news agency said, citing a local official").

An outlet is a registry actor of kind `media_outlet`, or a name that reads as one (a wire
service, "… News", "… TV", "… news agency"…). The text's own publisher is never a relay
("told Global Desk"): the source already is that publisher."""

import re
from typing import Final

from claimledger_server.extractions.gazetteer import Gazetteer, normalize

WIRES: Final = frozenset(
    {
        *("reuters", "ap", "associated press", "afp", "agence france-presse", "bbc"),
        *("cnn", "al jazeera", "al arabiya", "yonhap", "tass", "ria novosti", "interfax"),
        *("xinhua", "kyodo", "dpa", "nbc", "abc", "cbs", "fox news", "sky news", "axios"),
        *("the new york times", "new york times", "the washington post", "washington post"),
        *("the guardian", "guardian", "politico", "bloomberg", "the wall street journal"),
        *("wall street journal", "the times", "le monde", "der spiegel", "anadolu", "wafa"),
        *("ukrinform", "kyiv independent", "meduza", "rfe/rl", "radio free europe"),
    }
)
_OUTLET_WORDS = re.compile(
    r"\b(?:news|agency|tv|television|radio|times|post|press|herald|gazette|journal|"
    r"tribune|channel|broadcaster|newspaper|daily|outlet|wire)\b",
    re.IGNORECASE,
)
_AGENCY_NOT_OUTLET = re.compile(
    r"\b(?:refugee|children's|spy|intelligence|health|aid|relief|migration|atomic|"
    r"energy|security|space)\s+agency\b",
    re.IGNORECASE,
)


def is_outlet(name: str, gazetteer: Gazetteer) -> bool:
    """Whether `name` names a news outlet."""
    known = gazetteer.lookup(name)
    if known:
        return any(actor.kind == "media_outlet" for actor in known)
    folded = normalize(name)
    if folded in WIRES:
        return True
    if not any(word[:1].isupper() for word in name.split()) or _AGENCY_NOT_OUTLET.search(name):
        return False
    return _OUTLET_WORDS.search(name) is not None
