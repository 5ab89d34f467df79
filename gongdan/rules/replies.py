"""The elements of a valid reply (R3.2-R3.6).

A reply has a kind, and each kind requires its elements (R3.2-R3.5). Only
a reply whose elements are all present and substantive is valid (R3.6):
blank text, placeholders and stock non-answers ("已处理", "同上") count as
no reply at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from gongdan.rules.errors import RuleViolation

REPLY_KINDS: dict[str, tuple[str, ...]] = {
    "resolved": ("investigation", "result", "acceptance"),
    "short_term": ("investigation", "follow_up_plan", "acceptance", "promised_date"),
    "cannot_satisfy": (
        "investigation",
        "process",
        "acceptance",
        "reasonableness",
        "cause",
    ),
    "outside": ("investigation", "result"),
}

REPLY_KIND_LABELS: dict[str, str] = {
    "resolved": "已解决",
    "short_term": "短期内无法解决",
    "cannot_satisfy": "诉求无法满足",
    "outside": "非集团管辖",
}

REPLY_KIND_RULE: dict[str, str] = {
    "resolved": "R3.2",
    "short_term": "R3.3",
    "cannot_satisfy": "R3.4",
    "outside": "R3.5",
}

ELEMENT_LABELS: dict[str, str] = {
    "investigation": "调查情况",
    "result": "处理结果",
    "acceptance": "用户认可情况",
    "follow_up_plan": "后续处置方案",
    "promised_date": "承诺解决时限",
    "process": "处理过程",
    "reasonableness": "诉求合理性分析",
    "cause": "无法解决原因分析",
}

DATE_ELEMENTS = frozenset({"promised_date"})

# Fewer content characters than this and a text says nothing.
MIN_CONTENT_CHARS = 4

# Stock non-answers, compared after normalising (see _content).
STOCK_PHRASES = frozenset(
    {
        "已处理",
        "已处理完毕",
        "已处理完成",
        "处理完毕",
        "处理完成",
        "情况属实",
        "情况属实已处理",
        "同上",
        "见上",
        "如上",
        "同前",
        "已办理",
        "已办结",
        "已解决",
        "已完成",
        "已转相关部门",
        "已转相关部门处理",
        "已回复",
        "已答复",
        "已告知",
        "见附件",
        "详见附件",
        "无",
        "暂无",
        "没有",
        "好的",
        "好",
        "收到",
        "ok",
        "none",
        "null",
        "na",
        "test",
        "测试",
        "待补充",
        "待填写",
        "略",
    }
)

# Placeholders in brackets: 【此处填写核查情况】, [请填写…], ［待补充］.
_BRACKET_PLACEHOLDER = re.compile(
    r"[【\[〔〖](?:[^】\]〕〗]*?)"
    r"(?:此处|在此|请填|请输|请补|填写|输入|待补|待填|待定|[xX×*＊○_]{2,}|…|\.\.\.)"
    r"[^】\]〕〗]*[】\]〕〗]"
)
# Placeholders standing free in a sentence: "经核查，XXX。", "***", "待补充".
_LOOSE_PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])[xX×]{3,}(?![A-Za-z])|[*＊○_]{3,}|待补充|待填写|此处填写"
)


def is_filler(text: str) -> bool:
    """Tell whether ``text`` says nothing a reply could rely on (R3.6).

    Filler is blank or punctuation-only text, a placeholder ("【此处填写…】",
    "xxx", "待补充"), a stock non-answer ("已处理", "同上", "情况属实，已处理。")
    or anything with fewer than four CJK or alphanumeric characters.
    """
    if text is None:
        return True
    folded = unicodedata.normalize("NFKC", str(text))
    if _BRACKET_PLACEHOLDER.search(folded) or _LOOSE_PLACEHOLDER.search(folded):
        return True

    content = _content(folded)
    if len(content) < MIN_CONTENT_CHARS:
        return True

    # A text made only of stock clauses ("情况属实，已处理。") is one too.
    clauses = [_content(c) for c in re.split(r"[^\w]+", folded)]
    clauses = [c for c in clauses if c]
    return content in STOCK_PHRASES or all(c in STOCK_PHRASES for c in clauses)


def check_reply(
    kind: str,
    elements: Mapping[str, object],
    *,
    today: date | None = None,
) -> list[RuleViolation]:
    """Check a reply's elements against its kind (R3.2-R3.6).

    Return one ``RuleViolation`` per problem, or an empty list when the
    reply is valid. A missing element cites the kind's rule (R3.2-R3.5);
    filler, repeated text and an unknown kind cite R3.6; a promised date
    must be a date not before ``today`` (R3.3).
    """
    if kind not in REPLY_KINDS:
        return [
            RuleViolation(
                "R3.6",
                "reply_kind_unknown",
                f"未知的答复类型“{kind}”",
                field="kind",
            )
        ]

    rule = REPLY_KIND_RULE[kind]
    problems: list[RuleViolation] = []
    seen: dict[str, str] = {}
    for name in REPLY_KINDS[kind]:
        label = ELEMENT_LABELS[name]
        value = elements.get(name)
        if _is_empty(value):
            problems.append(
                RuleViolation(
                    rule,
                    "reply_element_missing",
                    f"答复缺少“{label}”",
                    field=name,
                )
            )
        elif name in DATE_ELEMENTS:
            problems.extend(_check_date(rule, name, value, today))
        elif is_filler(str(value)):
            problems.append(
                RuleViolation(
                    "R3.6",
                    "reply_element_filler",
                    f"“{label}”没有实质内容",
                    field=name,
                )
            )
        else:
            key = _content(unicodedata.normalize("NFKC", str(value)))
            if key in seen:
                problems.append(
                    RuleViolation(
                        "R3.6",
                        "reply_element_repeated",
                        f"“{label}”与“{ELEMENT_LABELS[seen[key]]}”内容相同",
                        field=name,
                    )
                )
            else:
                seen[key] = name
    return problems


def split_reply_text(text: str) -> dict[str, str]:
    """Split a free-text reply into investigation, result and acceptance.

    A heuristic for replies imported from other systems, so that R3.2 and
    R3.5 can be checked on them; a person judges what it gets wrong.
    Sentences (ended by 。！？； or a newline) naming the caller's acceptance
    go to "acceptance"; sentences opening with an investigation ("经查",
    "现场核实", "到场" …) go to "investigation" up to the first clause
    reporting an action taken ("已…"); a sentence that only says the caller
    was told is dropped; the rest is "result".
    """
    parts: dict[str, list[str]] = {"investigation": [], "result": [], "acceptance": []}
    for sentence in _SENTENCE_END.findall(text or ""):
        clauses = _CLAUSE_END.findall(sentence)
        accept_at = next(
            (i for i, c in enumerate(clauses) if _ACCEPTANCE.search(c)), None
        )
        head = clauses if accept_at is None else clauses[:accept_at]
        if accept_at is not None:
            parts["acceptance"].append(_piece(clauses[accept_at:]))

        head_text = "".join(head)
        if not _content(head_text) or _TOLD_ONLY.fullmatch(_content(head_text)):
            continue
        if _RESULT_START.match(head[0]) or not _INVESTIGATION.search(head[0]):
            parts["result"].append(_piece(head))
            continue

        # An investigating sentence turns into a result at the first clause
        # that reports something done.
        turn = next(
            (i for i, c in enumerate(head) if i > 0 and _RESULT_START.match(c)),
            len(head),
        )
        parts["investigation"].append(_piece(head[:turn]))
        if turn < len(head):
            parts["result"].append(_piece(head[turn:]))
    return {key: "".join(value) for key, value in parts.items()}


# -- helpers ----------------------------------------------------------------

_SENTENCE_END = re.compile(r"[^。！？；!?;\n]+[。！？；!?;\n]*|[。！？；!?;\n]+")
# Clauses end at a comma or colon, but not at the colon of a time ("13:42").
_CLAUSE_END = re.compile(
    r"(?:[^，,：:]|(?<=\d):(?=\d))+(?:[，,：]|:(?!\d))*|(?:[，,：]|:(?!\d))+"
)

_SUBJECTS = "来电人|用户|市民|业主|负责人|举报人|报修人|住户|诉求人|双方"
_VERBS = "表示|认可|满意|理解|接受|同意|感谢|清楚|知晓|支持|会等待|不认可|不满意"
_ACCEPTANCE = re.compile(
    rf"(?:{_SUBJECTS})[^，,]*?(?:{_VERBS})"
    rf"|签收"
    # A praise order's reply ends by thanking the caller back.
    rf"|回电感谢(?:{_SUBJECTS})"
    rf"|(?<!联系)(?:来电人|用户|市民)(?:反馈|确认)"
)
_INVESTIGATION = re.compile(
    "经查|核查|核实|到现场|现场[核查勘测检确]|上门|到场|到达|测压|查看|检测|勘察|勘查|调查|检定"
    "|排查|听漏|检漏|取样|巡查|查询"
    # A suggestion's reply opens with how things stand now.
    "|目前|现行|现有"
)
_RESULT_START = re.compile(
    r"\s*(?:已|并已|均已|现已|现场已|现场先|先行|当即|随即|立即|遂|随后|经处理)"
)
_TOLD_ONLY = re.compile(
    r"(?:已|并已)?(?:电话|短信|当面)?(?:向(?:来电人|用户|市民))?"
    r"(?:告知|回复|答复|回电|通知|反馈)(?:来电人|用户|市民|诉求人)?"
)


def _content(text: str) -> str:
    """Keep only the CJK and alphanumeric characters, lower-cased."""
    return "".join(c for c in text if c.isalnum()).lower()


def _piece(clauses: list[str]) -> str:
    """Join clauses cut from a sentence, ending them with a full stop."""
    text = "".join(clauses).strip()
    if text and text[-1] in "，,：:、":
        text = text[:-1] + "。"
    return text


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return False


def _check_date(
    rule: str, name: str, value: object, today: date | None
) -> list[RuleViolation]:
    """Check a promised resolution date (R3.3)."""
    label = ELEMENT_LABELS[name]
    promised = _parse_date(value)
    if promised is None:
        return [
            RuleViolation(
                rule,
                "reply_promised_date_invalid",
                f"“{label}”不是有效日期",
                field=name,
            )
        ]
    if today is not None and promised < today:
        return [
            RuleViolation(
                rule,
                "reply_promised_date_past",
                f"“{label}”早于今天",
                field=name,
            )
        ]
    if today is not None and promised > today + MAX_PROMISE:
        # R3.7: promise carefully; a longer matter is a plan (R4.3).
        return [
            RuleViolation(
                "R3.7",
                "reply_promised_date_too_far",
                f"“{label}”超过三年，请审慎承诺；更长的事项请走方案解决",
                field=name,
            )
        ]
    return []


MAX_PROMISE = timedelta(days=3 * 366)


def _parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
