"""The hardship registry and micro-wishes."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gonghui.aid.models import HardshipEvent, HardshipFile, Wish, WishStatus
from gonghui.aid.services import hardship, wishes
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from tests.factories import resident_id

from .conftest import make_member, snapshot, worker_for

pytestmark = pytest.mark.usefixtures("unscoped")


def register(tree, **over):
    data = {"node": tree.c, "actor": tree.user("b_clerk"), "name": "陈秀英", "id_number": resident_id("19760312", 42),
            "cause": "illness", "level": "deep", "household_size": 4, "income_per_head": "650",
            "situation": "丈夫尿毒症长期透析", "phone": "13955556666",
            "household": [{"name": "刘大伟", "relation": "配偶", "birth_year": 1974, "note": "尿毒症"}],
            "registered_on": datetime.date(2025, 3, 1)}
    data.update(over)
    return hardship.register_file(**data)


def photo(name="photo.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_register_review_and_exit_keep_the_history(people):
    file = register(people)
    assert file.review_due_on == datetime.date(2026, 3, 1) and file.household.count() == 1
    reviewed = hardship.review_file(file=file, actor=people.user("b_reviewer"), level="relative",
                                    income_per_head="900", note="已就业", on=datetime.date(2026, 2, 20))
    assert reviewed.level == "relative" and reviewed.review_due_on == datetime.date(2027, 2, 20)
    hardship.exit_file(file=file, actor=people.user("b_clerk"), reason="家庭收入超过困难标准")
    actions = list(HardshipEvent.objects.filter(file=file).values_list("action", flat=True))
    assert set(actions) == {"registered", "reviewed", "exited"}
    assert HardshipFile.objects.get().status == "exited"
    # Once exited, the person may be registered again later.
    assert register(people).status == "active"


def test_one_active_file_per_person_and_bad_input_changes_nothing(people):
    register(people)
    before = snapshot()
    with pytest.raises(DomainError):
        register(people)
    for bad in ({"income_per_head": "-1"}, {"income_per_head": "NaN"}, {"household_size": 0},
                {"cause": "nope"}, {"id_number": "330521197603120000"}, {"name": "<script>"}):
        with pytest.raises(ValidationError):
            register(people, id_number=resident_id("19800101", 7), **{k: v for k, v in bad.items()
                                                                      if k != "id_number"}) \
                if "id_number" not in bad else register(people, **bad)
    assert snapshot() == before


def test_only_aid_officers_of_the_subtree_open_a_file_and_it_is_audited(people):
    file = register(people)
    hardship.open_file(file=file, actor=people.user("b_reviewer"))
    assert AuditEntry.objects.filter(action="aid.hardship.viewed").count() == 1
    for user in ("b_viewer", "d_admin"):
        with pytest.raises(NotPermitted):
            hardship.open_file(file=file, actor=people.user(user))


def test_documents_are_checked_by_their_bytes(people):
    file = register(people)
    document = hardship.add_document(file=file, actor=people.user("b_clerk"), upload=photo(), title="诊断证明")
    assert document.content_type == "image/jpeg"
    with pytest.raises(DomainError):
        hardship.add_document(file=file, actor=people.user("b_clerk"),
                              upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"), title="收入证明")


def test_wish_is_posted_claimed_and_fulfilled_with_a_photo(people):
    member = make_member(people)
    worker = worker_for()
    wish = wishes.post_wish(member=member, worker=worker, title="给女儿买一台学习用的电脑", kind="money", amount="1500")
    donor = worker_for("13800001111")
    with pytest.raises(DomainError):
        wishes.claim_wish(wish=wish, helper="自己", worker=worker)
    wishes.claim_wish(wish=wish, helper="青山农商银行", worker=donor)
    with pytest.raises(DomainError) as exc:
        wishes.claim_wish(wish=wish, helper="另一位", actor=people.user("b_clerk"))
    assert exc.value.code == "wish_taken"
    wishes.fulfil_wish(wish=wish, photo=photo(), worker=donor)
    assert Wish.objects.get().status == WishStatus.FULFILLED


@pytest.mark.parametrize("amount", ["0", "-5", "NaN", "1e309", "3000", "1.234"])
def test_bad_wish_amounts_are_refused(people, amount):
    member = make_member(people)
    with pytest.raises(ValidationError):
        wishes.post_wish(member=member, worker=worker_for(), title="一双劳保鞋", kind="money", amount=amount)
    assert not Wish.objects.exists()
