"""Assistance on the phone: applications, medical mutual aid claims, micro-wishes (aid).

The URL patterns below are joined into the worker namespace by worker/urls.py. A worker sees only
their own applications (filed from this phone, or by a clerk for their membership); another
worker's answers the same 404 as a missing one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import worker_required
from gonghui.aid import limits as aid_limits
from gonghui.aid import selectors as aid
from gonghui.aid.models import (
    Application,
    ClaimBill,
    MedicalClaim,
    Scholarship,
    ScholarshipLevel,
    Wish,
    WishKind,
    WishStatus,
)
from gonghui.aid.services import applications as aid_applications
from gonghui.aid.services import medical, objections, wishes
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.limits import AMOUNT_TEXT, limit_of
from gonghui.core.masking import mask_name
from gonghui.core.uploads import file_response
from gonghui.members import selectors as members

from .membership import offer_context

DIAGNOSES = ["恶性肿瘤", "尿毒症", "心脑血管疾病", "骨折及外伤", "重症肺炎", "糖尿病并发症", "分娩", "其他住院治疗"]
BILL_ROWS = 5
DATE = forms.DateInput(attrs={"type": "date"})
MONEY = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ClaimForm(forms.Form):
    programme = forms.TypedChoiceField(label=gettext_lazy("Programme"), coerce=int)
    hospital = forms.CharField(label=gettext_lazy("Hospital"), max_length=limit_of(MedicalClaim, "hospital"))
    diagnosis = forms.ChoiceField(label=gettext_lazy("Diagnosis category"), choices=[(d, d) for d in DIAGNOSES])
    admitted_on = forms.DateField(label=gettext_lazy("Admitted on"), widget=DATE)
    discharged_on = forms.DateField(label=gettext_lazy("Discharged on"), widget=DATE)
    bills_total = forms.CharField(label=gettext_lazy("Total of the bills (yuan)"), max_length=AMOUNT_TEXT, widget=MONEY)
    eligible = forms.CharField(label=gettext_lazy("Self-paid after medical insurance (yuan)"), max_length=AMOUNT_TEXT,
                               widget=MONEY)
    # read with request.FILES.getlist: the service checks each file by its bytes
    bill_photos = forms.Field(label=gettext_lazy("Photos or PDFs of the bills (optional, up to 10)"), required=False,
                              widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, p.name) for p, _e in programmes]
        for i in range(1, BILL_ROWS + 1):
            self.fields[f"bill{i}_number"] = forms.CharField(label=_("Bill %(n)d number") % {"n": i},
                                                             max_length=limit_of(ClaimBill, "number"), required=False)
            self.fields[f"bill{i}_amount"] = forms.CharField(label=_("Bill %(n)d amount") % {"n": i}, max_length=AMOUNT_TEXT,
                                                             required=False, widget=MONEY)

    def bills(self) -> list[dict]:
        data = self.cleaned_data
        return [{"number": data[f"bill{i}_number"], "amount": data[f"bill{i}_amount"]}
                for i in range(1, BILL_ROWS + 1) if data[f"bill{i}_number"] or data[f"bill{i}_amount"]]


class ApplyForm(forms.Form):
    programme = forms.TypedChoiceField(label=gettext_lazy("Programme"), coerce=int)
    reason = forms.CharField(label=gettext_lazy("Why you need help"), max_length=limit_of(Application, "reason"),
                             widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.CharField(label=gettext_lazy("Amount requested (yuan)"), max_length=AMOUNT_TEXT, required=False,
                             widget=MONEY)
    student = forms.CharField(label=gettext_lazy("Student's name"), max_length=aid_limits.PERSON_NAME, required=False)
    school = forms.CharField(label=gettext_lazy("School"), max_length=limit_of(Scholarship, "school"), required=False)
    admission_year = forms.IntegerField(label=gettext_lazy("Admission year"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("Level of study"), choices=[("", "—"), *ScholarshipLevel.choices],
                              required=False)

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, p.name) for p in programmes]


class ObjectionForm(forms.Form):
    entry = forms.IntegerField(label=gettext_lazy("Entry"), widget=forms.Select)  # the service checks the list
    reason = forms.CharField(label=gettext_lazy("What is wrong with this entry"), max_length=objections.REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=gettext_lazy("Evidence (photo or PDF, optional)"), required=False)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].widget.choices = [(pk, label) for pk, label in entries]


class WishForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("My wish"), max_length=limit_of(Wish, "title"))
    kind = forms.ChoiceField(label=pgettext_lazy("wish", "Kind"), choices=WishKind.choices)
    amount = forms.CharField(label=gettext_lazy("Amount (yuan, at most 2000)"), max_length=AMOUNT_TEXT, required=False,
                             widget=MONEY)
    item = forms.CharField(label=pgettext_lazy("wish", "Item"), max_length=limit_of(Wish, "item"), required=False)
    story = forms.CharField(label=gettext_lazy("Why (optional)"), max_length=limit_of(Wish, "story"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


@worker_required
def my_aid(request):
    member = members.membership_of_worker(request.worker)
    applications = aid.applications_of_worker(request.worker, member)
    return render(request, "worker/assistance/aid.html", {
        "member": member, "applications": applications,
        "latest": aid.WORKER_APPLICATIONS if len(applications) >= aid.WORKER_APPLICATIONS else 0,
        "can_claim": bool(member and aid.open_medical_programmes(member)),
        "can_apply": bool(member and aid.open_programmes_for(member.node)),
    })


@worker_required
def claim(request):
    """A medical mutual aid claim: hospital stay, bills, self-paid amount; the payout is computed."""
    member = members.membership_of_worker(request.worker)
    programmes = aid.open_medical_programmes(member) if member else []
    if not programmes:
        return render(request, "worker/assistance/not_enrolled.html", {"member": member})
    form = ClaimForm(request.POST or None, request.FILES or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = next(p for p, _e in programmes if p.pk == data["programme"])
        try:
            application = medical.submit_claim(
                programme=programme, member=member, worker=request.worker, hospital=data["hospital"],
                diagnosis=data["diagnosis"], admitted_on=data["admitted_on"], discharged_on=data["discharged_on"],
                bills_total=data["bills_total"], eligible=data["eligible"], bills=form.bills(),
                bill_photos=request.FILES.getlist("bill_photos"))
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Claim received. The union reviews it; you will be told the result."))
            return redirect("worker:aid_application", pk=application.pk)
    return render(request, "worker/assistance/claim.html", {"form": form, "rows": range(1, BILL_ROWS + 1)})


@worker_required
def apply(request):
    member = members.membership_of_worker(request.worker)
    programmes = aid.open_programmes_for(member.node) if member else []
    if not programmes:
        return render(request, "worker/assistance/not_enrolled.html", {"member": member, "none_open": True})
    form = ApplyForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = next(p for p in programmes if p.pk == data["programme"])
        try:
            application = aid_applications.create_application(
                programme=programme, worker=request.worker, member=member, reason=data["reason"],
                amount=data["amount"] or None,
                scholarship={k: data[k] for k in ("student", "school", "admission_year", "level")}
                if programme.kind == "autumn_scholarship" else None)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Application received. The union reviews it; you will be told the result."))
            return redirect("worker:aid_application", pk=application.pk)
    return render(request, "worker/assistance/apply.html", {"form": form})


@worker_required
def application(request, pk):
    member = members.membership_of_worker(request.worker)
    found = aid.application_of_worker(request.worker, pk, member)
    claim = aid.claim_of(found)
    return render(request, "worker/assistance/application.html", {
        "a": found, "claim": claim, "steps": aid.payout_steps(claim) if claim else [],
        "bills": aid.bills_of(claim) if claim else [], "documents": aid.documents_of(claim) if claim else [],
    })


@worker_required
def claim_document(request, pk):
    """A photo or PDF of the worker's own claim's bills; anyone else's answers 404."""
    member = members.membership_of_worker(request.worker)
    document = aid.claim_document_of_worker(request.worker, pk, member)
    return file_response(document.stored_name, content_type=document.content_type)


@worker_required
@require_POST
def withdraw(request, pk):
    member = members.membership_of_worker(request.worker)
    found = aid.application_of_worker(request.worker, pk, member)
    try:
        aid_applications.withdraw_application(application=found, worker=request.worker)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("worker:aid")


def publicity(request, token):
    """A publicity list by its public link: masked names, union, amount; a worker signed in by
    phone may object to an entry until the objection period ends."""
    found = aid.publicity_by_token(token)
    rows = list(aid.publicity_rows(found))
    entries = [(a.pk, f"{i}. {mask_name(a.name)} · {a.node.name} · ¥{a.amount_approved:,.2f}")
               for i, a in enumerate(rows, start=1)]
    numbers = {a.pk: i for i, a in enumerate(rows, start=1)}
    is_open = timezone.localdate() <= found.objection_until
    form = ObjectionForm(request.POST or None, request.FILES or None, entries=entries)
    if request.method == "POST":
        if request.worker is None:
            return redirect(f"/w/login/?next={request.path}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                objections.file_objection(publicity=found, application_id=data["entry"], worker=request.worker,
                                          reason=data["reason"], evidence=data["evidence"])
            except (DomainError, ValidationError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Objection received. An aid officer of the union decides it; you "
                                            "will be told the result."))
                return redirect("worker:aid_publicity", token=token)
    return render(request, "worker/assistance/publicity.html", {
        "pub": found, "rows": [(mask_name(a.name), a.node.name, a.amount_approved) for a in rows],
        "form": form, "open": is_open, "signed_in": request.worker is not None,
        "mine": [(o, numbers.get(o.application_id)) for o in aid.objections_of_worker(request.worker, found)]
        if request.worker is not None else [],
    })


def wish_list(request):
    """The public list of wishes, names masked: anyone may look, a signed-in worker may help."""
    rows = [(w, mask_name(w.name)) for w in aid.public_wishes()]
    return render(request, "worker/assistance/wishes.html", {"rows": rows})


@worker_required
def wish_new(request):
    member = members.membership_of_worker(request.worker)
    form = WishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wish = wishes.post_wish(member=member, worker=request.worker, title=data["title"], kind=data["kind"],
                                    amount=data["amount"], item=data["item"], story=data["story"])
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your wish is posted; the union and donors can see it (your name is masked)."))
            return redirect("worker:wish", pk=wish.pk)
    return render(request, "worker/assistance/wish_new.html", {"form": form, "member": member})


def wish(request, pk):
    """A wish: anyone sees it (masked); a signed-in worker may take it on, then confirm with a photo."""
    found = aid.wish_of_anyone(pk)
    if request.method == "POST":
        if request.worker is None:
            return redirect(f"/w/login/?next={request.path}")
        try:
            action = request.POST.get("action")
            if action == "claim":
                wishes.claim_wish(wish=found, helper=request.POST.get("helper", ""), worker=request.worker)
            elif action == "fulfil":
                if not request.FILES.get("photo"):
                    raise ValidationError(_("Add a photo of the wish come true."))
                wishes.fulfil_wish(wish=found, photo=request.FILES["photo"], worker=request.worker)
            elif action == "withdraw":
                wishes.withdraw_wish(wish=found, worker=request.worker)
        except (DomainError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", None) or " ".join(
                m for msgs in getattr(exc, "message_dict", {"": exc.messages}).values() for m in msgs))
        else:
            messages.success(request, _("Thank you!"))
        return redirect("worker:wish", pk=found.pk)
    worker = request.worker
    return render(request, "worker/assistance/wish.html", {
        "w": found, "name": mask_name(found.name), "mine": worker is not None and found.worker_id == worker.pk,
        "helper": worker is not None and found.helper_worker_id == worker.pk, "signed_in": worker is not None,
        "statuses": WishStatus,
        "offer": offer_context(request, node=found.node, service=found.title, channel="wish")
        if worker is not None and found.worker_id == worker.pk else None,
    })


urlpatterns = [
    path("aid/", my_aid, name="aid"),
    path("aid/claim/", claim, name="aid_claim"),
    path("aid/apply/", apply, name="aid_apply"),
    path("aid/<int:pk>/", application, name="aid_application"),
    path("aid/<int:pk>/withdraw/", withdraw, name="aid_withdraw"),
    path("aid/publicity/<str:token>/", publicity, name="aid_publicity"),
    path("aid/claims/documents/<int:pk>/", claim_document, name="aid_claim_document"),
    path("wishes/", wish_list, name="wishes"),
    path("wishes/new/", wish_new, name="wish_new"),
    path("wishes/<int:pk>/", wish, name="wish"),
]
