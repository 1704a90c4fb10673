"""The header row: found by its labels (with the variants real rosters use), wherever it is."""

import re
import unicodedata

HEADER_SEARCH_ROWS = 30

LABELS = {
    "seq": ["序号", "编号", "序", "no"],
    "name": ["姓名", "会员姓名", "职工姓名", "名字"],
    "id_number": ["身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "居民身份证号码", "身份证", "身份证件号码",
                  "证件号码"],
    "gender": ["性别"],
    "birth_date": ["出生日期", "出生年月日", "出生年月"],
    "ethnicity": ["民族"],
    "phone": ["手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话", "电话号码"],
    "education": ["文化程度", "学历", "最高学历"],
    "political_status": ["政治面貌"],
    "household": ["户籍", "户籍性质", "户籍类型", "户口性质", "户口类型", "户口"],
    "employment_form": ["用工形式", "就业形式", "用工性质", "用工方式", "就业方式"],
    "new_form_type": ["新就业形态类型", "新就业形态", "新就业形态类别", "从业类型"],
    "employer_name": ["工作单位", "所在单位", "单位名称", "单位", "就业单位", "工作单位名称"],
    "joined_on": ["入会时间", "入会日期", "入会年月"],
    "member_type": ["会员类型", "会员类别", "会员性质"],
}
_LABEL_TO_FIELD = {label: field for field, labels in LABELS.items() for label in labels}
FIELD_NAMES = {  # how the error report names a column the file does not have
    "name": "姓名", "id_number": "身份证号", "gender": "性别", "birth_date": "出生日期", "ethnicity": "民族",
    "phone": "手机号", "education": "文化程度", "political_status": "政治面貌", "household": "户籍",
    "employment_form": "用工形式", "new_form_type": "新就业形态类型", "employer_name": "工作单位",
    "joined_on": "入会时间", "member_type": "会员类型",
}

_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")
_LABEL_NOISE = re.compile(r"[\s*※:：]")


def _label_key(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = _BRACKETS.sub("", text)
    return _LABEL_NOISE.sub("", text).lower()


def find_header(*, rows: list[list]) -> tuple[int, dict[str, int], list[str]] | None:
    """(row index, {field: column}, [ignored labels]) of the first row naming 姓名 and 身份证号."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        ignored = []
        for col, cell in enumerate(row):
            key = _label_key(cell)
            field = _LABEL_TO_FIELD.get(key)
            if field and field not in columns:
                columns[field] = col
            elif key:
                ignored.append(str(cell).strip())
        if "name" in columns and "id_number" in columns:
            return index, columns, ignored
    return None
