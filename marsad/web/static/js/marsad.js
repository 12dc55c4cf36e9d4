/* Marsad pages: entity info panel on click (canonical name, type, role, confidence). No inline handlers:
   everything is bound here; text is set with textContent, never innerHTML. */
(function () {
  "use strict";
  var panel = document.getElementById("info-panel");
  if (!panel) { return; }
  var body = panel.querySelector(".body");
  panel.querySelector(".close").addEventListener("click", function () { panel.hidden = true; clearFocus(); });

  function clearFocus() {
    document.querySelectorAll(".ent.focus").forEach(function (el) { el.classList.remove("focus"); });
  }
  function row(dl, label, value) {
    if (!value) { return; }
    var dt = document.createElement("dt"); dt.textContent = label;
    var dd = document.createElement("dd"); dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }
  document.querySelectorAll(".article .text .ent[data-type]").forEach(function (el) {
    el.addEventListener("click", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }  // let the link open in a new tab
      ev.preventDefault();
      body.replaceChildren();
      var title = document.createElement("strong"); title.textContent = el.dataset.canonical || el.textContent;
      body.appendChild(title);
      var dl = document.createElement("dl");
      row(dl, "النوع", el.dataset.type);
      row(dl, "في النص", el.textContent);
      row(dl, "الصفة", el.dataset.role);
      row(dl, "الثقة", el.dataset.confidence);
      body.appendChild(dl);
      if (el.getAttribute("href")) {
        var a = document.createElement("a"); a.href = el.getAttribute("href"); a.textContent = "صفحة الكيان ←";
        body.appendChild(a);
      }
      clearFocus();
      if (el.dataset.entity) {
        document.querySelectorAll('.ent[data-entity="' + CSS.escape(el.dataset.entity) + '"]')
          .forEach(function (m) { m.classList.add("focus"); });
      }
      panel.hidden = false;
    });
  });
})();
