"""Notifiers standing in for an SMS gateway in the messaging tests."""

from gonghui.accounts.sms_providers import SmsRejected, SmsRetryable


class Flaky:
    """Fails the next ``fail_next`` sends with a retryable error, then sends."""

    sent: list[tuple[str, str]] = []
    fail_next = 0

    def send(self, *, phone, text):
        if Flaky.fail_next:
            Flaky.fail_next -= 1
            raise SmsRetryable("sms_retryable", "", provider="test", provider_code="isv.BUSINESS_LIMIT_CONTROL",
                               provider_message="throttled")
        Flaky.sent.append((phone, text))


class Rejecting:
    sent: list = []

    def send(self, *, phone, text):
        raise SmsRejected("sms_rejected", "", provider="test", provider_code="isv.SMS_TEMPLATE_ILLEGAL",
                          provider_message="template not approved")


class Templates:
    """Sends approved templates (kind + parameters), like the production SMS notifier."""

    sent: list[tuple[str, str, dict]] = []

    def send_template(self, *, phone, kind, params):
        Templates.sent.append((phone, kind, params))

    def send(self, *, phone, text):  # pragma: no cover - never called for a template notifier
        raise AssertionError("free text")
