"""A sentence that opens on when, with no comma before its subject: "On Monday he said",
"In the evening the ministry's officer told us", "Late on Friday the army said".

News English often leaves out the comma after a short adverbial of time. The speaker then
follows it directly; the adverbial is no part of the speaker's name, and it dates what the
speaker said (as "On Monday, he said" does)."""

import re
from typing import Final

from claimledger_server.extractions.when import MONTH_NAMES, WEEKDAY_NAMES

_WEEKDAY: Final = f"(?:{WEEKDAY_NAMES})"
_MONTH: Final = rf"(?:{MONTH_NAMES})\.?"
_PART_OF_DAY: Final = r"(?:morning|afternoon|evening|night|weekend)"
TIME_OPENER: Final = re.compile(
    r"\s*(?:(?:[Ll]ate|[Ee]arly|[Ll]ater|[Ee]arlier)\s+)?(?:[Oo]n|[Ii]n|[Dd]uring|[Bb]y|[Oo]ver)\s+"
    r"(?:the\s+)?(?:(?:same|following|next|previous)\s+)?"
    rf"(?:{_WEEKDAY}(?:\s+{_PART_OF_DAY})?|{_PART_OF_DAY}|day"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+{_MONTH}|{_MONTH})"
    r"\s+(?=(?:he|she|they|it|we|the|a|an)\b|[A-Z])"
    # "Last week the army said", "Yesterday the ministry said": a span named without "on"
    r"|\s*(?:(?:[Ll]ast|[Ee]arlier\s+this|[Ll]ater\s+that)\s+(?:week|month|year|night)"
    r"|[Yy]esterday)\s+(?=(?:he|she|they|it|we|the)\b|[A-Z])"
)
"""When, opening a sentence without a comma, up to the subject that follows it."""
