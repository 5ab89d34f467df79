from django.core.management import call_command
from django.core.management.base import BaseCommand

from gongdan.orders.demo import demo_accounts_text, load_demo

OUTCOMES = {
    "closed": "回访后办结",
    "duplicate": "重复来电合并",
    "judged_invalid": "回复判为无效",
    "redo": "回访后重办",
    "refused_in_play": "办理中被规则拒绝",
    "returned": "已回退",
    "followup_unreached": "回访未接通",
    "plan:closed": "方案解决并回访",
    "plan:redo": "方案解决后重办",
    "unresolvable:closed": "无法解决并回访",
    "no_unit": "无对应单位",
    "duplicate_original_missing": "重复单缺原单",
}


class Command(BaseCommand):
    help = "载入演示组织、账号和样本工单（可重复运行，不会重复添加）。"

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("migrate", interactive=False, verbosity=0)
        result = load_demo()
        imported = result.imported
        self.stdout.write(f"样本工单：{imported.summary()}")
        for refusal in imported.refused:
            reasons = "；".join(refusal.reasons)
            self.stdout.write(
                f"  第 {refusal.row} 行 {refusal.external_no} 拒收：{reasons}"
            )
        if result.played:
            played = "，".join(
                f"{OUTCOMES.get(k, k)} {v}" for k, v in sorted(result.played.items())
            )
            self.stdout.write(f"演示流程：{played}")
        for line in result.refused_actions:
            self.stdout.write(f"  办理中被规则拒绝：{line}")
        self.stdout.write(demo_accounts_text())
