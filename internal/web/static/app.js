// Security Monkey UI: small enhancements of pages that work without it.
// Sorting of the shown rows, select all / clear, auto refresh, type-ahead
// from /api/1/distinct, confirmation of destructive forms, and keyboard
// shortcuts ("/" filters, "j"/"k" move between result rows).
"use strict";

(function () {
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // Sortable tables: a button in each header cell sorts the rows shown.
  $all("table[data-sortable]").forEach(function (table) {
    $all("thead th", table).forEach(function (th, col) {
      if (th.hasAttribute("data-nosort")) { return; }
      var label = th.textContent;
      var b = document.createElement("button");
      b.type = "button"; b.className = "sort"; b.textContent = label;
      th.textContent = ""; th.appendChild(b);
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        $all("thead th", table).forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col] ? (a.cells[col].getAttribute("data-value") || a.cells[col].textContent.trim()) : "";
          var y = b.cells[col] ? (b.cells[col].getAttribute("data-value") || b.cells[col].textContent.trim()) : "";
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // Select all / clear for groups of checkboxes.
  $all("[data-check]").forEach(function (b) {
    b.addEventListener("click", function () {
      var on = b.getAttribute("data-check") === "all";
      $all("input[type=checkbox][name='" + b.getAttribute("data-target") + "']").forEach(function (c) { c.checked = on; });
    });
  });

  // The new-account form shows the custom fields of the chosen type only.
  $all("[data-account-type-select]").forEach(function (sel) {
    var show = function () {
      $all("fieldset[data-account-type]", sel.form).forEach(function (fs) {
        var on = fs.getAttribute("data-account-type") === sel.value;
        fs.hidden = !on;
        fs.disabled = !on;
      });
    };
    sel.addEventListener("change", show);
    show();
  });

  // Auto refresh every 30 s while the box is ticked (remembered).
  var auto = document.getElementById("autorefresh");
  if (auto) {
    var key = "monkey.autorefresh";
    auto.checked = window.localStorage && localStorage.getItem(key) === "1";
    var timer = null;
    var arm = function () {
      if (timer) { clearTimeout(timer); timer = null; }
      if (auto.checked) { timer = setTimeout(function () { window.location.reload(); }, 30000); }
    };
    auto.addEventListener("change", function () {
      if (window.localStorage) { localStorage.setItem(key, auto.checked ? "1" : "0"); }
      arm();
    });
    arm();
  }

  // Type-ahead: inputs with data-distinct list values of /api/1/distinct.
  $all("input[data-distinct]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var pending = null;
    input.addEventListener("input", function () {
      var parts = input.value.split(",");
      var term = parts[parts.length - 1].trim();
      if (pending) { clearTimeout(pending); }
      pending = setTimeout(function () {
        fetch("/api/1/distinct/" + input.getAttribute("data-distinct") + "?count=20&select2=" + encodeURIComponent(term),
          { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (d) {
            var prefix = parts.slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean).join(",");
            list.textContent = "";
            (d.items || []).forEach(function (it) {
              var o = document.createElement("option");
              o.value = (prefix ? prefix + "," : "") + (typeof it === "string" ? it : it.text);
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 200);
    });
  });

  // Destructive forms ask first.
  $all("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });

  // Keyboard: "/" focuses the first filter; "j"/"k" move through result rows
  // (their first link); Enter follows it.
  var rows = $all("table.results tbody tr a:first-of-type");
  var at = -1;
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) { return; }
    if (e.key === "/") {
      var first = document.querySelector(".filters input[type=text], .filters input[type=search]");
      if (first) { e.preventDefault(); first.focus(); }
    } else if ((e.key === "j" || e.key === "k") && rows.length) {
      at = e.key === "j" ? Math.min(rows.length - 1, at + 1) : Math.max(0, at - 1);
      rows[at].focus();
    }
  });
})();
