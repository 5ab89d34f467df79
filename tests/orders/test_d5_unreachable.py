"""D5: a caller the follow-up cannot reach after the configured number of
calls; the order closes as unreachable and counts apart."""

from datetime import timedelta

import pytest

from gongdan.followups.models import FollowUp
from gongdan.orders import actions
from gongdan.reports.queries import assess, quarter_period
from tests.conftest import GOOD_REPLY, bj

REACHED = dict(
    reached=True,
    contacted=True,
    consistent=True,
    feedback=True,
    false_report=False,
    process="satisfied",
    result="satisfied",
)


@pytest.fixture
def two_calls(settings):  # type: ignore[no-untyped-def]
    settings.GONGDAN_FOLLOWUP_ATTEMPTS = 2


def miss(order, cast, at):  # type: ignore[no-untyped-def]
    return actions.do_follow_up(
        order, cast.follower, reached=False, failure_reason="电话无人接听", at=at
    )


def counts(code: str, quarter: str) -> dict[str, int]:
    result = assess(quarter_period(quarter))
    return next(u for u in result.units if u.code == code).counts


def test_d5_unreachable_after_exactly_n_failed_calls(flow, cast, two_calls):
    order = flow.follow_up()

    first = miss(order, cast, bj(2026, 7, 7, 10, 0))
    order.refresh_from_db()
    assert order.state == "follow_up"
    assert first.data["attempts"] == 1 and first.data["unreachable"] is False

    second = miss(order, cast, bj(2026, 7, 8, 10, 0))

    order.refresh_from_db()
    assert order.state == "closed"
    assert order.closed_at == bj(2026, 7, 8, 10, 0)
    assert second.data["attempts"] == 2 and second.data["unreachable"] is True
    assert FollowUp.objects.filter(order=order, reached=False).count() == 2


def test_d5_default_is_three_calls(flow, cast):
    order = flow.follow_up()

    miss(order, cast, bj(2026, 7, 7, 10, 0))
    miss(order, cast, bj(2026, 7, 7, 15, 0))
    order.refresh_from_db()
    assert order.state == "follow_up"
    miss(order, cast, bj(2026, 7, 8, 10, 0))

    order.refresh_from_db()
    assert order.state == "closed"


def test_d5_attempt_count_restarts_after_redo(flow, cast, two_calls):
    order = flow.follow_up()
    miss(order, cast, bj(2026, 7, 7, 10, 0))
    mismatch = {**REACHED, "consistent": False}
    actions.do_follow_up(order, cast.follower, at=bj(2026, 7, 7, 11, 0), **mismatch)
    actions.do_submit_reply(
        order,
        cast.east_designee,
        kind="resolved",
        elements=GOOD_REPLY,
        at=bj(2026, 7, 8, 9, 0),
    )
    actions.do_judge_reply(order, cast.ops, valid=True, at=bj(2026, 7, 8, 10, 0))

    # One failed call in the new round: with two allowed, the order stays;
    # counted with the first round's miss it would have closed.
    event = miss(order, cast, bj(2026, 7, 9, 10, 0))

    order.refresh_from_db()
    assert order.state == "follow_up"
    assert event.data["attempts"] == 1
    miss(order, cast, bj(2026, 7, 9, 15, 0))
    order.refresh_from_db()
    assert order.state == "closed"


def test_d5_unreachable_counts_apart_for_its_unit_and_quarter(flow, cast, two_calls):
    order = flow.follow_up()  # 东城, received 2026-07-06

    miss(order, cast, bj(2026, 9, 30, 10, 0))
    miss(order, cast, bj(2026, 9, 30, 23, 30))  # still 2026Q3 in Beijing

    east, west = counts("EAST", "2026Q3"), counts("WEST", "2026Q3")
    assert east["unreachable"] == 1
    assert east["followed_up"] == 0
    assert west["unreachable"] == 0
    assert counts("EAST", "2026Q4")["unreachable"] == 0


def test_d5_failed_call_needs_its_reason(flow, cast):
    order = flow.follow_up()

    with pytest.raises(actions.RuleViolation) as caught:
        actions.do_follow_up(order, cast.follower, reached=False, failure_reason=" ")

    assert (caught.value.rule, caught.value.field) == ("R6.1", "failure_reason")
    assert not FollowUp.objects.filter(order=order).exists()


def test_d5_reached_call_after_misses_closes_normally(flow, cast, two_calls):
    order = flow.follow_up()
    at = order.valid_reply_at + timedelta(days=1)

    miss(order, cast, at)
    actions.do_follow_up(order, cast.follower, at=at + timedelta(hours=2), **REACHED)

    order.refresh_from_db()
    assert order.state == "closed"
    q3 = counts("EAST", "2026Q3")
    assert (q3["followed_up"], q3["unreachable"]) == (1, 0)


def test_d5_short_failure_reason_and_note_are_kept(flow, cast):
    """ "关机", "空号", "占线" are real reasons for a failed call; the agent's
    note is kept with the call and in its event (D5, R6.1)."""
    from gongdan.orders import actions
    from gongdan.rules.errors import RuleViolation

    order = flow.follow_up()
    for reason in ("关机", "空号"):
        actions.do_follow_up(
            order,
            cast.follower,
            reached=False,
            failure_reason=reason,
            note="14:00 再拨",
        )

    calls = list(order.followups.order_by("pk"))
    assert [(c.failure_reason, c.note) for c in calls] == [
        ("关机", "14:00 再拨"),
        ("空号", "14:00 再拨"),
    ]
    assert order.events.filter(action="follow_up").last().data["note"] == "14:00 再拨"
    with pytest.raises(RuleViolation) as caught:
        actions.do_follow_up(order, cast.follower, reached=False, failure_reason=" ")
    assert caught.value.field == "failure_reason"
