"""Simplified Chinese for personal-information rights (PIPL): the privacy notice, the worker's data and
requests, the cadres' review, retention and anonymisation."""

ZH = {
    # the notice and consent
    "Privacy notice": "个人信息保护告知书",
    "Version %(v)s": "版本 %(v)s",
    "The notice has changed since you last accepted it. Please read it again.": "告知书在您上次同意后已更新，请重新阅读。",
    "The trade union processes your personal information to provide its services to you: membership, courses "
    "and activities, claims at work, assistance and micro-wishes.":
        "工会为向您提供入会、课程与活动、维权诉求、帮扶救助和微心愿等服务，处理您的个人信息。",
    "What we keep: your mobile number; when you join, your name, resident ID number, employer and the details "
    "you give; the records of the services you use.":
        "我们保存：您的手机号码；入会时您填写的姓名、身份证号码、工作单位等信息；您使用各项服务的记录。",
    "Who sees it: only the cadres of your union and of the unions above it, each within their duties. Your ID "
    "number and phone are masked in lists; every time someone views or exports them in full, it is recorded.":
        "谁能查看：仅您所在工会及其上级工会的工作人员，在各自职责范围内查看。身份证号码和手机号码在列表中脱敏显示；"
        "每次查看或导出完整信息都会留痕。",
    "Your rights: download everything we hold about you, ask for a correction, withdraw your consent, change "
    "your number, and ask for deletion. Your union answers a request within 15 working days.":
        "您的权利：下载我们保存的您的全部信息、申请更正、撤回同意、更换手机号码、申请删除。工会在15个工作日内答复您的申请。",
    "How long we keep records": "保存期限",
    "%(n)s year after it ended": "结束后保存 %(n)s 年",
    "You accepted this notice on": "您同意本告知书的时间：",
    "I have read and agree": "我已阅读并同意",
    "If you do not agree, you can sign out; nothing more is recorded.": "如不同意，可以退出登录，不再记录任何信息。",
    "Personal information": "个人信息",
    "notice version": "告知书版本",
    "accepted at": "同意时间",
    "withdrawn at": "撤回时间",
    "You have no consent to withdraw.": "您没有可撤回的同意。",
    "Your consent is withdrawn. The union's services need it; you can give it again at any time.":
        "已撤回同意。使用工会服务需要您的同意，您可以随时重新同意。",
    # the worker's pages
    "My data and privacy": "我的信息与隐私",
    "Privacy notice accepted": "已同意个人信息保护告知书",
    "Withdraw my consent": "撤回同意",
    "You have not accepted the current privacy notice.": "您尚未同意当前版本的个人信息保护告知书。",
    "Read the privacy notice": "阅读个人信息保护告知书",
    "Download my data": "下载我的信息",
    "A spreadsheet with everything the platform holds about you.": "一份表格，包含平台保存的您的全部信息。",
    "Correct my data": "更正我的信息",
    "Your union reviews it": "由您所在工会审核",
    "Change my mobile number": "更换手机号码",
    "A code to each number": "新旧号码各收一个验证码",
    "Delete my data": "删除我的信息",
    "What is kept, and why": "哪些信息会保留，为什么",
    "My requests": "我的申请",
    "answer due by": "答复期限",
    "Say what is wrong and what it should be. A cadre of your union checks it and corrects it, within 15 working "
    "days.": "请写明哪里有误、应当是什么。您所在工会的工作人员将在15个工作日内核实并更正。",
    "What should be corrected": "需要更正的内容",
    "what should be corrected": "需要更正的内容",
    "At most %(n)s characters.": "最多 %(n)s 个字。",
    "At most %(n)d characters.": "最多 %(n)d 个字。",
    "Send to my union": "提交给我的工会",
    "Say what is wrong and what it should be.": "请写明哪里有误、应当是什么。",
    "Your request is sent to your union, which answers within 15 working days.": "申请已提交给您所在的工会，工会将在15个工作日内答复。",
    "Your union reviews the request within 15 working days. Then your name, ID number and phone are removed from "
    "your records (they are anonymised), and this account is closed.":
        "您所在工会在15个工作日内审核申请。通过后，您的姓名、身份证号码和手机号码将从各项记录中删除（匿名化处理），本账号随之注销。",
    "Not possible yet:": "暂时无法删除：",
    "Kept by law or while the service lasts:": "依法或在服务存续期间保留：",
    "until": "保留至",
    "then anonymised": "届时匿名化处理",
    "Ask for deletion": "申请删除",
    "We sent a code to your current number and one to the new number.": "已向您的原号码和新号码各发送一个验证码。",
    "Code sent to your current number": "原号码收到的验证码",
    "Code sent to the new number": "新号码收到的验证码",
    "Change the number": "更换号码",
    "New mobile number": "新手机号码",
    "Send the codes": "发送验证码",
    "Your mobile number is changed.": "手机号码已更换。",
    "This is already your number.": "这已经是您的号码。",
    "This number belongs to another account; it cannot be moved to yours.": "该号码已属于另一个账号，不能换绑到您的账号。",
    "A code is wrong or has expired.": "验证码错误或已过期。",
    # refusals of deletion and what is kept
    "Your claim %(code)s is still being handled; it must be closed or withdrawn first.":
        "您的诉求 %(code)s 正在办理中，须办结或撤回后才能删除。",
    "Your assistance from “%(programme)s” is approved but not paid yet; it must be paid or withdrawn first.":
        "您在“%(programme)s”的救助已批准但尚未发放，须发放或撤回后才能删除。",
    "Your application to “%(programme)s” is under review; it must be decided or withdrawn first.":
        "您向“%(programme)s”提出的申请正在审核，须审核完毕或撤回后才能删除。",
    "Your join application is under review; withdraw it first.": "您的入会申请正在审核，请先撤回。",
    "Paid assistance from “%(programme)s” (name, ID number, amount)": "“%(programme)s”已发放的救助（姓名、身份证号码、金额）",
    "Your membership of %(union)s": "您在%(union)s的会籍",
    "kept while you are a member; to leave, ask your union": "会籍存续期间保留；如需退会，请向所在工会申请",
    "Your file on the hardship registry": "您的困难职工档案",
    "kept while your household receives support; ask your union to close it": "在帮扶期间保留；如需退出，请向所在工会申请",
    "You already have a request of this kind waiting for review.": "您已有一项同类申请正在审核。",
    "This request is no longer waiting for review.": "该申请已不在待审核状态。",
    "Give the reason for refusing.": "请填写不予办理的理由。",
    # retention schedule
    "Paid assistance": "已发放的救助",
    "accounting records are kept as the Accounting Archives Measures require": "按《会计档案管理办法》保存会计资料",
    "Assistance not paid (refused or withdrawn)": "未发放的救助申请（不予批准或已撤回）",
    "to answer questions about the decision": "以便答复对审核结果的询问",
    "Ended claims": "已结束的诉求",
    "to answer a follow-up or a new claim on the same facts": "以便回访或处理同一事实的新诉求",
    "Course and activity bookings": "课程和活动报名",
    "attendance records of the course": "课程考勤记录",
    "Micro-wishes": "微心愿",
    "the record of who was helped": "受助记录",
    "Join applications not approved": "未通过的入会申请",
    "Served before joining": "入会前接受的服务",
    "to invite the worker to join, with their consent": "经本人同意，用于邀请入会",
    # the download's sheets and headings
    "Account": "账号",
    "first signed in": "首次登录",
    "last signed in": "最近登录",
    "Privacy notice consents": "告知书同意记录",
    "Membership": "会籍",
    "Join applications": "入会申请",
    "Transfers": "会员转会",
    "first served": "首次服务",
    "times served": "服务次数",
    "Courses and activities": "课程和活动",
    "booked at": "报名时间",
    "Check-ins": "签到记录",
    "session": "课次",
    "Ratings": "评价",
    "Volunteering": "志愿服务",
    "team": "服务队",
    "Book loans": "图书借阅",
    "Claims": "维权诉求",
    "Assistance applications": "救助申请",
    "Hardship registry": "困难职工档案",
    "posted at": "发布时间",
    "Objections": "异议",
    "filed at": "提出时间",
    "Personal-information requests": "个人信息权利申请",
    "request": "申请事项",
    "requested at": "申请时间",
    # requests and the cadres' pages
    "personal-information request": "个人信息权利申请",
    "Correction of my data": "更正个人信息",
    "Deletion of my data": "删除个人信息",
    "Carried out": "已办理",
    "Refused": "不予办理",
    "answer due on": "答复期限",
    "Answer due on": "答复期限",
    "Workers' requests to correct or delete their data. Answer within 15 working days (Personal Information "
    "Protection Law).": "职工更正或删除个人信息的申请，须在15个工作日内答复（《个人信息保护法》）。",
    "Request": "申请事项",
    "%(n)s working day left": "剩余 %(n)s 个工作日",
    "Worker": "职工",
    "Cannot be carried out yet": "暂时无法办理",
    "Kept after deletion": "删除后保留的信息",
    "Correct the data where it lives (the member's page, the claim, the application), then mark the request done.":
        "请在信息所在之处（会员页面、诉求、申请）更正后，再将申请标记为已办理。",
    "Answer to the worker (required when refusing)": "答复职工（不予办理时必填）",
    "Carry out the deletion (anonymise)": "办理删除（匿名化处理）",
    "Mark as corrected": "标记为已更正",
    "Refuse": "不予办理",
    "The request is answered.": "已答复该申请。",
    "See workers' personal-information requests and their deadlines": "查看职工个人信息权利申请及答复期限",
    "Answer a worker's request to correct or delete their data": "答复职工更正或删除个人信息的申请",
    # links added so every console page is reachable (issue 19)
    "Download the roster template (xlsx)": "下载会员名册模板（xlsx）",
    "Message outbox": "短信发送队列",
    "Roster": "会员名册",
    # one person, one page
    "Services used": "享受的服务",
    "%(h)s hours": "%(h)s 小时",
    "Union code": "工会编码",
    "(for the command line and imports)": "（用于命令行和导入）",
    # organizers' paper
    "Sign-in sheet (PDF)": "签到表（PDF）",
    "Participants in full (xlsx)": "参加人员完整名单（xlsx）",
    "The Chinese font for printing is missing (%(path)s); install the Debian package fonts-wqy-microhei or set "
    "GONGHUI_CERT_FONT.": "缺少打印用的中文字体（%(path)s）；请安装 Debian 软件包 fonts-wqy-microhei 或设置 GONGHUI_CERT_FONT。",
    # the station page's navigate buttons
    "Navigate": "导航",
}
