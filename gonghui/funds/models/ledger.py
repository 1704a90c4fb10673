"""Plans, budgets, allocations downward and the payment ledger.

Money is ``DecimalField(max_digits=14, decimal_places=2)`` everywhere (yuan and fen). The ledger
(``LedgerEntry``) is append-only: a payment is corrected by a reversing entry, never by an edit,
and every row carries ``core.log``'s keyed hash over its content; signed checkpoints seal the rows,
so a changed, inserted or deleted row is found by ``gonghui audit-verify`` (or
``gonghui funds_verify_ledger``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.log import AppendOnlyLog
from gonghui.core.models import TwoPersonDecision
from gonghui.core.scoping import ScopedManager

MONEY = {"max_digits": 14, "decimal_places": 2}


class CategoryKind(models.TextChoices):
    STAFF = "staff", _("Socialized union workers")
    SUBSIDY = "subsidy", _("Regular subsidy")
    SPECIAL = "special", _("Special subsidy")
    AWARD = "award", _("Awards instead of subsidies")
    CONSTRUCTION = "construction", _("Construction of service positions")


class Plan(models.Model):
    """A multi-year plan of a union (e.g. 2025–2027 strengthening of grassroots unions)."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT,
                             related_name="fund_plans")
    name = models.CharField(_("name"), max_length=100)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    total = models.DecimalField(_("planned total (yuan)"), **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("funds plan")
        verbose_name_plural = _("funds plans")
        ordering = ["-start_year", "id"]
        constraints = [models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")),
                                              name="fund_plan_years_ordered")]

    def __str__(self) -> str:
        return f"{self.name}（{self.start_year}–{self.end_year}）"


class PlanCategory(models.Model):
    """A line of a plan: what the money is for, how much over the plan's years, and a count target."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=CategoryKind.choices)
    target_amount = models.DecimalField(_("planned amount (yuan)"), **MONEY)
    target_count = models.PositiveIntegerField(_("target count"), default=0)
    target_unit = models.CharField(_("unit of the target"), max_length=20, blank=True)

    objects = ScopedManager(tree="plan__node__path__within")

    class Meta:
        verbose_name = _("plan category")
        verbose_name_plural = _("plan categories")
        ordering = ["plan_id", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="fund_category_unique_name")]

    def __str__(self) -> str:
        return self.name


class Budget(models.Model):
    """Money a union itself puts into a category for a year (its own budget, 年度预算)."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("union"), on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(PlanCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="budgets")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "node_id", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["node", "year", "category"], name="fund_budget_one_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fund_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.category} · {self.amount}"


class AllocationKind(models.TextChoices):
    REGULAR = "regular", _("Allocation")
    SPECIAL = "special", _("Special subsidy")
    AWARD = "award", _("Award instead of subsidy")


class Allocation(models.Model):
    """Money handed down from a union to one in its subtree (下拨), for a year and a category.

    Visible to both ends: the receiving node lies in the giver's subtree, so scoping on the
    receiver shows it to the giver's cadres and to the receiver's."""

    from_node = models.ForeignKey("orgs.Node", verbose_name=_("allocated by"), on_delete=models.PROTECT, related_name="+")
    to_node = models.ForeignKey("orgs.Node", verbose_name=_("allocated to"), on_delete=models.PROTECT,
                                related_name="allocations_received")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(PlanCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="allocations")
    kind = models.CharField(_("kind"), max_length=10, choices=AllocationKind.choices, default=AllocationKind.REGULAR)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    rule = models.CharField(_("rule"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # A correction is a reversing allocation: the same ends, year and category, the negative amount,
    # the reason in ``note``; at most one per allocation. Sums over allocations net it out everywhere.
    reverses = models.OneToOneField("self", verbose_name=_("reverses"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversal")
    # The approved order that booked this row (none for corrections and rows booked before orders existed).
    order = models.ForeignKey("funds.AllocationOrder", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="allocations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tree="to_node__path__within")

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-year", "-created_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
            name="fund_allocation_sign")]
        indexes = [models.Index(fields=["year", "category"], name="fund_alloc_year_cat")]

    def __str__(self) -> str:
        return f"{self.year} · {self.category} → {self.to_node_id} · {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class AllocationOrderStatus(models.TextChoices):
    PREPARED = "prepared", _("Waiting for approval")
    APPROVED = "approved", pgettext_lazy("allocation", "Approved and handed down")
    REJECTED = "rejected", pgettext_lazy("allocation", "Rejected")


class AllocationOrder(TwoPersonDecision):
    """An allocation order (下拨单): money a union means to hand down, prepared by one cadre and
    approved by another (never the preparer; the shared fields of ``core.models.TwoPersonDecision``). Only approval books its lines as ``Allocation`` rows, so
    balances, summaries and statistics count approved money only."""

    from_node = models.ForeignKey("orgs.Node", verbose_name=_("allocated by"), on_delete=models.PROTECT,
                                  related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(PlanCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="allocation_orders")
    kind = models.CharField(_("kind"), max_length=10, choices=AllocationKind.choices, default=AllocationKind.REGULAR)
    total = models.DecimalField(_("total (yuan)"), **MONEY)
    rule = models.CharField(_("rule"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AllocationOrderStatus.choices,
                              default=AllocationOrderStatus.PREPARED)

    objects = ScopedManager(tree="from_node__path__within")

    class Meta:
        verbose_name = _("allocation order")
        verbose_name_plural = _("allocation orders")
        ordering = ["-prepared_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(total__gt=0), name="fund_alloc_order_positive")]

    def __str__(self) -> str:
        return f"{self.year} · {self.category} · {self.total}"


class AllocationOrderLine(models.Model):
    """One receiving union of an order and its amount."""

    order = models.ForeignKey(AllocationOrder, on_delete=models.CASCADE, related_name="lines")
    to_node = models.ForeignKey("orgs.Node", verbose_name=_("allocated to"), on_delete=models.PROTECT,
                                related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    objects = ScopedManager(tree="order__from_node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "allocation order line")
        verbose_name_plural = pgettext_lazy("model", "allocation order lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "to_node"], name="fund_alloc_line_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_alloc_line_positive")]

    def __str__(self) -> str:
        return f"{self.to_node_id} · {self.amount}"


class PaymentStatus(models.TextChoices):
    PREPARED = "prepared", _("Waiting for approval")
    PAID = "paid", _("Approved and paid")
    REJECTED = "rejected", pgettext_lazy("payment", "Rejected")
    REVERSED = "reversed", _("Reversed")


class Payment(TwoPersonDecision):
    """A payment prepared by one cadre and approved by a finance officer who is not the preparer
    (the shared fields of ``core.models.TwoPersonDecision``).

    Approval is a conditional update (status still "prepared"), so two finance officers pressing
    the button at once pay once."""

    node = models.ForeignKey("orgs.Node", verbose_name=_("paying union"), on_delete=models.PROTECT,
                             related_name="payments")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(PlanCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="payments")
    payee_node = models.ForeignKey("orgs.Node", verbose_name=_("payee union"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    payee_name = models.CharField(_("payee"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    purpose = models.CharField(_("purpose"), max_length=200)
    project = models.ForeignKey("funds.Project", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="payments")
    nomination = models.ForeignKey("funds.Nomination", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="payments")
    status = models.CharField(_("status"), max_length=10, choices=PaymentStatus.choices,
                              default=PaymentStatus.PREPARED)

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = pgettext_lazy("records", "payments")
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_payment_positive"),
            # One live subsidy payment per project and one reward per nomination.
            models.UniqueConstraint(fields=["project"], condition=Q(status__in=["prepared", "paid"]),
                                    name="fund_payment_one_per_project"),
            models.UniqueConstraint(fields=["nomination"], condition=Q(status__in=["prepared", "paid"]),
                                    name="fund_payment_one_per_nomination"),
            # Any other payment: one waiting for approval with the same payer, year, category, payee,
            # amount and purpose (a second one is a double submission; a real second payment says so
            # in its purpose, e.g. "second instalment").
            models.UniqueConstraint(fields=["node", "year", "category", "payee_name", "amount", "purpose"],
                                    condition=Q(status="prepared", project__isnull=True, nomination__isnull=True),
                                    name="fund_payment_one_waiting_alike"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} · {self.amount}"


class LedgerEntry(AppendOnlyLog):
    """One row of the payment ledger; append-only, a log of ``core.log`` (``seq``, keyed ``hash``).

    ``amount`` is positive for a payment and negative for the entry that reverses it."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", pgettext_lazy("ledger", "Payment")
        REVERSAL = "reversal", _("Reversal")

    at = models.DateTimeField()
    node = models.ForeignKey("orgs.Node", verbose_name=_("paying union"), on_delete=models.PROTECT,
                             related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(PlanCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    payee_name = models.CharField(_("payee"), max_length=100)
    memo = models.CharField(_("purpose"), max_length=200)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="entries")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(tree="node__path__within")

    log_label = "funds.ledger"
    log_fields = ("at", "node", "year", "category", "kind", "amount", "payee_name", "memo", "payment", "reverses",
                  "actor")

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("payment ledger")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["year", "category"], name="fund_entry_year_cat")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.memo} {self.amount}"



class LedgerHead(models.Model):
    """The funds' balance lock: payments, reversals and allocations lock this row, so the balance
    they check cannot move under them and money never goes out twice. (``seq`` and ``hash`` are the
    old chain's tip, no longer moved: the ledger's order and seal are ``core.log``'s.)"""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = pgettext_lazy("model", "ledger lock")
        verbose_name_plural = pgettext_lazy("model", "ledger locks")

    def __str__(self) -> str:
        return f"ledger tip #{self.seq}"
