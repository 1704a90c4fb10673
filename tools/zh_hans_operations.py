"""Simplified Chinese of operations: keys checked at the door, backup and restore (gonghui.core)."""

ZH = {
    # keys checked at the door (crypto, keycheck)
    "%(setting)s is empty: at least one key is needed.": "%(setting)s 为空：至少需要一个密钥。",
    "%(setting)s is empty.": "%(setting)s 为空。",
    "%(setting)s is not base64 text.": "%(setting)s 不是 base64 文本。",
    "%(setting)s is %(got)d bytes; the hash key needs at least %(want)d.":
        "%(setting)s 只有 %(got)d 字节；检索哈希密钥至少需要 %(want)d 字节。",
    "%(setting)s: key %(n)d is not base64 text.": "%(setting)s：第 %(n)d 个密钥不是 base64 文本。",
    "%(setting)s: key %(n)d is %(got)d bytes; a field key is %(want)d bytes.":
        "%(setting)s：第 %(n)d 个密钥为 %(got)d 字节；字段加密密钥应为 %(want)d 字节。",
    "gonghui will not run with these keys: %(problems)s": "gonghui 拒绝以当前密钥运行：%(problems)s",
    "%(setting)s does not hold the key this database was written with (fingerprint %(recorded)s; "
    "configured: %(configured)s).":
        "%(setting)s 中没有写入本数据库时使用的密钥（指纹 %(recorded)s；当前配置：%(configured)s）。",
    "%(setting)s is not the key this database was written with (fingerprint %(recorded)s; "
    "configured: %(configured)s).":
        "%(setting)s 不是写入本数据库时使用的密钥（指纹 %(recorded)s；当前配置：%(configured)s）。",
    "Start with the keys this database was written with (see docs/operations.md).":
        "请使用写入本数据库时的密钥启动（见 docs/operations.md）。",
    "%(setting)s cannot decrypt the data already in this database (%(field)s).":
        "%(setting)s 无法解密本数据库中已有的数据（%(field)s）。",
    # backup and restore
    "Backups support SQLite and PostgreSQL, not %(vendor)s.": "备份仅支持 SQLite 和 PostgreSQL，不支持 %(vendor)s。",
    "A backup cannot be taken inside an open transaction.": "不能在未结束的事务中进行备份。",
    "The archive %(name)s is damaged or incomplete (%(detail)s); nothing was restored.":
        "备份文件 %(name)s 已损坏或不完整（%(detail)s），未恢复任何内容。",
    "no manifest: the archive ends early": "没有清单：备份文件提前结束",
    "the manifest is not readable": "清单无法读取",
    "%(name)s is not a gonghui backup of a format this version reads.": "%(name)s 不是本版本可读取的 gonghui 备份。",
    "files missing or changed: %(names)s": "文件缺失或已被改动：%(names)s",
    "The archive names no key fingerprints, so its keys cannot be checked.": "备份清单中没有密钥指纹，无法核对密钥。",
    "Not restored: %(problems)s Set the keys the archive was written with and run restore again; "
    "nothing was written.": "未恢复：%(problems)s 请配置备份时使用的密钥后重新恢复；未写入任何内容。",
    "Not restored: the archive comes from a newer gonghui (%(version)s) with migrations this version does not "
    "know (%(names)s). Install that version or newer, then restore.":
        "未恢复：该备份来自较新的 gonghui（%(version)s），含本版本未知的数据库迁移（%(names)s）。"
        "请先安装该版本或更新版本，再进行恢复。",
    "Not restored: the database is not empty (%(n)d tables). Restore into a new, empty database.":
        "未恢复：数据库不是空的（已有 %(n)d 张表）。请恢复到一个新建的空数据库。",
    "Not restored: the media folder %(path)s already holds files. Restore into an empty folder.":
        "未恢复：上传文件目录 %(path)s 中已有文件。请恢复到空目录。",
    "audit log: %(problem)s": "审计日志：%(problem)s",
    "The restored database did not verify: %(problems)s": "恢复后的数据库未通过校验：%(problems)s",
    "%(program)s was not found: install the PostgreSQL client programs (the version of the server or newer).":
        "找不到 %(program)s：请安装 PostgreSQL 客户端程序（与服务器同版本或更新）。",
    "%(program)s failed: %(error)s": "%(program)s 执行失败：%(error)s",
    "Not restored: the archive holds a %(archived)s database and this instance runs %(engine)s.":
        "未恢复：备份中是 %(archived)s 数据库，而本实例使用 %(engine)s。",
    "There is no archive at %(path)s.": "%(path)s 处没有备份文件。",
    "table %(table)s is missing": "缺少数据表 %(table)s",
    "table %(table)s has %(got)d rows, the manifest says %(expected)d":
        "数据表 %(table)s 有 %(got)d 行，清单记载为 %(expected)d 行",
    "unexpected entry %(name)s": "意外的条目 %(name)s",
    "%(field)s does not decrypt with the configured keys": "%(field)s 无法用当前配置的密钥解密",
    "Keep it with the key fingerprints it names; the keys themselves are not in it.":
        "备份中只记载密钥指纹，不含密钥本身；请另行妥善保管密钥。",
    "Backup written: %(path)s (%(tables)d tables, %(rows)d rows, %(media)d uploaded files, %(mb).1f MB).":
        "备份已写入：%(path)s（%(tables)d 张表，%(rows)d 行，%(media)d 个上传文件，%(mb).1f MB）。",
    "Restored %(tables)d tables (%(rows)d rows) and %(media)d uploaded files; row counts match the manifest.":
        "已恢复 %(tables)d 张表（%(rows)d 行）和 %(media)d 个上传文件；各表行数与清单一致。",
    "Encrypted fields decrypt: %(n)d sampled values read back.": "加密字段可以解密：抽查读回 %(n)d 个值。",
    "This version has %(n)d migrations the archive predates: run `gonghui migrate`.":
        "本版本有 %(n)d 个数据库迁移晚于该备份：请运行 `gonghui migrate`。",
}
