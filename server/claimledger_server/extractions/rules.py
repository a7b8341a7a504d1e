"""The rule-based extractor (the default `extractor` setting) — BASELINE VERSION.

This first version only attributes sentences to speakers; it is the floor the full
rule-based extractor of issue 12 replaces (same class name and path, so the setting's default
stays). What it does:

- splits the text into sentences (at `.`, `!`, `?` with closing quotes, and blank lines; an
  abbreviation such as "Dec." ends a sentence too);
- finds registry actors by any name or alias (`Gazetteer`), as whole words, anywhere;
- makes one claim of each sentence with a speech or attribution pattern: "X said/told/
  explained…", "…, said X", "according to X", and "he/she said" for the last named speaker.
  X is the run of capitalised words next to the verb; a registry name inside it is that
  actor, a lone surname is an actor the draft already named with it, else a new actor named
  by the run without leading titles and nationalities ("Ukrainian President V. Z." → "V. Z.",
  kind `person`). The claim's text is the sentence, its quote the first quoted passage in it,
  its span the sentence.

What it does not do yet: figures (no quantity parser exists in this tree), dates
(`stated_on` stays null), relays ("according to Yonhap" is taken as the claimant, not as a
relay), co-claimants, subjects, locations. It reads nothing but its arguments, and the same
input always gives the same draft."""

import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

from claimledger_server.actors.schemas import ActorKind
from claimledger_server.extractions.gazetteer import Gazetteer, KnownActor, normalize
from claimledger_server.extractions.schemas import (
    MAX_ITEMS,
    DraftActor,
    DraftClaim,
    DraftSource,
    ExtractedDraft,
    Span,
)

SPEECH_VERBS = frozenset(
    {
        *("said", "says", "told", "tells", "added", "explained", "stated", "announced"),
        *("claimed", "revealed", "warned", "insisted", "noted", "acknowledged", "confirmed"),
        *("estimated", "wrote"),
    }
)
PRONOUNS = frozenset(("he", "she"))
TITLES = frozenset(
    {
        *("president", "prime", "minister", "secretary", "spokesperson", "spokesman"),
        *("spokeswoman", "general", "chancellor", "foreign", "defence", "defense", "deputy"),
        *("chief", "commander", "ambassador", "senator", "governor", "mayor", "mr", "mrs"),
        *("ms", "dr"),
    }
)
"""Words dropped from the front of a new speaker's name; one found makes it a `person`."""
MAX_NAME_WORDS = 8
MAX_CLAIM_CHARS = 20_000

_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s)|\n\s*\n")
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{2,}?)[\"\u201d]")


class Word(NamedTuple):
    start: int
    end: int
    text: str


class _Speaker(NamedTuple):
    words: list[Word]
    pronoun: bool


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield start, match.end()
        start = match.end()
    yield start, len(text)


def _capitalised(word: Word) -> bool:
    return word.text[:1].isupper()


def _adjacent(text: str, left: Word, right: Word) -> bool:
    between = text[left.end : right.start]
    return bool(between) and between.isspace() and "\n" not in between


def _run(text: str, words: list[Word], index: int, step: int) -> list[Word]:
    """The capitalised words next to `words[index]`, walking by `step` (-1: before it)."""
    run: list[Word] = []
    i = index + step
    while 0 <= i < len(words) and len(run) < MAX_NAME_WORDS and _capitalised(words[i]):
        left, right = (words[i], words[i - step]) if step < 0 else (words[i - step], words[i])
        if not _adjacent(text, left, right):
            break
        run.append(words[i])
        i += step
    return run[::-1] if step < 0 else run


def _speaker(text: str, words: list[Word]) -> _Speaker | None:
    """Who the sentence of `words` attributes itself to, if a pattern says so."""
    lowered = [word.text.lower() for word in words]
    for i, word in enumerate(lowered):
        if word == "according" and i + 1 < len(words) and lowered[i + 1] == "to":
            found = _run(text, words, i + 1, 1)
            if found:
                return _Speaker(found, pronoun=False)
        if word not in SPEECH_VERBS:
            continue
        if i > 0 and lowered[i - 1] in PRONOUNS:
            return _Speaker([words[i - 1]], pronoun=True)
        before = _run(text, words, i, -1)
        if before:
            return _Speaker(before, pronoun=False)
        after = _run(text, words, i, 1)
        if after and text[words[i].end : after[0].start].isspace():
            return _Speaker(after, pronoun=False)
    return None


class _Draft:
    """The actors found so far, by ref, and their mentions."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.actors: dict[str, DraftActor] = {}
        self.by_registry_id: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        self.by_surname: dict[str, str] = {}

    def _add(self, name: str, kind: ActorKind | None, known: KnownActor | None) -> str:
        ref = f"a{len(self.actors) + 1}"
        actor_id = known.id if known else None
        self.actors[ref] = DraftActor(
            ref=ref, name=known.name if known else name, kind=kind, actor_id=actor_id
        )
        if known:
            self.by_registry_id[known.id] = ref
        self.by_name[normalize(name)] = ref
        words = name.split()
        if len(words) > 1:
            self.by_surname.setdefault(normalize(words[-1]), ref)
        return ref

    def known(self, actor: KnownActor, span: Span) -> str:
        ref = self.by_registry_id.get(actor.id) or self._add(actor.name, actor.kind, actor)
        self.mention(ref, span)
        return ref

    def mention(self, ref: str, span: Span) -> None:
        actor = self.actors[ref]
        if span not in actor.mentions and len(actor.mentions) < MAX_ITEMS:
            actor.mentions.append(span)

    def speaker(self, text: str, words: list[Word]) -> str:
        """The ref of the actor named by the capitalised run `words`."""
        span = Span(start=words[0].start, end=words[-1].end)
        for size in range(len(words), 0, -1):  # a registry name inside the run, longest first
            for first in range(len(words) - size + 1):
                part = words[first : first + size]
                name = text[part[0].start : part[-1].end]
                matches = self.gazetteer.lookup(name)
                if len(matches) == 1:
                    return self.known(matches[0], Span(start=part[0].start, end=part[-1].end))
        whole = normalize(text[span.start : span.end])
        ref = self.by_name.get(whole) or (self.by_surname.get(whole) if len(words) == 1 else None)
        if ref is None:
            named = words
            while len(named) > 1 and _is_title(named[0].text):
                named = named[1:]
            kind: ActorKind | None = "person" if named is not words else None
            ref = self._add(text[named[0].start : named[-1].end], kind, None)
        self.mention(ref, span)
        return ref


def _is_title(word: str) -> bool:
    lowered = word.lower()
    return lowered in TITLES or lowered.endswith(("ian", "ean", "ese", "ish"))


class RuleExtractor:
    """Claimants from speech and attribution patterns (the baseline described above)."""

    def extract(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> ExtractedDraft:
        words = [Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        draft = _Draft(gazetteer)
        self._registry_mentions(text, words, draft)
        claims: list[DraftClaim] = []
        last_speaker: str | None = None
        cursor = 0
        for start, end in _sentences(text):
            if len(claims) == MAX_ITEMS or len(draft.actors) >= MAX_ITEMS - 1:
                break  # a draft holds that many; the rest of a longer text is left out
            inside: list[Word] = []
            while cursor < len(words) and words[cursor].start < end:
                if words[cursor].start >= start:
                    inside.append(words[cursor])
                cursor += 1
            found = _speaker(text, inside)
            if found is None:
                continue
            if found.pronoun:
                if last_speaker is None:
                    continue
                ref = last_speaker
            else:
                ref = last_speaker = draft.speaker(text, found.words)
            claims.append(self._claim(text, start, end, ref, len(claims) + 1))
        return ExtractedDraft(actors=list(draft.actors.values()), claims=claims)

    @staticmethod
    def _registry_mentions(text: str, words: list[Word], draft: _Draft) -> None:
        """Every registry name or alias standing as whole words in the text, longest first."""
        i = 0
        while i < len(words) and len(draft.actors) < MAX_ITEMS // 2:  # half for speakers
            for size in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
                part = words[i : i + size]
                if size > 1 and not all(
                    text[a.end : b.start].isspace() for a, b in itertools.pairwise(part)
                ):
                    continue
                if not _capitalised(part[0]):
                    continue  # "us" is not the United States, though an alias says "US"
                matches = draft.gazetteer.lookup(text[part[0].start : part[-1].end])
                if len(matches) == 1:
                    draft.known(matches[0], Span(start=part[0].start, end=part[-1].end))
                    i += size
                    break
            else:
                i += 1

    @staticmethod
    def _claim(text: str, start: int, end: int, claimant: str, number: int) -> DraftClaim:
        sentence = text[start:end]
        lead = len(sentence) - len(sentence.lstrip())
        sentence = sentence.strip()[:MAX_CLAIM_CHARS]
        quoted = _QUOTED.search(sentence)
        span = Span(start=start + lead, end=start + lead + len(sentence))
        return DraftClaim(
            ref=f"c{number}",
            claimant_ref=claimant,
            text=sentence,
            quote=(quoted.group(1).strip(" ,") or None) if quoted else None,
            spans=[span],
        )
