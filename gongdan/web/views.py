"""The pages. Views read, and hand every change to ``orders.actions``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongdan.followups.queries import failed_calls, unreachable_close
from gongdan.orders import actions, procedures
from gongdan.orders.models import (
    Attachment,
    Event,
    Order,
    PlanStep,
    Reply,
    Request,
)
from gongdan.orders.queries import (
    caller_of,
    explain_due,
    mark_deadlines,
    overdue_q,
    visible_orders,
)
from gongdan.org.models import Person, Role, Unit
from gongdan.org.queries import suggest_unit
from gongdan.reports.queries import (
    FIGURES,
    PeriodError,
    UnitFigures,
    assess,
    drill_down,
    period_from,
)
from gongdan.reports.queries import may_see_report as report_allowed
from gongdan.rules import workflow
from gongdan.rules.deadlines import time_left_label
from gongdan.rules.errors import RuleViolation
from gongdan.rules.intake import mask_name, mask_phone
from gongdan.rules.satisfaction import format_percent
from gongdan.rules.workdays import format_due

from . import forms as f
from .charts import report_charts
from .display import (
    CLOSURE_LABELS,
    commitment_rows,
    completion_of,
    continue_note,
    human_size,
    reply_rows,
    request_rows,
    return_window,
    step_rows,
    summarize,
)

UNIT_ROLES = (Role.DESIGNEE, Role.STAFF, Role.HEAD)
HOME_OF_ROLE = {
    Role.AGENT: "register",
    Role.FOLLOWUP: "followups",
    Role.DESIGNEE: "inbox",
    Role.STAFF: "inbox",
    Role.HEAD: "inbox",
    Role.OPS: "review",
    Role.COMMITTEE: "queue",
}

# The form of each action shown on the order page, in page order.
ACTION_FORMS: dict[str, type[f.OrderForm]] = {
    "confirm_category": f.ConfirmCategoryForm,
    "dispatch": f.DispatchForm,
    "mark_duplicate": f.DuplicateForm,
    "accept": f.AcceptForm,
    "record_contact": f.ContactForm,
    "record_site_visit": f.SiteVisitForm,
    "attach_evidence": f.EvidenceForm,
    "submit_reply": f.ReplyForm,
    "transfer": f.TransferForm,
    "request_extension": f.ExtensionForm,
    "request_plan": f.PlanForm,
    "request_unresolvable": f.UnresolvableForm,
    "request_statement": f.StatementForm,
    "request_return": f.ReturnForm,
    "judge_reply": f.JudgeForm,
    "rule_cannot_satisfy": f.RuleCannotSatisfyForm,
    "decide_request": f.DecideForm,
    "review_plan": f.ReviewPlanForm,
    "follow_up": f.FollowUpForm,
    "progress_reply": f.ProgressForm,
    "extend_plan_step": f.ExtendStepForm,
    "keep_commitment": f.KeepCommitmentForm,
    "confirm_commitment": f.ConfirmCommitmentForm,
    "decide_notice": f.DecideNoticeForm,
}
# Actions only the unit owning the order takes (R3.1).
OWNER_ACTIONS = {
    "accept",
    "transfer",
    "record_contact",
    "record_site_visit",
    "attach_evidence",
    "submit_reply",
    "request_extension",
    "request_plan",
    "request_unresolvable",
    "request_statement",
    "request_return",
    "progress_reply",
    "keep_commitment",
}
# Decisions of one committee only (D6, R3.4, R4.3).
COMMITTEE_OF = {
    "rule_cannot_satisfy": procedures.QUALITY,
    "review_plan": procedures.REVIEW,
    "extend_plan_step": procedures.APPEAL,
}


def pending_requests(order: Order) -> QuerySet[Request]:
    """Requests the operations dept has yet to decide, oldest first (D6)."""
    return order.requests.filter(state="pending", ops_approved_at__isnull=True)


def plans_awaiting_review(order: Order) -> QuerySet[Request]:
    """Long plans the operations dept approved, waiting for review (R4.3)."""
    return order.requests.filter(
        kind="plan", state="pending", ops_approved_at__isnull=False
    )


def open_steps(order: Order) -> QuerySet[PlanStep]:
    return order.plan_steps.filter(replied_at__isnull=True).order_by("due_at", "seq")


# The items an item action is taken on, one form each, in page order.
ITEMS: dict[str, Callable[[Order], QuerySet[Any]]] = {
    "decide_request": lambda order: pending_requests(order).order_by("requested_at"),
    "review_plan": lambda order: plans_awaiting_review(order).order_by("requested_at"),
    "progress_reply": open_steps,
    "extend_plan_step": open_steps,
    "keep_commitment": lambda order: order.commitments.filter(state="open"),
    "confirm_commitment": lambda order: order.commitments.filter(state="claimed"),
    "decide_notice": lambda order: order.notices.filter(state="pending").select_related(
        "unit", "followup"
    ),
}
FIGURE_LABELS = {
    "received": "受理",
    "completed": "办结",
    "on_time": "按时办结",
    "overdue": "超期",
    "caller_delay": "来电人原因延误",
    "redo": "重办",
    "followed_up": "回访",
}
VERDICTS = {
    "": "待审核",
    "valid": "有效回复",
    "invalid": "无效回复",
    "continue": "评议须继续办理",
}


# --- who the user is ---------------------------------------------------------


# The role whose pages come first when a person holds several.
PRIMARY_ROLES = (
    Role.OPS,
    Role.ADMIN,
    Role.HEAD,
    Role.DESIGNEE,
    Role.STAFF,
    Role.AGENT,
    Role.FOLLOWUP,
    Role.COMMITTEE,
)


class Member:
    """The signed-in person: their unit, every role, and the first of them."""

    def __init__(self, person: Person) -> None:
        self.unit = person.unit
        self.roles = person.roles
        self.role = next((r for r in PRIMARY_ROLES if r in self.roles), None)
        self.unit_id = person.unit.pk if person.unit else None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def role_labels(self) -> str:
        return "、".join(Role(r).label for r in PRIMARY_ROLES if r in self.roles)


def member_of(request: HttpRequest) -> Member | None:
    person = Person.of(request.user)
    return Member(person) if person.roles else None


def role_of(request: HttpRequest) -> str | None:
    """The first of the user's roles (for the home page)."""
    member = member_of(request)
    return member.role if member else None


def has_role(request: HttpRequest, *roles: str) -> bool:
    member = member_of(request)
    return member is not None and member.has(*roles)


def forbidden(request: HttpRequest, text: str) -> HttpResponse:
    return render(request, "web/forbidden.html", {"text": text}, status=403)


def orders_for(request: HttpRequest) -> QuerySet[Order]:
    """Orders the user may open (``visible_orders``: for a unit head, also
    those waiting for the head's category confirmation, R1.2)."""
    return visible_orders(request.user)  # type: ignore[arg-type]


def get_order(request: HttpRequest, pk: int) -> Order:
    return get_object_or_404(orders_for(request), pk=pk)


def with_deadlines(orders: Iterable[Order]) -> list[Order]:
    """Mark each order overdue or due soon, with its due time as shown."""
    now = timezone.now()
    marked = mark_deadlines(list(orders), now)
    for order in marked:
        order.due_display = format_due(order.due_at) if order.due_at else "—"
        order.time_left = (
            time_left_label(order.due_at, now)
            if order.due_at and order.state in workflow.OPEN_STATES
            else ""
        )
    return marked


# --- login and home --------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to the page of its daily work."""
    return redirect(HOME_OF_ROLE.get(role_of(request) or "", "orders"))


# --- intake ------------------------------------------------------------------


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """工单登记 (R1.1): the form, and ``do_register`` on submission."""
    if not has_role(request, Role.AGENT):
        return forbidden(request, "只有热线坐席可以登记工单。")
    form = f.RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            order = actions.do_register(request.user, form.action_data())
        except RuleViolation as error:
            form.add_problems(error)
            status = error.status
        else:
            messages.success(request, f"已登记工单 {order.number}")
            return redirect("order", pk=order.pk)
    if form.errors and status == 200:
        status = 400
    return render(request, "web/register.html", {"form": form}, status=status)


# --- lists -------------------------------------------------------------------


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """All orders the user may see, filtered by state, unit, source, overdue."""
    form = f.OrderFilterForm(request.GET or None)
    orders = visible_orders(request.user).order_by("-received_at", "-pk")  # type: ignore[arg-type]
    if form.is_valid():
        wanted = form.cleaned_data
        if wanted["state"]:
            orders = orders.filter(state=wanted["state"])
        if wanted["unit"]:
            orders = orders.filter(unit__code=wanted["unit"])
        if wanted["source"]:
            orders = orders.filter(source=wanted["source"])
        if wanted["overdue"]:
            late = overdue_q(timezone.now())
            wanted_late = wanted["overdue"] == "yes"
            orders = orders.filter(late) if wanted_late else orders.exclude(late)
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "orders": with_deadlines(page.object_list),
        "query": query.urlencode(),
        "awaiting": awaiting_confirmation(request),
    }
    return render(request, "web/order_list.html", context)


def awaiting_confirmation(request: HttpRequest) -> list[Order]:
    """For a unit head: orders whose category waits for the head's
    confirmation (R1.2)."""
    member = member_of(request)
    if member is None or not member.has(Role.HEAD):
        return []
    return list(
        Order.objects.filter(
            state=workflow.REGISTERED,
            category__isnull=True,
            category_undetermined=True,
            candidate_unit=member.unit,
        ).order_by("received_at")
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The unit's open orders, the most urgent first."""
    member = member_of(request)
    if member is None or not member.has(*UNIT_ROLES):
        return forbidden(request, "本页面供责任单位人员使用。")
    orders = (
        Order.objects.select_related("category", "unit")
        .filter(unit=member.unit, state__in=workflow.OPEN_STATES)
        .annotate(
            # R3.6: a reply judged invalid is no reply; say so in the list.
            sent_back=Exists(
                Reply.objects.filter(
                    order=OuterRef("pk"), verdict__in=("invalid", "continue")
                )
            )
        )
        .order_by(F("due_at").asc(nulls_last=True), "received_at")
    )
    context = {
        "unit": member.unit,
        "orders": with_deadlines(orders),
        "awaiting": awaiting_confirmation(request),
    }
    return render(request, "web/inbox.html", context)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """待审核: submitted replies, the oldest first (R3.6)."""
    if not has_role(request, Role.OPS):
        return forbidden(request, "只有运营管理部可以审核回复。")
    orders = with_deadlines(
        Order.objects.select_related("category", "unit")
        .filter(state=workflow.SUBMITTED)
        .order_by("pending_reply_at", "pk")
    )
    for order in orders:
        order.reply = order.replies.filter(verdict="").order_by("-submitted_at").first()
        order.reply_rows = reply_rows(order.reply) if order.reply else []
        order.judge_form = f.JudgeForm(order=order, auto_id=f"id_judge_{order.pk}_%s")
    return render(request, "web/review.html", {"orders": orders})


# The orders of one page of the follow-up queue, each with its form.
FOLLOW_UP_PAGE = 20


@login_required
def followups(request: HttpRequest) -> HttpResponse:
    """待回访: completed orders, the oldest completion first (R6.1)."""
    return followup_queue(request)


def followup_queue(
    request: HttpRequest,
    order: Order | None = None,
    failed: tuple[str, f.OrderForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Each order waiting for its follow-up, with how it was completed,
    the calls of this round that did not reach the caller, and the
    follow-up form; ``failed`` is a refused form, shown in its order's
    place with each problem beside its field (R6.1, D5)."""
    if not has_role(request, Role.AGENT, Role.FOLLOWUP):
        return forbidden(request, "只有热线坐席和回访坐席可以回访。")
    waiting = (
        Order.objects.select_related("category", "unit")
        .filter(state=workflow.FOLLOW_UP)
        .order_by("valid_reply_at", "pk")
    )
    number: Any = request.GET.get("page")
    if failed is not None and order is not None:
        number = page_of(waiting, order)
    page = Paginator(waiting, FOLLOW_UP_PAGE).get_page(number)

    refused = failed[1] if failed is not None else None
    shown = request.GET.get("caller", "")
    orders = with_deadlines(page.object_list)
    for row in orders:
        row.completion, row.completion_rows = completion_of(row)
        row.missed = failed_calls(row)
        row.call_no = len(row.missed) + 1
        # Callers are masked in the list; the agent shows one before the
        # call, and that view is recorded like the order page's.
        row.caller_shown = str(row.pk) == shown
        if row.caller_shown:
            row.caller = caller_of(request.user, row, "page")  # type: ignore[arg-type]
        else:
            row.caller = (mask_name(row.caller_name), mask_phone(row.caller_phone))
        if refused is not None and order is not None and row.pk == order.pk:
            row.form, refused = refused, None
        else:
            row.form = build_form("follow_up", row)
        row.form.auto_id = f"id_follow_up_{row.pk}_%s"

    problems = failed[1].errors.values() if failed is not None else []
    context = {
        "orders": orders,
        "page": page,
        "limit": settings.GONGDAN_FOLLOWUP_ATTEMPTS,
        "next": f"{reverse('followups')}?page={page.number}",
        "refused": bool(failed),
        "refused_anchor": f"order-{order.pk}" if order is not None else "",
        "refused_problems": [e for errors in problems for e in errors],
        # A refused form whose order left the queue (someone else followed
        # it up first) has no place on the page: say so at the top.
        "left_queue": refused is not None,
    }
    return render(request, "web/followups.html", context, status=status)


def page_of(waiting: QuerySet[Order], order: Order) -> int | None:
    """The queue page that holds ``order``, if it is still waiting."""
    if order.state != workflow.FOLLOW_UP or order.valid_reply_at is None:
        return None
    at = order.valid_reply_at
    before = waiting.filter(
        Q(valid_reply_at__lt=at) | Q(valid_reply_at=at, pk__lt=order.pk)
    ).count()
    return before // FOLLOW_UP_PAGE + 1


# --- the order page ------------------------------------------------------------


def may_take(member: Member | None, order: Order, action: str) -> bool:
    """Whether the page offers ``action`` to this member in this state."""
    spec = workflow.ACTIONS[action]
    if member is None or not member.has(*spec.roles):
        return False
    if order.state not in spec.states:
        return False
    if action in OWNER_ACTIONS and order.unit_id != member.unit_id:
        return False
    if action in COMMITTEE_OF and member.unit.code != COMMITTEE_OF[action]:
        return False
    if action in ITEMS:
        return ITEMS[action](order).exists()
    if action == "confirm_category":
        return order.category_undetermined and order.category_id is None
    if action in ("judge_reply", "rule_cannot_satisfy"):
        # R3.4: the quality group, not the operations dept, rules on a
        # cannot-satisfy reply.
        reply = pending_reply(order)
        quality = action == "rule_cannot_satisfy"
        return reply is not None and (reply.kind == "cannot_satisfy") == quality
    return True


def pending_reply(order: Order) -> Reply | None:
    return order.replies.filter(verdict="").order_by("-submitted_at").first()


def build_form(
    action: str, order: Order, data: Any = None, files: Any = None, item: Any = None
) -> f.OrderForm:
    """The action's form; an item action's names its item, and a posted one
    finds it among the items still open."""
    kwargs: dict[str, Any] = {"order": order}
    if action == "dispatch":
        category = order.category.name if order.category else None
        kwargs["suggested"] = suggest_unit(category, order.district)
    if action in ITEMS:
        if item is None and data is not None:
            item = posted_item(action, order, data)
        kwargs["item"] = item
    suffix = f"{item.pk}_" if item is not None else ""
    kwargs["auto_id"] = f"id_{action}_{suffix}%s"
    return ACTION_FORMS[action](data, files, **kwargs)


def posted_item(action: str, order: Order, data: Any) -> Any:
    wanted = str(data.get("item", ""))
    if not wanted.isdigit():
        return None
    return ITEMS[action](order).filter(pk=int(wanted)).first()


def build_forms(action: str, order: Order) -> list[f.OrderForm]:
    """The action's forms on the page: one, or one per item."""
    if action in ITEMS:
        return [build_form(action, order, item=item) for item in ITEMS[action](order)]
    return [build_form(action, order)]


def put_back(forms: list[f.OrderForm], failed: f.OrderForm) -> bool:
    """Put a refused form in the place of its unbound twin."""
    if not isinstance(failed, f.ItemForm):
        forms[:] = [failed]
        return True
    for n, form in enumerate(forms):
        target = getattr(form, "target", None)
        if target is not None and target == failed.target:
            forms[n] = failed
            return True
    return False


def order_page(
    request: HttpRequest,
    order: Order,
    failed: tuple[str, f.OrderForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Show the order, its history, and the forms of the actions the user
    may take now; ``failed`` is a refused form to show with its errors."""
    order = (
        orders_for(request)
        .prefetch_related("events__actor", "events__unit", "attachments")
        .get(pk=order.pk)
    )
    with_deadlines([order])
    member = member_of(request)
    action_forms = {
        name: build_forms(name, order)
        for name in ACTION_FORMS
        if may_take(member, order, name)
    }
    page_errors: list[str] = []
    if failed is not None:
        name, form = failed
        if name not in action_forms or not put_back(action_forms[name], form):
            page_errors = [e for errors in form.errors.values() for e in errors]
            page_errors += getattr(form, "step_errors", [])
    replies = list(order.replies.select_related("unit", "submitted_by", "judged_by"))
    units = dict(Unit.objects.values_list("code", "name"))
    caller_name, caller_phone = caller_of(request.user, order, "page")  # type: ignore[arg-type]
    context = {
        "order": order,
        "caller_name": caller_name,
        "caller_phone": caller_phone,
        "due_lines": explain_due(order),
        "return_window": return_window(order),
        "requests": [
            (req, request_rows(req))
            for req in order.requests.select_related(
                "requested_by", "decided_by", "ops_approved_by"
            )
        ],
        "plan_steps": step_rows(order),
        "commitments": commitment_rows(order),
        "continue_note": continue_note(order),
        "closure": CLOSURE_LABELS.get(order.closure, ""),
        "events": [(event, summarize(event, units)) for event in order.events.all()],
        "attachments": [
            (
                attachment,
                human_size(attachment.size),
                actions.ATTACHMENT_PURPOSES.get(attachment.purpose, attachment.purpose),
            )
            for attachment in order.attachments.all()
        ],
        "replies": [(reply, reply_rows(reply)) for reply in replies],
        "followups": list(order.followups.select_related("agent")),
        "notices": list(
            order.notices.select_related("unit", "decided_by", "followup__agent")
        ),
        "unreachable": unreachable_close(order),
        "forms": [
            (name, workflow.ACTIONS[name].label, forms)
            for name, forms in action_forms.items()
        ],
        "page_errors": page_errors,
        # A refused action is announced at the top of the page, with a link
        # to its form further down, where each problem sits by its field.
        "refused": workflow.ACTIONS[failed[0]].label if failed else "",
        "refused_anchor": failed[0] if failed else "",
        "refused_problems": (
            [e for errors in failed[1].errors.values() for e in errors]
            if failed
            else []
        ),
    }
    return render(request, "web/order.html", context, status=status)


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return order_page(request, get_order(request, pk))


def order_action(
    action: str, done: str, page: Callable[..., HttpResponse] = order_page
) -> Callable[[Callable[..., object]], Callable[..., HttpResponse]]:
    """Make a view that parses ``action``'s form and calls the action.

    The decorated function only calls the one action function. On success
    the user goes back to the order (or to ``next``) with ``done`` as a
    message, or with the text the function returned; a refusal shows
    ``page`` (the order page) again, with each problem beside its field,
    as 400 (403 for a role, 409 for a state that moved on).
    """

    def decorate(call: Callable[..., object]) -> Callable[..., HttpResponse]:
        @login_required
        @require_POST
        @wraps(call)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            order = get_order(request, pk)
            form = build_form(action, order, request.POST, request.FILES)
            if not form.is_valid():
                return page(request, order, (action, form), status=400)
            try:
                said = call(request, order, form)
            except RuleViolation as error:
                form.add_problems(error)
                return page(request, order, (action, form), error.status)
            messages.success(request, said if isinstance(said, str) else done)
            return redirect(next_url(request) or reverse("order", args=[order.pk]))

        return view

    return decorate


def next_url(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()})
    return target if target and safe else None


@order_action("confirm_category", "已确认分类")
def confirm_category(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    actions.do_confirm_category(order, request.user, form.cleaned_data["category"])


@order_action("dispatch", "已转办")
def dispatch(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    actions.do_dispatch(order, request.user, form.cleaned_data["unit"])


@order_action("mark_duplicate", "已合并为重复来电")
def mark_duplicate(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    actions.do_mark_duplicate(order, request.user, form.cleaned_data["original"])


@order_action("accept", "已签收")
def accept(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    actions.do_accept(order, request.user)


@order_action("transfer", "已内部转办")
def transfer(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    actions.do_transfer(
        order, request.user, form.cleaned_data["unit"], form.cleaned_data["reason"]
    )


@order_action("record_contact", "已记录联系")
def record_contact(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    actions.do_record_contact(order, request.user, **form.action_data())


@order_action("record_site_visit", "已记录现场核实")
def record_site_visit(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    actions.do_record_site_visit(order, request.user, **form.action_data())


@order_action("attach_evidence", "已上传附件")
def attach_evidence(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    upload = form.cleaned_data["file"]
    actions.do_attach_evidence(
        order,
        request.user,
        name=upload.name if upload else "",
        content=upload.read() if upload else b"",
        description=form.cleaned_data["description"],
        purpose=form.cleaned_data["purpose"] or "evidence",
    )


@order_action("submit_reply", "已提交回复，等待审核")
def submit_reply(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    actions.do_submit_reply(order, request.user, **form.action_data())


@order_action("judge_reply", "已审核")
def judge_reply(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    actions.do_judge_reply(order, request.user, **form.action_data())


@order_action("follow_up", "已记录回访")
def follow_up(request: HttpRequest, order: Order, form: f.OrderForm) -> str:
    return follow_up_done(
        actions.do_follow_up(order, request.user, **form.action_data())
    )


@order_action("follow_up", "已记录回访", page=followup_queue)
def queue_follow_up(request: HttpRequest, order: Order, form: f.OrderForm) -> str:
    """The follow-up form of the queue: a refusal shows the queue again."""
    return follow_up_done(
        actions.do_follow_up(order, request.user, **form.action_data())
    )


def follow_up_done(event: Event) -> str:
    """What became of the order after the call, for the agent to read."""
    data = event.data
    if not data.get("reached"):
        if data.get("unreachable"):
            return (
                f"已记录未回访到。本轮已 {data.get('attempts')} 次未联系上来电人，"
                "工单按无法回访办结，另行统计（D5）。"
            )
        return f"已记录未回访到（本轮第 {data.get('attempts')} 次），工单仍在待回访。"
    if data.get("redo"):
        said = "已记录回访，工单退回责任单位重办（R5.5）。"
    else:
        said = "已记录回访，工单已办结。"
    if data.get("threatened"):
        said += "已对责任单位发起通报，待运营管理部确认（R5.6）。"
    return said


# --- requests, decisions, plans and commitments ------------------------------------


@order_action("request_extension", "已申请延期，等待运营管理部审批")
def request_extension(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_request_extension(order, request.user, **form.action_data())


@order_action("request_return", "已申请回退，等待运营管理部审批")
def request_return(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_request_return(order, request.user, **form.action_data())


@order_action("request_plan", "已申请方案解决，等待运营管理部审批")
def request_plan(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_request_plan(order, request.user, **form.action_data())


@order_action("request_unresolvable", "已申请无法解决，等待运营管理部审批")
def request_unresolvable(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_request_unresolvable(order, request.user, **form.action_data())


@order_action("request_statement", "已报送情况说明，等待运营管理部审批")
def request_statement(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_request_statement(order, request.user, **form.action_data())


@order_action("decide_request", "已审批")
def decide_request(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_decide_request(order, request.user, **form.action_data())


@order_action("review_plan", "已审核方案")
def review_plan(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_review_plan(order, request.user, **form.action_data())


@order_action("rule_cannot_satisfy", "已评议")
def rule_cannot_satisfy(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_rule_cannot_satisfy(order, request.user, **form.action_data())


@order_action("progress_reply", "已回复方案进展")
def progress_reply(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_progress_reply(order, request.user, **form.action_data())


@order_action("extend_plan_step", "已延长方案节点")
def extend_plan_step(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_extend_plan_step(order, request.user, **form.action_data())


@order_action("keep_commitment", "已报承诺兑现，等待运营管理部确认")
def keep_commitment(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_keep_commitment(order, request.user, **form.action_data())


@order_action("confirm_commitment", "已处理承诺兑现")
def confirm_commitment(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_confirm_commitment(order, request.user, **form.action_data())


@order_action("decide_notice", "已处理通报")
def decide_notice(request: HttpRequest, order: Order, form: f.OrderForm) -> None:
    procedures.do_decide_notice(order, request.user, **form.action_data())


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an attachment as a download, to those who may see its order."""
    found = get_object_or_404(
        Attachment,
        pk=pk,
        order__in=visible_orders(request.user),  # type: ignore[arg-type]
    )
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the quarterly assessment ----------------------------------------------------


def may_see_report(request: HttpRequest) -> bool:
    return report_allowed(request.user)


def bad_request(request: HttpRequest, text: str, back: str) -> HttpResponse:
    """Say in Chinese what in the address was wrong (400)."""
    return render(
        request, "web/bad_request.html", {"text": text, "back": back}, status=400
    )


def quarter_choices(chosen: str) -> list[str]:
    """The quarters from the first order received to now, newest first."""
    # .first() asks for one row; testing the queryset itself fetched them all.
    first = (
        Order.objects.order_by("received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    start = timezone.localdate(first) if first else timezone.localdate()
    today = timezone.localdate()
    quarters = []
    year, q = start.year, (start.month - 1) // 3 + 1
    while (year, q) <= (today.year, (today.month - 1) // 3 + 1):
        quarters.append(f"{year}Q{q}")
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    if chosen not in quarters and re.fullmatch(r"\d{4}Q[1-4]", chosen):
        quarters.append(chosen)
    return sorted(quarters, reverse=True)


def report_row(figures: UnitFigures) -> dict[str, Any]:
    """One line of the report: counts to link, and the rates as percents."""
    rates = figures.rates
    minutes = figures.dispatch_minutes
    return {
        "figures": figures,
        "cells": [(f.key, figures.counts[f.key]) for f in FIGURES],
        "dispatch_minutes": "—" if minutes is None else f"{float(minutes):.1f}",
        "rates": [
            format_percent(rates.feedback_rate),
            format_percent(rates.process),
            format_percent(rates.result),
            format_percent(rates.user),
        ],
    }


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """考核: the figures per unit and for the group (R4.6, R5.5, R6.3),
    with charts whose numbers stand in a table beside each."""
    if not may_see_report(request):
        return forbidden(request, "您的角色不能查看季度考核。")
    try:
        period = period_from(request.GET)
    except PeriodError as error:
        return bad_request(request, str(error), reverse("report"))
    result = assess(period)
    charts = report_charts(result)
    context = {
        "period": period,
        "quarter": period.label,
        "quarters": quarter_choices(period.label),
        "rows": [report_row(u) for u in result.units],
        "total": report_row(result.total),
        "figures": FIGURES,
        "charts": charts,
        "chart_data": {chart.id: chart.data() for chart in charts},
    }
    return render(request, "web/report.html", context)


# Rows of a drill-down page: a figure may stand for 100 000 orders.
REPORT_PAGE_SIZE = 100
GROUP_LABELS = {"category": "诉求分类", "district": "区域"}


@login_required
def report_orders(request: HttpRequest) -> HttpResponse:
    """The orders behind one figure of the assessment, and why each counts.

    The total is every fact of the figure, as the report counts it; the
    list holds those whose order the reader may see, a page at a time.
    """
    if not may_see_report(request):
        return forbidden(request, "您的角色不能查看季度考核。")
    try:
        drill = drill_down(request.GET)
    except PeriodError as error:
        return bad_request(request, str(error), reverse("report"))
    period, figure, unit, facts = drill.period, drill.figure, drill.unit, drill.facts
    groups = [(GROUP_LABELS[by], name) for by, name in drill.groups]
    # What the reader may see is decided in the database: only the page
    # shown is loaded, however many facts the figure holds.
    seen = visible_orders(request.user).filter(pk=OuterRef("order_id"))  # type: ignore[arg-type]
    page = Paginator(facts.filter(Exists(seen)), REPORT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    count = facts.count()

    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "period": period,
        "quarter": period.label,
        "unit_name": unit.name if unit else "集团合计",
        "figure": figure,
        "figure_label": figure.label,
        "groups": groups,
        "page": page,
        "facts": page.object_list,
        "count": count,
        "hidden": count - page.paginator.count,
        "query": query.urlencode(),
    }
    return render(request, "web/report_orders.html", context)
