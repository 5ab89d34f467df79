"""Excel downloads of the pages: the assessment, the orders behind one of
its figures, and the order list with its filters.

Each download asks what its page asks: the report's role check
(``views.may_see_report``) and, for orders, ``visible_orders``. Callers are
masked as in ``reports.excel``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from gongdan.orders.queries import visible_orders
from gongdan.reports.excel import (
    assessment_workbook,
    describe_period,
    facts_workbook,
    orders_workbook,
)
from gongdan.reports.queries import (
    PeriodError,
    assess,
    drill_down,
    period_from,
)

from . import forms as f
from .views import bad_request, forbidden, may_see_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED = "您的角色不能查看季度考核。"


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    """考核 as a workbook, for the period the report page shows."""
    if not may_see_report(request):
        return forbidden(request, REFUSED)
    try:
        period = period_from(request.GET)
    except PeriodError as error:
        return bad_request(request, str(error), reverse("report"))
    content = assessment_workbook(assess(period))
    return download(content, f"考核_{period.label}", f"assessment_{period.label}")


@login_required
def report_orders_xlsx(request: HttpRequest) -> HttpResponse:
    """The orders behind one figure, as far as the user may see them."""
    if not may_see_report(request):
        return forbidden(request, REFUSED)
    try:
        drill = drill_down(request.GET)
    except PeriodError as error:
        return bad_request(request, str(error), reverse("report"))
    period, figure, unit, code = drill.period, drill.figure, drill.unit, drill.code
    key = figure.key
    facts = drill.facts.select_related("order__unit")
    visible = visible_orders(request.user).values("pk")  # type: ignore[arg-type]
    shown = facts.filter(order__in=visible)
    hidden = facts.count() - shown.count()
    about = [
        ("期间", describe_period(period)),
        ("单位", unit.name if unit else "集团合计"),
        ("指标", f"{figure.label}（{figure.rule}）：{figure.definition}"),
        ("导出时间", now_text()),
    ]
    if hidden:
        about.append(("未列出", f"另有 {hidden} 条不在您的查看范围内"))
    content = facts_workbook(request.user, shown.iterator(), about)  # type: ignore[arg-type]
    return download(
        content,
        f"考核明细_{period.label}_{code}_{figure.label}",
        f"assessment_{period.label}_{code}_{key}",
    )


@login_required
def orders_xlsx(request: HttpRequest) -> HttpResponse:
    """The order list with the filters of its page, every page of it."""
    form = f.OrderFilterForm(request.GET or None)
    orders = form.filter_orders(
        visible_orders(request.user),  # type: ignore[arg-type]
        timezone.now(),
    ).order_by("-received_at", "-pk")
    about = [
        ("筛选", "；".join(f"{k}：{v}" for k, v in form.describe()) or "全部"),
        ("导出时间", now_text()),
    ]
    content = orders_workbook(request.user, orders.iterator(), about)  # type: ignore[arg-type]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(content, f"工单_{stamp}", f"orders_{stamp}")


def download(content: bytes, name: str, fallback: str) -> HttpResponse:
    """An xlsx attachment named ``name``, with an ASCII ``fallback`` name
    for clients that cannot read RFC 6266's ``filename*``."""
    plain = re.sub(r"[^A-Za-z0-9_-]+", "-", fallback).strip("-") or "export"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{plain}.xlsx"; '
        f"filename*=UTF-8''{quote(name + '.xlsx', safe='')}"
    )
    # The lists may hold callers in full: no cache keeps a copy.
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def now_text() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")
