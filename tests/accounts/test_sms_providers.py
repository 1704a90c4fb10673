"""The Alibaba Cloud and Tencent Cloud SMS backends against a local stand-in for each provider's
endpoint (http.server on 127.0.0.1, a random port): requests arrive signed and well-formed, carry
the approved template and its parameters (never the code as free text), and the provider's
answers map to success, retry or refusal. Nothing here reaches the internet."""

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from gonghui.accounts.sms_providers import AliyunSmsBackend, SmsRejected, SmsRetryable, TencentSmsBackend

ROOT = Path(__file__).resolve().parent.parent.parent
PHONE = "13812345678"
KEY_ID, SECRET = "LTAI-test-key-id", "test-secret-never-real"
SIGN, TEMPLATE, APP_ID = "某县总工会", "SMS_123456789", "1400000001"


class StandIn:
    """A provider's endpoint on 127.0.0.1: records each request, answers what the test set."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status, self.body, self.content_type = 200, b"{}", "application/json"
        self.hang = False  # never answer until released (a provider that says nothing)
        self.release = threading.Event()
        self.answered = threading.Event()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                stand_in.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                          "body": body})
                if stand_in.hang:
                    stand_in.release.wait(30)
                try:
                    self.send_response(stand_in.status)
                    self.send_header("Content-Type", stand_in.content_type)
                    self.send_header("Content-Length", str(len(stand_in.body)))
                    self.end_headers()
                    self.wfile.write(stand_in.body)
                except OSError:
                    pass  # the client gave up first
                stand_in.answered.set()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, payload: dict, status: int = 200):
        self.status, self.body = status, json.dumps(payload).encode()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in(monkeypatch):
    # Both SDKs would route 127.0.0.1 through a proxy named in the environment: the stand-in is local.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = StandIn()
    yield server
    server.close()


def _provider_settings(stand_in, **extra):
    values = {"GONGHUI_SMS_ACCESS_KEY_ID": KEY_ID, "GONGHUI_SMS_ACCESS_KEY_SECRET": SECRET,
              "GONGHUI_SMS_SIGN_NAME": SIGN, "GONGHUI_SMS_TEMPLATE_SIGN_IN": TEMPLATE, "GONGHUI_SMS_APP_ID": APP_ID,
              "GONGHUI_SMS_ENDPOINT": stand_in.url, "GONGHUI_SMS_REGION": "", "GONGHUI_SMS_TIMEOUT_MS": 2000}
    values.update(extra)
    return override_settings(**values)


# --- Alibaba Cloud -------------------------------------------------------------------------------

ALIYUN_OK = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5-B967-440B"}


def _aliyun_signature(request: dict, secret: str) -> tuple[str, str]:
    """Recompute ACS3-HMAC-SHA256 over what arrived; return (claimed, recomputed)."""
    auth = request["headers"]["authorization"]
    algorithm, _, rest = auth.partition(" ")
    fields = dict(part.split("=", 1) for part in rest.split(","))
    signed = fields["SignedHeaders"].split(";")
    url = urlsplit(request["path"])
    query = sorted(parse_qsl(url.query, keep_blank_values=True))
    canonical_query = "&".join(f"{key}={quote(value, safe='~')}" for key, value in query)
    canonical_headers = "".join(f"{name}:{request['headers'][name].strip()}\n" for name in signed)
    canonical = "\n".join(["POST", url.path or "/", canonical_query, canonical_headers, fields["SignedHeaders"],
                           request["headers"]["x-acs-content-sha256"]])
    to_sign = f"{algorithm}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    return fields["Signature"], hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


def test_aliyun_request_is_signed_and_carries_the_template_not_free_text(stand_in):
    stand_in.answer(ALIYUN_OK)
    with _provider_settings(stand_in):
        AliyunSmsBackend().send_code(PHONE, "042917")
    [request] = stand_in.requests
    headers = request["headers"]
    assert headers["authorization"].startswith(f"ACS3-HMAC-SHA256 Credential={KEY_ID},SignedHeaders=")
    signed = headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
            "x-acs-content-sha256"} <= set(signed)
    assert headers["x-acs-action"] == "SendSms" and headers["x-acs-version"] == "2017-05-25"
    assert headers["x-acs-content-sha256"] == hashlib.sha256(request["body"]).hexdigest()
    claimed, recomputed = _aliyun_signature(request, SECRET)
    assert claimed == recomputed
    # The template and the number are in the signed query: changing either breaks the signature.
    query = dict(parse_qsl(urlsplit(request["path"]).query))
    assert query == {"PhoneNumbers": PHONE, "SignName": SIGN, "TemplateCode": TEMPLATE,
                     "TemplateParam": '{"code": "042917"}'}
    for field, forged in [("TemplateCode", "SMS_999"), ("PhoneNumbers", "13900000000")]:
        tampered = dict(request, path="/?" + "&".join(f"{k}={quote(v, safe='~')}"
                                                    for k, v in {**query, field: forged}.items()))
        assert _aliyun_signature(tampered, SECRET)[1] != claimed
    assert _aliyun_signature(request, "another-secret")[1] != claimed
    # The code travels only as the template's parameter, never as a message of its own.
    assert request["body"].count(b"042917") == 0
    assert [key for key, value in query.items() if "042917" in value] == ["TemplateParam"]


@pytest.mark.parametrize("status, code, outcome, field", [
    (200, "isv.BUSINESS_LIMIT_CONTROL", SmsRetryable, None),
    (200, "isv.DAY_LIMIT_CONTROL", SmsRetryable, None),
    (200, "isp.SYSTEM_ERROR", SmsRetryable, None),
    (503, "ServiceUnavailable", SmsRetryable, None),
    (500, "InternalError", SmsRetryable, None),
    (400, "Throttling.User", SmsRetryable, None),
    (200, "isv.SMS_TEMPLATE_ILLEGAL", SmsRejected, None),
    (200, "isv.SMS_SIGNATURE_ILLEGAL", SmsRejected, None),
    (200, "isv.AMOUNT_NOT_ENOUGH", SmsRejected, None),
    (200, "isv.MOBILE_NUMBER_ILLEGAL", SmsRejected, "phone"),
    (404, "InvalidAccessKeyId.NotFound", SmsRejected, None),
    (400, "SignatureDoesNotMatch", SmsRejected, None),
])
def test_aliyun_answers_map_to_retry_or_refusal(stand_in, status, code, outcome, field):
    stand_in.answer({"Code": code, "Message": f"message of {code}", "RequestId": "R-1"}, status=status)
    with _provider_settings(stand_in), pytest.raises(outcome) as caught:
        AliyunSmsBackend().send_code(PHONE, "042917")
    assert caught.value.provider == "aliyun"
    assert caught.value.provider_code == code and code in str(caught.value)
    assert caught.value.field == field
    assert len(stand_in.requests) == 1  # the SDK does not retry behind our back


def test_aliyun_provider_that_answers_nothing_is_retryable_before_it_answers(stand_in):
    stand_in.hang = True
    with _provider_settings(stand_in, GONGHUI_SMS_TIMEOUT_MS=300), pytest.raises(SmsRetryable) as caught:
        AliyunSmsBackend().send_code(PHONE, "042917")
    # The client gave up on its own timeout while the stand-in was still holding the request.
    assert not stand_in.answered.is_set()
    assert caught.value.provider_code == "network"
    assert len(stand_in.requests) == 1


@pytest.mark.parametrize("code", ["1234567", "12 456", "12", "验证码1234"])
def test_aliyun_code_outside_the_verification_variable_is_refused_before_sending(stand_in, code):
    stand_in.answer(ALIYUN_OK)
    with _provider_settings(stand_in), pytest.raises(SmsRejected) as caught:
        AliyunSmsBackend().send_code(PHONE, code)
    assert caught.value.provider_code == "param_too_long"
    assert stand_in.requests == []


def test_aliyun_template_parameter_over_35_characters_is_refused_before_sending(stand_in):
    stand_in.answer(ALIYUN_OK)
    with _provider_settings(stand_in):
        backend = AliyunSmsBackend()
        with pytest.raises(SmsRejected):
            backend.send_template(PHONE, "SMS_200000001", {"course": "职" * 36})
        assert stand_in.requests == []
        backend.send_template(PHONE, "SMS_200000001", {"course": "职" * 35})
    assert len(stand_in.requests) == 1


# --- Tencent Cloud -------------------------------------------------------------------------------

def _tencent_ok(code="Ok", message="send success"):
    return {"Response": {"SendStatusSet": [{"SerialNo": "2028:1", "PhoneNumber": f"+86{PHONE}", "Fee": 1,
                                            "SessionContext": "", "Code": code, "Message": message,
                                            "IsoCode": "CN"}], "RequestId": "a0aabda6-cf91-4f3e"}}


def _tencent_error(code):
    return {"Response": {"Error": {"Code": code, "Message": f"message of {code}"}, "RequestId": "a0aabda6"}}


def _tc3_signature(request: dict, secret: str) -> tuple[str, str]:
    headers = request["headers"]
    auth = headers["authorization"]
    algorithm, _, rest = auth.partition(" ")
    fields = dict(part.strip().split("=", 1) for part in rest.split(","))
    secret_id, date, service, terminator = fields["Credential"].split("/")
    assert (algorithm, service, terminator) == ("TC3-HMAC-SHA256", "sms", "tc3_request")
    signed = fields["SignedHeaders"].split(";")
    canonical_headers = "".join(f"{name}:{headers[name]}\n" for name in signed)
    canonical = "\n".join(["POST", "/", "", canonical_headers, fields["SignedHeaders"],
                           hashlib.sha256(request["body"]).hexdigest()])
    scope = f"{date}/{service}/tc3_request"
    to_sign = f"{algorithm}\n{headers['x-tc-timestamp']}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"

    def sign(key: bytes, message: str) -> bytes:
        return hmac.new(key, message.encode(), hashlib.sha256).digest()

    key = sign(sign(sign(("TC3" + secret).encode(), date), service), "tc3_request")
    assert secret_id == KEY_ID
    assert date == datetime.fromtimestamp(int(headers["x-tc-timestamp"]), UTC).strftime("%Y-%m-%d")
    return fields["Signature"], hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def test_tencent_request_is_signed_and_carries_the_template_not_free_text(stand_in):
    stand_in.answer(_tencent_ok())
    with _provider_settings(stand_in):
        TencentSmsBackend().send_code(PHONE, "042917")
    [request] = stand_in.requests
    headers = request["headers"]
    assert headers["authorization"].startswith(f"TC3-HMAC-SHA256 Credential={KEY_ID}/")
    assert "SignedHeaders=content-type;host," in headers["authorization"]
    assert headers["x-tc-action"] == "SendSms" and headers["x-tc-version"] == "2021-01-11"
    assert headers["x-tc-region"] == "ap-guangzhou"
    claimed, recomputed = _tc3_signature(request, SECRET)
    assert claimed == recomputed
    body = json.loads(request["body"])
    assert body == {"PhoneNumberSet": [f"+86{PHONE}"], "SmsSdkAppId": APP_ID, "SignName": SIGN,
                    "TemplateId": TEMPLATE, "TemplateParamSet": ["042917"]}
    # The body (template, number, parameters) is what the signature covers: change it, it breaks.
    for field, forged in [("TemplateId", "999"), ("PhoneNumberSet", ["+8613900000000"])]:
        tampered = dict(request, body=json.dumps({**body, field: forged}).encode())
        assert _tc3_signature(tampered, SECRET)[1] != claimed
    assert _tc3_signature(request, "another-secret")[1] != claimed


@pytest.mark.parametrize("answer, status, outcome, field", [
    (_tencent_error("LimitExceeded.PhoneNumberThirtySecondLimit"), 200, SmsRetryable, None),
    (_tencent_ok("LimitExceeded.PhoneNumberDailyLimit", "daily limit"), 200, SmsRetryable, None),
    (_tencent_error("RequestLimitExceeded"), 200, SmsRetryable, None),
    (_tencent_error("InternalError.Timeout"), 200, SmsRetryable, None),
    ({"oops": "bad gateway"}, 502, SmsRetryable, None),
    (_tencent_error("FailedOperation.TemplateIncorrectOrUnapproved"), 200, SmsRejected, None),
    (_tencent_ok("FailedOperation.SignatureIncorrectOrUnapproved", "sign"), 200, SmsRejected, None),
    (_tencent_ok("InvalidParameterValue.IncorrectPhoneNumber", "bad number"), 200, SmsRejected, "phone"),
    (_tencent_error("InvalidParameterValue.IncorrectPhoneNumber"), 200, SmsRejected, "phone"),
    (_tencent_error("AuthFailure.SignatureFailure"), 200, SmsRejected, None),
    (_tencent_error("AuthFailure.SecretIdNotFound"), 200, SmsRejected, None),
])
def test_tencent_answers_map_to_retry_or_refusal(stand_in, answer, status, outcome, field):
    stand_in.answer(answer, status=status)
    with _provider_settings(stand_in), pytest.raises(outcome) as caught:
        TencentSmsBackend().send_code(PHONE, "042917")
    assert caught.value.provider == "tencent"
    assert caught.value.field == field
    error = answer.get("Response", {}).get("Error") or (answer.get("Response", {}).get("SendStatusSet") or [{}])[0]
    if "Code" in error:
        assert caught.value.provider_code == error["Code"]
    assert len(stand_in.requests) == 1


def test_tencent_provider_that_answers_nothing_is_retryable_before_it_answers(stand_in):
    stand_in.hang = True
    with _provider_settings(stand_in, GONGHUI_SMS_TIMEOUT_MS=300), pytest.raises(SmsRetryable) as caught:
        TencentSmsBackend().send_code(PHONE, "042917")
    assert not stand_in.answered.is_set()
    assert caught.value.provider_code == "ClientNetworkError"


@pytest.mark.parametrize("code", ["1234567", "12ab56", "123"])
def test_tencent_code_outside_the_verification_variable_is_refused_before_sending(stand_in, code):
    stand_in.answer(_tencent_ok())
    with _provider_settings(stand_in), pytest.raises(SmsRejected):
        TencentSmsBackend().send_code(PHONE, code)
    assert stand_in.requests == []


# --- configuration ---------------------------------------------------------------------------------

@pytest.mark.parametrize("backend, missing", [(AliyunSmsBackend, "GONGHUI_SMS_TEMPLATE_SIGN_IN"),
                                              (TencentSmsBackend, "GONGHUI_SMS_APP_ID")])
def test_a_provider_without_its_settings_names_what_is_missing(stand_in, backend, missing):
    with _provider_settings(stand_in, **{missing: ""}), pytest.raises(ImproperlyConfigured, match=missing):
        backend()


def test_endpoint_defaults_to_the_providers_public_https_address(stand_in):
    with _provider_settings(stand_in, GONGHUI_SMS_ENDPOINT=""):
        assert (AliyunSmsBackend().protocol, AliyunSmsBackend().host) == ("https", "dysmsapi.aliyuncs.com")
        assert (TencentSmsBackend().protocol, TencentSmsBackend().host) == ("https", "sms.tencentcloudapi.com")


# --- the sign-in page ------------------------------------------------------------------------------

# The sign-in page writes the code into the outbox (an urgent message, issue 18) and answers at once; the
# worker process sends it through the provider. What the provider answers decides the outbox row: a
# throttled send is tried again, a bad number or an unapproved template is parked for staff with the
# provider's code (tests/messaging/test_sign_in_codes.py: never with the code in it).

@pytest.mark.parametrize("answer, state", [
    ({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"}, "failed"),
    ({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}, "parked"),
    ({"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法"}, "parked"),
])
def test_a_provider_refusing_a_sign_in_code_fails_or_parks_its_outbox_row(db, stand_in, answer, state):
    from gonghui.messaging import services
    from gonghui.messaging.models import Message

    stand_in.answer({**answer, "RequestId": "R-2"})
    with _provider_settings(stand_in, GONGHUI_SMS_BACKEND="gonghui.accounts.sms_providers.AliyunSmsBackend"):
        response = Client().post("/w/login/", {"phone": PHONE})
        assert response.status_code == 200 and 'name="code"' in response.content.decode()
        assert stand_in.requests == []  # the request itself sent nothing
        message = Message.objects.get(kind="sign_in_code")
        assert services.deliver_message(message_id=message.pk) == state
    message.refresh_from_db()
    assert answer["Code"] in message.provider_answer
    assert len(stand_in.requests) == 1


def test_a_sign_in_code_goes_through_the_provider_when_the_outbox_sends_it(db, stand_in):
    from gonghui.messaging import services
    from gonghui.messaging.models import Message

    stand_in.answer(ALIYUN_OK)
    with _provider_settings(stand_in, GONGHUI_SMS_BACKEND="gonghui.accounts.sms_providers.AliyunSmsBackend"):
        response = Client().post("/w/login/", {"phone": PHONE})
        assert response.status_code == 200 and 'name="code"' in response.content.decode()
        assert stand_in.requests == []
        assert services.deliver_message(message_id=Message.objects.get(kind="sign_in_code").pk) == "sent"
    [request] = stand_in.requests
    assert dict(parse_qsl(urlsplit(request["path"]).query))["PhoneNumbers"] == PHONE


# --- production --------------------------------------------------------------------------------------

@pytest.mark.parametrize("backend, extra", [("AliyunSmsBackend", {}), ("TencentSmsBackend", {"GONGHUI_SMS_APP_ID": APP_ID})])
def test_production_settings_load_with_a_provider_configured(backend, extra):
    import base64

    def key():
        return base64.b64encode(os.urandom(32)).decode()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGHUI_", "DJANGO_", "REDIS_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "gonghui.settings.production", "DJANGO_SECRET_KEY": "x" * 50,
        "GONGHUI_FIELD_KEYS": key(), "GONGHUI_HASH_KEY": key(), "GONGHUI_QR_SIGNING_KEY": key(),
        "GONGHUI_AUDIT_SIGNING_KEY": key(), "REDIS_URL": "redis://127.0.0.1:6379/15",
        "GONGHUI_PUBLIC_BASE_URL": "https://gonghui.example.cn", "GONGHUI_NOTIFIER": "some.provider.Notifier",
        "GONGHUI_SMS_BACKEND": f"gonghui.accounts.sms_providers.{backend}",
        "GONGHUI_SMS_ACCESS_KEY_ID": KEY_ID, "GONGHUI_SMS_ACCESS_KEY_SECRET": SECRET,
        "GONGHUI_SMS_SIGN_NAME": SIGN, "GONGHUI_SMS_TEMPLATE_SIGN_IN": TEMPLATE, **extra,
    })
    script = ("import django; django.setup(); from gonghui.accounts.sms import get_backend; "
              "b = get_backend(); print(type(b).__name__, b.protocol, b.host)")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,  # noqa: S603
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[:2] == [backend, "https"]
