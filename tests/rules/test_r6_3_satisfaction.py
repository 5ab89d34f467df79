"""R6.3, D5: follow-up rates are exact fractions, shown half up."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pytest

from gongdan.rules.satisfaction import Rates, format_percent, rates


@dataclass
class Answer:
    process: str
    result: str
    feedback: bool


def test_r6_3_rates_match_hand_computed() -> None:
    followups = [
        Answer("satisfied", "satisfied", True),
        Answer("basically_satisfied", "dissatisfied", True),
        Answer("dissatisfied", "basically_satisfied", False),
        Answer("satisfied", "dissatisfied", True),
    ]

    got = rates(followups)

    # feedback 3/4; process content 3/4 -> (3/4 + 3/4) / 2 = 3/4;
    # result content 2/4 = 1/2; user = 3/4 * 2/5 + 1/2 * 3/5 = 3/10 + 3/10.
    assert got == Rates(
        n=4,
        feedback_rate=Fraction(3, 4),
        process=Fraction(3, 4),
        result=Fraction(1, 2),
        user=Fraction(3, 5),
    )


def test_r6_3_process_mixes_feedback() -> None:
    followups = [
        Answer("satisfied", "satisfied", False),
        Answer("satisfied", "satisfied", False),
        Answer("dissatisfied", "satisfied", False),
    ]

    got = rates(followups)

    # process: (2/3 + 0) / 2 = 1/3; result 1; user = 2/15 + 3/5 = 11/15.
    assert got.feedback_rate == 0
    assert got.process == Fraction(1, 3)
    assert got.result == 1
    assert got.user == Fraction(11, 15)
    assert format_percent(got.user) == "73.33%"


def test_d5_zero_followups_is_none() -> None:
    got = rates([])

    assert got == Rates(0, None, None, None, None)
    assert format_percent(got.user) == "—"


def test_r6_2_unknown_rating_refused() -> None:
    with pytest.raises(ValueError):
        rates([Answer("very_satisfied", "satisfied", True)])
    with pytest.raises(ValueError):
        rates([Answer("satisfied", "满意", True)])


def test_d5_percent_two_decimals_half_up() -> None:
    assert format_percent(Fraction(2, 3)) == "66.67%"
    assert format_percent(Fraction(1, 3)) == "33.33%"
    assert format_percent(Fraction(1, 8)) == "12.50%"
    assert format_percent(Fraction(1)) == "100.00%"
    assert format_percent(Fraction(0)) == "0.00%"


def test_d5_exact_half_rounds_up() -> None:
    """1/800 is exactly 0.125 %; half-even would give 0.12 %."""
    assert format_percent(Fraction(1, 800)) == "0.13%"
    assert format_percent(Fraction(5, 800)) == "0.63%"
    # 0.12345 is 12.345 % exactly; a float would see 12.3449999...
    assert format_percent(Fraction(12345, 100000)) == "12.35%"
