/* Text to HTML for every page that builds markup from the server's answers (names, numbers,
   reasons typed by people). */
(function () {
  "use strict";
  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
  var Q = window.Queuehall = window.Queuehall || {};
  Q.esc = function (s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  };
})();
