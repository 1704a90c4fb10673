import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled
from PIL import Image

from gonghui.registration import selectors, signing
from gonghui.registration.materials import required_items
from gonghui.registration.services import applications, offices
from tests.factories import credit_code, resident_id

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def office_key(settings, tmp_path):
    """A key directory of the test's own; offices get their keys in it (ECDSA, fast to make)."""
    folder = tmp_path / "registration-keys"
    settings.GONGHUI_REGISTRATION_KEY_DIR = folder
    return folder


def pdf_upload(name="doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


def png_upload(name="scan.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


FORM = {
    "name": "青山精密机械有限公司工会", "address": "青山县城关镇工业路18号", "founded_on": "2015-04-20",
    "elected_on": (TODAY - datetime.timedelta(days=400)).isoformat(), "term_years": 5,
    "approving_body": "城关镇总工会", "approval_doc_no": "城工发〔2015〕12号", "worker_count": 150, "member_count": 120,
    "full_time_cadres": 1, "chair_name": "李国栋", "legal_rep_name": "李国栋",
    "legal_rep_id_number": resident_id("19750312", 35), "funding_source": "工会经费拨缴、行政补助",
    "last_year_balance": "32000.00", "dues_income": "8600.00", "retained_funds": "21000.00", "other_income": "0",
    "fixed_funds": "50000.00", "working_funds": "30000.00", "premises_m2": "120.5",
}


@pytest.fixture
def office(tree, unscoped, office_key):
    """The county federation registers the legal persons of the whole county, with its own key."""
    signing.create_dev_keys(name=tree.a.code, common_name="青山县总工会（测试）")
    return offices.designate_office(node=tree.a, actor=None)


@pytest.fixture
def reviewer(tree, unscoped):
    from gonghui.accounts.models import Role
    from tests.factories import make_user

    return make_user("a_reviewer", node=tree.a, roles=[Role.REVIEWER])


def upload_all(application, actor):
    for item in selectors.checklist(application):
        applications.upload_material(application=application, item=item, upload=pdf_upload(f"{item}.pdf"), actor=actor)


def filed(tree, kind="establish", node=None, actor=None, **fields):
    """An application with its form and materials complete, submitted."""
    node = node or tree.c
    actor = actor or tree.user("b_admin")
    with scopes_disabled():
        form = {**FORM, **fields} if kind in ("establish", "change", "renew") else fields
        application = applications.create_application(node=node, kind=kind, actor=actor, **form)
        upload_all(application, actor)
        return applications.submit_application(application=application, actor=actor)


def union_code() -> str:
    return credit_code(authority="8", kind="1")


def registered(tree, reviewer, code=None):
    application = filed(tree)
    with scopes_disabled():
        return applications.approve_application(application=application, actor=reviewer, credit_code=code or union_code())


__all__ = ["FORM", "filed", "pdf_upload", "png_upload", "registered", "required_items", "union_code", "upload_all"]
