"""R4.1, D7: evidence is stored by its real type under a generated name."""

import hashlib
from pathlib import Path

import pytest

from gongdan.orders import actions
from gongdan.orders.demo import tiny_png
from gongdan.rules.errors import RuleViolation

# The smallest MP3 frame header and WAV header: real audio magic bytes.
WAV = (
    b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x10\x00\x00\x00\x01\x00\x01\x00" + b"\x00" * 20
)


def test_r4_1_photo_stored_with_hash_and_generated_name(flow, cast, media_root):
    order = flow.handling()
    content = tiny_png(7)

    actions.do_attach_evidence(
        order, cast.east_staff, name="../../etc/passwd.png", content=content
    )

    attachment = order.attachments.get()
    assert attachment.media_kind == "image"
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.original_name == "passwd.png"
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(media_root))
    assert stored.read_bytes() == content
    assert "passwd" not in stored.name


def test_r4_1_audio_accepted(flow, cast):
    order = flow.handling()

    actions.do_attach_evidence(order, cast.east_staff, name="录音.wav", content=WAV)

    assert order.attachments.get().media_kind == "audio"


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),
        ("report.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("x.png", b"MZ\x90\x00" + b"\x00" * 60),
    ],
)
def test_r4_1_disguised_file_refused(flow, cast, name, content):
    order = flow.handling()

    with pytest.raises(RuleViolation) as caught:
        actions.do_attach_evidence(order, cast.east_staff, name=name, content=content)

    assert caught.value.code == "file_type_refused"
    assert not order.attachments.exists()
    assert not order.events.filter(action="attach_evidence").exists()


def test_d7_same_name_twice_keeps_both(flow, cast):
    order = flow.handling()

    actions.do_attach_evidence(
        order, cast.east_staff, name="a.png", content=tiny_png(1)
    )
    actions.do_attach_evidence(
        order, cast.east_staff, name="a.png", content=tiny_png(2)
    )

    first, second = order.attachments.all()
    assert first.file.name != second.file.name
    assert Path(first.file.path).read_bytes() == tiny_png(1)


def test_r4_1_image_header_on_other_bytes_refused(flow, cast):
    order = flow.handling()

    with pytest.raises(RuleViolation) as caught:
        actions.do_attach_evidence(
            order,
            cast.east_staff,
            name="x.gif",
            content=b"GIF89a<script>alert(1)</script>",
        )

    assert caught.value.code == "file_type_refused"


def test_r4_1_download_name_ends_in_the_real_type(flow, cast):
    order = flow.handling()

    actions.do_attach_evidence(
        order, cast.east_staff, name="invoice.html", content=tiny_png(4)
    )
    actions.do_attach_evidence(
        order, cast.east_staff, name="现场照片.PNG", content=tiny_png(5)
    )
    actions.do_attach_evidence(order, cast.east_staff, name="录音", content=WAV)

    names = list(order.attachments.values_list("original_name", flat=True))
    assert names == ["invoice.png", "现场照片.png", "录音.wav"]
