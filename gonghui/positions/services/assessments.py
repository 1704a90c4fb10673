"""The "four haves" (四有) assessment of a worker's home: fixed venue, necessary facilities, regular
activities, rules. Each item is met or not, with notes and evidence (photos or PDF documents);
the result follows from the items (all four met → passed; three → to be improved; fewer → not
passed) and a demonstration level may be awarded only to a home that passed, which then becomes
the position's level.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import file_label, length_error, limit_of, too_long_message
from gonghui.core.text import clean_name
from gonghui.core.uploads import IMAGE, PDF, check_upload, store

from ..models import FOUR_HAVES, Assessment, AssessmentResult, Evidence, Position, PositionKind, PositionLevel

ITEMS = [code for code, _label in FOUR_HAVES]
ASSESSED_KINDS = {PositionKind.WORKERS_HOME, PositionKind.SMALL_WORKERS_HOME, PositionKind.REST_STATION,
                  PositionKind.LOVE_STATION, PositionKind.DRIVERS_HOME}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _result_of(items: dict) -> str:
    met = sum(bool(items.get(code)) for code in ITEMS)
    if met == len(ITEMS):
        return AssessmentResult.PASSED
    return AssessmentResult.IMPROVE if met == len(ITEMS) - 1 else AssessmentResult.FAILED


@transaction.atomic
def record_assessment(*, actor, position: Position, assessed_on: datetime.date, items: dict, assessor: str,
                      notes: dict | None = None, level_awarded: str = "", comment: str = "") -> Assessment:
    require(actor, "positions.assessment.create", node=position.node)
    errors = {}
    if position.kind not in ASSESSED_KINDS:
        raise DomainError("not_assessed", _("Only worker's homes and stations are assessed on the four haves."))
    if assessed_on is None or assessed_on > timezone.localdate():
        errors["assessed_on"] = [_("The assessment date cannot be in the future.")]
    unknown = set(items) - set(ITEMS)
    if unknown:
        errors["items"] = [_("Unknown assessment items: %(items)s.") % {"items": ", ".join(sorted(unknown))}]
    try:
        assessor = clean_name(assessor, max_length=limit_of(Assessment, "assessor"))
    except ValidationError as exc:
        errors["assessor"] = exc.messages
    if level_awarded not in PositionLevel.values:
        errors["level_awarded"] = [_("Choose a level from the list.")]
    result = _result_of(items)
    if level_awarded and result != AssessmentResult.PASSED:
        errors["level_awarded"] = [_("A demonstration level can only be awarded when all four items are met.")]
    notes = {code: str((notes or {}).get(code, "")).strip() for code in ITEMS if (notes or {}).get(code)}
    long_notes = [text for text in notes.values() if len(text) > Assessment.NOTE_MAX_LENGTH]
    if long_notes:
        errors["notes"] = [too_long_message(_("Note"), Assessment.NOTE_MAX_LENGTH, len(long_notes[0]))]
    comment = (comment or "").strip()
    if message := length_error(Assessment, "comment", comment):
        errors["comment"] = [message]
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        position=position, assessed_on=assessed_on, items={code: bool(items.get(code)) for code in ITEMS},
        notes=notes, result=result, level_awarded=level_awarded, assessor=assessor,
        comment=comment, created_by=actor)
    if level_awarded and level_awarded != position.level:
        position.level = level_awarded
        position.save(update_fields=["level", "updated_at"])
    audit("positions.assessment.recorded", actor=actor, obj=position,
          data={"assessment": assessment.pk, "result": result, "level": level_awarded})
    return assessment


def add_evidence(*, actor, assessment: Assessment, item: str, upload) -> Evidence:
    require(actor, "positions.assessment.evidence", node=assessment.position.node)
    if item not in ITEMS:
        raise DomainError("bad_item", _("Choose which of the four items the evidence is for."), field="item")
    checked = check_upload(upload, kinds=(IMAGE, PDF), max_bytes=EVIDENCE_MAX_BYTES, field="file")
    name = store(checked.content, folder="positions/evidence", extension=checked.extension)
    original = file_label((checked.original_name or f"evidence.{checked.extension}").rsplit("/", 1)[-1], Evidence, "name")
    with transaction.atomic():
        evidence = Evidence.objects.create(assessment=assessment, item=item, file=name,
                                           content_type=checked.content_type, name=original)
        audit("positions.assessment.evidence_added", actor=actor, obj=assessment.position,
              data={"assessment": assessment.pk, "evidence": evidence.pk, "item": item})
    return evidence
