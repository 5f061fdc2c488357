"use strict";

/*
 * The dashboard's dead letters: every few seconds it lists the newest upstream messages whose
 * observers kept failing (GET api/dead-letters), and on the operator's click replays one through
 * the normal delivery path (POST api/dead-letters/{id}/replay): de-duplication and observers as
 * for a new message. The API abbreviates device tokens; everything it returns is put into the page
 * as text, never as markup.
 */
(function () {
  const POLL_MILLIS = 3000;
  const REQUEST_TIMEOUT_MILLIS = 5000;
  const PAGE_SIZE = 20;
  // Built from the origin, never from an address with credentials in it (fetch refuses those).
  const BASE = location.origin + location.pathname;
  const LIST_URL = new URL("api/dead-letters?page=0&size=" + PAGE_SIZE, BASE);

  const table = document.getElementById("dead-letters");
  const rows = table.querySelector("tbody");
  const summary = document.getElementById("dead-letters-summary");
  const outcome = document.getElementById("replay-outcome");

  /** Dead letters whose replay has been sent and not answered yet: their buttons stay disabled. */
  const replaying = new Set();
  let refreshing = false;

  function request(url, method) {
    return fetch(url, {
      method: method,
      cache: "no-store",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS),
    });
  }

  function cell(row, text, field) {
    const td = document.createElement("td");
    td.textContent = text;
    td.dataset.field = field;
    row.appendChild(td);
  }

  function row(letter) {
    const tr = document.createElement("tr");
    tr.dataset.messageId = letter.messageId;
    cell(tr, new Date(letter.parkedAt).toLocaleString("en-GB"), "parked");
    cell(tr, letter.from, "device");
    cell(tr, letter.messageId, "message-id");
    cell(tr, letter.category, "category");
    cell(tr, String(letter.attempts), "attempts");
    cell(tr, letter.lastError || "", "error");
    const action = document.createElement("td");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Replay";
    button.disabled = replaying.has(letter.id);
    button.addEventListener("click", () => replay(letter, button));
    action.appendChild(button);
    tr.appendChild(action);
    return tr;
  }

  function show(page) {
    const shown = page.dead_letters.length;
    summary.textContent =
      page.total === 0
        ? "No dead letters."
        : page.total + " dead letter(s)" + (page.total > shown ? ", the newest " + shown + " shown." : ".");
    rows.replaceChildren(...page.dead_letters.map(row));
    table.hidden = page.total === 0;
  }

  async function replay(letter, button) {
    replaying.add(letter.id);
    button.disabled = true;
    try {
      const response = await request(new URL("api/dead-letters/" + letter.id + "/replay", BASE), "POST");
      const answer = await response.json().catch(() => ({}));
      outcome.textContent = response.ok
        ? letter.messageId + ": " + answer.outcome
        : letter.messageId + ": replay " + (answer.outcome || "refused, " + response.status)
          + (answer.error ? " (" + answer.error + ")" : "");
    } catch (error) {
      outcome.textContent = letter.messageId + ": replay not sent (" + error.message + ")";
    } finally {
      replaying.delete(letter.id);
      button.disabled = false;
      refresh();
    }
  }

  async function refresh() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    try {
      const response = await request(LIST_URL, "GET");
      if (response.ok) {
        show(await response.json());
      } else {
        summary.textContent = "Cannot list the dead letters: the gateway answered " + response.status + ".";
      }
    } catch (error) {
      summary.textContent = "Cannot list the dead letters (" + error.message + ").";
    } finally {
      refreshing = false;
    }
  }

  refresh();
  setInterval(refresh, POLL_MILLIS);
})();
