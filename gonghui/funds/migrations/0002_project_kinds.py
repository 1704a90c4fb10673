"""The project types the seven steps serve; data, so a federation can add its own."""

from django.db import migrations

FOUR_HAVES = ["有固定场所", "有必要设施", "有经常性活动", "有规章制度"]
STATION = ["休息如厕", "饮水纳凉", "热饭加餐", "避寒避雨", "手机充电", "阅读学习"]
BOOKROOM = ["藏书不少于1500册", "有固定阅览场所", "有借阅管理制度", "有专（兼）职管理员"]

KINDS = [
    ("workers_home_new", "职工之家建设", "workers_home", False, FOUR_HAVES, "100000.00"),
    ("workers_home_upgrade", "职工之家提档升级", "workers_home", True, FOUR_HAVES, "50000.00"),
    ("station_new", "工会驿站建设", "rest_station", False, STATION, "30000.00"),
    ("station_upgrade", "工会驿站提升", "rest_station", True, STATION, "15000.00"),
    ("bookroom_new", "职工书屋建设", "bookroom", False, BOOKROOM, "20000.00"),
    ("bookroom_upgrade", "职工书屋提升", "bookroom", True, BOOKROOM, "10000.00"),
]


def add_kinds(apps, schema_editor):
    ProjectKind = apps.get_model("funds", "ProjectKind")
    for code, name, position_kind, upgrade, standard, cap in KINDS:
        ProjectKind.objects.update_or_create(code=code, defaults={
            "name": name, "position_kind": position_kind, "upgrade": upgrade, "standard": standard,
            "max_subsidy": cap})


def remove_kinds(apps, schema_editor):
    apps.get_model("funds", "ProjectKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, remove_kinds)]
