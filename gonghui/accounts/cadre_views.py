"""Console pages for cadre accounts: who holds which role, new cadres, roles granted and revoked,
deactivation, password and authenticator resets by single-use links, one's own password."""

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_phone

from . import selectors, services
from .decorators import cadre_required
from .forms import CadreForm, LinkForm, NodeRoleForm, OwnPasswordForm, RoleHolderFilterForm
from .models import AccountLink, Role


def _require_admin(request) -> None:
    if not selectors.is_admin(request.user):
        raise NotPermitted("accounts.user.list")


def _node_or_404(request, value):
    node = selectors.find_admin_node(request.user, value)
    if node is None:
        raise Http404
    return node


@cadre_required
def cadre_list(request):
    _require_admin(request)
    nodes = list(selectors.admin_nodes(request.user)[:500])
    form = RoleHolderFilterForm(request.GET or None, nodes=nodes)
    node = _node_or_404(request, request.GET["node"]) if request.GET.get("node") else None
    role = request.GET.get("role", "") if request.GET.get("role", "") in Role.values else ""
    active = {"1": True, "0": False}.get(request.GET.get("active", ""))
    page = Paginator(selectors.role_holders(actor=request.user, node=node, role=role, active=active), 50).get_page(
        request.GET.get("page"))
    return render(request, "accounts/cadres.html", {"form": form, "page": page, "node": node})


def _link_page(request, user, key, title):
    url = request.build_absolute_uri(reverse("accounts:link", args=[key]))
    svg = segno.make(url, error="m").svg_inline(scale=3)
    response = render(request, "accounts/link_issued.html", {
        "cadre": user, "url": url, "title": title, "hours": settings.GONGHUI_ACCOUNT_LINK_HOURS, "qr_svg_b64": base64.b64encode(svg.encode()).decode()})
    response["Cache-Control"] = "no-store"
    return response


@cadre_required
def cadre_create(request):
    _require_admin(request)
    nodes = list(selectors.admin_nodes(request.user)[:500])
    initial = {}
    if request.GET.get("node"):
        initial["node"] = str(_node_or_404(request, request.GET["node"]).pk)
    form = CadreForm(request.POST or None, nodes=nodes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, key = services.add_cadre(username=data["username"], display_name=data["display_name"],
                                           phone=data["phone"], node=_node_or_404(request, data["node"]),
                                           role=data["role"], actor=request.user)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            return _link_page(request, user, key, _("Cadre account created"))
    return render(request, "accounts/cadre_form.html", {"form": form})


@cadre_required
def cadre_detail(request, pk):
    _require_admin(request)
    cadre = selectors.access_cadre(request.user, pk)
    nodes = list(selectors.admin_nodes(request.user)[:500])
    return render(request, "accounts/cadre.html", {
        "cadre": cadre, "masked_phone": mask_phone(cadre.phone), "roles": selectors.roles_of_cadre(cadre),
        "grant_form": NodeRoleForm(nodes=nodes), "may_manage": selectors.may_manage(request.user, cadre),
        "is_self": cadre.pk == request.user.pk,
    })


def _refused(request, exc, pk):
    messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
    return redirect("accounts:cadre", pk=pk)


@cadre_required
@require_POST
def cadre_grant(request, pk):
    _require_admin(request)
    cadre = selectors.access_cadre(request.user, pk)
    form = NodeRoleForm(request.POST, nodes=selectors.admin_nodes(request.user)[:500])
    if not form.is_valid():
        messages.error(request, _("Choose a union and a role."))
        return redirect("accounts:cadre", pk=cadre.pk)
    try:
        services.grant_role(user=cadre, node=_node_or_404(request, form.cleaned_data["node"]),
                            role=form.cleaned_data["role"], actor=request.user)
    except DomainError as exc:
        return _refused(request, exc, cadre.pk)
    messages.success(request, _("Role granted."))
    return redirect("accounts:cadre", pk=cadre.pk)


@cadre_required
@require_POST
def role_revoke(request, pk):
    _require_admin(request)
    assignment = selectors.access_assignment(request.user, pk)
    try:
        services.revoke_role(assignment=assignment, actor=request.user)
    except DomainError as exc:
        return _refused(request, exc, assignment.user_id)
    messages.success(request, _("Role revoked."))
    if selectors.access_cadre_or_none(request.user, assignment.user_id) is None:
        return redirect("accounts:cadres")
    return redirect("accounts:cadre", pk=assignment.user_id)


@cadre_required
@require_POST
def cadre_active(request, pk):
    _require_admin(request)
    cadre = selectors.access_cadre(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(user=cadre, active=active, actor=request.user)
    except DomainError as exc:
        return _refused(request, exc, cadre.pk)
    messages.success(request, _("Account reactivated.") if active else _("Account deactivated."))
    return redirect("accounts:cadre", pk=cadre.pk)


@cadre_required
@require_POST
def cadre_reset_password(request, pk):
    _require_admin(request)
    cadre = selectors.access_cadre(request.user, pk)
    try:
        key = services.reset_password(user=cadre, actor=request.user)
    except DomainError as exc:
        return _refused(request, exc, cadre.pk)
    return _link_page(request, cadre, key, _("Password reset"))


@cadre_required
@require_POST
def cadre_reset_totp(request, pk):
    _require_admin(request)
    cadre = selectors.access_cadre(request.user, pk)
    try:
        key = services.reset_totp(user=cadre, actor=request.user)
    except DomainError as exc:
        return _refused(request, exc, cadre.pk)
    return _link_page(request, cadre, key, _("Authenticator reset"))


def _own_password(request):
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(user=request.user, old_password=form.cleaned_data["old_password"],
                                         new_password=form.cleaned_data["new_password"])
        except DomainError as exc:
            apply_errors(form, exc)
        except ValidationError as exc:
            form.add_error("new_password", exc.messages)
        else:
            update_session_auth_hash(request, request.user)  # this session stays; others end
            messages.success(request, _("Your password has been changed."))
            return redirect("console:home")
    return render(request, "accounts/password.html", {"form": form})


# Every account with a role changes its own password here, an outside mediator's too (the
# decorator reads the mark when it wraps the view).
_own_password.open_to_mediators = True
own_password = cadre_required(_own_password)


def account_link(request, token):
    """The page a single-use link opens: set a password and/or enrol an authenticator app."""
    key = token
    try:
        link = services.open_link(key=key)
    except DomainError as exc:  # 404 for a key never issued, 410 for a spent or expired link
        return render(request, "accounts/link.html", {"refusal": exc.message},
                      status=404 if exc.code == "link_unknown" else 410)
    if not link.sets_password and request.user.pk != link.user_id:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    form = LinkForm(request.POST or None, link=link)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.use_link(key=key, new_password=form.cleaned_data.get("new_password", ""),
                                     code=form.cleaned_data.get("code", ""), signed_in=request.user)
        except DomainError as exc:
            if exc.code.startswith("link_"):
                return render(request, "accounts/link.html", {"refusal": exc.message}, status=410)
            apply_errors(form, exc)
        except ValidationError as exc:
            form.add_error("new_password", exc.messages)
        else:
            if link.purpose == AccountLink.Purpose.TOTP:
                device = user.totpdevice_set.filter(confirmed=True).first()
                otp_login(request, device)
                messages.success(request, _("Your authenticator app is set up."))
                return redirect("console:home")
            messages.success(request, _("Done. Sign in with your user name and new password."))
            return redirect("accounts:login")
    context = {"form": form, "link": link, "cadre": link.user}
    if link.enrols_totp:
        device = services.link_device(link=link)
        svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context.update(qr_svg_b64=base64.b64encode(svg.encode()).decode(),
                       secret=base64.b32encode(device.bin_key).decode())
    response = render(request, "accounts/link.html", context)
    response["Cache-Control"] = "no-store"
    return response


@cadre_required
def own_tokens(request):
    """One's own API tokens: issued here in a session that passed its second factor (when the
    account needs one), so the token records it; the key is shown once."""
    key = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()
        if not name:
            messages.error(request, _("Give the token a name."))
        else:  # a name longer than ApiToken.name holds is refused by the service
            verified = bool(getattr(request.user, "is_verified", lambda: False)())
            try:
                _token, key = services.create_api_token(user=request.user, name=name, second_factor=verified)
            except DomainError as exc:
                messages.error(request, exc.message)
    response = render(request, "accounts/tokens.html", {"tokens": selectors.tokens_of(request.user), "key": key})
    response["Cache-Control"] = "no-store"
    return response


@cadre_required
@require_POST
def own_token_revoke(request, pk):
    token = selectors.tokens_of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    services.revoke_own_token(user=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
