"""Roster import: the sample 花名册 of tests/data import with exactly the expected counts; upsert
by ID, re-import changes nothing, conflicts are errors, the same rules as the console form."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.core import pinyin
from gonghui.core.errors import NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.members.models import Member, MemberEvent, NewFormType, Source
from gonghui.members.services import importing, roster
from tests.data import make_samples as samples
from tests.factories import resident_id

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(autouse=True)
def _english():
    # Assertions read the English source text, which stays put when the catalogue is translated.
    with translation.override("en"), scopes_disabled():
        yield


def run_import(name: str, node, actor, **kwargs) -> importing.ImportResult:
    return importing.import_roster(data=(DATA / name).read_bytes(), filename=name, node=node, actor=actor, **kwargs)


def counts(result) -> tuple:
    c = result.counts
    return c["new"], c["updated"], c["unchanged"], c["error_rows"]


def snapshot() -> tuple:
    with scopes_disabled():
        return (Member.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count(),
                sorted(Member.objects.values_list("id", "phone_hash", "education", "updated_at")))


def test_enterprise_roster_imports_every_row_as_a_new_member(tree):
    result = run_import("roster_enterprise.xlsx", tree.c, tree.user("b_clerk"))
    assert counts(result) == (24, 0, 0, 0)
    assert result.counts["rows"] == 24 and result.errors == []
    members = {m.name: m for m in Member.objects.filter(node=tree.c)}
    ids = samples.enterprise_ids()
    assert sorted(m.id_number for m in members.values()) == sorted(ids)
    assert members["王芳"].id_number == ids[1]  # " 王  芳 " and an ID typed with spaces
    assert members["李娜"].id_number == ids[2] and members["李娜"].phone == "13857101003"  # full-width digits
    assert members["李娜"].ethnicity == "汉族"  # 汉
    assert members["梁宇"].id_number.endswith("X")  # typed with a lowercase x
    assert members["周杰"].phone == "13857101009"  # +86 138-5710-1009
    joined = {name: members[name].joined_on for name in ("刘洋", "陈静", "杨磊", "赵敏")}
    assert joined == {"刘洋": datetime.date(2014, 1, 1), "陈静": datetime.date(2019, 9, 1),  # serial, 2019.9.1
                      "杨磊": datetime.date(2013, 6, 1), "赵敏": datetime.date(2020, 1, 1)}  # 年月日, 2020/01/01
    assert members["周杰"].employer_name == "青山精密机械有限公司一车间"  # merged down the column
    assert members["孙婷"].employer_name == "青山精密机械有限公司一车间"
    assert members["郭燕"].employer_name == "青山精密机械有限公司二车间"
    assert members["王芳"].is_migrant and not members["张伟"].is_migrant  # 农业 / 非农业
    assert members["郑浩"].member_type == "probationary"
    assert members["陈静"].political_status == "cpc_probationary" and members["赵敏"].education == "postgraduate"
    assert {m.source for m in members.values()} == {Source.IMPORT}
    assert len({m.card_number for m in members.values()}) == 24
    assert MemberEvent.objects.filter(action=MemberEvent.Action.JOINED).count() == 24


def test_reimporting_the_same_file_changes_nothing(tree):
    run_import("roster_enterprise.xlsx", tree.c, tree.user("b_clerk"))
    before = snapshot()
    result = run_import("roster_enterprise.xlsx", tree.c, tree.user("b_clerk"))
    assert counts(result) == (0, 0, 24, 0)
    after = snapshot()
    assert after[0:2] == before[0:2] and after[3] == before[3]
    assert after[2] == before[2] + 1  # the import itself is audited, once


def test_every_defect_is_an_error_row_and_the_good_rows_go_in(tree):
    result = run_import("roster_defects.xlsx", tree.b, tree.user("b_clerk"))
    assert counts(result) == (6, 0, 0, 18)
    assert len(result.errors) == 20  # the row with three defects reports each
    by_row: dict[int, list] = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append(e)
    first_row = 5  # title, filler, an empty line, the header
    expected = {  # row → (column, a phrase of the reason)
        11: ("公民身份号码", "check digit"),
        12: ("公民身份号码", "stored as a number"),
        13: ("公民身份号码", "18 characters"),
        14: ("入会日期", "does not exist"),
        15: ("入会日期", "future"),
        16: ("入会日期", "at least 16"),
        17: ("性别", "does not match"),
        18: ("学历", "Unknown education"),
        19: ("联系电话", "11-digit"),
        20: ("姓名", "markup"),
        21: ("姓名", "empty"),
        22: ("新就业形态类型", "Choose the kind"),
        23: ("民族", "Unknown ethnic"),
        24: ("公民身份号码", f"row {first_row}"),
        26: ("户口性质", "urban or rural"),
        27: ("姓名", "digits"),
        28: ("联系电话", "11-digit"),
    }
    for row, (column, phrase) in expected.items():
        assert [e.column for e in by_row[row]] == [column], row
        assert phrase in by_row[row][0].reason, (row, by_row[row][0].reason)
    assert sorted(e.column for e in by_row[25]) == ["入会日期", "政治面貌", "联系电话"]
    assert set(by_row) == set(expected) | {25}
    names = set(Member.objects.values_list("name", flat=True))
    assert names == {"钱进", "冯雪", "蒋涛", "韩梅", "沈冰", "曹阳"}
    qian = Member.objects.get(name="钱进")
    assert qian.phone == "13900001111"  # the first occurrence, not the duplicate's phone
    kinds = dict(Member.objects.values_list("name", "new_form_type"))
    assert kinds["冯雪"] == NewFormType.FOOD_DELIVERY and kinds["蒋涛"] == NewFormType.TRUCK_DRIVER
    assert kinds["沈冰"] == NewFormType.FOOD_DELIVERY  # 就业形式: 外卖骑手
    assert kinds["韩梅"] == ""


def test_error_report_is_xlsx_with_row_column_value_reason_and_escaped_formulas(tree):
    result = run_import("roster_defects.xlsx", tree.b, tree.user("b_clerk"), dry_run=True)
    book = openpyxl.load_workbook(io.BytesIO(importing.build_error_report(errors=result.errors, exported_by="b_clerk")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("Row", "Column", "Value", "Reason")
    assert len(rows) == 21
    formula = next(r for r in rows if r[0] == 28)
    assert formula[2] == "'" + samples.FORMULA  # shown as text, never run


def test_gbk_csv_of_new_employment_form_workers(tree):
    result = run_import("roster_gbk.csv", tree.d, tree.user("d_admin"))
    assert counts(result) == (10, 0, 0, 0)
    kinds = dict(Member.objects.filter(node=tree.d).values_list("name", "new_form_type"))
    assert kinds == {"黄海": "food_delivery", "林涛": "food_delivery", "郑凯": "courier", "何磊": "courier",
                     "许晴": "ride_hailing", "邓飞": "truck_driver", "曾勇": "ride_hailing", "彭丽": "domestic",
                     "萧然": "designated_driver", "田甜": "online_marketing"}
    assert set(Member.objects.values_list("joined_on", flat=True)) == {datetime.date(2023, 5, 1)}
    assert all(Member.objects.values_list("is_migrant", flat=True))


def test_update_roster_updates_in_the_subtree_and_refuses_members_of_other_unions(tree):
    run_import("roster_enterprise.xlsx", tree.c, tree.user("b_clerk"))
    run_import("roster_gbk.csv", tree.d, tree.user("d_admin"))
    rider_before = Member.objects.get(name="黄海")
    result = run_import("roster_update_utf8_bom.csv", tree.b, tree.user("b_clerk"))
    assert counts(result) == (2, 5, 3, 1)
    [error] = result.errors
    assert error.row == 13 and error.column == "身份证号码"
    assert "already an active member of 河口镇总工会" in error.reason
    rider = Member.objects.get(name="黄海")
    assert (rider.node_id, rider.phone) == (tree.d.pk, rider_before.phone)  # never a silent move
    zhang = Member.objects.get(name="张伟")
    assert zhang.node_id == tree.c.pk  # updated where it is, inside the target's subtree
    assert (zhang.phone, zhang.education) == ("18657100000", "postgraduate")
    assert zhang.phone_tail == "0000" and zhang.phone_hash == roster.phone_hash("18657100000")
    assert set(Member.objects.filter(name__in=["严华", "华松"]).values_list("node_id", flat=True)) == {tree.b.pk}
    events = MemberEvent.objects.filter(action=MemberEvent.Action.IMPORTED)
    assert events.count() == 5
    assert sorted(events.get(member=zhang).data["fields"]) == ["education", "phone"]
    again = run_import("roster_update_utf8_bom.csv", tree.b, tree.user("b_clerk"))
    assert counts(again) == (0, 0, 10, 1)


def test_one_audit_entry_per_import_with_counts_and_no_personal_data(tree):
    before = AuditEntry.objects.count()
    run_import("roster_enterprise.xlsx", tree.c, tree.user("b_clerk"))
    [entry] = AuditEntry.objects.order_by("-seq")[:AuditEntry.objects.count() - before]
    assert entry.action == "members.import" and entry.object_id == str(tree.c.pk)
    assert {k: entry.data[k] for k in ("new", "updated", "unchanged", "error_rows")} == {
        "new": 24, "updated": 0, "unchanged": 0, "error_rows": 0}
    text = str(entry.data)
    assert not any(number in text for number in samples.enterprise_ids())
    assert "张伟" not in text and "13857101001" not in text


def test_dry_run_writes_nothing(tree):
    before = snapshot()
    result = run_import("roster_enterprise.xlsx", tree.c, tree.user("b_clerk"), dry_run=True)
    assert counts(result) == (24, 0, 0, 0) and result.dry_run
    assert snapshot() == before


@pytest.mark.parametrize("user, node", [("b_clerk", "d"), ("d_admin", "c"), ("b_viewer", "c")])
def test_import_outside_the_writers_scope_is_refused_and_changes_nothing(tree, user, node):
    before = snapshot()
    with pytest.raises(NotPermitted):
        run_import("roster_enterprise.xlsx", getattr(tree, node), tree.user(user))
    assert snapshot() == before


def test_import_uses_the_console_rules(tree):
    """Members built by the importer equal those of roster.build_member for the same rows."""
    parsed = importing.parse_table(table=importing.read_table(data=(DATA / "roster_enterprise.xlsx").read_bytes(),
                                                        filename="roster_enterprise.xlsx"))
    parsed.rows += importing.parse_table(table=importing.read_table(data=(DATA / "roster_gbk.csv").read_bytes(),
                                                              filename="roster_gbk.csv")).rows
    plan = importing.plan_import(parsed=parsed, node=tree.b)
    assert len(plan.new) == 34
    skip = {"id", "card_number", "created_at", "updated_at"}
    fields = [f.attname for f in Member._meta.concrete_fields if f.attname not in skip]
    for prow, ours in zip(plan.good_rows, plan.new, strict=True):
        values = {k: v for k, v in prow.values.items() if k != "birth_month"}
        theirs = roster.build_member(node=tree.b, source=Source.IMPORT, **values)
        assert {f: ours[f] for f in fields} == {f: getattr(theirs, f) for f in fields}, prow.row


@pytest.mark.parametrize("name", ["张三丰", "单田芳", "曾国藩", "长孙无忌", "解缙", "查良镛", "乐嘉", "朴树", "覃海洋",
                                  "尉迟恭", "区志航", "仇英", "阿卜杜·热合曼", "Tom Li", "重阳", "朝晖", "行健", "王芳芳"])
def test_initials_are_those_of_the_console(name):
    assert importing._initials(name) == pinyin.initials(name)[:50]


def test_a_few_queries_whatever_the_number_of_rows(tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        run_import("roster_enterprise.xlsx", tree.c, tree.user("b_clerk"))


def test_openpyxl_reader_gives_the_same_rows(monkeypatch):
    data = (DATA / "roster_enterprise.xlsx").read_bytes()
    with_calamine = importing.parse_table(table=importing.read_table(data=data, filename="r.xlsx"))
    monkeypatch.setattr(importing.reading, "_calamine", lambda: None)
    with_openpyxl = importing.parse_table(table=importing.read_table(data=data, filename="r.xlsx"))
    # openpyxl's read-only mode does not report merged cells: the merged employer stays in its first row.
    strip = [{k: v for k, v in r.values.items() if k != "employer_name"} for r in with_calamine.rows]
    assert strip == [{k: v for k, v in r.values.items() if k != "employer_name"} for r in with_openpyxl.rows]
    assert [r.row for r in with_calamine.rows] == [r.row for r in with_openpyxl.rows]


def test_an_id_that_left_is_a_new_membership(tree):
    number = resident_id("19900101", 777)
    member = roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="钟南", id_number=number)
    roster.end_membership(member=member, actor=tree.user("b_clerk"), reason="离职")
    data = f"姓名,身份证号\n钟南,{number}\n".encode()
    result = importing.import_roster(data=data, filename="a.csv", node=tree.c, actor=tree.user("b_clerk"))
    assert counts(result) == (1, 0, 0, 0)
    assert Member.objects.filter(id_hash=roster.id_hash(number)).count() == 2


def test_another_name_for_a_known_id_is_an_error_not_an_identity_change(tree):
    number = resident_id("19900101", 778)
    roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="钟南", id_number=number)
    data = f"姓名,身份证号\n钟楠,{number}\n".encode()
    result = importing.import_roster(data=data, filename="a.csv", node=tree.c, actor=tree.user("b_clerk"))
    assert counts(result) == (0, 0, 0, 1) and "another name" in result.errors[0].reason
    assert Member.objects.get(id_hash=roster.id_hash(number)).name == "钟南"


def test_a_card_number_already_in_the_roster_is_drawn_again(tree, monkeypatch):
    taken = roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="钟南",
                                 id_number=resident_id("19900101", 779)).card_number
    draws = iter([int(taken[6:]), 1234567890, *range(10**9, 10**9 + 100)])
    monkeypatch.setattr(importing.writing, "_card_numbers", lambda: draws)
    data = f"姓名,身份证号\n钟北,{resident_id('19910101', 780)}\n".encode()
    result = importing.import_roster(data=data, filename="a.csv", node=tree.c, actor=tree.user("b_clerk"))
    assert counts(result) == (1, 0, 0, 0)
    assert Member.objects.get(name="钟北").card_number == taken[:6] + "1234567890"


def test_a_person_who_joined_between_the_preview_and_the_write_stops_the_import(tree):
    number = resident_id("19900101", 781)
    data = f"姓名,身份证号\n钟南,{number}\n钟北,{resident_id('19910101', 782)}\n".encode()
    plan = importing.plan_import(parsed=importing.parse_table(table=importing.read_table(data=data, filename="a.csv")),
                                 node=tree.c)
    roster.create_member(node=tree.b, actor=tree.user("b_clerk"), name="钟南", id_number=number)
    before = snapshot()
    with pytest.raises(importing.ImportRefused) as info:
        importing.write_plan(plan=plan, actor=tree.user("b_clerk"))
    assert info.value.code == "roster_changed"
    assert snapshot() == before
