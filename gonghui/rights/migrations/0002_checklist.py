"""The standard checklist of the legal check-up (劳动用工法律体检); unions may add items later."""

from django.db import migrations

ITEMS = [
    ("contracts", "书面劳动合同签订", "《劳动合同法》第十条、第八十二条"),
    ("wages_on_time", "工资按月足额支付、不低于最低工资标准", "《劳动法》第五十条、《保障农民工工资支付条例》"),
    ("wage_account", "农民工工资专用账户与实名制管理", "《保障农民工工资支付条例》第二十六条、第二十八条"),
    ("overtime_pay", "加班加点工资按标准支付", "《劳动法》第四十四条"),
    ("working_hours", "工时制度合规，特殊工时经审批", "《劳动法》第三十六条、第四十一条"),
    ("social_insurance", "依法参加社会保险并足额缴费", "《社会保险法》第五十八条"),
    ("annual_leave", "带薪年休假落实", "《职工带薪年休假条例》"),
    ("female_workers", "女职工“四期”保护", "《女职工劳动保护特别规定》"),
    ("safety", "劳动安全卫生与职业病防护", "《职业病防治法》第二十条至第二十五条"),
    ("rules", "规章制度经民主程序制定并公示", "《劳动合同法》第四条"),
    ("dispatch", "劳务派遣用工比例不超过10%", "《劳务派遣暂行规定》第四条"),
]


def add_items(apps, schema_editor):
    CheckupItem = apps.get_model("rights", "CheckupItem")
    for order, (code, title, basis) in enumerate(ITEMS, start=1):
        CheckupItem.objects.get_or_create(code=code, defaults={"title": title, "basis": basis, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial")]
    operations = [migrations.RunPython(add_items, migrations.RunPython.noop)]
