"""Real SMS providers for worker sign-in codes: Alibaba Cloud SMS and Tencent Cloud SMS.

In mainland China an SMS goes out only under an approved signature (签名) with an approved
template (模板) and its parameters; free text is refused. The backends send the sign-in code
as the one parameter of the sign-in template (docs/sms.md), configured from the environment
(GONGHUI_SMS_* in settings/base.py).

Outcomes of a send:

- success: returns nothing;
- ``SmsRetryable``: throttling, the provider's own failure (5xx), a timeout or a broken connection:
  the same message may go through later;
- ``SmsRejected``: the provider will never send this (template or signature not approved, a bad
  number, failed authentication, no balance, a parameter over the provider's limit), with the
  provider's code and message.

Both are ``DomainError``s carrying a message for the worker, so the sign-in page shows it instead
of failing; the provider's code and message go to the log (never the code sent, nor the number).
Neither SDK retries by itself here: a caller (the sign-in page, a queue) decides.
"""

import json
import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError

logger = logging.getLogger("gonghui.sms")


class SmsError(DomainError):
    """A send that failed; ``provider_code``/``provider_message`` are the provider's answer."""

    def __init__(self, code: str, message: str, *, provider: str, provider_code: str = "",
                 provider_message: str = "", field: str | None = None):
        super().__init__(code, message, field=field)
        self.provider = provider
        self.provider_code = provider_code
        self.provider_message = provider_message

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_code}: {self.provider_message}"


class SmsRetryable(SmsError):
    """Not sent this time; the same message may go through later."""


class SmsRejected(SmsError):
    """The provider will not send this message; trying again changes nothing."""


def _masked(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "***"


class ProviderBackend:
    """Shared by the providers: settings, the parameter checks before sending, the outcomes."""

    name = ""
    default_endpoint = ""
    default_region = ""
    # The sign-in code as the provider accepts it in a verification-code template.
    code_pattern = re.compile(r"[0-9]{4,6}")
    # Longest value of any template variable (None: the provider's own check only).
    max_param_chars: int | None = None
    required = ("GONGHUI_SMS_ACCESS_KEY_ID", "GONGHUI_SMS_ACCESS_KEY_SECRET", "GONGHUI_SMS_SIGN_NAME",
                "GONGHUI_SMS_TEMPLATE_SIGN_IN")
    retryable_codes: tuple[str, ...] = ()
    bad_number_codes: tuple[str, ...] = ()

    def __init__(self):
        missing = [name for name in self.required if not getattr(settings, name)]
        if missing:
            raise ImproperlyConfigured(f"{self.name} SMS needs {', '.join(missing)} in the environment (docs/sms.md)")
        self.key_id = settings.GONGHUI_SMS_ACCESS_KEY_ID
        self.key_secret = settings.GONGHUI_SMS_ACCESS_KEY_SECRET
        self.sign_name = settings.GONGHUI_SMS_SIGN_NAME
        self.sign_in_template = settings.GONGHUI_SMS_TEMPLATE_SIGN_IN
        self.region = settings.GONGHUI_SMS_REGION or self.default_region
        self.timeout_ms = settings.GONGHUI_SMS_TIMEOUT_MS
        endpoint = settings.GONGHUI_SMS_ENDPOINT or self.default_endpoint
        if "://" not in endpoint:
            endpoint = "https://" + endpoint
        parts = urlsplit(endpoint)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ImproperlyConfigured(f"GONGHUI_SMS_ENDPOINT must look like https://host[:port], not {endpoint!r}")
        self.protocol, self.host = parts.scheme, parts.netloc

    # -- what callers use -------------------------------------------------------------------

    def send_code(self, phone: str, code: str) -> None:
        code = str(code)
        if not self.code_pattern.fullmatch(code):
            raise self._rejected("param_too_long", "code does not fit the provider's verification-code variable")
        self.send_template(phone, self.sign_in_template, {"code": code})

    def send_template(self, phone: str, template: str, params: dict[str, str]) -> None:
        """Send an approved template with its parameters (never free text)."""
        for key, value in params.items():
            if self.max_param_chars is not None and len(str(value)) > self.max_param_chars:
                raise self._rejected("param_too_long",
                                     f"parameter {key} has {len(str(value))} characters, over {self.max_param_chars}")
        self._send(phone, template, {key: str(value) for key, value in params.items()})

    def _send(self, phone: str, template: str, params: dict[str, str]) -> None:
        raise NotImplementedError

    # -- outcomes -------------------------------------------------------------------------------

    def _retryable(self, provider_code: str, provider_message: str, phone: str = "") -> SmsRetryable:
        logger.warning("SMS via %s to %s not sent (may go through later): %s %s", self.name, _masked(phone),
                       provider_code, provider_message)
        return SmsRetryable("sms_retryable", _("The text message could not be sent just now; try again in a minute."),
                            provider=self.name, provider_code=provider_code, provider_message=provider_message)

    def _rejected(self, provider_code: str, provider_message: str, phone: str = "") -> SmsRejected:
        logger.error("SMS via %s to %s refused: %s %s", self.name, _masked(phone), provider_code, provider_message)
        if provider_code in self.bad_number_codes:
            return SmsRejected("sms_bad_number", _("This number cannot receive text messages; check it and try again."),
                               provider=self.name, provider_code=provider_code, provider_message=provider_message,
                               field="phone")
        return SmsRejected("sms_rejected", _("Text messages cannot be sent at the moment; please tell your union."),
                           provider=self.name, provider_code=provider_code, provider_message=provider_message)

    def _outcome(self, provider_code: str, provider_message: str, phone: str) -> SmsError:
        if any(provider_code == code or (code.endswith("*") and provider_code.startswith(code[:-1]))
               for code in self.retryable_codes):
            return self._retryable(provider_code, provider_message, phone)
        return self._rejected(provider_code, provider_message, phone)


class AliyunSmsBackend(ProviderBackend):
    """Alibaba Cloud SMS (dysmsapi 2017-05-25, ``SendSms``), signed with ACS3-HMAC-SHA256.

    GONGHUI_SMS_ENDPOINT ``http://127.0.0.1:8080`` switches the SDK's protocol to plain HTTP
    (``Config.protocol``), which is how the tests reach a local stand-in.
    """

    name = "aliyun"
    default_endpoint = "https://dysmsapi.aliyuncs.com"
    default_region = "cn-hangzhou"
    # Verification-code templates: one variable of 4-6 digits or letters; any other template's
    # variable at most 35 characters (Alibaba Cloud's template variable rules).
    code_pattern = re.compile(r"[0-9A-Za-z]{4,6}")
    max_param_chars = 35
    retryable_codes = ("isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "isp.GATEWAY_ERROR",
                       "Throttling*", "ServiceUnavailable*", "InternalError*", "http.5xx", "network")
    bad_number_codes = ("isv.MOBILE_NUMBER_ILLEGAL",)

    def _client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as open_api_models

        config = open_api_models.Config(access_key_id=self.key_id, access_key_secret=self.key_secret,
                                        endpoint=self.host, protocol=self.protocol, region_id=self.region,
                                        connect_timeout=self.timeout_ms, read_timeout=self.timeout_ms)
        return Client(config)

    def _send(self, phone: str, template: str, params: dict[str, str]) -> None:
        from alibabacloud_dysmsapi20170525 import models
        from darabonba.exceptions import ResponseException

        request = models.SendSmsRequest(phone_numbers=phone, sign_name=self.sign_name, template_code=template,
                                        template_param=json.dumps(params, ensure_ascii=False))
        try:
            body = self._client().send_sms(request).body
        except ResponseException as exc:  # an HTTP 4xx/5xx answer with the provider's code
            status = getattr(exc, "status_code", None) or 0
            code = str(getattr(exc, "code", "") or "")
            if status >= 500:
                raise self._retryable(code or "http.5xx", str(getattr(exc, "message", "")), phone) from exc
            raise self._outcome(code, str(getattr(exc, "message", "")), phone) from exc
        except Exception as exc:  # noqa: BLE001 - a timeout or a broken connection, wrapped by the SDK
            raise self._retryable("network", f"{type(exc).__name__}: {exc}", phone) from exc
        if body is None or body.code != "OK":
            raise self._outcome(getattr(body, "code", "") or "", getattr(body, "message", "") or "", phone)


class TencentSmsBackend(ProviderBackend):
    """Tencent Cloud SMS (sms 2021-01-11, ``SendSms``), signed with TC3-HMAC-SHA256.

    GONGHUI_SMS_ENDPOINT ``http://127.0.0.1:8080`` sets the SDK's ``HttpProfile(protocol="http")``.
    """

    name = "tencent"
    default_endpoint = "https://sms.tencentcloudapi.com"
    default_region = "ap-guangzhou"
    # Verification-code templates take the code as a number of at most 6 digits.
    code_pattern = re.compile(r"[0-9]{4,6}")
    required = (*ProviderBackend.required, "GONGHUI_SMS_APP_ID")
    retryable_codes = ("LimitExceeded.*", "RequestLimitExceeded*", "InternalError*", "ServerNetworkError",
                       "ClientNetworkError", "FailedOperation.JsonParseFail*")
    bad_number_codes = ("InvalidParameterValue.IncorrectPhoneNumber", "FailedOperation.PhoneNumberInBlacklist")

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(protocol=self.protocol, endpoint=self.host, reqTimeout=self.timeout_ms / 1000)
        return sms_client.SmsClient(credential.Credential(self.key_id, self.key_secret), self.region,
                                    ClientProfile(httpProfile=http))

    def _send(self, phone: str, template: str, params: dict[str, str]) -> None:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.PhoneNumberSet = [f"+86{phone}"]
        request.SmsSdkAppId = settings.GONGHUI_SMS_APP_ID
        request.SignName = self.sign_name
        request.TemplateId = template
        request.TemplateParamSet = list(params.values())
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as exc:
            raise self._outcome(exc.get_code() or "", exc.get_message() or "", phone) from exc
        statuses = response.SendStatusSet or []
        if not statuses:
            raise self._retryable("empty", "no send status in the answer", phone)
        if statuses[0].Code != "Ok":
            raise self._outcome(statuses[0].Code or "", statuses[0].Message or "", phone)
