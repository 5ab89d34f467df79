"""Import orders from a CSV file of another system (R1.1).

Each malformed row is refused with its row number and reasons; the good
rows are imported all the same. The external order number is the key:
importing the same file twice creates nothing twice.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser

from gongdan.rules.errors import RuleViolation, RuleViolations
from gongdan.rules.intake import check_moment

from .actions import do_register
from .models import Order

logger = logging.getLogger(__name__)

TZ = ZoneInfo("Asia/Shanghai")
REQUIRED_COLUMNS = (
    "external_no",
    "source",
    "received_at",
    "caller_name",
    "caller_phone",
    "kind",
    "category",
    "district",
    "address",
    "content",
)


@dataclass
class Refusal:
    row: int  # the line number in the file, counting the header as 1
    external_no: str
    reasons: list[str]


@dataclass
class ImportResult:
    created: list[Order] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"导入 {len(self.created)} 条，已存在跳过 {len(self.existing)} 条，"
            f"拒收 {len(self.refused)} 条"
        )


def parse_moment(raw: str) -> datetime:
    """Read an ISO 8601 time; a time without offset is Beijing time (D1).

    Raises ValueError for anything else, years out of range included.
    """
    try:
        moment = datetime.fromisoformat(raw.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=TZ)
        moment.astimezone(TZ)  # overflows here for the year 1 or 9999
    except (OverflowError, ValueError) as error:
        raise ValueError(str(error)) from error
    if check_moment(moment, "received_at") is not None:
        raise ValueError("out of range")
    return moment


# A cell may hold a very long request; the limit only guards the reader.
csv.field_size_limit(4 * 1024 * 1024)


def read_rows(source: Path | str | bytes) -> list[dict[str, str]]:
    """Read the whole file first, so that a broken file imports nothing."""
    try:
        if isinstance(source, bytes):
            text = source.decode("utf-8-sig")
        else:
            text = Path(source).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError("文件须为 UTF-8 编码的 CSV") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError("文件缺少列：" + "、".join(missing))
    try:
        return list(reader)
    except csv.Error as error:
        raise ValueError(f"CSV 格式错误：{error}") from error


def import_orders(
    source: Path | str | bytes,
    actor: AbstractBaseUser,
    *,
    registered_after_seconds: int = 60,
) -> ImportResult:
    """Register each row of the file as an order; refuse the bad rows."""
    result = ImportResult()
    seen: set[str] = set()
    for number, row in enumerate(read_rows(source), start=2):
        external_no = (row.get("external_no") or "").strip()
        if not external_no:
            # The external number is the import's key (R1.1): without it a
            # second import would register the same request again.
            result.refused.append(
                Refusal(number, "", ["[R1.1] external_no: 导入的工单须有外部工单号"])
            )
            continue
        if external_no in seen:
            result.refused.append(
                Refusal(
                    number, external_no, ["[R1.1] external_no: 文件内外部工单号重复"]
                )
            )
            continue
        seen.add(external_no)
        if Order.objects.filter(external_no=external_no).exists():
            result.existing.append(external_no)
            continue
        try:
            received = parse_moment(row.get("received_at") or "")
        except ValueError:
            result.refused.append(
                Refusal(number, external_no, ["[R1.1] received_at: 受理时间格式错误"])
            )
            continue
        data = {
            "external_no": external_no,
            "source": (row.get("source") or "").strip(),
            "kind": (row.get("kind") or "").strip(),
            "category": (row.get("category") or "").strip(),
            "urgency": (row.get("urgency") or "").strip() or None,
            "district": row.get("district") or "",
            "address": row.get("address") or "",
            "content": row.get("content") or "",
            "caller_name": row.get("caller_name") or "",
            "caller_phone": row.get("caller_phone") or "",
            "received_at": received,
        }
        if data["urgency"] not in (None, "urgent", "normal"):
            data["urgency"] = None
        try:
            order = do_register(
                actor,
                data,
                at=received + timedelta(seconds=registered_after_seconds),
            )
        except RuleViolation as error:
            problems = error.problems if isinstance(error, RuleViolations) else [error]
            reasons = [f"[{p.rule}] {p.field}: {p.message}" for p in problems]
            result.refused.append(Refusal(number, external_no, reasons))
            logger.warning(
                "import row %s (%s) refused: %s",
                number,
                external_no,
                "; ".join(f"{p.rule} {p.code}" for p in problems),
            )
            continue
        result.created.append(order)
    logger.info("import finished: %s", result.summary())
    return result
