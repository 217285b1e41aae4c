/* Offence picker inside a form: a "Choisir" button of the results copies its NATINF number
 * into the form's number field. A static file rather than an inline handler, which the
 * Content-Security-Policy refuses. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-natinf]");
    if (!button) return;
    var field = document.getElementById("id_natinf");
    if (!field) return;
    field.value = button.dataset.pickNatinf;
    field.focus();
  });
})();
