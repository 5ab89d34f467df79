from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gongdan.orders.importer import import_orders
from gongdan.org.models import Role


class Command(BaseCommand):
    help = (
        "从 CSV 文件导入工单；错误行逐行拒收并说明原因，其余照常导入。"
        "有拒收行时退出码为 1。"
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", help="以哪个热线坐席账号登记（默认第一个热线坐席）"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        users = get_user_model().objects
        if options["user"]:
            actor = users.filter(username=options["user"]).first()
        else:
            actor = (
                users.filter(membership__role=Role.AGENT).order_by("username").first()
            )
        if actor is None:
            raise CommandError(
                "没有可用的热线坐席账号：先运行 gongdan demo，或用 --user 指定。"
            )
        try:
            result = import_orders(path, actor)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for refusal in result.refused:
            self.stdout.write(
                f"第 {refusal.row} 行 {refusal.external_no} 拒收："
                + "；".join(refusal.reasons)
            )
        self.stdout.write(result.summary())
        if result.refused:
            # A script that imports files must notice the refused rows.
            raise SystemExit(1)
