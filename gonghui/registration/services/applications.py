"""Applications to the registration office: file, fill in, upload materials, submit, review.

Filed by an admin of the applying union (held at it or above) and routed to the nearest
registration office above it. The office approves, or returns the application with a reason per
checklist item; a returned application is corrected and submitted again, its history kept
(events, replaced uploads). Nobody reviews an application they filed or submitted themselves.
Status changes go through ``workflow.fire`` only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.scoping import scopes_disabled
from gonghui.core.uploads import IMAGE, PDF, check_upload, store

from .. import selectors, workflow
from ..materials import ITEMS, item_label
from ..models import FORM_FIELDS, Application, ApplicationEvent, Kind, Material, Registration
from ..selectors import VERSION_FIELDS, changed_fields, checklist, current_materials, missing_items
from .forms import FORM_KINDS, check_complete, clean_fields
from .offices import find_office

CHANGE_FILING_DAYS = 30


def _event(application, action, actor, **data) -> None:
    ApplicationEvent.objects.create(application=application, action=action, actor=actor,
                                    submission=application.submissions, data=data)



def _lock(application) -> Application:
    with scopes_disabled():
        # of=self: PostgreSQL cannot lock the nullable side of the join to the registration.
        return (Application.objects.select_for_update(of=("self",))
                .select_related("office__node", "node", "registration").get(pk=application.pk))


def _registration_of(node) -> Registration | None:
    with scopes_disabled():
        return Registration.objects.filter(node=node).first()


def _refuse_cancelled(registration) -> None:
    if registration is not None and registration.is_cancelled:
        raise DomainError("registration_cancelled", _("This union's legal-person registration was cancelled on "
                                                      "%(day)s; it can no longer be changed.")
                          % {"day": registration.cancelled_on})


@transaction.atomic
def create_application(*, actor, node, kind: str, **fields) -> Application:
    """A draft, prefilled from the register (change, renewal …) or from the union's own record."""
    require(actor, "registration.application.create", node=node)
    if kind not in Kind.values:
        raise DomainError("bad_kind", _("Choose the type of application."), field="kind")
    if not node.is_active:
        raise DomainError("node_inactive", _("A merged or dissolved union cannot apply."))
    office = find_office(node=node)
    if office is None:
        raise DomainError("no_office", _("No registration office is set up above this union; ask the county "
                                         "federation."))
    registration = _registration_of(node)
    if kind == Kind.ESTABLISH and registration is not None:
        raise DomainError("already_registered", _("This union is already in the register; file a change, renewal, "
                                                  "reissue or cancellation instead."), field="kind")
    if kind != Kind.ESTABLISH:
        if registration is None:
            raise DomainError("not_registered", _("This union is not registered yet; file an establishment "
                                                  "registration first."), field="kind")
        _refuse_cancelled(registration)
    application = Application(node=node, office=office, registration=registration, kind=kind, filed_by=actor)
    if registration is not None:
        for field in FORM_FIELDS:
            setattr(application, field, getattr(registration, field))
    else:
        application.name, application.address = node.name, node.address
        application.founded_on, application.chair_name = node.established_on, node.chair_name
        application.worker_count, application.member_count = node.worker_count, node.member_count
        application.full_time_cadres = node.full_time_staff
    extra = {k: fields.pop(k) for k in ("changed_on", "reason", "loss_notice") if k in fields}
    for field, value in clean_fields(fields=fields).items():
        setattr(application, field, value)
    _set_extra(application, extra)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise DomainError("open_application", _("This union already has an application in progress; finish or "
                                                "withdraw it first.")) from None
    _event(application, ApplicationEvent.Action.CREATED, actor, kind=kind)
    audit("registration.application.created", actor=actor, obj=application, data={"kind": kind, "node": node.pk})
    return application


def _set_extra(application, extra: dict) -> None:
    if "changed_on" in extra:
        day = extra["changed_on"] or None
        if day is not None and day > timezone.localdate():
            raise ValidationError({"changed_on": [_("The change cannot be in the future.")]})
        application.changed_on = day
    for field, limit in (("reason", 1000), ("loss_notice", 200)):
        if field in extra:
            value = (extra[field] or "").strip()
            if len(value) > limit:
                raise ValidationError({field: [_("At most %(n)d characters.") % {"n": limit}]})
            if "<" in value or ">" in value:
                raise ValidationError({field: [_("The text cannot contain markup such as < or >.")]})
            setattr(application, field, value)


def update_application(*, actor, application, expected_version: str | None = None, **fields) -> Application:
    """Edit the form of a draft or returned application (the applicant side). Locked; a form
    rendered before another change (submitted, returned, edited) is refused as stale; only the
    changed fields are written."""
    application = _lock(application)
    if not workflow.may_edit(actor, application):
        require(actor, "registration.application.edit", node=application.node)
        raise DomainError("not_editable", _("Only a draft or a returned application can be edited."))
    editing.check_version(application, expected_version, fields=VERSION_FIELDS)
    if application.kind not in FORM_KINDS:
        fields = {k: v for k, v in fields.items() if k not in FORM_FIELDS}
    extra = {k: fields.pop(k) for k in ("changed_on", "reason", "loss_notice") if k in fields}
    changed = []
    for field, value in clean_fields(fields=fields).items():
        if getattr(application, field) != value:
            setattr(application, field, value)
            changed.append(field)
    before = {k: getattr(application, k) for k in extra}
    _set_extra(application, extra)
    changed += [k for k in extra if getattr(application, k) != before[k]]
    if changed:
        editing.save_changed(application, extra=changed)
        _event(application, ApplicationEvent.Action.EDITED, actor, fields=changed)
        audit("registration.application.edited", actor=actor, obj=application, data={"fields": changed})
    return application


@transaction.atomic
def upload_material(*, actor, application, item: str, upload) -> Material:
    """Store one document of the checklist, checked by its bytes (PDF or picture), replacing the
    previous upload of the same item (kept for the history)."""
    application = _lock(application)
    if not workflow.may_edit(actor, application):
        require(actor, "registration.material.upload", node=application.node)
        raise DomainError("not_editable", _("Materials can only be changed while the application is a draft or "
                                            "returned."))
    if item not in ITEMS:
        raise DomainError("bad_item", _("Choose an item of the checklist."), field="item")
    max_bytes = settings.GONGHUI_REGISTRATION_UPLOAD_MAX_BYTES
    checked = check_upload(upload, kinds=(IMAGE, PDF), max_bytes=max_bytes)
    name = store(checked.content, folder="registration/materials", extension=checked.extension)
    now = timezone.now()
    application.materials.filter(item=item, replaced_at__isnull=True).update(replaced_at=now)
    material = Material.objects.create(application=application, item=item, stored_name=name,
                                       content_type=checked.content_type, size=checked.size, uploaded_by=actor,
                                       original_name=(checked.original_name or "")[-200:])
    _event(application, ApplicationEvent.Action.UPLOADED, actor, item=item, material=material.pk)
    audit("registration.material.uploaded", actor=actor, obj=application,
          data={"item": item, "material": material.pk, "size": checked.size, "type": checked.extension})
    return material


def _check_ready(application) -> None:
    """What submit requires of each kind; every problem in one message."""
    registration = application.registration
    if application.kind != Kind.ESTABLISH:
        _refuse_cancelled(registration)
    if application.kind in FORM_KINDS:
        check_complete(values={f: getattr(application, f) for f in FORM_FIELDS})
    if application.kind == Kind.CHANGE:
        if not changed_fields(application):
            raise DomainError("nothing_changed", _("The form is the same as the register; enter what changed."))
        if application.changed_on is None:
            raise ValidationError({"changed_on": [_("Enter the date of the change.")]})
    if application.kind == Kind.RENEW and registration is not None and application.elected_on == registration.elected_on:
        raise ValidationError({"elected_on": [_("A renewal follows a new committee: enter the new election date.")]})
    if application.kind == Kind.REISSUE and not application.loss_notice:
        raise ValidationError({"loss_notice": [_("Say where and when the loss notice was published.")]})
    if application.kind == Kind.CANCEL and not application.reason:
        raise ValidationError({"reason": [_("Give the reason for the cancellation.")]})
    missing = missing_items(application)
    if missing:
        raise DomainError("missing_materials", _("Required materials are missing: %(items)s.")
                          % {"items": "；".join(item_label(i) for i in missing)})


@transaction.atomic
def submit_application(*, actor, application) -> Application:
    """Send to the office. A change filed more than 30 days after it happened is marked late."""
    application = _lock(application)
    workflow.fire(application, "submit", actor=actor)
    _check_ready(application)
    if application.kind == Kind.CHANGE:
        application.filed_late = (timezone.localdate() - application.changed_on).days > CHANGE_FILING_DAYS
    application.submitted_at, application.submitted_by = timezone.now(), actor
    application.submissions += 1
    application.return_reasons = {}
    application.save()
    _event(application, ApplicationEvent.Action.SUBMITTED, actor, late=application.filed_late)
    audit("registration.application.submitted", actor=actor, obj=application,
          data={"submission": application.submissions, "office": application.office_id})
    return application


@transaction.atomic
def return_application(*, actor, application, reasons: dict) -> Application:
    """Back to the applicant with a reason per item ("form" for the form itself)."""
    application = _lock(application)
    allowed = set(checklist(application)) | set(current_materials(application)) | {"form"}
    cleaned = {}
    for item, reason in (reasons or {}).items():
        reason = (reason or "").strip()
        if not reason:
            continue
        if item not in allowed:
            raise DomainError("bad_item", _("“%(item)s” is not an item of this application.") % {"item": item})
        if len(reason) > 300 or "<" in reason or ">" in reason:
            raise DomainError("bad_reason", _("A reason is plain text of at most 300 characters."))
        cleaned[item] = reason
    if not cleaned:
        raise DomainError("no_reason", _("Give the reason for returning, for at least one item."), field="reasons")
    workflow.fire(application, "return", actor=actor)
    application.return_reasons = cleaned
    application.decided_at, application.decided_by = timezone.now(), actor
    application.save()
    _event(application, ApplicationEvent.Action.RETURNED, actor, reasons=cleaned)
    audit("registration.application.returned", actor=actor, obj=application, data={"items": sorted(cleaned)})
    return application


@transaction.atomic
def approve_application(*, actor, application, credit_code: str = "", base_url: str = "",
                        issue: bool = True) -> Application:
    """Approve and write the register; issue the signed certificate when the office's key and the
    font are available (otherwise the office issues it later from the register)."""
    from . import certificates, register

    application = _lock(application)
    workflow.fire(application, "approve", actor=actor)
    _check_ready(application)
    registration = register.enter_in_register(application=application, actor=actor, credit_code=credit_code)
    application.registration = registration
    application.decided_at, application.decided_by = timezone.now(), actor
    application.return_reasons = {}
    application.save()
    _event(application, ApplicationEvent.Action.APPROVED, actor, version=registration.version)
    audit("registration.application.approved", actor=actor, obj=application,
          data={"registration": registration.pk, "version": registration.version})
    if issue and application.kind != Kind.CANCEL and selectors.can_issue(registration.office):
        certificates.issue_certificate(registration=registration, actor=actor, reason=application.kind,
                                       base_url=base_url)
    return application


@transaction.atomic
def withdraw_application(*, actor, application) -> Application:
    application = _lock(application)
    workflow.fire(application, "withdraw", actor=actor)
    application.save(update_fields=["status"])
    _event(application, ApplicationEvent.Action.WITHDRAWN, actor)
    audit("registration.application.withdrawn", actor=actor, obj=application)
    return application
