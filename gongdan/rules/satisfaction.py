"""Follow-up rates (R6.3, D5).

Rates are exact fractions; they are rounded only for display, half up to
two decimals of a percent, and a rate over zero follow-ups is ``None``,
shown as "—" (D5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

RATINGS = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
}
_CONTENT = frozenset({"satisfied", "basically_satisfied"})


class FollowUp(Protocol):
    """What ``rates`` reads from a follow-up (R6.1, R6.2, D10)."""

    process: str
    result: str
    feedback: bool


@dataclass(frozen=True)
class Rates:
    """The follow-up rates of R6.3 over ``n`` follow-ups (D5).

    Each rate is an exact ``Fraction``, or ``None`` when ``n == 0``.
    """

    n: int
    feedback_rate: Fraction | None
    process: Fraction | None
    result: Fraction | None
    user: Fraction | None


def rates(followups: Iterable[FollowUp]) -> Rates:
    """Compute the R6.3 rates of the follow-ups that reached the caller.

    feedback rate = feedback ÷ N; process = [(satisfied + basically
    satisfied) ÷ N + feedback rate] ÷ 2; result = (satisfied + basically
    satisfied) ÷ N; user = process × 40% + result × 60%. Raise
    ``ValueError`` for a rating outside R6.2.
    """
    n = feedback = process_ok = result_ok = 0
    for item in followups:
        process, result = item.process, item.result
        for rating in (process, result):
            if rating not in RATINGS:
                raise ValueError(f"unknown rating: {rating!r} (R6.2)")
        n += 1
        feedback += bool(item.feedback)
        process_ok += process in _CONTENT
        result_ok += result in _CONTENT

    return rates_of_counts(n, feedback, process_ok, result_ok)


def rates_of_counts(n: int, feedback: int, process_ok: int, result_ok: int) -> Rates:
    """The R6.3 rates from their inputs: N follow-ups that reached the
    caller, those with feedback, and those satisfied or basically
    satisfied with the process and with the result."""
    if (
        min(n, feedback, process_ok, result_ok) < 0
        or max(feedback, process_ok, result_ok) > n
    ):
        raise ValueError("each count must lie between 0 and N (R6.3)")
    if n == 0:
        return Rates(0, None, None, None, None)
    feedback_rate = Fraction(feedback, n)
    process_rate = (Fraction(process_ok, n) + feedback_rate) / 2
    result_rate = Fraction(result_ok, n)
    user = process_rate * Fraction(2, 5) + result_rate * Fraction(3, 5)
    return Rates(n, feedback_rate, process_rate, result_rate, user)


def format_percent(value: Fraction | None) -> str:
    """Show a rate as a percent with two decimals, rounded half up (D5).

    ``None`` (no denominator) is shown as "—", never as 0% or 100%.
    """
    if value is None:
        return "—"

    # Hundredths of a percent, rounded half away from zero, exactly.
    scaled = Fraction(value) * 10000
    hundredths = (abs(scaled.numerator) * 2 + scaled.denominator) // (
        2 * scaled.denominator
    )
    sign = "-" if scaled < 0 and hundredths else ""
    whole, cents = divmod(hundredths, 100)
    return f"{sign}{whole}.{cents:02d}%"
