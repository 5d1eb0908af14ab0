// A page that comes back with refusals moves the focus to their summary at the top (it links to each field).
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
