"""State machines in one shape: states, moves, who may make each move, what each move requires.

A module declares its machine once (``gonghui/<app>/workflow.py``)::

    MACHINE = Machine(
        name="registration.application", field="status", states=ApplicationStatus,
        initial=[ApplicationStatus.DRAFT], wrong_state=_wrong_state,
        moves=[Move("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, "registration.application.submit"), ...])

and its services make every state change through ``MACHINE.apply(row, "submit", permit=…)`` on
the row they have locked (``select_for_update(of=("self",))``) inside their own transaction. The
service keeps the transaction, the lock, the other fields, the audit line and the notice; the
machine keeps the rule. ``apply`` checks, in this order:

1. ``permit(move)``: the caller's callback for the move's declared action code (normally
   ``lambda m: require(actor, m.permission, node=…)``); core imports no app, so the callback
   carries ``accounts.permissions.require`` in;
2. the row's state is one the move starts from, else the machine's ``wrong_state(row, move)``
   refusal (each module keeps its refusal code and message);
3. each of the move's requirements, ``check(row, move, context) -> refusal or None`` (a refusal is an
   exception, raised as it is; a requirement may also raise itself, e.g. a declared exclusion);

then sets the state field (not saved: the service saves it with its other fields) and returns the move.
``diagram()`` writes the machine as Mermaid ``stateDiagram-v2`` text for the module's doc
(tools/state_diagrams.py). No service assigns a state field itself (tests/core/test_statemachines.py).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Requirement:
    """A named condition a move needs: ``check(row, move, context)`` returns a refusal (an exception) or None."""

    name: str
    check: Callable


@dataclass(frozen=True)
class Move:
    """One move ``sources → target`` named ``name``, allowed by the declared action ``permission``.

    Modules add their own attributes by subclassing (a frozen dataclass with defaults)."""

    name: str
    sources: frozenset
    target: str
    permission: str | None = None
    label: str = ""
    requires: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "requires", tuple(self.requires))


def _refused(row, move):
    return ValueError(f"{move.name} is not possible from {getattr(row, 'pk', row)}")


@dataclass
class Machine:
    name: str
    field: str
    states: type                      # the model field's TextChoices
    moves: Sequence[Move]
    initial: Iterable = ()            # the states a row is created in
    wrong_state: Callable = _refused  # (row, move) -> the exception raised for a move out of turn
    by_name: dict = field(init=False, repr=False)

    def __post_init__(self):
        self.initial = tuple(self.initial)
        self.by_name = {}
        values = set(self.states.values)
        for move in self.moves:
            if move.name in self.by_name:
                raise ValueError(f"{self.name}: move {move.name} declared twice")
            unknown = (move.sources | {move.target}) - values
            if unknown:
                raise ValueError(f"{self.name}: move {move.name} names unknown states {sorted(unknown)}")
            self.by_name[move.name] = move

    def __getitem__(self, name: str) -> Move:
        return self.by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def available(self, state: str) -> list[Move]:
        """The moves that start from ``state``, in declaration order."""
        return [m for m in self.moves if state in m.sources]

    def allows(self, state: str, name: str) -> bool:
        move = self.by_name.get(name)
        return move is not None and state in move.sources

    def apply(self, row, name: str, *, permit: Callable | None = None, wrong_state: Callable | None = None,
              **context) -> Move:
        """Make the move ``name`` on ``row`` (locked by the caller): permission, state, requirements.

        ``wrong_state`` replaces the machine's refusal for this call (a worker is told less than a cadre);
        ``context`` is handed to the requirements."""
        move = self.by_name[name]
        if permit is not None:
            permit(move)
        if getattr(row, self.field) not in move.sources:
            raise (wrong_state or self.wrong_state)(row, move)
        for requirement in move.requires:
            refusal = requirement.check(row, move, context)
            if refusal is not None:
                raise refusal
        setattr(row, self.field, move.target)
        return move

    def diagram(self) -> str:
        """Mermaid ``stateDiagram-v2``: states with their labels, each move with its action and requirements."""
        lines = ["stateDiagram-v2"]
        for value, label in self.states.choices:
            lines.append(f"    {value} : {label}")
        for state in self.initial:
            lines.append(f"    [*] --> {state}")
        for move in self.moves:
            text = move.name + (f" ({move.permission})" if move.permission else "")
            if move.requires:
                text += " if " + ", ".join(r.name for r in move.requires)
            for source in sorted(move.sources, key=list(self.states.values).index):
                lines.append(f"    {source} --> {move.target} : {text}")
        ends = [v for v in self.states.values if not self.available(v) and self._reached(v)]
        lines.extend(f"    {state} --> [*]" for state in ends)
        return "\n".join(lines) + "\n"

    def _reached(self, state: str) -> bool:
        return state in self.initial or any(m.target == state for m in self.moves)
