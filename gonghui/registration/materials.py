"""The required-materials checklist of each application type (申请材料清单)."""

from django.utils.translation import gettext_lazy as _

from .models import Kind

ITEMS = {
    "application_form": _("Registration application form, signed and sealed"),
    "establishment_approval": _("Higher union's approval of the establishment"),
    "election_approval": _("Higher union's approval of the election result"),
    "chair_identity": _("Identity document of the chair (legal representative)"),
    "funding_proof": _("Proof of the funding source"),
    "address_proof": _("Proof of the address (premises)"),
    "change_evidence": _("Documents proving the change"),
    "old_certificate": _("The current certificate (original, scanned)"),
    "loss_notice": _("Loss notice as published"),
    "cancellation_approval": _("Higher union's approval of the cancellation"),
    "settlement_proof": _("Proof that funds, assets, claims and debts are settled"),
}

REQUIRED = {
    Kind.ESTABLISH: ["application_form", "establishment_approval", "election_approval", "chair_identity",
                     "funding_proof", "address_proof"],
    Kind.CHANGE: ["application_form", "change_evidence"],
    Kind.RENEW: ["application_form", "election_approval", "chair_identity", "old_certificate"],
    Kind.REISSUE: ["application_form", "loss_notice"],
    Kind.CANCEL: ["application_form", "cancellation_approval", "settlement_proof", "old_certificate"],
}

# A change of these fields needs the matching document as well.
CHANGE_NEEDS = {
    "legal_rep_name": ["election_approval", "chair_identity"],
    "legal_rep_id_number": ["chair_identity"],
    "address": ["address_proof"],
    "funding_source": ["funding_proof"],
}


def required_items(kind: str, changed_fields=()) -> list[str]:
    items = list(REQUIRED[kind])
    if kind == Kind.CHANGE:
        for field in changed_fields:
            items += [i for i in CHANGE_NEEDS.get(field, []) if i not in items]
    return items


def item_label(item: str) -> str:
    return str(ITEMS.get(item, item))
