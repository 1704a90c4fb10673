"""Claims (职工诉求): filed from the worker's phone or entered by a clerk (hotline, walk-in).

Rules enforced here for every caller (worker pages, console, API, demo):
- amounts are exact yuan: negative, non-numeric, NaN, Infinity and more than two decimals are
  refused with a message in the user's language, and nothing is written;
- attachments are pictures or PDF decided by their bytes (``core.uploads``), size-capped, stored
  under random names outside the web root; the name the phone sent is only a title;
- the worker needs no ID number; the claim carries the worker's verified phone, so the claims of
  that number (also those a clerk entered from the hotline) show on the worker's phone;
- the tracking code is random (``secrets``), and looking codes up is rate-limited per network.
"""

import os
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import ratelimit
from gonghui.core.audit import audit
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.core.limits import file_label, limit_of
from gonghui.core.money import parse_amount
from gonghui.core.notify import notify
from gonghui.core.phones import normalize_mobile
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_name, clean_person_name
from gonghui.core.uploads import check_upload, store
from gonghui.core.workdays import add_workdays
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import Employer, Node

from .. import limits
from ..models import TRACKING_ALPHABET, TRACKING_LENGTH, Attachment, Case, CaseEvent, Category, Channel, Stage
from ..selectors import format_code, intake_nodes, is_claimant
from ..workflow import ENDED_STAGES, STAGE_WORKDAYS

PHONE_PURPOSE = "phone"  # the same keyed hash as Worker.phone_hash, so a worker finds their claims
MAX_AMOUNT = Decimal("99999999.99")
MAX_FILES = 5
TRACK_FAILURES_PER_HOUR = settings.GONGHUI_CLAIM_TRACK_FAILURES_PER_HOUR
CLAIMS_PER_WORKER_PER_DAY = settings.GONGHUI_CLAIMS_PER_WORKER_PER_DAY


# --- input rules -----------------------------------------------------------------------------------

def clean_amount(*, value, field: str = "amount_claimed", required: bool = False) -> Decimal | None:
    """Yuan as an exact Decimal with at most two decimals; "3,800元" and full-width digits accepted.

    The rule is ``gonghui.core.money.parse_amount`` (shared with aid and funds), zero allowed; a
    float (a JSON number with a fraction through the API) is refused, as it is no longer exact."""
    return parse_amount(value, field=field, allow_zero=True, maximum=MAX_AMOUNT, required=required)


def clean_text(*, value, field: str, max_length: int, required: bool = True, min_length: int = 0) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    if required and not text:
        raise ValidationError({field: [_("This field is required.")]})
    if len(text) > max_length:
        raise ValidationError({field: [_("Keep it under %(n)d characters.") % {"n": max_length}]})
    if text and len(text) < min_length:
        raise ValidationError({field: [_("Tell us a little more (at least %(n)d characters).") % {"n": min_length}]})
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\r\t" for ch in text):
        raise ValidationError({field: [_("The text contains invisible or control characters.")]})
    return text


def _normalize_code(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(value or "")).upper() if ch.isalnum())


# --- where a claim goes ----------------------------------------------------------------------------

def _match_employer(name: str, *, under: Node | None = None) -> Employer | None:
    """The ledger's employer of that exact name (or credit code), in the county of ``under`` when given."""
    name = (name or "").strip()
    if not name:
        return None
    return orgs.employer_named(name, within=under)


# --- attachments -----------------------------------------------------------------------------------

def _title(upload) -> str:
    """Only the last part of what the phone called the file, without path or control characters."""
    raw = os.path.basename(str(getattr(upload, "name", "") or "").replace("\\", "/"))
    raw = "".join(ch for ch in unicodedata.normalize("NFC", raw) if unicodedata.category(ch)[0] != "C")
    raw = raw.strip(". ")
    return file_label(raw, Attachment, "title") or _("attachment")


def check_files(*, files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES:
        raise DomainError("too_many_files", _("Attach at most %(n)d files.") % {"n": MAX_FILES}, field="files")
    return [(check_upload(f, field="files"), _title(f)) for f in files]


def save_files(*, actor=None, case: Case, checked, event: CaseEvent | None, by_claimant: bool) -> list[Attachment]:
    saved = []
    for upload, title in checked:
        name = store(upload.content, folder=f"rights/{case.pk}", extension=upload.extension)
        saved.append(Attachment.objects.create(case=case, event=event, stored_name=name,
                                               content_type=upload.content_type, extension=upload.extension,
                                               size=upload.size, title=title, by_claimant=by_claimant,
                                               uploaded_by=actor))
    return saved


# --- filing ----------------------------------------------------------------------------------------

def clean_claim(*, category, claimant_name, claimant_phone, employer_name, facts, amount_claimed=None,
                workers_involved=1, parties="", phone_required=True) -> dict:
    """The claim's fields normalized, or one ValidationError naming every wrong field."""
    errors, data = {}, {}
    checks = {
        "category": lambda: category if category in Category.values else _raise(_("Choose a category.")),
        "claimant_name": lambda: clean_person_name(claimant_name),
        "claimant_phone": lambda: normalize_mobile(claimant_phone) if (claimant_phone or phone_required) else "",
        "employer_name": lambda: clean_name(employer_name, max_length=limit_of(Case, "employer_name")),
        "facts": lambda: clean_text(value=facts, field="facts", max_length=limits.FACTS, min_length=10),
        "amount_claimed": lambda: clean_amount(value=amount_claimed),
        "workers_involved": lambda: _workers(workers_involved),
        "parties": lambda: clean_text(value=parties, field="parties", max_length=limit_of(Case, "parties"), required=False),
    }
    for field, check in checks.items():
        try:
            data[field] = check()
        except ValidationError as exc:
            named = exc.message_dict.get(field) if hasattr(exc, "error_dict") else None
            errors[field] = named or exc.messages
    if errors:
        raise ValidationError(errors)
    return data


def _raise(message):
    raise ValidationError(message)


def _workers(value) -> int:
    try:
        number = int(str(value).strip() or "1")
    except (TypeError, ValueError):
        raise ValidationError(_("Enter a whole number of workers.")) from None
    if not 1 <= number <= 100000:
        raise ValidationError(_("Enter a number of workers between 1 and 100000."))
    return number


@transaction.atomic
def file_claim(*, actor=None, channel: str, node: Node | None = None, worker=None, files=(), **fields) -> Case:
    """File a claim. From the phone ``worker`` is the signed-in worker (their verified number is the
    claimant's); from the hotline or a walk-in ``actor`` is the clerk, who must handle ``node``."""
    if channel == Channel.PHONE:
        if worker is None:
            raise DomainError("worker_required", _("Sign in with your phone number first."))
        fields["claimant_phone"] = worker.phone
    elif channel in (Channel.HOTLINE, Channel.WALK_IN):
        if node is None:
            raise DomainError("node_required", _("Choose the union that handles the claim."), field="node")
        require(actor, "rights.claim.create", node=node)
    else:
        raise DomainError("bad_channel", _("Unknown channel."), field="channel")
    data = clean_claim(**fields, phone_required=channel != Channel.WALK_IN)
    checked = check_files(files=files)
    employer = _match_employer(data["employer_name"], under=node)
    if channel == Channel.PHONE:
        # The ledger knows where an employer is better than the worker's guess of the township.
        node = employer.node if employer is not None else (node or intake_nodes()[0])
    if worker is not None and channel == Channel.PHONE:
        ratelimit.hit("rights.claims", str(worker.pk), limit=CLAIMS_PER_WORKER_PER_DAY, period=86400,
                      code="claims_rate_limited", message=_("Too many claims from this phone today; call 12351 instead."))
    today = timezone.localdate()
    phone = data.pop("claimant_phone")
    case = Case.objects.create(
        node=node, channel=channel, worker=worker if channel == Channel.PHONE else None, employer=employer,
        claimant_phone=phone, claimant_phone_hash=blind_index(phone, purpose=PHONE_PURPOSE) if phone else "",
        stage=Stage.SUBMITTED, stage_since=today, due_on=add_workdays(today, STAGE_WORKDAYS[Stage.SUBMITTED]),
        submitted_at=timezone.now(), **data)
    event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STEP, to_stage=Stage.SUBMITTED, actor=actor,
                                     by_claimant=worker is not None, data={"channel": channel})
    save_files(case=case, checked=checked, event=event, by_claimant=worker is not None, actor=actor)
    audit("rights.claim.filed", actor=worker or actor, obj=case,
          data={"channel": channel, "category": case.category, "node": node.pk, "files": len(checked),
                "employer_matched": employer is not None})
    notify(phone=phone, text=_("The union has received your claim. Tracking code %(code)s; follow it under "
                               "Help → Follow my claim.") % {"code": format_code(case.tracking_code)},
           kind="claim_received", params={"code": format_code(case.tracking_code)})
    return case


# --- the claimant's own actions --------------------------------------------------------------------

@transaction.atomic
def add_information(*, case: Case, worker, text: str = "", files=()) -> CaseEvent:
    """The claimant adds facts or evidence while the case is open."""
    if not is_claimant(worker, case):
        raise DomainError("not_found", _("Not found."))
    if case.stage in ENDED_STAGES:
        raise DomainError("case_ended", _("This claim is finished; call 12351 if something is still wrong."))
    text = clean_text(value=text, field="text", max_length=limits.COMMENT, required=not files)
    checked = check_files(files=files)
    event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.INFORMATION, by_claimant=True, text=text)
    save_files(case=case, checked=checked, event=event, by_claimant=True)
    audit("rights.claim.information_added", actor=worker, obj=case, data={"files": len(checked)})
    return event


def withdraw_claim(*, case: Case, worker, reason: str = "") -> Case:
    """The claimant withdraws; the declared move decides from which stages this is possible."""
    from .cases import move_case

    if not is_claimant(worker, case):
        raise DomainError("not_found", _("Not found."))
    return move_case(case=case, name="withdraw", actor=None, claimant=worker,
                     reason=reason.strip() or _("Withdrawn by the worker."))


def find_by_code(*, code: str, ip: str) -> Case:
    """The case behind a tracking code, for the public tracking page.

    Unknown codes answer DomainError("not_found"); after TRACK_FAILURES_PER_HOUR failures from one
    network every look-up answers "rate_limited" for the rest of the hour, so codes cannot be
    enumerated (and 31**12 of them could not be anyway). With the shared counter unreachable the
    look-up is refused with "rate_limit_unavailable" (try again shortly)."""
    ratelimit.check("rights.track.fail", ip, limit=TRACK_FAILURES_PER_HOUR, period=3600,
                    message=_("Too many wrong codes from this network; try again in an hour."))
    normalized = _normalize_code(code)
    case = None
    if len(normalized) == TRACKING_LENGTH and set(normalized) <= set(TRACKING_ALPHABET):
        with scopes_disabled():
            case = Case.objects.select_related("node").filter(tracking_code=normalized).first()
    if case is None:
        ratelimit.count("rights.track.fail", ip, period=3600)
        raise DomainError("not_found", _("No claim has this tracking code. Check the code in your SMS."), field="code")
    return case

