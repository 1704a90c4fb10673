"""Signing a cadre in through the real pages in a browser test: password, then the authenticator's
code when the account must use one (admins and clerks do, at every level)."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from gonghui.accounts.models import User
from gonghui.accounts.permissions import requires_totp

PASSWORD = "Tr0ub4dor&3x!"  # noqa: S105 - the test factories' password


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign ``username`` in on ``page``; ends on the console home."""
    with scopes_disabled():
        user = User.objects.get(username=username)
        device = None
        if requires_totp(user):  # an authenticator enrolled beforehand, as the admin's link would
            device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                      or TOTPDevice.objects.create(user=user, name="browser test", confirmed=True))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    if device is not None:
        page.wait_for_url(f"{base}/accounts/otp/")
        page.fill("#id_token", f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")
        page.click("form.stack button")
    page.wait_for_url(f"{base}/console/")


def submit(page, target) -> None:
    """Click a form's button (a selector or a locator) and return once the answer has loaded.

    A bare ``click`` returns as soon as the click is dispatched; reading ``page.content()`` right
    after can catch the page between the old document and the new one (an empty string). Waiting
    for the navigation the click starts makes the next read see the server's answer, also when
    the answer is the same form shown again with its errors."""
    with page.expect_navigation(wait_until="load"):
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()
