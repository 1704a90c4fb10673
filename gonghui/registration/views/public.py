"""Public verification (no sign-in): scan the certificate's QR, or upload the PDF to check it."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache

from gonghui.core.errors import DomainError

from .. import selectors
from ..forms import VerifyUploadForm
from ..services import certificates


@never_cache
def verify_token(request, token):
    try:
        certificate = certificates.read_token(token=token)
    except DomainError as exc:
        return render(request, "registration/verify.html", {"error": exc.message}, status=200)
    status = selectors.certificate_status(certificate)
    return render(request, "registration/verify.html", {
        "c": certificate, "r": certificate.registration, "status": status,
        "status_label": selectors.STATUS_LABELS[status]})


@never_cache
def verify_upload(request):
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            check, certificate = certificates.check_uploaded_pdf(upload=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            context.update(check=check, c=certificate)
            if certificate is not None:
                status = selectors.certificate_status(certificate)
                context.update(r=certificate.registration, status=status,
                               status_label=selectors.STATUS_LABELS[status])
    return render(request, "registration/verify_upload.html", context)


urlpatterns = [
    path("v/<str:token>/", verify_token, name="verify_token"),
    path("verify/", verify_upload, name="verify"),
]
