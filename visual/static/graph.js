// Draws a marketgraph page from the JSON block the server wrote into it.
//
// The data block holds nodes and edges as pyvis built them; their tooltips
// are HTML that the server escaped. Everything else shown here is set as
// text (textContent, option.value, href through the URL API), never parsed
// as markup. window.mgPage.ready turns true once the page is usable (for a
// graph: once its layout has settled), and readyAt says when, in
// milliseconds since navigation began. window.mgGraph exposes the network
// and its DataSets, for the browser tests and for the curious at the console.
(function () {
  "use strict";

  const page = { ready: false, readyAt: null };
  window.mgPage = page;

  function markReady() {
    page.ready = true;
    page.readyAt = performance.now();
  }

  // ------------------------------------------------------------ report picker

  // The picker is a plain form (it works without this script); choosing a
  // report submits it at once.
  const picker = document.getElementById("report-select");
  if (picker && picker.form) {
    picker.addEventListener("change", () => picker.form.requestSubmit());
  }

  const source = document.getElementById("graph-data");
  const container = document.getElementById("graph");
  if (!source || !container || typeof vis === "undefined") {
    markReady();
    return;
  }
  const data = JSON.parse(source.textContent);
  const status = document.getElementById("graph-status");
  const details = document.getElementById("details");
  const detailsBody = document.getElementById("details-body");
  const searchForm = document.getElementById("search");
  const searchInput = document.getElementById("search-input");
  const searchNames = document.getElementById("search-names");
  const searchMessage = document.getElementById("search-message");

  // vis-network shows a string title as plain text; an element keeps the
  // line breaks and emphasis the server put in (already escaped there).
  function tooltip(markup) {
    if (!markup) {
      return undefined;
    }
    const box = document.createElement("div");
    box.className = "mg-tooltip";
    box.innerHTML = markup;
    return box;
  }

  const nodes = new vis.DataSet(
    data.nodes.map((n) => Object.assign({}, n, { title: tooltip(n.title) }))
  );
  const edges = new vis.DataSet(
    data.edges.map((e) => Object.assign({}, e, { title: tooltip(e.title) }))
  );
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  const state = {
    page: data.page,
    network: network,
    nodes: nodes,
    edges: edges,
    ready: false,
    focused: null,
  };
  window.mgGraph = state;

  function setStatus(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function settle() {
    if (state.ready) {
      return;
    }
    // Layout is done: freeze it, so the page stops using the CPU.
    network.setOptions({ physics: false });
    state.ready = true;
    setStatus("");
    if (data.focus !== null && data.focus !== undefined && nodes.get(data.focus)) {
      if (data.page === "entity") {
        // The whole neighbourhood is the point of the page: mark the entity, keep the view.
        network.selectNodes([data.focus]);
        state.focused = data.focus;
      } else {
        focusNode(data.focus);
      }
    }
    markReady();
  }
  network.once("stabilizationIterationsDone", settle);
  network.on("stabilizationProgress", (p) =>
    setStatus("Laying out the graph… " + Math.round((100 * p.iterations) / p.total) + " %")
  );
  if (nodes.length === 0) {
    settle();
  }

  // ------------------------------------------------------------ filters by type and report

  const hiddenKinds = new Set();
  const hiddenReports = new Set();

  function nodeVisible(node) {
    if (hiddenKinds.has(node.kind)) {
      return false;
    }
    if (hiddenReports.size === 0 || !node.reports || node.reports.length === 0) {
      return true;
    }
    return node.reports.some((r) => !hiddenReports.has(r));
  }

  function applyNodeFilters() {
    const changes = [];
    nodes.forEach((node) => {
      const hidden = !nodeVisible(node);
      if (!!node.hidden !== hidden) {
        changes.push({ id: node.id, hidden: hidden });
      }
    });
    nodes.update(changes);
  }

  document.querySelectorAll("input[data-kind]").forEach((box) => {
    box.addEventListener("change", () => {
      if (box.checked) {
        hiddenKinds.delete(box.dataset.kind);
      } else {
        hiddenKinds.add(box.dataset.kind);
      }
      applyNodeFilters();
    });
  });

  document.querySelectorAll("input[data-report]").forEach((box) => {
    box.addEventListener("change", () => {
      if (box.checked) {
        hiddenReports.delete(box.dataset.report);
      } else {
        hiddenReports.add(box.dataset.report);
      }
      applyNodeFilters();
    });
  });

  // Make sure a node being focused is not filtered away.
  function reveal(node) {
    if (nodeVisible(node)) {
      return;
    }
    hiddenKinds.delete(node.kind);
    const kindBox = document.querySelector('input[data-kind="' + CSS.escape(node.kind) + '"]');
    if (kindBox) {
      kindBox.checked = true;
    }
    if (hiddenReports.size && node.reports && node.reports.length) {
      const report = node.reports[0];
      hiddenReports.delete(report);
      const reportBox = document.querySelector('input[data-report="' + CSS.escape(report) + '"]');
      if (reportBox) {
        reportBox.checked = true;
      }
    }
    applyNodeFilters();
  }

  // ------------------------------------------------------------ search

  const names = [];
  nodes.forEach((node) => {
    for (const name of node.names || [node.label]) {
      names.push({ key: String(name).toLowerCase(), name: String(name), id: node.id });
    }
  });
  if (searchNames) {
    const seen = new Set();
    for (const entry of names) {
      if (!seen.has(entry.name)) {
        seen.add(entry.name);
        const option = document.createElement("option");
        option.value = entry.name;
        searchNames.appendChild(option);
      }
    }
  }

  function findNode(query) {
    const key = query.trim().toLowerCase();
    if (!key) {
      return null;
    }
    const exact = names.find((entry) => entry.key === key);
    if (exact) {
      return exact.id;
    }
    const partial = names.find((entry) => entry.key.includes(key));
    return partial ? partial.id : null;
  }

  function focusNode(id) {
    const node = nodes.get(id);
    if (!node) {
      return;
    }
    reveal(node);
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    state.focused = id;
    showDetails(id);
  }

  function notFound(query) {
    searchMessage.replaceChildren();
    searchMessage.append("No entity named “" + query + "” on this page.");
    if (data.truncated && data.search_url) {
      // Entities left out of the drawing can still be drawn: ask the server to pin it.
      const url = new URL(data.search_url, window.location.href);
      url.searchParams.set("focus", query);
      const link = document.createElement("a");
      link.href = url.pathname + url.search;
      link.textContent = "Look for it among the entities left out";
      searchMessage.append(" ", link, ".");
    }
  }

  if (searchForm) {
    searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const query = searchInput.value.trim();
      const id = findNode(query);
      if (id === null) {
        notFound(query);
        return;
      }
      searchMessage.textContent = "";
      focusNode(id);
    });
  }

  // ------------------------------------------------------------ deals: type and date filters

  const hiddenDeals = new Set();
  const dateFrom = document.getElementById("date-from");
  const dateTo = document.getElementById("date-to");
  const dateUndated = document.getElementById("date-undated");
  const dealCount = document.getElementById("deal-count");

  // "2025" → 2025-01-01 (or 2025-12-31 as an end), "2025-03" → 2025-03-01
  // (2025-03-31); full dates stay as they are. Strings compare in date order.
  function bound(text, end) {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(text).trim());
    if (!m) {
      return null;
    }
    if (m[3]) {
      return m[1] + "-" + m[2] + "-" + m[3];
    }
    if (m[2]) {
      return m[1] + "-" + m[2] + (end ? "-31" : "-01");
    }
    return m[1] + (end ? "-12-31" : "-01-01");
  }

  function readBound(input, end) {
    if (!input) {
      return null;
    }
    if (!input.value.trim()) {
      input.setCustomValidity("");
      return null;
    }
    const found = bound(input.value, end);
    input.setCustomValidity(found ? "" : "Write a year (2025) or a month (2025-03).");
    return found;
  }

  function dealVisible(edge, from, to, undated) {
    if (hiddenDeals.has(edge.relation)) {
      return false;
    }
    if (!edge.date) {
      return undated;
    }
    // A deal dated only to a year or month overlaps the range when any of it does.
    const start = bound(edge.date, false);
    const stop = bound(edge.date, true);
    return (from === null || stop >= from) && (to === null || start <= to);
  }

  function applyDealFilters() {
    const from = readBound(dateFrom, false);
    const to = readBound(dateTo, true);
    const undated = !dateUndated || dateUndated.checked;
    const edgeChanges = [];
    const linked = new Set();
    const shown = new Set();
    const all = new Set();
    edges.forEach((edge) => {
      const visible = dealVisible(edge, from, to, undated);
      all.add(edge.fact);
      if (visible) {
        shown.add(edge.fact);
        linked.add(edge.from);
        linked.add(edge.to);
      }
      if (!!edge.hidden !== !visible) {
        edgeChanges.push({ id: edge.id, hidden: !visible });
      }
    });
    edges.update(edgeChanges);
    // An organization with no deal left in view is hidden with them.
    const nodeChanges = [];
    nodes.forEach((node) => {
      const hidden = !linked.has(node.id);
      if (!!node.hidden !== hidden) {
        nodeChanges.push({ id: node.id, hidden: hidden });
      }
    });
    nodes.update(nodeChanges);
    state.dealsShown = shown.size;
    if (dealCount) {
      dealCount.textContent = shown.size + " of " + all.size + " deals shown.";
    }
  }

  if (data.page === "deals") {
    document.querySelectorAll("input[data-deal]").forEach((box) => {
      box.addEventListener("change", () => {
        if (box.checked) {
          hiddenDeals.delete(box.dataset.deal);
        } else {
          hiddenDeals.add(box.dataset.deal);
        }
        applyDealFilters();
      });
    });
    for (const input of [dateFrom, dateTo, dateUndated]) {
      if (input) {
        input.addEventListener("input", applyDealFilters);
        input.addEventListener("change", applyDealFilters);
      }
    }
    const reset = document.getElementById("date-reset");
    if (reset) {
      reset.addEventListener("click", () => {
        dateFrom.value = "";
        dateTo.value = "";
        dateUndated.checked = true;
        applyDealFilters();
      });
    }
    state.applyDealFilters = applyDealFilters;
  }

  // ------------------------------------------------------------ clicks

  function showDetails(id) {
    if (!details || !detailsBody) {
      return;
    }
    const node = nodes.get(id);
    detailsBody.replaceChildren();
    if (node && node.title) {
      detailsBody.appendChild(node.title.cloneNode(true));
    }
    details.hidden = !node;
  }

  network.on("click", (params) => {
    if (params.nodes.length !== 1) {
      return;
    }
    const node = nodes.get(params.nodes[0]);
    if (data.links && node.url) {
      window.location.assign(node.url);
    } else {
      showDetails(node.id);
    }
  });
})();
