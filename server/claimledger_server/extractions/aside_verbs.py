"""The verb of a count past an aside: "three people, including two children, had drowned",
"two men, aged 40 and 58, were wounded", "12 members of the Volunteers for the Defence of
the Northern Homeland (VDNH) had been killed". Read by `count_metrics.py` for what a count
counts when its own verb stands past the words set off after it."""

import re
from typing import Final

from claimledger_server.figures.schemas import Metric
from claimledger_server.text.verbs import DYING, alternation, past_forms

DIED: Final = past_forms(DYING)
"""Verbs whose subject is dead, in the past: "drowned", "perished", "starved to death"."""
VERB_AFTER_ASIDE: Final = re.compile(
    r"[^.;]{0,80}?,\s*(?:(?:had|have|has|were|was|are|is)\s+)?(?:been\s+)?(?:forced\s+to\s+)?"
    r"(?P<verb>killed|wounded|injured|displaced|captured|detained|arrested|died|fled|flee|left|"
    r"crossed|need|needs|needed|abducted|kidnapped|executed|evacuated|sent|deployed|"
    r"dispatched|" + alternation(DIED) + r")\b"
)
ASIDE_METRICS: Final[dict[str, Metric]] = {
    **dict.fromkeys(DIED, "killed"),  # "three people, including two children, had drowned"
    "killed": "killed",
    "died": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "displaced": "displaced",
    "captured": "captured",
    "detained": "detained",
    "arrested": "detained",
    "fled": "displaced",
    "flee": "displaced",
    "left": "displaced",
    "crossed": "displaced",
    "need": "other",
    "needs": "other",
    "needed": "other",
    "abducted": "detained",
    "kidnapped": "detained",
    "executed": "executed",
    "evacuated": "displaced",
    "seized": "captured",
    "hit": "killed_or_wounded",
    "shot": "killed_or_wounded",
    "sent": "deployed",
    "deployed": "deployed",
    "dispatched": "deployed",
}
_NAME_WORD: Final = r"(?:[A-Z][\w'-]*|\d+(?:st|nd|rd|th))"
MEMBERS_OF_NAMED: Final = re.compile(
    rf"\s+of\s+(?:the\s+)?{_NAME_WORD}(?:\s+(?:(?:of|for|and|the|de|du|al)\s+)*{_NAME_WORD})*"
    r"(?:\s*\([A-Z][\w.&-]*\))?(?:\s+and\s+(?:allied|other|affiliated)(?:\s+[a-z]+){1,2})?"
)
"""The named body after a count's noun ("members of the Volunteers for the Defence of the
Northern Homeland (VDNH)", "soldiers of the 4th Brigade and allied units"), however long its
name."""
VERB_AFTER_NAME: Final = re.compile(
    r"\s+(?:(?:had|have|has|were|was)\s+)?(?:been\s+)?"
    r"(?P<verb>killed|wounded|injured|captured|detained|arrested|abducted|executed)\b"
)
"""The count's own verb right after the body named ("… of the 4th Brigade had been killed")."""
INCLUDED: Final = re.compile(r",\s*including\s+[^,;.]*$")
"""A count inside an "including …" aside, which closes before the verb."""
PASSIVE_AFTER_ASIDE: Final = re.compile(
    r"\s*,\s[^.;,\"]{1,60},\s*(?:had|have|has|were|was|are|is)\s+"
    r"(?:(?:also|later|both|all|then)\s+)?(?:been\s+)?"
    r"(?P<verb>killed|wounded|injured|displaced|captured|detained|arrested|abducted|"
    r"kidnapped|executed|evacuated|seized|hit|shot(?!\s+(?:dead|down)))\b"
)
"""A verb of its own after an aside: "two men, aged 40 and 58, were wounded", "two of our
staff, a driver and a nurse, were hit" (killed or wounded, until the text says which), "two
civilians, a girl and a vendor, were also wounded"."""
PREDICATE_AFTER_ASIDE: Final = re.compile(
    r"\s*,\s[^.;,]{1,80}(?<!\d),\s*(?:(?:had|have|has|were|was|are|is)\s+)?"
    r"(?P<predicate>[^.;,]{1,60})"
)
"""What is said of a count after an aside: "576,000 people, a quarter of the population,
were one step away from famine"."""
