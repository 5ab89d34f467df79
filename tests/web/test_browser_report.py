"""The assessment page in headless Chromium: each chart drawn by ECharts,
the table beside it showing what it draws, and the figures opening into
their orders (R4.6, R6.3, D5)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import bj

from .browser import sign_in
from .quarter import QUARTER, handled, play_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What ECharts holds for a chart container: null when it drew nothing.
DRAWN = """id => {
  const el = document.getElementById("chart-" + id);
  const chart = window.echarts && window.echarts.getInstanceByDom(el);
  if (!chart) return null;
  const option = chart.getOption();
  return {
    surfaces: el.querySelectorAll("canvas, svg").length,
    width: el.clientWidth,
    height: el.clientHeight,
    names: option.xAxis[0].data,
    series: option.series.map(s => ({name: s.name, data: s.data})),
  };
}"""
# The tooltip ECharts shows for one name along the axis, as HTML.
TOOLTIP = """([id, dataIndex]) => {
  const el = document.getElementById("chart-" + id);
  const chart = window.echarts.getInstanceByDom(el);
  chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: dataIndex});
  return [...el.children].slice(1).map(child => child.innerHTML).join("");
}"""
# The middle of one bar, in page coordinates.
BAR = """([id, seriesIndex, dataIndex]) => {
  const el = document.getElementById("chart-" + id);
  const chart = window.echarts.getInstanceByDom(el);
  const box = chart.getModel().getSeriesByIndex(seriesIndex).getData()
    .getItemLayout(dataIndex);
  const frame = el.getBoundingClientRect();
  return {x: frame.left + box.x + box.width / 2,
          y: frame.top + box.y + box.height / 2};
}"""


def shown(value: float | int | None, unit: str) -> str:
    """How the table writes a value the chart draws (D5)."""
    if value is None:
        return "—"
    return f"{value:.2f}%" if unit == "%" else str(value)


def unit_of(series: dict[str, Any]) -> str:
    return "%" if "满意率" in series["name"] else "件"


def table_rows(page: Page, chart: str) -> list[list[str]]:
    rows = page.locator(f"#table-{chart} tbody tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_r4_6_r6_3_d5_report_charts_tables_and_drill_downs_in_browser(
    cast: dict[str, Any], live_server: Any, browser: Browser
) -> None:
    play_quarter(cast)
    base = live_server.url
    page = sign_in(browser, base, "ops")
    failures: list[str] = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    page.on(
        "console",
        lambda message: message.type == "error" and failures.append(message.text),
    )

    page.goto(f"{base}/report/?quarter={QUARTER}")
    page.wait_for_load_state("load")

    # Each chart is drawn by ECharts, and its table says what it draws.
    drawn = {}
    for chart in ("trend", "units", "category", "district"):
        found = page.evaluate(DRAWN, chart)
        assert found is not None, f"chart {chart} was not drawn"
        assert found["surfaces"] >= 1 and found["width"] > 0 and found["height"] > 0
        expected = [
            [name] + [shown(s["data"][i], unit_of(s)) for s in found["series"]]
            for i, name in enumerate(found["names"])
        ]
        assert table_rows(page, chart) == expected, chart
        drawn[chart] = found
    # The units chart draws the hand-worked quarter: EAST N = 2 with user
    # satisfaction 60%, WEST one overdue and no follow-up (D5).
    assert drawn["units"]["series"] == [
        {"name": "受理", "data": [2, 2]},
        {"name": "超期", "data": [0, 1]},
        {"name": "用户满意率", "data": [60, None]},
    ]
    page.screenshot(path="/tmp/gongdan-report-charts.png", full_page=True)

    # A figure of the table opens a drill-down of exactly that many orders.
    east = page.locator("#figures tbody tr", has_text="东城供水分公司")
    received = east.locator("td").nth(0)
    expect(received).to_have_text("2")
    received.locator("a").click()
    expect(page.locator("#drill-total")).to_have_text("2")
    expect(page.locator("#drill tbody tr")).to_have_count(2)
    expect(page.locator("h1")).to_contain_text("东城供水分公司 · 受理（2）")

    # So does a bar of a chart: WEST's overdue bar, one order.
    page.go_back()
    page.wait_for_load_state("load")
    assert page.evaluate(DRAWN, "units") is not None
    page.locator("#chart-units").scroll_into_view_if_needed()
    middle = page.evaluate(BAR, ["units", 1, 1])
    page.mouse.click(middle["x"], middle["y"])
    expect(page.locator("h1")).to_contain_text("西城供水分公司 · 超期（1）")
    expect(page.locator("#drill tbody tr")).to_have_count(1)
    assert failures == []


def test_typed_district_stays_text_in_chart_and_tooltip(
    cast: dict[str, Any], live_server: Any, browser: Browser
) -> None:
    # A district is typed at intake: the chart shows it as text.
    typed = '西城<img src=x onerror="window.hit=1">'
    handled(cast, "WEST", bj(2026, 8, 10, 9, 0), district=typed)
    page = sign_in(browser, live_server.url, "ops")

    page.goto(f"{live_server.url}/report/?quarter={QUARTER}")
    page.wait_for_load_state("load")
    tip = page.evaluate(TOOLTIP, ["district", 0])

    assert page.evaluate(DRAWN, "district")["names"] == [typed]
    assert "西城&lt;img" in tip and "<img" not in tip
    assert page.locator("#chart-district img, #table-district img").count() == 0
    assert page.evaluate("window.hit") is None
    expect(page.locator("#table-district tbody th")).to_have_text(typed)
