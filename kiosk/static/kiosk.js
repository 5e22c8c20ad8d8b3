// The kiosk touch page: categories as big buttons, one tap issues a ticket (a request id per tap
// makes a double tap harmless), then a confirmation that returns to the start by itself.
// All rules live in the server; this only shows what the API says.
(function () {
  "use strict";
  // The words are the kiosk's catalogue (kiosk/words.py), read through the page kit's t().
  // A printer's state and why a service cannot be taken, as the catalogue's keys:
  var PRINTER = { paper_low: "printer.paper_low", paper_out: "printer.paper_out",
                  cover_open: "printer.cover_open", offline: "printer.offline",
                  unknown: "printer.unknown" };
  var REASON = { daily_cap_reached: "reason.daily_cap_reached",
                 outside_opening_hours: "reason.outside_opening_hours",
                 category_closed: "reason.category_closed",
                 closed_for_holiday: "reason.closed_for_holiday" };
  // Timings; a test (or a hall) may override them with window.QUEUEHALL_KIOSK before this runs.
  var CONFIG = Object.assign({ doneSeconds: 20, printerDownSeconds: 60, idleSeconds: 60, voice: true,
                               refreshSeconds: 10, retryDelays: [500, 1000, 2000, 3000, 4000, 5000] },
                             window.QUEUEHALL_KIOSK || {});
  var DEFAULT_LANG = "zh", DONE_SECONDS = CONFIG.doneSeconds,
      PRINTER_DOWN_SECONDS = CONFIG.printerDownSeconds, GROUP_ABOVE = 8;
  var CAN_PRINT = { online: true, paper_low: true, unknown: true };

  var lang = DEFAULT_LANG, device = null, categories = [], priority = false, busy = false, elder = false;
  var printerStatus = null, countdownTimer = null, secondsLeft = 0, shownTicket = null;

  function $(id) { return document.getElementById(id); }
  // The page's language is <html lang>, which applyLanguage sets from `lang`.
  var t = Queuehall.t, name = Queuehall.name;

  // The kiosk's device token (from #token=… once, then kept by the browser) goes with every
  // request; an answer that takes over 10 s counts as no answer (status 0).
  Queuehall.deviceToken("queuehall.kiosk.token");
  function api(method, path, body) { return Queuehall.request(method, path, body, { timeout: 10000 }); }

  function show(id) {
    ["start", "keypad-screen", "busy", "done", "failed", "setup"].forEach(function (s) { $(s).hidden = s !== id; });
    document.body.dataset.screen = id;
    if (id === "start") fitCards();
  }

  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    $("lang-switch").textContent = t("switch_to");
    $("elder").setAttribute("lang", lang === "zh" ? "zh-CN" : "en");
    $("priority").querySelector("[data-i18n]").textContent = t(priority ? "priority_on" : "priority");
    if (device) $("site-name").textContent = name(device.site);
    renderCategories();
    renderStatus();
    if (shownTicket) renderTicket(shownTicket);
  }

  // An estimate by the planned windows (nobody serving the service is signed in yet) says so.
  function minutesText(w) {
    if (w.basis === "planned")
      return (w.low === w.high ? t("planned_minutes", { a: w.low })
              : t("planned_minutes_range", { a: w.low, b: w.high })) + t("planned");
    return w.low === w.high ? t("minutes", { a: w.low }) : t("minutes_range", { a: w.low, b: w.high });
  }

  function waitText(c) {
    var w = c.estimated_wait_minutes;
    if (!c.waiting) return t("no_wait");
    if (!w) return t("wait") + " " + t("unknown_wait");
    return minutesText(w);
  }

  // Why a service cannot be taken now, in words an applicant understands.
  function unavailableText(c) {
    var r = c.unavailable_reason;
    if (r === "category_paused")
      return c.pause_reason ? t("paused_because", { r: c.pause_reason }) : t("reason.category_paused");
    var text = REASON[r] ? t(REASON[r]) : t("unavailable");
    if ((r === "outside_opening_hours" || r === "category_closed") && c.hours)
      text += " · " + t("hours", { h: c.hours.replace("-", "–") });
    return text;
  }

  function categoryButton(c) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "category-button";
    b.dataset.code = c.code;
    b.disabled = !c.available || busy;
    var reason = c.available ? "" : unavailableText(c);
    b.innerHTML = '<span class="prefix"></span><span class="name"></span>' +
      '<span class="meta"><span class="waiting"></span><span class="estimate"></span></span>' +
      '<span class="reason"></span>';
    b.querySelector(".prefix").textContent = c.prefix;
    b.querySelector(".name").textContent = name(c);
    b.querySelector(".waiting").textContent = t("waiting", { n: c.waiting });
    b.querySelector(".estimate").textContent = c.available ? waitText(c) : "";
    b.querySelector(".reason").textContent = reason;
    if (!c.available) b.setAttribute("aria-disabled", "true");
    b.addEventListener("click", function () { take(c); });
    return b;
  }

  function renderCategories() {
    var box = $("categories");
    box.innerHTML = "";
    if (categories.length > GROUP_ABOVE) {  // many services: one heading per place in the hall
      var groups = {}, order = [];
      categories.forEach(function (c) {
        var key = c.location || "";
        if (!groups[key]) { groups[key] = []; order.push(key); }
        groups[key].push(c);
      });
      order = order.filter(function (k) { return k; }).concat(groups[""] ? [""] : []);
      order.forEach(function (key) {
        var h = document.createElement("h2");
        h.className = "group";
        h.textContent = key || t("other");
        box.appendChild(h);
        groups[key].forEach(function (c) { box.appendChild(categoryButton(c)); });
      });
    } else {
      categories.forEach(function (c) { box.appendChild(categoryButton(c)); });
    }
    box.dataset.count = categories.length;
    box.classList.toggle("grouped", categories.length > GROUP_ABOVE);
    fitCards();
  }

  // Every service on one screen: the columns follow the screen's shape (fewer in 老年模式),
  // then the cards' type shrinks step by step until no text leaves its card and no card
  // leaves the list. 老年模式 never shrinks below the normal size: its list scrolls instead.
  function columns(n) {
    var wide = innerWidth > innerHeight, cols;
    if (wide) cols = n <= 4 ? 2 : (n > 9 || innerWidth / innerHeight >= 2 ? 4 : 3);
    else cols = n <= 4 ? 1 : 2;
    if (elder) cols -= 1;
    return Math.max(1, Math.min(cols, n || 1));
  }

  function overflowing(box) {
    if (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1) return true;
    return Array.prototype.some.call(box.querySelectorAll(".category-button"), function (b) {
      return b.scrollHeight > b.clientHeight + 1 || b.scrollWidth > b.clientWidth + 1;
    });
  }

  function fitCards() {
    var box = $("categories");
    if (box.offsetParent === null) return;  // not on screen: fitted when shown
    box.style.setProperty("--cols", columns(categories.length));
    box.classList.remove("scrolls");
    var fit = 1, least = elder ? 0.8 : 0.6;
    box.style.setProperty("--fit", fit);
    while (overflowing(box) && fit > least + 0.001) {
      fit = Math.max(least, fit - 0.05);
      box.style.setProperty("--fit", fit.toFixed(2));
    }
    var scrolls = overflowing(box);
    box.classList.toggle("scrolls", scrolls);
    $("more").hidden = !scrolls;
    box.dataset.fit = fit.toFixed(2);
  }
  window.addEventListener("resize", fitCards);

  var online = true;
  function setOnline(value) {
    if (online === value) return;
    online = value;
    renderStatus();
  }

  function renderStatus() {
    var el = $("device-status");
    if (!device) { el.textContent = ""; return; }
    el.dataset.online = online ? "1" : "0";
    if (!online) { el.textContent = t("offline_now"); el.className = "bar status alarm"; return; }
    var printer = !device.printer ? t("no_printer_status")
      : t(PRINTER[printerStatus] || "printer_ok");
    el.textContent = device.name + " · " + printer;
    el.className = "bar status" + (printerStatus && !CAN_PRINT[printerStatus] ? " alarm" : "");
    el.dataset.printer = printerStatus || "";
  }

  function loadCategories() {
    if (!device) return Promise.resolve();
    return api("GET", "/api/v1/sites/" + device.site.code + "/categories").then(function (list) {
      setOnline(true);
      categories = list;
      if (!busy && document.body.dataset.screen === "start") renderCategories();
    }, function (e) { setOnline(e.status > 0 && e.status < 500); });
  }

  function loadPrinter() {
    if (!device || !device.printer) return Promise.resolve(null);
    return api("GET", "/api/v1/sites/" + device.site.code + "/printers").then(function (list) {
      var mine = list.filter(function (p) { return p.code === device.printer; })[0];
      printerStatus = mine ? mine.status : null;
      renderStatus();
      return printerStatus;
    }, function () { return null; });
  }

  // A request id starts with a random key in the server's alphabet (no look-alikes): if the page
  // gives up waiting, the kiosk's tag and that key are the 查询码 the service desk looks up.
  var lookupCode = null;
  function newRequestId() {
    var id = window.crypto && crypto.randomUUID ? crypto.randomUUID()
      : Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
    var format = device && device.lookup;
    if (!format) { lookupCode = null; return id; }
    var bytes = crypto.getRandomValues(new Uint8Array(format.length)), key = "";
    for (var i = 0; i < bytes.length; i++) key += format.alphabet.charAt(bytes[i] % format.alphabet.length);
    lookupCode = format.tag + "-" + key;
    return key + "-" + id;
  }

  function take(category) {
    if (busy || !category.available) return;  // a second tap while the first is under way
    busy = true;
    document.querySelectorAll(".category-button").forEach(function (b) { b.disabled = true; });
    show("busy");
    var body = { category: category.code, priority_class: priority ? "priority" : "normal",
                 request_id: newRequestId() };
    var path = "/api/v1/sites/" + device.site.code + "/tickets";
    $("busy").querySelector(".big").textContent = t("issuing");
    send(path, body);
  }

  // POST and show the ticket or the refusal. A network error or a server that is briefly away
  // (502/503/504: the database restarting) is retried with the same request id for about 15 s:
  // the server answers a repeated request id, or appointment code, with the same ticket.
  var RETRY_DELAYS = CONFIG.retryDelays;  // ms, about 15 s in all
  function send(path, body) {
    function attempt(n) {
      var again = function () {
        $("busy").querySelector(".big").textContent = t("retrying");
        return new Promise(function (ok) { setTimeout(ok, RETRY_DELAYS[n]); })
          .then(function () { return attempt(n + 1); });
      };
      return api("POST", path, body).catch(function (e) {
        if ([0, 502, 503, 504].indexOf(e.status) >= 0 && n < RETRY_DELAYS.length) return again();
        throw e;
      });
    }
    attempt(0).then(function (ticket) { shownTicket = ticket; renderTicket(ticket); confirm(ticket); },
      function (e) {
        if (e.status === 0 || e.status >= 500) fail(t("see_staff"), lookupCode);
        else fail(e.body.error ? e.message : t("network"));
      });
  }

  // 预约签到: the code is typed on the screen's own keypad (a kiosk has no keyboard).
  var CODE_LENGTH = 8, code = "";
  function renderCode() {
    var box = $("code");
    box.innerHTML = "";
    for (var i = 0; i < CODE_LENGTH; i++) {
      var cell = document.createElement("span");
      cell.className = "digit" + (i < code.length ? " filled" : "");
      cell.textContent = code.charAt(i);
      box.appendChild(cell);
    }
    box.dataset.value = code;
    document.querySelector("#keypad .key-confirm").disabled = code.length !== CODE_LENGTH;
  }

  function openKeypad() {
    if (busy || !device) return;
    code = "";
    renderCode();
    show("keypad-screen");
  }

  function pressKey(key) {
    if (key === "delete") code = code.slice(0, -1);
    else if (key === "confirm") { if (code.length === CODE_LENGTH) checkIn(); return; }
    else if (code.length < CODE_LENGTH) code += key;
    renderCode();
  }

  function checkIn() {
    if (busy) return;
    busy = true;
    lookupCode = code;  // the desk finds a check-in by its appointment code
    $("busy").querySelector(".big").textContent = t("checking_in");
    show("busy");
    send("/api/v1/sites/" + device.site.code + "/appointments/check-in", { code: code });
  }

  // 老年模式: bigger type and fewer cards per row, for one applicant (reset for the next).
  function setElder(on) {
    elder = on;
    document.body.classList.toggle("elder", on);
    $("elder").setAttribute("aria-pressed", String(on));
    fitCards();
  }

  // Voice guidance: the browser's own voice for the page's language, when it has one (a
  // zh-CN voice for Chinese). The hall server's synthesizer (/display/voice) is not used: it
  // speaks only the screens' call template, for screen devices, under a per-screen rate
  // limit; a kiosk without a voice stays silent and shows the number large.
  var DIGITS = "零一二三四五六七八九";
  function spokenNumber(number) {
    return number.split("").map(function (ch) {
      return lang === "zh" && /[0-9]/.test(ch) ? DIGITS.charAt(+ch) : ch;
    }).join(lang === "zh" ? "" : " ").replace(/^([A-Z]+)/, "$1 ");
  }

  function spokenTicket(ticket) {
    var ahead = ticket.people_ahead ? t("say_ahead", { n: ticket.people_ahead }) : t("say_none");
    return t("say_ticket", { c: name(ticket.category), n: spokenNumber(ticket.number), ahead: ahead }) +
      (ticket.print ? t("say_take") : "");
  }

  function voiceFor(code) {
    var voices = window.speechSynthesis ? speechSynthesis.getVoices() : [];
    var want = code === "zh" ? /^(zh[-_]CN|cmn|zh[-_]Hans|zh)$/i : /^en([-_]|$)/i;
    var exact = voices.filter(function (v) { return /^zh[-_]CN$/i.test(v.lang) && code === "zh"; })[0];
    return exact || voices.filter(function (v) { return want.test(v.lang) || want.test(v.lang.split("-")[0]); })[0] || null;
  }

  function speak(text) {
    if (!CONFIG.voice || !window.speechSynthesis) return;
    var voice = voiceFor(lang);
    if (!voice) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = elder ? 0.8 : 0.95;
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
    document.body.dataset.spoken = text;
  }
  if (window.speechSynthesis) speechSynthesis.getVoices();  // Chromium loads its list lazily

  function printProblem(ticket) {
    var p = ticket.print;
    if (!p) return "no_printer";
    if (p.state === "printed") return null;
    if (p.show_on_screen || (printerStatus && !CAN_PRINT[printerStatus])) return "printer_down";
    return null;
  }

  function renderTicket(ticket) {
    $("t-category").textContent = name(ticket.category);
    $("t-number").textContent = ticket.number;
    var mark = { priority: "priority_mark", appointment: "appointment_mark" }[ticket.priority_class];
    $("t-mark").hidden = !mark;
    $("t-mark").textContent = mark ? t(mark) : "";
    $("t-mark").className = "mark" + (ticket.priority_class === "appointment" ? " appointment" : "");
    $("t-late").hidden = !ticket.late;
    $("t-late").textContent = ticket.late ? t("late") : "";
    $("t-ahead").textContent = t("people", { n: ticket.people_ahead || 0 });
    var w = ticket.estimated_wait_minutes, planned = !!(ticket.people_ahead && w && w.basis === "planned");
    $("t-wait").textContent = !ticket.people_ahead ? t("no_wait") : !w ? t("unknown_wait")
      : planned ? (w.low === w.high ? t("planned_minutes", { a: w.low })
                   : t("planned_minutes_range", { a: w.low, b: w.high }))
      : minutesText(w);
    $("t-wait-note").hidden = !planned;
    $("t-wait-note").textContent = planned ? t("planned_note") : "";
    $("t-location").textContent = ticket.location ? t("location", { p: ticket.location }) : "";
    $("t-qr").src = "/kiosk/qr/" + encodeURIComponent(ticket.status_token) + ".svg";
    var problem = printProblem(ticket);
    var note = $("print-note");
    note.textContent = t(problem || "printed");
    note.className = "note" + (problem === "printer_down" ? " alarm" : "");
    note.dataset.problem = problem || "";
  }

  function confirm(ticket) {
    show("done");
    speak(spokenTicket(ticket));
    startCountdown(printProblem(ticket) ? PRINTER_DOWN_SECONDS : DONE_SECONDS);
    if (!ticket.print) return;
    // The print job itself says whether the ticket came out (printed, still retrying, failed):
    // say so plainly if it did not, and keep the number on screen longer to be photographed.
    var checks = 0;
    var watch = setInterval(function () {
      checks += 1;
      if (shownTicket !== ticket || checks > 15) { clearInterval(watch); return; }
      api("GET", "/api/v1/sites/" + device.site.code + "/print-jobs/" + ticket.print.job).then(function (job) {
        if (shownTicket !== ticket) return;
        var was = printProblem(ticket);
        ticket.print = job;
        if (["printed", "failed", "expired"].indexOf(job.state) >= 0) clearInterval(watch);
        if (printProblem(ticket) !== was) {
          renderTicket(ticket);
          if (printProblem(ticket)) startCountdown(PRINTER_DOWN_SECONDS);
        }
      }, function () { /* a blip: the next check */ });
    }, 1000);
  }

  // `lookup`: the 查询码 when the outcome is not known (no answer, or a server error): the
  // applicant takes it to the service desk, so it stays up as long as a printer fault's number.
  function fail(message, lookup) {
    var text = $("error-text");
    if (lookup) text.dataset.i18n = "see_staff_code"; else delete text.dataset.i18n;
    text.textContent = lookup ? t("see_staff_code") : message;
    $("lookup").hidden = !lookup;
    $("lookup-code").textContent = lookup || "";
    show("failed");
    startCountdown(lookup ? PRINTER_DOWN_SECONDS : 10);
    loadCategories();
  }

  function startCountdown(seconds) {
    clearInterval(countdownTimer);
    secondsLeft = seconds;
    $("countdown").textContent = "(" + secondsLeft + ")";
    countdownTimer = setInterval(function () {
      secondsLeft -= 1;
      $("countdown").textContent = "(" + secondsLeft + ")";
      if (secondsLeft <= 0) backToStart();
    }, 1000);
  }

  function backToStart() {
    clearInterval(countdownTimer);
    busy = false;
    shownTicket = null;
    priority = false;
    code = "";
    $("priority").setAttribute("aria-pressed", "false");
    setElder(false);
    lang = DEFAULT_LANG;  // the next applicant starts in Chinese
    show("start");
    applyLanguage();
    loadCategories();
  }

  $("lang-switch").addEventListener("click", function () {
    lang = lang === "zh" ? "en" : "zh";
    applyLanguage();
  });
  $("priority").addEventListener("click", function () {
    priority = !priority;
    $("priority").setAttribute("aria-pressed", String(priority));
    applyLanguage();
  });
  $("check-in").addEventListener("click", openKeypad);
  $("elder").addEventListener("click", function () {
    setElder(!elder);
    if (elder) speak(t("say_elder"));
  });
  $("keypad").addEventListener("click", function (e) {
    var key = e.target.closest("button[data-key]");
    if (key && !key.disabled) pressKey(key.dataset.key);
  });
  $("keypad-back").addEventListener("click", backToStart);
  $("finish").addEventListener("click", backToStart);
  $("error-back").addEventListener("click", backToStart);

  // Someone who switched to English or chose the priority lane and walked away: the next
  // person finds the start screen as it was meant to be.
  var lastTouch = Date.now();
  document.addEventListener("pointerdown", function () { lastTouch = Date.now(); }, true);
  setInterval(function () {
    var screen = document.body.dataset.screen;
    var changed = screen === "keypad-screen" || (screen === "start" && (lang !== DEFAULT_LANG || priority || elder));
    if (changed && Date.now() - lastTouch > CONFIG.idleSeconds * 1000) {
      backToStart();
    }
  }, 1000);

  function tick() {
    var now = new Date();
    $("clock").textContent = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
  }

  function boot() {
    tick();
    setInterval(tick, 10000);
    applyLanguage();
    loadDevice();
  }

  function loadDevice() {
    api("GET", "/kiosk/device").then(function (answer) {
      device = answer;
      show("start");
      applyLanguage();
      loadCategories().then(function () { document.body.dataset.ready = "1"; });
      loadPrinter();
      setInterval(loadCategories, CONFIG.refreshSeconds * 1000);
      setInterval(loadPrinter, CONFIG.refreshSeconds * 1000);
    }, function (e) {
      show("setup");
      if (!e.status) setTimeout(loadDevice, 5000);  // no answer: try again; a refusal stays
    });
  }
  boot();
})();
