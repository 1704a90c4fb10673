"""English words that mean different things in different places: one entry per context.

Each use of these msgids in the code carries its context (``pgettext``, ``{% translate … context … %}``);
tests/test_i18n.py fails when one of them is used without a context. The plain msgid would get one
Chinese word for all places (出版年份 for every "Year"), which is how the wrong terms reached pages.
"""

ZH = {
    # "Year": of a plan, budget, programme or review round (年度), or a book's publication year.
    "period|Year": "年度",
    "book|Year": "出版年份",
    # "Title": of a call, review round or construction project; of a book (activities: "activity|Title").
    "item|Title": "名称",
    "book|Title": "书名",
    # a model worker's honour (全国劳动模范, 浙江工匠)
    "honour|Title": "荣誉称号",
    # "Terms": school terms of the worker school; the terms of a mediation agreement.
    "school term|Terms": "学期",
    "agreement|Terms": "协议内容",
    # "Move": a union to another parent in the tree; a worker's place on an activity's waiting list.
    "union tree|Move": "调整隶属",
    "waiting list|Move": "调整顺位",
    # "Household": a member's household registration (户籍); a hardship family's members.
    "registration|Household": "户籍类型",
    "family|Household": "家庭成员",
    # "Comment": a comment in a rights case's history; an assessment's comment (activities: "rating|Comment").
    "case|Comment": "办理意见",
    "assessment|Comment": "考评意见",
    # "Issued": the day a certificate was issued; the day a sign-up link was made.
    "certificate|Issued": "发证日期",
    "link|Issued": "生成于",
    # "Name": of a person; of a union, employer, position, plan, kind, token …
    "person|Name": "姓名",
    "thing|Name": "名称",
    # the field "name" of a person (a member, a staff member, a model worker, a hardship file …); the
    # plain "name" stays 名称 (a union, an employer, a position, a plan …)
    "person|name": "姓名",
    # "Education": a member's schooling; an employer's sector.
    "schooling|Education": "文化程度",
    "sector|Education": "教育",
    # "Finance": an employer's sector; a cadre's role.
    "sector|Finance": "金融业",
    "role|Finance": "财务",
    # "payments": the list of payment records; the measure word of a count of payments.
    "records|payments": "付款记录",
    # Field names whose special meaning (a book's, a hardship file's, a loan's, opening hours')
    # carries a context; the plain word is the common one.
    "title": "名称",                 # of an activity, a project, a case, a call ("book|title": 书名)
    "year": "年度",                  # ("book|year": 出版年份)
    "withdrawn": "已撤回",           # ("book copy|withdrawn": 已剔旧)
    "left on": "离队日期",           # a volunteer leaving the team ("hardship|left on": 退档日期)
    "registered on": "登记日期",     # legal-person registration ("hardship|registered on": 建档日期)
    "closed": "已结束",              # a review round, a programme ("opening hours|closed": 不开放)
    "measure word|payments": "笔",
    # "Created": when a thing (a token) was made; a union's founding in the tree's history.
    "Created": "创建时间",
    # "Notes": remarks on a form (备注); the explanation beside each of the "four haves" of a position.
    "Notes": "备注",
    # "Register": the button that records a claim; the legal-person registration an application led to.
    # ("registration record|Register": 法人登记, in zh_hans_registration.py)
}
