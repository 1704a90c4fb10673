"""The project types shipped with gonghui (also seeded by migration 0002, which keeps its own frozen copy).

``ensure_project_kinds`` puts them back where a database was flushed (tests with real
transactions empty every table, data migrations' rows included) before the demo loads.
"""

from .models import ProjectKind

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


def ensure_project_kinds() -> None:
    for code, name, position_kind, upgrade, standard, cap in KINDS:
        ProjectKind.objects.get_or_create(code=code, defaults={
            "name": name, "position_kind": position_kind, "upgrade": upgrade, "standard": standard,
            "max_subsidy": cap})
