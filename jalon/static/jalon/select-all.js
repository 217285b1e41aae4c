/* "Tout sélectionner" ticks every box of the list in place (the link itself reloads the page
 * with every box ticked, for a browser without JavaScript). */
(function () {
  "use strict";
  document.querySelectorAll("a[data-select-all]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var boxes = document.querySelectorAll("input[data-select-item]");
      var tick = Array.prototype.some.call(boxes, function (box) { return !box.checked; });
      boxes.forEach(function (box) { box.checked = tick; });
      link.textContent = tick ? "Tout désélectionner" : "Tout sélectionner";
    });
  });
})();
