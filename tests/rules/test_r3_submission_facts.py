"""R2.1, R3.1, R3.4, R4.1, R4.5, R5.2, R5.6, D9: the facts a completion
needs, checked without a database."""

from gongdan.rules.submission import (
    CompletionFacts,
    ReplyFacts,
    check_completion,
    check_reply_facts,
    needs_evidence,
)


def codes(problems):  # type: ignore[no-untyped-def]
    return {(p.rule, p.code) for p in problems}


def test_r3_1_r2_1_r5_2_completion_needs_duty_contact_and_site():
    facts = CompletionFacts(source="citizen_hotline", unit_covers=False)

    assert codes(check_completion(facts)) == {
        ("R3.1", "not_unit_duty"),
        ("R2.1", "contact_missing"),
        ("R5.2", "site_visit_missing"),
    }


def test_r3_5_outside_reply_needs_no_duty_and_water_hotline_no_site():
    facts = CompletionFacts(
        source="water_hotline", unit_covers=False, outside=True, contacted=True
    )

    assert check_completion(facts) == []


def test_r4_1_only_citizen_and_water_hotline_disputes_and_hazards():
    assert needs_evidence("citizen_hotline", dispute=True, hazard=False)
    assert needs_evidence("water_hotline", dispute=False, hazard=True)
    assert not needs_evidence("construction_hotline", dispute=True, hazard=True)
    assert not needs_evidence("water_hotline", dispute=False, hazard=False)


def test_r4_1_evidence_missing():
    facts = ReplyFacts(kind="report", needs_evidence=True)

    assert codes(check_reply_facts(facts)) == {("R4.1", "evidence_missing")}


def test_d9_complaint_needs_meeting_or_refusal_with_proof():
    assert codes(check_reply_facts(ReplyFacts(kind="complaint"))) == {
        ("R5.6", "face_to_face_missing")
    }
    refused_no_proof = ReplyFacts(kind="complaint", refused_meeting=True)
    assert check_reply_facts(refused_no_proof) != []
    refused = ReplyFacts(kind="complaint", refused_meeting=True, has_proof=True)
    assert check_reply_facts(refused) == []
    assert check_reply_facts(ReplyFacts(kind="complaint", met_face_to_face=True)) == []


def test_r4_5_caller_delay_needs_reason_and_proof():
    facts = ReplyFacts(kind="help", caller_delay=True, delay_reason="同上")

    assert codes(check_reply_facts(facts)) == {
        ("R4.5", "delay_reason_missing"),
        ("R4.5", "delay_proof_missing"),
    }


def test_r3_4_continued_order_needs_an_extension_first():
    waiting = ReplyFacts(kind="help", continue_ruled=True)
    extended = ReplyFacts(kind="help", continue_ruled=True, extension_since_ruling=True)

    assert codes(check_reply_facts(waiting)) == {("R3.4", "extension_required")}
    assert check_reply_facts(extended) == []
