"""Simplified Chinese for the doors given to actions that had none (issue 23 item 7): cancel a
transfer, revoke a member card's QR codes, close an aid programme, revoke a mediator's invitation."""

ZH = {
    "Cancel this transfer": "撤销本次转会",
    "Transfer cancelled.": "转会申请已撤销。",
    "Revoke the card's QR codes": "作废会员卡二维码",
    "Every card QR code shown so far stops working (a lost phone); the member opens the card again for a new one.":
        "此前出示过的会员卡二维码全部失效（如手机丢失），会员重新打开电子会员卡即可获得新的二维码。",
    "The card's QR codes shown so far no longer work.": "此前出示的会员卡二维码已全部作废。",
    "Programme closed: no new applications; those filed go on.": "项目已关闭：不再受理新申请，已受理的申请继续办理。",
    "Closing stops new applications; those already filed are still reviewed and paid.":
        "关闭后不再受理新申请；已受理的申请照常审核、发放。",
    "Close the programme": "关闭项目",
    "Withdraw the invitation": "撤回邀请",
    "Invitation withdrawn; the mediator no longer sees this case.": "已撤回邀请，该调解员不再能查看本案件。",
    "This mediator is not invited to the case.": "该调解员未受邀参与本案件。",
}
