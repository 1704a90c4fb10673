"""A stand-in SMS gateway for bench/rush.py --slow-gateway: each send takes 200 ms and 5% fail (a
retryable error, as a throttled provider answers); every message that does go through is appended
to the file GONGHUI_BENCH_SENT_FILE (one line per send), so the bench can count sends per booking."""

import os
import random
import time

from gonghui.accounts.sms_providers import SmsRetryable

DELAY_SECONDS, FAILURE_RATE = 0.2, 0.05


class SlowFlakyNotifier:
    def send(self, *, phone: str, text: str) -> None:
        time.sleep(DELAY_SECONDS)
        if random.random() < FAILURE_RATE:  # noqa: S311 - a simulation, not a secret
            raise SmsRetryable("sms_retryable", "", provider="bench", provider_code="Throttling",
                               provider_message="simulated failure")
        with open(os.environ["GONGHUI_BENCH_SENT_FILE"], "a", encoding="utf-8") as sent:
            sent.write(f"{phone}\t{text}\n")
