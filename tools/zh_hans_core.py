"""Simplified Chinese of the shared core helpers (uploads, rate limits)."""

ZH = {
    "The picture is too large (too many pixels).": "图片尺寸过大（像素太多）。",
    "The file is damaged or not really a picture.": "文件已损坏，或并不是图片。",
    "The file is empty.": "文件是空的。",
    "The file is larger than %(mb)s MB.": "文件超过 %(mb)s MB。",
    "pictures (JPEG, PNG, WebP, GIF)": "图片（JPEG、PNG、WebP、GIF）",
    "PDF documents": "PDF 文件",
    " or ": "或",
    "Only %(kinds)s can be uploaded here.": "此处只能上传%(kinds)s。",
    "The PDF document is incomplete or damaged.": "PDF 文件不完整或已损坏。",
    "The service is busy; please try again shortly.": "系统繁忙，请稍后再试。",
    # Error pages and answers under faults (gonghui.core.errorpages, gonghui.core.middleware).
    "Bad request": "请求有误",
    "The request could not be understood. Go back and try again.": "无法识别此请求。请返回后重试。",
    "Back to the console home": "返回工作台首页",
    "Back to the home page": "返回首页",
    "Not permitted": "无权访问",
    "Your roles do not cover this page or this action. If you need it, ask an administrator of your union to grant you the role.":
        "您的角色不包含此页面或此操作。如确需使用，请联系本级工会的管理员为您授予相应角色。",
    "This page is not open to you.": "您无权访问此页面。",
    "The form has expired": "表单已过期",
    "For your safety the form could not be sent: the page was open too long, or cookies are blocked in this browser. Go back, reload the page and send it again.":
        "为保障安全，表单未能提交：页面停留时间过长，或浏览器禁用了 Cookie。请返回、刷新页面后重新提交。",
    "Page not found": "页面不存在",
    "This page does not exist, or it is outside your scope. Check the address, or start again from the home page.":
        "此页面不存在，或不在您的管辖范围内。请检查地址，或从首页重新进入。",
    "This page does not exist. Check the address, or start again from the home page.":
        "此页面不存在。请检查地址，或从首页重新进入。",
    "Something went wrong": "系统出错了",
    "Something went wrong on our side. It has been logged; please try again later. If it keeps happening, tell your administrator the reference below.":
        "系统内部出错了，已记录在日志中，请稍后再试。如果反复出现，请把下面的编号告诉系统管理员。",
    "Briefly unavailable": "服务暂时无法使用",
    "The service is briefly unavailable (maintenance or a fault). Please try again in %(seconds)s second.":
        "服务暂时无法使用（维护或故障），请 %(seconds)s 秒后再试。",
    "The service is briefly unavailable (maintenance or a fault). Please try again in %(seconds)s seconds.":
        "服务暂时无法使用（维护或故障），请 %(seconds)s 秒后再试。",
    "Reference for the administrator": "故障编号（供系统管理员查询）",
    "The request could not be understood.": "无法识别此请求。",
    "This method is not allowed here.": "此处不允许该请求方法。",
    "Something went wrong on our side. It has been logged; please try again later.":
        "系统内部出错了，已记录在日志中，请稍后再试。",
    "The service is briefly unavailable. Please try again in a minute.": "服务暂时无法使用，请稍后再试。",
    "The request could not be carried out.": "无法完成此请求。",
    ":": "：",  # the colon after a form label
}
