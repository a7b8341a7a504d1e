"""Phrases of news reporting that say what befalls the people a count counts, in words
other than the lexicon's metric words: "claimed the lives of", "crossed into", "were taken
to hospital", "digging for", "had not come back", "were among the dead", "taken away",
"taking four soldiers with them". `count_metrics.py` reads them for counts of people
without a metric word of their own, and what a count's own noun says (`noun_metric`), an act
done to them (`nominal_act`: "the release of", "handed over", "in exchange for") and whether
they are still held (`held`)."""

import re
from typing import Final

from claimledger_server.extractions.non_figures import KIN
from claimledger_server.figures.schemas import Metric
from claimledger_server.text.quantities import Quantity

NOT_BACK: Final = re.compile(
    r"^[^.;,]{0,20}\b(?:had|have|has)\s+not\s+(?:yet\s+)?(?:come back|returned|been found|"
    r"been traced|been located|been accounted for)\b"
)
"""People or things missing: "11 boats had not come back"."""
_WITH_THEM: Final = re.compile(r"^[^.;,]{0,15}\bwith them\b")
_TAKING: Final = re.compile(r"\b(?:taking|took|taken|take|takes)\s*$")
"""Captives an attacking force leaves with: "withdrew, taking four soldiers with them"."""

_TREATED: Final = re.compile(r"\b(?:treated|treating|treats)\s*$")
"""Before a count: "the hospital treated 176 patients" (people hurt, unless `_NOT_INJURY`)."""
_PEOPLE_PHRASES: Final[tuple[tuple[re.Pattern[str], Metric], ...]] = (
    (re.compile(r"\b(?:claimed|took|cost|costing|claiming) the lives of\s*$"), "killed"),
    (
        re.compile(
            r"^[^.;,]{0,30}\b(?:crossed|fled|escaped|streamed)\b[^.;,]{0,40}"
            r"\b(?:into|across|border|over)\b"
        ),
        "displaced",
    ),
    (
        re.compile(r"^[^.;,]{0,30}\b(?:to flee|moved to safety|relocated|sought shelter)\b"),
        "displaced",
    ),
    (
        re.compile(
            r"^[^.;,]{0,30}\b(?:buried under|be buried|still buried|trapped under|"
            r"(?:believed|feared|thought)\s+(?:to\s+be\s+)?trapped)\b"
        ),
        "missing",
    ),
    (
        re.compile(r"\b(?:attack|attacked|assault|assaulted|raid|raided|ambush|ambushed) by\s*$"),
        "other",
    ),
    (re.compile(r"^\s*lives\b"), "killed"),
    # put out of the fight, in the words of a military claim: "taken out of combat 12 soldiers"
    (
        re.compile(
            r"\b(?:taken|taking|took|put|putting)\s+out\s+of\s+(?:combat|action)[\"\u201d]?\s*$"
        ),
        "killed_or_wounded",
    ),
    (re.compile(r"\b(?:abducted|kidnapped|abducting|kidnapping|rounded up)\s*$"), "detained"),
    (re.compile(r"^[^.;,]{0,25}\b(?:hospitali[sz]ed|admitted to hospital)"), "wounded"),
    (
        re.compile(
            r"^[^.;,]{0,25}\b(?:(?:sought|seek|seeking|found|took|taking|taken|applied for|"
            r"requested|claimed)\s+(?:refuge|shelter|asylum|sanctuary|safety)|sheltered)"
        ),
        "displaced",
    ),
    (re.compile(r"^[^.;,]{0,12}\binto (?:custody|detention)\b"), "detained"),
    # hurt in other words: "13 children suffered burns", "40 people with gunshot wounds"
    (
        re.compile(
            r"^[^.;,]{0,25}\b(?:suffered|suffering|sustained|sustaining|with|treated for)\s+"
            r"(?:[\w-]+\s+){0,2}?(?:burns|injuries|wounds|fractures|shrapnel wounds)\b"
        ),
        "wounded",
    ),
    # a camp or a school that shelters people holds the displaced: "the site housed 800"
    (
        re.compile(
            r"\b(?:shelters|sheltered|sheltering|houses|housed|housing|hosts|hosted|"
            r"hosting)\s*$"
        ),
        "displaced",
    ),
    # the dead named by what they were: "the dead included 11 children and six women"
    (
        re.compile(
            r"\b(?:[Tt]he dead|[Tt]he victims|[Tt]hose killed)\s+(?:included|include|includes)"
            r"\s+(?:[^.;:]{0,30}\band\s+)?$"
        ),
        "killed",
    ),
    # the wounded taken to hospital: "25 others were taken to the district hospital"
    (
        re.compile(
            r"^[^.;,]{0,25}\b(?:taken|rushed|brought|flown|sent) to (?:the\s+|a\s+)?"
            r"(?:[\w-]+\s+){0,2}?(?:hospitals?|clinics?)\b"
        ),
        "wounded",
    ),
    (re.compile(r"^[^.;,]{0,25}\b(?:were|have been|had been) (?:abducted|kidnapped)"), "detained"),
    (
        re.compile(
            r"^[^.;,]{0,30}\b(?:hit|struck) by (?:[\w'-]+\s+){0,2}?(?:fire|gunfire|shots|"
            r"bullets|shrapnel|shelling|sniper fire)\b"
        ),
        "killed_or_wounded",
    ),
    (
        re.compile(r"^[^.;,]{0,25}\b(?:were|was|had been|have been) shot\b(?!\s+(?:dead|down))"),
        "killed_or_wounded",
    ),
    # people searched for or not come back: "still digging for at least five people",
    # "searching the rubble for two residents", "11 fishermen had not come back"
    (
        re.compile(
            r"\b(?:searching|search|searched|digging|dug|looking|hunting)\b"
            r"(?:\s+[\w'-]+){0,3}?\s+for\s*$"
        ),
        "missing",
    ),
    (NOT_BACK, "missing"),
    # a part the sentence names among the dead: "two of his cousins were among the dead"
    (re.compile(r"^[^.;,]{0,20}\b(?:were|was|are|is)\s+among\s+the\s+(?:dead|killed)\b"), "killed"),
    (
        re.compile(r"^[^.;,]{0,20}\b(?:were|was|are|is)\s+among\s+the\s+(?:wounded|injured)\b"),
        "wounded",
    ),
    # people moved out of harm's way: "120 residents had been moved to temporary shelters",
    # "40 families were moved overnight to a church" (the buildings people shelter in)
    (
        re.compile(
            r"^[^.;,]{0,30}\b(?:moved|relocated|evacuated|transferred|bussed|bused)"
            r"(?:\s+(?:overnight|temporarily|hastily))?\s+to\s+(?:[\w-]+\s+){0,2}?"
            r"(?:shelters?|camps?|safety|schools?|church(?:es)?|mosques?|stadiums?|gyms?)\b"
        ),
        "displaced",
    ),
    # people rescued: "pulled 22 people alive from the debris", "brought 60 guests and staff
    # out alive"
    (re.compile(r"^(?:[^.;,]{0,20}?\sout)?\s*alive\b"), "other"),
    (
        re.compile(r"\b(?:taken|taking|took|take|takes|led|carried|dragged|marched)\s+away\s*$"),
        "detained",
    ),
    (_TREATED, "wounded"),
    (
        re.compile(
            r"^[^.;,]{0,25}\b(?:were|was|had been|have been|being) treated\b"
            r"(?!\s+for\s+(?!(?:[\w'-]+\s+){0,2}?(?:injur|wound|burn|gunshot|shrapnel|trauma)))"
        ),
        "wounded",
    ),
)
_UNARMED_PHRASES: Final[tuple[tuple[re.Pattern[str], Metric], ...]] = (
    # those who attacked or besieged: "taken by a group of about 20 armed men", "hundreds of
    # gunmen on motorbikes stormed the post" (as "attacked by 40 men" is), "villagers had
    # gathered to block the road"
    (re.compile(r"\bby\s+(?:a\s+)?(?:group|band|gang)\s+of\s*$"), "other"),
    (
        re.compile(
            r"^[^.;,]{0,30}\b(?:attacked|stormed|raided|ambushed|overran|opened fire|surrounded|"
            r"encircled|blockaded|gathered\s+to\s+(?:stop|block|prevent|confront))\b"
        ),
        "other",
    ),
    # a crowd that acts: "a mob of about 200 men surrounded the post"
    (re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+(?:crowd|mob|throng)\s+of\s*$"), "other"),
    # people who reached a town or a camp fled there: "as many as 900 people had reached
    # the district capital by Sunday"
    (re.compile(r"^[^.;,]{0,12}\b(?:had|have|has)\s+(?:reached|arrived\s+in)\b"), "displaced"),
)
"""Phrases that say what a count of people other than soldiers did."""
ATTACKERS: Final = re.compile(r"\b(?:gunmen|armed\s+men|assailants|attackers|raiders|bandits)$")
"""Nouns of those who attack, counted as `other` whatever they did ("dozens of gunmen
arrived on motorbikes" were not deployed, nor did they flee)."""
_NOT_INJURY: Final = re.compile(
    r"^\s+(?P<cause>of|for)\s+(?!(?:[\w'-]+\s+){0,2}?(?:injur|wound|burn|gunshot|shrapnel|trauma))"
)
"""After "treated 40 people": a cause that is no injury ("victims of sexual violence", "for
cholera"), so they are no count of wounded."""


_NOMINAL_ACTS: Final[tuple[tuple[re.Pattern[str], Metric], ...]] = (
    (re.compile(r"\b(?:abductions?|kidnappings?|arrests?|detentions?) of\s*$"), "detained"),
    (re.compile(r"\bexecutions? of\s*$"), "executed"),
    # a side's own losses for what it did: "killed 43 rebels for the loss of nine soldiers"
    (re.compile(r"\b(?:for|at)\s+(?:the|a)\s+(?:loss|cost)\s+of\s*$"), "killed_or_wounded"),
    (re.compile(r"\b(?:killings?|murders?|massacres?|deaths|slaughter) of\s*$"), "killed"),
    (re.compile(r"\b(?:displacement|evacuations?|expulsions?|eviction) of\s*$"), "displaced"),
    (re.compile(r"\b(?:recruitment|releases?|rescue) of\s*$"), "other"),
    # people whose fate is unknown: "the fate of 45 people", "the whereabouts of 12"
    (re.compile(r"\b(?:fate|fates|whereabouts) of\s*$"), "missing"),
    # people freed, by the verb: "handed over 12 detainees", "in exchange for four soldiers",
    # "those freed included two journalists" (as "the release of 120 detainees": `other`,
    # whatever they were before)
    (
        re.compile(r"\b(?:freed|released|handed\s+(?:over|back)|swapped|in\s+exchange\s+for)\s*$"),
        "other",
    ),
    (
        re.compile(
            r"\b(?:[Tt]hose|[Tt]he\s+(?:men|people|prisoners))\s+(?:freed|released)\s+"
            r"(?:included|include|includes)\s+(?:[^.;:]{0,50}\band\s+)?$"
        ),
        "other",
    ),
)
"""An act named by its noun right before the count: "the abduction of 20 people", "the
execution of 43 prisoners" (what was done to them, whatever they were before), "the forced
recruitment of five children"; "the fate of 45 people" is unknown, so they are missing."""


def nominal_act(before: str) -> Metric | None:
    """The metric of an act named by its noun right before a count of people, if any."""
    for pattern, found in _NOMINAL_ACTS:
        if pattern.search(before[-90:]):
            return found
    return None


def phrase_metric(before: str, after: str, military: object) -> tuple[Metric | None] | None:
    """The metric a phrase around a count of people says (`before` and `after` the count);
    (None,) when the phrase says the count is no figure ("treated 40 people for cholera");
    None when no phrase says anything. `military`: the count is of soldiers or fighters."""
    if _TAKING.search(before[-20:]) and _WITH_THEM.match(after):
        return ("captured" if military else "detained",)  # "taking four soldiers with them"
    for pattern, found in () if military else _UNARMED_PHRASES:
        if pattern.search(before[-40:] if pattern.pattern.endswith("$") else after[:40]):
            return (found,)
    for pattern, found in _PEOPLE_PHRASES:
        if pattern.search(before[-40:] if pattern.pattern.endswith("$") else after[:40]):
            if pattern is _TREATED and (cause := _NOT_INJURY.match(after)):
                # "treated 1,300 survivors of sexual violence" are counted, not as hurt;
                # "treated 40 people for cholera" are a clinic's caseload, no figure
                return ("other",) if cause.group("cause") == "of" else (None,)
            return (found,)
    return None


_PATIENTS: Final = re.compile(r"\b(?:patients|casualties)$")
_SENT_ON: Final = re.compile(
    r"\b(?:send|sends|sent|sending|transfer|transfers|transferred|transferring|refer|refers|"
    r"referred|referring)\s+$"
)
_LOST: Final = re.compile(r"\b(?:lost|loses|lose|losing)\s+(?:(?:his|her|their|my|our)\s+)?$")


def noun_metric(before: str, counted: str, metric: Metric | None) -> Metric | None:
    """What a count's own noun says it counts, past the lexicon's metric word (`metric`):
    kin someone lost died ("he had lost two cousins", not a force's losses, killed or
    wounded); those who attack are `other` (`ATTACKERS`); patients sent on are the wounded;
    None when the noun says nothing."""
    if metric == "killed_or_wounded" and _LOST.search(before[-30:]) and KIN.search(counted):
        return "killed"
    if metric in (None, "deployed") and ATTACKERS.search(counted):
        return "other"
    if metric in (None, "deployed") and _PATIENTS.search(counted) and _SENT_ON.search(before):
        return "wounded"  # "we sent 15 patients to the city": the hurt moved on, no force
    return None


_HELD: Final = re.compile(
    r"\s*(?:and\s+[a-z-]+\s+)?(?:(?:are|were|remain|remained|still|being)\s+){1,3}"
    r"(?:in detention|in (?:(?:its|their|his|her|our)\s+)?custody|in jail|in prison|behind bars|"
    r"detained|imprisoned|jailed|held)\b"
)
_A_PEOPLE: Final = re.compile(r"\b[A-Z][a-z]+(?:ians|ans|is|ese|s)$")
"""A count named by a people ("some 23 Ukrainians", "the nine Georgians"): held, they are one side's
prisoners in the other's hands, not people the authorities arrested."""


def held(counted: str, after: str) -> Metric | None:
    """What people still held are (`counted` their words, `after` what follows): one side's
    prisoners when a people names them, else detained; None when they are not said held."""
    if not _HELD.match(after):
        return None
    return "captured" if _A_PEOPLE.search(counted) else "detained"


DIED_AFTER: Final = re.compile(
    # past where they were taken: "two of the injured airlifted to the capital later died"
    r"(?:\s+(?:flown|taken|brought|rushed|airlifted|evacuated|transferred)\b[^.;,]{0,30}?)?"
    r"\s*(?:(?:later|subsequently|since|also|then|had|have|has)\s+){0,2}(?:died|succumbed)\b"
)
"""The wounded who died since: "two of the wounded later died"."""


def within_semicolons(passage: str, quantity: Quantity) -> str:
    """The words around a count up to a semicolon: "held 12 hostage; 7 released" frees others."""
    before = passage[max(0, quantity.start - 40) : quantity.start].split(";")[-1]
    return before + passage[quantity.start : quantity.end + 40].split(";")[0]
