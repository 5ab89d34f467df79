"""R2.2, R5.4: one way to end a round waits at a time, and no reply is
taken beside a request that would end it."""

import pytest

from gongdan.rules.errors import Conflict
from gongdan.rules.workflow import check_pending

PLAN = {"plan": "方案解决"}


def test_r2_2_nothing_waiting_allows_everything():
    for wanted in ("reply", "plan", "unresolvable", "statement", "return", "extension"):
        check_pending(wanted, {}, "R2.2")


def test_r2_2_second_request_of_a_kind_refused():
    with pytest.raises(Conflict) as caught:
        check_pending("extension", {"extension": "延期"}, "R4.2")

    assert (caught.value.rule, caught.value.code) == ("R4.2", "extension_pending")


def test_r2_2_no_reply_while_a_plan_waits():
    with pytest.raises(Conflict) as caught:
        check_pending("reply", PLAN, "R2.2")

    assert (caught.value.rule, caught.value.code) == ("R2.2", "request_pending")
    assert "方案解决" in caught.value.message


def test_r5_4_no_reply_while_a_return_waits():
    with pytest.raises(Conflict) as caught:
        check_pending("reply", {"return": "回退", **PLAN}, "R2.2")

    assert (caught.value.rule, caught.value.code) == ("R5.4", "return_pending")


def test_r2_2_one_ending_request_at_a_time():
    for wanted in ("unresolvable", "statement", "return"):
        with pytest.raises(Conflict) as caught:
            check_pending(wanted, PLAN, "R4.4")
        assert caught.value.code == "request_pending"


def test_r2_2_an_extension_may_wait_beside_an_ending_request():
    check_pending("extension", PLAN, "R4.2")
    check_pending("reply", {"extension": "延期"}, "R2.2")
