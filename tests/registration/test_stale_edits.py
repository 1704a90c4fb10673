"""Lost updates on registration applications (issue 17, finding 1): two editors open the same draft,
the first saves, the second's save is refused with nothing changed; an edit prepared before the
application was submitted cannot change the submitted form; adding a material is no conflict."""

import pytest
from django.urls import reverse

from gonghui.core import editing
from gonghui.core.errors import DomainError
from gonghui.registration import selectors
from gonghui.registration.models import Application
from gonghui.registration.services import applications
from tests.stale_kit import form_data

from .conftest import FORM, pdf_upload, upload_all

pytestmark = pytest.mark.usefixtures("unscoped")


def _draft(tree):
    return applications.create_application(node=tree.c, kind="establish", actor=tree.user("b_admin"), **FORM)


def test_two_editors_of_a_draft_the_second_is_refused(tree, office):
    draft = _draft(tree)
    admin = tree.user("b_admin")
    version = selectors.application_version(Application.objects.get(pk=draft.pk))
    applications.upload_material(application=draft, item=selectors.checklist(draft)[0], upload=pdf_upload(),
                                 actor=admin)  # a material added meanwhile is no conflict
    applications.update_application(application=draft, actor=admin, expected_version=version,
                                    approval_doc_no="城工发〔2015〕21号")
    with pytest.raises(editing.StaleEdit):
        applications.update_application(application=draft, actor=admin, expected_version=version,
                                        approval_doc_no="城工发〔2015〕99号")
    assert Application.objects.get(pk=draft.pk).approval_doc_no == "城工发〔2015〕21号"


def test_an_edit_prepared_before_submission_changes_nothing(tree, office):
    draft = _draft(tree)
    admin = tree.user("b_admin")
    stale = Application.objects.get(pk=draft.pk)
    upload_all(draft, admin)
    applications.submit_application(application=draft, actor=admin)
    with pytest.raises(DomainError) as refused:
        applications.update_application(application=stale, actor=admin, approval_doc_no="城工发〔2015〕99号")
    assert refused.value.code == "not_editable"
    assert Application.objects.get(pk=draft.pk).approval_doc_no == FORM.get("approval_doc_no", "")


def test_the_edit_page_and_the_api_carry_the_version(client, tree, office):
    draft = _draft(tree)
    client.force_login(tree.user("b_admin"))
    url = reverse("registration:application_edit", args=[draft.pk])
    data = form_data(client.get(url).content.decode())
    assert data["version"] == selectors.application_version(Application.objects.get(pk=draft.pk))
    applications.update_application(application=draft, actor=tree.user("b_admin"), approval_doc_no="城工发〔2015〕21号")
    response = client.post(url, {**data, "approval_doc_no": "城工发〔2015〕99号"})
    assert response.status_code == 200 and str(editing.StaleEdit().message) in response.content.decode()
    read = client.get(f"/api/v1/registration/applications/{draft.pk}").json()
    stale = client.patch(f"/api/v1/registration/applications/{draft.pk}", {"approval_doc_no": "城工发〔2015〕98号"},
                         content_type="application/json", headers={"If-Match": data["version"]})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    ok = client.patch(f"/api/v1/registration/applications/{draft.pk}", {"approval_doc_no": "城工发〔2015〕98号"},
                      content_type="application/json", headers={"If-Match": read["version"]})
    assert ok.status_code == 200, ok.content
    assert Application.objects.get(pk=draft.pk).approval_doc_no == "城工发〔2015〕98号"
