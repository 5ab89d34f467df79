"""R6.3, D5, R3.6, R4.6: the quarterly figures, worked out by hand."""

import json
from fractions import Fraction
from io import StringIO

from django.core.management import call_command

from gongdan.orders import actions
from gongdan.reports.queries import assess, quarter_period
from tests.conftest import bj

BASE = dict(contacted=True, consistent=True, false_report=False)


def build_quarter(flow, cast):  # type: ignore[no-untyped-def]
    """Four 东城 orders of 2026Q3: two followed up, one unreached, one late."""
    a = flow.follow_up(received_at=bj(2026, 7, 6, 9, 0))
    actions.do_follow_up(
        a,
        cast.follower,
        reached=True,
        process="satisfied",
        result="satisfied",
        feedback=True,
        at=bj(2026, 7, 7, 10, 0),
        **BASE,
    )
    b = flow.follow_up(received_at=bj(2026, 8, 3, 9, 0))
    actions.do_follow_up(
        b,
        cast.follower,
        reached=True,
        process="basically_satisfied",
        result="dissatisfied",
        cause="objective",
        feedback=False,
        at=bj(2026, 8, 4, 10, 0),
        **BASE,
    )
    c = flow.handling(received_at=bj(2026, 9, 1, 9, 0))
    d = flow.follow_up(received_at=bj(2026, 9, 2, 9, 0))
    actions.do_follow_up(
        d,
        cast.follower,
        reached=False,
        failure_reason="无人接听",
        at=bj(2026, 9, 3, 10, 0),
    )
    flow.handling(received_at=bj(2026, 10, 8, 9, 0))  # next quarter: not counted
    return a, b, c, d


def test_r6_3_unit_figures_match_hand_computation(flow, cast):
    a, b, c, d = build_quarter(flow, cast)

    result = assess(quarter_period("2026Q3"))
    units, total = result.units, result.total

    east = next(u for u in units if u.code == "EAST").as_dict()
    assert east["received"] == 4
    assert east["completed"] == 3
    assert east["on_time"] == 3
    assert east["overdue"] == 1
    assert east["redo"] == 0
    assert east["followed_up"] == 2
    # N = 2 reached; feedback 1 of 2; process (2/2 + 1/2) / 2; result 1/2.
    assert east["feedback_rate"] == Fraction(1, 2)
    assert east["process_satisfaction"] == Fraction(3, 4)
    assert east["result_satisfaction"] == Fraction(1, 2)
    assert east["user_satisfaction"] == Fraction(3, 5)
    assert total.as_dict()["received"] == 4


def test_d5_unit_without_followups_has_no_rate(flow, cast):
    build_quarter(flow, cast)

    units = assess(quarter_period("2026Q3")).units

    west = next(u for u in units if u.code == "WEST").as_dict()
    assert west["received"] == 0
    assert west["user_satisfaction"] is None


def test_r4_6_report_command_json(flow, cast):
    build_quarter(flow, cast)
    out = StringIO()

    call_command("report", quarter="2026Q3", format="json", stdout=out)

    data = json.loads(out.getvalue())
    assert data["period"] == "2026Q3"
    east = next(u for u in data["units"] if u["unit"] == "EAST")
    assert east["overdue"] == 1
    assert east["user_satisfaction"] == 0.6
    assert east["process_satisfaction"] == 0.75
    west = next(u for u in data["units"] if u["unit"] == "WEST")
    assert west["feedback_rate"] is None
    assert data["total"]["received"] == 4


def test_r6_3_table_shows_dash_for_undefined(flow, cast):
    build_quarter(flow, cast)
    out = StringIO()

    call_command("report", quarter="2026Q3", format="table", stdout=out)

    lines = out.getvalue().splitlines()
    east = next(line for line in lines if line.startswith("东城供水分公司"))
    west = next(line for line in lines if line.startswith("西城供水分公司"))
    assert east.endswith("50.00%\t75.00%\t50.00%\t60.00%")
    assert west.endswith("—\t—\t—\t—")


def test_r4_5_accepted_caller_delay_reported_apart(flow, cast):
    """Completed late for the caller's reasons: not on time, not overdue,
    counted as a caller delay (R4.5, D4)."""
    flow.caller_delayed(accepted=True, received_at=bj(2026, 7, 6, 9, 0))

    units = assess(quarter_period("2026Q3")).units

    east = next(u for u in units if u.code == "EAST").as_dict()
    assert (east["completed"], east["on_time"], east["overdue"]) == (1, 0, 0)
    assert east["caller_delay"] == 1
