"""The demo county's messages: what its story produced is history, already delivered."""

from django.db.models import F, Max

from .models import Message, State

DEMO_ANSWER = "demo: part of the demo county's story, not sent"


def last_message_id() -> int:
    """The newest message's id before a load (0 for none): what comes after it is the load's."""
    return Message.objects.aggregate(last=Max("pk"))["last"] or 0


def settle_story(*, after_id: int) -> int:
    """Mark the messages queued while the demo county was being loaded (approvals, offers, notices
    of its made-up past) as delivered when they were written, so that the demo's worker does not
    text them all when the server starts; they stay in the workers' inboxes. Returns how many."""
    return (Message.objects.filter(state=State.QUEUED, pk__gt=after_id)
            .update(state=State.SENT, sent_at=F("created_at"), attempts=1, provider_answer=DEMO_ANSWER))
