"""The funds module's actions: plans, budgets, allocations, payments, construction projects, awards and
evaluations (see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import OWNER, SUBTREE, Excludes, declare

ADMIN, CLERK, REVIEWER, FINANCE = "admin", "clerk", "reviewer", "finance"

_APPROVER_PAYS = _("You approved or accepted this project; another finance officer must pay its subsidy "
                   "(whoever approves does not pay).")

# -- money: plans, budgets, allocations, payments
declare("funds.plan.create", _("Draw up a funds plan"), (ADMIN, FINANCE), SUBTREE, money=True)
declare("funds.budget.set", _("Set a funds budget"), (ADMIN, FINANCE), SUBTREE, money=True)
declare("funds.allocation.create", _("Prepare an allocation order to unions below"), (ADMIN, FINANCE), OWNER, money=True,
        note="Held at the allocating union (the plan's owner).")
declare("funds.allocation.approve", _("Approve an allocation order (books the money handed down)"), (ADMIN, FINANCE), OWNER,
        money=True, note="Held at the allocating union.", excludes=[
            Excludes("funds.allocation.create", "own_allocation",
                     _("You prepared this allocation order; another cadre must approve it."))])
declare("funds.allocation.reject", _("Reject an allocation order"), (ADMIN, FINANCE), OWNER, money=True)
declare("funds.allocation.reverse", _("Correct an allocation by a reversing row"), (ADMIN, FINANCE), OWNER, money=True)
declare("funds.payment.prepare", _("Prepare a payment"), (ADMIN, CLERK, FINANCE), SUBTREE, money=True)
declare("funds.payment.approve", _("Approve and book a payment"), (FINANCE,), SUBTREE, money=True, excludes=[
    Excludes("funds.payment.prepare", "own_payment",
             _("You prepared this payment; another finance officer must approve it.")),
    Excludes("funds.project.approve", "approver_pays", _APPROVER_PAYS),
    Excludes("funds.project.accept", "approver_pays", _APPROVER_PAYS)])
declare("funds.payment.reject", _("Reject a prepared payment"), (FINANCE,), SUBTREE, money=True)
declare("funds.payment.reverse", _("Reverse a booked payment"), (FINANCE,), SUBTREE, money=True)

# -- construction projects (the seven steps); reviewer moves are held at the reviewing union
declare("funds.project.apply", _("Apply for a construction project"), (ADMIN, CLERK), SUBTREE, money=True)
declare("funds.project.file", _("Add a project file (application, progress)"), (ADMIN, CLERK), SUBTREE)
declare("funds.project.file_acceptance", _("Add acceptance evidence to a project"), (ADMIN, REVIEWER), OWNER)
declare("funds.project.objection", _("Record an objection to a project in publicity"), (ADMIN, REVIEWER, CLERK), OWNER)
declare("funds.project.progress", _("Report a project's progress"), (ADMIN, CLERK), SUBTREE)
declare("funds.project.complete", _("Report a project's works completed"), (ADMIN, CLERK), SUBTREE)
declare("funds.project.score", _("Score a project in the joint appraisal"), (ADMIN, REVIEWER), OWNER)
declare("funds.project.appraise", _("Close the joint appraisal of a project"), (ADMIN, REVIEWER), OWNER)
declare("funds.project.answer", _("Answer an objection to a project"), (ADMIN, REVIEWER), OWNER)
for _name, _label in (("review", _("Pass a project's review")), ("reject", _("Reject a project at review")),
                      ("appraisal_passed", _("Record a passed joint appraisal")),
                      ("appraisal_failed", _("Record a failed joint appraisal")),
                      ("publicize", _("Start a project's publicity")), ("objection_upheld", _("Uphold an objection")),
                      ("acceptance_failed", _("Refuse a project's acceptance")),
                      ("accept", _("Accept a project's works")), ("approve", _("Approve a project after publicity"))):
    declare(f"funds.project.{_name}", _label, (ADMIN, REVIEWER), OWNER, money=_name in ("approve", "accept"))
declare("funds.project.request_subsidy", _("Prepare a project's subsidy payment"), (ADMIN, CLERK, FINANCE), OWNER,
        money=True)
for _name, _label in (("subsidy_paid", _("Record a project's subsidy paid")),
                      ("subsidy_refused", _("Refuse a project's subsidy payment")),
                      ("subsidy_reversed", _("Reverse a project's subsidy payment"))):
    declare(f"funds.project.{_name}", _label, (FINANCE,), OWNER, money=True)

# -- awards and evaluations
declare("funds.award.create", _("Open a call for awards"), (ADMIN,), SUBTREE)
declare("funds.award.nominate", _("Nominate for an award"), (ADMIN, CLERK), SUBTREE)
declare("funds.award.step", _("Move an award call on (close nominations, rank, award)"), (ADMIN, REVIEWER), OWNER)
declare("funds.award.score", _("Score a nomination"), (ADMIN, REVIEWER), OWNER)
declare("funds.review.create", _("Open an evaluation round"), (ADMIN, REVIEWER), SUBTREE)
declare("funds.review.report", _("File an evaluation self-report"), (ADMIN, CLERK), SUBTREE)
declare("funds.review.score", _("Score an evaluation round"), (ADMIN, REVIEWER), OWNER)
declare("funds.review.close", _("Close an evaluation round"), (ADMIN, REVIEWER), OWNER)
for _name, _label in (("group", _("Form a fieldwork group")), ("visit", _("Record a fieldwork visit")),
                      ("problem", _("Record a problem found in fieldwork")),
                      ("measure", _("Record a measure taken after fieldwork"))):
    declare(f"funds.fieldwork.{_name}", _label, (ADMIN, REVIEWER, CLERK), SUBTREE)
