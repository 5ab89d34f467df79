"""Forms of the pages: they parse what was typed into an action's inputs.

Forms check only the shape of the input (a date is a date, a choice is one
of its options). Every rule of the standard is checked by the action in
``orders/actions.py``; its refusals come back to the form through
``add_problems`` and are shown beside the field they name.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from gongdan.followups.models import Notice
from gongdan.orders.actions import ATTACHMENT_PURPOSES, CONTACT_METHODS
from gongdan.orders.models import (
    Category,
    Commitment,
    Order,
    PlanStep,
    Request,
    RequestKind,
    UnresolvableReason,
    Urgency,
)
from gongdan.orders.queries import overdue_q
from gongdan.org.models import Unit, UnitKind
from gongdan.rules.errors import RuleViolation, RuleViolations
from gongdan.rules.intake import KINDS, SOURCES
from gongdan.rules.replies import ELEMENT_LABELS, REPLY_KIND_LABELS, REPLY_KINDS
from gongdan.rules.satisfaction import RATINGS
from gongdan.rules.workdays import format_due
from gongdan.rules.workflow import STATE_LABELS

BLANK = [("", "—请选择—")]
YES_NO = [("", "—请选择—"), ("yes", "是"), ("no", "否")]


def problems_of(error: RuleViolation) -> list[RuleViolation]:
    """The single problems inside a refusal."""
    if isinstance(error, RuleViolations):
        return error.problems
    return [error]


def problem_text(problem: RuleViolation) -> str:
    """A refusal as shown on a page: "【R4.1】纠纷、隐患类工单须…"."""
    return f"【{problem.rule}】{problem.message}"


def now_local() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


def to_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class DateTimeLocal(forms.DateTimeInput):
    """A browser date-and-time picker, in Beijing time (D1)."""

    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class PageForm(forms.Form):
    """A form whose fields are optional to the browser.

    The actions decide what is missing and say so with the rule's ID, so
    the browser must not stop the submission first.
    """

    template_name = "web/_form.html"
    use_required_attribute = False
    # Where a refusal naming one of these inputs is shown.
    field_aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_problems(self, error: RuleViolation) -> None:
        """Show each problem beside its field, or in the form's error box."""
        for problem in problems_of(error):
            name = self.field_aliases.get(problem.field or "", problem.field)
            target = name if name in self.fields else None
            self.add_error(target, problem_text(problem))


def yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=to_bool, empty_value=None, required=False
    )


def datetime_field(label: str, *, default_now: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=DateTimeLocal(),
        initial=now_local if default_now else None,
    )


def category_choices() -> list[Any]:
    """Category names grouped by their parent, for a select."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in Category.objects.order_by("parent", "name"):
        groups.setdefault(category.parent, []).append((category.name, category.name))
    return BLANK + list(groups.items())


def receiving_units(exclude: Unit | None = None) -> Any:
    units = Unit.objects.filter(kind=UnitKind.UNIT).order_by("code")
    return units.exclude(pk=exclude.pk) if exclude else units


# --- intake ------------------------------------------------------------------


class RegisterForm(PageForm):
    """工单登记 (R1.1); every field is checked by ``do_register``."""

    source = forms.ChoiceField(
        label="来源", choices=BLANK + list(SOURCES.items()), required=False
    )
    kind = forms.ChoiceField(
        label="诉求类型", choices=BLANK + list(KINDS.items()), required=False
    )
    category = forms.ChoiceField(label="诉求分类", choices=BLANK, required=False)
    category_undetermined = forms.BooleanField(
        label="分类无法确定，需责任单位负责人确认", required=False
    )
    candidate_unit = forms.ChoiceField(
        label="由哪个单位的负责人确认分类", choices=BLANK, required=False
    )
    urgency = forms.ChoiceField(
        label="紧急程度",
        choices=[("", "按分类默认")] + list(Urgency.choices),
        required=False,
    )
    content = forms.CharField(
        label="诉求内容",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    address = forms.CharField(label="地址", required=False, max_length=300)
    district = forms.CharField(label="区域", required=False, max_length=50)
    caller_name = forms.CharField(label="来电人", required=False, max_length=100)
    caller_phone = forms.CharField(label="来电号码", required=False, max_length=32)
    received_at = datetime_field("受理时间（北京时间）")
    external_no = forms.CharField(label="外部工单号", required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["candidate_unit"].choices = BLANK + [
            (unit.code, unit.name) for unit in receiving_units()
        ]

    def action_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# --- actions on one order ------------------------------------------------------


class OrderForm(PageForm):
    """A form acting on one order, seen by one user."""

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        self.order = order
        super().__init__(*args, **kwargs)

    def action_data(self) -> dict[str, Any]:
        """The cleaned input as the action's keyword arguments."""
        return dict(self.cleaned_data)


class ConfirmCategoryForm(OrderForm):
    category = forms.ChoiceField(label="确认分类", choices=BLANK, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class UnitForm(OrderForm):
    unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        to_field_name="code",
        empty_label="—请选择—",
    )


class DispatchForm(UnitForm):
    def __init__(self, *args: Any, suggested: Unit | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = receiving_units()
        if suggested is not None:
            self.fields["unit"].initial = suggested.code
            self.fields["unit"].help_text = f"按分类和区域建议：{suggested.name}"


class TransferForm(UnitForm):
    reason = forms.CharField(
        label="转办原因", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = receiving_units(exclude=self.order.unit)
        self.fields["unit"].label = "转至单位"


_NUMBER = re.compile(r"GD0*(\d+)", re.IGNORECASE)


class DuplicateForm(OrderForm):
    original = forms.CharField(
        label="原工单编号",
        required=False,
        help_text="如 GD00000012 或外部工单号",
    )

    def clean_original(self) -> Order:
        text = self.cleaned_data["original"].strip()
        if not text:
            raise forms.ValidationError("请填写原工单编号。")
        match = _NUMBER.fullmatch(text)
        found = (
            Order.objects.filter(pk=int(match.group(1))).first()
            if match
            else Order.objects.filter(external_no=text).first()
        )
        if found is None:
            raise forms.ValidationError("未找到该编号的工单。")
        return found


class AcceptForm(OrderForm):
    pass


class ContactForm(OrderForm):
    method = forms.ChoiceField(
        label="联系方式", choices=BLANK + list(CONTACT_METHODS.items()), required=False
    )
    outcome = forms.CharField(
        label="联系结果", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contacted_at = datetime_field("联系时间")
    refused_meeting = forms.BooleanField(
        label="来电人拒绝见面",
        required=False,
        help_text="投诉工单（R5.6、D9）：另以“证明材料”上传证明，如通话录音。",
    )


class SiteVisitForm(OrderForm):
    findings = forms.CharField(
        label="现场核实情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    visited_at = datetime_field("到场时间")
    face_to_face = forms.BooleanField(label="与来电人当面沟通", required=False)


class EvidenceForm(OrderForm):
    purpose = forms.ChoiceField(
        label="用途",
        choices=list(ATTACHMENT_PURPOSES.items()),
        initial="evidence",
        required=False,
    )
    file = forms.FileField(label="文件", required=False)
    description = forms.CharField(label="说明", required=False, max_length=300)


class ReplyForm(OrderForm):
    """One textarea per element of each reply kind (R3.2–R3.5).

    Fields are named ``<kind>-<element>``; only the chosen kind's are sent
    to the action. The page shows the chosen kind's group alone.
    """

    kind = forms.ChoiceField(
        label="回复类型",
        choices=BLANK + list(REPLY_KIND_LABELS.items()),
        required=False,
    )
    caller_delay = forms.BooleanField(
        label="来电人原因延误（R4.5，须在回复中说明并附证明）", required=False
    )
    delay_reason = forms.CharField(
        label="延误原因",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="详细描述因来电人原因未能按时办结的经过；证明（如通话录音）"
        "以“证明材料”上传。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, elements in REPLY_KINDS.items():
            for element in elements:
                label = ELEMENT_LABELS[element]
                if element == "promised_date":
                    field: forms.Field = forms.DateField(
                        label=label,
                        required=False,
                        widget=forms.DateInput(attrs={"type": "date"}),
                    )
                else:
                    field = forms.CharField(
                        label=label,
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )
                self.fields[f"{kind}-{element}"] = field

    def groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [
            (kind, REPLY_KIND_LABELS[kind], [self[f"{kind}-{e}"] for e in elements])
            for kind, elements in REPLY_KINDS.items()
        ]

    def add_problems(self, error: RuleViolation) -> None:
        kind = self.cleaned_data.get("kind", "")
        for problem in problems_of(error):
            name = f"{kind}-{problem.field}"
            target = name if name in self.fields else None
            if problem.field in ("kind", "delay_reason"):
                target = problem.field
            self.add_error(target, problem_text(problem))

    def action_data(self) -> dict[str, Any]:
        kind = self.cleaned_data["kind"]
        elements: dict[str, str | date | None] = {
            e: self.cleaned_data.get(f"{kind}-{e}") for e in REPLY_KINDS.get(kind, ())
        }
        if self.cleaned_data["caller_delay"]:
            elements["delay_reason"] = self.cleaned_data["delay_reason"]
        return {
            "kind": kind,
            "elements": elements,
            "caller_delay": self.cleaned_data["caller_delay"],
        }


class JudgeForm(OrderForm):
    valid = forms.TypedChoiceField(
        label="审核结论",
        choices=[("", "—请选择—"), ("yes", "有效回复"), ("no", "无效回复")],
        coerce=to_bool,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(
        label="审核意见（判定无效时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    caller_delay_accepted = forms.BooleanField(
        label="认定来电人原因延误（R4.5、D4：证明属实，不计超期）", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only a reply that claims a caller-caused delay has one to accept.
        pending = self.order.replies.filter(verdict="").order_by("-submitted_at")
        reply = pending.first()
        if reply is None or not reply.caller_delay:
            del self.fields["caller_delay_accepted"]

    def clean_valid(self) -> bool:
        if self.cleaned_data["valid"] is None:
            raise forms.ValidationError("请选择有效或无效。")
        return self.cleaned_data["valid"]


class FollowUpForm(OrderForm):
    """回访 (R6.1, R6.2, D8, R5.6): a call that reached the caller records
    the four checks and both ratings; one that did not, its reason."""

    template_name = "web/_follow_up_form.html"
    # What a call that reached the caller records.
    OUTCOME = (
        "contacted",
        "consistent",
        "feedback",
        "false_report",
        "process",
        "result",
        "cause",
        "threatened",
    )

    reached = forms.TypedChoiceField(
        label="是否回访到来电人",
        choices=YES_NO,
        coerce=to_bool,
        empty_value=None,
        required=False,
    )
    failure_reason = forms.CharField(label="未回访到原因", required=False)
    contacted = yes_no("单位是否与来电人联系")
    consistent = yes_no("回复内容是否与来电人所述一致")
    process = forms.ChoiceField(
        label="过程评价", choices=BLANK + list(RATINGS.items()), required=False
    )
    result = forms.ChoiceField(
        label="结果评价", choices=BLANK + list(RATINGS.items()), required=False
    )
    feedback = yes_no("单位是否向来电人反馈了结果")
    false_report = yes_no("是否虚报、瞒报")
    threatened = forms.BooleanField(
        label="来电人反映受到威胁",
        required=False,
        help_text="R5.6：将对责任单位发起通报，经运营管理部确认后计入考核。",
    )
    cause = forms.ChoiceField(
        label="不满意原因",
        choices=[
            ("", "—（满意时不填）—"),
            ("unit", "单位原因"),
            ("objective", "客观原因"),
        ],
        required=False,
    )
    note = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reached(self) -> bool:
        if self.cleaned_data["reached"] is None:
            raise forms.ValidationError("【R6.1】请选择是否回访到来电人。")
        return self.cleaned_data["reached"]

    def outcome_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.OUTCOME]


# --- requests to the operations dept (R2.2, R4.2–R4.4, R5.3, R5.4) ----------------


def textarea(label: str, rows: int = 2, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def day_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ExtensionForm(OrderForm):
    """单据延时 (R2.2, R4.2): at most twice, each at most 5 working days."""

    days = forms.IntegerField(
        label="延期工作日",
        required=False,
        help_text="每次最多 5 个工作日，每张工单最多延期 2 次，须在到期前申请。",
    )
    reason = textarea("延期理由")


class ReturnForm(OrderForm):
    """回退 (R5.4): within 12 clock hours of receiving the order."""

    site_check = textarea("现场核实情况")
    reason = textarea("回退原因")
    legal_basis = textarea(
        "回退依据（法律法规）",
        help_text="另须以“现场证据”上传相关图片、视频或录音。",
    )


PLAN_ROWS = 5


class PlanForm(OrderForm):
    """方案解决 (R4.3): measures, dated steps, the caller's acceptance.

    A fixed number of step rows; empty rows are ignored.
    """

    template_name = "web/_plan_form.html"
    measures = textarea("解决措施", rows=3)
    acceptance = textarea("诉求人认可情况")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_errors: list[str] = []
        for n in range(1, PLAN_ROWS + 1):
            self.fields[f"step_{n}_title"] = forms.CharField(
                label=f"第 {n} 步", required=False, max_length=300
            )
            self.fields[f"step_{n}_date"] = day_field(f"第 {n} 步完成日期")

    def step_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (n, self[f"step_{n}_title"], self[f"step_{n}_date"])
            for n in range(1, PLAN_ROWS + 1)
        ]

    def add_problems(self, error: RuleViolation) -> None:
        """Problems with the steps go beside the step rows."""
        for problem in problems_of(error):
            if problem.field == "steps":
                self.step_errors.append(problem_text(problem))
            else:
                super().add_problems(problem)

    def action_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        steps = [
            {"title": data[f"step_{n}_title"], "date": data[f"step_{n}_date"]}
            for n in range(1, PLAN_ROWS + 1)
            if data[f"step_{n}_title"].strip() or data[f"step_{n}_date"]
        ]
        return {
            "measures": data["measures"],
            "acceptance": data["acceptance"],
            "steps": steps,
        }


class UnresolvableForm(OrderForm):
    """无法解决 (R4.4): one of the standard's five reasons, with proof and
    the statement signed by the unit's head attached first."""

    reason_code = forms.ChoiceField(
        label="无法解决原因",
        choices=BLANK + list(UnresolvableReason.choices),
        required=False,
    )
    explanation = textarea(
        "具体情况",
        rows=3,
        help_text="须先上传“证明材料”（现场核查、调解、解释的证明或相关文件）"
        "和“签字情况说明”（单位负责人签字的扫描件）。",
    )


class StatementForm(OrderForm):
    """情况说明 (R5.3): cannot be solved now, and cannot be returned."""

    text = textarea(
        "情况说明",
        rows=4,
        help_text="详细说明目前无法解决的原因；另以“签字情况说明”上传责任人签字的"
        "纸质说明扫描件。",
    )


class RuleCannotSatisfyForm(OrderForm):
    """服务质量提升小组评议 (R3.4)."""

    reasonable = forms.TypedChoiceField(
        label="评议结论",
        choices=[
            ("", "—请选择—"),
            ("yes", "诉求合理，须继续办理"),
            ("no", "诉求不合理，回复成立"),
        ],
        coerce=to_bool,
        empty_value=None,
        required=False,
    )
    oa_ref = forms.CharField(label="OA 审议编号", required=False, max_length=64)
    reason = textarea("评议意见")

    def clean_reasonable(self) -> bool:
        if self.cleaned_data["reasonable"] is None:
            raise forms.ValidationError("请选择评议结论。")
        return self.cleaned_data["reasonable"]


# --- forms on one item of an order: a request, a plan step, a commitment -------


class ItemForm(OrderForm):
    """A form acting on one item of the order, named by a hidden input.

    ``item_arg`` is the action's keyword for the item's id; ``caption``
    says which item the form is about.
    """

    item_arg = ""
    item = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, item: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = item
        if item is not None:
            self.fields["item"].initial = item.pk
        self.caption = self.describe(item) if item is not None else ""
        self.field_aliases = {self.item_arg: "item", **self.field_aliases}

    def describe(self, item: Any) -> str:
        return str(item)

    def action_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data[self.item_arg] = data.pop("item")
        return data


def approval(label: str, yes: str, no: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—请选择—"), ("yes", yes), ("no", no)],
        coerce=to_bool,
        empty_value=None,
        required=False,
    )


def describe_request(request: Request) -> str:
    """One line about a request: "单据延时 3 个工作日：…"."""
    kind = RequestKind(request.kind).label
    asked = format_moment(request.requested_at)
    if request.kind == "extension":
        head = f"{kind} {request.days} 个工作日"
    elif request.kind == "plan":
        steps = request.data.get("steps", [])
        last = steps[-1]["date"] if steps else "—"
        long = "，超过 3 个月" if request.data.get("long") else ""
        head = f"{kind}（{len(steps)} 个步骤，最后节点 {last}{long}）"
    elif request.kind == "unresolvable":
        code = request.data.get("reason_code", "")
        head = f"{kind}（{UnresolvableReason(code).label}）" if code else kind
    else:
        head = kind
    late = "【超过12小时】" if request.late else ""
    return f"{late}{head}，{asked} 申请：{request.reason[:60]}"


def format_moment(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class DecideForm(ItemForm):
    """运营管理部审批 (D6)."""

    item_arg = "request"
    approve = approval("审批结论", "批准", "驳回")
    reason = textarea("审批意见（驳回时必填）")

    def describe(self, item: Request) -> str:
        return describe_request(item)

    def clean_approve(self) -> bool:
        if self.cleaned_data["approve"] is None:
            raise forms.ValidationError("请选择批准或驳回。")
        return self.cleaned_data["approve"]


class ReviewPlanForm(DecideForm):
    """审查小组审核超过 3 个月的方案 (R4.3)."""

    def describe(self, item: Request) -> str:
        approved = format_moment(item.ops_approved_at)
        return f"{describe_request(item)}（运营管理部已于 {approved} 批准）"


def describe_step(step: PlanStep) -> str:
    kind = "3个月进展节点" if step.kind == "checkpoint" else f"第 {step.seq} 步"
    return f"{kind}：{step.title}（时限 {format_due(step.due_at)}）"


class ProgressForm(ItemForm):
    """方案进展回复 (R4.3)."""

    item_arg = "step"
    progress = textarea("进展情况")

    def describe(self, item: PlanStep) -> str:
        return describe_step(item)


class ExtendStepForm(ItemForm):
    """申诉审查小组延长方案节点 (R4.3)."""

    item_arg = "step"
    new_date = day_field("延长至")
    reason = textarea("不可抗力原因")

    def describe(self, item: PlanStep) -> str:
        return describe_step(item)


def describe_commitment(commitment: Commitment) -> str:
    return f"{commitment.promise[:60]}（承诺时限 {format_due(commitment.due_at)}）"


class KeepCommitmentForm(ItemForm):
    """报承诺兑现 (R3.7): proof uploaded after the promise was made."""

    item_arg = "commitment"
    note = textarea(
        "兑现情况", help_text="须先以“证明材料”上传兑现承诺的证明（承诺之后上传）。"
    )

    def describe(self, item: Commitment) -> str:
        return describe_commitment(item)


class ConfirmCommitmentForm(ItemForm):
    """运营管理部确认承诺兑现 (R3.7)."""

    item_arg = "commitment"
    confirm = approval("确认结论", "确认已兑现", "退回，未兑现")
    reason = textarea("意见（退回时必填）")

    def describe(self, item: Commitment) -> str:
        note = f"；兑现情况：{item.claim_note[:60]}" if item.claim_note else ""
        return f"{describe_commitment(item)}{note}"

    def clean_confirm(self) -> bool:
        if self.cleaned_data["confirm"] is None:
            raise forms.ValidationError("请选择确认或退回。")
        return self.cleaned_data["confirm"]


def describe_notice(notice: Notice) -> str:
    """One line about a notice: who, found when, and what the call noted."""
    call = notice.followup
    note = f"；回访备注：{call.note[:60]}" if call.note else ""
    found = format_moment(notice.raised_at)
    return f"{notice.unit.name}：{found} 回访发现来电人反映受到威胁{note}"


class DecideNoticeForm(ItemForm):
    """运营管理部确认通报 (R5.6, D6)."""

    item_arg = "notice"
    confirm = approval("确认结论", "确认通报", "不予通报")
    reason = textarea("意见（不予通报时必填）")

    def describe(self, item: Notice) -> str:
        return describe_notice(item)

    def clean_confirm(self) -> bool:
        if self.cleaned_data["confirm"] is None:
            raise forms.ValidationError("请选择确认通报或不予通报。")
        return self.cleaned_data["confirm"]


# --- lists ---------------------------------------------------------------------


class OrderFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态",
        choices=[("", "全部")] + list(STATE_LABELS.items()),
        required=False,
    )
    unit = forms.ChoiceField(label="责任单位", choices=[("", "全部")], required=False)
    source = forms.ChoiceField(
        label="来源", choices=[("", "全部")] + list(SOURCES.items()), required=False
    )
    overdue = forms.ChoiceField(
        label="超期",
        choices=[("", "全部"), ("yes", "已超期"), ("no", "未超期")],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部")] + [
            (u.code, u.name) for u in receiving_units()
        ]

    def filter_orders(self, orders: QuerySet[Order], now: datetime) -> QuerySet[Order]:
        """The orders that match the chosen filters; all of them when the
        filters cannot be read."""
        if not self.is_valid():
            return orders
        wanted = self.cleaned_data
        if wanted["state"]:
            orders = orders.filter(state=wanted["state"])
        if wanted["unit"]:
            orders = orders.filter(unit__code=wanted["unit"])
        if wanted["source"]:
            orders = orders.filter(source=wanted["source"])
        if wanted["overdue"]:
            late = overdue_q(now)
            return (
                orders.filter(late)
                if wanted["overdue"] == "yes"
                else orders.exclude(late)
            )
        return orders

    def describe(self) -> list[tuple[str, str]]:
        """Each filter chosen, as (label, the choice's label)."""
        if not self.is_valid():
            return []
        chosen = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value:
                labels = dict(field.choices)  # type: ignore[attr-defined]
                chosen.append((str(field.label), str(labels.get(value, value))))
        return chosen
