"""Writes to the union tree, the employer ledger and union staff.

Every function checks the actor's permission itself, runs in one transaction and writes both
the tree history (NodeEvent) and the audit log.
"""

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import editing, pinyin
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.ids import normalize_credit_code
from gonghui.core.limits import limit_of
from gonghui.core.text import clean_name

from .models import Employer, Node, NodeEvent, NodeStatus, StaffTarget, UnionStaff
from .selectors import NODE_VERSION_FIELDS
from .signals import node_merged

NODE_FIELDS = {
    "name", "short_name", "kind", "region_code", "region_name", "address", "latitude", "longitude",
    "credit_code", "established_on", "chair_name", "full_time_staff", "is_legal_person",
    "is_registration_office", "six_haves", "worker_count", "member_count",
}


def _clean_node_fields(fields: dict) -> dict:
    unknown = set(fields) - NODE_FIELDS
    if unknown:
        raise TypeError(f"unknown node fields: {sorted(unknown)}")
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = clean_name(cleaned["name"], max_length=limit_of(Node, "name"))
    if cleaned.get("short_name"):
        cleaned["short_name"] = clean_name(cleaned["short_name"], max_length=limit_of(Node, "short_name"))
    if cleaned.get("credit_code"):
        cleaned["credit_code"] = normalize_credit_code(cleaned["credit_code"])
    return cleaned


def _set_pinyin(node: Node) -> None:
    node.pinyin_initials = pinyin.initials(node.name)[:100]
    node.pinyin = pinyin.full(node.name)[:400]


def _record(node: Node, action: str, actor, data: dict) -> None:
    # Changes carry dates and decimals (established_on, latitude) that plain JSON cannot hold.
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    NodeEvent.objects.create(node=node, action=action, actor=actor, data=data)
    audit(f"orgs.node.{action}", actor=actor, obj=node, data=data)


@transaction.atomic
def create_root(*, actor=None, **fields) -> Node:
    """A top of the tree (a county or higher federation); system work only."""
    node = Node(**_clean_node_fields(fields))
    _set_pinyin(node)
    node = Node.objects.add_root(instance=node)
    _record(node, NodeEvent.Action.CREATED, actor, {"name": node.name})
    return node


@transaction.atomic
def create_node(*, actor, parent: Node, **fields) -> Node:
    if actor is not None:
        require(actor, "orgs.node.create", node=parent)
    if not parent.is_active:
        raise DomainError("parent_inactive", _("A union cannot be added under a merged or dissolved union."))
    node = Node(**_clean_node_fields(fields))
    _set_pinyin(node)
    node.full_clean(exclude=["path", "depth", "numchild"])
    parent = Node.objects.get(pk=parent.pk)  # treebeard needs a fresh numchild
    node = Node.objects.add_child(parent, instance=node)
    _record(node, NodeEvent.Action.CREATED, actor, {"name": node.name, "parent": parent.pk})
    return node


def mark_registration_office(*, node: Node, value: bool) -> None:
    """System work (demo, set-up) with no cadre to check: set the registration-office flag of a
    union; the caller audits it. A cadre's change goes through ``update_node``."""
    Node.objects.filter(pk=node.pk).update(is_registration_office=value)


@transaction.atomic
def update_node(*, actor, node: Node, expected_version: str | None = None, **fields) -> Node:
    require(actor, "orgs.node.update", node=node)
    cleaned = _clean_node_fields(fields)
    # Locked and read again; a form rendered before another change is refused (stale); only the
    # fields this edit changes are written, so a merge or dissolution made meanwhile stands.
    node = editing.lock_for_edit(node, expected_version, fields=NODE_VERSION_FIELDS)
    changes = {}
    for key, value in cleaned.items():
        old = getattr(node, key)
        if old != value:
            changes[key] = [old, value]
            setattr(node, key, value)
    if not changes:
        return node
    if "name" in changes:
        _set_pinyin(node)
    node.full_clean(exclude=["path", "depth", "numchild"])
    editing.save_changed(node, extra=list(changes),
                         also=["pinyin", "pinyin_initials"] if "name" in changes else ())
    action = NodeEvent.Action.RENAMED if set(changes) == {"name"} else NodeEvent.Action.UPDATED
    _record(node, action, actor, {"changes": changes})
    return node


@transaction.atomic
def move_node(*, actor, node: Node, new_parent: Node) -> Node:
    """Move a whole subtree. The actor must be an admin over both the node and the new parent."""
    require(actor, "orgs.node.move", node=node)
    require(actor, "orgs.node.move", node=new_parent)
    node = Node.objects.get(pk=node.pk)
    new_parent = Node.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(node.path):
        raise DomainError("move_into_own_subtree",
                          _("A union cannot be moved under itself or one of its own subordinate unions."))
    if node.is_root():
        raise DomainError("move_root", _("The top federation cannot be moved."))
    if not new_parent.is_active:
        raise DomainError("parent_inactive", _("A union cannot be moved under a merged or dissolved union."))
    old_parent = Node.objects.get_parent(node)
    if old_parent.pk == new_parent.pk:
        return node
    Node.objects.move(node, new_parent, pos="last-child")
    node.refresh_from_db()
    _record(node, NodeEvent.Action.MOVED, actor, {"from": old_parent.pk, "to": new_parent.pk,
                                                  "from_name": old_parent.name, "to_name": new_parent.name})
    return node


@transaction.atomic
def merge_nodes(*, actor, source: Node, target: Node) -> Node:
    """Merge ``source`` into ``target``: its children, ledger, staff and unionized employers move over.

    The source stays in the tree as "merged" (history and old references keep working).
    """
    require(actor, "orgs.node.merge", node=source)
    require(actor, "orgs.node.merge", node=target)
    source = Node.objects.get(pk=source.pk)
    target = Node.objects.get(pk=target.pk)
    if source.pk == target.pk or target.path.startswith(source.path):
        raise DomainError("merge_into_own_subtree", _("A union cannot be merged into itself or its own subtree."))
    if not (source.is_active and target.is_active):
        raise DomainError("merge_inactive", _("Only active unions can be merged."))
    children = list(Node.objects.get_children(source))
    for child in children:
        Node.objects.move(child, Node.objects.get(pk=target.pk), pos="last-child")
        NodeEvent.objects.create(node=child, action=NodeEvent.Action.MOVED, actor=actor,
                                 data={"from": source.pk, "to": target.pk, "from_name": source.name,
                                       "to_name": target.name, "merge": True})
    # Unscoped on purpose: an employer outside the actor's scope may name the source as its
    # union, and must not be left pointing at a merged union.
    employers = Employer.objects.with_scopes_disabled()
    moved_union_links = employers.filter(union=source).update(union=target)
    moved_ledger = employers.filter(node=source).update(node=target)
    UnionStaff.objects.with_scopes_disabled().filter(node=source).update(node=target)
    Node.objects.filter(pk=target.pk).update(member_count=target.member_count + source.member_count,
                                             worker_count=target.worker_count + source.worker_count)
    source = Node.objects.get(pk=source.pk)
    source.status, source.merged_into, source.ended_on = NodeStatus.MERGED, target, timezone.localdate()
    source.member_count = source.worker_count = 0
    source.save()
    target.refresh_from_db()
    data = {"source": source.pk, "target": target.pk, "children": [c.pk for c in children],
            "employers": moved_ledger, "union_links": moved_union_links}
    _record(source, NodeEvent.Action.MERGED, actor, data)
    NodeEvent.objects.create(node=target, action=NodeEvent.Action.ABSORBED, actor=actor, data=data)
    node_merged.send(sender=Node, source=source, target=target, actor=actor)
    return target


@transaction.atomic
def dissolve_node(*, actor, node: Node, reason: str) -> Node:
    """Dissolve a union with no active subordinate unions; employers it covered become un-unionized."""
    require(actor, "orgs.node.dissolve", node=node)
    node = Node.objects.get(pk=node.pk)
    if not reason.strip():
        raise DomainError("reason_required", _("Give the reason for dissolving the union."), field="reason")
    if node.is_root():
        raise DomainError("dissolve_root", _("The top federation cannot be dissolved."))
    if Node.objects.filter(path__startswith=node.path, depth__gt=node.depth, status=NodeStatus.ACTIVE).exists():
        raise DomainError("has_children",
                          _("Move, merge or dissolve its subordinate unions before dissolving this union."))
    # Unscoped on purpose, as in merge_nodes: every employer it covered, whoever can see it.
    Employer.objects.with_scopes_disabled().filter(union=node).update(union=None)
    node.status, node.ended_on = NodeStatus.DISSOLVED, timezone.localdate()
    node.save(update_fields=["status", "ended_on", "updated_at"])
    _record(node, NodeEvent.Action.DISSOLVED, actor, {"reason": reason.strip()})
    return node


@transaction.atomic
def record_legal_person(*, actor, node: Node, is_legal_person: bool, credit_code: str | None = None) -> Node:
    """The union's legal-person status and credit code follow the register (registration app).

    Called by the registration office's approval, which has checked the office's permission
    (reviewers approve, and they may not edit the tree); no role check here.
    """
    fields = {"is_legal_person": is_legal_person}
    if credit_code:
        fields["credit_code"] = credit_code
    cleaned = _clean_node_fields(fields)
    node = Node.objects.select_for_update().get(pk=node.pk)
    changes = {k: [getattr(node, k), v] for k, v in cleaned.items() if getattr(node, k) != v}
    if not changes:
        return node
    for key, value in cleaned.items():
        setattr(node, key, value)
    node.save(update_fields=[*cleaned, "updated_at"])
    _record(node, NodeEvent.Action.UPDATED, actor, {"changes": changes, "by": "registration"})
    return node


EMPLOYER_FIELDS = {"name", "credit_code", "sector", "employee_count", "address", "union", "follow_up_by", "notes"}


def _clean_employer_fields(fields: dict, *, node: Node) -> dict:
    unknown = set(fields) - EMPLOYER_FIELDS
    if unknown:
        raise TypeError(f"unknown employer fields: {sorted(unknown)}")
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = clean_name(cleaned["name"], max_length=limit_of(Employer, "name"))
    if "credit_code" in cleaned:
        cleaned["credit_code"] = normalize_credit_code(cleaned["credit_code"])
    if cleaned.get("employee_count") is not None and int(cleaned["employee_count"]) < 0:
        raise ValidationError({"employee_count": ValidationError(
            _("The number of employees cannot be negative."), code="negative")})
    if cleaned.get("union") is not None and not cleaned["union"].is_active:
        raise ValidationError({"union": ValidationError(
            _("This union has been merged or dissolved; choose an active union."), code="union_inactive")})
    return cleaned


@transaction.atomic
def create_employer(*, actor, node: Node, **fields) -> Employer:
    require(actor, "orgs.employer.create", node=node)
    cleaned = _clean_employer_fields(fields, node=node)
    union = cleaned.get("union")
    if union is not None:
        require(actor, "orgs.employer.link_union", node=union)
    if Employer.objects.with_scopes_disabled().filter(
            credit_code=cleaned["credit_code"]).exists():
        raise ValidationError({"credit_code": _("An employer with this credit code is already in the ledger.")})
    employer = Employer(node=node, **cleaned)
    employer.pinyin_initials = pinyin.initials(employer.name)[:100]
    employer.full_clean()
    employer.save()
    audit("orgs.employer.created", actor=actor, obj=employer, data={"credit_code": employer.credit_code})
    return employer


@transaction.atomic
def update_employer(*, actor, employer: Employer, expected_version: str | None = None, **fields) -> Employer:
    require(actor, "orgs.employer.update", node=employer.node)
    cleaned = _clean_employer_fields(fields, node=employer.node)
    if cleaned.get("union") is not None and cleaned["union"] != employer.union:
        require(actor, "orgs.employer.link_union", node=cleaned["union"])
    if "credit_code" in cleaned and cleaned["credit_code"] != employer.credit_code and \
            Employer.objects.with_scopes_disabled().filter(credit_code=cleaned["credit_code"]).exists():
        raise ValidationError({"credit_code": _("An employer with this credit code is already in the ledger.")})
    employer = editing.lock_for_edit(employer, expected_version)  # stale form refused; see core.editing
    changes = {}
    for key, value in cleaned.items():
        old = getattr(employer, key)
        if old != value:
            changes[key] = [str(old) if old is not None else None, str(value) if value is not None else None]
            setattr(employer, key, value)
    if not changes:
        return employer
    employer.pinyin_initials = pinyin.initials(employer.name)[:100]
    employer.full_clean()
    editing.save_changed(employer, extra=list(changes), also=["pinyin_initials"])
    audit("orgs.employer.updated", actor=actor, obj=employer, data={"changes": changes})
    return employer


@transaction.atomic
def add_staff(*, actor, node: Node, name: str, kind: str, started_on, phone: str = "") -> UnionStaff:
    from gonghui.core import crypto
    from gonghui.core.phones import normalize_mobile
    from gonghui.core.text import clean_person_name

    require(actor, "orgs.staff.create", node=node)
    phone = normalize_mobile(phone) if phone else ""
    staff = UnionStaff.objects.with_scopes_disabled().create(
        node=node, name=clean_person_name(name), kind=kind, started_on=started_on, phone=phone,
        phone_hash=crypto.blind_index(phone, purpose="phone") if phone else "")
    audit("orgs.staff.created", actor=actor, obj=staff, data={"node": node.pk, "kind": kind})
    return staff


@transaction.atomic
def set_staff_target(*, actor, node: Node, year: int, kind: str, target: int) -> StaffTarget:
    require(actor, "orgs.staff_target.set", node=node)
    if target < 0:
        raise ValidationError(_("A target cannot be negative."), code="negative")
    obj, _created = StaffTarget.objects.with_scopes_disabled().update_or_create(
        node=node, year=year, kind=kind, defaults={"target": target})
    audit("orgs.staff_target.set", actor=actor, obj=node, data={"year": year, "kind": kind, "target": target})
    return obj
