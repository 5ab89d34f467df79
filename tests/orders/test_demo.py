"""The demo: sample orders imported, malformed rows refused, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from gongdan.orders.demo import data_rows, load_demo
from gongdan.orders.models import Event, Order


@pytest.fixture
def demo(db, media_root):  # type: ignore[no-untyped-def]
    return load_demo()


def test_r1_1_demo_refuses_exactly_the_malformed_phone_rows(demo):
    refused = {(r.row, r.external_no) for r in demo.imported.refused}

    assert refused == {
        (23, "QH12345-2026-049829"),
        (53, "GS-2026-012597"),
        (95, "GS-2026-014354"),
        (103, "QH12345-2026-058818"),
        (116, "QH12345-2026-060749"),
    }
    assert len(demo.imported.created) == 148 - 5
    assert Order.objects.count() == 143


def test_demo_twice_adds_nothing(demo):
    orders, events = Order.objects.count(), Event.objects.count()

    again = load_demo()

    assert again.imported.created == []
    assert Order.objects.count() == orders
    assert Event.objects.count() == events


def test_demo_plays_paths(demo):
    assert Order.objects.filter(duplicate_of__isnull=False).count() == 6
    assert Order.objects.filter(state="returned").count() == 19
    assert Order.objects.filter(closure="plan").count() == 11
    assert Order.objects.filter(closure="unresolvable").count() == 3
    assert Order.objects.filter(redo_count__gt=0).count() == 1
    assert Order.objects.filter(caller_delay_accepted=True).count() == 3


def test_r3_6_demo_refuses_exactly_the_rows_marked_invalid(demo):
    """Every reply the sample data marks invalid is refused while playing,
    and no other row is; the one 'mismatch' is judged invalid by a person."""
    rows = {r["external_no"]: r for r in data_rows("orders.csv")}
    refused = {line.split(":")[0] for line in demo.refused_actions}
    imported = {o.external_no for o in demo.imported.created}
    marked = {
        no
        for no, row in rows.items()
        if "invalid_reply:" in row["notes"]
        and "invalid_reply:mismatch" not in row["notes"]
        and not row["expected_path"].startswith("duplicate_of")
        and no in imported
    }

    assert refused == marked
    assert Order.objects.get(external_no="GS-2026-010544").replies.get().verdict == (
        "invalid"
    )


def test_demo_report_and_token_commands(demo):
    out = StringIO()
    call_command("report", quarter="2026Q3", format="json", stdout=out)
    assert '"received": 137' in out.getvalue()

    token = StringIO()
    call_command("token", "agent1", stdout=token)
    assert len(token.getvalue().strip()) == 40
