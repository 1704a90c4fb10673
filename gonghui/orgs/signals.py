"""Signals other apps listen to when the tree changes under them (orgs imports no app).

``node_merged(source, target, actor)`` is sent inside the merge's transaction: the members app
moves the source's active members to the target, so a merge loses no one and a failure there
rolls the whole merge back.
"""

from django.dispatch import Signal

node_merged = Signal()
