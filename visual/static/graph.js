// Draws a marketgraph page from the JSON block the server wrote into it.
//
// The data block holds nodes and edges as pyvis built them; their tooltips
// are HTML that the server escaped. Everything else shown here is set as
// text (textContent, option.value), never parsed as markup. window.mgGraph
// exposes the network and its DataSets, for the browser tests and for the
// curious at the console.
(function () {
  "use strict";

  const source = document.getElementById("graph-data");
  const container = document.getElementById("graph");
  if (!source || !container) {
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
  const state = { network: network, nodes: nodes, edges: edges, ready: false, focused: null };
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
    if (data.focus !== null && nodes.get(data.focus)) {
      focusNode(data.focus);
    }
  }
  network.once("stabilizationIterationsDone", settle);
  network.on("stabilizationProgress", (p) =>
    setStatus("Laying out the graph… " + Math.round((100 * p.iterations) / p.total) + " %")
  );
  if (nodes.length === 0) {
    settle();
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

  function showKind(kind) {
    const box = document.querySelector('input[data-kind="' + CSS.escape(kind) + '"]');
    if (box && !box.checked) {
      box.checked = true;
      setKindVisible(kind, true);
    }
  }

  function focusNode(id) {
    const node = nodes.get(id);
    if (!node) {
      return;
    }
    showKind(node.kind);
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    state.focused = id;
    showDetails(id);
  }

  if (searchForm) {
    searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const id = findNode(searchInput.value);
      if (id === null) {
        searchMessage.textContent = "No entity named “" + searchInput.value.trim() + "” on this page.";
        return;
      }
      searchMessage.textContent = "";
      focusNode(id);
    });
  }

  // ------------------------------------------------------------ filters by type

  function setKindVisible(kind, visible) {
    const changes = nodes.get({ filter: (n) => n.kind === kind }).map((n) => ({
      id: n.id,
      hidden: !visible,
    }));
    nodes.update(changes);
  }

  document.querySelectorAll("input[data-kind]").forEach((box) => {
    box.addEventListener("change", () => setKindVisible(box.dataset.kind, box.checked));
  });

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
