"""Demo records of registration for the demo county; deterministic and safe to run twice.

The county federation is the registration office. Grassroots unions that are legal persons in
the demo tree are entered through the real services (application, materials, review), some with
signed certificates; then a change, a cancellation, a union due for renewal, and applications in
every state. A development signing key is created under the data directory when missing; without
the Chinese font, certificates are skipped with a note.
"""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import Role, User
from gonghui.accounts.permissions import has_role
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs.models import GRASSROOTS_KINDS, Node, NodeStatus

from . import pdf, selectors, signing
from .models import Application, Registration, RegistrationOffice
from .services import applications, certificates, offices, register

SEED = 20261109
ROOT_NAME = "青山县总工会"
REGISTERED = 10        # unions entered into the register
WITH_CERTIFICATE = 1   # of them with a signed certificate (about a second each; the change adds one)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "建国志强海燕丽华文斌晓东国栋春梅立新永红建军秀英明辉"
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _resident_id(rng: random.Random) -> str:
    from gonghui.core.ids import resident_id_check_char

    birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(0, 30 * 365))
    first17 = f"330524{birth:%Y%m%d}{rng.randrange(100, 999)}"
    return first17 + resident_id_check_char(first17)


def _form(node: Node, rng: random.Random, today: datetime.date, *, elected_on=None, term=5) -> dict:
    chair = node.chair_name or _person(rng)
    members = node.member_count or rng.randrange(20, 300)
    workers = max(node.worker_count, members)
    return {
        "name": node.name, "address": node.address or f"青山县{node.region_name}", "founded_on": node.established_on
        or datetime.date(2012, 5, 1), "elected_on": elected_on or today - datetime.timedelta(days=rng.randrange(60, 900)),
        "term_years": term, "approving_body": "青山县总工会", "approval_doc_no": f"青工组〔{rng.randrange(2012, 2025)}〕"
        f"{rng.randrange(1, 90)}号", "worker_count": workers, "member_count": members,
        "full_time_cadres": rng.choice((0, 0, 1)), "chair_name": chair, "legal_rep_name": chair,
        "legal_rep_id_number": _resident_id(rng), "funding_source": rng.choice(
            ("工会经费拨缴留成、行政补助", "工会经费拨缴留成", "会费收入、行政补助")),
        "last_year_balance": f"{rng.randrange(5000, 90000)}.00", "dues_income": f"{members * 60}.00",
        "retained_funds": f"{workers * 48}.00", "other_income": "0", "fixed_funds": f"{rng.randrange(10, 80) * 1000}.00",
        "working_funds": f"{rng.randrange(5, 40) * 1000}.00", "premises_m2": f"{rng.randrange(30, 300)}.00",
    }


def _file(application, actor) -> None:
    for item in selectors.checklist(application):
        applications.upload_material(application=application, item=item, actor=actor,
                                     upload=SimpleUploadedFile(f"{item}.pdf", DEMO_PDF))


def _establish(node, rng, today, filer, reviewer, *, issue: bool, **form):
    application = applications.create_application(node=node, kind="establish", actor=filer,
                                                  **{**_form(node, rng, today), **form})
    _file(application, filer)
    applications.submit_application(application=application, actor=filer)
    return applications.approve_application(application=application, actor=reviewer, credit_code=node.credit_code,
                                             issue=issue)


def load(stdout=None) -> None:
    """Called by ``gonghui demo`` after the tree, the ledger and the members exist."""
    with scopes_disabled(), transaction.atomic():
        root = Node.objects.filter(depth=1, name=ROOT_NAME).first()
        if root is None or Application.objects.filter(node__path__startswith=root.path).exists():
            return
        _load(root, stdout)


def _load(root: Node, stdout) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    office = RegistrationOffice.objects.filter(node=root).first() or offices.designate_office(
        node=root, actor=None)
    filer = User.objects.get(username="county_admin")
    reviewer = User.objects.get(username="county_reviewer")
    issue = pdf.font_available()
    if issue:
        signing.create_dev_keys(name=root.code, common_name=f"{office.issuer_name}（开发用签名密钥）")
    else:
        _say(stdout, _("Registration: the font %(path)s is missing (Debian package fonts-wqy-microhei); "
                       "certificates are skipped.") % {"path": pdf.font_path()})
    unions = list(Node.objects.filter(path__startswith=root.path, kind__in=GRASSROOTS_KINDS, status=NodeStatus.ACTIVE,
                                      is_legal_person=True).exclude(credit_code="")
                  .filter(credit_code__startswith="81").order_by("path"))
    # The demo enterprise's own admin files for it, when it is among the legal persons.
    ent_admin = User.objects.filter(username="ent_admin").first()
    own = [n for n in unions if ent_admin is not None and has_role(ent_admin, n, {Role.ADMIN})]
    unions = own[:1] + [n for n in unions if n not in own[:1]]
    registered = []
    for i, node in enumerate(unions[:REGISTERED]):
        elected = today - datetime.timedelta(days=5 * 365 - 20) if i == 4 else None  # due for renewal
        registered.append(_establish(node, rng, today, filer, reviewer, issue=issue and i < WITH_CERTIFICATE,
                                     **({"elected_on": elected} if elected else {})).registration)
    rest = unions[REGISTERED:REGISTERED + 4]
    # The paper register before the platform: the other legal persons of the tree, imported.
    for node in unions[REGISTERED + 4:]:
        form = _form(node, rng, today, elected_on=today - datetime.timedelta(days=rng.randrange(30, 3 * 365)))
        founded = form["founded_on"]
        form["elected_on"] = max(form["elected_on"], founded)
        register.import_record(node=node, credit_code=node.credit_code, actor=None,
                               registered_on=max(founded, form["elected_on"] - datetime.timedelta(days=20)), **form)
    # A change (new chair and legal representative), approved with a new certificate.
    first_filer = ent_admin if own else filer
    change = applications.create_application(node=registered[0].node, kind="change", actor=first_filer,
                                             chair_name="周立新", legal_rep_name="周立新",
                                             legal_rep_id_number=_resident_id(rng),
                                             changed_on=today - datetime.timedelta(days=12),
                                             reason="工会换届，主席变更")
    _file(change, first_filer)
    applications.submit_application(application=change, actor=first_filer)
    applications.approve_application(application=change, actor=reviewer, issue=issue)
    # A cancellation (the enterprise closed).
    cancel = applications.create_application(node=registered[5].node, kind="cancel", actor=filer,
                                             reason="企业依法注销，工会经费、资产已清算，债权债务已了结")
    _file(cancel, filer)
    applications.submit_application(application=cancel, actor=filer)
    applications.approve_application(application=cancel, actor=reviewer)
    # Applications in every state.
    if rest:
        draft = applications.create_application(node=rest[0], kind="establish", actor=filer,
                                                **_form(rest[0], rng, today))
        applications.upload_material(application=draft, item="application_form", actor=filer,
                                     upload=SimpleUploadedFile("form.pdf", DEMO_PDF))
    if len(rest) > 1:
        submitted = applications.create_application(node=rest[1], kind="establish", actor=filer,
                                                    **_form(rest[1], rng, today))
        _file(submitted, filer)
        applications.submit_application(application=submitted, actor=filer)
    if len(rest) > 2:
        returned = applications.create_application(node=rest[2], kind="establish", actor=filer,
                                                   **_form(rest[2], rng, today))
        _file(returned, filer)
        applications.submit_application(application=returned, actor=filer)
        applications.return_application(application=returned, actor=reviewer, reasons={
            "address_proof": "房屋租赁合同已过期，请提供有效期内的住所证明",
            "form": "批准文号与上级工会批复不一致"})
    if len(rest) > 3:
        withdrawn = applications.create_application(node=rest[3], kind="establish", actor=filer)
        applications.withdraw_application(application=withdrawn, actor=filer)
    late = applications.create_application(node=registered[1].node, kind="change", actor=filer,
                                           address=f"{registered[1].address}（新址）",
                                           changed_on=today - datetime.timedelta(days=41), reason="办公地址迁移")
    _file(late, filer)
    applications.submit_application(application=late, actor=filer)
    reissue = applications.create_application(node=registered[2].node, kind="reissue", actor=filer,
                                              loss_notice=f"{today - datetime.timedelta(days=9):%Y年%m月%d日}"
                                                          "《青山日报》第4版遗失声明", reason="证书正本遗失")
    _file(reissue, filer)
    applications.submit_application(application=reissue, actor=filer)
    count = sum(1 for r in registered for _c in r.certificates.all())
    total = Registration.objects.filter(node__path__startswith=root.path).count()
    _say(stdout, _("Registration: %(total)d unions in the register, %(count)d signed certificates, "
                   "%(applications)d applications.")
         % {"total": total, "count": count,
            "applications": Application.objects.filter(node__path__startswith=root.path).count()})
    if issue and registered:
        latest = registered[0].certificates.order_by("-id").first()
        if latest is not None:
            _say(stdout, _("  verify a certificate: %(url)s")
                 % {"url": certificates.make_verify_url(certificate=latest)})
