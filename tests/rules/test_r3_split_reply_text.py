"""R3.2, R3.6: free-text replies of the sample orders, split and judged.

``split_reply_text`` is a heuristic for imported replies; these tests hold
it to the sample data's own flags.
"""

from __future__ import annotations

from gongdan.rules.replies import check_reply, split_reply_text

# Flags of replies that are wrong in a way the text shows; "mismatch" (the
# reply does not fit the order) needs a person.
INVALID_FLAGS = (
    "invalid_reply:filler",
    "invalid_reply:empty",
    "invalid_reply:same_as_above",
    "invalid_reply:placeholder",
    "invalid_reply:missing_",
)


def test_r3_2_result_and_acceptance_without_investigation() -> None:
    parts = split_reply_text("已恢复供水。已电话告知来电人，来电人表示满意。")

    assert parts == {
        "investigation": "",
        "result": "已恢复供水。",
        "acceptance": "来电人表示满意。",
    }


def test_r3_2_investigation_only() -> None:
    parts = split_reply_text(
        "经清河水务集团北山分公司现场核查，该户本期用水量确有异常。已电话告知来电人。"
    )

    assert parts == {
        "investigation": "经清河水务集团北山分公司现场核查，该户本期用水量确有异常。",
        "result": "",
        "acceptance": "",
    }


def test_r3_2_investigation_turns_into_result() -> None:
    parts = split_reply_text(
        "7月23日管网所到创新家园测压，压力明显偏低，已于7月24日完成修复。"
        "已回电用户，用户确认出水恢复，表示满意。"
    )

    assert parts == {
        "investigation": "7月23日管网所到创新家园测压，压力明显偏低。",
        "result": "已于7月24日完成修复。",
        "acceptance": "用户确认出水恢复，表示满意。",
    }


def test_r3_2_times_do_not_split_clauses() -> None:
    parts = split_reply_text(
        "管网抢修班13:42到达现场，开挖确认为铸铁管纵向裂缝。更换管段后16:41恢复通水。"
        "报修人表示感谢。"
    )

    assert (
        parts["investigation"] == "管网抢修班13:42到达现场，开挖确认为铸铁管纵向裂缝。"
    )
    assert parts["result"] == "更换管段后16:41恢复通水。"
    assert parts["acceptance"] == "报修人表示感谢。"


def test_r3_2_empty_text() -> None:
    assert split_reply_text("") == {"investigation": "", "result": "", "acceptance": ""}


def test_r3_6_sample_replies_judged_like_their_flags(
    orders: list[dict[str, str]],
) -> None:
    valid_resolved = 0
    flagged = 0
    for row in orders:
        notes = row["notes"]
        problems = check_reply("resolved", split_reply_text(row["reply_text"]))

        if any(flag in notes for flag in INVALID_FLAGS):
            flagged += 1
            assert problems, row["external_no"]
        elif row["expected_path"] == "resolve" and "invalid_reply" not in notes:
            valid_resolved += not problems

    assert flagged >= 20
    assert valid_resolved >= 10
