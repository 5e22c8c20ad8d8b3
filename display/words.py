"""The screens' sentences (pagekit/words.py explains the catalogue): hall screen, window screen,
evaluator pad and the sound prompt. A rating's levels and reasons are the server's labels
(evaluation_levels, evaluation_reasons), as the reports name them."""
from __future__ import annotations

from pagekit.words import Words, catalogue
from queue_core.labels import LABELS

SCREENS: Words = {
    # a screen's title is what the hall calls the device (the server's device_kinds label)
    "hall.title": LABELS["device_kinds"]["hall_screen"],
    "window.title": LABELS["device_kinds"]["window_screen"],
    "evaluator.heading": ("评价器", "Rate our service"),  # the applicant's side of the pad
    "hall.calling": ("正在呼叫", "Now calling"),
    "hall.waiting": ("各业务等候人数", "Waiting"),
    "hall.next_before": ("请", "Next:"),
    "hall.next_after": ("准备", "please get ready"),
    "sound.prompt": ("点击启用声音", "Tap to enable sound"),
    "hall.recall": ("重呼", "Recall"),
    "hall.waiting_n": ("{n} 人", "{n}"),
    "hall.notoken": ("请用设备令牌打开本页：/display/hall#token=…",
                     "Open this page with its device token: /display/hall#token=…"),
    "hall.notice": ("请留意叫号，过号请到服务台重新取号。",
                    "Please listen for your number. Missed numbers: see the service desk."),
    "window.called": ("请以下号码到本窗口办理", "Now calling"),
    "window.serving": ("正在办理", "Now serving"),
    "window.idle": ("请稍候", "Please wait"),
    "window.post_a": ("A岗", "Post A"),
    "window.post_b": ("B岗", "Post B"),
    "window.staff_number": ("工号", "Staff No."),
    "window.nostaff": ("暂无工作人员签到", "No staff signed in"),
    "window.paused": ("暂停服务", "Paused"),
    "window.closed": ("窗口已关闭", "Closed"),
    "window.notoken": ("请用设备令牌打开本页：/display/window#token=…",
                       "Open this page with its device token: /display/window#token=…"),
    "evaluator.idle": ("欢迎您，请在办结后评价", "Welcome. Please rate us when your matter is done"),
    "evaluator.prompt": ("请对 {n} 号的本次服务评价", "How was the service for {n}?"),
    "evaluator.why": ("请告诉我们不满意的原因", "Please tell us what went wrong"),
    "evaluator.thanks": ("感谢您的评价！", "Thank you for your rating!"),
    "evaluator.title": ("{n}号窗口 评价器", "Window {n} rating pad"),
    "evaluator.notoken": ("请用设备令牌打开本页：/display/evaluator#token=…",
                          "Open this page with its device token: /display/evaluator#token=…"),
}

CATALOGUE = catalogue(SCREENS)
