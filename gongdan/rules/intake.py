"""What an order must record when it is taken in (R1.1, R1.2).

``check_intake`` reports every missing or malformed field at once, each as
a ``RuleViolation`` naming the field, so the hotline agent can fix them
together before the order is dispatched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from gongdan.rules.errors import RuleViolation

SOURCES: dict[str, str] = {
    "water_hotline": "供水热线",
    "citizen_hotline": "市民热线",
    "construction_hotline": "城建热线",
    "other": "其他",
}
KINDS: dict[str, str] = {
    "consultation": "咨询",
    "help": "求助",
    "complaint": "投诉",
    "report": "举报",
    "suggestion": "建议",
    "praise": "表扬",
}
URGENCIES: dict[str, str] = {"urgent": "紧急", "normal": "一般"}

MAX_CONTENT_CHARS = 20000
MAX_CLOCK_SKEW = timedelta(minutes=5)

FIELD_LABELS: dict[str, str] = {
    "source": "来源",
    "kind": "诉求类型",
    "content": "诉求内容",
    "category": "诉求分类",
    "address": "地址",
    "district": "区域",
    "caller_name": "来电人姓名",
    "caller_phone": "来电号码",
    "received_at": "受理时间",
    "urgency": "紧急程度",
}

_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# Area codes: 010 and 02X have three digits, the others four.
_LANDLINE = re.compile(
    r"(010|02\d|0[3-9]\d{2})-?([2-9]\d{6,7})(?:(?:-|转|ext\.?|#)(\d{1,6}))?",
    re.IGNORECASE,
)


def clean_text(s: str | None) -> str:
    """Strip surrounding whitespace, including U+3000; keep the inside (R1.1).

    Emoji, traditional characters and inner line breaks are the caller's
    words and are kept exactly.
    """
    if s is None:
        return ""
    text = _CONTROL.sub("", str(s))
    return text.strip().strip(_INVISIBLE).strip()


# C0 control characters other than tab and line breaks, and NUL: no caller
# typed them, and PostgreSQL cannot store NUL in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Zero-width and direction marks that make a blank field look filled.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"

# Moments the system accepts from people and other systems (D1): nothing
# before 2000 or after 2100 is a real order's time.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
# Longest accepted text of each intake field, as stored (R1.1).
MAX_LENGTHS = {
    "external_no": 64,
    "address": 300,
    "district": 50,
    "caller_name": 100,
}


def check_moment(value: object, field: str, rule: str = "R1.1") -> RuleViolation | None:
    """Refuse a time without offset or outside 2000–2100 (D1)."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return RuleViolation(rule, f"{field}_invalid", "时间必须带时区", field=field)
    if not EARLIEST <= value < LATEST:
        return RuleViolation(
            rule,
            f"{field}_out_of_range",
            "时间超出范围（应在2000年至2100年之间）",
            field=field,
        )
    return None


def normalize_phone(raw: str | None) -> str:
    """Return a caller's phone number in one form, or refuse it (R1.1).

    Accept a mobile number (11 digits starting 13-19, an optional +86 or
    86 removed) or a landline with its area code ("0571-88702300"), with an
    optional extension ("-123", "转123"). Full-width digits become ASCII
    and spaces are dropped.
    """
    text = clean_text(raw)
    if not text:
        raise RuleViolation(
            "R1.1", "caller_phone_missing", "请填写来电号码", field="caller_phone"
        )

    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    folded = folded.replace("—", "-").replace("－", "-")
    mobile = _MOBILE.fullmatch(re.sub(r"[-()]", "", folded))
    if mobile:
        return mobile.group(1)
    landline = _LANDLINE.fullmatch(re.sub(r"[()]", "", folded))
    if landline:
        area, number, extension = landline.groups()
        phone = f"{area}-{number}"
        return f"{phone}-{extension}" if extension else phone

    raise RuleViolation(
        "R1.1",
        "caller_phone_malformed",
        "来电号码格式不正确：应为11位手机号或带区号的固定电话",
        field="caller_phone",
    )


def mask_phone(phone: str | None) -> str:
    """Hide most of a phone number, for logs: "137****5538".

    A landline keeps its area code and last two digits; a number that
    cannot be read is hidden whole.
    """
    try:
        normal = normalize_phone(phone)
    except RuleViolation:
        return "***" if clean_text(phone) else ""
    if normal.startswith("1"):
        return f"{normal[:3]}****{normal[-4:]}"
    area, number = normal.split("-")[:2]
    return f"{area}-{'*' * (len(number) - 2)}{number[-2:]}"


def mask_name(name: str | None) -> str:
    """Hide a caller's name but its first character, for logs: "林**"."""
    text = clean_text(name)
    if len(text) <= 1:
        return "*" if text else ""
    return text[0] + "*" * (len(text) - 1)


def check_intake(data: Mapping[str, object]) -> list[RuleViolation]:
    """Check an order's intake fields, reporting every problem (R1.1).

    The content, category and address must be there for the order to be
    dispatched (R1.1); the category may be left open while
    ``category_undetermined`` is true, pending the unit's confirmation
    (R1.2). Source and kind must be known codes, the phone well formed,
    and ``received_at`` an aware time not more than five minutes after
    ``data["now"]`` when that is given.
    """
    problems: list[RuleViolation] = []

    for name, choices in (("source", SOURCES), ("kind", KINDS)):
        problem = _check_choice(data, name, choices, required=True)
        if problem:
            problems.append(problem)

    content = data.get("content")
    if not _is_text(content):
        problems.append(_missing("content"))
    elif len(clean_text(content)) > MAX_CONTENT_CHARS:
        problems.append(
            RuleViolation(
                "R1.1",
                "content_too_long",
                f"诉求内容超过{MAX_CONTENT_CHARS}字",
                field="content",
            )
        )

    for name, limit in MAX_LENGTHS.items():
        value = data.get(name)
        if isinstance(value, str) and len(clean_text(value)) > limit:
            problems.append(
                RuleViolation(
                    "R1.1",
                    f"{name}_too_long",
                    f"{FIELD_LABELS.get(name, name)}超过{limit}字",
                    field=name,
                )
            )

    if not _is_text(data.get("category")) and not data.get("category_undetermined"):
        problems.append(_missing("category"))
    for name in ("address", "district", "caller_name"):
        if not _is_text(data.get(name)):
            problems.append(_missing(name))

    try:
        normalize_phone(_as_str(data.get("caller_phone")))
    except RuleViolation as problem:
        problems.append(problem)

    problem = _check_received_at(data.get("received_at"), data.get("now"))
    if problem:
        problems.append(problem)

    if data.get("urgency") not in (None, ""):
        problem = _check_choice(data, "urgency", URGENCIES, required=False)
        if problem:
            problems.append(problem)
    return problems


def _check_choice(
    data: Mapping[str, object],
    name: str,
    choices: Mapping[str, str],
    *,
    required: bool,
) -> RuleViolation | None:
    value = data.get(name)
    if required and not _is_text(value):
        return _missing(name)
    if value not in choices:
        return RuleViolation(
            "R1.1",
            f"{name}_invalid",
            f"未知的{FIELD_LABELS[name]}“{value}”",
            field=name,
        )
    return None


def _check_received_at(value: object, now: object) -> RuleViolation | None:
    if value is None or value == "":
        return _missing("received_at")
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        return RuleViolation(
            "R1.1",
            "received_at_invalid",
            "受理时间必须是带时区的时间",
            field="received_at",
        )
    out_of_range = check_moment(moment, "received_at")
    if out_of_range:
        return out_of_range
    if isinstance(now, datetime) and moment > now + MAX_CLOCK_SKEW:
        return RuleViolation(
            "R1.1",
            "received_at_future",
            "受理时间不能晚于当前时间",
            field="received_at",
        )
    return None


def _missing(name: str) -> RuleViolation:
    return RuleViolation(
        "R1.1", f"{name}_missing", f"请填写{FIELD_LABELS[name]}", field=name
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(clean_text(value))


def _as_str(value: object) -> str | None:
    return None if value is None else str(value)
