"""Who may do what, declared as data: one ``Action`` per thing a cadre can do.

Each app declares its actions in ``gonghui/<app>/permissions.py`` with ``declare(...)``; the registry
below collects them (``CoreConfig.ready`` imports every app's module). Services never name a set of
roles: they ask ``gonghui.accounts.permissions.require(actor, "aid.application.pay", node=...)``,
which looks the action up here. ``docs/permissions.md`` is generated from this registry
(``tools/permissions_doc.py``) and ``tests/permissions/`` walk it.

Core knows no domain app: roles are plain strings ("admin", "clerk" ...), nodes are materialized
paths. The decision itself (``decide``) is a pure function of the actor's (role, path) pairs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

# Where the role must be held, relative to the node the service passes. Every relation but OWN_NODE
# is "at that node or at one of its ancestors" (a role covers its node's whole subtree); they differ
# in *which* node the service passes, and the doc says so.
SUBTREE = "subtree"        # the object's own node (the union the application, member, case ... belongs to)
OWNER = "owner"            # the node that owns the programme / plan / call / project review
PARENT = "parent"          # the node above the object's node (carving a budget out of the parent's)
OWN_NODE = "own"           # exactly the node, not from above
INVITED = "invited"        # a case the mediator was invited to (the service checks the invitation)

RELATIONS: dict[str, tuple[str, str]] = {
    SUBTREE: ("object's union or above", "对象所属工会或其上级"),
    OWNER: ("owner of the programme / plan or above", "项目/计划的主办工会或其上级"),
    PARENT: ("the union above the object's", "对象所属工会的上级工会"),
    OWN_NODE: ("that union itself only", "仅本级工会"),
    INVITED: ("cases invited to, within their node", "受邀参与的案件"),
}


@dataclass(frozen=True)
class Excludes:
    """The same person may not do this action on an object on which they did ``action``.

    ``code`` and ``message`` are the refusal (a DomainError) when they did."""

    action: str
    code: str
    message: str | Promise


@dataclass(frozen=True)
class Action:
    code: str                                  # "<app>.<object>.<verb>", the permission name in refusals
    label: str | Promise                       # for people, translated (zh-hans in the doc)
    roles: frozenset[str]
    relation: str = SUBTREE
    excludes: tuple[Excludes, ...] = ()
    money: bool = False                        # spends, approves or moves public money
    personal: bool = False                     # shows or exports unmasked personal data
    note: str = ""                             # a line for the doc (English, not translated)

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise ValueError(f"{self.code}: unknown relation {self.relation!r}")
        if "." not in self.code:
            raise ValueError(f"{self.code}: an action code is <app>.<object>.<verb> (or <app>.<verb>)")


class UnknownAction(LookupError):
    pass


_REGISTRY: dict[str, Action] = {}
_ROLE_LABELS: dict[str, Promise | str] = {}


def declare(code: str, label, roles: Iterable[str], relation: str = SUBTREE, *,
            excludes: Iterable[Excludes] = (), money: bool = False, personal: bool = False,
            note: str = "") -> Action:
    """Register one action; declaring the same code twice with a different content is an error."""
    found = Action(code=code, label=label, roles=frozenset(str(r) for r in roles), relation=relation,
                   excludes=tuple(excludes), money=money, personal=personal, note=note)
    existing = _REGISTRY.get(code)
    if existing is not None and existing != found:
        raise ValueError(f"action {code} declared twice with different content")
    _REGISTRY[code] = found
    return found


def declare_roles(labels: dict) -> None:
    """The role names (value → translated label) in the order the doc lists them."""
    _ROLE_LABELS.update({str(k): v for k, v in labels.items()})


def role_labels() -> dict[str, Promise | str]:
    return dict(_ROLE_LABELS)


def action(code: str) -> Action:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise UnknownAction(f"undeclared action {code!r}: declare it in gonghui/<app>/permissions.py") from None


def actions() -> list[Action]:
    return sorted(_REGISTRY.values(), key=lambda a: a.code)


def roles_for(*codes: str) -> frozenset[str]:
    """The roles allowed any of ``codes`` (for list scopes that show what any of them may touch)."""
    out: set[str] = set()
    for code in codes:
        out |= action(code).roles
    return frozenset(out)


def decide(act: Action, assignments: Iterable[tuple[str, str]], path: str) -> bool:
    """Whether roles held as (role, node path) pairs allow ``act`` on the node at ``path``.

    A user with several roles gets, for this node, what the roles *covering this node* allow:
    a reviewer at the county who is a clerk at one township clerks only in that township."""
    if act.relation == OWN_NODE:
        return any(role in act.roles and held == path for role, held in assignments)
    return any(role in act.roles and path.startswith(held) for role, held in assignments)


def conflict(act: Action, actor_pk, done_by: dict[str, object] | None) -> Excludes | None:
    """The first exclusion the actor breaks: ``done_by`` maps an action code to the user id (or a
    list of ids) who did it on this object."""
    if not done_by or actor_pk is None:
        return None
    for rule in act.excludes:
        who = done_by.get(rule.action)
        ids = who if isinstance(who, (list, tuple, set, frozenset)) else [who]
        if any(pk is not None and pk == actor_pk for pk in ids):
            return rule
    return None


def autodiscover() -> None:
    """Import ``permissions`` of every installed app (called from CoreConfig.ready)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("permissions")


__all__ = ["Action", "Excludes", "declare", "declare_roles", "action", "actions", "roles_for", "decide",
           "conflict", "SUBTREE", "OWNER", "PARENT", "OWN_NODE", "INVITED", "RELATIONS"]
