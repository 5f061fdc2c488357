"use strict";

/*
 * The Uplink dashboard: polls the admin API's status document (GET api/status) once a second and
 * draws it. The API only gives totals, so the rates of the chart are the differences between two
 * polls divided by the time between them, as measured by the server's "at".
 *
 * Everything the gateway reports (device tokens, categories, message ids) is put into the page as
 * text, never as markup: upstream messages come from devices and may carry anything.
 */
(function () {
  const POLL_MILLIS = 1000;
  const REQUEST_TIMEOUT_MILLIS = 5000;
  const WINDOW_MILLIS = 5 * 60 * 1000;
  // The page may have been opened as http://user:password@host/...; fetch refuses URLs with
  // credentials, so the API's address is built from the origin, which never contains them.
  const STATUS_URL = new URL("api/status", location.origin + location.pathname);

  const CHART = { width: 640, height: 220, left: 52, right: 12, top: 12, bottom: 26 };
  const SVG = "http://www.w3.org/2000/svg";

  /** Totals of earlier polls, oldest first: { at: epoch millis, upstream, downstream }. */
  let samples = [];

  function figure(name) {
    return document.querySelector('[data-figure="' + name + '"]');
  }

  function setFigure(name, text) {
    figure(name).textContent = text;
  }

  function count(value) {
    return Number(value).toLocaleString("en-US");
  }

  function millis(latency) {
    return latency.count === 0 ? "–" : latency.p99Millis.toFixed(1) + " ms";
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString("en-GB") : "–";
  }

  function cell(row, text, field) {
    const td = document.createElement("td");
    td.textContent = text;
    if (field) {
      td.dataset.field = field;
    }
    row.appendChild(td);
    return td;
  }

  function showTotals(status) {
    const up = status.upstream;
    setFigure("upstream-received", count(up.received));
    setFigure("upstream-delivered", count(up.delivered));
    setFigure("upstream-duplicates", count(up.duplicates));
    setFigure("upstream-rejected", count(up.rejected));
    setFigure("upstream-dead-lettered", count(up.deadLettered));
    setFigure("upstream-observer-failures", count(up.observerFailures));
    setFigure("upstream-backlog", count(up.backlog));
    setFigure("upstream-p99", millis(up.receiveToAck));
    document.getElementById("paused").hidden = !up.paused;

    const down = status.downstream;
    setFigure("downstream-sent", count(down.sent));
    setFigure("downstream-acked", count(down.acked));
    setFigure("downstream-nacked", count(down.nacked));
    setFigure("downstream-retried", count(down.retried));
    setFigure("downstream-failed", count(down.failed));
    setFigure("downstream-pending", count(down.pending));
    setFigure("downstream-receipts", count(down.receipts));
    setFigure("downstream-p99", millis(down.sendToAck));
  }

  function senderTable(sender) {
    const table = document.createElement("table");
    table.className = "connections";
    table.dataset.sender = sender.senderId;
    const caption = document.createElement("caption");
    caption.textContent =
      "Sender " + sender.senderId + ": " + sender.connected + " of " + sender.configured +
      " connected";
    if (sender.downstream === "http-v1") {
      const httpV1 = document.createElement("span");
      httpV1.className = "http-v1";
      httpV1.textContent = "; downstream through FCM HTTP v1, " + count(sender.httpV1InFlight) +
        " of " + count(sender.httpV1MaxInFlight) + " requests in flight";
      caption.appendChild(httpV1);
    }
    if (sender.pausedBecause) {
      const paused = document.createElement("span");
      paused.className = "warning";
      paused.textContent = "; sending paused: " + sender.pausedBecause;
      caption.appendChild(paused);
    }
    table.appendChild(caption);

    const head = table.createTHead().insertRow();
    ["#", "State", "Connected since", "Last activity", "Upstream", "Downstream",
      "Pending downstream", "Draining"].forEach(function (title) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = title;
      head.appendChild(th);
    });

    const body = table.createTBody();
    sender.connections.forEach(function (connection) {
      const row = body.insertRow();
      row.dataset.connection = connection.index;
      cell(row, connection.index);
      cell(row, connection.state, "state").className = "state " + connection.state.toLowerCase();
      cell(row, time(connection.connectedSince));
      cell(row, time(connection.lastActivity));
      cell(row, count(connection.upstream), "upstream");
      cell(row, count(connection.downstream), "downstream");
      cell(row, count(connection.pendingDownstream), "pending");
      cell(row, count(connection.draining), "draining");
    });
    return table;
  }

  function showSenders(status) {
    document.getElementById("senders").replaceChildren(...status.senders.map(senderTable));
  }

  function showRecent(status) {
    const rows = status.recent.map(function (message) {
      const row = document.createElement("tr");
      row.dataset.messageId = message.messageId;
      row.dataset.direction = message.direction;
      cell(row, time(message.at)).title = message.at;
      cell(row, message.direction);
      cell(row, message.senderId);
      cell(row, message.device, "device");
      cell(row, message.category || "–");
      cell(row, message.messageId, "message-id");
      cell(row, message.outcome, "outcome").className = "outcome " + message.outcome.toLowerCase();
      return row;
    });
    document.querySelector("#recent tbody").replaceChildren(...rows);
  }

  /** Adds this poll's totals and forgets those older than the chart's window. */
  function remember(status) {
    const sample = {
      at: Date.parse(status.at),
      upstream: status.upstream.received,
      downstream: status.downstream.sent,
    };
    const last = samples[samples.length - 1];
    // Totals only grow while the gateway runs; smaller ones mean it was restarted.
    if (last && (sample.upstream < last.upstream || sample.downstream < last.downstream)) {
      samples = [];
    }
    if (!last || sample.at > last.at) {
      samples.push(sample);
    }
    samples = samples.filter(function (s) {
      return s.at >= sample.at - WINDOW_MILLIS;
    });
  }

  /** Per pair of consecutive samples: { at, upstream, downstream } in messages per second. */
  function rates() {
    const result = [];
    for (let i = 1; i < samples.length; i++) {
      const seconds = (samples[i].at - samples[i - 1].at) / 1000;
      result.push({
        at: samples[i].at,
        upstream: (samples[i].upstream - samples[i - 1].upstream) / seconds,
        downstream: (samples[i].downstream - samples[i - 1].downstream) / seconds,
      });
    }
    return result;
  }

  /** The smallest of 1, 2, 5, 10, 20, 50, ... that is at least value. */
  function niceCeiling(value) {
    let step = 1;
    while (true) {
      for (const factor of [1, 2, 5]) {
        if (step * factor >= value) {
          return step * factor;
        }
      }
      step *= 10;
    }
  }

  function svg(name, attributes, text) {
    const element = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(function ([key, value]) {
      element.setAttribute(key, value);
    });
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  function drawChart(now) {
    const points = rates();
    const peak = Math.max(0, ...points.map(function (p) {
      return Math.max(p.upstream, p.downstream);
    }));
    const top = niceCeiling(Math.max(peak, 1));
    const plotWidth = CHART.width - CHART.left - CHART.right;
    const plotHeight = CHART.height - CHART.top - CHART.bottom;
    const x = function (at) {
      return CHART.left + plotWidth * (1 - (now - at) / WINDOW_MILLIS);
    };
    const y = function (rate) {
      return CHART.top + plotHeight * (1 - rate / top);
    };

    const grid = [];
    [0, top / 2, top].forEach(function (rate) {
      grid.push(svg("line", { x1: CHART.left, x2: CHART.width - CHART.right, y1: y(rate), y2: y(rate) }));
      grid.push(svg("text", { x: CHART.left - 6, y: y(rate) + 4, "text-anchor": "end" }, rate));
    });
    for (let minutes = 5; minutes >= 0; minutes--) {
      const at = now - minutes * 60 * 1000;
      grid.push(svg("line", { x1: x(at), x2: x(at), y1: CHART.top, y2: CHART.top + plotHeight }));
      grid.push(svg("text", { x: x(at), y: CHART.height - 8, "text-anchor": "middle" },
        minutes === 0 ? "now" : "−" + minutes + " min"));
    }
    document.getElementById("rate-grid").replaceChildren(...grid);

    ["upstream", "downstream"].forEach(function (series) {
      const line = document.querySelector('[data-series="' + series + '"]');
      line.setAttribute("points", points.map(function (p) {
        return x(p.at).toFixed(1) + "," + y(p[series]).toFixed(1);
      }).join(" "));
      const seriesPeak = Math.max(0, ...points.map(function (p) {
        return p[series];
      }));
      line.dataset.peak = seriesPeak.toFixed(1);
    });

    const latest = points[points.length - 1] || { upstream: 0, downstream: 0 };
    setFigure("upstream-rate", latest.upstream.toFixed(1));
    setFigure("downstream-rate", latest.downstream.toFixed(1));
    document.getElementById("rate-chart").setAttribute("aria-label",
      "Now " + latest.upstream.toFixed(1) + " upstream and " + latest.downstream.toFixed(1) +
      " downstream messages per second; peaks over 5 minutes shown up to " + top + " per second");
  }

  function show(status) {
    remember(status);
    showTotals(status);
    showSenders(status);
    showRecent(status);
    drawChart(Date.parse(status.at));
    document.getElementById("updated").textContent = "Updated " + time(status.at);
  }

  function showError(message) {
    const error = document.getElementById("error");
    error.textContent = message;
    error.hidden = false;
    document.body.classList.add("stale");
  }

  function clearError() {
    document.getElementById("error").hidden = true;
    document.body.classList.remove("stale");
  }

  function describe(response) {
    switch (response.status) {
      case 401:
        return "The gateway answered 401 Unauthorized: reload the page and sign in as an admin.";
      case 403:
        return "The gateway answered 403 Forbidden: this user is not in the admin role.";
      default:
        return "The gateway answered " + response.status + " " + response.statusText + ".";
    }
  }

  async function poll() {
    try {
      const response = await fetch(STATUS_URL, {
        cache: "no-store",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS),
      });
      if (!response.ok) {
        showError(describe(response) + " Figures shown are from the last good answer.");
        return;
      }
      show(await response.json());
      clearError();
    } catch (error) {
      showError("Cannot read the gateway's status (" + error.message + "); trying again every second.");
    } finally {
      setTimeout(poll, POLL_MILLIS);
    }
  }

  poll();
})();
