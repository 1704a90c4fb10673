"""Simplified Chinese for the append-only logs (core.log, core.checkpoints): the audit log and the
aid and funds ledgers, their checkpoints and the commands audit-checkpoint and audit-verify."""

ZH = {
    "%(log)s: checkpoint %(size)d covers %(size)d rows but the log has only %(rows)d up to it (rows removed: "
    "truncated or deleted)":
        "%(log)s：校验点 %(size)d 覆盖 %(size)d 条记录，但日志在其范围内只有 %(rows)d 条（记录被删除或清空）",
    "%(log)s: checkpoint %(size)d covers %(size)d rows but the log has %(rows)d up to it (rows inserted into the "
    "signed past)":
        "%(log)s：校验点 %(size)d 覆盖 %(size)d 条记录，但日志在其范围内有 %(rows)d 条（已签名的历史中被插入了记录）",
    "%(log)s: rows up to %(size)d do not give the root signed in checkpoint %(size)d (rows changed and their "
    "hashes recomputed)":
        "%(log)s：前 %(size)d 条记录算出的根与校验点 %(size)d 签名的根不符（记录被改动并重算了哈希）",
    "%(log)s: exported copy: %(problem)s": "%(log)s：外部留存副本：%(problem)s",
    "%(log)s: checkpoint %(size)d, signed %(at)s, is in the exported copies but not in the database (checkpoints "
    "removed or replaced)":
        "%(log)s：%(at)s 签名的校验点 %(size)d 在外部留存副本中，但不在数据库中（校验点被删除或替换）",
    "The log %(log)s is empty but checkpoint %(size)d covers %(size)d rows. Run gonghui audit-verify.":
        "日志 %(log)s 为空，但校验点 %(size)d 覆盖 %(size)d 条记录。请运行 gonghui audit-verify。",
    "The log %(log)s no longer matches checkpoint %(size)d: rows up to it were changed, removed or added. Run "
    "gonghui audit-verify.":
        "日志 %(log)s 与校验点 %(size)d 不再一致：其范围内的记录被改动、删除或增加。请运行 gonghui audit-verify。",
    "Sign a checkpoint (Merkle root) over the rows of the audit log and of the money ledgers written since the "
    "last one, and print each as one line to keep elsewhere (a second system, the monthly work report).":
        "为审计日志和资金台账自上次以来写入的记录签署校验点（默克尔根），每个日志打印一行，"
        "供在别处留存（另一系统、月度工作报告）。",
    "seconds to wait for writers still running before leaving their rows to the next run":
        "等待仍在写入的事务的秒数，超时则将其记录留到下一次",
    "%(log)s: no new rows since the last checkpoint.": "%(log)s：上次校验点以来没有新记录。",
    "Recompute the hash of every row of the audit log and of the money ledgers, check them against the latest "
    "signed checkpoint (and each checkpoint against the previous one), and report the rows not yet in a "
    "checkpoint.":
        "重新计算审计日志和资金台账每条记录的哈希，与最新的签名校验点核对（并逐一核对各校验点与前一个），"
        "报告尚未纳入校验点的记录数。",
    "verify this log only (core.audit, aid.disbursements, funds.ledger)":
        "只核验此日志（core.audit、aid.disbursements、funds.ledger）",
    "%(log)s intact: %(rows)d rows verified.": "%(log)s 完好：已核验 %(rows)d 条记录。",
    "Verification failed: %(labels)s.": "核验未通过：%(labels)s。",
    "%(log)s: rows 1–%(upto)d match the checkpoint of %(at)s; %(pending)d rows written since are not yet in a "
    "checkpoint.":
        "%(log)s：第 1–%(upto)d 条与 %(at)s 的校验点一致；此后写入的 %(pending)d 条尚未纳入校验点。",
    "%(log)s: no signed checkpoint yet: %(pending)d rows are pending (schedule gonghui audit-checkpoint).":
        "%(log)s：尚无签名校验点，%(pending)d 条记录待纳入（请定时运行 gonghui audit-checkpoint）。",
}
