"""What an order needs before its unit completes it (R2.1, R3.1, R3.4,
R4.1, R4.5, R5.2, R5.6, D9).

The action gathers the facts from the order and its history; this module
says which rules they break. A reply, a plan, an unresolvable ruling and
a statement all complete an order, so they share ``check_completion``; a
reply adds ``check_reply_facts``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import RuleViolation
from .replies import is_filler

# Sources whose dispute and hazard orders need evidence from the site (R4.1).
EVIDENCE_SOURCES = ("citizen_hotline", "water_hotline")


@dataclass(frozen=True)
class CompletionFacts:
    """The facts of an order that its completion depends on."""

    source: str
    unit_covers: bool  # the category and district are the unit's duty
    outside: bool = False  # outside the group's jurisdiction (R3.5)
    contacted: bool = False  # a contact with the caller is recorded
    site_visited: bool = False  # a site visit is recorded


def check_completion(facts: CompletionFacts) -> list[RuleViolation]:
    """R3.1 duty, R2.1 contact, R5.2 site check for the citizen hotline."""
    problems = []
    if not facts.outside and not facts.unit_covers:
        problems.append(
            RuleViolation(
                "R3.1",
                "not_unit_duty",
                "该工单不属本单位职责，应内部转办，不能提交或申请办结。",
                "unit",
            )
        )
    if not facts.contacted:
        problems.append(
            RuleViolation(
                "R2.1",
                "contact_missing",
                "尚未记录与来电人的联系，不能提交。",
                "contact",
            )
        )
    if facts.source == "citizen_hotline" and not facts.site_visited:
        problems.append(
            RuleViolation(
                "R5.2",
                "site_visit_missing",
                "市民热线工单必须现场排查核实后才能提交，请先记录现场核实。",
                "site_visit",
            )
        )
    return problems


def needs_evidence(source: str, dispute: bool, hazard: bool) -> bool:
    """R4.1: dispute and hazard orders of the citizen or water hotline."""
    return source in EVIDENCE_SOURCES and (dispute or hazard)


@dataclass(frozen=True)
class ReplyFacts:
    """The facts a reply's submission depends on, beyond its elements."""

    kind: str  # the request kind: complaint, help …
    needs_evidence: bool = False
    has_evidence: bool = False  # an image, video or recording is attached
    met_face_to_face: bool = False  # a face-to-face site visit is recorded
    refused_meeting: bool = False  # the caller's refusal to meet is recorded
    has_proof: bool = False  # a proof attachment (recording, document)
    caller_delay: bool = False  # the reply claims a caller-caused delay
    delay_reason: str = ""
    continue_ruled: bool = False  # the quality group ruled: continue (R3.4)
    extension_since_ruling: bool = False


def check_reply_facts(facts: ReplyFacts) -> list[RuleViolation]:
    """R4.1 evidence, R5.6/D9 face to face, R4.5 caller delay, R3.4."""
    problems = []
    if facts.needs_evidence and not facts.has_evidence:
        problems.append(
            RuleViolation(
                "R4.1",
                "evidence_missing",
                "纠纷、隐患类工单须上传现场证据（图片、视频或录音）后才能提交。",
                "evidence",
            )
        )
    met = facts.met_face_to_face or (facts.refused_meeting and facts.has_proof)
    if facts.kind == "complaint" and not met:
        problems.append(
            RuleViolation(
                "R5.6",
                "face_to_face_missing",
                "投诉工单须当面处理：请记录当面处理的现场核实，"
                "或记录来电人拒绝见面并上传证明（如通话录音）。",
                "face_to_face",
            )
        )
    if facts.caller_delay:
        if not facts.delay_reason or is_filler(facts.delay_reason):
            problems.append(
                RuleViolation(
                    "R4.5",
                    "delay_reason_missing",
                    "因来电人原因未按时办结的，须详细描述原因。",
                    "delay_reason",
                )
            )
        if not facts.has_proof:
            problems.append(
                RuleViolation(
                    "R4.5",
                    "delay_proof_missing",
                    "须上传来电人要求暂不处理的证明（如电话录音）。",
                    "proof",
                )
            )
    if facts.continue_ruled and not facts.extension_since_ruling:
        problems.append(
            RuleViolation(
                "R3.4",
                "extension_required",
                "服务质量提升小组评议须继续办理，请先申请延期再按评议结果办理。",
                "extension",
            )
        )
    return problems
