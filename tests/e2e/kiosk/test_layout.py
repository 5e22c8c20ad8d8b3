"""The kiosk's start screen at the screen sizes halls use, in both languages and in 老年模式,
with twelve services and long English names: checked with the elements' bounding boxes —
no text leaves its card, no card or bar leaves the screen, nothing overlaps."""
from __future__ import annotations

import pytest

from ..browser import screenshot
from ..conftest import Client
from ..server import start_server

# Nine more services (twelve with the test hall's three), named as long as real halls name them.
EXTRA = [("fund", "D", "住房公积金提取与转移", "Housing Provident Fund Withdrawal and Transfer", "二楼 / 2F"),
         ("residency", "E", "户籍与居住证办理", "Household Registration and Residence Permits", "二楼 / 2F"),
         ("business", "F", "企业开办一窗通办", "Business Start-up and Company Registration", "三楼 / 3F"),
         ("permits", "G", "工程建设项目审批", "Construction Project Approval and Permits", "三楼 / 3F"),
         ("pension", "H", "养老保险资格认证", "Pension Entitlement Certification", "二楼 / 2F"),
         ("general", "J", "综合受理", "General Services and Enquiries", "三楼 / 3F"),
         ("medical", "K", "医疗保险报销", "Medical Insurance Reimbursement Claims", "二楼 / 2F"),
         ("vehicle", "L", "机动车与驾驶证业务", "Motor Vehicle and Driving Licence Services", "一楼 / 1F"),
         ("entry", "M", "出入境证件办理", "Exit-Entry Documents (Passports, Travel Permits)", "一楼 / 1F")]

VIEWPORTS = {"portrait": {"width": 1080, "height": 1920}, "landscape": {"width": 1920, "height": 1080},
             "laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# 老年模式 never shrinks its type below the normal size and has fewer cards per row, so twelve
# services may not fit: its list then scrolls, with a "swipe for more" line under it. So may a
# phone-sized screen's (the type would be unreadable); the kiosk screens show every service.
NO_SCROLL = {"portrait", "landscape", "laptop"}


def twelve_services() -> str:
    toml = "".join(f'\n[[sites.categories]]\ncode = "{code}"\nprefix = "{prefix}"\nname_zh = "{zh}"\n'
                   f'name_en = "{en}"\ndaily_cap = 100\nwait_target_minutes = 20\n'
                   f'service_minutes = 5\nlocation = "{where}"\n'
                   for code, prefix, zh, en, where in EXTRA)
    return toml + f'\n[[sites.windows]]\nnumber = 5\na = {[c[0] for c in EXTRA]}\n'.replace("'", '"')


@pytest.fixture(scope="module")
def big_hall(tmp_path_factory):
    folder = tmp_path_factory.mktemp("twelve-services")
    srv = start_server(folder, f"sqlite:///{folder / 'hall.db'}", twelve_services())
    kiosk = Client(srv.url).as_device(srv.tokens["kiosk-1"])
    for category in ["tax"] * 3 + ["social"] * 2 + ["fund"]:  # tax capped: a reason line shows
        assert kiosk.post("/api/v1/sites/test/tickets", {"category": category}).ok
    yield srv
    srv.stop()


# Every visible box of the start screen, every text's own extent (a Range: an element's box
# does not grow when its text runs out of it) and what each must stay inside.
MEASURE = """() => {
  const seen = el => el.checkVisibility();  // shown, even if squeezed to nothing
  const rect = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  const name = el => el.id ? '#' + el.id : (el.className || el.tagName) + ' ' + (el.textContent || '').trim().slice(0, 30);
  const list = document.getElementById('categories');
  const blocks = [...document.querySelectorAll(
      'header.bar > *, .start-top > *, #categories, #more, .start-foot > *, footer.bar')].filter(seen);
  const cards = [...list.querySelectorAll('.category-button, h2.group')].filter(seen);
  const texts = [];
  document.querySelectorAll('header.bar *, #start *, footer.bar').forEach(el => {
    if (!seen(el) || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    const holder = el.closest('.category-button, button, h2, h1, p, footer, .site, .clock') || el;
    texts.push({name: name(el), text: rect(range.getBoundingClientRect()), holder: rect(holder.getBoundingClientRect()),
                holderName: name(holder), inCard: !!el.closest('#categories')});
  });
  return {viewport: {left: 0, top: 0, right: innerWidth, bottom: innerHeight},
          page: {width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight},
          list: rect(list.getBoundingClientRect()), scrolls: list.classList.contains('scrolls'),
          listScrollable: list.scrollHeight > list.clientHeight,
          more: !document.getElementById('more').hidden,
          blocks: blocks.map(el => ({name: name(el), box: rect(el.getBoundingClientRect())})),
          cards: cards.map(el => ({name: name(el), box: rect(el.getBoundingClientRect())})),
          texts: texts};
}"""


def inside(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (a["left"] >= b["left"] - slack and a["top"] >= b["top"] - slack
            and a["right"] <= b["right"] + slack and a["bottom"] <= b["bottom"] + slack)


def overlap(a: dict, b: dict) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1)


def layout_problems(m: dict, may_scroll: bool) -> list[str]:
    problems = []
    viewport = m["viewport"]
    if m["page"]["width"] > viewport["right"] + 1 or m["page"]["height"] > viewport["bottom"] + 1:
        problems.append(f"the page scrolls: {m['page']}")
    for block in m["blocks"]:
        if not inside(block["box"], viewport):
            problems.append(f"{block['name']} leaves the screen: {block['box']}")
    problems += [f"{a['name']} overlaps {b['name']}" for i, a in enumerate(m["blocks"])
                 for b in m["blocks"][i + 1:] if overlap(a["box"], b["box"])]
    problems += [f"card {a['name']} overlaps {b['name']}" for i, a in enumerate(m["cards"])
                 for b in m["cards"][i + 1:] if overlap(a["box"], b["box"])]
    if m["scrolls"] and not (may_scroll and m["listScrollable"] and m["more"]):
        problems.append("the service list needs scrolling")
    for card in m["cards"]:
        box = card["box"]
        if m["scrolls"]:  # cut off at the list's top and bottom, never at its sides
            box = {**box, "top": m["list"]["top"], "bottom": m["list"]["bottom"]}
        if not inside(box, m["list"]):
            problems.append(f"card {card['name']} leaves the list: {card['box']}")
    for text in m["texts"]:
        if m["scrolls"] and text["inCard"]:
            text = {**text, "holder": {**text["holder"], "top": -1e9, "bottom": 1e9}}
        if not inside(text["text"], text["holder"]):
            problems.append(f"text {text['name']!r} runs out of {text['holderName']!r}: "
                            f"{text['text']} not in {text['holder']}")
    return problems


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_service_fits_its_card_and_the_screen(browser, big_hall, size, lang, elder):
    context = browser.new_context(viewport=VIEWPORTS[size])
    context.set_default_timeout(10000)
    try:
        page = context.new_page()
        page.goto(f"{big_hall.url}/kiosk/#token={big_hall.tokens['kiosk-1']}")
        page.wait_for_selector("body[data-ready='1']")
        if lang == "en":
            page.get_by_test_id("lang-switch").click()
        if elder:
            page.get_by_test_id("elder").click()
            assert page.locator("body.elder").count() == 1
        assert page.locator(".category-button").count() == 12
        if lang == "en":  # the long names really are on the cards
            assert "Housing Provident Fund Withdrawal and Transfer" in page.inner_text("#categories")
        mode = "elder" if elder else "normal"
        screenshot(page, f"kiosk_layout_{size}_{lang}_{mode}")
        problems = layout_problems(page.evaluate(MEASURE), may_scroll=elder or size not in NO_SCROLL)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_elder_mode_has_bigger_type_and_fewer_cards_per_row(browser, big_hall):
    context = browser.new_context(viewport=VIEWPORTS["portrait"])
    try:
        page = context.new_page()
        page.goto(f"{big_hall.url}/kiosk/#token={big_hall.tokens['kiosk-1']}")
        page.wait_for_selector("body[data-ready='1']")

        def per_row_and_size():
            return page.evaluate("""() => {
              const cards = [...document.querySelectorAll('.category-button')];
              const top = cards[0].getBoundingClientRect().top;
              return [cards.filter(c => Math.abs(c.getBoundingClientRect().top - top) < 2).length,
                      parseFloat(getComputedStyle(cards[0].querySelector('.name')).fontSize)];
            }""")
        normal = per_row_and_size()
        page.get_by_test_id("elder").click()
        elder = per_row_and_size()
        assert elder[0] < normal[0] and elder[1] > normal[1], (normal, elder)
        assert page.get_by_test_id("elder").get_attribute("aria-pressed") == "true"
    finally:
        context.close()


# Headless Chromium has no voices: stand in one zh-CN voice and record what the page says.
ZH_VOICE = """
const spoken = [];
window.__spoken = spoken;
const voice = {name: 'stand-in', lang: 'zh-CN', default: true, localService: true, voiceURI: 'x'};
Object.defineProperty(window, 'speechSynthesis', {value: {
  getVoices: () => [voice], cancel: () => {}, speak: u => spoken.push({text: u.text, lang: u.lang, rate: u.rate})}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_the_kiosk_speaks_the_service_and_number_and_labels_a_planned_estimate(browser, big_hall):
    context = browser.new_context(viewport=VIEWPORTS["portrait"])
    context.set_default_timeout(10000)
    context.add_init_script(ZH_VOICE)
    try:
        page = context.new_page()
        page.goto(f"{big_hall.url}/kiosk/#token={big_hall.tokens['kiosk-1']}")
        page.wait_for_selector("body[data-ready='1']")
        page.get_by_test_id("elder").click()
        assert "老年模式" in page.evaluate("window.__spoken[0].text")
        page.locator(".category-button[data-code='fund']").click()  # nobody signed in: planned
        number = page.get_by_test_id("ticket-number")
        number.wait_for()
        assert page.get_by_test_id("ticket-wait").inner_text().startswith("预计约")
        assert "按计划开放的窗口估算" in page.get_by_test_id("wait-note").inner_text()
        said = page.evaluate("window.__spoken[window.__spoken.length - 1]")
        digits = "零一二三四五六七八九"
        spoken_number = "D " + "".join(digits[int(d)] for d in number.inner_text()[1:])
        assert said["lang"] == "zh-CN" and said["rate"] < 0.9  # slower in 老年模式
        assert "住房公积金提取与转移" in said["text"] and spoken_number in said["text"]
        screenshot(page, "kiosk_confirmation_planned_estimate_zh_elder")
        page.get_by_test_id("finish").click()  # the next applicant starts in the normal mode
        assert page.locator("body.elder").count() == 0
    finally:
        context.close()
