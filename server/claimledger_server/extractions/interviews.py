"""Interviews printed as questions and answers.

In a "Q: … / A: …" layout no answer names its speaker: every answer is the interviewee's,
whom the introduction names ("X spoke by phone on Monday with Name, the district's
commissioner"), and it was said when the interview took place. The questions are the
interviewer's; what a question puts to the interviewee is no claim of the outlet."""

import re
from typing import Final, NamedTuple

_QUESTION: Final = re.compile(r"^[ \t]*(?:Q|Question)[ \t]*[:.\u2014-]", re.MULTILINE)
_ANSWER: Final = re.compile(r"^[ \t]*(?:A|Answer)[ \t]*[:.\u2014-][ \t]*", re.MULTILINE)
_NAME: Final = (
    r"(?P<name>[A-Z][\w'\u2019-]+(?:\s+(?:bin|al|el|de|van|von)?\s*[A-Z][\w'\u2019-]+){1,3})"
)
_INTERVIEWEE: Final = re.compile(
    r"\b(?:spoke|speaks|talked|talks|interview|conversation|sat down)\b[^.\n]{0,60}?\bwith\s+"
    + _NAME
    + r"|\binterviewed\s+"
    + _NAME.replace("name", "name2")
)


class Interview(NamedTuple):
    interviewee: tuple[int, int]
    """Where the introduction names the person who answers."""
    occasion: tuple[int, int]
    """The sentence that names the interviewee, up to the name: where the interview is dated
    ("spoke by phone on Monday with …")."""
    answers: list[tuple[int, int]]
    """Each answer's paragraph, from its "A:" to the next question or paragraph."""


def interview(text: str) -> Interview | None:
    """The Q&A layout of `text`, if it has one: at least two questions and two answers, and
    an introduction that names whom they were put to."""
    questions = list(_QUESTION.finditer(text))
    answers = list(_ANSWER.finditer(text))
    if len(questions) < 2 or len(answers) < 2:
        return None
    first = questions[0].start()
    named = _INTERVIEWEE.search(text, 0, first)
    if named is None:
        return None
    group = "name" if named.group("name") else "name2"
    starts = sorted([q.start() for q in questions] + [len(text)])
    spans = []
    for answer in answers:
        following = next(s for s in starts if s > answer.start())
        paragraph_end = text.find("\n\n", answer.end())
        end = min(following, paragraph_end if paragraph_end >= 0 else len(text))
        spans.append((answer.start(), end))
    sentence_start = max(
        text.rfind(". ", 0, named.start()) + 2, text.rfind("\n", 0, named.start()) + 1
    )
    return Interview(named.span(group), (sentence_start, named.start(group)), spans)


FIRST_PERSON: Final = frozenset({"i", "we"})
"""Who an answer's own "I was told", "we counted" name: the interviewee."""


def answer_at(found: Interview | None, start: int) -> bool:
    """Whether the sentence starting at `start` is part of an answer."""
    return found is not None and any(a <= start < b for a, b in found.answers)
