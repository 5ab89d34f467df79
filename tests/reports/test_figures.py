"""Every figure of the assessment on small data, worked out by hand.

Each fact counts in the period of its own moment, for the unit that held
the order at that moment (docs/assessment.md). The orders below are
water-hotline leak reports received Monday 2026-07-06 09:00 unless said
otherwise: 7 working days (7, 8, 9, 10, 13, 14, 15 July) give a due
time of 24:00 on 15 July, stored as 2026-07-16 00:00.
"""

from datetime import timedelta
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command

from gongdan.orders import actions, procedures
from gongdan.orders.demo import tiny_pdf, tiny_png
from gongdan.reports.facts import INSTANT, check_all
from gongdan.reports.models import Fact
from gongdan.reports.queries import (
    FIGURES,
    INPUTS,
    assess,
    date_period,
    figure_facts,
    quarter_period,
)
from tests.conftest import GOOD_REPLY, bj
from tests.orders.test_r3_7_commitments import SHORT
from tests.orders.test_r5_4_return import RETURN

Q3 = quarter_period("2026Q3")
Q4 = quarter_period("2026Q4")
DUE = bj(2026, 7, 16, 0, 0)
LATER = bj(2026, 12, 1, 9, 0)  # a "now" long after every due time below
# An order of 西城区 that the hotline sent to 东城 by mistake.
IN_WEST = {"district": "西城区", "address": "西城区西门路8号"}
FOLLOWED = dict(contacted=True, consistent=True, false_report=False, feedback=True)


def counts(period, code, now=LATER):  # type: ignore[no-untyped-def]
    result = assess(period, now)
    return result.row(code).counts  # type: ignore[union-attr]


def reply(order, user, at):  # type: ignore[no-untyped-def]
    actions.do_submit_reply(order, user, kind="resolved", elements=GOOD_REPLY, at=at)


def ready_at_west(order, cast, at):  # type: ignore[no-untyped-def]
    """West accepts a transferred order, calls and visits the caller."""
    actions.do_accept(order, cast.west_designee, at=at)
    actions.do_record_contact(
        order, cast.west_staff, method="phone", outcome="约定上门", at=at
    )
    actions.do_record_site_visit(
        order, cast.west_staff, findings="现场确认渗漏。", at=at
    )
    actions.do_attach_evidence(
        order, cast.west_staff, name="现场.png", content=tiny_png(3), at=at
    )


# --- received and dispatch (R1.3) ---------------------------------------------


def test_r1_3_received_counts_when_dispatched(flow, cast):
    """Received at 23:50 on 30 September, dispatched at 00:10 on 1 October:
    the unit received it in the fourth quarter."""
    order = flow.register(received_at=bj(2026, 9, 30, 23, 50))

    actions.do_dispatch(order, cast.agent, cast.east, at=bj(2026, 10, 1, 0, 10))

    assert counts(Q3, "EAST")["received"] == 0
    assert counts(Q4, "EAST")["received"] == 1


def test_r1_3_dispatch_delay_of_the_prompt_hotlines(flow, cast, settings):
    """Citizen hotline 5 minutes, construction hotline 45 minutes, water
    hotline 90 minutes (not a prompt hotline: not in the delay figures)."""
    settings.GONGDAN_DISPATCH_DELAY_MINUTES = 30
    for source, minutes in (
        ("citizen_hotline", 5),
        ("construction_hotline", 45),
        ("water_hotline", 90),
    ):
        order = flow.register(source=source, received_at=bj(2026, 7, 6, 9, 0))
        at = bj(2026, 7, 6, 9, 0) + timedelta(minutes=minutes)
        actions.do_dispatch(order, cast.agent, cast.east, at=at)

    east = assess(Q3, LATER).row("EAST")

    assert east.counts["received"] == 3  # type: ignore[union-attr]
    assert east.counts["dispatched"] == 2  # type: ignore[union-attr]
    assert east.counts["dispatch_late"] == 1  # type: ignore[union-attr]
    assert east.dispatch_minutes == 25  # type: ignore[union-attr]  # (5 + 45) / 2
    settings.GONGDAN_DISPATCH_DELAY_MINUTES = 50
    assert counts(Q3, "EAST")["dispatch_late"] == 0


# --- completion, on time, overdue (R3.1, R3.6, R4.6, D4) ---------------------


def test_r3_1_transfer_moves_later_facts_not_earlier(flow, cast):
    """东城 received it and passed it on; 西城 replied: 东城 keeps the
    receipt, 西城 has the completion, in time."""
    order = flow.handling(**IN_WEST)
    actions.do_transfer(
        order, cast.east_designee, cast.west, "属西城辖区", at=bj(2026, 7, 6, 11, 0)
    )
    ready_at_west(order, cast, bj(2026, 7, 7, 9, 0))
    reply(order, cast.west_designee, bj(2026, 7, 8, 9, 0))
    actions.do_judge_reply(order, cast.ops, valid=True, at=bj(2026, 7, 8, 10, 0))

    east, west = counts(Q3, "EAST"), counts(Q3, "WEST")

    assert (east["received"], east["completed"], east["on_time"]) == (1, 0, 0)
    assert (west["received"], west["completed"], west["on_time"]) == (0, 1, 1)
    assert counts(Q3, "TOTAL")["received"] == 1


def test_r3_6_overdue_counts_for_the_unit_holding_it_at_its_due_time(flow, cast):
    """东城 let the due time pass, then passed it to 西城, who replied late:
    the overdue is 东城's; the late completion is 西城's, not on time."""
    order = flow.handling(**IN_WEST)
    actions.do_transfer(
        order, cast.east_designee, cast.west, "属西城辖区", at=bj(2026, 7, 20, 9, 0)
    )
    ready_at_west(order, cast, bj(2026, 7, 20, 10, 0))
    reply(order, cast.west_designee, bj(2026, 7, 21, 9, 0))
    actions.do_judge_reply(order, cast.ops, valid=True, at=bj(2026, 7, 21, 10, 0))

    east, west = counts(Q3, "EAST"), counts(Q3, "WEST")

    assert (east["overdue"], west["overdue"]) == (1, 0)
    assert (west["completed"], west["on_time"]) == (1, 0)
    assert figure_facts("overdue", Q3, cast.east, LATER).get().at == DUE - INSTANT


def test_d4_overdue_counts_once_its_due_time_has_passed(flow, cast):
    order = flow.handling()

    before, after = bj(2026, 7, 15, 23, 59), bj(2026, 7, 16, 0, 1)

    assert counts(Q3, "EAST", now=before)["overdue"] == 0
    assert counts(Q3, "EAST", now=after)["overdue"] == 1
    assert order.facts.filter(kind="overdue").get().at == DUE - INSTANT


def test_d4_reply_submitted_in_time_holds_the_clock_until_judged(flow, cast):
    order = flow.ready()
    reply(order, cast.east_designee, bj(2026, 7, 15, 17, 0))

    assert counts(Q3, "EAST")["overdue"] == 0

    actions.do_judge_reply(
        order, cast.ops, valid=False, reason="结果未写明", at=bj(2026, 7, 16, 9, 0)
    )

    assert counts(Q3, "EAST")["overdue"] == 1  # an invalid reply is no reply


def test_d4_caller_delay_is_neither_on_time_nor_overdue(flow, cast):
    flow.caller_delayed(accepted=True)
    flow.caller_delayed(accepted=False)

    east = counts(Q3, "EAST")

    assert east["completed"] == 2
    assert east["caller_delay"] == 1
    assert east["overdue"] == 1  # the delay not accepted
    assert east["on_time"] == 0


# --- extensions, plans, rulings, returns (R4.2–R4.4, R5.3, R5.4) ---------------


def test_r4_2_extensions_count_when_approved(flow, cast):
    order = flow.handling()
    for days, approve, at in ((3, True, 7), (2, False, 8)):
        procedures.do_request_extension(
            order,
            cast.east_designee,
            days=days,
            reason="管材到货需要时间",
            at=bj(2026, 7, at, 9, 0),
        )
        procedures.do_decide_request(
            order,
            cast.ops,
            request=order.requests.latest("pk").pk,
            approve=approve,
            reason="" if approve else "理由不足",
            at=bj(2026, 7, at, 10, 0),
        )

    east = counts(Q3, "EAST")

    assert east["extension"] == 1
    fact = figure_facts("extension", Q3, cast.east, LATER).get()
    assert (fact.value, fact.at) == (3, bj(2026, 7, 7, 10, 0))
    # 3 working days from 24:00 on 15 July: 16, 17, 20 July.
    assert order.facts.get(kind="overdue").at == bj(2026, 7, 21) - INSTANT


def test_r4_3_and_r4_4_plan_and_unresolvable_complete_the_order(flow, cast):
    plan = flow.ready()
    procedures.do_request_plan(
        plan,
        cast.east_designee,
        measures="更换该路段DN100老管，改造前调高出厂压力。",
        steps=[{"title": "更换该路段DN100老管", "date": "2026-08-20"}],
        acceptance="来电人同意按计划办理。",
        at=bj(2026, 7, 7, 10, 0),
    )
    procedures.do_decide_request(
        plan,
        cast.ops,
        request=plan.requests.get().pk,
        approve=True,
        at=bj(2026, 7, 8, 10, 0),
    )
    ruled = flow.ready()
    for purpose, content in (("proof", tiny_pdf(1)), ("statement", tiny_png(2))):
        actions.do_attach_evidence(
            ruled,
            cast.east_head,
            name=f"{purpose}.bin",
            content=content,
            purpose=purpose,
            at=bj(2026, 7, 7, 9, 0),
        )
    procedures.do_request_unresolvable(
        ruled,
        cast.east_designee,
        reason_code="no_conditions",
        explanation="资金尚未落实，暂不具备解决条件。",
        at=bj(2026, 7, 7, 10, 0),
    )
    procedures.do_decide_request(
        ruled,
        cast.ops,
        request=ruled.requests.get().pk,
        approve=True,
        at=bj(2026, 7, 9, 10, 0),
    )

    east = counts(Q3, "EAST")

    assert (east["plan"], east["unresolvable"]) == (1, 1)
    assert (east["completed"], east["on_time"], east["overdue"]) == (2, 2, 0)
    completed = figure_facts("completed", Q3, cast.east, LATER)
    # Completed at the moment each request was made (docs/decisions.md).
    assert [f.at for f in completed] == [bj(2026, 7, 7, 10, 0)] * 2


def test_r5_4_returns_and_late_returns(flow, cast):
    for hours in (2, 13):
        order = flow.handling(source="citizen_hotline")
        at = order.unit_received_at + timedelta(hours=hours)
        actions.do_attach_evidence(
            order, cast.east_staff, name="现场.png", content=tiny_png(9), at=at
        )
        procedures.do_request_return(order, cast.east_designee, at=at, **RETURN)
        procedures.do_decide_request(
            order,
            cast.ops,
            request=order.requests.get().pk,
            approve=True,
            at=at + timedelta(hours=1),
        )

    east = counts(Q3, "EAST")

    assert (east["return"], east["return_late"]) == (2, 1)
    # A returned order is judged by its window, never overdue nor completed.
    assert (east["overdue"], east["completed"]) == (0, 0)


# --- redo (R5.5) --------------------------------------------------------------


def test_r5_5_redo_counts_against_the_unit_and_keeps_the_first_round(flow, cast):
    citizen = flow.follow_up(source="citizen_hotline")
    water = flow.follow_up()
    for order in (citizen, water):
        actions.do_follow_up(
            order,
            cast.follower,
            reached=True,
            process="dissatisfied",
            result="dissatisfied",
            cause="unit",
            at=bj(2026, 7, 8, 9, 0),
            **FOLLOWED,
        )

    east = counts(Q3, "EAST")

    assert (east["redo"], east["redo_other"]) == (1, 1)
    # The first rounds were completed in time; the second rounds, restarted
    # on 8 July with 7 working days (9, 10, 13, 14, 15, 16, 17 July), were
    # never replied: overdue at 24:00 on 17 July.
    assert (east["completed"], east["on_time"]) == (2, 2)
    assert east["overdue"] == 2
    overdue = figure_facts("overdue", Q3, cast.east, LATER)
    assert {f.at for f in overdue} == {bj(2026, 7, 18) - INSTANT}
    assert east["followed_up"] == 2


# --- commitments (R3.7) -------------------------------------------------------


def promise(flow, cast, day):  # type: ignore[no-untyped-def]
    order = flow.ready()
    actions.do_submit_reply(
        order,
        cast.east_designee,
        kind="short_term",
        elements={**SHORT, "promised_date": day},
        at=bj(2026, 7, 7, 9, 0),
    )
    actions.do_judge_reply(order, cast.ops, valid=True, at=bj(2026, 7, 7, 15, 0))
    return order


def keep(order, cast, at):  # type: ignore[no-untyped-def]
    actions.do_attach_evidence(
        order,
        cast.east_staff,
        name="竣工.pdf",
        content=tiny_pdf(5),
        purpose="proof",
        at=at,
    )
    row = order.commitments.get()
    procedures.do_keep_commitment(
        order, cast.east_designee, commitment=row.pk, note="已完成换管", at=at
    )
    procedures.do_confirm_commitment(
        order, cast.ops, commitment=row.pk, confirm=True, at=at + timedelta(hours=2)
    )


def test_r3_7_commitments_due_kept_late_and_broken(flow, cast):
    keep(promise(flow, cast, "2026-08-31"), cast, bj(2026, 8, 30, 9, 0))
    keep(promise(flow, cast, "2026-08-31"), cast, bj(2026, 9, 2, 9, 0))
    promise(flow, cast, "2026-09-15")  # never kept
    promise(flow, cast, "2026-10-15")  # falls due in the next quarter

    east = counts(Q3, "EAST")

    assert east["commitment_due"] == 3
    assert east["commitment_kept"] == 1
    assert east["commitment_kept_late"] == 1
    assert east["commitment_broken"] == 1
    # Before 24:00 on 15 September the third is not yet due, nor broken.
    early = counts(Q3, "EAST", now=bj(2026, 9, 15, 12, 0))
    assert (early["commitment_due"], early["commitment_broken"]) == (2, 0)
    assert counts(Q4, "EAST")["commitment_due"] == 1


# --- follow-up rates (R6.3, D5) -----------------------------------------------


def test_r6_3_rates_from_the_followups_of_the_period(flow, cast):
    """Three calls in July: (满意, 满意, fed back), (基本满意, 不满意 objective,
    fed back), (不满意 objective, 基本满意, not fed back). N = 3, feedback
    2/3, process (2/3 + 2/3) / 2 = 2/3, result 2/3, user 2/3."""
    ratings = (
        ("satisfied", "satisfied", True),
        ("basically_satisfied", "dissatisfied", True),
        ("dissatisfied", "basically_satisfied", False),
    )
    for process, result, told in ratings:
        order = flow.follow_up()
        actions.do_follow_up(
            order,
            cast.follower,
            reached=True,
            process=process,
            result=result,
            cause="objective",
            at=bj(2026, 7, 9, 9, 0),
            **{**FOLLOWED, "feedback": told},
        )

    rates = assess(Q3, LATER).row("EAST").rates  # type: ignore[union-attr]

    assert rates.n == 3
    assert rates.feedback_rate == Fraction(2, 3)
    assert rates.process == Fraction(2, 3)
    assert rates.result == Fraction(2, 3)
    assert rates.user == Fraction(2, 3)
    assert assess(Q3, LATER).row("WEST").rates.user is None  # type: ignore[union-attr]


# --- periods, drill-downs and the facts' integrity ---------------------------


def test_r4_6_date_range_includes_both_days(flow, cast):
    flow.handling()  # dispatched 2026-07-06 09:05

    assert (
        counts(date_period(bj(2026, 7, 6).date(), bj(2026, 7, 6).date()), "EAST")[
            "received"
        ]
        == 1
    )
    assert (
        counts(date_period(bj(2026, 7, 7).date(), bj(2026, 7, 31).date()), "EAST")[
            "received"
        ]
        == 0
    )


def build_mix(flow, cast):  # type: ignore[no-untyped-def]
    test_r3_1_transfer_moves_later_facts_not_earlier(flow, cast)
    test_r5_5_redo_counts_against_the_unit_and_keeps_the_first_round(flow, cast)
    flow.caller_delayed(accepted=True)
    flow.handling(unit=cast.west)


def test_r4_6_drilldowns_add_up_to_the_figures(flow, cast):
    build_mix(flow, cast)
    result = assess(Q3, LATER)

    for figure in (*FIGURES, *INPUTS):
        for row in result.units:
            listed = figure_facts(
                figure.key, Q3, cast.east.__class__.objects.get(pk=row.pk), LATER
            ).count()
            assert listed == row.counts[figure.key], (row.code, figure.key)
        assert figure_facts(figure.key, Q3, None, LATER).count() == sum(
            row.counts[figure.key] for row in result.units
        )
        assert result.total.counts[figure.key] == sum(
            row.counts[figure.key] for row in result.units
        )


def test_d7_stored_facts_are_what_the_history_implies(flow, cast):
    build_mix(flow, cast)
    assert check_all() == []
    call_command("facts", check=True)

    tampered = Fact.objects.filter(kind="received").first()
    Fact.objects.filter(pk=tampered.pk).update(unit=cast.lab)  # type: ignore[union-attr]

    assert check_all() == [tampered.order_id]  # type: ignore[union-attr]
    with pytest.raises(CommandError):
        call_command("facts", check=True)
    call_command("facts", rebuild=True)
    assert check_all() == []


def test_d7_facts_and_notices_are_read_only_in_the_admin(flow, cast, client):
    from django.contrib.auth import get_user_model

    flow.handling()
    admin = get_user_model().objects.create_superuser("root", password="pw-root-1")
    client.force_login(admin)
    fact = Fact.objects.first()

    assert client.get("/admin/reports/fact/").status_code == 200
    assert client.get("/admin/followups/notice/").status_code == 200
    assert client.get("/admin/reports/fact/add/").status_code == 403
    client.post(f"/admin/reports/fact/{fact.pk}/delete/", {"post": "yes"})  # type: ignore[union-attr]
    assert Fact.objects.filter(pk=fact.pk).exists()  # type: ignore[union-attr]
