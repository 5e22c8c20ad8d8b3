/* Staffing advice (排班建议) and what-if: asks the server's simulator and shows its figures.
   How many windows a slot needs, and what opening more would change, are the server's answers. */
(function () {
  "use strict";
  var C = window.managerConsole, $ = C.$, esc = C.esc, api = C.api, zh = C.zh;
  var S = "/sites/" + encodeURIComponent(C.site);
  // The page's words: manager/words.py (STAFFING); row, source and plan names are the
  // server's labels (staffing_rows, staffing_sources).
  var t = Queuehall.t;
  var categories = [];
  var FIG = ["mean_wait_minutes", "p90_wait_minutes", "within_target_share", "within_target_share_range",
             "met_target", "served", "unserved"];

  function catName(code) {
    var c = categories.filter(function (c) { return c.code === code; })[0];
    return c ? c.prefix + " " + C.name(c) : code;
  }
  function fmt(key, v, row) {
    if (v == null) return "—";
    if (Array.isArray(v)) return fmt(key, v[0]) + "–" + fmt(key, v[1]);
    if (key === "met_target") return v + " / " + row.replications;
    if (/share|utilisation/.test(key)) return Math.round(v * 1000) / 10 + "%";
    if (/minutes/.test(key)) return t("min_n", {n: Math.round(v * 10) / 10});
    return String(v);
  }
  // The server's own message: an unknown category or site is its 404 not_found, said as such.
  function fail(box, e) { C.showError(e, $(box)); }

  // The first advice waits for the labels too: its rows are named by them.
  Promise.all([api("GET", S + "/categories"), C.labels]).then(function (got) {
    var c = got[0];
    categories = c;
    $("whatif-category").innerHTML = c.map(function (x) {
      return '<option value="' + esc(x.code) + '">' + esc(x.prefix + " " + C.name(x)) + "</option>"; }).join("");
    $("advice-form").requestSubmit();  // today's advice with the usual target, without a click
  }, C.showError);

  // The outlook of the next open days: the server's forecast and its warnings, per day.
  function loadOutlook() {
    var f = $("advice-form"), q = new URLSearchParams();
    q.set("target_minutes", f.target_minutes.value);
    q.set("target_share", String(Number(f.target_share.value) / 100));
    C.showError(null, $("outlook-error"));
    api("GET", S + "/staffing/outlook?" + q.toString()).then(renderOutlook, function (e) {
      $("outlook-result").innerHTML = ""; fail("outlook-error", e);
    });
  }
  function renderOutlook(r) {
    var days = r.days.map(function (d) {
      var mine = r.warnings.filter(function (w) { return w.date === d.date; });
      var date = t("outlook.date", {date: d.date, month: d.date.slice(5, 7), day: d.date.slice(8)});
      var head = t("outlook.day", {weekday: t("outlook.weekdays")[d.weekday - 1], date: date,
                                    n: Math.round(d.expected_arrivals)}) + (d.surge ? " · " + t("outlook.surge") : "");
      var body = !d.based_on.length ? '<p class="muted">' + esc(t("outlook.no_history")) + "</p>" :
        !mine.length ? '<p class="muted">' + esc(t("outlook.enough")) + "</p>" :
        "<ul>" + mine.map(function (w) {
          return '<li class="short" data-category="' + esc(w.category) + '">' + esc(zh ? w.text_zh : w.text_en) + "</li>";
        }).join("") + "</ul>";
      return '<div class="outlook-day" data-date="' + esc(d.date) + '"><h3>' + esc(head) + "</h3>" + body + "</div>";
    }).join("");
    var b = r.backtest;
    $("outlook-result").innerHTML = days + '<p class="note" id="outlook-backtest">' +
      esc(b && b.days && b.mean_abs_error != null ? t("outlook.backtest", {days: b.days, error: b.mean_abs_error,
        relative: Math.round(b.relative_error * 100)}) : t("outlook.no_backtest")) + "</p>";
  }

  $("advice-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target, q = new URLSearchParams();
    if (f.date.value) q.set("date", f.date.value);
    q.set("target_minutes", f.target_minutes.value);
    q.set("target_share", String(Number(f.target_share.value) / 100));
    q.set("source", f.source.value);
    $("advice-result").innerHTML = '<p class="muted">' + esc(t("simulating")) + "</p>";
    C.showError(null, $("advice-error"));
    if (categories.length) loadOutlook();  // the outlook follows the target too
    api("GET", S + "/staffing/advice?" + q.toString()).then(renderAdvice, function (e) {
      $("advice-result").innerHTML = ""; fail("advice-error", e);
    });
  });
  function need(n) { return n >= 6 ? "more" : "n" + n; }
  function renderAdvice(r) {
    var slots = r.slots || [];
    if (!slots.length) { $("advice-result").innerHTML = '<p class="muted">' + esc(t("advice.no_arrivals")) + "</p>"; return; }
    var codes = categories.map(function (c) { return c.code; }).filter(function (code) {
      return slots.some(function (s) { return s.categories[code]; });
    });
    var head = "<tr><th>" + esc(t("advice.slot")) + "</th>" + codes.map(function (c) { return '<th class="num">' + esc(catName(c)) + "</th>"; }).join("") +
               '<th class="num">' + esc(t("advice.total")) + "</th></tr>";
    var rows = slots.map(function (s) {
      var total = 0;
      var cells = codes.map(function (code) {
        var x = s.categories[code];
        if (!x) return '<td class="need n0">—</td>';
        total += x.windows_needed;
        return '<td class="need ' + need(x.windows_needed) + '" title="' + esc(t("advice.arrivals_n", {n: x.arrivals}) + " · " + t("advice.erlang_n", {n: x.erlang_windows})) + '">' +
          x.windows_needed + " <small>(" + x.erlang_windows + ')</small><span class="sub">' + esc(t("advice.arrivals_n", {n: x.arrivals})) + "</span></td>";
      }).join("");
      return '<tr data-slot="' + esc(s.start) + '"><td>' + esc(s.start + "–" + s.end) + "</td>" + cells + '<td class="num"><b>' + total + "</b></td></tr>";
    }).join("");
    if (!$("advice-date").value && r.date) $("advice-date").value = r.date;
    var meta = t("advice.meta", {date: r.date, source: C.label("staffing_sources", r.source), arrivals: r.arrivals,
                       plan: r.plan ? C.label("staffing_sources", r.plan.kind) : ""});
    $("advice-result").innerHTML = '<p class="note" id="advice-meta">' + esc(meta) + "</p>" +
      '<table class="grid-table advice" id="advice">' + "<thead>" + head + "</thead><tbody>" + rows + "</tbody></table>" +
      (r.summary ? figuresTable("advice-summary", r.summary, ["policy", "advised", "a_only", "pooled"], null) : "") +
      (r.replications ? '<p class="note" id="advice-spread">' + esc(t("advice.spread", {n: r.replications.figures})) + "</p>" : "");
  }

  // B posts to add: the server's search within the skills table, said as sentences.
  function plainName(code) {
    var c = categories.filter(function (c) { return c.code === code; })[0];
    return c ? C.name(c) : code;
  }
  /* "window 3" or "windows 3, 4 and 5" (zh: 3、4、5, the sentence says 号窗口). */
  function windowList(ws) {
    var list = ws.length > 1 ? ws.slice(0, -1).join(t("sep")) + t("bposts.and") + ws[ws.length - 1] : String(ws[0]);
    return t(ws.length > 1 ? "bposts.window_many" : "bposts.window_one", {list: list});
  }
  function mins(v) { return v == null ? "—" : String(Math.round(v * 10) / 10); }
  function pct(v) { return v == null ? "—" : Math.round(v * 100) + "%"; }
  $("bposts-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var a = $("advice-form"), q = new URLSearchParams();
    if (a.date.value) q.set("date", a.date.value);
    q.set("target_minutes", a.target_minutes.value);
    q.set("target_share", String(Number(a.target_share.value) / 100));
    q.set("source", a.source.value);
    q.set("max_changes", ev.target.max_changes.value);
    $("bposts-result").innerHTML = '<p class="muted">' + esc(t("simulating")) + "</p>";
    C.showError(null, $("bposts-error"));
    api("GET", S + "/staffing/b-posts?" + q.toString()).then(renderBPosts, function (e) {
      $("bposts-result").innerHTML = ""; fail("bposts-error", e);
    });
  });
  var PLAN_COLS = ["plan.window", "plan.a", "plan.b_now", "plan.b_advised"];
  function renderBPosts(r) {
    lastBPosts = r;
    var lines = r.changes.map(function (c) {
      var w = c.category_mean_wait_minutes.map(mins), s = c.category_within_target_share.map(pct);
      return '<li class="bpost" data-category="' + esc(c.add_b) + '">' + esc(t("bposts.change", {
        category: plainName(c.add_b), windows: windowList(c.windows), before: w[0], after: w[1],
        share_before: s[0], share_after: s[1]})) + "</li>";
    }).join("");
    var added = {};
    r.steps.forEach(function (s) { (added[s.window] = added[s.window] || []).push(s.add_b); });
    var rows = r.plan.windows.filter(function (w) { return added[w.number]; }).map(function (w) {
      var names = function (codes) { return codes.map(plainName).join(t("sep")) || "—"; };
      return "<tr><td>" + w.number + "</td><td>" + esc(names(w.a)) + "</td><td>" + esc(names(w.b)) +
        '</td><td class="better">' + esc(names(w.b.concat(added[w.number]))) + "</td></tr>";
    }).join("");
    $("bposts-result").innerHTML = (lines ? '<ol id="bposts-changes">' + lines + "</ol>" :
        '<p id="bposts-changes">' + esc(t("bposts.nothing")) + "</p>") +
      (rows ? '<table class="grid-table" id="bposts-plan"><thead><tr>' + PLAN_COLS.map(function (h) {
        return "<th>" + esc(t(h)) + "</th>"; }).join("") + "</tr></thead><tbody>" + rows + "</tbody></table>" : "") +
      (r.steps.length ? '<p><button type="button" class="primary" id="bposts-apply">' + esc(t("bposts.apply")) + '</button> <span class="note" id="bposts-applied"></span></p>' : "") +
      hallPlan(r.hall) + judged(r) +
      '<p class="note" id="bposts-meta">' + esc(t("bposts.stopped", {why: C.label("staffing_stops", r.stopped)})) + " · " +
      esc(C.label("staffing_sources", r.skills.kind)) + " · " + esc(t("bposts.simulations", {n: r.simulations})) + " · " +
      esc(C.label("staffing_sources", r.source)) + "</p>";
  }

  // Applying the advice: the advised B posts through the rebalance use case, in one transaction.
  $("bposts-result").addEventListener("click", function (ev) {
    if (!ev.target || ev.target.id !== "bposts-apply" || !lastBPosts) return;
    ev.target.disabled = true;
    var posts = lastBPosts.steps.map(function (s) { return {window: s.window, category: s.add_b}; });
    C.showError(null, $("bposts-error"));
    api("POST", S + "/windows/b-posts", {posts: posts}).then(function (r) {
      $("bposts-applied").textContent = t("bposts.applied", {windows: r.windows.map(function (w) { return w.number; }).join(t("sep"))});
    }, function (e) { ev.target.disabled = false; fail("bposts-error", e); });
  });
  var lastBPosts = null;

  // Windows to open per half hour for the hall as a whole.
  var HALL_COLS = ["advice.slot", "hall_plan.open", "hall_plan.windows"];
  function hallPlan(h) {
    if (!h || !h.slots.length) return "";
    var rows = h.slots.map(function (s) {
      return '<tr data-slot="' + esc(s.start) + '"><td>' + esc(s.start + "–" + s.end) + '</td><td class="num">' + s.open +
        "</td><td>" + esc(s.windows.join(t("sep"))) + "</td></tr>";
    }).join("");
    // A search cut short by its time limit advises every window open: say so, not a plan.
    var stopped = h.stopped === "budget" ? '<p class="note" id="hall-plan-stopped">' + esc(t("hall_plan.budget")) + "</p>" : "";
    return "<h3>" + esc(t("hall_plan.title")) + "</h3>" + stopped + '<table class="grid-table" id="hall-plan"><thead><tr>' +
      HALL_COLS.map(function (c) { return "<th>" + esc(t(c)) + "</th>"; }).join("") + "</tr></thead><tbody>" + rows + "</tbody></table>";
  }

  // Today, the B posts with today's windows, and the hall plan, on the same fresh days: the
  // server judges them and says whether the hall plan is as good (verdict); the page words it.
  var JUDGED = {today: "judged.today", b_posts: "judged.b_posts", hall_plan: "judged.hall_plan"};
  var VERDICT = {no_worse: "judged.no_worse", costs_waits: "judged.costs_waits"};
  function judged(r) {
    var j = r.judged;
    if (!j || !j.days) return "";
    var rows = Object.keys(JUDGED).map(function (k) {
      var x = j.rows[k];
      return '<tr data-row="' + k + '"><td>' + esc(t(JUDGED[k])) + '</td><td class="num">' + esc(mins(x.mean_wait_minutes)) +
        '</td><td class="num">' + esc(pct(x.within_target_share)) + '</td><td class="num">' + esc(hours(x.window_hours)) +
        '</td><td class="num">' + esc(t("judged.met", {met: x.met_days, days: j.days, low: pct(x.interval[0]), high: pct(x.interval[1])})) + "</td></tr>";
    }).join("");
    var cols = ["judged.plan", "figure.mean_wait_minutes", "figure.within_target_share", "judged.window_hours", "judged.days_met"];
    var b = j.rows.b_posts, p = j.rows.hall_plan;
    var verdict = t(VERDICT[j.verdict], {saved: hours(j.saved_window_hours), wait_b: mins(b.mean_wait_minutes),
      wait_plan: mins(p.mean_wait_minutes), share_b: pct(b.within_target_share), share_plan: pct(p.within_target_share),
      met_b: b.met_days, met_plan: p.met_days});
    var cats = Object.keys(p.categories).map(function (c) {
      return "<li>" + esc(t("hall_plan.category", {category: plainName(c), today: mins(j.rows.today.categories[c].mean_wait_minutes),
        b_posts: mins(b.categories[c].mean_wait_minutes), plan: mins(p.categories[c].mean_wait_minutes)})) + "</li>";
    }).join("");
    return "<h3>" + esc(t("judged.title", {days: j.days})) + '</h3><table class="grid-table" id="bposts-judged"><thead><tr>' +
      cols.map(function (c, i) { return "<th" + (i ? ' class="num"' : "") + ">" + esc(t(c)) + "</th>"; }).join("") +
      "</tr></thead><tbody>" + rows + '</tbody></table><p id="hall-verdict" class="' + (j.verdict === "no_worse" ? "better" : "worse") + '">' +
      esc(verdict) + '</p><ul class="note" id="hall-categories">' + cats + '</ul><p class="note" id="judged-note">' +
      esc(t("judged.note", {days: j.days, share: pct(r.target_share), minutes: r.target_minutes, opens: r.hall.opens,
        closes: r.hall.closes, n: r.hall.replications})) + "</p>";
  }
  function hours(v) { return v == null ? "—" : (Math.round(v * 10) / 10).toFixed(1); }

  var COLUMN = {mean_wait_minutes: "figure.mean_wait_minutes", p90_wait_minutes: "figure.p90_wait_minutes",
                within_target_share: "figure.within_target_share",
                within_target_share_range: "figure.within_target_share_range", met_target: "figure.met_target",
                served: "figure.served", unserved: "figure.unserved", utilisation: "figure.utilisation",
                served_on_a_share: "figure.served_on_a_share"};
  var WHATIF_ROWS = {pooled: "whatif.pooled", a_only: "whatif.a_only"};
  var WHATIF_COLS = ["mean_wait_minutes", "p90_wait_minutes", "within_target_share", "unserved"];
  function figuresTable(id, result, keys, baseline, only, labels) {
    var cols = (only || FIG.concat(["utilisation", "served_on_a_share"])).filter(function (k) {
      return keys.some(function (row) { return result[row] && result[row][k] !== undefined; });
    });
    var head = "<tr><th>" + esc(t("figure.scenario")) + "</th>" + cols.map(function (k) {
      return '<th class="num">' + esc(t(COLUMN[k])) + "</th>"; }).join("") + "</tr>";
    var body = keys.filter(function (row) { return result[row]; }).map(function (row) {
      var r = result[row];
      return '<tr class="' + row + '" data-row="' + row + '"><td>' + esc((labels || {})[row] ? t(labels[row]) : C.label("staffing_rows", row)) + "</td>" + cols.map(function (k) {
        return '<td class="num ' + compare(k, r[k], baseline && row === "changed" ? baseline[k] : null) + '">' + esc(fmt(k, r[k], r)) + "</td>";
      }).join("") + "</tr>";
    }).join("");
    return '<table class="grid-table whatif" id="' + id + '"><thead>' + head + "</thead><tbody>" + body + "</tbody></table>";
  }
  /* Colour a changed figure against the baseline: shorter waits and a higher share are better. */
  function compare(key, v, base) {
    if (v == null || base == null || v === base) return "";
    if (/wait/.test(key) || key === "unserved") return v < base ? "better" : "worse";
    if (key === "within_target_share" || key === "served") return v > base ? "better" : "worse";
    return "";
  }

  $("whatif-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target, code = f.category.value;
    var body = {category: code, extra_windows: Number(f.extra_windows.value), from: f.from.value || null,
                target_minutes: Number($("advice-form").target_minutes.value)};
    if ($("advice-form").date.value) body.date = $("advice-form").date.value;
    $("whatif-result").innerHTML = '<p class="muted">' + esc(t("simulating")) + "</p>";
    C.showError(null, $("whatif-error"));
    api("POST", S + "/staffing/what-if", body).then(function (r) {
      var keys = ["baseline", "changed", "pooled", "a_only"];
      if (!$("whatif-from").value && r.from) $("whatif-from").value = r.from;
      var html = figuresTable("whatif", r, keys, r.baseline, WHATIF_COLS, WHATIF_ROWS);
      if (r.windows) html += '<p class="note">' + esc(t("whatif.windows_change", {before: r.windows.baseline, after: r.windows.changed})) + "　" +
                             esc(t("whatif.span", {start: r.from, end: r.until})) + "</p>";
      var per = {};
      keys.forEach(function (k) { if (r[k] && r[k].categories && r[k].categories[code]) per[k] = r[k].categories[code]; });
      if (Object.keys(per).length) {
        html += "<h3>" + esc(t("whatif.category_only", {category: catName(code)})) + "</h3>" +
          figuresTable("whatif-category-figures", per, keys, per.baseline, WHATIF_COLS, WHATIF_ROWS);
      }
      $("whatif-result").innerHTML = html;
    }, function (e) { $("whatif-result").innerHTML = ""; fail("whatif-error", e); });
  });
})();
