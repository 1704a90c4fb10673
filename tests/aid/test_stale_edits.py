"""Lost updates on hardship files (issue 17, finding 1): two officers open the same file for its
annual review; the first records it, the second's is refused with nothing changed; a review from a
stale copy cannot bring back a file that left the registry meanwhile."""

import pytest
from django.urls import reverse

from gonghui.aid.models import HardshipFile, HardshipStatus
from gonghui.aid.services import hardship
from gonghui.core import editing
from gonghui.core.errors import DomainError
from tests.stale_kit import form_data

from .test_hardship_and_wishes import register

pytestmark = pytest.mark.usefixtures("unscoped")


def test_two_reviews_from_the_same_page_the_second_is_refused(people):
    file = register(people)
    version = editing.version_of(HardshipFile.objects.get(pk=file.pk))
    hardship.review_file(file=file, actor=people.user("b_reviewer"), level="relative", expected_version=version)
    with pytest.raises(editing.StaleEdit):
        hardship.review_file(file=file, actor=people.user("b_reviewer"), level="deep", income_per_head="300",
                             expected_version=version)
    row = HardshipFile.objects.get(pk=file.pk)
    assert row.level == "relative" and row.income_per_head != 300
    assert row.events.filter(action="reviewed").count() == 1


def test_a_review_from_a_stale_copy_cannot_bring_back_an_exited_file(people):
    file = register(people)
    stale = HardshipFile.objects.get(pk=file.pk)
    hardship.exit_file(file=file, actor=people.user("b_clerk"), reason="家庭收入超过困难标准")
    with pytest.raises(DomainError) as refused:
        hardship.review_file(file=stale, actor=people.user("b_reviewer"), level="relative")
    assert refused.value.code == "exited"
    assert HardshipFile.objects.get(pk=file.pk).status == HardshipStatus.EXITED


def test_the_review_form_carries_the_version(client, people):
    file = register(people)
    client.force_login(people.user("b_clerk"))
    page = client.get(reverse("aid:hardship", args=[file.pk])).content.decode()
    review = form_data(page[page.index(reverse("aid:hardship_review", args=[file.pk])) - 40:])
    assert review["version"] == editing.version_of(HardshipFile.objects.get(pk=file.pk))
    hardship.review_file(file=file, actor=people.user("b_reviewer"), level="relative")
    client.post(reverse("aid:hardship_review", args=[file.pk]), {**review, "level": "deep"})
    assert HardshipFile.objects.get(pk=file.pk).level == "relative"
