"""Simplified Chinese for messaging: the outbox, the worker's inbox (消息), the outbox page for staff."""

ZH = {
    # models
    "Messaging": "消息发送",
    "Queued": "待发送",
    "Sending": "发送中",
    "Sent": "已发送",
    "Failed, will retry": "发送失败，将重试",
    "Parked": "已搁置",
    "kind": "类别",
    "text": "内容",
    "template parameters": "模板参数",
    "state": "状态",
    "provider's answer": "短信平台回复",
    # services
    "The message's %(name)s has %(count)d characters; text messages allow at most %(limit)d.":
        "消息中的“%(name)s”有 %(count)d 个字，短信模板参数最多 %(limit)d 个字。",
    "Not a mainland mobile number.": "不是有效的大陆手机号码。",
    "Only a parked message can be queued again.": "只有已搁置的消息才能重新发送。",
    # the worker command
    "Send queued messages and run the periodic jobs (the task queue's worker).":
        "发送待发消息并运行定时任务（任务队列的工作进程）。",
    "only queue the sweeps and periodic jobs (with Celery workers doing the work)":
        "只排定巡检和定时任务（由 Celery 工作进程执行）",
    "only run queued tasks": "只执行已排队的任务",
    "seconds between sweeps of the outbox": "两次巡检发件箱之间的秒数",
    "seconds between looks at the queue": "两次查看队列之间的秒数",
    "run what is queued, then stop": "执行完已排队的任务后停止",
    # the worker's inbox
    "inbox|Messages": "我的消息",
    "%(n)s unread message": "%(n)s 条未读消息",
    "inbox|Mark all read": "全部标为已读",
    "inbox|Unread": "未读",
    "inbox|Mark read": "标为已读",
    "inbox|No messages yet. What the union sends you by text message also appears here.":
        "还没有消息。工会发给您的短信也会显示在这里。",
    "inbox|You receive no notices sent to groups, only messages about your own affairs and essential notices.":
        "您已不接收群发通知，只接收与您本人事项有关的消息和重要通知。",
    "inbox|You receive the union's notices to groups you belong to.": "您会收到工会发给您所在群体的通知。",
    "inbox|Receive notices again": "重新接收通知",
    "inbox|No more notices to groups": "不再接收群发通知",
    # notices
    "Members of the union and the unions below it": "本级及下级工会会员",
    "Participants of an activity or course": "活动或课程的参加者",
    "Waiting list of an activity or course": "活动或课程的候补名单",
    "Hardship households of the union and the unions below it": "本级及下级工会的困难职工家庭",
    "Volunteers of a team": "志愿服务队队员",
    "Staff of employers without a union (employer ledger)": "未建会单位职工（建会台账）",
    "Choose a volunteer team of your union or the unions below it.": "请选择本级或下级工会的志愿服务队。",
    "Waiting for review": "待审核",
    "title": "名称",
    "recipients": "接收对象",
    "essential (sent also to those who opted out)": "重要通知（退订者也会收到）",
    "Choose an activity of your union or the unions below it.": "请选择本级或下级工会的活动。",
    "Write the notice's title and text.": "请填写通知的标题和内容。",
    "The notice's text has %(count)d characters; at most 500.": "通知内容有 %(count)d 个字，最多 500 个字。",
    "Nobody would receive this notice: the group has no valid mobile number.": "没有人会收到这条通知：该群体中没有有效的手机号码。",
    "Another person reviews a notice you wrote.": "您写的通知须由他人审核。",
    "This notice is not waiting for review.": "这条通知不在待审核状态。",
    "Write and send a notice to a group of workers": "撰写并发送群发通知",
    "Approve a large notice before it is sent": "审核批准人数较多的群发通知",
    # the notices page
    "notices|Notices": "群发通知",
    "notices|Recipients": "接收对象",
    "notices|Activity no.": "活动编号",
    "notices|Volunteer team no.": "志愿服务队编号",
    "notices|Title (at most 35 characters)": "标题（最多 35 个字）",
    "notices|Text (at most 500 characters)": "内容（最多 500 个字）",
    "notices|Essential: also to those who asked for no notices": "重要通知：已退订的职工也会收到",
    "%(n)s recipients (%(invalid)s invalid numbers and %(out)s opted out skipped); cost about %(cost)s yuan.":
        "接收人 %(n)s 名（已跳过无效号码 %(invalid)s 个、已退订 %(out)s 名）；费用约 %(cost)s 元。",
    "notices|A reviewer approves it before it is sent.": "发送前须经审核人批准。",
    "notices|Count recipients and cost": "统计接收人数和费用",
    "notices|Send": "发送",
    "notices|Written": "撰写时间",
    "notices|Title": "标题",
    "notices|Delivery": "发送情况",
    "notices|Approve and send": "批准并发送",
    "notices|No notices yet.": "还没有通知。",
    "notices|News and announcements on members' worker pages": "工会动态与公告（会员在手机服务页面可见）",
    "notices|Kind": "类别",
    "notices|Public: also for the members of the unions below": "公开：下级工会会员也可见",
    "notices|Title (at most 60 characters)": "标题（最多 60 个字）",
    "notices|Text (at most 2,000 characters)": "内容（最多 2000 个字）",
    "notices|Publish": "发布",
    "notices|Published": "发布时间",
    "notices|Who sees it": "可见范围",
    "notices|Members of this union and the unions below": "本级及下级工会会员",
    "notices|Members of this union": "本工会会员",
    "notices|Nothing published yet.": "还没有发布内容。",
    "inbox|Union news and announcements": "工会动态与公告",
    "Union news": "工会动态",
    "Notices and news": "通知与动态",
    "Announcement": "公告",
    "public: also for the members of the unions below": "公开：下级工会会员也可见",
    "Write the title and the text.": "请填写标题和内容。",
    "%(count)d characters; at most %(limit)d.": "共 %(count)d 个字，最多 %(limit)d 个字。",
    "Publish union news and announcements on members' worker pages": "在会员手机服务页面发布工会动态与公告",
    # reminders
    "Reminder: “%(title)s” meets tomorrow at %(at)s, %(venue)s.": "提醒：“%(title)s”明天 %(at)s 在%(venue)s上课。",
    "Reminder: “%(title)s” starts at %(at)s, %(venue)s.": "提醒：“%(title)s”将于 %(at)s 在%(venue)s开始。",
    "Your seat offer for “%(title)s” lapses at %(at)s: confirm it on the worker page.":
        "您在“%(title)s”的递补名额将于 %(at)s 失效，请在职工服务页面确认。",
    "Queue the reminders due now: course sessions tomorrow or within the hour, seat offers about to lapse, "
    "rights case stages due today or tomorrow.":
        "发出当前到期的提醒：明天或一小时内开课的课程、即将失效的递补名额、今明两天到期的维权案件环节。",
    "%(sessions)d session reminder(s), %(offers)d offer reminder(s), %(stages)d case stage reminder(s).":
        "课程提醒 %(sessions)d 条，递补提醒 %(offers)d 条，案件环节提醒 %(stages)d 条。",
    "Rights case %(code)s (%(stage)s) is due on %(date)s.": "维权案件 %(code)s（%(stage)s）办理期限为 %(date)s，请及时处理。",
    # the outbox page
    "messaging|Outbox": "消息发件箱",
    "messaging|Every message to a worker goes out from here, sent by the worker process. Parked messages were "
    "given up: the provider refused them, they failed too often, or their sender stopped mid-send; check the "
    "reason, then queue them again.":
        "发给职工的每条消息都从这里由后台工作进程发出。“已搁置”的消息已停止发送：短信平台拒绝、多次失败，或发送中途进程中断；"
        "请核对原因后重新发送。",
    "messaging|All": "全部",
    "messaging|Queued": "排队时间",
    "messaging|Kind": "类型",
    "messaging|To": "收信人",
    "messaging|State": "状态",
    "messaging|Attempts": "尝试次数",
    "messaging|Provider's answer": "短信平台回复",
    "messaging|urgent": "紧急",
    "messaging|Queue again": "重新发送",
    "messaging|Nothing here.": "暂无消息。",
}
