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


def test_r1_1_hostile_rows_refused_each_with_its_reason(cast):
    """Dates out of range or in the future, overlong fields, NUL bytes,
    rows without an external number and repeated numbers are refused one
    by one; the good row is imported."""
    rows = [
        "X-1,water_hotline,0001-01-01T00:00:00,王先生,13812345678,help,漏水,,东城区,东城区某路,漏水",
        "X-2,water_hotline,2099-01-01T00:00:00,王先生,13812345678,help,漏水,,东城区,东城区某路,漏水",
        "X-3,water_hotline,2026-07-03T08:00:00+08:00,王先生,13812345678,help,漏水,,东城区,"
        + "东" * 400
        + ",漏水",
        ",water_hotline,2026-07-03T08:00:00+08:00,王先生,13812345678,help,漏水,,东城区,东城区某路,漏水",
        "GS-1,water_hotline,2026-07-03T08:00:00+08:00,王先生,13812345678,help,漏水,,东城区,东城区某路,漏水",
        "X-4,water_hotline,2026-07-03T08:00:00+08:00,王先生,13812345678,help,漏水,,东城区,东城区某路,门口\x00漏水",
    ]
    text = HEADER + GOOD + "\n".join(rows) + "\n"

    result = import_orders(text.encode("utf-8"), cast.agent)

    assert [o.external_no for o in result.created] == ["GS-1", "X-4"]
    refused = {r.row: " ".join(r.reasons) for r in result.refused}
    assert sorted(refused) == [3, 4, 5, 6, 7]
    assert "received_at" in refused[3] and "received_at" in refused[4]
    assert "address" in refused[5]
    assert "external_no" in refused[6] and "external_no" in refused[7]
    assert Order.objects.get(external_no="X-4").content == "门口漏水"


def test_r1_1_very_long_cell_is_refused_by_rule_not_by_the_reader(cast):
    row = (
        "X-9,water_hotline,2026-07-03T08:00:00+08:00,王先生,13812345678,help,漏水,,"
        "东城区,东城区某路," + "水" * 200_000 + "\n"
    )

    result = import_orders((HEADER + GOOD + row).encode("utf-8"), cast.agent)

    assert [o.external_no for o in result.created] == ["GS-1"]
    assert "content" in result.refused[0].reasons[0]


def test_r1_1_file_in_another_encoding_refused_whole(cast):
    import pytest

    with pytest.raises(ValueError) as caught:
        import_orders((HEADER + GOOD).encode("gbk"), cast.agent)

    assert "UTF-8" in str(caught.value)
    assert Order.objects.count() == 0
