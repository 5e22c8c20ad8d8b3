/* The window console: sign in, choose window and post, then act on tickets through /api/v1.
   Every rule (who is called next, what an action may do) is the server's; this page shows
   the answer, and refreshes when the hall's events say something changed. */
(function () {
  "use strict";
  var Q = Queuehall, zh = Q.lang() === "zh";
  var T = zh ? {
    username: "用户名", password: "密码", login: "登录", pick_window: "选择窗口和岗位", window: "窗口",
    post: "岗位", post_a: "A岗（主岗）", post_b: "B岗（备岗）", sign_in: "签到上岗", signout: "签退",
    open: "开始服务", pause: "暂停", close: "关闭窗口", current: "当前号码", call: "叫下一号",
    recall: "重呼", start: "开始办理", finish: "办结", no_show: "过号", transfer: "转办", suspend: "挂起",
    resume: "恢复", suspended: "挂起的号码", queue: "可呼叫的排队", number: "号码", category: "类别",
    waited: "已等", today: "本窗口今日", transfer_to: "转办到", to_category: "类别", to_window: "窗口",
    confirm: "确定", cancel: "取消", pause_reason: "暂停原因", other_reason: "其他原因（可填写）",
    special: "特呼", reinstate: "过号重排", reprint: "补打", reason: "原因", ticket_number: "号码",
    special_title: "特呼：指定号码到本窗口", reinstate_title: "过号重排：放回排队（排在现有等候者之后）",
    reprint_title: "补打号码票", printer: "打印机", order: "顺序", rule: "呼叫依据",
    not_now: "暂不呼叫（B岗未启用）", pick_number: "点击号码可特呼",
    special_reasons: ["家属同办", "老弱病残孕照顾", "现场引导", "预约按时到场"],
    reinstate_reasons: ["申请人返回", "误点过号", "叫号时在其他窗口"],
    reprint_reasons: ["号码票丢失", "打印不清", "未出票"],
    reasons: ["午休", "临时离开", "业务咨询", "系统故障", "会议"],
    statuses: {called: "已呼叫，等待到窗口", serving: "办理中"},
    win: function (n) { return n + "号窗口"; }, minutes: function (m) { return m + " 分钟"; },
    stats: {called: "呼叫", finished: "办结", no_show: "过号", transferred: "转办", recalled: "重呼", avg_service_minutes: "平均办理（分钟）"},
    transferred_in: "转办", via_backup: "（B岗业务）", waited_for: "已等候", none: "无", empty_queue: "暂无排队", sep: "；",
    more: function (n) { return "还有 " + n + " 位"; },
    passed_over: function (n, m, why) { return "先于更早的 " + n + "（已等 " + m + " 分钟）：" + why; },
    post_of: function (p, name) { return p + "岗 " + name; },
    lookup: "查询码查号", lookup_placeholder: "取号机显示的查询码（如 K1-7QX4P2）或预约码", lookup_go: "查询",
    found: function (r, t, status, printed) {
      return r.code + "：已取号 " + t.number + "（" + catName(t.category.code) + "），" + status +
        (t.window ? "，" + t.window + "号窗口" : "") + (r.kiosk ? "；" + r.kiosk.name : "") +
        "，" + hhmm(t.issued_at) + " 取号" + (printed ? "；号码票" + printed : "");
    }
  } : {
    username: "Username", password: "Password", login: "Sign in", pick_window: "Choose window and post", window: "Window",
    post: "Post", post_a: "A (primary)", post_b: "B (backup)", sign_in: "Start at this window", signout: "Sign out",
    open: "Open", pause: "Pause", close: "Close window", current: "Current ticket", call: "Call next",
    recall: "Recall", start: "Start", finish: "Finish", no_show: "No-show", transfer: "Transfer", suspend: "Suspend",
    resume: "Resume", suspended: "Suspended tickets", queue: "Queue this window may call", number: "Number", category: "Category",
    waited: "Waited", today: "This window today", transfer_to: "Transfer to", to_category: "Category", to_window: "Window",
    confirm: "OK", cancel: "Cancel", pause_reason: "Reason for the pause", other_reason: "Other reason (type it)",
    special: "Call number", reinstate: "Reinstate", reprint: "Reprint", reason: "Reason", ticket_number: "Number",
    special_title: "Call a number out of turn", reinstate_title: "Reinstate a no-show (queues behind those waiting)",
    reprint_title: "Reprint the ticket", printer: "Printer", order: "#", rule: "Called because",
    not_now: "Not now (B work off)", pick_number: "Click a number to call it out of turn",
    special_reasons: ["Family served together", "Elderly, disabled or pregnant", "Sent by the floor staff", "Appointment on time"],
    reinstate_reasons: ["Applicant came back", "Marked no-show by mistake", "Was at another window"],
    reprint_reasons: ["Ticket lost", "Print unreadable", "Ticket did not print"],
    reasons: ["Lunch break", "Away briefly", "Consultation", "System fault", "Meeting"],
    statuses: {called: "Called, waiting for the applicant", serving: "Serving"},
    win: function (n) { return "Window " + n; }, minutes: function (m) { return m + " min"; },
    stats: {called: "Called", finished: "Finished", no_show: "No-shows", transferred: "Transferred", recalled: "Recalls", avg_service_minutes: "Avg service (min)"},
    transferred_in: "transferred", via_backup: " (B work)", waited_for: "waited", none: "none", empty_queue: "Nobody waiting", sep: "; ",
    more: function (n) { return n + " more"; },
    passed_over: function (n, m, why) { return "called before the older " + n + " (waited " + m + " min): " + why; },
    post_of: function (p, name) { return "Post " + p + ": " + name; },
    lookup: "Lookup code", lookup_placeholder: "The kiosk's code (e.g. K1-7QX4P2) or an appointment code", lookup_go: "Look up",
    found: function (r, t, status, printed) {
      return r.code + ": ticket " + t.number + " issued (" + catName(t.category.code) + "), " + status +
        (t.window ? ", window " + t.window : "") + (r.kiosk ? "; " + r.kiosk.name : "") +
        ", at " + hhmm(t.issued_at) + (printed ? "; ticket " + printed : "");
    }
  };
  var $ = function (id) { return document.getElementById(id); };
  var esc = Q.esc, api = Q.api, label = Q.label;
  var me = null, site = null, windowNo = null, view = null, categories = [], feed = null;
  var printers = [];

  document.querySelectorAll("[data-t]").forEach(function (el) { el.textContent = T[el.dataset.t]; });
  document.querySelectorAll("[data-t-placeholder]").forEach(function (el) { el.placeholder = T[el.dataset.tPlaceholder]; });
  document.querySelectorAll("button[data-act]").forEach(function (b) {
    if (!b.dataset.t) b.textContent = T[b.dataset.act];
    if (b.dataset.key) b.insertAdjacentHTML("beforeend", "<kbd>" + b.dataset.key + "</kbd>");
  });
  $("signout").textContent = T.signout;

  function showError(e) { $("error").hidden = !e; $("error").textContent = e ? e.message : ""; }
  function show(which) { ["login", "pick", "console"].forEach(function (s) { $(s).hidden = s !== which; }); }

  function boot() {
    Q.labels().then(signIn);
  }
  function signIn() {
    api("GET", "/auth/me").then(function (r) { Q.useCsrf(r.csrf_token); signedIn(r.user); }, function () {
      api("GET", "/auth/csrf").then(function (r) { Q.useCsrf(r.csrf_token); });
      show("login");
    });
  }
  $("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target;
    api("POST", "/auth/login", {username: f.username.value, password: f.password.value}).then(function (r) {
      Q.useCsrf(r.csrf_token); showError(null); signedIn(r.user);
    }, showError);
  });
  function signedIn(user) {
    me = user;
    $("lookup").hidden = false;
    $("who").textContent = user.name;
    $("signout").hidden = false;
    api("GET", "/sites").then(function (sites) {
      site = (sites.filter(function (s) { return s.id === user.site_id; })[0] || sites[0]).code;
      return api("GET", "/sites/" + site + "/categories");
    }).then(function (cats) {
      categories = cats;
      $("transfer-category").innerHTML = categories.map(function (c) {
        return '<option value="' + esc(c.code) + '">' + esc(c.prefix + " " + catName(c.code)) + "</option>"; }).join("");
      return api("GET", "/sites/" + site + "/windows");
    }).then(function (windows) {
      var mine = windows.filter(function (w) { return w.posts.some(function (p) { return p.staff_id === me.id; }); })[0];
      $("pick-window").innerHTML = windows.map(function (w) {
        return '<option value="' + w.number + '">' + esc(windowLabel(w)) + " — " +
               esc(w.a_categories.map(catName).join("、")) + "</option>";
      }).join("");
      $("transfer-window").innerHTML = windows.map(function (w) { return '<option value="' + w.number + '">' + esc(windowLabel(w)) + "</option>"; }).join("");
      if (mine) { windowNo = mine.number; startConsole(); } else { show("pick"); }
    }).catch(showError);
  }
  $("pick-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var n = Number(ev.target.window.value), post = ev.target.post.value;
    // 签到上岗: the post and an open window in one step
    api("POST", "/sites/" + site + "/windows/" + n + "/sign-in", {post: post, open: true}).then(function () {
      windowNo = n; showError(null); startConsole();
    }, showError);
  });
  // Enter while choosing (outside the lookup box) is 签到上岗: one key from login to an open window
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || $("pick").hidden || ev.target.closest("#lookup")) return;
    ev.preventDefault(); $("pick-form").requestSubmit();
  });
  $("pick-form").querySelector("button[type=submit]").insertAdjacentHTML("beforeend", "<kbd>Enter</kbd>");
  $("signout").addEventListener("click", function () {
    var done = function () { return api("POST", "/auth/logout", {}).then(function () { location.reload(); }); };
    (windowNo ? api("POST", "/sites/" + site + "/windows/" + windowNo + "/sign-out", {}) : Promise.resolve())
      .then(done, done);
  });

  function startConsole() {
    show("console");
    api("GET", "/sites/" + site + "/printers").then(function (ps) { printers = ps; }, function () {});
    refresh();
    if (!feed) {  // any event may change this window's view: read it again (a gap resyncs, then reads)
      var timer = null;
      feed = new Q.Feed({site: site}, {
        snapshot: refresh,
        event: function () { clearTimeout(timer); timer = setTimeout(refresh, 150); }
      }).start();
    }
  }
  function refresh() {
    if (!windowNo) return;
    api("GET", "/sites/" + site + "/windows/" + windowNo).then(function (w) {
      view = w; renderWindow(w);
      // What this window may call, as the server says: its categories, plus tickets transferred to it.
      return api("GET", "/sites/" + site + "/tickets?window=" + windowNo);
    }).then(renderQueue).catch(showError);
    api("GET", "/sites/" + site + "/windows/" + windowNo + "/stats/today").then(renderStats, function () {});
  }
  function catName(code) {
    var c = categories.filter(function (c) { return c.code === code; })[0];
    return c ? Q.name(c) : code;
  }
  function windowLabel(w) {
    var name = Q.name(w);
    return T.win(w.number) + (name && name !== T.win(w.number) ? " · " + name : "");
  }
  function minutesSince(iso) { return Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60000)); }
  function renderWindow(w) {
    $("window-name").textContent = windowLabel(w);
    $("window-state").className = w.state;
    $("window-state").textContent = label("window_states", w.state) + (w.pause_reason ? (zh ? "：" : ": ") + w.pause_reason : "");
    $("posts").textContent = w.posts.map(function (p) { return T.post_of(p.post, p.name); }).join("　");
    var c = w.current;
    $("current-number").textContent = c ? c.number : "—";
    $("current-status").textContent = c ? (T.statuses[c.status] || c.status) + " · " + catName(c.category.code) : "";
    $("current-reason").textContent = c && c.call_reason ? reasonText(c.call_reason) + (c.call_reason.note ? T.sep + c.call_reason.note : "") : "";
    $("no-shows").innerHTML = (w.no_shows || []).map(function (t) {
      return "<li>" + esc(t.number) + "</li>"; }).join("") || "<li>" + T.none + "</li>";
    $("suspended").innerHTML = w.suspended.map(function (t) {
      return "<li>" + esc(t.number) + ' <button data-resume="' + t.id + '">' + esc(T.resume) + "</button></li>"; }).join("") || "<li>" + T.none + "</li>";
    var has = !!c, serving = has && c.status === "serving", open = w.state === "open";
    enable("call", open && !has); enable("recall", has && !serving); enable("start", has && !serving);
    enable("finish", serving); enable("no_show", has && !serving); enable("transfer", has); enable("suspend", serving);
    enable("open", !open); enable("pause", open); enable("close", w.state !== "closed");
    enable("special", open && !has); enable("reinstate", (w.no_shows || []).length > 0); enable("reprint", has);
  }
  function reasonText(r) {
    var p = r.passed_over;  // an older eligible ticket this call passed over: not "longest wait"
    var text = label("call_rules", p && r.rule === "arrival" ? p.beaten_by : r.rule) + (r.via_backup ? T.via_backup : "");
    if (r.backup_trigger) text += T.sep + label("backup_triggers", r.backup_trigger);
    if (r.waited_seconds != null) text += T.sep + T.waited_for + " " + T.minutes(Math.round(r.waited_seconds / 60));
    if (p) text += T.sep + T.passed_over(p.number, Math.round(p.waited_seconds / 60), label("call_rules", p.beaten_by));
    return text;
  }
  function enable(act, on) { var b = document.querySelector('[data-act="' + act + '"]'); if (b) b.disabled = !on; }
  function renderQueue(queue) {
    // The server's order is the order this window's calls take them (the policy's): kept as is.
    // It sends the first ones only, and how many wait in all.
    var tickets = queue.tickets, more = queue.total - tickets.length, targets = {};
    categories.forEach(function (c) { targets[c.code] = c.wait_target_minutes; });
    $("queue").querySelector("tbody").innerHTML = tickets.map(function (t, i) {
      var m = minutesSince(t.queued_at), late = targets[t.category.code] && m > targets[t.category.code];
      return '<tr data-number="' + esc(t.number) + '"><td>' + (t.call_rule ? i + 1 : "") +
             '</td><td><button type="button" class="number" data-special="' + esc(t.number) + '">' + esc(t.number) + "</button>" +
             (t.priority_class !== "normal" ? " ★" : "") +
             (t.transfer_count ? ' <small class="transferred">' + esc(T.transferred_in) + "</small>" : "") +
             "</td><td>" + esc(catName(t.category.code)) +
             '</td><td class="rule">' + esc(t.call_rule ? label("call_rules", t.call_rule) : T.not_now) +
             '</td><td class="' + (late ? "late" : "") + '">' + esc(T.minutes(m)) + "</td></tr>";
    }).join("") + (more > 0 ? '<tr class="more"><td colspan="5">' + esc(T.more(more)) + "</td></tr>" : "") ||
      '<tr><td colspan="5">' + T.empty_queue + "</td></tr>";
  }
  function renderStats(s) {
    $("stats").innerHTML = Object.keys(T.stats).map(function (k) {
      return "<dt>" + esc(T.stats[k]) + "</dt><dd>" + esc(s[k] == null ? "—" : s[k]) + "</dd>"; }).join("");
  }

  var W = function () { return "/sites/" + site + "/windows/" + windowNo; };
  var TK = function (id, what) { return "/sites/" + site + "/tickets/" + id + "/" + what; };
  var actions = {
    call: function () { return api("POST", W() + "/call-next", {}); },
    recall: function () { return api("POST", TK(view.current.id, "recall"), {}); },
    start: function () { return api("POST", TK(view.current.id, "start"), {}); },
    finish: function () { return api("POST", TK(view.current.id, "finish"), {}); },
    no_show: function () { return api("POST", TK(view.current.id, "no-show"), {}); },
    suspend: function () { return api("POST", TK(view.current.id, "suspend"), {}); },
    open: function () { return api("POST", W() + "/open", {}); },
    close: function () { return api("POST", W() + "/close", {}); },
    pause: function () { return ask($("pause-dialog")).then(function (f) {
      var reason = f.other.value.trim() || f.reason.value;
      return api("POST", W() + "/pause", {reason: reason}); }); },
    transfer: function () { return ask($("transfer-dialog")).then(function (f) {
      var body = f.kind.value === "window" ? {to_window: Number(f.window.value)} : {to_category: f.category.value};
      return api("POST", TK(view.current.id, "transfer"), body); }); },
    // 特呼, 过号重排 and 补打 always ask why: the reason is kept with the event
    special: function (number) {
      $("special-number").value = number || "";
      return ask($("special-dialog")).then(function (f) {
        return api("POST", W() + "/call", {number: f.number.value.trim().toUpperCase(), reason: why(f)}); }); },
    reinstate: function () {
      $("reinstate-ticket").innerHTML = view.no_shows.map(function (t) {
        return '<option value="' + t.id + '">' + esc(t.number + " · " + catName(t.category.code)) + "</option>"; }).join("");
      return ask($("reinstate-dialog")).then(function (f) {
        return api("POST", TK(f.ticket.value, "reinstate"), {reason: why(f)}); }); },
    reprint: function () {
      $("reprint-ticket").textContent = view.current.number;
      $("reprint-printer").innerHTML = printers.map(function (p) {
        return '<option value="' + esc(p.code) + '">' + esc(p.code + " · " + label("printer_states", p.status)) + "</option>"; }).join("");
      return ask($("reprint-dialog")).then(function (f) {
        return api("POST", TK(view.current.id, "reprint"), {printer: f.printer.value, reason: why(f)}); }); }
  };
  function why(form) { return form.other.value.trim() || form.reason.value; }
  [["special-reason", "special_reasons"], ["reinstate-reason", "reinstate_reasons"], ["reprint-reason", "reprint_reasons"]]
    .forEach(function (p) { $(p[0]).innerHTML = T[p[1]].map(function (r) { return "<option>" + esc(r) + "</option>"; }).join(""); });
  $("pause-reason").innerHTML = T.reasons.map(function (r) { return "<option>" + esc(r) + "</option>"; }).join("");
  function ask(dialog) {
    return new Promise(function (resolve, reject) {
      dialog.returnValue = "";
      dialog.onclose = function () { if (dialog.returnValue === "ok") resolve(dialog.querySelector("form")); else reject(null); };
      dialog.showModal();
    });
  }
  function run(act, arg) {
    var b = document.querySelector('[data-act="' + act + '"]');
    if (!b || b.disabled || !actions[act]) return;
    actions[act](arg).then(function () { showError(null); refresh(); }, function (e) { if (e) showError(e); refresh(); });
  }
  document.querySelectorAll("button[data-act]").forEach(function (b) {
    b.addEventListener("click", function () { run(b.dataset.act); });
  });
  $("queue").addEventListener("click", function (ev) {
    var number = ev.target.dataset && ev.target.dataset.special;
    if (number) run("special", number);
  });
  $("suspended").addEventListener("click", function (ev) {
    var id = ev.target.dataset && ev.target.dataset.resume;
    if (id) api("POST", TK(id, "resume"), {}).then(function () { showError(null); refresh(); }, function (e) { showError(e); refresh(); });
  });
  document.addEventListener("keydown", function (ev) {
    if ($("console").hidden || document.querySelector("dialog[open]")) return;
    if (ev.key.length === 1 && ev.target.closest && ev.target.closest("input, select, textarea")) return;  // typing, not a shortcut
    var b = document.querySelector('button[data-key="' + ev.key.toUpperCase() + '"]');
    if (!b && ev.key.length === 1) return;
    if (b) { ev.preventDefault(); run(b.dataset.act); }
  });
  // 查询码: a kiosk that got no answer sent the applicant here; the server says which ticket,
  // if any, that tap got.
  function hhmm(iso) {  // the desk PC's clock is the hall's
    return new Date(iso).toLocaleTimeString(zh ? "zh-CN" : "en-GB", {hour: "2-digit", minute: "2-digit", hour12: false});
  }
  $("lookup-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var box = $("lookup-result"), code = ev.target.code.value.trim();
    api("GET", "/sites/" + site + "/tickets/by-code/" + encodeURIComponent(code)).then(function (r) {
      var t = r.ticket, printed = r.print ? label("print_job_states", r.print.state) : "";
      box.className = "found";
      box.textContent = T.found(r, t, label("ticket_statuses", t.status), printed);
    }, function (e) {
      box.className = e.status === 404 ? "none" : "bad";
      box.textContent = e.message;
    }).then(function () { box.hidden = false; });
  });

  window.counterConsole = {refresh: refresh, state: function () { return view; }};
  boot();
})();
