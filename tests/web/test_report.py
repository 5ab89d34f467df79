"""季度考核 (R4.6, R5.5, R6.3, D5) and the orders behind each figure."""

from __future__ import annotations

from datetime import datetime

from gongdan.orders import actions
from gongdan.orders.models import Order
from gongdan.reports.queries import current_quarter
from gongdan.rules.workdays import TZ

from .steps import followed_up, handling, login


def closed_order(cast: dict, **overrides: object) -> Order:
    """Followed up now; its facts count in the current quarter."""
    order = followed_up(cast, handling(cast, **overrides))
    actions.do_follow_up(
        order,
        cast["agent"],
        reached=True,
        contacted=True,
        consistent=True,
        process="satisfied",
        result="basically_satisfied",
        feedback=False,
        false_report=False,
    )
    return order


def test_r6_3_report_shows_unit_figures_and_rates(cast: dict) -> None:
    closed_order(cast)

    quarter = current_quarter()
    page = login("ops").get(f"/report/?quarter={quarter}").content.decode()

    assert f"考核 · {quarter}" in page
    assert "东城供水分公司" in page and "集团合计" in page
    link = f"/report/orders/?quarter={quarter}&amp;unit=EAST&amp;figure=received"
    assert f'<a href="{link}">1</a>' in page
    # N = 1, no feedback: feedback 0%, process (1/1 + 0)/2 = 50%, result 100%,
    # user 50% × 0.4 + 100% × 0.6 = 80%.
    assert "0.00%" in page and "50.00%" in page
    assert "100.00%" in page and "80.00%" in page
    # WEST has no follow-up: its rates are undefined (D5).
    assert "—" in page


def test_report_defaults_to_current_quarter(cast: dict) -> None:
    page = login("agent").get("/report/").content.decode()

    assert "考核 · 20" in page


def test_report_orders_lists_orders_and_why(cast: dict) -> None:
    order = closed_order(cast, received_at=datetime(2026, 7, 6, 9, 0, tzinfo=TZ))
    client = login("east_head")

    followed = client.get(
        f"/report/orders/?quarter={current_quarter()}&unit=EAST&figure=followed_up"
    ).content.decode()
    overdue = client.get(
        f"/report/orders/?quarter={current_quarter()}&unit=TOTAL&figure=overdue"
    ).content.decode()

    assert order.number in followed
    assert "过程满意，结果基本满意，未反馈" in followed
    # Received in July, dispatched only now, after its due time had passed:
    # it counts overdue for the unit it went to, when it arrived (D4).
    assert order.number in overdue and "转办到单位时已超过时限" in overdue


def test_report_refusals_say_what_was_wrong(cast: dict) -> None:
    """A bad figure, unit or period is refused with a Chinese reason (400),
    never Django's bare page nor a server error."""
    client = login("ops")

    for path, reason in (
        ("/report/orders/?quarter=2026Q3&unit=EAST&figure=x", "没有这个指标"),
        ("/report/orders/?quarter=2026Q3&unit=EAST%00&figure=overdue", "责任单位"),
        ("/report/orders/?quarter=2026Q3&figure=overdue&unit=NOPE", "责任单位"),
        ("/report/?quarter=2026Q9", "季度格式"),
        ("/report/?quarter=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96Q3", "季度格式"),
        ("/report/?start=2026-09-01&end=2026-07-01", "结束日期不能早于开始日期"),
        ("/report/?start=1999-12-31&end=2026-01-01", "2000–2100"),
    ):
        answer = client.get(path)
        assert answer.status_code == 400, path
        assert reason in answer.content.decode(), path
