import json

from django.core.management.base import BaseCommand, CommandError

from gongdan.reports.queries import (
    assess,
    current_quarter,
    quarter_bounds,
    report_json,
)
from gongdan.rules.satisfaction import format_percent


class Command(BaseCommand):
    help = "输出季度考核数据（json 或表格）。"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--quarter", default=None, help="如 2026Q3，默认本季度")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        quarter = options["quarter"] or current_quarter()
        try:
            start, end = quarter_bounds(quarter)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            data = report_json(quarter)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        units, total = assess(start, end)
        header = (
            "单位",
            "受理",
            "办结",
            "按时",
            "超期",
            "来电人延误",
            "重办",
            "回访",
            "反馈率",
            "过程满意率",
            "结果满意率",
            "用户满意率",
        )
        self.stdout.write(f"{quarter.upper()} 季度考核")
        self.stdout.write("\t".join(header))
        for figures in [*units, total]:
            row = figures.as_dict()
            self.stdout.write(
                "\t".join(
                    [
                        str(row["name"]),
                        *(
                            str(row[k])
                            for k in (
                                "received",
                                "completed",
                                "on_time",
                                "overdue",
                                "caller_delay",
                                "redo",
                                "followed_up",
                            )
                        ),
                        *(
                            format_percent(row[k])
                            for k in (  # type: ignore[arg-type]
                                "feedback_rate",
                                "process_satisfaction",
                                "result_satisfaction",
                                "user_satisfaction",
                            )
                        ),
                    ]
                )
            )
