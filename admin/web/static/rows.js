// "Lägg till område": copy the last empty area row with the next index. Without JS the form has 5 rows.
(function () {
  var button = document.getElementById("add-area");
  var rows = document.getElementById("area-rows");
  if (!button || !rows) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var last = rows.lastElementChild;
    var index = rows.children.length;
    var copy = last.cloneNode(true);
    var old = "[" + last.dataset.row + "]", now = "[" + index + "]";
    var oldId = "-" + last.dataset.row + "-", nowId = "-" + index + "-";
    copy.dataset.row = index;
    copy.querySelector("legend").textContent = "Område " + (index + 1);
    copy.querySelectorAll(".error").forEach(function (e) { e.remove(); });
    copy.querySelectorAll("input").forEach(function (field) {
      field.name = field.name.replace(old, now);
      field.id = field.id.replace(oldId, nowId);
      field.value = "";
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    });
    copy.querySelectorAll("label").forEach(function (label) {
      label.htmlFor = label.htmlFor.replace(oldId, nowId);
    });
    copy.querySelectorAll(".hint").forEach(function (hint) { hint.id = hint.id.replace(oldId, nowId); });
    copy.querySelectorAll(".has-error").forEach(function (e) { e.classList.remove("has-error"); });
    rows.appendChild(copy);
    copy.querySelector("input").focus();
  });
})();
