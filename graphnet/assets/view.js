// graphnet view: draws the network, stops physics once laid out, search, filters, details.
// Everything user-supplied is set as text (textContent / vis-network string titles).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graphnet-data").textContent);
  var status = document.getElementById("graphnet-status");
  var details = document.getElementById("graphnet-details");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("graphnet-network");
  var state = { startedAt: performance.now(), stabilizedAt: null, hiddenKinds: {}, hiddenLayers: {}, community: "" };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  function settled() {
    if (state.stabilizedAt !== null) return;
    network.setOptions({ physics: { enabled: false } });
    state.stabilizedAt = performance.now();
    document.body.setAttribute("data-stabilized", "1");
    status.textContent = nodes.length + " nodes, " + edges.length + " ties \u2014 laid out in " +
      ((state.stabilizedAt - state.startedAt) / 1000).toFixed(1) + " s";
  }
  network.on("stabilizationProgress", function (p) {
    status.textContent = "laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  if (!data.options.physics || !data.options.physics.enabled) { settled(); }

  function showDetails(params) {
    var text = null;
    if (params.nodes && params.nodes.length) {
      var n = nodes.get(params.nodes[0]);
      if (n) text = n.title;
    } else if (params.edges && params.edges.length) {
      var e = edges.get(params.edges[0]);
      if (e) text = e.title;
    }
    if (text !== null) details.textContent = text;
    return text;
  }
  network.on("click", showDetails);

  function applyFilters() {
    var nodeUpdates = [];
    nodes.forEach(function (n) {
      var hide = !!state.hiddenKinds[n.kind] || (state.community !== "" && n.community !== state.community);
      if (!!n.hidden !== hide) nodeUpdates.push({ id: n.id, hidden: hide });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    var edgeUpdates = [];
    edges.forEach(function (e) {
      var hide = !!state.hiddenLayers[e.layer];
      if (!!e.hidden !== hide) edgeUpdates.push({ id: e.id, hidden: hide });
    });
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
    box.addEventListener("change", function () {
      var target = box.getAttribute("data-filter") === "kind" ? state.hiddenKinds : state.hiddenLayers;
      if (box.checked) { delete target[box.value]; } else { target[box.value] = true; }
      applyFilters();
    });
  });
  var communitySelect = document.getElementById("graphnet-community");
  if (communitySelect) {
    communitySelect.addEventListener("change", function () { state.community = communitySelect.value; applyFilters(); });
  }

  function find(query) {
    var q = String(query || "").trim().toLowerCase();
    var found = q ? nodes.getIds({ filter: function (n) { return !n.hidden && String(n.search || (n.label + " " + n.id)).toLowerCase().indexOf(q) !== -1; } }) : [];
    var result = document.getElementById("graphnet-search-result");
    result.textContent = q ? (found.length + " found") : "";
    network.selectNodes(found);
    if (found.length === 1) {
      network.focus(found[0], { scale: 1.2, animation: false });
      showDetails({ nodes: found });
    } else if (found.length > 1) {
      network.fit({ nodes: found, animation: false });
    }
    return found;
  }
  document.getElementById("graphnet-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    find(document.getElementById("graphnet-search-input").value);
  });

  window.graphnet = { network: network, nodes: nodes, edges: edges, state: state, find: find, showDetails: showDetails };
})();
