/* Staffing advice (排班建议) and what-if: asks the server's simulator and shows its figures.
   How many windows a slot needs, and what opening more would change, are the server's answers. */
(function () {
  "use strict";
  var C = window.managerConsole, $ = C.$, esc = C.esc, api = C.api, zh = C.zh;
  var S = "/sites/" + encodeURIComponent(C.site);
  // Row, source and plan names are the server's labels (staffing_rows, staffing_sources).
  var T = zh ? {
    slot: "时段", total: "合计", arrivals: "到达", erlang: "Erlang C 稳态估算（起点，非下限）",
    meta: function (m) { return m.date + " · " + m.source + " · 共 " + m.arrivals + " 人到达 · " + m.plan; },
    spread: function (n, k) { return "每行为 " + n + " 个模拟日的合计（到达和办理时长每日重新抽取）；" +
      "“范围”为各日目标内比例的最低–最高，“达标天数”为全厅达到目标比例的天数。" +
      "完全合并（每个窗口办理所有类别、先到先办）和仅A岗是参照，不是上下限。"; },
    whatif_rows: {pooled: "加开后 · 完全合并（参照）", a_only: "加开后 · 仅A岗各自排队（参照）"},
    span: function (a, b) { return "比较 " + a + "–" + b + " 之间被呼叫（或未被呼叫）的人"; },
    cols: {mean_wait_minutes: "平均等候", p90_wait_minutes: "90% 等候", within_target_share: "目标内比例",
           within_target_share_range: "范围（各模拟日）", met_target: "达标天数",
           served: "已办", unserved: "未办", utilisation: "窗口利用率", served_on_a_share: "A岗业务占比"},
    scenario: "方案", none: "所选日期没有到达数据", min: " 分", category_only: function (c) { return "仅看" + c; },
    windows: function (b, c) { return "窗口数：" + b + " → " + c; }, loading: "计算中…",
    change: function (c, ws, w, s) { return "在 " + ws.join("、") + " 号窗口增设" + c + "为B岗：" + c + "平均等候 " +
      w[0] + " → " + w[1] + " 分（目标内 " + s[0] + " → " + s[1] + "）"; },
    hall_wait: function (a, b, n) { return "全厅平均等候 " + a + " → " + b + " 分（" + n + " 个模拟日，到达和办理时长每日重新抽取）"; },
    nothing: "不建议增设B岗", stopped: "停止原因：", sep: "、", sims: function (n) { return "共模拟 " + n + " 天次"; },
    plan_cols: ["窗口", "A岗", "B岗（现在）", "B岗（建议后）"],
    weekdays: ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    hall_title: "全厅每半小时开放窗口（各窗口A岗不变，B岗按上面的建议）",
    hall_cols: ["时段", "开放窗口数", "窗口"],
    apply: "应用这些B岗", applied: function (ws) { return "已应用：" + ws.join("、") + " 号窗口的B岗已更新（已记入操作日志）"; },
    hall_effect: function (h) { return "与现有窗口全天开放相比，同样的 " + h.replications + " 个模拟日：全厅平均等候 " +
      mins(h.before.mean_wait_minutes) + " → " + mins(h.after.mean_wait_minutes) + " 分，目标内 " + pct(h.before.within_target_share) +
      " → " + pct(h.after.within_target_share) + "，窗口工时 " + h.window_hours.today + " → " + h.window_hours.advised + " 小时"; },
    hall_cat: function (c, a, b) { return c + "平均等候 " + a + " → " + b + " 分"; },
    sure: function (c) { return "把握：在搜索未用过的 " + c.days + " 个模拟日（到达和办理时长每日重新抽取）中，按建议增设B岗后 " +
      c.advised.met_days + " 天全厅达标（95% 区间 " + pct(c.advised.interval[0]) + "–" + pct(c.advised.interval[1]) + "），现有排班 " +
      c.today.met_days + " 天（" + pct(c.today.interval[0]) + "–" + pct(c.today.interval[1]) + "）"; },
    day: function (wd, d, n) { return wd + " " + d.slice(5).replace("-", "月") + "日 · 预计 " + n + " 人"; },
    surge: "月初高峰", enough: "各类别 A 岗窗口足够", no_history: "没有历史取号数据，无法预测",
    backtest: function (b) { return "预测误差（回测最近 " + b.days + " 个有记录的日子，每天只用它之前的数据预测）：" +
      "每半小时每类别平均差 " + b.mean_abs_error + " 人，相对误差 " + Math.round(b.relative_error * 100) + "%"; },
    no_backtest: "历史不足，尚不能回测预测误差"
  } : {
    slot: "Half hour", total: "Total", arrivals: "arrivals", erlang: "Erlang C steady-state estimate (starting point, not a bound)",
    meta: function (m) { return m.date + " · " + m.source + " · " + m.arrivals + " arrivals · " + m.plan; },
    spread: function (n, k) { return "Each row is " + n + " simulated days together (arrivals and service times redrawn each day); " +
      "'range' is the lowest–highest share within target of a day, 'days met' the days the whole hall met the target share. " +
      "Full pooling (every window serving every category, first come first served) and A posts only are references, not bounds."; },
    whatif_rows: {pooled: "With extra windows, fully pooled (reference)", a_only: "With extra windows, A posts only (reference)"},
    span: function (a, b) { return "Compares applicants called (or never called) between " + a + " and " + b; },
    cols: {mean_wait_minutes: "Mean wait", p90_wait_minutes: "P90 wait", within_target_share: "Within target",
           within_target_share_range: "Range (per day)", met_target: "Days met",
           served: "Served", unserved: "Unserved", utilisation: "Utilisation", served_on_a_share: "On A work"},
    scenario: "Scenario", none: "No arrivals for that date", min: " min", category_only: function (c) { return c + " only"; },
    windows: function (b, c) { return "Windows: " + b + " → " + c; }, loading: "Simulating…",
    change: function (c, ws, w, s) { return "Add " + c + " as B on window" + (ws.length > 1 ? "s " : " ") +
      (ws.length > 1 ? ws.slice(0, -1).join(", ") + " and " + ws[ws.length - 1] : ws[0]) + ": " + c + " mean wait " +
      w[0] + " → " + w[1] + " min (within target " + s[0] + " → " + s[1] + ")"; },
    hall_wait: function (a, b, n) { return "Hall mean wait " + a + " → " + b + " min (" + n + " simulated days, arrivals and service times redrawn each day)"; },
    nothing: "No B post to add", stopped: "Stopped: ", sep: ", ", sims: function (n) { return n + " simulated days in all"; },
    plan_cols: ["Window", "A", "B (now)", "B (advised)"],
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    hall_title: "Windows the hall opens per half hour (A posts as they are, B posts as advised above)",
    hall_cols: ["Half hour", "Windows open", "Windows"],
    apply: "Apply these B posts", applied: function (ws) { return "Applied: the B posts of window " + ws.join(", ") + " changed (in the audit log)"; },
    hall_effect: function (h) { return "Against today's windows open all day, on the same " + h.replications + " simulated days: hall mean wait " +
      mins(h.before.mean_wait_minutes) + " → " + mins(h.after.mean_wait_minutes) + " min, within target " + pct(h.before.within_target_share) +
      " → " + pct(h.after.within_target_share) + ", window-hours " + h.window_hours.today + " → " + h.window_hours.advised; },
    hall_cat: function (c, a, b) { return c + " mean wait " + a + " → " + b + " min"; },
    sure: function (c) { return "Confidence: on " + c.days + " simulated days the search never saw (arrivals and service times redrawn each day), the hall met the target on " +
      c.advised.met_days + " with the advised B posts (95% interval " + pct(c.advised.interval[0]) + "–" + pct(c.advised.interval[1]) + "), on " +
      c.today.met_days + " as it is (" + pct(c.today.interval[0]) + "–" + pct(c.today.interval[1]) + ")"; },
    day: function (wd, d, n) { return wd + " " + d + " · " + n + " arrivals expected"; },
    surge: "1st–5th surge", enough: "Every category's A windows suffice", no_history: "No past tickets to forecast from",
    backtest: function (b) { return "Forecast error (back-test on the last " + b.days + " recorded days, each predicted from the days before it): " +
      b.mean_abs_error + " applicants per half hour and category on average, " + Math.round(b.relative_error * 100) + "% relative"; },
    no_backtest: "Too little history to back-test the forecast yet"
  };
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
    if (/minutes/.test(key)) return (Math.round(v * 10) / 10) + T.min;
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
      var head = T.day(T.weekdays[d.weekday - 1], d.date, Math.round(d.expected_arrivals)) +
                 (d.surge ? " · " + T.surge : "");
      var body = !d.based_on.length ? '<p class="muted">' + T.no_history + "</p>" :
        !mine.length ? '<p class="muted">' + T.enough + "</p>" :
        "<ul>" + mine.map(function (w) {
          return '<li class="short" data-category="' + esc(w.category) + '">' + esc(zh ? w.text_zh : w.text_en) + "</li>";
        }).join("") + "</ul>";
      return '<div class="outlook-day" data-date="' + esc(d.date) + '"><h3>' + esc(head) + "</h3>" + body + "</div>";
    }).join("");
    var b = r.backtest;
    $("outlook-result").innerHTML = days + '<p class="note" id="outlook-backtest">' +
      esc(b && b.days && b.mean_abs_error != null ? T.backtest(b) : T.no_backtest) + "</p>";
  }

  $("advice-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target, q = new URLSearchParams();
    if (f.date.value) q.set("date", f.date.value);
    q.set("target_minutes", f.target_minutes.value);
    q.set("target_share", String(Number(f.target_share.value) / 100));
    q.set("source", f.source.value);
    $("advice-result").innerHTML = '<p class="muted">' + T.loading + "</p>";
    C.showError(null, $("advice-error"));
    if (categories.length) loadOutlook();  // the outlook follows the target too
    api("GET", S + "/staffing/advice?" + q.toString()).then(renderAdvice, function (e) {
      $("advice-result").innerHTML = ""; fail("advice-error", e);
    });
  });
  function need(n) { return n >= 6 ? "more" : "n" + n; }
  function renderAdvice(r) {
    var slots = r.slots || [];
    if (!slots.length) { $("advice-result").innerHTML = '<p class="muted">' + T.none + "</p>"; return; }
    var codes = categories.map(function (c) { return c.code; }).filter(function (code) {
      return slots.some(function (s) { return s.categories[code]; });
    });
    var head = "<tr><th>" + T.slot + "</th>" + codes.map(function (c) { return '<th class="num">' + esc(catName(c)) + "</th>"; }).join("") +
               '<th class="num">' + T.total + "</th></tr>";
    var rows = slots.map(function (s) {
      var total = 0;
      var cells = codes.map(function (code) {
        var x = s.categories[code];
        if (!x) return '<td class="need n0">—</td>';
        total += x.windows_needed;
        return '<td class="need ' + need(x.windows_needed) + '" title="' + esc(T.arrivals + " " + x.arrivals + " · " + T.erlang + " " + x.erlang_windows) + '">' +
          x.windows_needed + " <small>(" + x.erlang_windows + ')</small><span class="sub">' + x.arrivals + " " + T.arrivals + "</span></td>";
      }).join("");
      return '<tr data-slot="' + esc(s.start) + '"><td>' + esc(s.start + "–" + s.end) + "</td>" + cells + '<td class="num"><b>' + total + "</b></td></tr>";
    }).join("");
    if (!$("advice-date").value && r.date) $("advice-date").value = r.date;
    var meta = T.meta({date: r.date, source: C.label("staffing_sources", r.source), arrivals: r.arrivals,
                       plan: r.plan ? C.label("staffing_sources", r.plan.kind) : ""});
    $("advice-result").innerHTML = '<p class="note" id="advice-meta">' + esc(meta) + "</p>" +
      '<table class="grid-table advice" id="advice">' + "<thead>" + head + "</thead><tbody>" + rows + "</tbody></table>" +
      (r.summary ? figuresTable("advice-summary", r.summary, ["policy", "advised", "a_only", "pooled"], null) : "") +
      (r.replications ? '<p class="note" id="advice-spread">' + esc(T.spread(r.replications.figures)) + "</p>" : "");
  }

  // B posts to add: the server's search within the skills table, said as sentences.
  function plainName(code) {
    var c = categories.filter(function (c) { return c.code === code; })[0];
    return c ? C.name(c) : code;
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
    $("bposts-result").innerHTML = '<p class="muted">' + T.loading + "</p>";
    C.showError(null, $("bposts-error"));
    api("GET", S + "/staffing/b-posts?" + q.toString()).then(renderBPosts, function (e) {
      $("bposts-result").innerHTML = ""; fail("bposts-error", e);
    });
  });
  function renderBPosts(r) {
    lastBPosts = r;
    var lines = r.changes.map(function (c) {
      return '<li class="bpost" data-category="' + esc(c.add_b) + '">' + esc(T.change(plainName(c.add_b), c.windows,
        c.category_mean_wait_minutes.map(mins), c.category_within_target_share.map(pct))) + "</li>";
    }).join("");
    var added = {};
    r.steps.forEach(function (s) { (added[s.window] = added[s.window] || []).push(s.add_b); });
    var rows = r.plan.windows.filter(function (w) { return added[w.number]; }).map(function (w) {
      var names = function (codes) { return codes.map(plainName).join(T.sep) || "—"; };
      return "<tr><td>" + w.number + "</td><td>" + esc(names(w.a)) + "</td><td>" + esc(names(w.b)) +
        '</td><td class="better">' + esc(names(w.b.concat(added[w.number]))) + "</td></tr>";
    }).join("");
    $("bposts-result").innerHTML = (lines ? '<ol id="bposts-changes">' + lines + "</ol>" :
        '<p id="bposts-changes">' + T.nothing + "</p>") +
      (rows ? '<table class="grid-table" id="bposts-plan"><thead><tr>' + T.plan_cols.map(function (h) {
        return "<th>" + h + "</th>"; }).join("") + "</tr></thead><tbody>" + rows + "</tbody></table>" : "") +
      (r.steps.length ? '<p><button type="button" class="primary" id="bposts-apply">' + T.apply + '</button> <span class="note" id="bposts-applied"></span></p>' : "") +
      (r.confidence && r.confidence.days ? '<p class="note" id="bposts-confidence">' + esc(T.sure(r.confidence)) + "</p>" : "") +
      hallPlan(r.hall) +
      '<p class="note" id="bposts-meta">' + esc(T.hall_wait(mins(r.before.mean_wait_minutes), mins(r.after.mean_wait_minutes), r.replications)) +
      "<br>" + esc(T.stopped + C.label("staffing_stops", r.stopped)) + " · " +
      esc(C.label("staffing_sources", r.skills.kind)) + " · " + esc(T.sims(r.simulations)) + " · " +
      esc(C.label("staffing_sources", r.source)) + "</p>";
  }

  // Applying the advice: the advised B posts through the rebalance use case, in one transaction.
  $("bposts-result").addEventListener("click", function (ev) {
    if (!ev.target || ev.target.id !== "bposts-apply" || !lastBPosts) return;
    ev.target.disabled = true;
    var posts = lastBPosts.steps.map(function (s) { return {window: s.window, category: s.add_b}; });
    C.showError(null, $("bposts-error"));
    api("POST", S + "/windows/b-posts", {posts: posts}).then(function (r) {
      $("bposts-applied").textContent = T.applied(r.windows.map(function (w) { return w.number; }));
    }, function (e) { ev.target.disabled = false; fail("bposts-error", e); });
  });
  var lastBPosts = null;

  // Windows to open per half hour for the hall as a whole, and what that does against today.
  function hallPlan(h) {
    if (!h || !h.slots.length) return "";
    var rows = h.slots.map(function (s) {
      return '<tr data-slot="' + esc(s.start) + '"><td>' + esc(s.start + "–" + s.end) + '</td><td class="num">' + s.open +
        "</td><td>" + esc(s.windows.join(T.sep)) + "</td></tr>";
    }).join("");
    var cats = Object.keys(h.after.categories).map(function (c) {
      return "<li>" + esc(T.hall_cat(plainName(c), mins(h.before.categories[c].mean_wait_minutes),
                                       mins(h.after.categories[c].mean_wait_minutes))) + "</li>";
    }).join("");
    return "<h3>" + esc(T.hall_title) + '</h3><table class="grid-table" id="hall-plan"><thead><tr>' +
      T.hall_cols.map(function (c) { return "<th>" + c + "</th>"; }).join("") + "</tr></thead><tbody>" + rows +
      '</tbody></table><p class="note" id="hall-effect">' + esc(T.hall_effect(h)) + '</p><ul class="note" id="hall-categories">' + cats + "</ul>";
  }

  var WHATIF_COLS = ["mean_wait_minutes", "p90_wait_minutes", "within_target_share", "unserved"];
  function figuresTable(id, result, keys, baseline, only, labels) {
    var cols = (only || FIG.concat(["utilisation", "served_on_a_share"])).filter(function (k) {
      return keys.some(function (row) { return result[row] && result[row][k] !== undefined; });
    });
    var head = "<tr><th>" + T.scenario + "</th>" + cols.map(function (k) { return '<th class="num">' + T.cols[k] + "</th>"; }).join("") + "</tr>";
    var body = keys.filter(function (row) { return result[row]; }).map(function (row) {
      var r = result[row];
      return '<tr class="' + row + '" data-row="' + row + '"><td>' + esc((labels || {})[row] || C.label("staffing_rows", row)) + "</td>" + cols.map(function (k) {
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
    $("whatif-result").innerHTML = '<p class="muted">' + T.loading + "</p>";
    C.showError(null, $("whatif-error"));
    api("POST", S + "/staffing/what-if", body).then(function (r) {
      var keys = ["baseline", "changed", "pooled", "a_only"];
      if (!$("whatif-from").value && r.from) $("whatif-from").value = r.from;
      var html = figuresTable("whatif", r, keys, r.baseline, WHATIF_COLS, T.whatif_rows);
      if (r.windows) html += '<p class="note">' + esc(T.windows(r.windows.baseline, r.windows.changed)) + "　" +
                             esc(T.span(r.from, r.until)) + "</p>";
      var per = {};
      keys.forEach(function (k) { if (r[k] && r[k].categories && r[k].categories[code]) per[k] = r[k].categories[code]; });
      if (Object.keys(per).length) {
        html += "<h3>" + esc(T.category_only(catName(code))) + "</h3>" +
          figuresTable("whatif-category-figures", per, keys, per.baseline, WHATIF_COLS, T.whatif_rows);
      }
      $("whatif-result").innerHTML = html;
    }, function (e) { $("whatif-result").innerHTML = ""; fail("whatif-error", e); });
  });
})();
