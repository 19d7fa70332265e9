/* Deprivation map site: map layers, legends, tooltips, sortable tables, search, draw form.
 *
 * No dependencies beyond Leaflet (and Leaflet.draw on the draw page); no network requests.
 * Every name that comes from data is written with textContent (never innerHTML), so an area
 * named with markup (a script tag, say) shows as text. Layer names given to Leaflet's layer
 * control, which uses innerHTML, are escaped first.
 */
(function () {
  "use strict";

  var GeoSite = (window.GeoSite = window.GeoSite || {});
  var NO_DATA = "#bdbdbd";

  // --- helpers ----------------------------------------------------------------------------

  function esc(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#x27;");
  }
  GeoSite.esc = esc;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function int(value) {
    return Math.round(value).toLocaleString("en-GB");
  }

  var FORMATS = {
    int: function (v) { return int(v); },
    count: function (v) { return Math.abs(v - Math.round(v)) < 0.05 ? int(v) : FORMATS.num1(v); },
    num1: function (v) { return v.toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 }); },
    num3: function (v) { return v.toLocaleString("en-GB", { maximumFractionDigits: 3 }); },
    pct: function (v) { return (100 * v).toLocaleString("en-GB", { maximumFractionDigits: 1 }) + "%"; },
    decile: function (v) {
      if (v === 1) return "1 (most deprived 10%)";
      if (v === 10) return "10 (least deprived 10%)";
      return String(v);
    },
    change: function (v) {
      if (v === 0) return "no change";
      var words = v < 0 ? "ranked relatively more deprived" : "ranked relatively less deprived";
      return (v > 0 ? "+" : "\u2212") + int(Math.abs(v)) + " (" + words + ")";
    },
    text: function (v) { return String(v); },
  };

  function format(value, kind) {
    if (value === null || value === undefined) return "not available";
    var f = FORMATS[kind] || FORMATS.text;
    return f(value);
  }

  /** Decode rings of integer deltas (geo.site.geometry.encode_geometry) to a MultiPolygon. */
  GeoSite.decode = function (encoded, decimals) {
    var scale = Math.pow(10, decimals);
    return {
      type: "MultiPolygon",
      coordinates: encoded.map(function (rings) {
        return rings.map(function (flat) {
          var x = 0, y = 0, ring = [];
          for (var i = 0; i < flat.length; i += 2) {
            x += flat[i];
            y += flat[i + 1];
            ring.push([x / scale, y / scale]);
          }
          ring.push(ring[0].slice());
          return ring;
        });
      }),
    };
  };

  function toGeoJSON(set) {
    return {
      type: "FeatureCollection",
      features: set.features.map(function (f, i) {
        return { type: "Feature", id: i, properties: f, geometry: GeoSite.decode(f.g, set.decimals) };
      }),
    };
  }

  // --- tooltips ---------------------------------------------------------------------------

  function tooltip(f, spec) {
    var box = el("div", { class: "geo-tip" });
    box.appendChild(el("strong", {}, f.l || f.n));
    var ids = [f.l ? f.n : null, f.k].filter(Boolean).join(" \u00b7 ");
    if (ids) box.appendChild(el("div", {}, ids));
    if (f.w) box.appendChild(el("div", {}, "Ward: " + f.w));
    if (f.s !== undefined && f.s !== null) box.appendChild(el("div", {}, "Share inside the area: " + format(f.s, "pct")));
    if (spec && spec.fields && f.r) {
      var values = f.r[spec.col];
      if (values) {
        spec.fields.forEach(function (field, i) {
          if (values[i] === null || values[i] === undefined) return;
          box.appendChild(el("div", {}, field[0] + ": " + format(values[i], field[1])));
        });
      } else {
        box.appendChild(el("div", {}, spec.label + ": not available"));
      }
    }
    if (f.u) box.appendChild(el("div", { class: "geo-tip-hint" }, "Click to open its page"));
    return box;
  }

  // --- legends ----------------------------------------------------------------------------

  function legendNode(legend, id) {
    var section = el("section", { class: "geo-legend", "data-layer": id, "aria-label": "Legend: " + legend.title });
    section.appendChild(el("h3", { class: "geo-legend-title" }, legend.title));
    var list = el("ul", { class: "geo-legend-items" });
    legend.items.forEach(function (item) {
      var li = el("li");
      var swatch = el("span", { class: legend.note === "outline" ? "geo-swatch geo-swatch-line" : "geo-swatch", "aria-hidden": "true" });
      if (legend.note === "outline") swatch.style.borderColor = item[0];
      else swatch.style.background = item[0];
      li.appendChild(swatch);
      li.appendChild(el("span", {}, item[1]));
      list.appendChild(li);
    });
    section.appendChild(list);
    if (legend.note && legend.note !== "outline") section.appendChild(el("p", { class: "geo-legend-note" }, legend.note));
    return section;
  }

  function legendControl(position) {
    var Control = L.Control.extend({
      options: { position: position || "bottomleft" },
      onAdd: function () {
        var div = L.DomUtil.create("div", "leaflet-control geo-legends");
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    return new Control();
  }

  // --- map pages --------------------------------------------------------------------------

  /** Build the page's layers, layer switch, legends and tooltips from window.GEO_PAGE. */
  GeoSite.mapPage = function (map, data) {
    if (!data) throw new Error("GeoSite.mapPage: the page data (window.GEO_PAGE) is missing");
    var collections = {};
    Object.keys(data.geometries).forEach(function (key) {
      collections[key] = toGeoJSON(data.geometries[key]);
    });
    var legends = legendControl(data.legendPosition).addTo(map);
    var box = legends.getContainer();
    var toggle = el("button", { type: "button", class: "geo-legend-toggle", "aria-expanded": "true" }, "Hide key");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "Hide key" : "Show key";
      box.classList.toggle("geo-legends-collapsed", !open);
    });
    box.appendChild(toggle);
    if (map.getContainer().clientWidth < 640) toggle.click();
    var entries = [];
    var base = {};
    var overlays = {};

    function add(spec, isBase) {
      var legend = spec.legend === null || spec.legend === undefined ? null : data.legends[spec.legend];
      var layer = L.geoJSON(collections[spec.geometry], {
        interactive: spec.interactive !== false,
        attribution: data.attribution,
        style: function (feature) {
          var f = feature.properties;
          if (spec.outline) {
            return { color: spec.outline, weight: spec.weight || 2, fill: !!f.u, fillOpacity: 0, opacity: 1 };
          }
          var c = f.c ? f.c[spec.col] : null;
          var colour = c === null || c === undefined || !legend ? NO_DATA : legend.items[c][0];
          return { color: "#ffffff", weight: 0.6, opacity: 0.9, fillColor: colour, fillOpacity: 0.8 };
        },
        onEachFeature: function (feature, layer) {
          if (spec.interactive === false) return;
          var f = feature.properties;
          layer.bindTooltip(function () { return tooltip(f, spec.outline ? null : spec); }, { sticky: true });
          if (f.u) {
            layer.on("click", function () { window.location.href = f.u; });
          }
        },
      });
      var node = legend ? legendNode(legend, spec.id) : null;
      if (node) box.appendChild(node);
      entries.push({ layer: layer, node: node });
      var name = esc(spec.label);
      if (isBase) base[name] = layer;
      else overlays[name] = layer;
      if (spec.show) layer.addTo(map);
      return layer;
    }

    (data.layers || []).forEach(function (spec) { add(spec, true); });
    (data.overlays || []).forEach(function (spec) { add(spec, false); });

    function update() {
      var shown = 0;
      entries.forEach(function (e) {
        if (!e.node) return;
        var on = map.hasLayer(e.layer);
        e.node.hidden = !on;
        if (on) shown += 1;
      });
      box.hidden = shown === 0;
    }
    map.on("baselayerchange overlayadd overlayremove layeradd layerremove", update);
    update();

    if (Object.keys(base).length + Object.keys(overlays).length > 1) {
      var narrow = map.getContainer().clientWidth < 640;
      L.control.layers(base, overlays, { collapsed: narrow, position: "topright" }).addTo(map);
    }
    if (data.bounds) map.fitBounds(data.bounds, { padding: [8, 8] });
    GeoSite.accessibleMap(map, data.title || "Map");
    return map;
  };

  /** Names for the map and for Leaflet's and Leaflet.draw's icon-only controls. */
  GeoSite.accessibleMap = function (map, title) {
    var container = map.getContainer();
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", "Map: " + title + ". The same information is in the tables below.");
    var fix = function () {
      container.querySelectorAll(".leaflet-control a").forEach(function (a) {
        if (!a.getAttribute("role") && a.getAttribute("href") === "#") a.setAttribute("role", "button");
        var visible = a.textContent.trim();
        if (a.classList.contains("leaflet-control-layers-toggle")) a.setAttribute("aria-label", "Choose map layers");
        else if (!visible && !a.getAttribute("aria-label") && a.getAttribute("title")) a.setAttribute("aria-label", a.getAttribute("title"));
      });
    };
    fix();
    map.on("draw:drawstart draw:drawstop draw:editstart draw:editstop draw:deletestart draw:deletestop", function () {
      window.setTimeout(fix, 0);
    });
    if (window.MutationObserver) {
      new MutationObserver(fix).observe(container.querySelector(".leaflet-control-container"), { childList: true, subtree: true });
    }
  };

  // --- sortable tables ----------------------------------------------------------------------

  function cellValue(cell, numeric) {
    var raw = cell.getAttribute("data-value");
    if (raw === null) raw = cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    if (raw === "") return null;
    var n = parseFloat(raw);
    return isNaN(n) ? null : n;
  }

  function sortTable(table, index, th) {
    var numeric = th.getAttribute("data-type") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[index], numeric);
      var y = cellValue(b.cells[index], numeric);
      if (x === null && y === null) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var status = table.parentNode.querySelector(".sort-status");
    if (status) status.textContent = "Sorted by " + th.textContent.trim() + ", " + (ascending ? "ascending" : "descending") + ".";
  }

  GeoSite.sortableTables = function (root) {
    (root || document).querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, index) {
        var button = th.querySelector("button");
        if (!button) return;
        button.addEventListener("click", function () { sortTable(table, index, th); });
      });
    });
  };

  // --- search -----------------------------------------------------------------------------

  function normalise(text) {
    return String(text || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function score(entry, query) {
    var name = normalise(entry.name);
    var code = normalise(entry.code);
    var alt = normalise(entry.alt);
    if (name === query || code === query) return 0;
    if (name.indexOf(query) === 0 || code.indexOf(query) === 0) return 1;
    if ((" " + name).indexOf(" " + query) >= 0) return 2;
    if ((" " + alt).indexOf(" " + query) >= 0) return 3;
    if (name.indexOf(query) >= 0 || alt.indexOf(query) >= 0) return 4;
    if (query.length >= 4 && (near(name, query) || near(alt, query))) return 5;
    return -1;
  }

  // Edit distance (insertions, deletions, substitutions, adjacent swaps) of a and b.
  function distance(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d.push([i]); }
    for (j = 1; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  // Tolerant match: the query is within one typo (two for 7+ letters) of the start of a
  // word of the text ("armly" finds Armley, "hedingley" Headingley).
  function near(text, query) {
    if (!text) return false;
    var allowed = query.length >= 7 ? 2 : 1;
    var words = text.split(" ");
    for (var w = 0; w < words.length; w++) {
      var start = words.slice(w).join(" ");
      for (var k = query.length - allowed; k <= query.length + allowed; k++) {
        if (k < 1 || k > start.length) continue;
        if (distance(query, start.slice(0, k)) <= allowed) return true;
      }
    }
    return false;
  }

  // --- postcode search: shards by outward code, loaded when a postcode is typed ----------

  var POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;
  var postcodeData = { shards: {}, areas: null, waiting: {} };

  GeoSite.parsePostcode = function (text) {
    var compact = String(text || "").toUpperCase().replace(/\s+/g, "");
    var m = POSTCODE.exec(compact);
    return m ? { outward: m[1], inward: m[2], postcode: m[1] + " " + m[2] } : null;
  };

  function loaded(key) {
    var queue = postcodeData.waiting[key] || [];
    delete postcodeData.waiting[key];
    queue.forEach(function (fn) { fn(); });
  }

  GeoSite.postcodeShard = function (outward, shard) {
    postcodeData.shards[outward] = shard;
    loaded(outward);
  };

  GeoSite.postcodeAreas = function (areas) {
    postcodeData.areas = areas;
    loaded("");
  };

  // Load assets/postcodes/<name>.js once (a script tag works from a file share too).
  function loadPostcodeFile(root, key, name, ready, done) {
    if (ready()) { done(); return; }
    if (postcodeData.waiting[key]) { postcodeData.waiting[key].push(done); return; }
    postcodeData.waiting[key] = [done];
    var script = el("script", { src: root + "assets/postcodes/" + name + ".js" });
    script.addEventListener("error", function () { loaded(key); });
    document.body.appendChild(script);
  }

  // Look a postcode up: callback(null) for text that is not a postcode, else
  // {postcode, found, lsoa21, lsoa11, ward} with the areas' entries.
  GeoSite.lookupPostcode = function (root, text, callback) {
    var pc = GeoSite.parsePostcode(text);
    if (!pc) { callback(null); return; }
    loadPostcodeFile(root, "", "areas", function () { return postcodeData.areas; }, function () {
      var areas = postcodeData.areas;
      if (!areas || areas.outward.indexOf(pc.outward) < 0) {
        callback({ postcode: pc.postcode, found: false });
        return;
      }
      loadPostcodeFile(root, pc.outward, pc.outward, function () { return postcodeData.shards[pc.outward]; }, function () {
        var shard = postcodeData.shards[pc.outward] || {};
        var hit = shard[pc.inward];
        if (!hit) { callback({ postcode: pc.postcode, found: false }); return; }
        callback({
          postcode: pc.postcode, found: true,
          lsoa21: hit[0] ? Object.assign({ code: hit[0] }, areas.lsoas[hit[0]]) : null,
          lsoa11: hit[1] ? Object.assign({ code: hit[1] }, areas.lsoas[hit[1]]) : null,
          ward: hit[2] ? Object.assign({ code: hit[2] }, areas.wards[hit[2]]) : null
        });
      });
    });
  };

  function deciles(lsoa) {
    var d = (lsoa && lsoa.d) || {};
    return Object.keys(d).sort().reverse().map(function (v) { return "decile " + d[v] + " in IoD" + v; });
  }

  // The sentence and links of a postcode result.
  GeoSite.describePostcode = function (result) {
    if (!result.found) {
      return { text: result.postcode + " is not a live postcode of this authority.", links: [] };
    }
    var l21 = result.lsoa21, l11 = result.lsoa11, ward = result.ward, links = [];
    var parts = [result.postcode + " is in LSOA " + l21.n + (l21.l ? " (" + l21.l + ")" : "")];
    if (ward) parts.push(ward.n + " ward" + (ward.a || []).slice().reverse().map(function (a) { return ", " + a[0] + " " + a[1].toLowerCase(); }).join(""));
    var text = parts.join(", ") + ". National IMD " + deciles(l21).join(", ");
    if (l11 && l11.code !== l21.code) text += "; its 2011 LSOA " + l11.n + ": " + deciles(l11).join(", ");
    text += " (decile 1 = the most deprived 10% of England).";
    var priority = (l11 && l11.p) || l21.p;
    text += priority ? " It is in the priority neighbourhood " + priority[0] + "." : " It is not in a priority neighbourhood.";
    if (ward && ward.pw) text += " " + ward.n + " is a priority ward.";
    if (l21.u) links.push([l21.n, "LSOA " + l21.code, l21.u]);
    if (ward) links.push([ward.n, "Ward", ward.u]);
    (ward ? ward.a : []).forEach(function (a) { links.push([a[0], a[1], a[2]]); });
    if (priority) links.push([priority[0], "Priority neighbourhood", priority[1]]);
    return { text: text, links: links };
  };

  GeoSite.search = function (index, text, limit) {
    var query = normalise(text);
    if (!query) return [];
    var hits = [];
    index.forEach(function (entry, i) {
      var s = score(entry, query);
      if (s >= 0) hits.push({ s: s, i: i, entry: entry });
    });
    hits.sort(function (a, b) { return a.s - b.s || a.entry.rank - b.entry.rank || a.i - b.i; });
    return hits.slice(0, limit || 12).map(function (h) { return h.entry; });
  };

  GeoSite.initSearch = function (root) {
    var form = document.getElementById("site-search");
    if (!form) return;
    var input = form.querySelector("input");
    var list = document.getElementById("site-search-results");
    var status = document.getElementById("site-search-status");
    var index = window.GEO_SEARCH_INDEX || [];
    var postcodes = GeoSite.options && GeoSite.options.postcodes;
    function render() {
      var typed = input.value;
      if (postcodes && GeoSite.parsePostcode(typed)) {
        GeoSite.lookupPostcode(root, typed, function (result) {
          if (input.value !== typed || !result) return;
          var described = GeoSite.describePostcode(result);
          list.textContent = "";
          var li = el("li", { class: "postcode-result" + (result.found ? "" : " postcode-missing") });
          li.appendChild(el("p", {}, described.text));
          list.appendChild(li);
          described.links.forEach(function (link) {
            var item = el("li");
            var a = el("a", { href: root + link[2] });
            a.appendChild(el("span", { class: "hit-name" }, link[0]));
            a.appendChild(el("span", { class: "hit-kind" }, " " + link[1]));
            item.appendChild(a);
            list.appendChild(item);
          });
          list.hidden = false;
          status.textContent = described.text;
        });
        return;
      }
      var hits = GeoSite.search(index, typed, 12);
      list.textContent = "";
      hits.forEach(function (entry) {
        var li = el("li");
        var a = el("a", { href: root + entry.url });
        a.appendChild(el("span", { class: "hit-name" }, entry.name));
        a.appendChild(el("span", { class: "hit-kind" }, " " + entry.kind + (entry.code ? " \u00b7 " + entry.code : "")));
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
      status.textContent = input.value.trim() ? hits.length + (hits.length === 1 ? " result" : " results") : "";
    }
    input.addEventListener("input", render);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) window.location.href = first.getAttribute("href");
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && i < links.length - 1) { event.preventDefault(); links[i + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      if (event.key === "Escape") { input.focus(); }
    });
  };

  // --- draw page --------------------------------------------------------------------------

  var drawCounter = 0;

  GeoSite.drawPage = function (map, group) {
    var listBox = document.getElementById("drawn-list");
    var message = document.getElementById("draw-message");
    var wards = (window.GEO_PAGE && window.GEO_PAGE.wards) || [];
    var items = [];

    function say(text) { message.textContent = text; }

    function field(labelText, control) {
      var label = el("label", {}, labelText);
      label.setAttribute("for", control.id);
      var wrap = el("div", { class: "draw-field" });
      wrap.appendChild(label);
      wrap.appendChild(control);
      return wrap;
    }

    function addItem(layer, props) {
      drawCounter += 1;
      var n = drawCounter;
      var item = { layer: layer, n: n };
      var li = el("li", { class: "drawn-item" });
      li.appendChild(el("h3", {}, "Shape " + n));
      item.name = el("input", { id: "draw-name-" + n, type: "text", required: "required", autocomplete: "off" });
      item.name.value = (props && props.name) || "";
      item.ward = el("select", { id: "draw-ward-" + n });
      item.ward.appendChild(el("option", { value: "" }, "(not set)"));
      wards.forEach(function (w) { item.ward.appendChild(el("option", { value: w }, w)); });
      if (props && props.ward) item.ward.value = props.ward;
      item.notes = el("input", { id: "draw-notes-" + n, type: "text", autocomplete: "off" });
      item.notes.value = (props && props.notes) || "";
      item.id = (props && props.id) || null;
      li.appendChild(field("Name (required)", item.name));
      li.appendChild(field("Ward", item.ward));
      li.appendChild(field("Notes", item.notes));
      var remove = el("button", { type: "button", class: "btn btn-outline-secondary btn-sm" }, "Remove shape " + n);
      remove.addEventListener("click", function () {
        group.removeLayer(layer);
        items = items.filter(function (x) { return x !== item; });
        listBox.removeChild(li);
        say("Removed shape " + n + ".");
      });
      li.appendChild(remove);
      listBox.appendChild(li);
      item.node = li;
      items.push(item);
      layer.bindTooltip(function () { return el("span", {}, item.name.value || "Shape " + n + " (no name yet)"); }, { sticky: true });
      return item;
    }

    map.on("draw:created", function (e) {
      var item = addItem(e.layer, null);
      say("Shape " + drawCounter + " added: give it a name below the map.");
      item.name.focus();
    });
    map.on("draw:deleted", function (e) {
      e.layers.eachLayer(function (layer) {
        items.filter(function (x) { return x.layer === layer; }).forEach(function (x) {
          listBox.removeChild(x.node);
        });
        items = items.filter(function (x) { return x.layer !== layer; });
      });
    });

    function collect() {
      var names = {};
      var problems = [];
      var features = items.map(function (item) {
        var name = item.name.value.trim();
        if (!name) problems.push("Shape " + item.n + " has no name.");
        else if (names[name.toLowerCase()]) problems.push("The name \u201c" + name + "\u201d is used twice.");
        names[name.toLowerCase()] = true;
        var geo = item.layer.toGeoJSON();
        var properties = { name: name };
        if (item.id) properties.id = item.id;
        if (item.ward.value) properties.ward = item.ward.value;
        if (item.notes.value.trim()) properties.notes = item.notes.value.trim();
        return { type: "Feature", properties: properties, geometry: geo.geometry };
      });
      if (!features.length) problems.push("Draw at least one shape first.");
      return { problems: problems, data: { type: "FeatureCollection", features: features } };
    }

    document.getElementById("draw-export").addEventListener("click", function () {
      var result = collect();
      if (result.problems.length) {
        say(result.problems.join(" "));
        return;
      }
      var fileName = (document.getElementById("draw-file").value.trim() || "neighbourhoods").replace(/[^A-Za-z0-9_-]+/g, "-") + ".geojson";
      var blob = new Blob([JSON.stringify(result.data, null, 1) + "\n"], { type: "application/geo+json" });
      var a = el("a", { href: URL.createObjectURL(blob), download: fileName });
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      say("Saved " + result.data.features.length + " neighbourhood(s) to " + fileName + ".");
    });

    document.getElementById("draw-import").addEventListener("change", function (event) {
      var file = event.target.files[0];
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        try {
          var data = JSON.parse(reader.result);
          var count = 0;
          L.geoJSON(data).eachLayer(function (layer) {
            var polys = layer instanceof L.Polygon ? [layer] : [];
            polys.forEach(function (poly) {
              group.addLayer(poly);
              addItem(poly, (layer.feature && layer.feature.properties) || {});
              count += 1;
            });
          });
          if (count) map.fitBounds(group.getBounds());
          say("Loaded " + count + " shape(s) from " + file.name + ".");
        } catch (err) {
          say("Could not read " + file.name + " as GeoJSON: " + err.message);
        }
      };
      reader.readAsText(file);
    });

    GeoSite.drawnFeatures = function () { return collect(); };
  };

  // --- page start -------------------------------------------------------------------------

  GeoSite.init = function (options) {
    GeoSite.options = options || {};
    GeoSite.sortableTables(document);
    GeoSite.initSearch((options && options.root) || "");
  };
})();
