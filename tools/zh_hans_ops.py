"""Simplified Chinese for operating the platform: the demo's output, the command line, the
holiday-calendar notice. Keys "context|msgid" translate pgettext messages."""

ZH = {
    # the demo
    "Activities: %(courses)d courses of %(term)s, %(past)d of %(before)s with %(ratings)d ratings, "
    "%(specials)d other activities, %(teams)d volunteer teams with %(hours)s hours":
        "活动：%(term)s课程 %(courses)d 门，%(before)s课程 %(past)d 门（学员评价 %(ratings)d 条），"
        "其他活动 %(specials)d 项，志愿服务队 %(teams)d 支（服务 %(hours)s 小时）",
    "Assistance: %(figures)s (%(seconds).1f s)": "帮扶：%(figures)s（用时 %(seconds).1f 秒）",
    "; ": "；",
    "hardship files": "困难职工档案", "programmes": "帮扶项目", "medical aid paid (yuan)": "医疗互助已支付（元）",
    "micro-wishes": "微心愿",
    "Funds: plan, budgets and %(count)d township allocations": "经费：年度计划、预算及 %(count)d 个乡镇（街道）的拨付",
    "Funds: ten construction projects across the seven steps, one award cycle, chair reviews, field work":
        "经费：十个建设项目（分布在七个步骤）、一轮以奖代补评选、工会主席述职评议、实地走访",
    "Members: %(count)d": "会员：%(count)d 名",
    "Service positions: %(count)d positions, %(visits)d visits": "服务阵地：%(count)d 个，服务 %(visits)d 人次",
    "Registration: the font %(path)s is missing (Debian package fonts-wqy-microhei); certificates are skipped.":
        "法人登记：缺少字体 %(path)s（Debian 软件包 fonts-wqy-microhei），本次不生成证书。",
    "Registration: %(total)d unions in the register, %(count)d signed certificates, %(applications)d applications.":
        "法人登记：登记簿中 %(total)d 个工会，已签发证书 %(count)d 份，申请 %(applications)d 件。",
    "  verify a certificate: %(url)s": "  查验证书：%(url)s",
    "Rights: demo cases already loaded.": "维权：演示案件已载入。",
    "Rights: %(count)d cases, %(recovered)s yuan recovered; outside mediators %(mediators)s (demo password); "
    "worker phone %(phone)s (%(seconds).1f s)":
        "维权：案件 %(count)d 件，追回 %(recovered)s 元；外部调解员 %(mediators)s（演示密码）；"
        "职工手机 %(phone)s（用时 %(seconds).1f 秒）",
    "Demo county ready. Console logins (password for all: %(password)s):":
        "演示县已就绪。管理端登录账号（密码均为 %(password)s）：",
    "Worker pages: %(url)s  (sign-in codes appear in this terminal)": "职工端：%(url)s（登录验证码显示在本终端）",
    "Console: %(url)s": "管理端：%(url)s",
    "gonghui demo refuses to run with production settings (set GONGHUI_ALLOW_DEMO=1 for a throw-away staging "
    "instance).": "gonghui demo 不在生产配置下运行（仅在一次性的预发布实例上可设置 GONGHUI_ALLOW_DEMO=1）。",
    "gonghui demo refuses to load demo accounts into the database named by DATABASE_URL (%(vendor)s): the demo's "
    "logins share a published password. Unset DATABASE_URL to use the demo's own SQLite file, or set "
    "GONGHUI_ALLOW_DEMO=1 for a throw-away database.":
        "gonghui demo 不会把演示账号载入 DATABASE_URL 指定的数据库（%(vendor)s）：演示账号使用公开的密码。"
        "请取消 DATABASE_URL 以使用演示自带的 SQLite 文件；若是一次性数据库，可设置 GONGHUI_ALLOW_DEMO=1。",
    "Create or migrate the database, load the demo county (safe to repeat), print logins and serve.":
        "创建或迁移数据库，载入演示县（可重复运行），打印登录账号并启动服务。",
    "load the data and stop": "只载入数据，不启动服务",
    "--port must be between 1 and 65535.": "--port 须在 1 到 65535 之间。",
    # the holiday calendar
    "No holiday schedule for %(year)s: working days counted Monday to Friday (upgrade chinesecalendar).":
        "没有 %(year)s 年的节假日安排：工作日按周一至周五计算（请升级 chinesecalendar）。",
    "Holiday schedule": "节假日安排",
    "The holiday schedule for %(years)s is not installed yet: working-day deadlines in %(years)s are counted "
    "Monday to Friday.": "尚未安装 %(years)s 年的节假日安排：%(years)s 年的工作日时限暂按周一至周五计算。",
    "Ask the operator to upgrade the chinesecalendar package once the State Council has published the schedule "
    "(docs/deployment.md).": "请运维人员在国务院公布放假安排后升级 chinesecalendar 软件包（见 docs/deployment.md）。",
}
