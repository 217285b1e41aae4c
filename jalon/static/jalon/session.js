/* Keeps a working agent's session open and never loses what a form held (CNP-13).
 *
 * - While the agent types or clicks, the page pings the keep-alive URL (at most once a
 *   minute), so the server-side idle timeout only ends sessions nobody is using.
 * - Two minutes before an idle session ends, a dialog offers to stay connected.
 * - What POST forms hold is kept in this tab (sessionStorage, never the disk) and put
 *   back after logging in again; it is dropped once the form has gone through, and on
 *   logout (the server sends Clear-Site-Data).
 */
(function () {
  "use strict";
  var body = document.body;
  var DRAFT_PREFIX = "jalon-draft:";
  var SUBMITTED_KEY = "jalon-draft-submitted";
  var onLoginPage = body.dataset.page === "login";

  function draftKey(form, index) {
    return DRAFT_PREFIX + window.location.pathname + ":" + (form.id || index);
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") return false;
      return ["password", "hidden", "file", "submit", "button"].indexOf(el.type) === -1;
    });
  }

  function saveDraft(form, index) {
    var values = {};
    keptFields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (values[el.name] = values[el.name] || []).push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = [el.value];
      }
    });
    try { sessionStorage.setItem(draftKey(form, index), JSON.stringify(values)); } catch (e) { /* full or disabled */ }
  }

  function restoreDraft(form, index) {
    var raw = sessionStorage.getItem(draftKey(form, index));
    if (!raw) return false;
    var values = JSON.parse(raw);
    var restored = false;
    keptFields(form).forEach(function (el) {
      var saved = values[el.name];
      if (!saved) return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (!el.checked && saved.indexOf(el.value) !== -1) { el.checked = true; restored = true; }
      } else if (!el.value && saved[0]) {
        el.value = saved[0];
        restored = true;
      }
    });
    return restored;
  }

  function setupDrafts() {
    // A submitted form whose next page is elsewhere went through: forget it. Back on the
    // login page (session ended) or on the same form (errors, or after logging in again),
    // keep it.
    var submitted = sessionStorage.getItem(SUBMITTED_KEY);
    var samePage = submitted && submitted.indexOf(DRAFT_PREFIX + window.location.pathname + ":") === 0;
    if (submitted && !onLoginPage && !samePage) {
      sessionStorage.removeItem(submitted);
      sessionStorage.removeItem(SUBMITTED_KEY);
    }
    if (onLoginPage) return;
    var forms = document.querySelectorAll("form[method=post]:not([data-no-draft])");
    Array.prototype.forEach.call(forms, function (form, index) {
      if (restoreDraft(form, index)) {
        var notice = document.createElement("div");
        notice.className = "fr-alert fr-alert--info fr-alert--sm fr-mb-2w";
        notice.setAttribute("role", "status");
        notice.dataset.testid = "draft-restored";
        notice.innerHTML = "<p>Ce que vous aviez saisi avant la fin de votre session a été restauré.</p>";
        form.parentNode.insertBefore(notice, form);
      }
      form.addEventListener("input", function () { saveDraft(form, index); });
      form.addEventListener("change", function () { saveDraft(form, index); });
      form.addEventListener("submit", function () {
        saveDraft(form, index);
        sessionStorage.setItem(SUBMITTED_KEY, draftKey(form, index));
      });
    });
  }

  function setupKeepAlive() {
    var idleSeconds = parseInt(body.dataset.idleSeconds || "0", 10);
    var keepaliveUrl = body.dataset.keepaliveUrl;
    if (!idleSeconds || !keepaliveUrl) return;
    var csrf = (document.cookie.match(/(?:^|; )jalon_csrftoken=([^;]+)/) || [])[1] || "";
    var lastServerTouch = Date.now();
    var lastActivity = Date.now();
    var dialog = document.getElementById("session-warning");

    function goToLogin() {
      var next = window.location.pathname + window.location.search;
      window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(next));
    }

    function ping() {
      lastServerTouch = Date.now();
      return fetch(keepaliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": decodeURIComponent(csrf), "Accept": "application/json" },
      }).then(function (response) {
        if (response.status === 401 || response.redirected) goToLogin();
      }).catch(function () { /* offline for a moment: try again at the next activity */ });
    }

    ["keydown", "input", "click", "scroll", "touchstart"].forEach(function (name) {
      document.addEventListener(name, function () { lastActivity = Date.now(); }, { passive: true, capture: true });
    });
    document.body.addEventListener("htmx:afterRequest", function () { lastServerTouch = Date.now(); });
    if (dialog) {
      document.getElementById("session-stay").addEventListener("click", function () {
        ping();
        if (dialog.open) dialog.close();
      });
    }

    setInterval(function () {
      var now = Date.now();
      if (lastActivity > lastServerTouch && now - lastServerTouch > 60000) {
        ping();
        if (dialog && dialog.open) dialog.close();
        return;
      }
      var idleFor = (now - lastServerTouch) / 1000;
      if (idleFor >= idleSeconds) {
        goToLogin();
      } else if (dialog && !dialog.open && idleFor >= idleSeconds - 120) {
        dialog.showModal();
      }
    }, 5000);
  }

  setupDrafts();
  setupKeepAlive();
})();
