"""R3.6: blank text, placeholders and stock non-answers are no reply."""

from __future__ import annotations

import pytest

from gongdan.rules.replies import is_filler

FILLER = [
    "",
    "   ",
    "\u3000\u3000",
    "\t\n",
    "。。。",
    "……",
    "***",
    "xxx",
    "XXXX",
    "ＸＸＸ",
    "待补充",
    "略",
    "【此处填写核查情况】",
    "经核查，【此处填写核查情况】，【此处填写处理结果】。已回复来电人。",
    "经查，[请填写调查情况]。来电人表示满意。",
    "经核查，XXX小区XXX号，已处理完毕并告知来电人。",
    "已处理",
    "已处理。",
    "情况属实，已处理。",
    "同上",
    "同上。",
    "见上",
    "已办理",
    "已解决",
    "已转相关部门",
    "处理完毕",
    "无",
    "好的",
    "ok",
    "OK!",
    "已解决，处理完毕。",
    "测压",
    "1 2 3",
]

REAL = [
    "来电人表示满意。",
    "来电人不认可。",
    "已更换水表。",
    "井盖已更换。",
    "用户认可处理结果",
    "已恢复供水。",
    "情况属实，已对抄表员批评教育。",
    "2000年建成的小区管网老化，已列入改造计划。",
    "二〇〇〇年建成的小区，管网已老化。",
    "经查，压力0.27MPa，符合标准（见附件照片）。",
    "来电人表示理解……",
    "DN300 pipe replaced",
]


@pytest.mark.parametrize("text", FILLER)
def test_r3_6_filler_detected(text: str) -> None:
    assert is_filler(text) is True


@pytest.mark.parametrize("text", REAL)
def test_r3_6_real_short_content_kept(text: str) -> None:
    assert is_filler(text) is False
