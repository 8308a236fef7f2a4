// The counts beside a statement list (facets, timeline, exact total) are a request of their own, so
// they never hold the rows back: fetch them after the page and put each part in its place. Without
// JavaScript the placeholder is a link to the same counts as a page.
(function () {
  "use strict";
  var holder = document.querySelector("[data-counts-src]");
  if (!holder || !window.fetch || !window.DOMParser) {
    return;
  }
  fetch(holder.getAttribute("data-counts-src"), { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("counts answered " + response.status);
      }
      return response.text();
    })
    .then(function (html) {
      var counts = new DOMParser().parseFromString(html, "text/html");
      counts.querySelectorAll("main [data-part]").forEach(function (part) {
        var target = document.querySelector('main [data-part="' + part.getAttribute("data-part") + '"]');
        if (target) {
          target.replaceWith(document.importNode(part, true));
        }
      });
      document.documentElement.setAttribute("data-counts", "loaded");
    })
    .catch(function () {
      document.documentElement.setAttribute("data-counts", "failed");
    });
})();
