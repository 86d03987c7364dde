/**
 * The report page's own script (plain browser JavaScript, inlined by html.ts): reads the data block, lays
 * the graph out with dagre and draws it as SVG, and fills the tables. It sets body[data-status] to "ok" or
 * "error: …" so that a headless browser can tell it finished.
 */
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var errors = 0;
  window.addEventListener('error', function () { errors++; document.body.dataset.errors = String(errors); });
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var est = data.estimate;
  var RES = ['LUT', 'FF', 'BRAM_18K', 'URAM', 'DSP'];
  var SVG = 'http://www.w3.org/2000/svg';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(n, digits) {
    if (typeof n !== 'number' || !isFinite(n)) return n === undefined || n === null ? '' : String(n);
    return n.toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 1 : digits });
  }
  function table(head, rows, classes) {
    var t = el('table');
    var tr = el('tr');
    head.forEach(function (h, i) { tr.appendChild(el('th', i === 0 ? { class: 'l' } : null, h)); });
    t.appendChild(tr);
    rows.forEach(function (r, j) {
      var row = el('tr', classes && classes[j] ? { class: classes[j] } : null);
      r.forEach(function (c, i) { row.appendChild(el('td', typeof c === 'string' && i > 0 ? { class: 'l' } : null, typeof c === 'number' ? fmt(c) : (c === undefined ? '' : String(c)))); });
      t.appendChild(row);
    });
    return t;
  }
  function card(k, v, bad) {
    var c = el('div', { class: bad ? 'card bad' : 'card' });
    c.appendChild(el('div', { class: 'k' }, k));
    c.appendChild(el('div', { class: 'v' }, v));
    document.getElementById('cards').appendChild(c);
  }
  function note(id, text) { document.getElementById(id).appendChild(el('p', { class: 'muted' }, text)); }
  function hue(s) { var h = 0; for (var i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 360; return h; }
  function colour(n) {
    if (n.role === 'io') return '#ffffff';
    if (n.role === 'host') return '#e4e7ec';
    return 'hsl(' + hue(n.kernel || n.opType) + ', 62%, 82%)';
  }

  var t = data.target;
  document.getElementById('meta').textContent = [
    (t.board ? t.board + ' (' + t.part + ')' : t.part), 'clock ' + t.clockNs + ' ns',
    t.targetFps !== undefined ? 'target ' + fmt(t.targetFps, 0) + ' fps' : (t.foldingConfig ? 'folding config ' + t.foldingConfig : ''),
    'blueprint ' + data.blueprint, data.model,
  ].filter(Boolean).join(' \u00b7 ');

  var byName = {};
  if (est) est.nodes.forEach(function (n) { byName[n.name] = n; });
  var bottleneck = est ? est.performance.max_cycles_node_name : undefined;

  // Summary
  if (est) {
    var p = est.performance;
    card('throughput', fmt(p.estimated_throughput_fps, 0) + ' fps', t.targetFps !== undefined && p.estimated_throughput_fps < t.targetFps);
    card('latency', fmt(p.estimated_latency_ns / 1000, 2) + ' \u00b5s');
    card('bottleneck', bottleneck + ' (' + fmt(p.max_cycles, 0) + ' cycles)');
    card('hardware nodes', String(est.nodes.length));
    RES.forEach(function (r) {
      if (est.total[r] === undefined) return;
      var cap = data.capacity && data.capacity[r];
      card(r, fmt(est.total[r], 0) + (cap ? ' (' + fmt(100 * est.total[r] / cap, 1) + ' %)' : ''), cap ? est.total[r] > cap : false);
    });
  } else {
    card('hardware nodes', '0');
    note('summary', 'The final model holds no hardware node: no estimates.');
  }
  if (data.verification) card('verification', data.verification.ok ? 'passed' : 'FAILED', !data.verification.ok);

  // Graph
  var g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 34, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(function () { return {}; });
  var kernels = {};
  data.graph.nodes.forEach(function (n) {
    var e = byName[n.id];
    var lines = [n.role === 'io' ? n.id.replace(/^(in|out):/, '') : n.id];
    if (n.role === 'hw') {
      var par = e && e.parallelism ? Object.keys(e.parallelism).map(function (k) { return k + '=' + e.parallelism[k]; }).join(' ') : '';
      lines.push([n.kernel + (n.backend ? ' (' + n.backend + ')' : ''), par].filter(Boolean).join(' \u00b7 '));
      if (e) lines.push(fmt(e.cycles, 0) + ' cycles');
      kernels[n.kernel] = colour(n);
    } else if (n.role === 'host') lines.push(n.opType + ' \u00b7 host');
    var width = Math.max.apply(null, lines.map(function (l) { return l.length; })) * 7.6 + 24;
    g.setNode(n.id, { width: Math.max(width, 90), height: 16 * lines.length + 12, lines: lines, node: n });
  });
  data.graph.edges.forEach(function (e, i) { g.setEdge(e.from, e.to, { label: e.label, width: e.label.length * 6 + 4, height: 14 }, 'e' + i); });
  dagre.layout(g);
  var gi = g.graph();
  var root = svg('svg', { width: Math.ceil(gi.width), height: Math.ceil(gi.height), viewBox: '0 0 ' + Math.ceil(gi.width) + ' ' + Math.ceil(gi.height), role: 'img' });
  var defs = svg('defs');
  var marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
  marker.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#475467' }));
  defs.appendChild(marker);
  root.appendChild(defs);
  g.edges().forEach(function (ed) {
    var e = g.edge(ed);
    var d = e.points.map(function (pt, i) { return (i ? 'L' : 'M') + pt.x.toFixed(1) + ' ' + pt.y.toFixed(1); }).join(' ');
    var grp = svg('g', { class: 'edge' });
    grp.appendChild(svg('path', { d: d, fill: 'none', stroke: '#475467', 'stroke-width': '1.2', 'marker-end': 'url(#arrow)' }));
    if (e.label && e.x !== undefined) grp.appendChild(svg('text', { x: e.x, y: e.y + 4, 'font-size': '10', 'text-anchor': 'middle', fill: '#475467' }, e.label));
    root.appendChild(grp);
  });
  g.nodes().forEach(function (id) {
    var v = g.node(id);
    var n = v.node;
    var isB = id === bottleneck;
    var grp = svg('g', { class: 'node ' + n.role + (isB ? ' bottleneck' : ''), 'data-node': id, transform: 'translate(' + (v.x - v.width / 2).toFixed(1) + ',' + (v.y - v.height / 2).toFixed(1) + ')' });
    grp.appendChild(svg('rect', { width: v.width, height: v.height, rx: n.role === 'io' ? 14 : 4, fill: colour(n), stroke: isB ? '#c4320a' : (n.role === 'host' ? '#98a2b3' : '#344054'), 'stroke-width': isB ? 2.5 : 1, 'stroke-dasharray': n.role === 'host' ? '4 3' : '' }));
    v.lines.forEach(function (l, i) {
      grp.appendChild(svg('text', { x: v.width / 2, y: 18 + 16 * i, 'font-size': i === 0 ? '12' : '11', 'font-weight': i === 0 ? '600' : '400', 'text-anchor': 'middle', fill: '#1d2330' }, l));
    });
    var title = svg('title', null, id + ' (' + n.opType + ')' + (byName[id] ? ': ' + fmt(byName[id].cycles, 0) + ' cycles' : ''));
    grp.appendChild(title);
    root.appendChild(grp);
  });
  document.getElementById('graph-view').appendChild(root);
  var legend = document.getElementById('legend');
  Object.keys(kernels).sort().forEach(function (k) {
    var s = el('span'); var i = el('i'); i.style.background = kernels[k]; s.appendChild(i); s.appendChild(document.createTextNode(k)); legend.appendChild(s);
  });
  var hs = el('span'); var hi = el('i'); hi.style.background = '#e4e7ec'; hi.style.border = '1px dashed #98a2b3'; hs.appendChild(hi); hs.appendChild(document.createTextNode('host')); legend.appendChild(hs);

  // Cycles
  if (est) {
    var max = Math.max.apply(null, est.nodes.map(function (n) { return n.cycles; }).concat([1]));
    var bars = document.getElementById('cycle-bars');
    est.nodes.forEach(function (n) {
      var b = n.name === bottleneck ? ' bottleneck' : '';
      bars.appendChild(el('div', { class: 'name' + b }, n.name));
      var wrap = el('div'); var bar = el('div', { class: 'bar' + b }); bar.style.width = (100 * n.cycles / max).toFixed(2) + '%'; wrap.appendChild(bar); bars.appendChild(wrap);
      bars.appendChild(el('div', { class: 'muted' }, fmt(n.cycles, 0)));
    });
    note('cycles', 'Throughput ' + fmt(est.performance.estimated_throughput_fps, 1) + ' fps at ' + t.clockNs + ' ns; latency ' + fmt(est.performance.estimated_latency_ns, 0) + ' ns (critical path ' + fmt(est.performance.critical_path_cycles, 0) + ' cycles).');
  } else note('cycles', 'No hardware nodes.');

  // Resources
  if (est) {
    var cols = RES.filter(function (r) { return est.total[r] !== undefined || est.nodes.some(function (n) { return n.resources[r] !== undefined; }); });
    var rows = est.nodes.map(function (n) { return [n.name].concat(cols.map(function (r) { return n.resources[r]; })); });
    var cls = est.nodes.map(function (n) { return n.name === bottleneck ? 'bottleneck' : ''; });
    rows.push(['total'].concat(cols.map(function (r) { return est.total[r]; }))); cls.push('total');
    if (data.capacity) {
      rows.push([(t.board || t.part) + ' holds'].concat(cols.map(function (r) { return data.capacity[r]; }))); cls.push('');
      rows.push(['% of the device'].concat(cols.map(function (r) { return data.capacity[r] ? fmt(100 * (est.total[r] || 0) / data.capacity[r], 2) + ' %' : '\u2013'; }))); cls.push('total');
    } else rows.push(['% of the device'].concat(cols.map(function () { return 'unknown part'; })));
    document.getElementById('resource-table').appendChild(table(['node'].concat(cols), rows, cls));
    note('resources', 'Estimates with FINN\u2019s analytical formulas (BRAM in 18 Kb halves).');
  } else note('resources', 'No hardware nodes.');

  // Folding
  if (est) {
    var keys = [];
    est.nodes.forEach(function (n) { Object.keys(n.parallelism || {}).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
    document.getElementById('folding-table').appendChild(table(['node', 'kernel', 'backend'].concat(keys).concat(['cycles']), est.nodes.map(function (n) {
      return [n.name, n.kernel, n.backend].concat(keys.map(function (k) { return (n.parallelism || {})[k]; })).concat([n.cycles]);
    }), est.nodes.map(function (n) { return n.name === bottleneck ? 'bottleneck' : ''; })));
  } else note('folding', 'No hardware nodes.');

  // Verification
  var v = data.verification;
  if (v) {
    var vv = document.getElementById('verification-view');
    vv.appendChild(el('p', { class: v.ok ? 'ok' : 'fail' }, v.ok ? 'passed: every stage reproduced the input model\u2019s outputs' : 'FAILED' + (v.firstFailure ? ': ' + v.firstFailure.message : '')));
    if (Array.isArray(v.stages)) vv.appendChild(table(['stage', 'result'], v.stages.map(function (s) { return [s.stage, s.ok === false ? 'mismatch' : 'match']; }), v.stages.map(function (s) { return s.ok === false ? 'bottleneck' : ''; })));
    if (v.expected) vv.appendChild(el('p', { class: v.expected.ok ? 'ok' : 'fail' }, 'expected output ' + v.expected.file + ': ' + (v.expected.ok ? 'matches' : 'differs')));
  } else note('verification', 'Not verified in this compile (compile --verify checks every stage).');

  // Simulation (rtlsim_performance.json, FINN's keys) next to the estimates
  var sim = data.rtlsim;
  if (sim && typeof sim === 'object') {
    var simRows = Object.keys(sim).map(function (k) {
      var e = '';
      if (est && /^throughput|stable_throughput/.test(k)) e = est.performance.estimated_throughput_fps;
      if (est && k === 'latency_cycles') e = est.performance.critical_path_cycles;
      return [k, e, sim[k]];
    });
    document.getElementById('simulation-view').appendChild(table(['metric', 'estimate', 'rtlsim'], simRows));
  } else note('simulation', 'No report/rtlsim_performance.json in this build.');

  // Synthesis (post_synth_resources.json: per node plus "(top)")
  var syn = data.postSynth;
  if (syn && typeof syn === 'object') {
    var synCols = RES.concat(['SRL', 'BRAM_36K']).filter(function (r) { return Object.keys(syn).some(function (n) { return syn[n] && syn[n][r] !== undefined; }); });
    var synRows = Object.keys(syn).map(function (n) {
      var e = n === '(top)' ? (est ? est.total : {}) : (byName[n] ? byName[n].resources : {});
      return [n].concat(synCols.map(function (r) { return syn[n][r] === undefined ? '' : fmt(syn[n][r], 0) + (e[r] !== undefined ? ' (est. ' + fmt(e[r], 0) + ')' : ''); }));
    });
    document.getElementById('synthesis-view').appendChild(table(['node'].concat(synCols), synRows));
  } else note('synthesis', 'No report/post_synth_resources.json in this build.');

  // Timing
  document.getElementById('timing-view').appendChild(table(['stage', 'ms', 'transforms', 'intermediate model'], data.stages.map(function (s) { return [s.stage, s.ms, s.transforms, s.intermediate]; })));
  if (Object.keys(data.unreadable || {}).length) note('timing', 'Unreadable: ' + Object.keys(data.unreadable).map(function (k) { return k + ' (' + data.unreadable[k] + ')'; }).join('; '));

  document.body.dataset.status = 'ok';
  document.body.dataset.hwNodes = String(document.querySelectorAll('g.node.hw').length);
})();
`;
