"""Names a newcomer can guess (docs/ARCHITECTURE.md, "Naming").

Every public function of a ``services`` module is a write named verb + object (``approve_application``,
``pay_payment``, ``move_case``), takes keyword arguments only, and takes ``actor`` first when it has
one. Reads are in ``selectors``. Role sets are not kept by the apps: who may do what is the declared
permission matrix (each app's ``permissions.py``), asked with ``allowed``/``require``.

``KNOWN`` lists what still breaks the rule (helpers and reads still living in services modules): the
list may only shrink — a name that no longer breaks it must leave the list, and a new one fails.
"""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]

VERBS = {
    "accept", "add", "advance", "anonymise", "answer", "append", "apply", "approve", "assign", "award", "book",
    "build", "cancel", "change", "check", "claim", "clean", "close", "comment", "commit", "complete", "compute",
    "conclude", "confirm", "copy", "correct", "create", "decide", "deliver", "designate", "dissolve", "end", "enrol",
    "enter", "exit", "expire", "export", "extend", "file", "find", "fulfil", "give", "grant", "import", "invite",
    "issue", "join", "lend", "link", "load", "lock", "make", "mark", "merge", "move", "nominate", "offer", "open",
    "park", "parse", "pass", "pay", "plan", "post", "prepare", "promote", "publish", "queue", "raise", "rank", "rate", "read",
    "record", "refresh", "register", "reinstate", "reject", "remove", "renew", "reopen", "reorder", "report",
    "request", "requeue", "reschedule", "reset", "resolve", "restore", "retire", "return", "reveal", "reverse",
    "review", "revoke", "reword", "save", "score", "seal", "send", "set", "settle", "sign", "stage", "start", "submit",
    "take", "update", "upgrade", "upload", "use", "verify", "visit", "withdraw", "write",
}

# path:function -> what is wrong today. Take an entry out when its function is renamed, made
# keyword-only, moved to selectors or made private; never add one without a reason.
KNOWN = {
}


def _service_files():
    for base in sorted((ROOT / "gonghui").glob("*/services*")):
        yield from ([base] if base.is_file() else sorted(base.rglob("*.py")))


def _problems(fn: ast.FunctionDef) -> list[str]:
    problems = []
    verb, _sep, obj = fn.name.partition("_")
    if verb not in VERBS or not obj:
        problems.append("not verb_object")
    if fn.args.posonlyargs or fn.args.args or fn.args.vararg:
        problems.append("positional")
    keywords = [a.arg for a in fn.args.kwonlyargs]
    if "actor" in keywords and keywords[0] != "actor":
        problems.append("actor not first")
    return problems


def _findings() -> dict[str, str]:
    found = {}
    for path in _service_files():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
                problems = _problems(node)
                if problems:
                    found[f"{path.relative_to(ROOT)}:{node.name}"] = ", ".join(problems)
    return found


def test_the_rule_itself():
    def fn(source):
        return ast.parse(source).body[0]

    assert _problems(fn("def approve_application(*, actor, application): pass")) == []
    assert _problems(fn("def approve(*, actor, application): pass")) == ["not verb_object"]
    assert _problems(fn("def application_version(application): pass")) == ["not verb_object", "positional"]
    assert _problems(fn("def pay_payment(*, payment, actor): pass")) == ["actor not first"]
    assert _problems(fn("def send_notice(actor, *, notice): pass")) == ["positional"]
    assert _problems(fn("def expire_consents(*, today=None): pass")) == []


def test_every_service_is_a_verb_object_write_with_keyword_arguments_and_the_actor_first():
    found = _findings()
    new = {name: why for name, why in found.items() if KNOWN.get(name) != why}
    assert not new, "services break the naming rule (docs/ARCHITECTURE.md, Naming):\n" + "\n".join(
        f"  {name}: {why}" for name, why in sorted(new.items()))
    stale = sorted(set(KNOWN) - set(found))
    assert not stale, "now following the rule, take them out of KNOWN: " + ", ".join(stale)


def _role_sets(path: pathlib.Path) -> list[str]:
    """Module-level names bound to a tuple, list or set of roles (strings or role names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roles = {"admin", "clerk", "reviewer", "viewer", "finance", "mediator"}

    def role_set(value) -> bool:
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") in ("frozenset", "set", "tuple"):
            return True
        if isinstance(value, ast.BinOp):
            return role_set(value.left) or role_set(value.right)
        if not isinstance(value, ast.Tuple | ast.List | ast.Set) or not value.elts:
            return False
        return all((isinstance(e, ast.Constant) and e.value in roles) or isinstance(e, ast.Starred)
                   or (isinstance(e, ast.Name) and e.id.lower() in roles) or isinstance(e, ast.Attribute)
                   for e in value.elts)

    found = []
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = (list(zip(target.elts, node.value.elts, strict=False))
                     if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple) else [(target, node.value)])
            found += [t.id for t, v in pairs if isinstance(t, ast.Name) and role_set(v)]
    return found


def test_role_set_finder():
    tmp = ROOT / "tests" / "core" / "_role_set_sample.py"
    try:
        tmp.write_text('ADMIN, CLERK = "admin", "clerk"\nWRITERS = (ADMIN, CLERK)\nA, B = ("admin",), (ADMIN, "viewer")\n'
                       'ALL = frozenset(R.values) - {R.MEDIATOR}\nLABEL = "x"\n', encoding="utf-8")
        assert _role_sets(tmp) == ["WRITERS", "A", "B", "ALL"]
    finally:
        tmp.unlink()


# The matrix's reader: which roles open a scope at all (every role but the mediator's, who reaches
# invited cases only) is the mechanism, not an app's shorthand for a declaration.
READER = {"gonghui/accounts/permissions.py: ALL_ROLES"}


def test_no_app_keeps_a_role_set_beside_the_permission_matrix():
    found = {f"{p.relative_to(ROOT)}: {name}" for p in sorted((ROOT / "gonghui").glob("*/permissions.py"))
             for name in _role_sets(p)} - READER
    assert not found, ("role sets outside the declared matrix (spell the roles in each declare(), ask "
                       "allowed/require in code):\n  " + "\n  ".join(sorted(found)))
