/* Elements built from the server's answers without markup strings: text goes in as text, so a
   name typed by a person can never become markup. el("li", {className: "x", dataset: {id: 1}},
   [child, "text", null]) — props are element properties (dataset and attributes merged in),
   children are nodes or strings; null and false are skipped. */
(function () {
  "use strict";
  var Q = window.Queuehall = window.Queuehall || {};
  Q.el = function (tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v == null || v === false) return;
      if (k === "dataset") Object.keys(v).forEach(function (d) { node.dataset[d] = v[d]; });
      else if (k === "attrs") Object.keys(v).forEach(function (a) { node.setAttribute(a, v[a]); });
      else node[k] = v;
    });
    Q.fill(node, children);
    return node;
  };
  /* Replace an element's children (nodes or strings). */
  Q.fill = function (node, children) {
    node.replaceChildren.apply(node, [].concat(children == null ? [] : children)
      .filter(function (c) { return c != null && c !== false; }));
    return node;
  };
})();
