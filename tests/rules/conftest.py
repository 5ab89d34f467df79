"""Shared fixtures of the rule tests: the package calendar and the sample
orders."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gongdan.rules.workdays import WorkCalendar, calendar_from_package

REPO = Path(__file__).resolve().parents[2]
ORDERS_CSV_PATHS = (
    REPO / "gongdan" / "data" / "orders.csv",
    Path("/work/shared/data/orders.csv"),
)


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return calendar_from_package()


@pytest.fixture(scope="session")
def orders() -> list[dict[str, str]]:
    """The sample orders, from the project's copy if there is one."""
    for path in ORDERS_CSV_PATHS:
        if path.exists():
            with path.open(encoding="utf-8", newline="") as f:
                return list(csv.DictReader(f))
    pytest.skip("orders.csv not found")
