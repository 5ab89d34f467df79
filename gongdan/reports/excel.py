"""The assessment and lists of orders as Excel workbooks.

In the assessment workbook every rate is a formula over the counts of the
"公式输入" sheet, so a reader can check it by hand (R6.3); a rate over no
follow-up is the text "—" (D5). A list of orders masks each caller the
reader does not call, and records every caller shown in full
(``orders.queries.callers_of``). docs/exports.md describes both.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongdan.orders.models import Order
from gongdan.orders.queries import callers_of
from gongdan.rules.workdays import TZ, format_due

from .models import Fact
from .queries import (
    FIGURES,
    INPUTS,
    RATE_LABELS,
    Assessment,
    Figure,
    Period,
    UnitFigures,
)

logger = logging.getLogger(__name__)

DASH = "—"  # D5: a rate whose denominator is zero
PERCENT = "0.00%"  # D5: two decimals of a percent, half up
MOMENT = "yyyy-mm-dd hh:mm"
ASSESSMENT_SHEET = "考核"
INPUT_SHEET = "公式输入"
TERMS_SHEET = "口径"
# The columns of "公式输入", in order: the inputs of R6.3 for each unit.
INPUT_COLUMNS = (
    ("followed_up", "回访数 N"),
    ("feedback", "已反馈"),
    ("process_satisfied", "过程满意"),
    ("process_basic", "过程基本满意"),
    ("result_satisfied", "结果满意"),
    ("result_basic", "结果基本满意"),
)
# R6.3 as the standard writes it, then as the formulas of "考核" compute it.
R6_3_TEXT = (
    "R6.3 计算公式（N 为联系上来电人的回访数，D5）：",
    "反馈率 = 已反馈 ÷ N",
    "过程满意率 = [(过程满意 + 过程基本满意) ÷ N + 反馈率] ÷ 2",
    "结果满意率 = (结果满意 + 结果基本满意) ÷ N",
    "用户满意率 = 过程满意率 × 40% + 结果满意率 × 60%",
    "",
    "化简后每个比率都是两个整数之比，“考核”表的公式按此计算：",
    "反馈率 = 已反馈 ÷ N",
    "过程满意率 = (过程满意 + 过程基本满意 + 已反馈) ÷ (2 × N)",
    "结果满意率 = (结果满意 + 结果基本满意) ÷ N",
    "用户满意率 = [过程满意 + 过程基本满意 + 已反馈 + 3 × (结果满意 + 结果基本满意)]"
    " ÷ (5 × N)",
    "",
    "百分数按 D5 四舍五入到两位小数，公式写作 "
    "INT((20000 × 分子 + 分母) ÷ (2 × 分母)) ÷ 10000，",
    "只用整数运算，所以与系统页面显示的百分数一致。",
    "N 为 0 时比率无意义，显示“—”，不是 0% 或 100%（D5）。",
)
# Each rate of "考核" as numerator and denominator over a row of "公式输入"
# (B = N, C = feedback, D–E process, F–G result): whole numbers, so the
# formula can round half up exactly (D5). Dividing first would round the
# binary quotient, and a rate such as 23/160 = 14.375% would show 14.37%.
RATE_FORMULAS = {
    "feedback_rate": ("{C}", "{B}"),
    "process_satisfaction": ("{D}+{E}+{C}", "2*{B}"),
    "result_satisfaction": ("{F}+{G}", "{B}"),
    "user_satisfaction": ("{D}+{E}+{C}+3*({F}+{G})", "5*{B}"),
}
RATE_TERMS = {
    "feedback_rate": "已反馈 ÷ N",
    "process_satisfaction": "[(过程满意 + 过程基本满意) ÷ N + 反馈率] ÷ 2",
    "result_satisfaction": "(结果满意 + 结果基本满意) ÷ N",
    "user_satisfaction": "过程满意率 × 40% + 结果满意率 × 60%",
}
ORDER_COLUMNS = (
    "编号",
    "受理时间",
    "来源",
    "诉求类型",
    "分类",
    "区域",
    "地址",
    "来电人",
    "来电号码",
    "责任单位",
    "状态",
    "办理时限",
    "有效回复时间",
)
FACT_COLUMNS = ("计入时间", "计入单位", "计入原因")
# A caller shown in full in an export is recorded with this channel.
CHANNEL = "excel"
# Who sees callers in full (orders.queries.may_see_caller), for "说明".
MASK_NOTE = (
    "热线坐席、回访坐席与当前责任单位的人员可见完整姓名和号码，其余为遮盖；"
    "每次完整显示均记录查看人、工单与时间"
)
BATCH = 1000
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


# --- the assessment ---------------------------------------------------------


def assessment_workbook(assessment: Assessment) -> bytes:
    """The assessment as an xlsx file: "考核", "公式输入" and "口径"."""
    book = Workbook()
    rows = [*assessment.units, assessment.total]
    write_figures(book.active, rows)
    write_inputs(book.create_sheet(INPUT_SHEET), rows)
    write_terms(book.create_sheet(TERMS_SHEET), assessment)
    return saved(book)


def write_figures(sheet: Worksheet, rows: Sequence[UnitFigures]) -> None:
    """One line per unit and the group: counts, mean dispatch minutes and
    the four rates as formulas over "公式输入" (R6.3), or "—" (D5)."""
    sheet.title = ASSESSMENT_SHEET
    header = [
        "责任单位",
        *(f.label for f in FIGURES),
        "平均转办用时（分钟）",
        *RATE_LABELS.values(),
    ]
    sheet.append(header)

    for line, figures in enumerate(rows, start=2):
        minutes = figures.dispatch_minutes
        sheet.append(
            [
                figures.name,
                *(figures.counts[f.key] for f in FIGURES),
                DASH if minutes is None else float(minutes),
                *(rate_cell(figures, key, line) for key in RATE_LABELS),
            ]
        )
        first_rate = len(FIGURES) + 3
        sheet.cell(line, len(FIGURES) + 2).number_format = "0.0"
        for column in range(first_rate, first_rate + len(RATE_LABELS)):
            sheet.cell(line, column).number_format = PERCENT

    finish(sheet, freeze="B2", header_lines=2)


def rate_cell(figures: UnitFigures, key: str, line: int) -> str:
    """The formula of one rate over line ``line`` of "公式输入", or "—"
    when nothing was followed up (D5)."""
    if figures.counts["followed_up"] == 0:
        return DASH
    cells = {letter: f"'{INPUT_SHEET}'!{letter}{line}" for letter in "BCDEFG"}
    numerator, denominator = (part.format(**cells) for part in RATE_FORMULAS[key])
    return f"=INT((20000*({numerator})+{denominator})/(2*{denominator}))/10000"


def write_inputs(sheet: Worksheet, rows: Sequence[UnitFigures]) -> None:
    """The counts the rates are made of, on the same lines as "考核", and
    R6.3 spelled out below them."""
    sheet.append(["责任单位", *(label for _, label in INPUT_COLUMNS)])
    for figures in rows:
        sheet.append([figures.name, *(figures.counts[key] for key, _ in INPUT_COLUMNS)])

    sheet.append([])
    for text in R6_3_TEXT:
        sheet.append([text or None])

    finish(sheet, freeze="A2", widest=24)


def write_terms(sheet: Worksheet, assessment: Assessment) -> None:
    """The period, when the workbook was made, and what each column counts."""
    limit = int(settings.GONGDAN_DISPATCH_DELAY_MINUTES)
    made = assessment.now.astimezone(TZ).strftime("%Y-%m-%d %H:%M")
    sheet.append(["项目", "规则", "口径"])
    sheet.append(["期间", "", describe_period(assessment.period)])
    sheet.append(["生成时间", "", f"{made}（北京时间）"])
    sheet.append(["转办超时阈值", "R1.3", f"受理后超过 {limit} 分钟才转办计为转办超时"])
    sheet.append(
        [
            "计入规则",
            "",
            "每项按事实发生的时间计入期间，计入当时负责的单位（转办只影响其后的事实）；"
            "集团合计为各单位之和",
        ]
    )

    for figure in FIGURES:
        sheet.append([figure.label, figure.rule, figure.definition])
    sheet.append(
        ["平均转办用时（分钟）", "R1.3", "热线转办的工单从受理到转办的平均分钟数"]
    )
    for figure in INPUTS:
        sheet.append([figure.label, figure.rule, definition_of(figure)])
    for key, label in RATE_LABELS.items():
        sheet.append([label, "R6.3 D5", f"{RATE_TERMS[key]}；N 为 0 时显示“—”"])

    finish(sheet, freeze="A2", widths={"A": 22, "B": 14, "C": 90})


def describe_period(period: Period) -> str:
    """Name the period and its days, e.g. for the "口径" sheet."""
    first = period.start.astimezone(TZ).date()
    last = (period.end - timedelta(days=1)).astimezone(TZ).date()
    return f"{period.label}：{first} 至 {last}（含），北京时间"


def definition_of(figure: Figure) -> str:
    """A rate input's definition, or the rating it counts (R6.2)."""
    if figure.definition:
        return figure.definition
    aspect = "办理过程" if figure.key.startswith("process") else "办理结果"
    rating = "基本满意" if figure.key.endswith("basic") else "满意"
    return f"联系上来电人的回访中，对{aspect}评价为{rating}的工单，按回访时间计"


# --- lists of orders --------------------------------------------------------


def orders_workbook(
    user: AbstractBaseUser,
    orders: Iterable[Order],
    about: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A list of orders as an xlsx file, callers masked unless ``user``
    calls them; ``about`` (label, text) pairs describe the list."""
    lines = ((order, None) for order in orders)
    return list_workbook(user, lines, about, with_facts=False)


def facts_workbook(
    user: AbstractBaseUser,
    facts: Iterable[Fact],
    about: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The orders behind one figure, one line per fact, with when, for
    which unit and why each counts (the drill-down of the assessment)."""
    lines = ((fact.order, fact) for fact in facts)
    return list_workbook(user, lines, about, with_facts=True)


def list_workbook(
    user: AbstractBaseUser,
    rows: Iterable[tuple[Order, Fact | None]],
    about: Sequence[tuple[str, str]],
    with_facts: bool,
) -> bytes:
    """Write "工单" line by line (a long list stays small in memory), then
    "说明". Callers are looked up a batch at a time."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    columns = ORDER_COLUMNS + (FACT_COLUMNS if with_facts else ())
    for index, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width_of(name)
    sheet.freeze_panes = "A2"
    print_across(sheet)
    sheet.append([text_cell(sheet, name, bold=True) for name in columns])

    callers: dict[int, tuple[str, str]] = {}
    count = 0
    for batch in batched(rows, BATCH):
        unseen = [order for order, _ in batch if order.pk not in callers]
        callers.update(callers_of(user, unseen, CHANNEL))
        for order, fact in batch:
            sheet.append(order_line(sheet, order, callers[order.pk], fact))
        count += len(batch)

    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 60
    for label, text in [*about, ("行数", str(count)), ("来电人", MASK_NOTE)]:
        notes.append([text_cell(notes, label, bold=True), text_cell(notes, text)])
    logger.info("order list exported: %d lines for user %s", count, user.pk)
    return saved(book)


def order_line(
    sheet: Any, order: Order, caller: tuple[str, str], fact: Fact | None
) -> list[Cell]:
    """One line of "工单": the order as the reader may see it."""
    name, phone = caller
    texts = [
        order.number,
        moment_cell(sheet, order.received_at),
        order.get_source_display(),
        order.get_kind_display(),
        order.category.name if order.category else "待确认",
        order.district,
        order.address,
        name,
        phone,
        order.unit.name if order.unit else DASH,
        order.get_state_display(),
        format_due(order.due_at) if order.due_at else DASH,
        moment_cell(sheet, order.valid_reply_at),
    ]
    if fact is not None:
        texts += [moment_cell(sheet, fact.at), fact.unit.name, fact.note]
    return [
        cell if isinstance(cell, Cell) else text_cell(sheet, str(cell))
        for cell in texts
    ]


def text_cell(sheet: Any, text: str, bold: bool = False) -> Cell:
    """A cell that holds ``text`` as text: a leading "=" stays a character,
    never a formula, and characters a workbook cannot hold are dropped."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"
    if bold:
        cell.font = BOLD
    return cell


def moment_cell(sheet: Any, moment: datetime | None) -> Cell:
    """A Beijing date and time (a workbook has no time zones), or "—"."""
    if moment is None:
        return text_cell(sheet, DASH)
    cell = WriteOnlyCell(sheet, value=moment.astimezone(TZ).replace(tzinfo=None))
    cell.number_format = MOMENT
    return cell


# --- shared ------------------------------------------------------------------


def finish(
    sheet: Worksheet,
    freeze: str,
    widths: dict[str, float] | None = None,
    widest: float = 40,
    header_lines: int = 1,
) -> None:
    """Bold the header row, freeze it, size the columns to their text, and
    print the sheet across a landscape page."""
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = freeze
    if header_lines > 1:
        sheet.row_dimensions[1].height = 16 * header_lines
    print_across(sheet)
    if widths:
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = WRAP
        return
    for column in sheet.iter_cols():
        header = -(-display_width(str(column[0].value or "")) // header_lines)
        body = max((display_width(cell_text(c.value)) for c in column[1:]), default=0)
        letter = get_column_letter(column[0].column)
        sheet.column_dimensions[letter].width = min(max(header, body, 6) + 2, widest)


def print_across(sheet: Any) -> None:
    """Print on landscape pages as wide as the sheet, the header on each."""
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def cell_text(value: object) -> str:
    """What a cell shows, roughly: a formula shows a percent."""
    if isinstance(value, str) and value.startswith("="):
        return "100.00%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return "" if value is None else str(value)


def display_width(text: str) -> int:
    """Columns ``text`` takes: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# Columns whose text is longer than their name.
WIDTHS = {"编号": 22, "地址": 36, "计入原因": 48, "来电号码": 16}
WIDTHS |= {name: 19 for name in ("受理时间", "办理时限", "有效回复时间", "计入时间")}


def width_of(column: str) -> float:
    return WIDTHS.get(column, max(display_width(column) + 4, 10))


def batched(
    rows: Iterable[tuple[Order, Fact | None]], size: int
) -> Iterator[list[tuple[Order, Fact | None]]]:
    batch: list[tuple[Order, Fact | None]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
