"""How a stated number bounds the true one. `low`/`high` are inclusive; None is unbounded
(or, for `unspecified`, unknown). The competing-figures summary and the `min_low`/`max_high`
filters rest on these, so every qualifier's rule is here and nowhere else."""

from claimledger_server.dates import precision_errors
from claimledger_server.errors import FieldError
from claimledger_server.figures.schemas import MAX_AMOUNT, FigureFields, Qualifier

GIVEN_BOUNDS = "vague"
"""The one qualifier whose bounds the caller gives: the words ("several hundred") carry a
magnitude but no number."""


def bounds(figure: FigureFields) -> tuple[int | None, int | None]:
    return stated_bounds(
        figure.qualifier, figure.amount, figure.amount_max, figure.low, figure.high
    )


def stated_bounds(
    qualifier: Qualifier,
    amount: int | None,
    amount_max: int | None = None,
    low: int | None = None,
    high: int | None = None,
) -> tuple[int | None, int | None]:
    """The bounds of a number as stated: `low` and `high` are the caller's, read only for
    `vague`. `POST /v1/figures/parse` derives through this too, so what it reports is what
    a stored figure gets."""
    match qualifier:
        case "unspecified":
            return None, None
        case "vague":
            return (0 if low is None else low), high
        case _ if amount is None:
            # Refused by `consistency_errors`; only reached before it runs.
            return None, None
        case "exact":
            return amount, amount
        case "approximately":
            # ±10 %, in integers: floor(0.9 N) and ceil(1.1 N), exact at any size.
            return 9 * amount // 10, -(-11 * amount // 10)
        case "nearly":
            return 9 * amount // 10, amount - 1
        case "at_least":
            return amount, None
        case "more_than":
            return amount + 1, None
        case "at_most":
            return 0, amount
        case "fewer_than":
            return 0, amount - 1
        case "range":
            return amount, amount_max
    raise AssertionError(f"unhandled qualifier {qualifier!r}")


def consistency_errors(figure: FigureFields) -> list[FieldError]:
    """Input that states no coherent number is refused rather than stored."""
    return _amount_errors(figure) or _bound_errors(figure) or _period_errors(figure)


def _amount_errors(figure: FigureFields) -> list[FieldError]:
    q = figure.qualifier
    if q in ("unspecified", GIVEN_BOUNDS):
        if figure.amount is not None:
            return [FieldError("amount", f"must be null when qualifier is {q}")]
    elif figure.amount is None:
        return [FieldError("amount", f"is required when qualifier is {q}")]
    if q == "range":
        if figure.amount_max is None:
            return [FieldError("amount_max", "is required when qualifier is range")]
        if figure.amount is not None and figure.amount_max < figure.amount:
            return [FieldError("amount_max", "must be at least amount")]
    elif figure.amount_max is not None:
        return [FieldError("amount_max", "is only allowed when qualifier is range")]
    if q in ("fewer_than", "nearly") and figure.amount == 0:
        return [FieldError("amount", f"{q.replace('_', ' ')} 0 is not a number of anything")]
    return []


def _bound_errors(figure: FigureFields) -> list[FieldError]:
    if figure.qualifier != GIVEN_BOUNDS:
        for name in ("low", "high"):
            if getattr(figure, name) is not None:
                return [
                    FieldError(
                        name,
                        f"is derived from amount when qualifier is {figure.qualifier}; give"
                        " bounds only with qualifier vague",
                    )
                ]
        _, high = bounds(figure)
        if high is not None and high > MAX_AMOUNT + 1:
            return [FieldError("amount", "is too large for its qualifier's upper bound")]
        return []
    if figure.low is None and figure.high is None:
        return [FieldError("low", "vague figures need low, high or both (e.g. 300 and 900)")]
    if figure.low is not None and figure.high is not None and figure.low > figure.high:
        return [FieldError("high", "must be at least low")]
    return []


def _period_errors(figure: FigureFields) -> list[FieldError]:
    period = figure.period
    if period is None:
        return []
    errors = precision_errors(
        "period.start", period.start, "period.start_precision", period.start_precision
    ) + precision_errors("period.end", period.end, "period.end_precision", period.end_precision)
    if not errors and period.start and period.end and period.end < period.start:
        errors.append(FieldError("period.end", "must not be before period.start"))
    return errors
