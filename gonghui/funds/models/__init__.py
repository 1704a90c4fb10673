"""Models of funds: plans, budgets, allocations and the payment ledger; the seven-step projects;
demonstration awards."""

from .awards import AwardCall, AwardCallState, AwardQuota, Nomination, NominationScore, NominationStatus
from .evaluation import (
    ChairReport,
    ChairScore,
    FieldMeasure,
    FieldProblem,
    FieldVisit,
    Grade,
    ReviewRound,
    WorkGroup,
)
from .ledger import (
    Allocation,
    AllocationKind,
    AllocationOrder,
    AllocationOrderLine,
    AllocationOrderStatus,
    Budget,
    CategoryKind,
    LedgerEntry,
    LedgerHead,
    Payment,
    PaymentStatus,
    Plan,
    PlanCategory,
)
from .projects import (
    AppraisalScore,
    Objection,
    ObjectionStatus,
    ProgressReport,
    Project,
    ProjectEvent,
    ProjectFile,
    ProjectKind,
    ProjectState,
)

__all__ = [
    "ChairReport", "ChairScore", "FieldMeasure", "FieldProblem", "FieldVisit", "Grade", "ReviewRound", "WorkGroup",
    "Allocation", "AllocationKind", "AllocationOrder", "AllocationOrderLine", "AllocationOrderStatus",
    "AppraisalScore", "AwardCall", "AwardCallState", "AwardQuota", "Budget",
    "CategoryKind", "LedgerEntry", "LedgerHead", "Nomination", "NominationScore", "NominationStatus", "Objection",
    "ObjectionStatus", "Payment", "PaymentStatus", "Plan", "PlanCategory", "ProgressReport", "Project",
    "ProjectEvent", "ProjectFile", "ProjectKind", "ProjectState",
]
