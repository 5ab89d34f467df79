"""The charts of the assessment page and the tables that carry their numbers.

Each chart is built once, here, as names along its axis and series of
values; the page draws it with ECharts (``static/web/report-charts.js``)
from the JSON of ``Chart.data`` and prints the very same values in the
table beside it (``Chart.rows``), so a chart never says more than its
table. Every value links to the drill-down of the orders behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from urllib.parse import urlencode

from django.urls import reverse

from gongdan.reports.queries import (
    FIGURE_BY_KEY,
    RATE_LABELS,
    Assessment,
    Period,
    date_period,
)
from gongdan.rules.satisfaction import format_percent
from gongdan.rules.workdays import TZ

COUNTED = ("received", "overdue")
RATE = "user_satisfaction"


@dataclass(frozen=True)
class Cell:
    label: str
    link: str | None


@dataclass(frozen=True)
class Series:
    """One figure along the chart's axis: counts as bars, a rate as a line
    or as points (``unit`` "%" puts it on the percent axis)."""

    key: str
    name: str
    kind: str
    unit: str
    values: list[int | float | None]
    labels: list[str]
    links: list[str | None]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    axis: str
    names: list[str]
    series: list[Series]

    def data(self) -> dict[str, object]:
        """What the script draws, for ``json_script``."""
        return {
            "title": self.title,
            "axis": self.axis,
            "names": self.names,
            "series": [
                {
                    "key": s.key,
                    "name": s.name,
                    "type": s.kind,
                    "unit": s.unit,
                    "values": s.values,
                    "links": s.links,
                }
                for s in self.series
            ],
        }

    def rows(self) -> list[tuple[str, list[Cell]]]:
        """The table beside the chart: one row per name, one cell per
        series, each the label of the value drawn."""
        return [
            (name, [Cell(s.labels[i], s.links[i]) for s in self.series])
            for i, name in enumerate(self.names)
        ]


def drill_link(period: Period, unit: str, figure: str, **within: str) -> str:
    """The drill-down page of one figure of a unit (or ``TOTAL``)."""
    query = urlencode({"unit": unit, "figure": figure, **within})
    return f"{reverse('report_orders')}?{period.query}&{query}"


def percent_value(rate: Fraction | None) -> float | None:
    """A rate as the number the chart draws: the percent the table shows
    (rounded half up to two decimals, D5), or None where it is "—"."""
    return None if rate is None else float(format_percent(rate).rstrip("%"))


def count_series(key: str, values: list[int], links: list[str]) -> Series:
    return Series(
        key,
        FIGURE_BY_KEY[key].label,
        "bar",
        "件",
        list(values),
        [str(v) for v in values],
        [link if v else None for v, link in zip(values, links, strict=True)],
    )


def rate_series(
    kind: str, rates: list[Fraction | None], links: list[str | None]
) -> Series:
    return Series(
        RATE,
        RATE_LABELS[RATE],
        kind,
        "%",
        [percent_value(r) for r in rates],
        [format_percent(r) for r in rates],
        [None if r is None else link for r, link in zip(rates, links, strict=True)],
    )


def month_period(period: Period, month: str) -> Period:
    """The days of ``month`` (2026-07) that lie in ``period``."""
    year, number = (int(part) for part in month.split("-"))
    after = date(year + number // 12, number % 12 + 1, 1)
    first = max(date(year, number, 1), period.start.astimezone(TZ).date())
    last = min(
        after - timedelta(days=1),
        (period.end - timedelta(days=1)).astimezone(TZ).date(),
    )
    return date_period(first, last)


def trend_chart(result: Assessment) -> Chart:
    """Month by month for the group: received and overdue, and the user
    satisfaction of the month's follow-ups (R6.3)."""
    months = result.monthly()
    spans = [month_period(result.period, str(m["month"])) for m in months]
    series = [
        count_series(
            key,
            [int(m[key]) for m in months],  # type: ignore[call-overload]
            [drill_link(span, "TOTAL", key) for span in spans],
        )
        for key in COUNTED
    ]
    series.append(
        rate_series(
            "line",
            [m[RATE] for m in months],  # type: ignore[misc]
            [drill_link(span, "TOTAL", "followed_up") for span in spans],
        )
    )
    return Chart(
        "trend",
        "各月受理、超期与用户满意率（全集团）",
        "月份",
        [str(m["month"]) for m in months],
        series,
    )


def units_chart(result: Assessment) -> Chart:
    """The units side by side: received, overdue, user satisfaction."""
    units = result.units
    series = [
        count_series(
            key,
            [u.counts[key] for u in units],
            [drill_link(result.period, u.code, key) for u in units],
        )
        for key in COUNTED
    ]
    series.append(
        rate_series(
            "scatter",
            [u.rates.user for u in units],
            [drill_link(result.period, u.code, "followed_up") for u in units],
        )
    )
    return Chart(
        "units",
        "各单位受理、超期与用户满意率",
        "责任单位",
        [u.name for u in units],
        series,
    )


def breakdown_chart(result: Assessment, by: str) -> Chart:
    """Received and overdue orders of the group by category or district."""
    rows = result.breakdown(by)
    series = [
        count_series(
            key,
            [int(row[key]) for row in rows],  # type: ignore[call-overload]
            [
                drill_link(result.period, "TOTAL", key, **{by: str(row["name"])})
                for row in rows
            ],
        )
        for key in COUNTED
    ]
    title, axis = {
        "category": ("各诉求分类受理与超期（按上级分类）", "诉求分类"),
        "district": ("各区域受理与超期", "区域"),
    }[by]
    return Chart(by, title, axis, [str(row["name"]) for row in rows], series)


def report_charts(result: Assessment) -> list[Chart]:
    """The page's charts, all counted at the assessment's own moment."""
    return [
        trend_chart(result),
        units_chart(result),
        breakdown_chart(result, "category"),
        breakdown_chart(result, "district"),
    ]
