"""The register of union legal persons: what an approved application writes, with its history.

Every approval raises the registration's version by one and records the changed fields, so a
certificate printed for an older version no longer verifies as current.
"""

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.ids import normalize_credit_code
from gonghui.core.masking import mask_resident_id
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs import selectors as orgs_selectors
from gonghui.orgs import services as orgs

from ..models import FORM_FIELDS, PERSONAL_FIELDS, Kind, Registration, RegistrationStatus, RegistrationVersion
from .forms import check_complete, clean_fields, compute_term_end

TRADE_UNION_PREFIX = "81"  # GB 32100: authority 8 (trade unions), kind 1 (grassroots union)


def _clean_union_credit_code(value: str) -> str:
    code = normalize_credit_code(value)
    if not code.startswith(TRADE_UNION_PREFIX):
        raise ValidationError(_("A trade union's credit code starts with 81."), code="uscc_union")
    return code


def _shown(field: str, value):
    return mask_resident_id(value) if field in PERSONAL_FIELDS else value


def _record(registration, application, actor, changes: dict) -> None:
    changes = json.loads(json.dumps(changes, cls=DjangoJSONEncoder))
    RegistrationVersion.objects.create(registration=registration, version=registration.version, kind=application.kind,
                                       application=application, changes=changes, actor=actor)


def enter_in_register(*, actor, application, credit_code: str = "") -> Registration:
    """Write the approved application into the register (inside the approval's transaction)."""
    today = timezone.localdate()
    if application.kind == Kind.ESTABLISH:
        if not (credit_code or "").strip():
            raise ValidationError({"credit_code": [_("Enter the unified social credit code assigned to the union.")]})
        try:
            code = _clean_union_credit_code(credit_code)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from None
        with scopes_disabled():
            taken = (Registration.objects.filter(credit_code=code).exists()
                     or orgs_selectors.credit_code_on_another_union(code, but=application.node_id))
            if taken:
                raise ValidationError({"credit_code": [_("This credit code is already registered to another union.")]})
        registration = Registration(node=application.node, office=application.office, credit_code=code, version=1,
                                    registered_on=today, valid_from=today,
                                    valid_until=compute_term_end(elected_on=application.elected_on,
                                                                 years=application.term_years))
        for field in FORM_FIELDS:
            setattr(registration, field, getattr(application, field))
        registration.save()
        _record(registration, application, actor,
                {f: [None, _shown(f, getattr(registration, f))] for f in FORM_FIELDS if getattr(registration, f)})
        orgs.record_legal_person(node=application.node, is_legal_person=True, credit_code=code, actor=actor)
        return registration

    with scopes_disabled():
        registration = Registration.objects.select_for_update().get(pk=application.registration_id)
    if registration.is_cancelled:
        raise DomainError("registration_cancelled", _("This union's legal-person registration was cancelled on "
                                                      "%(day)s; it can no longer be changed.")
                          % {"day": registration.cancelled_on})
    changes = {}
    if application.kind in (Kind.CHANGE, Kind.RENEW):
        for field in FORM_FIELDS:
            old, new = getattr(registration, field), getattr(application, field)
            if old != new:
                changes[field] = [_shown(field, old), _shown(field, new)]
                setattr(registration, field, new)
        until = compute_term_end(elected_on=registration.elected_on, years=registration.term_years)
        if application.kind == Kind.RENEW:
            changes["valid_from"] = [registration.valid_from, today]
            registration.valid_from = today
        if until != registration.valid_until:
            changes["valid_until"] = [registration.valid_until, until]
            registration.valid_until = until
    elif application.kind == Kind.REISSUE:
        changes["certificate"] = [_("lost"), _("reissued")]
    elif application.kind == Kind.CANCEL:
        changes["status"] = [registration.status, RegistrationStatus.CANCELLED]
        registration.status, registration.cancelled_on = RegistrationStatus.CANCELLED, today
        orgs.record_legal_person(node=registration.node, is_legal_person=False, actor=actor)
    registration.version += 1
    registration.save()
    _record(registration, application, actor, changes)
    return registration


@transaction.atomic
def import_record(*, actor=None, node, credit_code: str, registered_on, **form) -> Registration:
    """Enter a registration made before the platform (the paper register, 存量登记) without an
    application: same rules for the credit code and the form; history says "imported".

    Office side only (an admin or reviewer over the office); ``actor=None`` is system work.
    """
    from .offices import find_office

    office = find_office(node=node)
    if office is None:
        raise DomainError("no_office", _("No registration office is set up above this union; ask the county "
                                         "federation."))
    if actor is not None:
        require(actor, "registration.register.import", node=office.node)
    with scopes_disabled():
        if Registration.objects.filter(node=node).exists():
            raise DomainError("already_registered", _("This union is already in the register; file a change, "
                                                      "renewal, reissue or cancellation instead."))
    try:
        code = _clean_union_credit_code(credit_code)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages}) from None
    with scopes_disabled():
        if (Registration.objects.filter(credit_code=code).exists()
                or orgs_selectors.credit_code_on_another_union(code, but=node.pk)):
            raise ValidationError({"credit_code": [_("This credit code is already registered to another union.")]})
    values = clean_fields(fields=form)
    check_complete(values={f: values.get(f) for f in FORM_FIELDS})
    registration = Registration(node=node, office=office, credit_code=code, version=1, registered_on=registered_on,
                                valid_from=registered_on,
                                valid_until=compute_term_end(elected_on=values["elected_on"], years=values["term_years"]),
                                **values)
    registration.save()
    RegistrationVersion.objects.create(registration=registration, version=1, kind=Kind.ESTABLISH, actor=actor,
                                       changes={"imported": [None, str(registered_on)]})
    orgs.record_legal_person(node=node, is_legal_person=True, credit_code=code, actor=actor)
    audit("registration.register.imported", actor=actor, obj=registration, data={"credit_code": code})
    return registration
