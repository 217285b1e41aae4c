/* A form is sent once: no double click, no resubmitted POST (issue 18, fault 1).
 *
 * - Every POST form gets a random hidden "submission_token" when the page loads; the
 *   server (jalon/core/submissions.py) runs the action once per token and answers a
 *   second request with the first one's result.
 * - Once the form is sent, its submit buttons are disabled and the clicked one says
 *   "Envoi en cours…" (aria-busy), so a second click does nothing. The clicked button's
 *   name and value still reach the server (a hidden copy), as some forms depend on it.
 * - Back on the page from the browser's cache, or after an htmx request, or if nothing
 *   happened after a while (a download), the buttons come back.
 */
(function () {
  "use strict";
  var FIELD = "submission_token";
  var BUSY_LABEL = "Envoi en cours…";
  var RELEASE_AFTER_MS = 15000;

  function randomToken() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function isPost(form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post" || form.hasAttribute("hx-post");
  }

  function addToken(form) {
    if (!isPost(form) || form.querySelector("input[name=" + FIELD + "]")) return;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = FIELD;
    input.value = randomToken();
    form.appendChild(input);
  }

  function submitButtons(form) {
    var inside = Array.prototype.slice.call(form.querySelectorAll("button:not([type=button]):not([type=reset]), input[type=submit]"));
    if (form.id) {
      inside = inside.concat(Array.prototype.slice.call(document.querySelectorAll("[form='" + form.id + "'][type=submit]")));
    }
    return inside;
  }

  function release(form) {
    delete form.dataset.sending;
    submitButtons(form).forEach(function (button) {
      if (button.dataset.sendingDisabled) {
        button.disabled = false;
        delete button.dataset.sendingDisabled;
        button.removeAttribute("aria-busy");
      }
      if (button.dataset.label !== undefined) {
        button.innerHTML = button.dataset.label;
        delete button.dataset.label;
      }
    });
    var copy = form.querySelector("input[data-submitter-copy]");
    if (copy) copy.remove();
  }

  function lock(form, submitter) {
    form.dataset.sending = "1";
    if (submitter && submitter.name) {
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      copy.dataset.submitterCopy = "1";
      form.appendChild(copy);
    }
    // Disabled after the browser has read the form, so the data sent is complete.
    window.setTimeout(function () {
      submitButtons(form).forEach(function (button) {
        if (button.disabled) return;
        button.disabled = true;
        button.dataset.sendingDisabled = "1";
        button.setAttribute("aria-busy", "true");
        if (button === submitter && button.tagName === "BUTTON") {
          button.dataset.label = button.textContent;
          button.textContent = BUSY_LABEL;
        }
      });
    }, 0);
    window.setTimeout(function () { release(form); }, RELEASE_AFTER_MS);
  }

  document.querySelectorAll("form").forEach(addToken);
  document.body.addEventListener("htmx:load", function (event) {
    var root = event.target;
    if (root.tagName === "FORM") addToken(root);
    if (root.querySelectorAll) root.querySelectorAll("form").forEach(addToken);
  });

  // Capture: a form already sent stops here, before htmx or any other listener sees it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (isPost(form) && form.dataset.sending) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // Bubble: lock only a form really leaving (htmx prevents the default of its own forms).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!isPost(form) || form.target === "_blank") return;
    if (event.defaultPrevented && !form.hasAttribute("hx-post")) return;
    lock(form, event.submitter);
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest ? event.target.closest("form") : null;
    if (form) release(form);
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-sending]").forEach(release);
  });
})();
