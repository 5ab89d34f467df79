from django.core.management.base import BaseCommand, CommandError

from gongdan.reports.facts import check_all, rebuild_all


class Command(BaseCommand):
    help = "重建或核对考核事实（由工单历史推导）。"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--rebuild", action="store_true", help="由历史重新推导全部事实"
        )
        group.add_argument(
            "--check", action="store_true", help="核对已存事实与历史是否一致"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["rebuild"]:
            count = rebuild_all()
            self.stdout.write(f"已重建 {count} 张工单的考核事实")
            return
        wrong = check_all()
        if wrong:
            shown = ", ".join(str(pk) for pk in wrong[:20])
            raise CommandError(f"{len(wrong)} 张工单的考核事实与历史不一致：{shown}")
        self.stdout.write("考核事实与历史一致")
