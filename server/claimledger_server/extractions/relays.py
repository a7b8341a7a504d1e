"""Relays: the outlet that passed a claimant's words on ("according to Yonhap", "told
Reuters", "told the Ukrainian broadcaster Suspilne", "…, TASS reported", "as per a report in
NBC News", "cited by the National News Agency", "Saba news agency said, citing a local
official"), and the phrases of a sentence that may name one.

An outlet is a registry actor of kind `media_outlet`, or a name that reads as one (a wire
service, "… News", "… TV", "… news agency", "state media"…). The text's own publisher is
never a relay ("told Global Desk"): the source already is that publisher; nor is the
claimant's own channel ("in a statement carried by its media outlet")."""

import re
from typing import Final

from claimledger_server.extractions.gazetteer import Gazetteer, normalize
from claimledger_server.extractions.speaker_phrases import phrase_until_boundary, trim
from claimledger_server.extractions.speakers import ACCORDING
from claimledger_server.extractions.speech_verbs import VERB

WIRES: Final = frozenset(
    {
        *("reuters", "ap", "associated press", "afp", "agence france-presse", "bbc"),
        *("cnn", "al jazeera", "al arabiya", "yonhap", "tass", "ria novosti", "interfax"),
        *("xinhua", "kyodo", "dpa", "nbc", "abc", "cbs", "fox news", "sky news", "axios"),
        *("the new york times", "new york times", "the washington post", "washington post"),
        *("the guardian", "guardian", "politico", "bloomberg", "the wall street journal"),
        *("wall street journal", "the times", "le monde", "der spiegel", "anadolu", "wafa"),
        *("ukrinform", "kyiv independent", "meduza", "rfe/rl", "radio free europe"),
        *("ria", "rbc", "kommersant", "izvestia", "rt", "sputnik", "mediazona", "unian"),
        *("ukrainska pravda", "suspilne", "hromadske", "kcna", "nhk", "cctv", "global times"),
        *("al masirah", "saba", "sana", "irna", "tasnim", "fars", "mehr", "isna", "al mayadeen"),
        *("al manar", "al-manar", "al-masirah", "al-mayadeen", "al araby", "al-araby"),
        *("asharq al-awsat", "ma'an", "trt", "rudaw", "kurdistan24", "haaretz", "ynet"),
        *("times of israel", "jerusalem post", "the times of israel", "the jerusalem post"),
        *("i24news", "kan", "channel 12", "channel 13", "the national", "middle east eye"),
        *("irrawaddy", "the irrawaddy", "myanmar now", "mizzima", "dvb", "radio free asia"),
        *("rfa", "global new light of myanmar", "ebc", "fana", "addis standard"),
        *("sudan tribune", "radio dabanga", "the east african", "daily nation", "rfi"),
        *("france 24", "jeune afrique", "dw", "deutsche welle", "voa", "voice of america"),
        *("npr", "pbs", "euronews", "efe", "ansa", "pap", "the economist", "financial times"),
        *("the financial times", "the telegraph", "the independent", "the hill", "usa today"),
        *("los angeles times", "abc news", "cbs news", "nbc news", "cnn international"),
        *("the associated press", "agence france presse", "al jazeera english", "anadolu agency"),
    }
)
"""Outlets named in conflict reporting, whatever their names' words say."""
_OUTLET_WORDS = re.compile(
    r"\b(?:news|agency|tv|television|r[aá]dio|times|post|press|herald|gazette|journal|"
    r"tribune|channel|broadcaster|newspaper|daily|outlet|wire|voice|observer|courier|"
    r"chronicle|standard|telegraph|guardian|mail|express|mirror|bulletin|dispatch|ledger|"
    r"sentinel|examiner|inquirer|magazine|weekly|broadcasting|fm)\b",
    re.IGNORECASE,
)
_STATE_MEDIA = re.compile(
    r"\b(?:(?i:state|state-run|state-owned|state-controlled|government-run|official|local|"
    r"national|independent|pro-government)|(?!Social\b)[A-Z][a-z]+(?:-language)?)\s+(?i:media)\b"
    r"(?!\s+(?i:office))"
)
"""Media named by who runs them ("Chinese state media", "local media") or by their country
or language ("Israeli media", "Arabic-language media"): outlets, though no word of an outlet's name
says so; a "media office" is a body's press office."""
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
    if _STATE_MEDIA.search(name):
        return True
    if not any(word[:1].isupper() for word in name.split()) or _AGENCY_NOT_OUTLET.search(name):
        return False
    return _OUTLET_WORDS.search(name) is not None


NAME_JOINER: Final = r"(?:(?:of|de|del|della|da|do|dos|das|du|des|la|le|el|al)\s+(?:the\s+)?)"
"""Lower-case words inside a name ("Voice of the Delta", "La Voz del Valle")."""
WHO_RUNS_IT: Final = r"[a-z]+-(?:run|based|backed|owned|linked|affiliated|controlled|aligned)"
"""Who runs or hosts an outlet, before its name: "the exile-run X", "the diaspora-run Y"."""
_OUTLET_DESCRIPTION = (
    r"(?:(?:[A-Z][\w'.&-]*|state(?:-run|-owned)?|independent|local|public|private|online|"
    r"regional|national|daily|weekly|pan-Arab|Kremlin-backed|pro-Kremlin|exile|exiled|"
    r"diaspora|opposition|community|satellite|commercial|underground|" + WHO_RUNS_IT + r")\s+)*"
    r"(?:broadcaster|newspaper|news\s+agency|news\s+outlet|outlet|channel|television|"
    r"(?:(?:radio|television|TV|news|broadcast)\s+)?network|"
    r"(?:radio|TV|television)\s+(?:station|channel)|station|"
    r"radio|daily|weekly|website|news\s+site|news\s+portal|magazine|TV)\s+"
)
_NAME_DIGITS_END = (
    r"(?=['\u2019]s\b|[,;:)]|\.(?!\d)|$|\s+(?:radio|station|channel|TV|television|newspaper|"
    r"broadcaster|programme|program|show|by|on|in|that|last|this|earlier)\b)"
)
"""Where digits that end an outlet's name stop ("told Radio Delta 98 on Monday", "speaking to
Zoria 24's evening programme"): not before a noun they count ("told Reuters 15 people had
died"), nor a frequency ("Radio Sahel 98.5 FM")."""
_TOLD_WHOM = re.compile(
    r"\s+(?:the\s+)?"
    # whose outlet it is, or which of its services: "Russia's RIA Novosti", "the Amharic
    # service of Voice of the Horn Radio"
    r"(?:[A-Z][\w.-]*['\u2019]s\s+|[A-Z][\w-]*\s+(?:language\s+)?(?:service|desk|edition)"
    r"\s+of\s+(?:the\s+)?)?"
    # who runs it, before a name that is not a description: "the state-run Kivu News Agency"
    r"(?:(?:[a-z]+-(?:run|based|backed|owned|linked|affiliated|controlled|aligned)|"
    r"privately\s+owned|independent|pro-government|opposition)\s+(?=[A-Z]))?"
    r"((?:" + _OUTLET_DESCRIPTION + r")?[A-Z][\w'.&-]*(?:\s+" + NAME_JOINER + r"?[A-Z][\w'.&-]*)*"
    r"(?:\s+\d{1,4}" + _NAME_DIGITS_END + r")?)"
    r"(?P<kind>\s+(?:news\s+agency|news\s+site|news\s+outlet|newspaper|broadcaster|"
    r"(?:radio|television|TV)\s+(?:station|channel)|television|TV|channel|daily|website|"
    r"radio))?"
)


def told_whom(text: str, after: int, end: int) -> tuple[int, int] | None:
    """ "told Reuters by phone", "told the Ukrainian broadcaster Suspilne": the name right
    after "told", with the words that say it is an outlet."""
    match = _TOLD_WHOM.match(text, after, end)
    if match is None:
        return None
    first, last = match.start(1), match.end(1)
    owner = _OWNER.search(text, after, first)
    if owner is not None and _GENERIC_NAME.fullmatch(match.group(1)):
        first = owner.start()  # "told Marnia's National Radio": the country's is its name
    if match.group("kind") and normalize(match.group(1)) not in WIRES:
        last = match.end("kind")  # "told the state-run Garowe news agency"
    while text[last - 1] == "." and not re.search(r"\b[A-Z]\.$", text[match.start(1) : last]):
        last -= 1  # "told Harbor Times." ends the sentence; "U.S." keeps its point
    return first, last


_OWNER: Final = re.compile(r"[A-Z][\w.-]*['\u2019]s\s+$")
_GENERIC_NAME: Final = re.compile(
    r"(?:(?:Public|National|State|Radio|Television|TV|Broadcasting|Corporation|News|Agency|"
    r"Channel|Service)\s*)+"
)
"""An outlet's name made only of what it is ("Public Radio", "National Television"): whose it
is, before it, is part of its name ("Armenia's Public Radio"), unlike "Russia's RIA Novosti"."""


_REPORTED_AFTER = re.compile(
    r",\s+(?:the\s+|a\s+)?(?P<who>[^,;\"\u201c\u201d]{2,80}?)\s+"
    r"(?:reported|reports|said|says|wrote|quoted|added)\b"
)


def reported_by(text: str, after: int, end: int) -> tuple[int, int] | None:
    """ "X said the town fell, Russia's state news agency TASS reported": the phrase before
    a speech verb that ends the sentence, after the claimant's own words."""
    found = None
    for match in _REPORTED_AFTER.finditer(text, after, end):
        found = match
    if found is None:
        return None
    rest = text[found.end() : end]
    if rest.strip(" .,\"'\u201d") != "" and not _CITING_REST.match(rest):
        return None  # an outlet's "reported, citing an officer" still ends the sentence
    return trim(text, found.start("who"), found.end("who"))


_CITING_REST = re.compile(r"\s*,\s*citing\s")
_RELAYED_BY = re.compile(
    r"\b(?:(?:relayed|published|carried|released|quoted|cited)(?:\s+as\s+saying)?|as\s+reported)"
    r" by\s+"
)
"""An outlet that passed words on, after the words ("quoted by", "was quoted as saying by",
"as reported by"; "deaths reported by two sources" names informants, not a relay)."""


_OWN_CHANNEL = re.compile(r"(?:its|their|his|her|our)\s", re.IGNORECASE)
"""A channel the claimant owns ("carried by its Az-Zallaqa media outlet"): no relay."""


_UNNAMED_OUTLETS = re.compile(
    r"(?:several|many|some|various|multiple|numerous|other|a\s+number\s+of)\s+"
    r"(?:[a-z-]+\s+){0,2}(?:outlets|media|websites|sites|channels|newspapers|stations)\b"
)
"""Outlets counted but not named: no relay can be recorded."""


def explicit_relay(text: str, start: int, end: int) -> tuple[int, int] | None:
    """ "in a message relayed by the SITE Intelligence Group": a relay whatever its kind,
    unless it is the claimant's own channel ("carried by its media outlet")."""
    match = _RELAYED_BY.search(text, start, end)
    if match is None or _OWN_CHANNEL.match(text, match.end(), end):
        return None
    if _UNNAMED_OUTLETS.match(text, match.end(), end):
        return None  # "relayed by several local outlets" names no outlet to record
    # "a source cited by the site X put the toll at …": the relay ends where its subject speaks
    verb = VERB.search(text, match.end(), end)
    return phrase_until_boundary(text, match.end(), verb.start() if verb else end)


_PER_OUTLET: Final = re.compile(r",\s+(?:as\s+)?per\s+(?=(?:the\s+)?[A-Za-z])")
"""An outlet after "per" that ends a sentence ("…, per the state news agency X"): "per" as
"according to"; "per cent" and "per day" have no comma before them."""
_READ_ON_AIR: Final = re.compile(
    r"\b(?:read\s+(?:out\s+)?|aired\s+|broadcast\s+)on\s+(?=(?:the\s+)?(?:[a-z-]+\s+){0,3}"
    r"(?:broadcaster|television|TV|radio|channel|station)\s+[A-Z]|"
    r"(?:[A-Z][\w'-]*\s+)+(?:TV|Radio|Television)\b)"
)
"""A statement "read on the state broadcaster X" or "aired on Y TV": the outlet, named, relays
it; "read on state television", unnamed, is the government's own channel."""


def relay_after_according(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The phrase after "according to" or "as per a report in" in the sentence."""
    for pattern in (
        _RELAYED_BY,
        re.compile(r"\bas per a report (?:in|by|from)\s+", re.IGNORECASE),
        re.compile(r"\baccording to a report (?:in|by|from)\s+", re.IGNORECASE),
        ACCORDING,
        re.compile(r"\bin an interview with\s+", re.IGNORECASE),
        _PER_OUTLET,
        _READ_ON_AIR,
    ):
        if (match := pattern.search(text, start, end)) is not None:
            if _OWN_CHANNEL.match(text, match.end(), end) or _UNNAMED_OUTLETS.match(
                text, match.end(), end
            ):
                continue
            return phrase_until_boundary(text, match.end(), end)
    return None


_OUTLET_AGAIN = re.compile(
    r"\b(?:told|speaking to|said to|interview with|called|phoned|wrote to)\s+"
    r"(the\s+(?:station|broadcaster|radio|newspaper|paper|channel|outlet))\b"
)
"""An outlet named again by what it is ("told the station", "listeners who called the
station"): the words say it is an outlet, and the text named it before."""


def outlet_named_again(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The definite description of an outlet a speaker told or was called on, if any."""
    match = _OUTLET_AGAIN.search(text, start, end)
    return None if match is None else match.span(1)


_OUTLET_NAME: Final = re.compile(
    r"[A-Z\u00c0-\u00de][\w'.&-]*(?:(?<![a-z]{2}\.)[ \t]+(?:(?i:de|del|da|do|of|the)[ \t]+)?"
    r"[A-Z\u00c0-\u00de][\w'.&-]*)*(?:(?<![a-z]{2}\.)[ \t]+\d{1,4}(?!\d)" + _NAME_DIGITS_END + r")?"
)
"""A name of capitalised words, and digits that end it ("Radio Delta 98"); a sentence's full
stop ends it ("… Service. Quotes are")."""
DESCRIBED_OUTLET: Final = re.compile(
    r"\b(?:channel|station|broadcaster|newspaper|radio|television|TV|outlet|website)[ \t]+"
    r"(?P<name>[A-Z\u00c0-\u00de][\w'&-]*(?:[ \t]+(?:[A-Z\u00c0-\u00de][\w'&-]*|\d{1,3}\b))*)"
)
"""An outlet its description names ("the private channel Zoria 7", "station Radio Delta"),
whatever its name's words say, digits and all."""
OUTLET_ANAPHOR: Final = re.compile(
    r"(?:[Tt]he\s+)?(?:same\s+)?(?:station|radio station|radio|broadcaster|channel|newspaper|paper)"
)
"""An outlet named again by what it is: "the station said", "the broadcaster reported"."""
_ON_AIR: Final = re.compile(
    r"\b(?:[Oo]n|[Ii]n|[Dd]uring|to)\s+(?:the\s+same\s+|the\s+|its\s+|an?\s+)?"
    r"(?:[\w'\u2019\"\u201c\u201d-]+\s+){0,4}?(?:bulletin|programme|program|phone-in|broadcast|"
    r"talk show)\b"
)
"""Said on an outlet's air ("speaking on the same bulletin", "a caller to Sunday's phone-in"):
the outlet relays whoever it puts on air."""
_BROADCAST: Final = re.compile(r"bulletin|program|phone-in|broadcast|talk show")


def on_air(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` says it was said on an outlet's air."""
    return _BROADCAST.search(text, start, end) is not None and (
        _ON_AIR.search(text, start, end) is not None
    )


_READ_OUT: Final = re.compile(
    r"\b(?:read|aired|broadcast|carried|published|relayed)\s+(?:out\s+)?(?:a|an|the)\s+"
    r"(?:[\w-]+\s+)?(?:statement|message|communiqu[eé]|letter|video)\s+(?:from|by)\s+"
    r"(?P<who>[^,;:\"\u201c\u201d]{2,80}?)(?:\s*,?\s+saying\b|\s*,\s+(?:who|which)\s+said\b)"
)
"""An outlet that read out, aired or carried someone's statement: "the station read a
statement from X saying …", "it carried a statement by X, who said …"."""


Span = tuple[int, int]


def last_outlet(text: str, before: int, gazetteer: Gazetteer, publisher: str | None) -> Span | None:
    """The outlet the text named last before `before` (in a sentence, a dateline or a section's
    heading), other than its own publisher: whom "the station" names again."""
    found = None
    for match in _OUTLET_NAME.finditer(text, 0, before):
        end = match.end() - 1 if re.search(r"[a-z]{2}\.$", match.group()) else match.end()
        name = text[match.start() : end]
        if name != publisher and is_outlet(name, gazetteer):
            found = (match.start(), end)
    for described in DESCRIBED_OUTLET.finditer(text, 0, before):
        if described.group("name") != publisher and (found is None or described.start() > found[0]):
            found = described.span("name")
    return found


def statement_read(text: str, start: int, end: int) -> tuple[Span, Span] | None:
    """ "The station read a statement from the army saying …": the statement's author (who
    speaks) and the subject that read it out (who relays it)."""
    read = _READ_OUT.search(text, start, end)
    if read is None:
        return None
    author = trim(text, *read.span("who"))
    reader = trim(text, _reader_start(text, start, read.start()), read.start())
    return None if author is None or reader is None else (author, reader)


def _reader_start(text: str, start: int, verb: int) -> int:
    """Where the subject before the verb begins: after the sentence's last comma before it."""
    return max(start, text.rfind(",", start, verb) + 1)
