"""The Excel exports: the assessment (R6.3, D5) and lists of orders, with
callers masked for those who do not call them.

The quarter below, 2026Q3, worked out by hand. 东城 has three orders
followed up (N = 3):

    a  process 满意,     result 满意,     feedback yes
    b  process 基本满意, result 不满意,   feedback no
    c  process 不满意,   result 基本满意, feedback no

so feedback 1, process satisfied or basically 2, result 2:
feedback rate 1/3 = 33.33%; process (2/3 + 1/3) / 2 = 1/2 = 50.00%;
result 2/3 = 66.67%; user 1/2 × 40% + 2/3 × 60% = 3/5 = 60.00%.
西城 holds one order that 东城 passed on and nobody followed up: N = 0,
every rate "—" (D5). Order a came from the citizen hotline, dispatched
5 minutes after receipt: mean dispatch time 5.0 minutes (R1.3).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from gongdan.orders import actions
from gongdan.orders.models import CallerView, Order
from gongdan.reports.excel import assessment_workbook, orders_workbook
from gongdan.reports.queries import (
    FIGURES,
    Assessment,
    UnitFigures,
    assess,
    quarter_period,
)
from gongdan.rules.satisfaction import format_percent
from tests.conftest import bj

Q3 = quarter_period("2026Q3")
NOW = bj(2026, 10, 8, 9, 0)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CALLED = dict(reached=True, contacted=True, consistent=True, false_report=False)
IN_WEST = {
    "district": "西城区",
    "address": "西城区西门路8号",
    "caller_name": "林先生",
    "caller_phone": "13700001111",
}
EAST_RATES = ["33.33%", "50.00%", "66.67%", "60.00%"]
DASHES = ["—", "—", "—", "—"]


def build_quarter(flow, cast):  # type: ignore[no-untyped-def]
    """The orders of the module docstring, and one of the next quarter."""
    a = flow.follow_up(received_at=bj(2026, 7, 6, 9, 0), source="citizen_hotline")
    actions.do_follow_up(
        a,
        cast.follower,
        process="satisfied",
        result="satisfied",
        feedback=True,
        at=bj(2026, 7, 7, 10, 0),
        **CALLED,
    )
    b = flow.follow_up(received_at=bj(2026, 8, 3, 9, 0))
    actions.do_follow_up(
        b,
        cast.follower,
        process="basically_satisfied",
        result="dissatisfied",
        cause="objective",
        feedback=False,
        at=bj(2026, 8, 4, 10, 0),
        **CALLED,
    )
    c = flow.follow_up(received_at=bj(2026, 9, 1, 9, 0))
    actions.do_follow_up(
        c,
        cast.follower,
        process="dissatisfied",
        result="basically_satisfied",
        cause="objective",
        feedback=False,
        at=bj(2026, 9, 2, 10, 0),
        **CALLED,
    )
    w = flow.handling(received_at=bj(2026, 9, 7, 9, 0), **IN_WEST)
    actions.do_transfer(
        w, cast.east_designee, cast.west, "属西城辖区", at=bj(2026, 9, 7, 10, 0)
    )
    later = flow.handling(received_at=bj(2026, 10, 8, 8, 0))
    return a, b, c, w, later


def workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def row_of(sheet, name: str) -> list:  # type: ignore[no-untyped-def]
    """The cells of the line whose first cell is ``name``."""
    return next(list(r) for r in sheet.iter_rows(min_row=2) if r[0].value == name)


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def lines(content: bytes) -> list[dict[str, object]]:
    """The lines of an order list's "工单" sheet, by column name."""
    rows = list(workbook(content)["工单"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def notes(content: bytes) -> dict[str, str]:
    return dict(workbook(content)["说明"].iter_rows(values_only=True))


# --- the assessment workbook ------------------------------------------------


def test_r6_3_rates_are_formulas_over_the_inputs_sheet(flow, cast):
    build_quarter(flow, cast)

    book = workbook(assessment_workbook(assess(Q3, NOW)))

    assert book.sheetnames == ["考核", "公式输入", "口径"]
    figures, inputs = book["考核"], book["公式输入"]
    header = [c.value for c in figures[1]]
    assert header[0] == "责任单位"
    assert header[-5:] == [
        "平均转办用时（分钟）",
        "反馈率",
        "过程满意率",
        "结果满意率",
        "用户满意率",
    ]
    assert [c.value for c in inputs[1]] == [
        "责任单位",
        "回访数 N",
        "已反馈",
        "过程满意",
        "过程基本满意",
        "结果满意",
        "结果基本满意",
    ]
    east = row_of(figures, "东城供水分公司")
    line = east[0].row
    assert [c.value for c in inputs[line]] == ["东城供水分公司", 3, 1, 1, 1, 1, 1]
    counts = dict(zip(header, [c.value for c in east], strict=True))
    assert (counts["受理"], counts["办结"], counts["回访"]) == (4, 3, 3)
    assert counts["平均转办用时（分钟）"] == 5.0
    for cell in east[-4:]:
        assert cell.data_type == "f"
        assert f"'公式输入'!B{line}" in cell.value
        assert cell.number_format == "0.00%"
    assert figures.freeze_panes == "B2"
    assert inputs.freeze_panes == "A2"
    assert figures.column_dimensions["A"].width >= 14


def test_r6_3_group_total_is_the_sum_of_the_units(flow, cast):
    build_quarter(flow, cast)

    book = workbook(assessment_workbook(assess(Q3, NOW)))

    figures, inputs = book["考核"], book["公式输入"]
    total = row_of(figures, "集团合计")
    assert total[0].row == figures.max_row
    assert [c.value for c in inputs[total[0].row]] == ["集团合计", 3, 1, 1, 1, 1, 1]
    header = [c.value for c in figures[1]]
    counts = dict(zip(header, [c.value for c in total], strict=True))
    # 4 received by 东城; 西城's order was passed on, not dispatched to it.
    assert counts["受理"] == 4
    # 西城's order had its due time (15 September) pass unanswered (D4).
    assert counts["超期"] == 1


def test_d5_rate_without_followup_is_a_dash(flow, cast):
    build_quarter(flow, cast)

    book = workbook(assessment_workbook(assess(Q3, NOW)))

    west = row_of(book["考核"], "西城供水分公司")
    assert [c.value for c in west[-4:]] == DASHES
    assert all(c.data_type == "s" for c in west[-4:])
    assert west[-5].value == "—"  # nothing dispatched: no mean time (R1.3)


def test_r6_3_inputs_sheet_spells_out_the_formulas(flow, cast):
    build_quarter(flow, cast)

    book = workbook(assessment_workbook(assess(Q3, NOW)))

    text = [r[0] for r in book["公式输入"].iter_rows(values_only=True) if r[0]]
    assert "反馈率 = 已反馈 ÷ N" in text
    assert "过程满意率 = [(过程满意 + 过程基本满意) ÷ N + 反馈率] ÷ 2" in text
    assert "结果满意率 = (结果满意 + 结果基本满意) ÷ N" in text
    assert "用户满意率 = 过程满意率 × 40% + 结果满意率 × 60%" in text


def test_r1_3_terms_sheet_gives_period_time_threshold_and_definitions(flow, cast):
    build_quarter(flow, cast)

    book = workbook(assessment_workbook(assess(Q3, NOW)))

    terms = {r[0]: r[1:] for r in book["口径"].iter_rows(values_only=True)}
    assert terms["期间"][1] == "2026Q3：2026-07-01 至 2026-09-30（含），北京时间"
    assert terms["生成时间"][1] == "2026-10-08 09:00（北京时间）"
    assert terms["转办超时阈值"] == ("R1.3", "受理后超过 30 分钟才转办计为转办超时")
    assert terms["回访"] == ("R6.1 D5", "联系上来电人的回访，按回访时间计")
    assert terms["超期"][0] == "R3.6 R4.6 D4"
    assert terms["用户满意率"][0] == "R6.3 D5"
    assert len([r for r in terms if r in {f.label for f in FIGURES}]) == 22
    assert book["口径"].freeze_panes == "A2"


def test_r4_6_report_command_xlsx_gives_the_json_figures(flow, cast, tmp_path):
    build_quarter(flow, cast)
    out = io.StringIO()
    target = tmp_path / "out.xlsx"

    call_command("report", quarter="2026Q3", format="xlsx", output=str(target))
    call_command("report", quarter="2026Q3", format="json", stdout=out)

    data = json.loads(out.getvalue())
    book = openpyxl.load_workbook(target)
    figures, inputs = book["考核"], book["公式输入"]
    header = [c.value for c in figures[1]]
    for unit in [*data["units"], data["total"]]:
        line = row_of(figures, unit["name"])
        cells = dict(zip(header, [c.value for c in line], strict=True))
        for figure in FIGURES:
            assert cells[figure.label] == unit[figure.key], (unit["name"], figure)
        n, feedback, ps, pb, rs, rb = (c.value for c in inputs[line[0].row][1:])
        assert (n, feedback) == (unit["followed_up"], unit["feedback"])
        assert (ps, pb) == (unit["process_satisfied"], unit["process_basic"])
        assert (rs, rb) == (unit["result_satisfied"], unit["result_basic"])
    east = next(u for u in data["units"] if u["unit"] == "EAST")
    assert (east["received"], east["followed_up"]) == (4, 3)


# --- LibreOffice reads and recalculates the workbook --------------------------


def libreoffice(source: Path, convert_to: str, tmp_path: Path) -> Path:
    """Convert ``source`` with headless LibreOffice in a profile of its own;
    the one file it wrote. Fails, never skips, without LibreOffice."""
    binary = shutil.which("libreoffice") or shutil.which("soffice")
    if binary is None:
        pytest.fail("LibreOffice is missing: apt-get install libreoffice-calc-nogui")
    outdir = tmp_path / "converted"
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            convert_to,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    written = sorted(outdir.glob("*")) if outdir.exists() else []
    assert done.returncode == 0 and len(written) == 1, done.stdout + done.stderr
    return written[0]


# UTF-8, comma separated, the first sheet, each cell as it is shown.
CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,1"


def recalculated(content: bytes, tmp_path: Path) -> dict[str, list[str]]:
    """The lines of "考核" as LibreOffice computes and shows them."""
    source = tmp_path / "考核.xlsx"
    source.write_bytes(content)
    shown = libreoffice(source, CSV, tmp_path).read_text(encoding="utf-8")
    return {row[0]: row[1:] for row in csv.reader(io.StringIO(shown)) if row}


def fraction_rates(n: int, feedback: int, ps: int, pb: int, rs: int, rb: int):  # type: ignore[no-untyped-def]
    """R6.3 written out again, on the numbers of "公式输入"."""
    feedback_rate = Fraction(feedback, n)
    process = (Fraction(ps + pb, n) + feedback_rate) / 2
    result = Fraction(rs + rb, n)
    return [
        feedback_rate,
        process,
        result,
        process * Fraction(40, 100) + result * Fraction(60, 100),
    ]


def test_r6_3_libreoffice_recalculates_the_rates_the_page_shows(flow, cast, tmp_path):
    build_quarter(flow, cast)
    result = assess(Q3, NOW)
    content = assessment_workbook(result)

    shown = recalculated(content, tmp_path)

    assert shown["东城供水分公司"][-4:] == EAST_RATES
    assert shown["集团合计"][-4:] == EAST_RATES
    assert shown["西城供水分公司"][-4:] == DASHES
    for unit in [*result.units, result.total]:
        rates = unit.rates
        page = [rates.feedback_rate, rates.process, rates.result, rates.user]
        assert shown[unit.name][-4:] == [format_percent(r) for r in page], unit.name
    inputs = workbook(content)["公式输入"]
    for name in ("东城供水分公司", "集团合计"):
        counts = [c.value for c in row_of(inputs, name)[1:]]
        again = [format_percent(r) for r in fraction_rates(*counts)]
        assert shown[name][-4:] == again
    assert shown["东城供水分公司"][-5] == "5.0"


def synthetic(*lines: tuple[str, int, int, int, int]) -> Assessment:
    """An assessment of made-up units: (name, N, feedback, process, result)."""
    units = []
    for name, n, feedback, process, result in lines:
        unit = UnitFigures(name, name)
        unit.counts.update(
            followed_up=n,
            feedback=feedback,
            process_satisfied=process,
            result_satisfied=result,
        )
        units.append(unit)
    total = UnitFigures("TOTAL", "集团合计")
    return Assessment(Q3, NOW, units, total)


def test_d5_libreoffice_rounds_half_up_like_the_page(tmp_path):
    """Rates that fall on a half of the last shown digit. 23/160 is
    14.375% exactly, but its nearest binary number lies just below, so
    a plain division would show 14.37%."""
    assessment = synthetic(
        # process 23/320 = 7.1875%, user 23/800 = 2.875%, result 0.
        ("甲", 160, 23, 0, 0),
        # N = 8: feedback 1/8 = 12.5%; process (3 + 1)/16 = 25%;
        # result 1/8 = 12.5%; user (3 + 1 + 3 × 1)/40 = 17.5%.
        ("乙", 8, 1, 3, 1),
        # Followed up, nobody content: 0.00%, which is not "—" (D5).
        ("丙", 1, 0, 0, 0),
        ("丁", 3, 3, 3, 3),
    )

    shown = recalculated(assessment_workbook(assessment), tmp_path)

    assert shown["甲"][-4:] == ["14.38%", "7.19%", "0.00%", "2.88%"]
    assert shown["乙"][-4:] == ["12.50%", "25.00%", "12.50%", "17.50%"]
    assert shown["丙"][-4:] == ["0.00%", "0.00%", "0.00%", "0.00%"]
    assert shown["丁"][-4:] == ["100.00%", "100.00%", "100.00%", "100.00%"]
    assert shown["集团合计"][-4:] == DASHES


def test_r6_3_libreoffice_prints_the_workbook_to_pdf(flow, cast, tmp_path):
    build_quarter(flow, cast)
    source = tmp_path / "考核.xlsx"
    source.write_bytes(assessment_workbook(assess(Q3, NOW)))

    pdf = libreoffice(source, "pdf", tmp_path)

    assert pdf.suffix == ".pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.stat().st_size > 1000


# --- lists of orders: callers masked unless the reader calls them -------------


def test_callers_in_full_for_the_hotline_each_view_recorded(flow, cast):
    orders = build_quarter(flow, cast)

    content = login(cast.agent).get("/orders/xlsx/").content

    got = lines(content)
    assert len(got) == 5
    assert {line["来电号码"] for line in got} == {"13912345678", "13700001111"}
    assert {line["来电人"] for line in got} == {"江女士", "林先生"}
    views = CallerView.objects.filter(user=cast.agent)
    assert sorted(v.order_id for v in views) == sorted(o.pk for o in orders)
    assert {v.channel for v in views} == {"excel"}


def test_callers_masked_for_the_operations_dept_nothing_recorded(flow, cast):
    build_quarter(flow, cast)

    content = login(cast.ops).get("/orders/xlsx/").content

    got = lines(content)
    assert len(got) == 5
    assert {line["来电号码"] for line in got} == {"139****5678", "137****1111"}
    assert {line["来电人"] for line in got} == {"江**", "林**"}
    assert not CallerView.objects.exists()


def test_unit_sees_in_full_only_the_callers_of_orders_it_holds(flow, cast):
    a, b, c, w, later = build_quarter(flow, cast)

    content = login(cast.east_staff).get("/orders/xlsx/").content

    # 东城 once held w, now 西城's: listed, its caller masked.
    by_number = {line["编号"]: line for line in lines(content)}
    assert set(by_number) == {o.number for o in (a, b, c, w, later)}
    assert by_number[w.number]["来电号码"] == "137****1111"
    assert by_number[w.number]["责任单位"] == "西城供水分公司"
    assert by_number[a.number]["来电号码"] == "13912345678"
    seen = CallerView.objects.filter(user=cast.east_staff)
    assert sorted(v.order_id for v in seen) == sorted(o.pk for o in (a, b, c, later))


def test_order_list_export_keeps_the_page_filters(flow, cast):
    a, b, c, w, later = build_quarter(flow, cast)
    client = login(cast.agent)

    content = client.get("/orders/xlsx/?unit=WEST&state=dispatched").content
    page = client.get("/orders/?unit=WEST&state=dispatched").content.decode()
    late = lines(client.get("/orders/xlsx/?overdue=yes").content)

    got = lines(content)
    assert [line["编号"] for line in got] == [w.number]
    assert w.number in page and a.number not in page
    line = got[0]
    assert line["受理时间"] == datetime(2026, 9, 7, 9, 0)
    assert (line["来源"], line["诉求类型"]) == ("供水热线", "举报")
    assert (line["分类"], line["区域"]) == ("漏水", "西城区")
    assert line["地址"] == "西城区西门路8号"
    assert (line["责任单位"], line["状态"]) == ("西城供水分公司", "待签收")
    assert line["有效回复时间"] == "—"
    assert "计入原因" not in line
    assert notes(content)["筛选"] == "状态：待签收；责任单位：西城供水分公司"
    assert notes(content)["行数"] == "1"
    # Newest first, as on the page; a, b and c were answered in time (D4).
    assert [line["编号"] for line in late] == [later.number, w.number]


def test_order_list_lines_show_due_and_valid_reply(flow, cast):
    a = flow.follow_up(received_at=bj(2026, 7, 6, 9, 0))

    got = lines(orders_workbook(cast.ops, [a]))

    # Received Monday 6 July, 7 working days: due 24:00 on 15 July (D2);
    # the reply submitted three hours after receipt was judged valid.
    assert got[0]["办理时限"] == "2026-07-15 24:00"
    assert got[0]["有效回复时间"] == datetime(2026, 7, 6, 12, 0)
    assert got[0]["状态"] == "待回访"


def test_text_starting_with_equals_stays_text(flow, cast):
    order = flow.handling(
        received_at=bj(2026, 7, 6, 9, 0), address='=HYPERLINK("http://x","点")'
    )

    sheet = workbook(orders_workbook(cast.ops, [order]))["工单"]

    cell = sheet.cell(2, 7)
    assert sheet.cell(1, 7).value == "地址"
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","点")', "s")


def test_characters_a_workbook_cannot_hold_are_dropped(flow, cast):
    order = flow.handling(received_at=bj(2026, 7, 6, 9, 0))
    # An address from before intake cleaned control characters (R1.1).
    Order.objects.filter(pk=order.pk).update(address="东门\x1b大街33号")

    got = lines(orders_workbook(cast.ops, Order.objects.filter(pk=order.pk)))

    assert got[0]["地址"] == "东门大街33号"


# --- the drill-down of one figure -------------------------------------------------


def test_r6_3_drilldown_export_gives_why_each_order_counts(flow, cast):
    a, b, c, w, later = build_quarter(flow, cast)
    url = "/report/orders/xlsx/?quarter=2026Q3&unit=TOTAL&figure=followed_up"

    response = login(cast.east_head).get(url)

    got = lines(response.content)
    assert [line["编号"] for line in got] == [a.number, b.number, c.number]
    assert [line["计入原因"] for line in got] == [
        "过程满意，结果满意，已反馈",
        "过程基本满意，结果不满意，未反馈",
        "过程不满意，结果基本满意，未反馈",
    ]
    assert got[0]["计入时间"] == datetime(2026, 7, 7, 10, 0)
    assert got[0]["计入单位"] == "东城供水分公司"
    assert got[0]["来电号码"] == "13912345678"
    assert CallerView.objects.filter(user=cast.east_head, channel="excel").count() == 3
    assert notes(response.content)["单位"] == "集团合计"


def test_r6_3_drilldown_export_leaves_out_orders_not_visible(flow, cast):
    build_quarter(flow, cast)
    url = "/report/orders/xlsx/?quarter=2026Q3&unit=TOTAL&figure=followed_up"

    response = login(cast.west_head).get(url)

    assert lines(response.content) == []
    assert [c.value for c in workbook(response.content)["工单"][1]][-1] == "计入原因"
    assert notes(response.content)["未列出"] == "另有 3 条不在您的查看范围内"


# --- who may download, and how it is named -------------------------------------


def test_r6_3_assessment_download_is_named_and_typed(flow, cast):
    build_quarter(flow, cast)

    response = login(cast.ops).get("/report/xlsx/?quarter=2026Q3")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    name = quote("考核_2026Q3.xlsx")  # %E8%80%83%E6%A0%B8_2026Q3.xlsx
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"assessment_2026Q3.xlsx\"; filename*=UTF-8''{name}"
    )
    assert response["Cache-Control"] == "no-store"
    assert workbook(response.content).sheetnames[0] == "考核"


def test_r6_3_assessment_download_for_dates_like_the_page(flow, cast):
    build_quarter(flow, cast)

    response = login(cast.east_head).get(
        "/report/xlsx/?start=2026-07-01&end=2026-07-31"
    )

    figures = workbook(response.content)["考核"]
    header = [c.value for c in figures[1]]
    east = dict(
        zip(header, [c.value for c in row_of(figures, "东城供水分公司")], strict=True)
    )
    assert (east["受理"], east["回访"]) == (1, 1)  # only order a is of July
    assert "filename*=UTF-8''" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "url",
    [
        "/report/xlsx/?quarter=2026Q3",
        "/report/orders/xlsx/?quarter=2026Q3&unit=EAST&figure=received",
    ],
)
def test_report_downloads_refused_to_roles_that_may_not_see_the_report(cast, url):
    anonymous = Client().get(url)
    staff = login(cast.east_staff).get(url)
    designee = login(cast.west_designee).get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")
    assert staff.status_code == 403 and designee.status_code == 403
    assert "application/vnd" not in staff["Content-Type"]


def test_order_list_download_needs_a_login(cast):
    response = Client().get("/orders/xlsx/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_report_download_of_unknown_figure_or_period_is_refused(cast):
    client = login(cast.ops)

    figure = client.get("/report/orders/xlsx/?unit=EAST&figure=x")
    quarter = client.get("/report/xlsx/?quarter=2026Q9")

    assert (figure.status_code, quarter.status_code) == (400, 400)
    assert "没有这个指标" in figure.content.decode()
    assert "季度格式" in quarter.content.decode()


def test_pages_link_their_downloads(flow, cast):
    build_quarter(flow, cast)
    client = login(cast.ops)

    report = client.get("/report/?quarter=2026Q3").content.decode()
    drill = client.get(
        "/report/orders/?quarter=2026Q3&unit=EAST&figure=received"
    ).content.decode()
    orders = client.get("/orders/?unit=EAST").content.decode()

    assert '<a href="/report/xlsx/?quarter=2026Q3">导出 Excel</a>' in report
    assert (
        "/report/orders/xlsx/?quarter=2026Q3&amp;unit=EAST&amp;figure=received" in drill
    )
    assert '<a href="/orders/xlsx/?unit=EAST">导出 Excel</a>' in orders
