"""Messaging's URLs in the scope proof (tests/test_scope_proof.py): the worker's own inbox; the county's
outbox, for administrators at the top of the tree only (tests/messaging/test_pages.py)."""

from tests.scope_kit import CADRE_ANY, NODE_SCOPED, PUBLIC, WORKER, Route, _node, scoped


def _parked_message(tree, node) -> int:
    from gonghui.messaging import services
    from gonghui.messaging.models import Message, State

    message = services.queue_message(phone="13912340000", text="x", kind="general")
    Message.objects.filter(pk=message.pk).update(state=State.PARKED)
    return message.pk


def _pending_notice(tree, node) -> int:
    from gonghui.messaging.models import Notice, NoticeState, Segment

    return Notice.objects.create(node=node, author=tree.user("a_admin"), segment=Segment.MEMBERS, title="通知",
                                 body="内容", submit_key=f"scope-{node.pk}-{Notice.objects.count()}",
                                 state=NoticeState.PENDING_REVIEW, recipients=0).pk


ROUTES = {
    "inbox:list": WORKER,
    "inbox:read": WORKER,
    "inbox:opt_out": WORKER,
    "inbox:course_calendar": PUBLIC,  # a published course's sessions, like its public page
    "messaging:outbox": Route(CADRE_ANY),
    # The whole county's outbox: a township cadre is refused even for a message "inside" (it has no node).
    "messaging:requeue": scoped(_parked_message, data=lambda t, n: {}, get=False, refused_inside=True),
    "messaging:notices": Route(NODE_SCOPED, target=_node, param="?node",
                               data=lambda t, n: {"action": "preview", "segment": "members"}),
    "messaging:notice_approve": scoped(_pending_notice, data=lambda t, n: {}, get=False),
}
