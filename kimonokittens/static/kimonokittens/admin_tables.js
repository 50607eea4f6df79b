// The admin's tables on a phone: each cell of a change list (#result_list) or a tabular inline
// gets its column's name as data-label, and the table the class "cards", which admin.css turns
// into one card per row below 768 px. Reading order and the markup stay as Django made them.
(function () {
  "use strict";
  function label(table) {
    var names = [];
    table.querySelectorAll("thead tr:first-child th").forEach(function (th) {
      var span = parseInt(th.getAttribute("colspan") || "1", 10);
      var text = th.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < span; i++) { names.push(text); }
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var index = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var name = names[index];
        if (name && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", name); }
        index += parseInt(cell.getAttribute("colspan") || "1", 10);
      });
    });
    table.classList.add("cards");
  }
  document.querySelectorAll("#result_list, .inline-group .tabular table").forEach(label);
})();
