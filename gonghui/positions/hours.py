"""Opening hours: a weekly schedule of time ranges, 24-hour service, closing on public holidays.

Stored as ``{"0": [["08:00", "12:00"], ["14:00", "18:00"]], …, "6": []}`` (0 = Monday), each range
``[start, end)`` within one day, "24:00" allowed as an end. Typed as text, one weekday per form field
("08:00-12:00, 14:00-18:00") or one line for all days as imports bring it
("周一至周五 08:00-18:00; 周六 09:00-17:00"). Times are Asia/Shanghai.
"""

import datetime
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

log = logging.getLogger(__name__)

WEEKDAYS = [gettext_lazy("Monday"), gettext_lazy("Tuesday"), gettext_lazy("Wednesday"), gettext_lazy("Thursday"),
            gettext_lazy("Friday"), gettext_lazy("Saturday"), gettext_lazy("Sunday")]
_DAY_WORDS = {
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")
_RANGE_SPLIT = re.compile(r"\s*[-–—~～至到]\s*")
_DAY = r"(?:周|星期|礼拜)?([一二三四五六日天七]|mon|tue|wed|thu|fri|sat|sun)[a-z]*"
_DAY_SPAN = re.compile(rf"^{_DAY}(?:\s*[-–—~～至到]\s*{_DAY})?$", re.IGNORECASE)
ALL_DAY_WORDS = {"24小时", "24h", "24 hours", "全天", "全天24小时", "24小时开放"}


def _minutes(text: str) -> int:
    match = _TIME.match(text.strip().replace("：", ":"))
    if not match:
        raise ValidationError(_("“%(value)s” is not a time; write it as 08:30.") % {"value": text.strip()},
                              code="hours_bad_time")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValidationError(_("“%(value)s” is not a time; write it as 08:30.") % {"value": text.strip()},
                              code="hours_bad_time")
    return hours * 60 + minutes


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_ranges(text: str, *, day_label: str = "") -> list[list[str]]:
    """"08:00-12:00, 14:00-18:00" → [["08:00", "12:00"], ["14:00", "18:00"]]; empty text → closed."""
    text = (text or "").strip()
    if not text or text in {"-", "—", "休息", "闭馆", "closed", "Closed"}:
        return []
    ranges = []
    for part in re.split(r"[,，、;；\s]+(?=\d)", text):
        bits = _RANGE_SPLIT.split(part.strip())
        if len(bits) != 2:
            raise ValidationError(_("“%(value)s” is not a time range; write it as 08:00-18:00.")
                                  % {"value": part.strip()}, code="hours_bad_range")
        start, end = _minutes(bits[0]), _minutes(bits[1])
        if end <= start:
            raise ValidationError(_("%(day)s: the range %(range)s ends before it starts.")
                                  % {"day": day_label, "range": part.strip()}, code="hours_end_before_start")
        ranges.append((start, end))
    ranges.sort()
    for (_s1, e1), (s2, _e2) in zip(ranges, ranges[1:], strict=False):
        if s2 < e1:
            raise ValidationError(_("%(day)s: the time ranges overlap (%(first)s and %(second)s).")
                                  % {"day": day_label, "first": f"{_hhmm(_s1)}-{_hhmm(e1)}",
                                     "second": f"{_hhmm(s2)}-{_hhmm(_e2)}"}, code="hours_overlap")
    return [[_hhmm(s), _hhmm(e)] for s, e in ranges]


def clean_week(days: dict) -> dict[str, list[list[str]]]:
    """Per weekday text (or lists already parsed) → the stored schedule, every range checked."""
    week = {}
    for index in range(7):
        value = days.get(index, days.get(str(index), ""))
        if isinstance(value, list):
            value = ", ".join(f"{a}-{b}" for a, b in value)
        week[str(index)] = parse_ranges(value, day_label=str(WEEKDAYS[index]))
    return week


def parse_schedule_text(text: str) -> tuple[dict[str, list[list[str]]], bool]:
    """One line for the week (imports): "周一至周五 08:00-18:00；周六、周日 09:00-17:00" or "24小时".

    Returns (week, open_24h). A line of ranges without weekdays applies to every day."""
    text = (text or "").strip()
    if text.replace(" ", "").lower() in {w.replace(" ", "") for w in ALL_DAY_WORDS}:
        return {str(i): [] for i in range(7)}, True
    days: dict[int, list[str]] = {}
    for clause in [c.strip() for c in re.split(r"[;；\n]", text) if c.strip()]:
        match = re.match(r"^(.*?)\s*(\d{1,2}[:：]\d{2}.*)$", clause)
        if not match:
            raise ValidationError(_("“%(value)s” is not an opening time; write e.g. 周一至周五 08:00-18:00.")
                                  % {"value": clause}, code="hours_bad_clause")
        spans, times = match.group(1).strip(" ：:"), match.group(2)
        targets = range(7) if not spans or spans in {"每天", "每日", "daily", "Daily"} else _days_of(spans)
        for day in targets:
            if day in days:
                raise ValidationError(_("%(day)s is given twice in the opening hours.") % {"day": WEEKDAYS[day]},
                                      code="hours_day_twice")
            days[day] = times
    return clean_week(days), False


def _days_of(spans: str) -> list[int]:
    out: list[int] = []
    for span in re.split(r"[,，、/和]", spans):
        match = _DAY_SPAN.match(span.strip())
        if not match:
            raise ValidationError(_("“%(value)s” is not a weekday or a span of weekdays.") % {"value": span.strip()},
                                  code="hours_bad_day")
        first = _DAY_WORDS[match.group(1).lower()[:3] if match.group(1).isascii() else match.group(1)]
        last_word = match.group(2)
        last = first if last_word is None else _DAY_WORDS[last_word.lower()[:3] if last_word.isascii() else last_word]
        day = first
        while True:
            out.append(day)
            if day == last:
                break
            day = (day + 1) % 7
    return out


def week_text(week: dict) -> list[tuple[str, str]]:
    """(weekday name, "08:00-12:00, 14:00-18:00" or "closed") for display."""
    return [(str(WEEKDAYS[i]), ", ".join(f"{a}-{b}" for a, b in week.get(str(i), [])) or pgettext("opening hours", "closed"))
            for i in range(7)]


@lru_cache(maxsize=2048)
def is_public_holiday(day: datetime.date) -> bool:
    """A statutory public holiday (not an ordinary weekend, not a make-up working day)."""
    try:
        holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        log.warning("no holiday schedule for %s; treating no day as a public holiday", day.year)
        return False
    return bool(holiday and name)


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    until: str = ""       # "18:00" while open (empty for round-the-clock)
    opens_at: str = ""    # "07:00" when closed and opening again within a week
    opens_day: int = -1   # 0 today, 1 tomorrow, n days ahead
    opens_weekday: int = -1
    all_day: bool = False

    @property
    def label(self) -> str:
        if self.is_open:
            if self.all_day:
                return _("open 24 hours")
            return _("open until %(time)s") % {"time": self.until}
        if not self.opens_at:
            return pgettext("opening hours", "closed")
        if self.opens_day == 0:
            return _("closed, opens %(time)s") % {"time": self.opens_at}
        if self.opens_day == 1:
            return _("closed, opens tomorrow %(time)s") % {"time": self.opens_at}
        return _("closed, opens %(day)s %(time)s") % {"day": WEEKDAYS[self.opens_weekday], "time": self.opens_at}


def _ranges(week: dict, day: datetime.date, closed_on_holidays: bool) -> list[tuple[int, int]]:
    if closed_on_holidays and is_public_holiday(day):
        return []
    return [(_minutes(a), _minutes(b)) for a, b in week.get(str(day.weekday()), [])]


def open_state(*, week: dict, open_24h: bool, closed_on_holidays: bool, in_service: bool = True,
               at: datetime.datetime | None = None) -> OpenState:
    """Whether a position is open at ``at`` (now by default), local time Asia/Shanghai."""
    if not in_service:
        return OpenState(False)
    now = timezone.localtime(at)
    today = now.date()
    minute = now.hour * 60 + now.minute
    if open_24h:
        if not (closed_on_holidays and is_public_holiday(today)):
            return OpenState(True, all_day=True)
    else:
        for start, end in _ranges(week, today, closed_on_holidays):
            if start <= minute < end:
                return OpenState(True, until=_hhmm(end))
            if start > minute:
                return OpenState(False, opens_at=_hhmm(start), opens_day=0)
    for ahead in range(1, 15):  # two weeks: the Spring Festival and National Day holidays last eight days
        day = today + datetime.timedelta(days=ahead)
        if open_24h:
            if not (closed_on_holidays and is_public_holiday(day)):
                return OpenState(False, opens_at="00:00", opens_day=ahead, opens_weekday=day.weekday())
            continue
        ranges = _ranges(week, day, closed_on_holidays)
        if ranges:
            return OpenState(False, opens_at=_hhmm(ranges[0][0]), opens_day=ahead, opens_weekday=day.weekday())
    return OpenState(False)
