// Behaviour events from the configurator and saved-configuration pages, sent in batches
// (fetch with keepalive, or sendBeacon as the page goes away). The server decides whom an
// event belongs to; the page sends only its anonymous session id.
(function () {
  "use strict";
  const anchor = document.getElementById("analytics");
  if (!anchor) return;
  const BATCH = 20;
  const FLUSH_MS = 5000;
  const LONGEST_VISIT = 3600;
  let queue = [];

  function record(type, fields) {
    queue.push(Object.assign({ type: type, at: new Date().toISOString() }, fields || {}));
    if (queue.length >= BATCH) flush(false);
  }

  function flush(leaving) {
    if (!queue.length) return;
    const body = JSON.stringify({
      session: anchor.dataset.session,
      product: anchor.dataset.product,
      version: Number(anchor.dataset.version),
      events: queue.splice(0, 50),
    });
    const blob = new Blob([body], { type: "application/json" });
    if (leaving && navigator.sendBeacon && navigator.sendBeacon(anchor.dataset.endpoint, blob)) return;
    fetch(anchor.dataset.endpoint, {
      method: "POST", body: body, keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
    }).catch(function () { /* analytics never gets in the consumer's way */ });
  }

  // Time on each group: the group the pointer or focus is in is the one being read.
  let currentGroup = null;
  let since = 0;
  function enterGroup(code) {
    if (code === currentGroup) return;
    leaveGroup();
    currentGroup = code;
    since = Date.now();
  }
  function leaveGroup() {
    if (currentGroup) {
      const seconds = Math.min(LONGEST_VISIT, Math.round((Date.now() - since) / 1000));
      if (seconds >= 1) record("group_time", { group: currentGroup, seconds: seconds });
    }
    currentGroup = null;
  }
  function groupOf(target) {
    const fieldset = target.closest && target.closest("fieldset.config-group");
    return fieldset ? fieldset.id.replace(/^group-/, "") : null;
  }

  // Choices: what the consumer changed, not what the rules forced.
  let chosen = {};
  function readChoices() {
    chosen = {};
    document.querySelectorAll("#config-form input[type=radio]:checked").forEach(function (input) {
      chosen[input.name] = input.value;
    });
  }
  function onChange(event) {
    const input = event.target;
    if (input.type === "checkbox") {
      record(input.checked ? "option_selected" : "option_deselected", { option: input.value });
    } else if (input.type === "radio") {
      const before = chosen[input.name];
      if (before && before !== input.value) record("option_deselected", { option: before });
      record("option_selected", { option: input.value });
      chosen[input.name] = input.value;
    }
  }

  function onClick(event) {
    const link = event.target.closest && event.target.closest("a[data-option], #copy-share-link");
    if (!link) return;
    if (link.id === "copy-share-link") return;
    if (link.classList.contains("choose-anyway")) {
      record("exclusion_hit", { option: link.dataset.option });
    } else if (link.dataset.resolution) {
      record("exclusion_resolved", { option: link.dataset.option, resolution: link.dataset.resolution });
    }
  }

  // Searching the options: matching ones stay visible; a search that finds nothing is a
  // wish the catalog does not meet yet.
  function setUpSearch() {
    const box = document.getElementById("option-search");
    if (!box) return;
    box.closest(".option-search").hidden = false;
    let timer = null;
    box.addEventListener("input", function () {
      const query = box.value.trim().toLowerCase();
      let matches = 0;
      document.querySelectorAll("#config-form li.option").forEach(function (item) {
        const label = item.querySelector(".option-label").textContent.toLowerCase();
        const hit = !query || label.indexOf(query) !== -1;
        item.hidden = !hit;
        if (hit && query) matches += 1;
      });
      document.getElementById("option-search-result").textContent = query ? matches + " ✓" : "";
      clearTimeout(timer);
      if (query.length >= 2) {
        timer = setTimeout(function () {
          record("search", { query: box.value.trim().slice(0, 100), matched: matches > 0 });
        }, 800);
      }
    });
  }

  function setUpShare() {
    const button = document.getElementById("copy-share-link");
    if (!button || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(window.location.href).then(function () {
        button.textContent = button.dataset.copied;
      });
      record("configuration_shared");
      flush(false);
    });
  }

  if (anchor.dataset.page === "configure") {
    record("product_viewed");
    readChoices();
    document.addEventListener("change", onChange);
    document.addEventListener("click", onClick);
    document.addEventListener("pointerover", function (e) { const g = groupOf(e.target); if (g) enterGroup(g); });
    document.addEventListener("focusin", function (e) { const g = groupOf(e.target); if (g) enterGroup(g); });
    document.body.addEventListener("htmx:afterSwap", readChoices);
    setUpSearch();
  }
  setUpShare();
  setInterval(function () { flush(false); }, FLUSH_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { leaveGroup(); flush(true); }
  });
})();
