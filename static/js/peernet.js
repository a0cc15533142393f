/* Peernet's small enhancements. Every page works without this file. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  var announcer = document.getElementById("announcer");
  if (!announcer) return;

  function say(text) {
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // A form's refusal (400, 422, 429) is swapped in like any answer (base.html's htmx
  // config). Any other failure of a filter or a link shows the whole page as it now is;
  // a form that failed, or a lost connection, is said out loud over the page, and what
  // was typed stays in the form.
  function warn(message) {
    announcer.className = "notice warning";
    say(announcer.getAttribute(message));
  }
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.requestConfig.verb === "get") window.location.reload();
    else warn("data-failed");
  });
  document.addEventListener("htmx:sendError", function () { warn("data-offline"); });

  if (!navigator.clipboard) return;
  document.documentElement.classList.add("can-copy");

  function fieldFor(button) {
    var target = button.getAttribute("data-copy");
    var box = button.closest(".copy-field");
    return (target && document.querySelector(target)) || (box && box.querySelector("input, textarea"));
  }

  function copy(button) {
    var field = fieldFor(button);
    if (!field) return;
    navigator.clipboard.writeText(field.value).then(
      function () { say(announcer.getAttribute("data-copied")); },
      function () { field.focus(); field.select(); }
    );
  }

  function enhance(root) {
    root.querySelectorAll(".copy-field [data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".copy-field [data-copy]");
    if (button) copy(button);
  });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
  enhance(document);
})();
