"""Personal-information rights in the scope proof: the cadres' request pages are scoped to the
request's union; the worker's pages act only on the signed-in worker."""

import itertools

from django.utils import timezone

from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.orgs.models import Node
from tests.scope_kit import CADRE_ANY, WORKER, scoped

_seq = itertools.count(1)


def _request(tree, node: Node) -> int:
    from gonghui.privacy.models import PrivacyRequest

    phone = f"136{next(_seq):08d}"
    worker = Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))
    return PrivacyRequest.objects.with_scopes_disabled().create(
        node=Node.objects.get(pk=node.pk), worker=worker, kind="correction", details="姓名有误",
        submitted_at=timezone.now(), due_on=timezone.localdate()).pk


def _refusal(tree, node):
    return {"decision": "reject", "note": "信息核对无误"}


def _activity(tree, node):
    from tests.activities.scope_routes import _activity as make

    return make(tree, node)


def _session(tree, node):
    from tests.activities.scope_routes import _session as make

    return make(tree, node)


ROUTES = {
    # organizers' paper (gonghui/activities/views/paper.py): the activity's staff only
    "activities:signin_sheet": scoped(_session),
    "activities:participants_export": scoped(_activity),
    "privacy:requests": CADRE_ANY,
    "privacy:request": scoped(_request),
    "privacy:request_decide": scoped(_request, data=_refusal, get=False),
    "privacy_w:home": WORKER,
    "privacy_w:notice": WORKER,
    "privacy_w:download": WORKER,
    "privacy_w:withdraw": WORKER,
    "privacy_w:correct": WORKER,
    "privacy_w:delete": WORKER,
    "privacy_w:phone": WORKER,
    "privacy_w:withdraw_request": WORKER,
}
SIBLING_SEEDS = [_request]
