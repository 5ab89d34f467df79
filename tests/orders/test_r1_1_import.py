"""R1.1: importing a CSV refuses bad rows by number and keeps the rest."""

from gongdan.orders.importer import import_orders
from gongdan.orders.models import Order

HEADER = (
    "external_no,source,received_at,caller_name,caller_phone,kind,category,urgency,"
    "district,address,content\n"
)
GOOD = (
    "GS-1,water_hotline,2026-07-02T21:13:39+08:00,林女士,19036315130,help,二次供水,"
    "urgent,南湖区,南湖区湖滨路76号,南湖名都20栋1单元整栋楼停水大半天了\n"
)
BAD_PHONE = (
    "GS-2,water_hotline,2026-07-03T08:00:00+08:00,王先生,1572149974,help,漏水,,"
    "东城区,东城区东门大街1号,门口漏水\n"
)
NO_ADDRESS = (
    "GS-3,citizen_hotline,2026-07-03T09:00:00+08:00,张女士,13812345678,complaint,停水,,"
    "东城区,,停水一天了\n"
)
BAD_TIME = (
    "GS-4,citizen_hotline,昨天,张女士,13812345678,complaint,停水,,"
    "东城区,东城区某路,停水\n"
)
MULTILINE = (
    "GS-5,citizen_hotline,2026-07-04T09:00:00+08:00,李先生,13812345679,help,其他,,"
    '北山区,北山区上坪村,"有几百亩水稻，\n请开闸放水。"\n'
)


def test_r1_1_bad_rows_refused_with_row_numbers_good_rows_kept(cast):
    text = HEADER + GOOD + BAD_PHONE + NO_ADDRESS + BAD_TIME + MULTILINE

    result = import_orders(text.encode("utf-8"), cast.agent)

    assert sorted(Order.objects.values_list("external_no", flat=True)) == [
        "GS-1",
        "GS-5",
    ]
    refused = {r.row: r for r in result.refused}
    assert sorted(refused) == [3, 4, 5]
    assert "caller_phone" in refused[3].reasons[0]
    assert "address" in " ".join(refused[4].reasons)
    assert "received_at" in refused[5].reasons[0]
    assert (
        Order.objects.get(external_no="GS-5").content == "有几百亩水稻，\n请开闸放水。"
    )


def test_r1_1_importing_twice_creates_nothing_twice(cast):
    text = (HEADER + GOOD + MULTILINE).encode("utf-8")

    first = import_orders(text, cast.agent)
    second = import_orders(text, cast.agent)

    assert len(first.created) == 2
    assert len(second.created) == 0
    assert second.existing == ["GS-1", "GS-5"]
    assert Order.objects.count() == 2


def test_r1_1_file_without_required_columns_refused(cast):
    import pytest

    with pytest.raises(ValueError) as caught:
        import_orders(b"external_no,source\nX,water_hotline\n", cast.agent)

    assert "content" in str(caught.value)
