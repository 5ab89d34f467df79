"""季度考核 (R4.6, R5.5, R6.3, D5) and the orders behind each figure."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from fractions import Fraction
from html.parser import HTMLParser

from django.test import Client

from gongdan.orders import actions
from gongdan.orders.models import Order
from gongdan.org.models import Unit
from gongdan.reports.facts import refresh_facts
from gongdan.reports.queries import FIGURES, current_quarter
from gongdan.rules.satisfaction import format_percent
from gongdan.rules.workdays import TZ
from gongdan.web.charts import percent_value
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


# --- the charts, their tables and the orders behind them, on a fixed quarter -----


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


def chart_data(page: str) -> dict:
    found = re.search(
        r'<script id="report-charts" type="application/json">(.*?)</script>',
        page,
        re.S,
    )
    assert found, "the page carries no chart data"
    return json.loads(found.group(1))


def drill_total(client: Client, link: str) -> int:
    page = client.get(link).content.decode()
    found = re.search(r'<strong class="total" id="drill-total">(\d+)</strong>', page)
    assert found, link
    return int(found.group(1))


def listed(page: str) -> list[str]:
    return [row[0][0] for row in table(page, "drill")[1:] if row[0][1]]


def series_of(chart: dict) -> dict[str, list]:
    return {s["key"]: s["values"] for s in chart["series"]}


def test_r6_3_d5_chart_data_is_the_hand_worked_quarter(cast: dict) -> None:
    play_quarter(cast)

    page = login("ops").get(f"/report/?quarter={QUARTER}").content.decode()
    data = chart_data(page)

    # Months: a in July; b and c in August, c overdue from 8-13 24:00; d in
    # September. July: one follow-up, all content with feedback: 100%.
    # August: b alone, basically satisfied, dissatisfied, no feedback:
    # process (1/1 + 0)/2 = 1/2, result 0, user 1/2 × 40% = 20%. September:
    # nothing followed up, so no point (D5).
    assert data["trend"]["names"] == ["2026-07", "2026-08", "2026-09"]
    assert series_of(data["trend"]) == {
        "received": [1, 2, 1],
        "overdue": [0, 1, 0],
        "user_satisfaction": [100.0, 20.0, None],
    }
    # EAST: a and b, N = 2, feedback 1/2, process (2/2 + 1/2)/2 = 3/4,
    # result 1/2, user 3/4 × 40% + 1/2 × 60% = 60%. WEST: c and d, c
    # overdue, no follow-up (D5).
    assert data["units"]["names"] == ["东城供水分公司", "西城供水分公司"]
    assert series_of(data["units"]) == {
        "received": [2, 2],
        "overdue": [0, 1],
        "user_satisfaction": [60.0, None],
    }
    assert data["category"]["names"] == ["管网设施", "水质"]
    assert series_of(data["category"]) == {"received": [3, 1], "overdue": [1, 0]}
    assert data["district"]["names"] == ["东城区", "西城区"]
    assert series_of(data["district"]) == {"received": [2, 2], "overdue": [0, 1]}
    assert [s["type"] for s in data["trend"]["series"]] == ["bar", "bar", "line"]


def test_d5_each_chart_has_a_table_of_exactly_its_numbers(cast: dict) -> None:
    play_quarter(cast)

    page = login("ops").get(f"/report/?quarter={QUARTER}").content.decode()

    assert texts(page, "table-trend") == [
        ["月份", "受理", "超期", "用户满意率"],
        ["2026-07", "1", "0", "100.00%"],
        ["2026-08", "2", "1", "20.00%"],
        ["2026-09", "1", "0", "—"],
    ]
    assert texts(page, "table-units") == [
        ["责任单位", "受理", "超期", "用户满意率"],
        ["东城供水分公司", "2", "0", "60.00%"],
        ["西城供水分公司", "2", "1", "—"],
    ]
    assert texts(page, "table-category") == [
        ["诉求分类", "受理", "超期"],
        ["管网设施", "3", "1"],
        ["水质", "1", "0"],
    ]
    assert texts(page, "table-district") == [
        ["区域", "受理", "超期"],
        ["东城区", "2", "0"],
        ["西城区", "2", "1"],
    ]
    # The page draws with the vendored script, from no other host.
    assert "/static/web/vendor/echarts/echarts.min.js" in page
    assert "/static/web/report-charts.js" in page
    assert "http://" not in page and "https://" not in page


def test_d5_chart_draws_the_percent_the_table_shows() -> None:
    # 1/800 = 0.125 %: half up to 0.13 as format_percent shows it, where
    # rounding the float would give 0.12.
    assert percent_value(Fraction(1, 800)) == 0.13
    assert format_percent(Fraction(1, 800)) == "0.13%"
    assert percent_value(Fraction(2, 3)) == 66.67
    assert percent_value(None) is None


def test_trend_of_a_date_range_keeps_to_its_days(cast: dict) -> None:
    orders = play_quarter(cast)
    client = login("ops")

    page = client.get("/report/?start=2026-08-05&end=2026-09-10").content.decode()
    rows = table(page, "table-trend")[1:]

    # b (8-3) lies before the range: August holds c alone, September d.
    assert [[text for text, _ in row] for row in rows] == [
        ["2026-08", "1", "1", "—"],
        ["2026-09", "1", "0", "—"],
    ]
    august, september = rows[0][1][1], rows[1][1][1]
    assert "start=2026-08-05&end=2026-08-31" in august
    assert "start=2026-09-01&end=2026-09-10" in september
    drilled = client.get(august).content.decode()
    assert listed(drilled) == [orders["c"].number]


def test_r4_6_r6_3_every_drill_down_total_equals_its_table_cell(cast: dict) -> None:
    play_quarter(cast)
    client = login("ops")
    page = client.get(f"/report/?quarter={QUARTER}").content.decode()
    rows = table(page, "figures")[1:]

    checked = 0
    for figure_index, figure in enumerate(FIGURES):
        units_sum = 0
        for row in rows:
            text, link = row[1 + figure_index]
            unit = row[0][0]
            # A zero is no link; its drill-down must hold nothing either.
            if link is None:
                code = {"东城供水分公司": "EAST", "西城供水分公司": "WEST"}
                link = (
                    f"/report/orders/?quarter={QUARTER}&unit="
                    f"{code.get(unit, 'TOTAL')}&figure={figure.key}"
                )
            total = drill_total(client, link)
            assert total == int(text), (unit, figure.key)
            if unit != "集团合计":
                units_sum += total
            checked += 1
        assert units_sum == int(rows[-1][1 + figure_index][0]), figure.key
    assert checked == 3 * len(FIGURES)

    # The numbers of the chart tables open into as many orders.
    for chart in ("trend", "units", "category", "district"):
        for row in table(page, f"table-{chart}")[1:]:
            for text, link in row[1:]:
                if link and not text.endswith("%"):
                    assert drill_total(client, link) == int(text), (chart, row)
    # A rate opens into the follow-ups it is computed from: N = 2 for EAST.
    east_rate = table(page, "table-units")[1][3]
    assert east_rate[0] == "60.00%" and drill_total(client, east_rate[1]) == 2


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
    assert "2026-08-13 24:00" in west_overdue  # when it fell due


def test_report_orders_blank_district_counts_as_unfilled(cast: dict) -> None:
    orders = play_quarter(cast)
    # An imported order may carry no district; the update goes around the
    # actions, so its facts are derived again as an action would.
    Order.objects.filter(pk=orders["d"].pk).update(district="")
    refresh_facts(orders["d"].pk)
    client = login("ops")

    page = client.get(f"/report/?quarter={QUARTER}").content.decode()
    unfilled = client.get(
        f"/report/orders/?quarter={QUARTER}&unit=TOTAL&figure=received&district=未填"
    ).content.decode()

    assert ["未填", "1", "0"] in texts(page, "table-district")
    assert listed(unfilled) == [orders["d"].number]


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
        "2026-08-13 24:00",
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
