/* SMS template editor: a placeholder button inserts its token at the cursor of the text
 * field named by data-insert-into, then asks htmx for a fresh preview. A static file rather
 * than an inline handler, which the Content-Security-Policy refuses. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-into]");
    if (!button) return;
    var field = document.getElementById(button.dataset.insertInto);
    if (!field) return;
    field.setRangeText(button.dataset.placeholder, field.selectionStart, field.selectionEnd, "end");
    field.focus();
    if (window.htmx) window.htmx.trigger(field, "change");
  });
})();
