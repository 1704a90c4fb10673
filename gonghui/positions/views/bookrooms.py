"""Console pages of worker bookrooms: catalogue, add a book, lend and return by member card, withdraw a copy,
overdue list, the reading activities held there."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.limits import limit_of
from gonghui.core.masking import mask_name
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..limits import ISBN_TEXT
from ..models import Book
from ..services import bookrooms as services


class BookForm(forms.Form):
    isbn = forms.CharField(label="ISBN", max_length=ISBN_TEXT)
    title = forms.CharField(label=pgettext_lazy("book", "Title"), max_length=limit_of(Book, "title"))
    author = forms.CharField(label=gettext_lazy("Author"), max_length=limit_of(Book, "author"), required=False)
    publisher = forms.CharField(label=gettext_lazy("Publisher"), max_length=limit_of(Book, "publisher"), required=False)
    year = forms.IntegerField(label=pgettext_lazy("book", "Year"), required=False)
    ebook_url = forms.CharField(label=gettext_lazy("E-book link"), max_length=limit_of(Book, "ebook_url"), required=False)
    copies = forms.IntegerField(label=gettext_lazy("Copies"), initial=1, min_value=0, max_value=200)


@cadre_required
def books(request, pk):
    position = selectors.access_position(pk)
    require(request.user, "positions.book.list", node=position.node)
    form = BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_book(position=position, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Book added to the catalogue."))
            return redirect("positions:books", pk=position.pk)
    catalogue = list(selectors.books_of(position))
    return render(request, "positions/books.html", {
        "position": position, "form": form, "books": catalogue,
        "can_edit": allowed(request.user, "positions.book.add", node=position.node),
        "activities": selectors.venue_activities(position),
        "borrowers": {loan.pk: mask_name(loan.member.name) for book in catalogue for copy in book.copies.all()
                      for loan in copy.open_loans},
    })


@cadre_required
@require_POST
def lend(request, pk):
    copy = selectors.access_copy(pk)
    try:
        loan = services.lend_copy(copy=copy, actor=request.user, card_code=request.POST.get("card", ""))
    except (DomainError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
    else:
        messages.success(request, _("Lent until %(date)s.") % {"date": loan.due_on.isoformat()})
    return redirect("positions:books", pk=copy.book.position_id)


@cadre_required
@require_POST
def give_back(request, pk):
    copy = selectors.access_copy(pk)
    try:
        services.return_copy(copy=copy, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Returned."))
    return redirect("positions:books", pk=copy.book.position_id)


@cadre_required
@require_POST
def withdraw(request, pk):
    copy = selectors.access_copy(pk)
    try:
        services.withdraw_copy(copy=copy, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Copy %(barcode)s withdrawn.") % {"barcode": copy.barcode})
    return redirect("positions:books", pk=copy.book.position_id)


@cadre_required
def overdue(request):
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    page = Paginator(selectors.overdue_loans(node=node), 50).get_page(request.GET.get("page"))
    return render(request, "positions/overdue.html", {
        "node": node, "page": page, "rows": [(loan, mask_name(loan.member.name)) for loan in page]})


urlpatterns = [
    path("<int:pk>/books/", books, name="books"),
    path("copies/<int:pk>/lend/", lend, name="lend"),
    path("copies/<int:pk>/return/", give_back, name="return"),
    path("copies/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("loans/overdue/", overdue, name="overdue"),
]
