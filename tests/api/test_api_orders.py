"""The REST API: each action through its endpoint, with stable errors."""

from datetime import timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongdan.orders.models import Order
from tests.conftest import GOOD_REPLY


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


ORDER = {
    "source": "citizen_hotline",
    "kind": "report",
    "category": "漏水",
    "content": "东门大街33号门口人行道有自来水往外冒，已经流了一上午。",
    "address": "东城区东门大街33号",
    "district": "东城区",
    "caller_name": "江女士",
    "caller_phone": "13912345678",
    "received_at": "2026-07-06T09:00:00+08:00",
}


def test_r1_1_api_refusal_names_rule_code_and_field(cast):
    api = client_for(cast.agent)

    answer = api.post("/api/orders/", {**ORDER, "address": ""}, format="json")

    assert answer.status_code == 400
    body = answer.json()
    assert body["rule"] == "R1.1"
    assert body["code"] == "address_missing"
    assert body["field"] == "address"
    assert "地址" in body["message"]
    assert Order.objects.count() == 0


def test_api_without_credentials_refused(cast):
    answer = APIClient().get("/api/orders/")

    assert answer.status_code == 401


def test_api_whole_lifecycle(cast):
    agent, designee = client_for(cast.agent), client_for(cast.east_designee)
    staff, ops = client_for(cast.east_staff), client_for(cast.ops)

    created = agent.post("/api/orders/", ORDER, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    url = f"/api/orders/{pk}"

    assert (
        agent.post(f"{url}/dispatch/", {"unit": "EAST"}, format="json").status_code
        == 200
    )
    assert designee.post(f"{url}/accept/").status_code == 200
    contact = {"method": "phone", "outcome": "已联系来电人，约定上门"}
    assert (
        staff.post(f"{url}/record-contact/", contact, format="json").status_code == 200
    )

    refused = designee.post(
        f"{url}/submit-reply/",
        {"kind": "resolved", "elements": GOOD_REPLY},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["rule"] == "R5.2"

    visit = {"findings": "现场确认人行道下支管接口渗漏。"}
    assert (
        staff.post(f"{url}/record-site-visit/", visit, format="json").status_code == 200
    )
    submitted = designee.post(
        f"{url}/submit-reply/",
        {"kind": "resolved", "elements": GOOD_REPLY},
        format="json",
    )
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted"

    judged = ops.post(f"{url}/judge-reply/", {"valid": True}, format="json")
    assert judged.json()["state"] == "follow_up"

    follow = {
        "reached": True,
        "contacted": True,
        "consistent": True,
        "feedback": True,
        "false_report": False,
        "process": "satisfied",
        "result": "satisfied",
    }
    closed = agent.post(f"{url}/follow-up/", follow, format="json")
    assert closed.status_code == 200, closed.json()
    detail = agent.get(f"{url}/").json()
    assert detail["state"] == "closed"
    assert [e["action"] for e in detail["events"]] == [
        "register",
        "dispatch",
        "accept",
        "record_contact",
        "record_site_visit",
        "submit_reply",
        "judge_reply",
        "follow_up",
    ]


def test_api_wrong_state_is_409(flow, cast):
    order = flow.handling()

    answer = client_for(cast.east_designee).post(f"/api/orders/{order.pk}/accept/")

    assert answer.status_code == 409
    assert answer.json()["code"] == "wrong_state"


def test_api_wrong_role_is_403(flow, cast):
    order = flow.submitted()

    answer = client_for(cast.east_designee).post(
        f"/api/orders/{order.pk}/judge-reply/", {"valid": True}, format="json"
    )

    assert answer.status_code == 403
    assert answer.json()["code"] == "role_not_allowed"


def test_r3_1_api_other_unit_cannot_read_the_order(flow, cast):
    order = flow.handling()

    west = client_for(cast.west_designee)

    assert west.get(f"/api/orders/{order.pk}/").status_code == 404
    assert west.get("/api/orders/").json()["count"] == 0
    assert client_for(cast.east_staff).get("/api/orders/").json()["count"] == 1


def test_api_filters_overdue(flow, cast):
    from django.utils import timezone

    late = flow.handling()  # received 2026-07-06, long past its due time
    fresh = flow.handling(received_at=timezone.now() - timedelta(hours=1))
    assert fresh.due_at > timezone.now()

    answer = client_for(cast.agent).get("/api/orders/?overdue=true")

    assert [o["id"] for o in answer.json()["results"]] == [late.pk]
    assert answer.json()["results"][0]["overdue"] is True


def test_api_attachment_upload_sniffs_type(flow, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongdan.orders.demo import tiny_png

    order = flow.handling()
    api = client_for(cast.east_staff)

    fake = SimpleUploadedFile("photo.png", b"<script>x</script>", "image/png")
    refused = api.post(f"/api/orders/{order.pk}/attachments/", {"file": fake})
    real = SimpleUploadedFile("photo.png", tiny_png(3), "image/png")
    stored = api.post(f"/api/orders/{order.pk}/attachments/", {"file": real})

    assert refused.status_code == 400
    assert refused.json()["code"] == "file_type_refused"
    assert stored.status_code == 201
    assert stored.json()["attachments"][0]["media_kind"] == "image"


def test_api_malformed_body_is_400_with_field(cast):
    answer = client_for(cast.agent).post(
        "/api/orders/", {**ORDER, "received_at": "yesterday"}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["field"] == "received_at"


def test_api_schema_is_served(cast):
    answer = client_for(cast.agent).get("/api/schema/")

    assert answer.status_code == 200
    assert b"/api/orders/{id}/submit-reply/" in answer.content


@pytest.mark.parametrize("quarter", ["2026Q5", "x"])
def test_api_report_bad_quarter(cast, quarter):
    answer = client_for(cast.ops).get(f"/api/report/?quarter={quarter}")

    assert answer.status_code == 400
    assert answer.json()["field"] == "quarter"


def test_d4_overdue_query_matches_rule(flow, cast):
    """The database filter and the pure rule agree on every kind of order."""
    from django.utils import timezone

    from gongdan.orders import actions
    from gongdan.orders.queries import mark_deadlines, overdue_q

    flow.handling()
    flow.submitted()
    on_time = flow.follow_up()
    late = flow.ready()
    actions.do_submit_reply(
        late,
        cast.east_designee,
        kind="resolved",
        elements=GOOD_REPLY,
        at=late.due_at + timedelta(hours=1),
    )
    now = timezone.now()

    in_db = set(Order.objects.filter(overdue_q(now)).values_list("pk", flat=True))
    in_rule = {
        o.pk for o in mark_deadlines(list(Order.objects.all()), now) if o.overdue
    }

    assert in_db == in_rule
    assert on_time.pk not in in_db
    assert late.pk in in_db


def test_d3_api_explains_the_due_time(flow, cast):
    order = flow.handling()
    request = actions_extension(order, cast)

    body = client_for(cast.east_designee).get(f"/api/orders/{order.pk}/").json()

    assert body["due_display"] == "2026-07-20 24:00"
    assert body["due_explanation"][0].startswith("基础时限：7个工作日")
    assert "批准延期 3 个工作日" in body["due_explanation"][1]
    assert body["requests"][0]["id"] == request.pk


def actions_extension(order, cast):  # type: ignore[no-untyped-def]
    from gongdan.orders import procedures
    from tests.conftest import bj

    procedures.do_request_extension(
        order,
        cast.east_designee,
        days=3,
        reason="等待道路挖掘许可",
        at=bj(2026, 7, 8, 9, 0),
    )
    request = order.requests.get()
    procedures.do_decide_request(order, cast.ops, request=request.pk, approve=True)
    return request


def test_callers_masked_for_those_who_do_not_call_them(flow, cast):
    """The unit holding the order and the hotline see the caller in full,
    and each such view is recorded; the operations dept and lists see the
    caller masked."""
    from gongdan.orders.models import CallerView

    order = flow.handling()

    unit = client_for(cast.east_designee).get(f"/api/orders/{order.pk}/").json()
    ops = client_for(cast.ops).get(f"/api/orders/{order.pk}/").json()
    listed = client_for(cast.agent).get("/api/orders/").json()["results"][0]

    assert (unit["caller_name"], unit["caller_phone"]) == ("江女士", "13912345678")
    assert (ops["caller_name"], ops["caller_phone"]) == ("江**", "139****5678")
    assert listed["caller_phone"] == "139****5678"
    views = CallerView.objects.filter(order=order)
    assert [(v.user, v.channel) for v in views] == [(cast.east_designee, "api")]
