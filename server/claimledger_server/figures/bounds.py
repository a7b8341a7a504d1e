"""How a stated number bounds the true one. `low`/`high` are inclusive; None is unbounded
(or, for `unspecified`, unknown). The competing-figures summary and the `min_low`/`max_high`
filters rest on these, so every qualifier's rule is here and nowhere else."""

from claimledger_server.errors import FieldError
from claimledger_server.figures.schemas import FigureFields


def bounds(figure: FigureFields) -> tuple[int | None, int | None]:
    amount = figure.amount
    match figure.qualifier:
        case "unspecified":
            return None, None
        case "exact" | "approximately":
            return amount, amount
        case "at_least":
            return amount, None
        case "more_than":
            return None if amount is None else amount + 1, None
        case "at_most":
            return 0, amount
        case "fewer_than":
            return 0, None if amount is None else amount - 1
        case "range":
            return amount, figure.amount_max
    raise AssertionError(f"unhandled qualifier {figure.qualifier!r}")


def consistency_errors(figure: FigureFields) -> list[FieldError]:
    """Input that states no coherent number is refused rather than stored."""
    q = figure.qualifier
    if q == "unspecified":
        if figure.amount is not None:
            return [FieldError("amount", "must be null when qualifier is unspecified")]
    elif figure.amount is None:
        return [FieldError("amount", f"is required when qualifier is {q}")]
    if q == "range":
        if figure.amount_max is None:
            return [FieldError("amount_max", "is required when qualifier is range")]
        if figure.amount is not None and figure.amount_max < figure.amount:
            return [FieldError("amount_max", "must be at least amount")]
    elif figure.amount_max is not None:
        return [FieldError("amount_max", "is only allowed when qualifier is range")]
    if q == "fewer_than" and figure.amount == 0:
        return [FieldError("amount", "fewer than 0 is not a number of anything")]
    period = figure.period
    if period and period.start and period.end and period.end < period.start:
        return [FieldError("period.end", "must not be before period.start")]
    return []
