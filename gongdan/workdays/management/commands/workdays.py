from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError

from gongdan.rules.workdays import TZ
from gongdan.workdays.queries import get_calendar, seed_from_package

REASONS = {
    "weekday": "工作日",
    "weekend": "周末",
    "holiday": "法定节假日",
    "makeup_workday": "调休上班日",
    "unknown_year": "日历未收录该年，按周末推算",
}


class Command(BaseCommand):
    help = "工作日计算：add 计算期限届满时刻，check 查询某日是否工作日。"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="what", required=True)
        add = sub.add_parser("add", help="从某时刻起算期限")
        add.add_argument("--from", dest="start", required=True)
        group = add.add_mutually_exclusive_group(required=True)
        group.add_argument("--days", type=int, help="工作日")
        group.add_argument("--hours", type=float, help="小时（按自然时间）")
        group.add_argument("--months", type=int, help="月")
        check = sub.add_parser("check", help="查询某日是否工作日")
        check.add_argument("day")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        seed_from_package()
        calendar = get_calendar()
        if options["what"] == "check":
            try:
                day = date.fromisoformat(options["day"])
            except ValueError as error:
                raise CommandError("日期格式应为 2026-10-10") from error
            info = calendar.explain(day)
            verdict = "工作日" if info.workday else "休息日"
            name = f"（{info.name}）" if info.name else ""
            self.stdout.write(f"{day} {verdict}：{REASONS[info.reason]}{name}")
            return

        try:
            start = datetime.fromisoformat(options["start"])
        except ValueError as error:
            raise CommandError(
                "--from 应为 ISO 8601 时刻，如 2026-09-30T17:00:00+08:00"
            ) from error
        if start.tzinfo is None:
            start = start.replace(tzinfo=TZ)
        try:
            if options["days"] is not None:
                deadline = calendar.add_workdays(start, options["days"])
            elif options["hours"] is not None:
                deadline = calendar.add_hours(start, options["hours"])
            else:
                deadline = calendar.add_months(start, options["months"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(deadline.at.isoformat())
        if deadline.provisional:
            self.stderr.write("注意：期限涉及日历未收录的年份，为暂定结果。")
