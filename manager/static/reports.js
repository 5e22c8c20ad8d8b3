/* Reports page: while the range includes today, re-read the figures when the hall's event feed
   says something was issued, called, served or rated (the server computes them; this only swaps
   the rendered report in place, keeping opened sections open). */
(function () {
  "use strict";
  var mc = window.managerConsole;
  var report = document.getElementById("report");
  if (!mc || !report || report.dataset.live !== "1") return;
  var COUNTED = ["issued", "called", "finished", "no_show", "transferred", "cancelled", "evaluated"];
  var busy = false, again = false, first = true;

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error(r.statusText)); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("report");
        if (!fresh) return;
        var open = [].map.call(report.querySelectorAll("details[open]"), function (d) {
          return d.closest("section").id; });
        [].forEach.call(fresh.querySelectorAll("#charts img"), function (img) {
          img.src = img.getAttribute("src") + "&v=" + Date.now();  // a new picture, not the cached one
        });
        report.innerHTML = fresh.innerHTML;
        open.forEach(function (id) {
          var d = document.querySelector("#" + id + " details"); if (d) d.open = true; });
        report.dataset.refreshed = String((Number(report.dataset.refreshed) || 0) + 1);
        mc.showError(null);
      }, function (e) { mc.showError(e); })
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }

  mc.feed(mc.site, function (events, resync) {
    if (first) { first = false; if (!events.length) return; }  // the page is fresh on connect
    if (resync || events.some(function (e) { return COUNTED.indexOf(e.type) >= 0; })) refresh();
  });
})();
