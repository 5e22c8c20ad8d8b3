/* The window console: sign in, choose window and post, then act on tickets through /api/v1.
   Every rule (who is called next, what an action may do) is the server's; this page shows
   the answer, and refreshes when the hall's events say something changed. */
(function () {
  "use strict";
  var Q = Queuehall;
  var t = Q.t;  // the console's words: counter/words.py (the template is worded with them too)
  var $ = function (id) { return document.getElementById(id); };
  var esc = Q.esc, api = Q.api, label = Q.label;
  var me = null, site = null, windowNo = null, view = null, categories = [], feed = null;
  var printers = [];

  document.querySelectorAll("button[data-act]").forEach(function (b) {
    if (b.dataset.key) b.insertAdjacentHTML("beforeend", "<kbd>" + b.dataset.key + "</kbd>");
  });

  function showError(e) { $("error").hidden = !e; $("error").textContent = e ? e.message : ""; }
  function show(which) { ["login", "pick", "console"].forEach(function (s) { $(s).hidden = s !== which; }); }

  function boot() {
    Q.labels().then(signIn);
  }
  function signIn() {
    api("GET", "/auth/me").then(function (r) { Q.useCsrf(r.csrf_token); signedIn(r.user); }, function () {
      // the form shows once its CSRF token is here: a quick sign-in would otherwise be refused
      api("GET", "/auth/csrf").then(function (r) { Q.useCsrf(r.csrf_token); show("login"); },
                                    function (e) { showError(e); show("login"); });
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
    var title = t("window_n", {n: w.number});
    return title + (name && name !== title ? " · " + name : "");
  }
  function minutes(m) { return t("minutes_n", {n: m}); }
  function minutesSince(iso) { return Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60000)); }
  var STATUS = {called: "status.called", serving: "status.serving"};  // the console's own, longer words
  function renderWindow(w) {
    $("window-name").textContent = windowLabel(w);
    $("window-state").className = w.state;
    $("window-state").textContent = label("window_states", w.state) + (w.pause_reason ? t("colon") + w.pause_reason : "");
    $("posts").textContent = w.posts.map(function (p) { return t("post_of", {post: p.post, name: p.name}); }).join("　");
    var c = w.current;
    $("current-number").textContent = c ? c.number : "—";
    $("current-status").textContent = c ? (STATUS[c.status] ? t(STATUS[c.status]) : c.status) + " · " + catName(c.category.code) : "";
    $("current-reason").textContent = c && c.call_reason ? reasonText(c.call_reason) + (c.call_reason.note ? t("semi") + c.call_reason.note : "") : "";
    $("no-shows").innerHTML = (w.no_shows || []).map(function (k) {
      return "<li>" + esc(k.number) + "</li>"; }).join("") || "<li>" + esc(t("none")) + "</li>";
    $("suspended").innerHTML = w.suspended.map(function (k) {
      return "<li>" + esc(k.number) + ' <button data-resume="' + k.id + '">' + esc(t("resume")) + "</button></li>"; }).join("") || "<li>" + esc(t("none")) + "</li>";
    var has = !!c, serving = has && c.status === "serving", open = w.state === "open";
    enable("call", open && !has); enable("recall", has && !serving); enable("start", has && !serving);
    enable("finish", serving); enable("no_show", has && !serving); enable("transfer", has); enable("suspend", serving);
    enable("open", !open); enable("pause", open); enable("close", w.state !== "closed");
    enable("special", open && !has); enable("reinstate", (w.no_shows || []).length > 0); enable("reprint", has);
  }
  function reasonText(r) {
    var p = r.passed_over;  // an older eligible ticket this call passed over: not "longest wait"
    var text = label("call_rules", p && r.rule === "arrival" ? p.beaten_by : r.rule) + (r.via_backup ? t("via_backup") : "");
    if (r.backup_trigger) text += t("semi") + label("backup_triggers", r.backup_trigger);
    if (r.waited_seconds != null) text += t("semi") + t("waited_for", {minutes: minutes(Math.round(r.waited_seconds / 60))});
    if (p) text += t("semi") + t("passed_over", {number: p.number, minutes: Math.round(p.waited_seconds / 60),
                                                 why: label("call_rules", p.beaten_by)});
    return text;
  }
  function enable(act, on) { var b = document.querySelector('[data-act="' + act + '"]'); if (b) b.disabled = !on; }
  function renderQueue(queue) {
    // The server's order is the order this window's calls take them (the policy's): kept as is.
    // It sends the first ones only, and how many wait in all.
    var tickets = queue.tickets, more = queue.total - tickets.length, targets = {};
    categories.forEach(function (c) { targets[c.code] = c.wait_target_minutes; });
    $("queue").querySelector("tbody").innerHTML = tickets.map(function (k, i) {
      var m = minutesSince(k.queued_at), late = targets[k.category.code] && m > targets[k.category.code];
      return '<tr data-number="' + esc(k.number) + '"><td>' + (k.call_rule ? i + 1 : "") +
             '</td><td><button type="button" class="number" data-special="' + esc(k.number) + '">' + esc(k.number) + "</button>" +
             (k.priority_class !== "normal" ? " ★" : "") +
             (k.transfer_count ? ' <small class="transferred">' + esc(t("transferred_in")) + "</small>" : "") +
             "</td><td>" + esc(catName(k.category.code)) +
             '</td><td class="rule">' + esc(k.call_rule ? label("call_rules", k.call_rule) : t("not_now")) +
             '</td><td class="' + (late ? "late" : "") + '">' + esc(minutes(m)) + "</td></tr>";
    }).join("") + (more > 0 ? '<tr class="more"><td colspan="5">' + esc(t("more_n", {n: more})) + "</td></tr>" : "") ||
      '<tr><td colspan="5">' + esc(t("empty_queue")) + "</td></tr>";
  }
  var STATS = {called: "stats.called", finished: "stats.finished", no_show: "stats.no_show",
               transferred: "stats.transferred", recalled: "stats.recalled",
               avg_service_minutes: "stats.avg_service_minutes"};
  function renderStats(s) {
    $("stats").innerHTML = Object.keys(STATS).map(function (k) {
      return "<dt>" + esc(t(STATS[k])) + "</dt><dd>" + esc(s[k] == null ? "—" : s[k]) + "</dd>"; }).join("");
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
      $("reinstate-ticket").innerHTML = view.no_shows.map(function (k) {
        return '<option value="' + k.id + '">' + esc(k.number + " · " + catName(k.category.code)) + "</option>"; }).join("");
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
    return new Date(iso).toLocaleTimeString(Q.locale(), {hour: "2-digit", minute: "2-digit", hour12: false});
  }
  function found(r, status, printed) {
    var ticket = r.ticket;
    return t("found", {code: r.code, number: ticket.number, category: catName(ticket.category.code), status: status}) +
      (ticket.window ? t("found.window", {n: ticket.window}) : "") + (r.kiosk ? t("found.kiosk", {kiosk: r.kiosk.name}) : "") +
      t("found.at", {at: hhmm(ticket.issued_at)}) + (printed ? t("found.printed", {state: printed}) : "");
  }
  $("lookup-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var box = $("lookup-result"), code = ev.target.code.value.trim();
    api("GET", "/sites/" + site + "/tickets/by-code/" + encodeURIComponent(code)).then(function (r) {
      var printed = r.print ? label("print_job_states", r.print.state) : "";
      box.className = "found";
      box.textContent = found(r, label("ticket_statuses", r.ticket.status), printed);
    }, function (e) {
      box.className = e.status === 404 ? "none" : "bad";
      box.textContent = e.message;
    }).then(function () { box.hidden = false; });
  });

  window.counterConsole = {refresh: refresh, state: function () { return view; }};
  boot();
})();
