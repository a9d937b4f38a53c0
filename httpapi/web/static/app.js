// newsdedup: small enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // On a diff, a switch to hide the passages kept unchanged.
  var table = document.querySelector("table.diff");
  if (!table || !table.querySelector("tr.kept")) return;
  var label = document.createElement("label");
  label.className = "toggle";
  var box = document.createElement("input");
  box.type = "checkbox";
  box.id = "only-changes";
  label.appendChild(box);
  label.appendChild(document.createTextNode(" Show only what changed"));
  table.parentNode.insertBefore(label, table);
  box.addEventListener("change", function () {
    table.classList.toggle("only-changes", box.checked);
  });
});
