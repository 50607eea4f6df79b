// The hallway kiosk: polls the rent message with its ETag, keeps the last good data on screen,
// and marks itself "offline" while the server does not answer. Plain JavaScript, no framework.
(function () {
  "use strict";
  var body = document.body;
  var api = body.dataset.api;
  var pollSeconds = parseInt(body.dataset.pollSeconds || "30", 10);
  var etag = null;
  var offline = document.querySelector("[data-testid=offline]");
  var text = body.dataset;

  function comingMonth(now) {
    // Rent for the next month is due by the 27th; after it, the month after that is coming.
    var year = now.getFullYear();
    var month = now.getMonth() + 1;
    if (now.getDate() > 27) {
      month += 1;
      if (month > 12) { month = 1; year += 1; }
    }
    return { year: year, month: month };
  }

  function digits(amount) {
    // Whole kronor grouped by a space, as the page's own `whole_kronor` filter.
    return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  }

  function kronor(amount) {
    return digits(amount) + " kr";
  }

  function setMessage(element, message) {
    // *bold* as in the house chat; built from text nodes, never from HTML.
    element.textContent = "";
    message.split("\n").forEach(function (line, index) {
      if (index) { element.appendChild(document.createElement("br")); }
      line.split("*").forEach(function (part, i, parts) {
        if (i % 2 === 1 && i < parts.length - 1) {
          var strong = document.createElement("strong");
          strong.textContent = part;
          element.appendChild(strong);
        } else {
          element.appendChild(document.createTextNode(part));
        }
      });
    });
  }

  function render(data) {
    setMessage(document.querySelector("[data-testid=kiosk-message]"), data.message);
    var list = document.querySelector("[data-testid=kiosk-people]");
    list.textContent = "";
    data.payments.forEach(function (person) {
      var item = document.createElement("li");
      item.className = person.paid ? "is-paid" : "is-unpaid";
      var state = person.paid ? "✓ " + text.textPaid
        : person.amount_paid > 0 ? text.textPartPaid.replace("{paid}", digits(person.amount_paid))
          .replace("{amount}", digits(person.amount))
        : text.textUnpaid;
      [["name", person.name], ["amount", kronor(person.amount)], ["state", state]].forEach(function (pair, i) {
        if (i) { item.appendChild(document.createTextNode(" ")); }
        var span = document.createElement("span");
        span.className = pair[0];
        span.textContent = pair[1];
        item.appendChild(span);
      });
      list.appendChild(item);
    });
    var due = new Date(data.due_date + "T00:00:00");
    var today = new Date();
    today.setHours(0, 0, 0, 0);
    var days = Math.round((due - today) / 86400000);
    var when = due.toLocaleDateString(document.documentElement.lang || "sv", { day: "numeric", month: "long" });
    var left = days > 0 ? days + " " + text.textDaysLeft
      : days === 0 ? text.textDueToday : (-days) + " " + text.textOverdue;
    var dueElement = document.querySelector("[data-testid=kiosk-due]");
    dueElement.dataset.due = data.due_date;
    dueElement.textContent = when + " · " + left;
    document.querySelector("[data-testid=kiosk-source]").textContent = data.data_source.description_sv;
  }

  function stamp() {
    var now = new Date();
    var time = document.querySelector("[data-testid=kiosk-updated] time");
    time.textContent = String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function poll() {
    var month = comingMonth(new Date());
    var headers = { Accept: "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(api + "?year=" + month.year + "&month=" + month.month, {
      headers: headers, cache: "no-store", credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 304) { return null; }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      etag = response.headers.get("ETag");
      return response.json();
    }).then(function (data) {
      if (data) { render(data); }
      offline.hidden = true;
      body.classList.remove("is-offline");
      stamp();
    }).catch(function () {
      offline.hidden = false;
      body.classList.add("is-offline");
    }).then(function () {
      window.setTimeout(poll, pollSeconds * 1000);
    });
  }

  window.setTimeout(poll, pollSeconds * 1000);
})();
