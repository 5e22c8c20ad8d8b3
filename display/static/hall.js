/* The hall screen (综合屏): the last calls, one row per window and each number once; waiting
   counts; 请…准备 who is next; the hall's own time. */
(function () {
  "use strict";
  var Q = Queuehall, esc = Q.esc;
  var t = Q.t;  // the screens' words: display/words.py
  var $ = function (id) { return document.getElementById(id); };

  /* Calls seen today, by seq: the snapshot holds the last few, events add to them; kept here so
     a window that recalls often does not push the other windows' rows out. */
  var calls = {}, day = null, shownKey = null, shown = [], nextKey = null, flashSeq = null;
  function remember(state) {
    if (state.service_date !== day) { day = state.service_date; calls = {}; }
    state.recent_calls.forEach(function (c) { calls[c.seq] = c; });
    var all = Object.keys(calls).map(function (k) { return calls[k]; })
      .sort(function (a, b) { return b.seq - a.seq; }).slice(0, 60);
    calls = {};
    all.forEach(function (c) { calls[c.seq] = c; });
    return all;
  }
  /* Newest first: a window's latest call only, and a number only where it was called last
     (a transferred ticket called again elsewhere, a recall). */
  function rowsOf(all, max) {
    var rows = [], windows = {}, numbers = {};
    for (var i = 0; i < all.length && rows.length < max; i++) {
      var c = all[i];
      if (windows[c.window]) continue;
      windows[c.window] = true;
      if (numbers[c.number]) continue;
      numbers[c.number] = true;
      rows.push(c);
    }
    return rows;
  }
  function rowHtml(c) {
    var tag = c.type === "recalled" ? '<span class="tag">' + esc(t("hall.recall")) + "</span>" : "";
    return '<li data-seq="' + c.seq + '"><span class="num">' + esc(c.number) + "</span>" +
      '<span class="to">' + tag + '<span class="arrow">→</span></span>' +
      '<span class="win">' + esc(t("window_n", {n: c.window})) + "</span></li>";
  }
  function renderCalls(state) {
    var list = $("rows");
    var max = parseInt(getComputedStyle(list).getPropertyValue("--rows"), 10) || 5;
    var rows = rowsOf(remember(state), max);
    var key = rows.map(function (c) { return c.seq; }).join(",");
    if (key === shownKey) return shown;  // untouched, so a blinking row keeps blinking
    shownKey = key; shown = rows;
    list.innerHTML = rows.length ? rows.map(rowHtml).join("") : '<li class="empty">—</li>';
    // a new call blinks (not the last one before the page was opened)
    if (rows.length && rows[0].seq !== flashSeq) {
      if (flashSeq !== null) list.firstChild.classList.add("flash");
      flashSeq = rows[0].seq;
    }
    return rows;
  }
  function renderWaiting(state) {
    var list = $("waiting");
    list.classList.toggle("many", state.categories.length > 10);
    list.innerHTML = state.categories.map(function (c) {
      var name = c.prefix + " " + Q.name(c);
      return '<li><span class="name" title="' + esc(name) + '">' + esc(name) + "</span>" +
             '<span class="n">' + esc(t("hall.waiting_n", {n: c.waiting})) + "</span></li>";
    }).join("");
  }
  /* As many next numbers as fit on the line, the longest waiting first; not one just called
     (the list is read again a second after a call). */
  function renderNext(state, called) {
    var next = (state.next_up || []).filter(function (t) { return !called[t.number]; });
    var key = next.map(function (t) { return t.number; }).join(",");
    if (key === nextKey) return;
    nextKey = key;
    var line = $("next"), box = $("next-numbers");
    box.innerHTML = next.map(function (t) { return "<span>" + esc(t.number) + "</span>"; }).join("");
    while (box.children.length > 1 && box.scrollWidth > box.clientWidth) box.removeChild(box.lastChild);
    line.classList.toggle("hidden", !next.length);
  }
  /* The hall's time, in the site's zone (the TV's own zone may be anything). */
  function renderClock(state) {
    var clock = $("clock");
    if (!state || !state.site.timezone) { clock.textContent = ""; return; }
    clock.textContent = new Date().toLocaleString(Q.locale(),
      {timeZone: state.site.timezone, month: "2-digit", day: "2-digit", weekday: "short",
       hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false});
  }
  // The notice is a ticker: a long one gets more time to cross, so it never runs faster than
  // about 4 characters a second (the CSS's 30 s is the floor, for short notices).
  var EM_PER_SECOND = 4;
  function showNotice(text) {
    var el = $("notice");
    if (el.textContent === text) return;  // a new duration mid-run would make the ticker jump
    el.textContent = text;
    var em = el.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize);
    el.style.animationDuration = Math.max(30, em / EM_PER_SECOND) + "s";
  }

  function render(state, conn) {
    renderClock(state);
    $("status").textContent = conn === "offline" ? t("offline") : "";
    if (conn === "no_token") { $("main").innerHTML = '<p class="message">' + esc(t("hall.notoken")) + "</p>"; return; }
    if (!state) return;
    $("title").textContent = Q.name(state.site);
    showNotice((screen.screen && screen.screen.notice) || t("hall.notice"));
    var called = {};
    renderCalls(state).forEach(function (c) { called[c.number] = true; });
    renderWaiting(state);
    renderNext(state, called);
  }
  var screen = new QueuehallScreen("hall", render);
  /* Who is next changes with a call, or a ticket issued to the head of its queue: read it again
     with a fresh snapshot, at most once a second. */
  var nextTimer = null;
  screen.onEvent_ = function (ev) {
    if (ev.type === "called" || (ev.type === "issued" && !ev.people_ahead)) {
      if (nextTimer) return;
      nextTimer = setTimeout(function () { nextTimer = null; screen.requestSnapshot(); }, 1000);
    }
  };
  window.hallScreen = screen;
  screen.start();
})();
