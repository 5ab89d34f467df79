"""D1: the calendar edited in the admin, recorded, and recomputing orders."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model

from gongdan.workdays.models import CalendarDay
from tests.conftest import bj


def admin_client(client, cast):  # type: ignore[no-untyped-def]
    from gongdan.org.models import Membership, Unit

    admin = get_user_model().objects.create_superuser("root", password="pw-root-1")
    Membership.objects.create(
        user=admin, unit=Unit.objects.get(code="OPS"), role="admin"
    )
    client.force_login(admin)
    return client, admin


def test_d1_admin_edit_records_who_and_moves_open_orders(client, flow, cast):
    order = flow.handling(received_at=bj(2026, 7, 6, 9, 0))
    client, admin = admin_client(client, cast)

    answer = client.post(
        "/admin/workdays/calendarday/add/",
        {"day": "2026-07-08", "kind": "holiday", "name": "防汛停工"},
    )

    assert answer.status_code == 302
    assert CalendarDay.objects.filter(name="防汛停工").exists()
    entry = LogEntry.objects.get(object_repr__contains="防汛停工")
    assert entry.user == admin
    order.refresh_from_db()
    assert order.due_at == bj(2026, 7, 17)
    moved = order.events.get(action="due_changed")
    assert moved.actor == admin


def test_d1_admin_pages_warn_of_a_missing_year(client, cast, settings):
    from unittest import mock

    client, _ = admin_client(client, cast)

    with mock.patch("gongdan.workdays.context.missing_next_year", return_value=2027):
        page = client.get("/admin/").content.decode()

    assert "2027 年的节假日安排尚未录入日历" in page


def test_d7_role_and_time_limit_changes_in_the_admin_are_recorded(client, cast):
    from gongdan.orders.models import TimeLimit
    from gongdan.org.models import Membership

    client, admin = admin_client(client, cast)
    user = get_user_model().objects.create_user("newcomer")
    east = cast.east

    added = client.post(
        "/admin/org/membership/add/",
        {"user": user.pk, "unit": east.pk, "role": "staff"},
    )
    limit = TimeLimit.objects.first()
    changed = client.post(
        f"/admin/orders/timelimit/{limit.pk}/change/",
        {
            "source": "",
            "kind": limit.kind,
            "category": limit.category,
            "urgency": limit.urgency,
            "amount": limit.amount + 1,
            "unit": limit.unit,
            "position": limit.position,
            "note": limit.note,
        },
    )

    assert added.status_code == 302 and changed.status_code == 302
    assert Membership.objects.filter(user=user, role="staff").exists()
    entries = LogEntry.objects.filter(user=admin)
    assert entries.filter(content_type__model="membership").exists()
    assert entries.filter(content_type__model="timelimit").exists()
