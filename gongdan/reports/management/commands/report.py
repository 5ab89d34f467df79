import json

from django.core.management.base import BaseCommand, CommandError

from gongdan.reports.queries import (
    FIGURES,
    RATE_LABELS,
    PeriodError,
    assess,
    period_from,
    report_json,
)
from gongdan.rules.satisfaction import format_percent


class Command(BaseCommand):
    help = "输出考核数据：--quarter 2026Q3，或 --start/--end 日期；json、表格或 xlsx。"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--quarter", default=None, help="如 2026Q3，默认本季度")
        parser.add_argument("--start", default=None, help="开始日期，如 2026-07-01")
        parser.add_argument("--end", default=None, help="结束日期（含），如 2026-09-30")
        parser.add_argument(
            "--format", choices=["json", "table", "xlsx"], default="table"
        )
        parser.add_argument("--output", "-o", default=None, help="xlsx 文件路径")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            period = period_from(options)
        except PeriodError as error:
            raise CommandError(f"--{error.field}: {error}") from error
        if options["format"] == "json":
            data = report_json(period)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if options["format"] == "xlsx":
            self.write_xlsx(period, options["output"])
            return
        result = assess(period)
        self.stdout.write(f"{period.label} 考核")
        header = ["单位", *(f.label for f in FIGURES), "平均转办用时（分钟）"]
        self.stdout.write("\t".join([*header, *RATE_LABELS.values()]))
        for figures in [*result.units, result.total]:
            row = figures.as_dict()
            minutes = figures.dispatch_minutes
            cells = [
                figures.name,
                *(str(row[f.key]) for f in FIGURES),
                "—" if minutes is None else f"{float(minutes):.1f}",
                *(format_percent(row[key]) for key in RATE_LABELS),  # type: ignore[arg-type]
            ]
            self.stdout.write("\t".join(cells))

    def write_xlsx(self, period, output):  # type: ignore[no-untyped-def]
        from gongdan.reports.excel import assessment_workbook

        if not output:
            raise CommandError("--format xlsx 需要 --output 文件路径")
        content = assessment_workbook(assess(period))
        with open(output, "wb") as handle:
            handle.write(content)
        self.stdout.write(f"已写入 {output}")
