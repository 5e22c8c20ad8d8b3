/* The hall screen (综合屏): the latest call, recent calls and waiting counts. */
(function () {
  var zh = document.documentElement.lang === "zh-CN";
  var T = zh ? {win: function (n) { return n + "号窗口"; }, people: "人", recall: "重呼",
                offline: "连接中断，正在重连…", notoken: "请用设备令牌打开本页：/display/hall#token=…",
                notice: "请留意叫号，过号请到服务台重新取号。"}
             : {win: function (n) { return "Window " + n; }, people: "", recall: "recall",
                offline: "Connection lost, reconnecting…", notoken: "Open this page with its device token: /display/hall#token=…",
                notice: "Please listen for your number. Missed numbers: see the service desk."};
  var esc = function (s) { return String(s == null ? "" : s).replace(/[&<>"]/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; }); };
  var flashSeq = null;
  function render(state, conn) {
    document.getElementById("clock").textContent = new Date().toLocaleString(zh ? "zh-CN" : "en-GB",
      {month: "2-digit", day: "2-digit", weekday: "short", hour: "2-digit", minute: "2-digit", second: "2-digit"});
    document.getElementById("status").textContent = conn === "offline" ? T.offline : "";
    if (conn === "no_token") { document.getElementById("main").innerHTML = '<p class="message">' + T.notoken + "</p>"; return; }
    if (!state) return;
    document.getElementById("title").textContent = zh ? state.site.name_zh : (state.site.name_en || state.site.name_zh);
    document.getElementById("notice").textContent = (screen.screen && screen.screen.notice) || T.notice;
    var calls = state.recent_calls, latest = document.getElementById("latest");
    if (calls.length) {
      var c = calls[0];
      latest.innerHTML = '<span class="num">' + esc(c.number) + '</span><span class="arrow">→</span>' + esc(T.win(c.window)) +
        (c.type === "recalled" ? '<span class="recall">' + T.recall + "</span>" : "");
      latest.classList.remove("empty");
      if (flashSeq !== c.seq) { flashSeq = c.seq; latest.classList.remove("flash"); void latest.offsetWidth; latest.classList.add("flash"); }
    }
    document.getElementById("recent").innerHTML = calls.slice(1, 7).map(function (c) {
      return '<tr><td class="num">' + esc(c.number) + (c.type === "recalled" ? '<span class="recall">' + T.recall + "</span>" : "") +
             '</td><td class="win">' + esc(T.win(c.window)) + "</td></tr>";
    }).join("");
    document.getElementById("waiting").innerHTML = state.categories.map(function (c) {
      return "<tr><td>" + esc(c.prefix) + " " + esc(zh ? c.name_zh : (c.name_en || c.name_zh)) +
             '</td><td class="n">' + c.waiting + " " + T.people + "</td></tr>";
    }).join("");
  }
  var screen = new QueuehallScreen("hall", render);
  window.hallScreen = screen;
  screen.start();
})();
