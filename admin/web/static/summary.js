// A page that comes back with refusals moves the focus to their summary at the top (it links to each field).
// After "load": the browser's own scroll to the form's #fragment would otherwise take the focus away again.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  window.addEventListener("load", function () {
    summary.focus();
  });
})();
