"""R3.2-R3.6: a reply has every element its kind requires, with content."""

from __future__ import annotations

from datetime import date

from gongdan.rules.replies import REPLY_KIND_LABELS, REPLY_KINDS, check_reply

INVESTIGATION = "7月23日管网所到创新家园测压，压力明显偏低，定位一处暗漏。"
RESULT = "已于7月24日完成修复，复测压力恢复正常。"
ACCEPTANCE = "已回电用户，用户确认出水恢复，表示满意。"


def resolved(**changes: object) -> dict[str, object]:
    elements: dict[str, object] = {
        "investigation": INVESTIGATION,
        "result": RESULT,
        "acceptance": ACCEPTANCE,
    }
    elements.update(changes)
    return elements


def codes(problems: list) -> list[tuple[str, str, str | None]]:
    return [(p.rule, p.code, p.field) for p in problems]


def test_r3_2_complete_reply_valid() -> None:
    assert check_reply("resolved", resolved()) == []


def test_r3_2_missing_acceptance_refused() -> None:
    elements = resolved()
    del elements["acceptance"]

    problems = check_reply("resolved", elements)

    assert codes(problems) == [("R3.2", "reply_element_missing", "acceptance")]
    assert problems[0].message == "答复缺少“用户认可情况”"


def test_r3_2_blank_elements_count_as_missing() -> None:
    problems = check_reply("resolved", resolved(investigation="\u3000 \n", result=None))

    assert codes(problems) == [
        ("R3.2", "reply_element_missing", "investigation"),
        ("R3.2", "reply_element_missing", "result"),
    ]


def test_r3_3_short_term_needs_plan_and_date() -> None:
    elements = {
        "investigation": INVESTIGATION,
        "follow_up_plan": "该路段老管已列入2027年改造计划，近期调高高峰时段出厂压力。",
        "acceptance": "已电话告知来电人，来电人表示理解。",
    }

    problems = check_reply("short_term", elements)

    assert codes(problems) == [("R3.3", "reply_element_missing", "promised_date")]
    assert "承诺解决时限" in problems[0].message


def test_r3_3_promised_date_accepted_as_date_or_iso() -> None:
    base = {
        "investigation": INVESTIGATION,
        "follow_up_plan": "该路段老管已列入2027年改造计划，近期调高高峰时段出厂压力。",
        "acceptance": "已电话告知来电人，来电人表示理解。",
    }
    today = date(2026, 8, 1)

    assert check_reply("short_term", {**base, "promised_date": date(2027, 1, 31)}) == []
    assert (
        check_reply("short_term", {**base, "promised_date": "2027-01-31"}, today=today)
        == []
    )
    assert codes(
        check_reply("short_term", {**base, "promised_date": "明年一月底"}, today=today)
    ) == [("R3.3", "reply_promised_date_invalid", "promised_date")]
    assert codes(
        check_reply("short_term", {**base, "promised_date": "2026-07-31"}, today=today)
    ) == [("R3.3", "reply_promised_date_past", "promised_date")]


def test_r3_4_cannot_satisfy_needs_both_analyses() -> None:
    elements = {
        "investigation": "经现场核查，漏点位于表后入户埋地管，属用户自有管道。",
        "process": "已按漏损水量减免规定对超出部分给予50%一次性减免，并当面说明依据。",
        "acceptance": "来电人要求全额减免，不认可处理结果。",
    }

    problems = check_reply("cannot_satisfy", elements)

    assert codes(problems) == [
        ("R3.4", "reply_element_missing", "reasonableness"),
        ("R3.4", "reply_element_missing", "cause"),
    ]


def test_r3_5_outside_needs_investigation_and_result_only() -> None:
    elements = {
        "investigation": "经核实，该段系电力管线入地工程施工后路面恢复不到位。",
        "result": "已将诉求转交区市政管理处，并电话告知来电人。",
    }

    assert check_reply("outside", elements) == []
    assert codes(check_reply("outside", {"investigation": elements["investigation"]}))[
        0
    ] == ("R3.5", "reply_element_missing", "result")


def test_r3_6_unknown_kind_refused() -> None:
    assert codes(check_reply("done", resolved())) == [
        ("R3.6", "reply_kind_unknown", "kind")
    ]


def test_r3_6_filler_element_refused() -> None:
    problems = check_reply("resolved", resolved(result="情况属实，已处理。"))

    assert codes(problems) == [("R3.6", "reply_element_filler", "result")]


def test_r3_6_same_text_twice_refused() -> None:
    problems = check_reply("resolved", resolved(result=" " + INVESTIGATION))

    assert codes(problems) == [("R3.6", "reply_element_repeated", "result")]


def test_r3_6_every_problem_reported() -> None:
    problems = check_reply(
        "resolved", {"investigation": "同上", "result": "【此处填写处理结果】"}
    )

    assert codes(problems) == [
        ("R3.6", "reply_element_filler", "investigation"),
        ("R3.6", "reply_element_filler", "result"),
        ("R3.2", "reply_element_missing", "acceptance"),
    ]


def test_r3_kinds_and_labels() -> None:
    assert REPLY_KINDS["resolved"] == ("investigation", "result", "acceptance")
    assert REPLY_KINDS["outside"] == ("investigation", "result")
    assert REPLY_KIND_LABELS == {
        "resolved": "已解决",
        "short_term": "短期内无法解决",
        "cannot_satisfy": "诉求无法满足",
        "outside": "非集团管辖",
    }
