"""Simplified Chinese for the worker's hub ("我的"), joining without a poster (找工会、兜底入会、
行业工会), serve first join later (先服务后入会) and volunteers on the phone."""

ZH = {
    # "我的"
    "Membership and card": "会籍与会员卡",
    "Member of %(union)s": "%(union)s 会员",
    "Application under review, due by %(date)s": "入会申请审核中，%(date)s 前答复",
    "Not a member yet: find your union": "还不是会员：找到您的工会",
    "%(n)d seat": "%(n)d 个座位",
    "%(n)d offer to confirm": "%(n)d 个候补名额待确认",
    "%(n)d waiting place": "候补 %(n)d 个",
    "checked in at %(n)d": "已签到 %(n)d 次活动",
    "My courses and activities": "我的课程与活动",
    "None yet: see the courses": "暂无：看看有哪些课程",
    "My claims": "我的维权",
    "%(n)d open": "%(n)d 件办理中",
    "latest: %(stage)s": "最近一件：%(stage)s",
    "None: report a problem at work": "暂无：遇到劳动纠纷可在此反映",
    "aid: %(status)s": "帮扶：%(status)s",
    "%(n)d micro-wish": "%(n)d 个微心愿",
    "My aid and micro-wishes": "我的帮扶与微心愿",
    "No application": "暂无申请",
    "My book loans": "我的借阅",
    "%(n)d book out": "在借 %(n)d 本",
    "%(n)d overdue": "%(n)d 本已逾期",
    "No book out": "暂无在借图书",
    "My volunteering": "我的志愿服务",
    "%(teams)s · %(hours)s hours": "%(teams)s · 累计 %(hours)s 小时",
    "Not in a team: join one": "尚未加入服务队：去加入",
    "My messages": "我的消息",
    "%(n)d unread": "%(n)d 条未读",
    "No unread message": "没有未读消息",
    "My data and privacy": "我的信息与隐私",
    "Download, correct or delete your data": "下载、更正或删除您的个人信息",
    "You are not a member yet.": "您还不是工会会员。",
    "How to join the union": "如何加入工会",
    "Scan the QR code of your union: at your workplace, a worker's home or a rest station.":
        "扫描您所在工会的入会二维码：在单位、职工之家或户外劳动者服务站都能找到。",
    "No QR code? Find your union by your employer's name or credit code, or your area.":
        "没有二维码？按单位名称、统一社会信用代码或所在地区找到您的工会。",
    "No union at your employer? Join your township's or community's union, or the union of your trade "
    "(riders, couriers, drivers, domestic workers).":
        "单位还没有工会？可以加入所在乡镇（街道）、社区的工会（兜底入会），或加入行业工会（骑手、快递员、司机、家政服务员）。",
    "Find my union": "找到我的工会",
    "No QR code? Find my union": "没有二维码？查找我的工会",
    "Sign out": "退出登录",
    # find my union
    "Employer, credit code or union": "单位名称、统一社会信用代码或工会名称",
    "place|Area": "所在地区",
    "Any area": "全部地区",
    "No QR code at hand? Search by your employer's name or unified social credit code, or choose your area.":
        "手边没有入会二维码？输入单位名称或统一社会信用代码，或选择所在地区查找。",
    "You are already a member of %(union)s.": "您已是%(union)s的会员。",
    "Unions that take applications online": "可在线申请入会的工会",
    "The union of %(employer)s": "%(employer)s的工会",
    "Apply to join": "申请入会",
    "No union found that takes applications online. Check the name, or join the catch-all union of your "
    "township or an industry federation below.":
        "没有找到可在线入会的工会。请核对名称，或在下方加入所在乡镇（街道）的工会或行业工会。",
    "Your employer has no union yet": "您的单位还没有建立工会",
    "%(names)s has no union of its own yet.": "%(names)s 还没有建立工会。",
    "You can join the union of your township or community (catch-all joining, 兜底入会); when your employer "
    "sets up its union, your membership moves there.":
        "您可以先加入所在乡镇（街道）或社区的工会（兜底入会）；单位建会后，会籍可转入单位工会。",
    "No union of this area takes applications online yet; call the union hotline 12351.":
        "该地区的工会暂未开通在线入会，请拨打职工服务热线 12351。",
    "Riders, couriers, drivers, domestic workers": "骑手、快递员、网约车司机、家政服务员",
    "Working through a platform or without a fixed employer? Join the union of your trade.":
        "通过平台接单或没有固定单位？可以加入所在行业的工会。",
    "Type at least %(n)d characters of the name.": "请至少输入 %(n)d 个字。",
    "Type at most %(n)d characters.": "最多输入 %(n)d 个字。",
    "Choose the area from the list.": "请从列表中选择地区。",
    "Too many searches from this network; try again later.": "当前网络查询次数过多，请稍后再试。",
    "This union does not take applications online; ask it for its QR code.":
        "该工会未开通在线入会，请向工会索取入会二维码。",
    # serve first, join later
    "Join %(union)s?": "加入%(union)s？",
    "Members get the union's help first: rights, aid, courses and a member card. Serve first, join later: "
    "you can ask to be invited now.":
        "会员优先享受工会的维权、帮扶、培训和会员卡服务。先服务后入会：您可以现在请工会邀请您入会。",
    "Invite me": "邀请我入会",
    "Or apply to join now": "或者现在就申请入会",
    "Invite me to join the union: I agree that the union keeps my phone number for this.":
        "邀请我入会：我同意工会为此保存我的手机号码。",
    "This offer is no longer valid.": "该邀请已失效。",
    "Tick the box to agree, or just close this page.": "请勾选同意；如不需要，直接关闭本页即可。",
    "You are already a member.": "您已是工会会员。",
    "Thank you. %(union)s will invite you to join.": "谢谢！%(union)s会邀请您入会。",
    "Claim %(code)s": "维权申请 %(code)s",
    # volunteers
    "Volunteer teams are for union members; join the union first.": "志愿服务队面向工会会员，请先入会。",
    "You are already in this team.": "您已在该服务队中。",
    "Welcome to %(team)s. The team leader will be in touch.": "欢迎加入%(team)s，队长会与您联系。",
    "%(hours)s hours in %(times)s services": "累计服务 %(hours)s 小时，参与 %(times)s 次",
    "%(n)s commendation": "受表彰 %(n)s 次",
    "in the team since %(date)s": "%(date)s 入队",
    "You are not in a volunteer team yet.": "您还没有加入志愿服务队。",
    "Teams you can join": "可加入的服务队",
    "Join this team": "加入该服务队",
    "Volunteer activities": "志愿服务活动",
    "No volunteer activity open for sign-up now.": "目前没有可报名的志愿服务活动。",
    "My hours": "我的服务时长",
    "%(hours)s hours": "%(hours)s 小时",
    "Commendations": "表彰",
    # book loans
    "Worker's bookrooms lend books to union members.": "职工书屋向工会会员免费借阅图书。",
    "Returned": "已归还",
    "Overdue since": "已逾期，应还日期",
    "Due": "应还日期",
    "No loans yet. The bookrooms of worker's homes lend books for free.": "暂无借阅记录。职工之家的职工书屋可免费借书。",
    "Find a bookroom": "找职工书屋",
    "Book a confidential session with a counsellor": "预约一对一心理咨询，内容只有咨询师知道",
}
