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
    "Administrator of the county federation (whole county).": "县总工会管理员（全县）。",
    "Administrator of %(node)s (one street).": "%(node)s管理员（一个街道）。",
    "Sees unmasked personal data, so an authenticator app is required: open this single-use link once to set it "
    "up: %(url)s": "可查看未脱敏的个人信息，须使用身份验证器：请先打开此一次性链接完成绑定：%(url)s",
    "To look around without an authenticator app, sign in as %(names)s.": "不用身份验证器也可登录浏览的账号：%(names)s。",
    "--port must be between 1 and 65535.": "--port 须在 1 到 65535 之间。",
    # the holiday calendar
    "No holiday schedule for %(year)s: working days counted Monday to Friday (upgrade chinesecalendar).":
        "没有 %(year)s 年的节假日安排：工作日按周一至周五计算（请升级 chinesecalendar）。",
    "Holiday schedule": "节假日安排",
    "The holiday schedule for %(years)s is not installed yet: working-day deadlines in %(years)s are counted "
    "Monday to Friday.": "尚未安装 %(years)s 年的节假日安排：%(years)s 年的工作日时限暂按周一至周五计算。",
    "Ask the operator to upgrade the chinesecalendar package once the State Council has published the schedule "
    "(docs/deployment.md).": "请运维人员在国务院公布放假安排后升级 chinesecalendar 软件包（见 docs/deployment.md）。",
    # the audit log
    "Audit log": "审计日志", "audit|History": "操作记录", "audit|Time": "时间", "audit|Who": "操作人",
    "audit|Action": "操作", "audit|Object type": "对象类型", "audit|Object id": "对象编号", "audit|Object": "对象",
    "audit|Union": "所属工会", "audit|Channel": "渠道", "audit|Address": "来源地址", "audit|No.": "序号",
    "audit|Union code": "工会编码", "audit|From": "起始日期", "audit|To": "截止日期", "audit|Any object": "全部对象",
    "audit|Filter": "筛选", "audit|Export (xlsx)": "导出（xlsx）", "audit|Nothing found.": "没有符合条件的记录。",
    "audit|Intact": "完整", "audit|Verification failed": "校验未通过", "audit|Action, e.g. members.": "操作，如 members.",
    "audit|Nothing recorded yet.": "暂无记录。", "audit|Older records in the audit log": "更早的记录见审计日志",
    "audit|In the audit log": "在审计日志中查看",
    "%(n)s record": "%(n)s 条记录",
    "Records 1–%(upto)s match the checkpoint signed %(at)s; %(pending)s written since are each sealed by a keyed "
    "hash and wait for the next checkpoint.":
        "第 1–%(upto)s 条记录与 %(at)s 签署的校验点一致；此后写入的 %(pending)s 条已逐条以密钥哈希封记，等待下一个校验点。",
    "%(rows)s records verified by their keyed hashes; no signed checkpoint yet.":
        "已按密钥哈希校验 %(rows)s 条记录；尚无签名校验点。",
    "The log does not match its row hashes or its signed checkpoints. Tell the security officer; the operator "
    "runs gonghui audit-verify.": "日志与其逐条哈希或签名校验点不符。请报告安全负责人；运维人员运行 gonghui audit-verify。",
    "channel|console": "管理端", "channel|worker pages": "职工端", "channel|API": "接口", "channel|command line": "命令行",
    "Enter a date as YYYY-MM-DD.": "请按 YYYY-MM-DD 格式填写日期。", "An object id is a whole number.": "对象编号须为整数。",
    "The end of the period is before its start.": "截止日期早于起始日期。",
    # signed checkpoints
    "rows %(first)d–%(last)d are missing": "第 %(first)d–%(last)d 条记录缺失",
    "The audit log has gaps (%(gaps)s): run gonghui audit-verify.": "审计日志有缺失（%(gaps)s）：请运行 gonghui audit-verify。",
    "The audit log no longer matches checkpoint %(size)d: rows up to it were changed. Run gonghui audit-verify.":
        "审计日志与第 %(size)d 条处的校验点不再一致：此前的记录被改动过。请运行 gonghui audit-verify。",
    "checkpoint %(size)d: signed with an unknown key %(key)s": "校验点 %(size)d：签名密钥未知（%(key)s）",
    "checkpoint %(size)d: the signature does not match (the checkpoint was forged or changed)":
        "校验点 %(size)d：签名不符（校验点被伪造或改动）",
    "checkpoint %(size)d covers %(size)d rows but the log has only %(rows)d (rows removed: truncated or deleted)":
        "校验点 %(size)d 覆盖 %(size)d 条记录，但日志只有 %(rows)d 条（记录被清空或删除）",
    "rows up to %(size)d do not give the root signed in checkpoint %(size)d (rows changed and the chain recomputed)":
        "前 %(size)d 条记录算出的根哈希与校验点 %(size)d 的签名不符（记录被改动且哈希链被重算）",
    "exported copy: %(problem)s": "外部副本：%(problem)s",
    "checkpoint %(size)d, signed %(at)s, is in the exported copies but not in the database (checkpoints removed or "
    "replaced)": "%(at)s 签署的校验点 %(size)d 在外部副本中，却不在数据库中（校验点被删除或替换）",
    "Sign a checkpoint (Merkle root) over the audit log's rows written since the last one, and print it as one line "
    "to keep elsewhere (a second system, the monthly work report).":
        "为上次以来写入的审计日志记录签署校验点（默克尔根），并打印成一行，交由别处保存（另一系统、月度工作报告）。",
    "print the signing key's public half (for whoever keeps the copies) and stop": "打印签名密钥的公钥（交给保存副本的人）后退出",
    "No new rows since the last checkpoint.": "上次校验点以来没有新记录。",
    "Recompute the audit log's hash chain, check every row against the latest signed checkpoint (and each checkpoint "
    "against the previous one), and verify the money ledgers.":
        "重算审计日志的哈希链，用最新的签名校验点核对每条记录（并逐一核对前后校验点），并校验资金台账。",
    "checkpoint lines kept elsewhere (printed by audit-checkpoint) to compare with": "在别处保存的校验点行（由 audit-checkpoint 打印），用于比对",
    "Audit log checkpoints do not match: %(n)d problem(s).": "审计日志校验点不符：%(n)d 处问题。",
    "Signed checkpoints: rows 1–%(upto)d match checkpoint of %(at)s; %(pending)d rows written since are not yet in a "
    "checkpoint.": "签名校验点：第 1–%(upto)d 条与 %(at)s 的校验点一致；此后写入的 %(pending)d 条尚未纳入校验点。",
    "No signed checkpoint yet: %(pending)d rows are covered by the hash chain only (schedule gonghui audit-checkpoint).":
        "尚无签名校验点：%(pending)d 条记录仅受哈希链保护（请定时运行 gonghui audit-checkpoint）。",
    "audit checkpoint": "审计校验点", "audit checkpoints": "审计校验点",
}
