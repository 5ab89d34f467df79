"""The order page: its facts, history, replies, attachments, and the forms
each role may use in each state."""

from __future__ import annotations

from gongdan.orders import actions

from .steps import contacted, handling, login, register, submitted, tiny_png


def test_order_page_shows_fields_state_and_due(cast: dict) -> None:
    order = register(cast, caller_phone="0571-88702300")

    page = login("agent").get(f"/orders/{order.pk}/").content.decode()

    assert "已登记" in page
    assert "0571-88702300" in page  # the phone in full
    assert "东城区东门大街33号" in page
    assert order.limit_label in page
    assert "剩余" in page or "已超期" in page


def test_order_page_offers_only_the_roles_actions(cast: dict) -> None:
    order = register(cast)

    agent_page = login("agent").get(f"/orders/{order.pk}/").content.decode()
    ops_page = login("ops").get(f"/orders/{order.pk}/").content.decode()

    assert f'action="/orders/{order.pk}/dispatch/"' in agent_page
    assert f'action="/orders/{order.pk}/mark-duplicate/"' in agent_page
    assert "/accept/" not in agent_page
    assert "/dispatch/" not in ops_page
    assert "当前状态下您没有可执行的操作" in ops_page


def test_dispatch_form_preselects_suggested_unit(cast: dict) -> None:
    order = register(cast, district="西城区", address="西城区河西路1号")

    page = login("agent").get(f"/orders/{order.pk}/").content.decode()

    assert '<option value="WEST" selected>' in page
    assert "按分类和区域建议：西城供水分公司" in page


def test_history_replies_and_attachments_are_listed(cast: dict) -> None:
    order = handling(cast)
    actions.do_attach_evidence(
        order, cast["east_designee"], name="现场.png", content=tiny_png()
    )
    submitted(cast, order)

    page = login("ops").get(f"/orders/{order.pk}/").content.decode()

    for label in ("登记", "转办", "签收", "联系来电人", "上传附件", "提交回复"):
        assert f">{label}</td>" in page
    assert "方式：电话" in page
    assert "现场核实为小区门口DN100供水管接口渗漏。" in page
    assert "待审核" in page
    assert "现场.png" in page and "image/png" in page
    assert order.attachments.get().sha256[:12] in page
    assert f'action="/orders/{order.pk}/judge-reply/"' in page


def test_reply_form_has_a_group_per_kind(cast: dict) -> None:
    order = contacted(cast, handling(cast))

    page = login("east_designee").get(f"/orders/{order.pk}/").content.decode()

    for kind in ("resolved", "short_term", "cannot_satisfy", "outside"):
        assert f'data-kind-group="{kind}"' in page
    assert 'name="short_term-promised_date"' in page and 'type="date"' in page
    assert "后续处置方案" in page and "诉求合理性分析" in page


def test_unit_staff_sees_handling_forms_but_not_submit(cast: dict) -> None:
    order = handling(cast)

    page = login("east_staff").get(f"/orders/{order.pk}/").content.decode()

    assert "/record-contact/" in page and "/record-site-visit/" in page
    assert "/attach-evidence/" in page
    assert "/submit-reply/" not in page and "/transfer/" not in page


def test_unknown_order_is_404(cast: dict) -> None:
    assert login("agent").get("/orders/999/").status_code == 404


def test_caller_masked_on_the_page_for_the_operations_dept(cast: dict) -> None:
    from gongdan.orders.models import CallerView

    from .steps import handling

    order = handling(cast)

    unit_page = login("east_designee").get(f"/orders/{order.pk}/").content.decode()
    ops_page = login("ops").get(f"/orders/{order.pk}/").content.decode()

    assert order.caller_phone in unit_page
    assert order.caller_phone not in ops_page
    assert order.caller_phone[:3] + "****" in ops_page
    assert CallerView.objects.filter(order=order, channel="page").count() == 1


def test_action_index_links_to_each_form(cast: dict) -> None:
    from .steps import handling

    order = handling(cast)

    page = login("east_designee").get(f"/orders/{order.pk}/").content.decode()

    index = page[page.index('class="action-index') :]
    index = index[: index.index("</nav>")]
    for action in ("record_contact", "record_site_visit", "submit_reply"):
        assert f'href="#{action}"' in index
        assert f'id="{action}"' in page
