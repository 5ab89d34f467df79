"""R4.6, D5: the assessment and the orders behind each figure, by API."""

from gongdan.orders import actions
from tests.api.test_api_orders import client_for
from tests.conftest import bj

FOLLOWED = dict(
    reached=True,
    contacted=True,
    consistent=True,
    false_report=False,
    feedback=True,
    process="satisfied",
    result="satisfied",
)


def two_units(flow, cast):  # type: ignore[no-untyped-def]
    """东城: one order followed up on 7 July; 西城: one never replied, overdue
    since 24:00 on 15 July."""
    east = flow.follow_up()
    actions.do_follow_up(east, cast.follower, at=bj(2026, 7, 7, 9, 0), **FOLLOWED)
    west = flow.handling(unit=cast.west, district="西城区")
    return east, west


def test_r4_6_report_json_by_quarter_and_by_dates(flow, cast):
    two_units(flow, cast)
    client = client_for(cast.ops)

    quarter = client.get("/api/report/?quarter=2026Q3").json()
    days = client.get("/api/report/?start=2026-07-01&end=2026-07-31").json()

    for data in (quarter, days):
        east = next(u for u in data["units"] if u["unit"] == "EAST")
        west = next(u for u in data["units"] if u["unit"] == "WEST")
        assert (east["received"], east["followed_up"], west["overdue"]) == (1, 1, 1)
        assert east["user_satisfaction"] == 1.0
        assert west["user_satisfaction"] is None  # D5: no follow-up, no rate
    assert days["period"] == "2026-07-01～2026-07-31"


def test_r4_6_facts_list_the_orders_behind_a_figure(flow, cast):
    east, west = two_units(flow, cast)
    client = client_for(cast.ops)

    answer = client.get("/api/report/facts/?quarter=2026Q3&figure=overdue")
    received = client.get(
        "/api/report/facts/?quarter=2026Q3&figure=received&unit=EAST"
    ).json()

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["order"], row["unit"], row["figure"]) == (
        west.number,
        "WEST",
        "overdue",
    )
    assert row["at"] == "2026-07-15T23:59:59.999999+08:00"  # 24:00 on 15 July
    assert "前无有效回复" in row["note"]
    assert [r["order"] for r in received["results"]] == [east.number]


def test_r4_6_a_head_sees_only_what_the_unit_may_see(flow, cast):
    two_units(flow, cast)

    body = (
        client_for(cast.east_head)
        .get("/api/report/facts/?quarter=2026Q3&figure=received")
        .json()
    )

    assert body["count"] == 1  # 西城's order is left out of 东城's head's list
    assert body["hidden"] == 1  # and said to be


def test_report_facts_refusals_name_the_field(flow, cast):
    client = client_for(cast.ops)

    bad_figure = client.get("/api/report/facts/?figure=nothing")
    bad_unit = client.get("/api/report/facts/?figure=overdue&unit=NOPE")
    lower = client.get("/api/report/facts/?quarter=2026Q3&figure=overdue&unit=east")
    bad_date = client.get("/api/report/facts/?figure=overdue&start=x&end=y")
    staff = client_for(cast.east_staff).get("/api/report/facts/?figure=overdue")

    assert (bad_figure.status_code, bad_figure.json()["field"]) == (400, "figure")
    assert (bad_unit.status_code, bad_unit.json()["code"]) == (400, "unit_invalid")
    assert lower.status_code == 200  # codes are read in capitals
    assert (bad_date.status_code, bad_date.json()["field"]) == (400, "start")
    assert (staff.status_code, staff.json()["code"]) == (403, "role_not_allowed")
