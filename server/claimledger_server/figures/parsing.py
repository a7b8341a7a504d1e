"""POST /v1/figures/parse: the quantity phrases of a text, read as figures would store them
(`extraction/quantities.py` does the reading)."""

from typing import Annotated

import anyio.to_thread
import msgspec
from litestar import post
from litestar.openapi.spec import Example
from litestar.params import Body

from claimledger_server.errors import ApiError, FieldError
from claimledger_server.openapi_docs import problems
from claimledger_server.text.quantities import Quantity, find_quantities

MAX_PARSE_CHARS = 100_000
"""The longest text parsed, in characters (Unicode code points); a longer one is a 413.
About 16,000 words: many times a news article."""


class ParseRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A text to find quantity phrases in: at most 100,000 characters."""

    text: str
    """The text to read: at most 100,000 characters (a longer one is a 413)."""


class ParsedFigures(msgspec.Struct):
    """The quantity phrases of a text, in the order they start."""

    figures: list[Quantity]
    """Every quantity phrase of the text, in the order they start."""


_EXAMPLE = {
    "text": "Zelenskyy said over 3,000 North Korean soldiers were killed or wounded in the"
    " Kursk region; the 155th Brigade lost about 15% of its men on December 23."
}


@post(
    "/parse",
    operation_id="parseFigures",
    summary="Find the quantity phrases of a text, read as figures",
    description="Reads a text and returns every quantity phrase in it with its span"
    " (`start`, `end`: Unicode code points into `text`), its `kind`, and for counts the"
    " figure fields — `qualifier`, `amount`, `amount_max`, `unit` — with the `low`/`high`"
    ' a figure stored with those fields gets (the same rules derive both): "over 3,000'
    ' soldiers" is `more_than` 3000, `low` 3001; "larger than twenty and less or equal'
    ' than thirty five" is `range` 21-35; "several hundred" is `vague` 300-900 (DESIGN\'s'
    " lexicon). `metric` is what the words next to a count say is counted (killed,"
    " wounded…), null when they say nothing.\n\n"
    'Years, dates, times, ages, ordinals and designations ("155th Brigade", "T-72") are'
    " not returned; percentages, money, distances, areas, weights, volumes, durations and"
    " speeds come back with their `kind` and `unit`, never as a count, and without bounds.\n\n"
    "Nothing is stored; the same text always parses the same. Texts longer than 100,000"
    " characters are refused with 413.",
    status_code=200,
    opt={"scope": "read"},
    responses=problems(413, 422),
)
async def parse_figures(
    data: Annotated[ParseRequest, Body(examples=[Example(summary="Example", value=_EXAMPLE)])],
) -> ParsedFigures:
    if (length := len(data.text)) > MAX_PARSE_CHARS:
        raise ApiError(
            413,
            "payload-too-large",
            f"The text is {length:,} characters long; at most {MAX_PARSE_CHARS:,} are parsed.",
            errors=[FieldError("text", f"is longer than {MAX_PARSE_CHARS:,} characters")],
        )
    # CPU work (measured: 3 ms for 1,000 words, 80 ms at the 100,000-character limit): in a
    # worker thread, so a long text does not hold up the event loop's other requests.
    found = await anyio.to_thread.run_sync(find_quantities, data.text)
    return ParsedFigures(figures=found)
