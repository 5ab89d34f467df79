"""季度考核 (R4.6, R5.5, R6.3, D5) and the orders behind each figure."""

from __future__ import annotations

from datetime import datetime, timedelta
from html.parser import HTMLParser

from gongdan.orders import actions
from gongdan.orders.models import Order
from gongdan.org.models import Unit
from gongdan.reports.queries import current_quarter
from gongdan.rules.workdays import TZ
from tests.conftest import bj

from .quarter import QUARTER, play_quarter
from .steps import followed_up, handling, intake, login


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
        "/report/orders/?quarter=2026Q3&unit=TOTAL&figure=overdue"
    ).content.decode()

    assert order.number in followed
    assert "过程满意，结果基本满意，未反馈" in followed
    # Received in July, dispatched only now: its due time passed in July,
    # so it counts overdue in 2026Q3 for the unit it went to (R3.6, D4).
    assert order.number in overdue and "有效回复" in overdue


def test_report_orders_unknown_figure_is_404(cast: dict) -> None:
    client = login("ops")

    assert (
        client.get("/report/orders/?quarter=2026Q3&unit=EAST&figure=x").status_code
        == 404
    )
    assert client.get("/report/?quarter=2026Q9").status_code == 404


# --- the orders behind a figure, on a quarter of fixed times ---------------------


class Tables(HTMLParser):
    """The rows of one table of a page: per row, per cell, (text, href)."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.rows = table_id, False, []
        self.cell: list[str] | None = None
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell, self.href = [], None
        elif self.inside and tag == "a" and self.cell is not None:
            self.href = attrs.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(("".join(self.cell).strip(), self.href))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table(page: str, table_id: str) -> list[list[tuple[str, str | None]]]:
    reader = Tables(table_id)
    reader.feed(page)
    return reader.rows


def texts(page: str, table_id: str) -> list[list[str]]:
    return [[text for text, _ in row] for row in table(page, table_id)]


def listed(page: str) -> list[str]:
    return [row[0][0] for row in table(page, "drill")[1:] if row[0][1]]


def test_report_orders_by_month_category_and_district(cast: dict) -> None:
    orders = play_quarter(cast)
    client = login("ops")

    august = client.get(
        "/report/orders/?start=2026-08-01&end=2026-08-31&unit=TOTAL&figure=received"
    ).content.decode()
    pipes = client.get(
        f"/report/orders/?quarter={QUARTER}&unit=TOTAL&figure=received"
        "&category=管网设施"
    ).content.decode()
    west_overdue = client.get(
        f"/report/orders/?quarter={QUARTER}&unit=TOTAL&figure=overdue&district=西城区"
    ).content.decode()

    assert listed(august) == [orders["b"].number, orders["c"].number]
    assert listed(pipes) == [orders[n].number for n in "acd"]
    assert "诉求分类" in pipes and "管网设施" in pipes
    assert listed(west_overdue) == [orders["c"].number]
    assert "2026-08-14 00:00" in west_overdue  # 8-13 24:00, when it fell due


def test_report_orders_show_figure_rule_and_why(cast: dict) -> None:
    orders = play_quarter(cast)

    page = (
        login("ops")
        .get(f"/report/orders/?quarter={QUARTER}&unit=WEST&figure=overdue")
        .content.decode()
    )

    assert "2026Q3 · 西城供水分公司 · 超期（1）" in page
    assert "R3.6 R4.6 D4" in page and "办理时限已过而无有效回复" in page
    rows = texts(page, "drill")
    assert rows[0] == [
        "编号",
        "计入时间",
        "计入单位",
        "来源",
        "分类",
        "当前状态",
        "计入原因",
    ]
    number, at, unit, source, category, state, note = rows[1]
    assert (number, at, unit) == (
        orders["c"].number,
        "2026-08-14 00:00",
        "西城供水分公司",
    )
    assert (source, category, state) == ("供水热线", "管网设施 / 漏水", "办理中")
    assert note


def test_report_orders_pages_of_100(cast: dict) -> None:
    east = Unit.objects.get(code="EAST")
    for i in range(101):
        received = bj(2026, 7, 1, 9, 0) + timedelta(hours=12 * i)
        order = actions.do_register(
            cast["agent"], intake(received_at=received), at=received
        )
        actions.do_dispatch(
            order, cast["agent"], east, at=received + timedelta(minutes=5)
        )
    client = login("ops")
    link = f"/report/orders/?quarter={QUARTER}&unit=EAST&figure=received"

    first = client.get(link).content.decode()
    second = client.get(f"{link}&page=2").content.decode()
    beyond = client.get(f"{link}&page=9").content.decode()

    numbers = [order.number for order in Order.objects.order_by("received_at")]
    assert listed(first) == numbers[:100]
    assert listed(second) == numbers[100:]
    assert listed(beyond) == numbers[100:]  # past the end: the last page
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
    for page in (first, second):
        assert '<strong class="total" id="drill-total">101</strong>' in page
    assert "page=2" in first and "figure=received" in first


def test_report_orders_count_all_and_list_what_the_reader_may_see(cast: dict) -> None:
    orders = play_quarter(cast)

    page = (
        login("east_head")
        .get(f"/report/orders/?quarter={QUARTER}&unit=TOTAL&figure=received")
        .content.decode()
    )

    # The total is the group's, as in the report; WEST's c and d are not
    # the head's to open, so they are counted and not listed.
    assert '<strong class="total" id="drill-total">4</strong>' in page
    assert listed(page) == [orders["a"].number, orders["b"].number]
    assert "另有 2 条不在您的查看范围内" in page
