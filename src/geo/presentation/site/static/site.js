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
    if (f.u) box.appendChild(el("div", { class: "geo-tip-hint" }, "Select (or press Enter) to open its page"));
    return box;
  }

  /** One tooltip per map, above the controls and always wholly inside the map. */
  function tipBox(map) {
    var container = map.getContainer();
    var box = el("div", { class: "geo-tooltip", role: "tooltip", id: container.id + "-tip" });
    box.hidden = true;
    container.appendChild(box);
    var margin = 6;
    return {
      node: box,
      show: function (content, point) {
        box.textContent = "";
        box.appendChild(content);
        box.hidden = false;
        this.move(point);
      },
      move: function (point) {
        if (box.hidden) return;
        var w = container.clientWidth, h = container.clientHeight;
        var tw = Math.min(box.offsetWidth, w - 2 * margin), th = Math.min(box.offsetHeight, h - 2 * margin);
        var left = point.x + 14, top = point.y + 14;
        if (left + tw > w - margin) left = point.x - 14 - tw;
        if (top + th > h - margin) top = point.y - 14 - th;
        left = Math.max(margin, Math.min(left, w - margin - tw));
        top = Math.max(margin, Math.min(top, h - margin - th));
        box.style.left = Math.round(left) + "px";
        box.style.top = Math.round(top) + "px";
      },
      hide: function () { box.hidden = true; },
    };
  }

  // --- legends ----------------------------------------------------------------------------

  function legendNode(legend, id) {
    var section = el("section", { class: "geo-legend", "data-layer": id, "aria-label": "Key: " + legend.title });
    section.appendChild(el("h3", { class: "geo-legend-title" }, legend.title));
    if (legend.strip) return stripLegend(section, legend);
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

  /** An ordered key as one row of numbered swatches, each with its full label for readers. */
  function stripLegend(section, legend) {
    var list = el("ul", { class: "geo-legend-items geo-legend-strip" });
    legend.items.forEach(function (item, i) {
      var li = el("li");
      var swatch = el("span", { class: "geo-swatch", "aria-hidden": "true" });
      swatch.style.background = item[0];
      li.appendChild(swatch);
      li.appendChild(el("span", { class: "geo-strip-number", "aria-hidden": "true" }, String(i + 1)));
      li.appendChild(el("span", { class: "visually-hidden" }, item[1]));
      list.appendChild(li);
    });
    section.appendChild(list);
    var ends = el("p", { class: "geo-strip-ends", "aria-hidden": "true" });
    ends.appendChild(el("span", {}, legend.strip[0]));
    ends.appendChild(el("span", {}, legend.strip[1]));
    section.appendChild(ends);
    return section;
  }

  /** A Leaflet control holding ``node`` (wide maps); on narrow maps the node sits below the map. */
  function furniture(map, node, position, panel) {
    if (panel) {
      panel.appendChild(node);
      return null;
    }
    var Control = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var div = L.DomUtil.create("div", "leaflet-control geo-control");
        div.appendChild(node);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    return new Control().addTo(map);
  }

  /** A button that shows and hides ``body`` (aria-expanded), labelled "Show/Hide <what>". */
  function collapsible(what, body, open) {
    var wrap = el("div", { class: "geo-collapsible" });
    var button = el("button", { type: "button", class: "geo-toggle", "aria-expanded": "false" });
    function set(on) {
      button.setAttribute("aria-expanded", on ? "true" : "false");
      button.textContent = (on ? "Hide " : "Show ") + what;
      body.hidden = !on;
    }
    button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
    wrap.appendChild(button);
    wrap.appendChild(body);
    set(open);
    return wrap;
  }

  // --- map pages --------------------------------------------------------------------------

  var mapCounter = 0;

  /** Build the page's layers, layer switch, key, tooltips and keyboard use from window.GEO_PAGE.
   *
   * One Leaflet layer per geometry set, made the first time a layer on it is shown (a page
   * opens with only its shown layers built); switching between layers on the same set
   * restyles it. Fills sit in Leaflet's overlay pane, halos and outlines in panes above it,
   * so outlines stay on top after any switch. On a map narrower than 640 px the key and the
   * layer switch sit below the map.
   */
  GeoSite.mapPage = function (map, data) {
    if (!data) throw new Error("GeoSite.mapPage: the page data (window.GEO_PAGE) is missing");
    mapCounter += 1;
    var palette = data.palette || {};
    var container = map.getContainer();
    var box = container.closest(".map-box") || container.parentNode;
    var narrow = container.clientWidth < 640;
    var panel = null;
    if (narrow) {
      panel = el("div", { class: "geo-map-panel", id: "map-panel-" + mapCounter });
      box.parentNode.insertBefore(panel, box.nextSibling);
    }
    map.createPane("geoHalo").style.zIndex = 440;
    map.createPane("geoLines").style.zIndex = 450;
    map.createPane("geoFocus").style.zIndex = 460;
    ["geoHalo", "geoFocus"].forEach(function (p) { map.getPane(p).style.pointerEvents = "none"; });
    var tip = tipBox(map);
    var legends = data.legends || [];
    var sets = {};
    var built = {};

    function collection(key) {
      if (!sets[key]) sets[key] = toGeoJSON(data.geometries[key]);
      return sets[key];
    }

    // The key: one section per layer with a legend, shown while its layer is.
    var keyBody = el("div", { class: "geo-legends" });
    var keyNodes = {};
    function keyNode(spec) {
      if (spec.legend === null || spec.legend === undefined) return null;
      if (!keyNodes[spec.id]) {
        keyNodes[spec.id] = legendNode(legends[spec.legend], spec.id);
        keyBody.appendChild(keyNodes[spec.id]);
      }
      return keyNodes[spec.id];
    }
    var keyWrap = collapsible("key", keyBody, true);
    keyWrap.classList.add("geo-key");
    var keyControl = furniture(map, keyWrap, data.legendPosition || "bottomleft", panel);

    // Base layer: one styled geometry set at a time.
    var current = null;
    function fillStyle(spec, f) {
      var legend = spec.legend === null || spec.legend === undefined ? null : legends[spec.legend];
      var c = f.c ? f.c[spec.col] : null;
      var colour = c === null || c === undefined || !legend ? (palette.noData || NO_DATA) : legend.items[c][0];
      var edge = spec.edge || palette.fillEdge;
      return { color: edge, weight: spec.edge ? 1 : 0.6, opacity: 0.9, fillColor: colour, fillOpacity: palette.fillOpacity };
    }
    function baseLayer(spec) {
      var key = "base:" + spec.geometry;
      if (!built[key]) {
        built[key] = L.geoJSON(collection(spec.geometry), {
          attribution: data.attribution,
          style: function (feature) { return fillStyle(current || spec, feature.properties); },
          onEachFeature: function (feature, layer) { bindFeature(layer, feature.properties, function () { return current; }); },
        });
        built[key].geoKey = spec.geometry;
      }
      return built[key];
    }
    function showBase(spec) {
      var layer = baseLayer(spec);
      if (current) {
        var old = built["base:" + current.geometry];
        if (old !== layer) map.removeLayer(old);
        if (keyNodes[current.id]) keyNodes[current.id].hidden = true;
      }
      current = spec;
      layer.setStyle(function (feature) { return fillStyle(spec, feature.properties); });
      if (!map.hasLayer(layer)) layer.addTo(map);
      var node = keyNode(spec);
      if (node) node.hidden = false;
      updateKey();
      keys.reset();
    }

    // Overlays: outlines over a white halo, in their own panes.
    var overlayOn = {};
    function overlayLayer(spec) {
      var key = "overlay:" + spec.id;
      if (!built[key]) {
        var weight = spec.weight || 2;
        var halo = L.geoJSON(collection(spec.geometry), {
          pane: "geoHalo", interactive: false,
          style: { color: palette.halo, weight: weight + palette.haloExtra, opacity: 0.9, fill: false },
        });
        var lines = L.geoJSON(collection(spec.geometry), {
          pane: "geoLines", interactive: spec.interactive !== false, attribution: data.attribution,
          style: function (feature) {
            return { color: spec.outline, weight: weight, opacity: 1, fill: !!feature.properties.u, fillOpacity: 0 };
          },
          onEachFeature: function (feature, layer) {
            if (spec.interactive === false) return;
            bindFeature(layer, feature.properties, function () { return null; });
          },
        });
        built[key] = L.layerGroup([halo, lines]);
        built[key].lines = lines;
      }
      return built[key];
    }
    function setOverlay(spec, on) {
      var layer = overlayLayer(spec);
      overlayOn[spec.id] = on;
      if (on && !map.hasLayer(layer)) layer.addTo(map);
      if (!on && map.hasLayer(layer)) map.removeLayer(layer);
      var node = keyNode(spec);
      if (node) node.hidden = !on;
      updateKey();
      keys.reset();
    }

    function updateKey() {
      var shown = Object.keys(keyNodes).filter(function (id) { return !keyNodes[id].hidden; }).length;
      keyWrap.hidden = shown === 0;
    }

    // Mouse: the tooltip follows the pointer; a feature with a page opens it on click.
    function bindFeature(layer, f, specOf) {
      layer.on("mouseover", function (e) { tip.show(tooltip(f, specOf()), e.containerPoint); });
      layer.on("mousemove", function (e) { tip.move(e.containerPoint); });
      layer.on("mouseout", function () { tip.hide(); });
      if (f.u) layer.on("click", function () { window.location.href = f.u; });
    }

    // Keyboard: the map is one tab stop; arrows move between areas, Enter opens one.
    var live = el("p", { class: "visually-hidden", "aria-live": "polite", id: container.id + "-live" });
    box.parentNode.insertBefore(live, box.nextSibling);
    var keys = keyboard(map, tip, live, function () {
      var linked = (data.overlays || []).filter(function (o) { return overlayOn[o.id] && o.interactive !== false; });
      var out = [];
      linked.forEach(function (o) { built["overlay:" + o.id].lines.eachLayer(function (l) { out.push({ layer: l, spec: null }); }); });
      if (!out.length && current) built["base:" + current.geometry].eachLayer(function (l) { out.push({ layer: l, spec: current }); });
      return out;
    }, palette);

    var baseSpecs = data.layers || [];
    var shownBase = baseSpecs.filter(function (s) { return s.show; })[0] || baseSpecs[0];
    if (shownBase) showBase(shownBase);
    (data.overlays || []).forEach(function (spec) { if (spec.show) setOverlay(spec, true); });

    if (baseSpecs.length + (data.overlays || []).length > 1) {
      var chooser = layerChooser(baseSpecs, data.overlays || [], shownBase, showBase, setOverlay, mapCounter);
      var wrap = collapsible("map layers", chooser, false);
      wrap.classList.add("geo-layers");
      furniture(map, wrap, "topright", panel);
    }
    if (panel) panel.appendChild(keyWrap);
    if (data.bounds) map.fitBounds(data.bounds, fitPadding(map, keyControl));
    placeLabels(map, data.labels || []);
    GeoSite.accessibleMap(map, data.title || "Map");
    GeoSite.maps = GeoSite.maps || [];
    GeoSite.maps.push({ map: map, show: showBase, overlay: setOverlay, data: data });
    GeoSite.usableAt = window.performance ? Math.round(performance.now()) : null;
    return map;
  };

  /**
   * Place names: committee, ward and neighbourhood labels, each kind in its own band of
   * zoom levels (label.z = [first, last]) so they never crowd one another. Text with a
   * white halo, above the outlines, never catching the pointer and hidden from screen
   * readers (the page's text says the same).
   */
  function placeLabels(map, labels) {
    if (!labels.length) return;
    var pane = map.createPane("geoLabels");
    pane.style.zIndex = 455;
    pane.style.pointerEvents = "none";
    pane.setAttribute("aria-hidden", "true");
    var markers = labels.map(function (label) {
      var text = el("span", {}, label.t);
      var icon = L.divIcon({ className: "geo-label geo-label-" + label.k, html: text, iconSize: null });
      return { z: label.z, marker: L.marker(label.p, { icon: icon, pane: "geoLabels", interactive: false, keyboard: false }) };
    });
    function update() {
      var zoom = map.getZoom();
      markers.forEach(function (m) {
        var on = zoom >= m.z[0] && zoom <= m.z[1];
        if (on && !map.hasLayer(m.marker)) m.marker.addTo(map);
        if (!on && map.hasLayer(m.marker)) map.removeLayer(m.marker);
      });
    }
    map.on("zoomend", update);
    update();
  }

  /** The opening fit: padding that keeps the area clear of the key (bottom left) and the
   * attribution, without animation. */
  function fitPadding(map, keyControl) {
    // no zoom animation on opening: the map is usable (and hoverable) at once
    var pad = { paddingTopLeft: [8, 8], paddingBottomRight: [8, 24], animate: false };
    if (keyControl) {
      var node = keyControl.getContainer();
      var width = node.offsetWidth + 16;
      if (width < map.getContainer().clientWidth / 2) pad.paddingTopLeft = [width, 8];
    }
    return pad;
  }

  /** The layer switch: one choice of release, one of measure (among that release's), overlays. */
  function layerChooser(baseSpecs, overlays, shown, showBase, setOverlay, n) {
    var form = el("form", { class: "geo-layer-form", "aria-label": "Map layers" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var releases = [], measures = [];
    baseSpecs.forEach(function (s) {
      if (releases.indexOf(s.release) < 0) releases.push(s.release);
      if (measures.indexOf(s.measure) < 0) measures.push(s.measure);
    });
    var state = { release: shown ? shown.release : releases[0], measure: shown ? shown.measure : measures[0] };
    function find(release, measure) {
      return baseSpecs.filter(function (s) { return s.release === release && s.measure === measure; })[0];
    }
    var inputs = { release: [], measure: [] };
    function group(kind, legendText, values) {
      if (values.length < 2) return;
      var fs = el("fieldset", { class: "geo-layer-group" });
      fs.appendChild(el("legend", {}, legendText));
      values.forEach(function (value, i) {
        var id = "map" + n + "-" + kind + "-" + i;
        var label = el("label", { for: id });
        var input = el("input", { type: "radio", name: "map" + n + "-" + kind, id: id, value: value });
        input.checked = state[kind] === value;
        input.addEventListener("change", function () { choose(kind, value); });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + value));
        fs.appendChild(label);
        inputs[kind].push(input);
      });
      form.appendChild(fs);
    }
    function refresh() {
      inputs.measure.forEach(function (input) { input.disabled = !find(state.release, input.value); input.checked = input.value === state.measure; });
      inputs.release.forEach(function (input) { input.checked = input.value === state.release; });
    }
    function choose(kind, value) {
      state[kind] = value;
      var spec = find(state.release, state.measure);
      if (!spec) {
        spec = baseSpecs.filter(function (s) { return s.release === state.release; })[0];
        state.measure = spec.measure;
      }
      showBase(spec);
      refresh();
    }
    group("release", "Release", releases);
    group("measure", "Measure", measures);
    if (overlays.length) {
      var fs = el("fieldset", { class: "geo-layer-group" });
      fs.appendChild(el("legend", {}, "Boundaries"));
      overlays.forEach(function (spec, i) {
        var id = "map" + n + "-overlay-" + i;
        var label = el("label", { for: id });
        var input = el("input", { type: "checkbox", id: id });
        input.checked = !!spec.show;
        input.addEventListener("change", function () { setOverlay(spec, input.checked); });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + spec.label));
        fs.appendChild(label);
      });
      form.appendChild(fs);
    }
    refresh();
    return form;
  }

  /** Arrow keys move between the areas drawn (linked outlines first), announced by name. */
  function keyboard(map, tip, live, areas, palette) {
    var container = map.getContainer();
    var list = [], index = -1, mark = null;
    function sorted() {
      return areas().sort(function (a, b) {
        var x = a.layer.feature.properties, y = b.layer.feature.properties;
        return String(x.l || x.n || "").localeCompare(String(y.l || y.n || ""));
      });
    }
    function clear() {
      if (mark) { map.removeLayer(mark); mark = null; }
      tip.hide();
    }
    function select(i) {
      if (!list.length) list = sorted();
      if (!list.length) return;
      index = (i + list.length) % list.length;
      var item = list[index];
      var f = item.layer.feature.properties;
      clear();
      var geo = item.layer.feature;
      mark = L.layerGroup([
        L.geoJSON(geo, { pane: "geoFocus", interactive: false, style: { color: palette.halo, weight: 7, opacity: 1, fill: false } }),
        L.geoJSON(geo, { pane: "geoFocus", interactive: false, style: { color: palette.focusLine, weight: 3.5, opacity: 1, fill: false } }),
      ]).addTo(map);
      var bounds = item.layer.getBounds();
      if (!map.getBounds().contains(bounds)) map.panTo(bounds.getCenter(), { animate: false });
      var content = tooltip(f, item.spec);
      tip.show(content, map.latLngToContainerPoint(bounds.getCenter()));
      var name = f.l || f.n || "Area";
      live.textContent = name + ", " + (index + 1) + " of " + list.length + (f.u ? ". Press Enter to open its page." : ".");
    }
    container.addEventListener("keydown", function (e) {
      if (e.target !== container) return;
      var k = e.key;
      if (k === "ArrowRight" || k === "ArrowDown") { e.preventDefault(); select(index + 1); }
      else if (k === "ArrowLeft" || k === "ArrowUp") { e.preventDefault(); select(index < 0 ? -1 : index - 1); }
      else if (k === "Home") { e.preventDefault(); select(0); }
      else if (k === "End") { e.preventDefault(); select(-1); }
      else if (k === "Enter" && index >= 0 && list[index]) {
        var u = list[index].layer.feature.properties.u;
        if (u) { e.preventDefault(); window.location.href = u; }
      } else if (k === "Escape") { clear(); index = -1; live.textContent = ""; }
      else if (k === "+" || k === "=") { e.preventDefault(); map.zoomIn(); }
      else if (k === "-" || k === "_") { e.preventDefault(); map.zoomOut(); }
    });
    container.addEventListener("blur", function () { if (mark) tip.hide(); });
    return {
      reset: function () { list = []; index = -1; clear(); },
    };
  }

  /** Names for the map and for Leaflet's and Leaflet.draw's icon-only controls. */
  GeoSite.accessibleMap = function (map, title) {
    var container = map.getContainer();
    container.setAttribute("role", "application");
    container.setAttribute("tabindex", "0");
    container.setAttribute("aria-roledescription", "map");
    container.setAttribute("aria-label", "Map: " + title + ". Arrow keys move between areas, Enter opens an area's page, plus and minus zoom. The same information is in the tables below.");
    container.querySelectorAll(".leaflet-interactive").forEach(function (p) { p.setAttribute("tabindex", "-1"); });
    var fix = function () {
      container.querySelectorAll(".leaflet-control a").forEach(function (a) {
        if (!a.getAttribute("role") && a.getAttribute("href") === "#") a.setAttribute("role", "button");
        var visible = a.textContent.trim();
        if (!visible && !a.getAttribute("aria-label") && a.getAttribute("title")) a.setAttribute("aria-label", a.getAttribute("title"));
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

  // --- figures of a drawn shape, computed in the page -----------------------------------

  function polygonsOf(geometry) {
    if (!geometry) return [];
    return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  }

  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function inPolygons(x, y, polys) {
    for (var p = 0; p < polys.length; p++) {
      if (!inRing(x, y, polys[p][0])) continue;
      var hole = false;
      for (var h = 1; h < polys[p].length; h++) if (inRing(x, y, polys[p][h])) { hole = true; break; }
      if (!hole) return true;
    }
    return false;
  }

  function bboxOf(polys) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    polys.forEach(function (poly) {
      poly[0].forEach(function (pt) {
        b[0] = Math.min(b[0], pt[0]); b[1] = Math.min(b[1], pt[1]);
        b[2] = Math.max(b[2], pt[0]); b[3] = Math.max(b[3], pt[1]);
      });
    });
    return b;
  }

  var GRID = 16;

  /** The LSOAs a shape touches, the share of each inside it (by area, sampled on a grid),
   * its estimated population and the people by national IMD decile. An LSOA touches the
   * shape when a grid point of either lies inside the other (so sharing only an edge is
   * not touching). */
  GeoSite.shapeFigures = function (geometry, lsoas) {
    var shape = polygonsOf(geometry);
    var sb = bboxOf(shape);
    var out = { lsoas: [], population: 0, byDecile: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], unknown: 0 };
    var samples = [];
    for (var si = 0; si < GRID; si++) {
      for (var sj = 0; sj < GRID; sj++) {
        var sx = sb[0] + ((si + 0.5) / GRID) * (sb[2] - sb[0]), sy = sb[1] + ((sj + 0.5) / GRID) * (sb[3] - sb[1]);
        if (inPolygons(sx, sy, shape)) samples.push([sx, sy]);
      }
    }
    lsoas.forEach(function (l) {
      var b = l.bbox;
      if (b[0] > sb[2] || b[2] < sb[0] || b[1] > sb[3] || b[3] < sb[1]) return;
      var total = 0, inside = 0;
      for (var i = 0; i < GRID; i++) {
        for (var j = 0; j < GRID; j++) {
          var x = b[0] + ((i + 0.5) / GRID) * (b[2] - b[0]);
          var y = b[1] + ((j + 0.5) / GRID) * (b[3] - b[1]);
          if (!inPolygons(x, y, l.polys)) continue;
          total += 1;
          if (inPolygons(x, y, shape)) inside += 1;
        }
      }
      // a shape smaller than the LSOA's grid: its own grid points inside the LSOA
      var touches = inside > 0 || samples.some(function (pt) { return inPolygons(pt[0], pt[1], l.polys); });
      if (!touches) return;
      var share = total ? inside / total : 0;
      out.lsoas.push({ code: l.code, name: l.name, share: share });
      var people = share * (l.population || 0);
      out.population += people;
      if (l.decile) out.byDecile[l.decile - 1] += people;
      else out.unknown += people;
    });
    return out;
  };

  function plural(n, one, many) { return n === 1 ? one : many; }

  function figuresNode(fig, release) {
    var box = el("div", { class: "draw-figures" });
    var n = fig.lsoas.length;
    if (!n) {
      box.appendChild(el("p", {}, "This shape touches no LSOA of the map."));
      return box;
    }
    var people = Math.round(fig.population);
    box.appendChild(el("p", {}, "Touches " + int(n) + " " + plural(n, "LSOA", "LSOAs") + "; about " + int(people) + " " + plural(people, "person", "people") + " live inside it (estimated from the share of each LSOA's area inside the shape)."));
    if (people > 0) {
      var most = Math.round(fig.byDecile[0]);
      var pct = Math.round((100 * fig.byDecile[0]) / fig.population);
      box.appendChild(el("p", {}, "IMD " + release + ": about " + int(most) + " " + plural(most, "person", "people") + " (" + pct + "%) in LSOAs among the most deprived 10% in England."));
      var list = el("ul", { class: "draw-deciles", "aria-label": "Estimated people by national IMD decile" });
      fig.byDecile.forEach(function (v, i) {
        var count = Math.round(v);
        if (!count) return;
        list.appendChild(el("li", {}, "Decile " + (i + 1) + (i === 0 ? " (most deprived)" : i === 9 ? " (least deprived)" : "") + ": about " + int(count)));
      });
      box.appendChild(list);
    }
    return box;
  }

  /** Merge coverage polygons (shared edges exactly equal) into one MultiPolygon.
   *
   * Edges shared by two polygons (the same integer vertices, run in opposite directions
   * once every shell is counter-clockwise and every hole clockwise) cancel; the rest are
   * chained into rings, turning as far left as possible where rings touch at a point, so
   * each ring stays simple. Counter-clockwise rings are shells, the others holes. */
  GeoSite.dissolve = function (encoded, decimals) {
    var scale = Math.pow(10, decimals);
    var edges = {};
    var sign = 1;
    function key(a, b) { return a[0] + "," + a[1] + ">" + b[0] + "," + b[1]; }
    encoded.forEach(function (g) {
      g.forEach(function (rings, p) {
        rings.forEach(function (flat, r) {
          var x = 0, y = 0, pts = [];
          for (var i = 0; i < flat.length; i += 2) { x += flat[i]; y += flat[i + 1]; pts.push([x, y]); }
          var area = ringArea(pts);
          if ((r === 0 && area < 0) || (r > 0 && area > 0)) pts.reverse();  // shells CCW, holes CW
          for (var k = 0; k < pts.length; k++) {
            var a = pts[k], b = pts[(k + 1) % pts.length];
            if (a[0] === b[0] && a[1] === b[1]) continue;
            var back = key(b, a);
            if (edges[back]) delete edges[back];
            else edges[key(a, b)] = [a, b];
          }
        });
      });
    });
    var from = {};
    Object.keys(edges).forEach(function (k) {
      var e = edges[k], s = e[0][0] + "," + e[0][1];
      (from[s] = from[s] || []).push(e);
    });
    function take(point, incoming) {
      var s = point[0] + "," + point[1];
      var options = from[s] || [];
      if (!options.length) return null;
      var best = 0;
      if (options.length > 1 && incoming) {
        var bestTurn = -Infinity;
        options.forEach(function (e, i) {
          var dx = e[1][0] - point[0], dy = e[1][1] - point[1];
          var turn = sign * Math.atan2(incoming[0] * dy - incoming[1] * dx, incoming[0] * dx + incoming[1] * dy);
          if (turn > bestTurn) { bestTurn = turn; best = i; }
        });
      }
      return options.splice(best, 1)[0];
    }
    var rings = [];
    Object.keys(from).forEach(function (s) {
      while (from[s].length) {
        var first = from[s].pop();
        var ring = [first[0]], cur = first[1], dir = [first[1][0] - first[0][0], first[1][1] - first[0][1]];
        var guard = 0;
        while (!(cur[0] === first[0][0] && cur[1] === first[0][1]) && guard++ < 1e6) {
          ring.push(cur);
          var e = take(cur, dir);
          if (!e) break;
          dir = [e[1][0] - e[0][0], e[1][1] - e[0][1]];
          cur = e[1];
        }
        if (ring.length >= 3) rings.push(ring);
      }
    });
    var shells = [], holes = [];
    rings.forEach(function (ring) {
      var lonlat = ring.map(function (pt) { return [pt[0] / scale, pt[1] / scale]; });
      lonlat.push(lonlat[0].slice());
      (ringArea(ring) * sign > 0 ? shells : holes).push(lonlat);
    });
    var polys = shells.map(function (s) { return [s]; });
    holes.forEach(function (h) {
      var owner = polys.filter(function (p) { return inRing(h[0][0], h[0][1], p[0]); })[0];
      if (owner) owner.push(h);
    });
    return { type: "MultiPolygon", coordinates: polys };
  };

  function ringArea(pts) {
    var a = 0;
    for (var i = 0; i < pts.length; i++) {
      var p = pts[i], q = pts[(i + 1) % pts.length];
      a += p[0] * q[1] - q[0] * p[1];
    }
    return a / 2;
  }

  var drawCounter = 0;

  GeoSite.drawPage = function (map, group) {
    var listBox = document.getElementById("drawn-list");
    var message = document.getElementById("draw-message");
    var page = window.GEO_PAGE || {};
    var wards = page.wards || [];
    var items = [];
    var lsoaSet = page.geometries[page.layers[0].geometry];
    var lsoaCol = page.layers[0].col;
    var lsoas = lsoaSet.features.map(function (f, i) {
      var polys = GeoSite.decode(f.g, lsoaSet.decimals).coordinates;
      var c = f.c ? f.c[lsoaCol] : null;
      return { code: f.k, name: f.l || f.n, polys: polys, bbox: bboxOf(polys), population: (page.population || [])[i],
               decile: c === null || c === undefined ? null : c + 1, feature: f };
    });

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
      item.figures = el("div", { class: "draw-figures-box", "aria-live": "polite" });
      li.insertBefore(item.figures, li.childNodes[1]);
      listBox.appendChild(li);
      item.node = li;
      items.push(item);
      update(item);
      layer.bindTooltip(function () { return el("span", {}, item.name.value || "Shape " + n + " (no name yet)"); }, { sticky: true });
      return item;
    }

    function update(item) {
      var fig = GeoSite.shapeFigures(item.layer.toGeoJSON().geometry, lsoas);
      item.figures.textContent = "";
      item.figures.appendChild(figuresNode(fig, page.release || ""));
    }
    map.on("draw:edited", function (e) {
      e.layers.eachLayer(function (layer) {
        items.filter(function (x) { return x.layer === layer; }).forEach(update);
      });
    });

    // Keyboard alternative: pick LSOAs from a list; their merged outline becomes a shape.
    var pickInput = document.getElementById("pick-input");
    var pickOptions = document.getElementById("pick-options");
    var pickList = document.getElementById("pick-list");
    var picked = [];
    var byLabel = {};
    lsoas.slice().sort(function (a, b) { return String(a.name).localeCompare(String(b.name)); }).forEach(function (l) {
      var label = l.name + " (" + l.code + ")";
      byLabel[label.toLowerCase()] = l;
      byLabel[String(l.code).toLowerCase()] = l;
      pickOptions.appendChild(el("option", { value: label }));
    });
    function renderPicked() {
      pickList.textContent = "";
      picked.forEach(function (l, i) {
        var li = el("li", {}, l.name + " (" + l.code + ") ");
        var rm = el("button", { type: "button", class: "btn btn-outline-secondary btn-sm" }, "Remove " + l.code);
        rm.addEventListener("click", function () { picked.splice(i, 1); renderPicked(); say("Removed " + l.code + " from the list."); });
        li.appendChild(rm);
        pickList.appendChild(li);
      });
    }
    document.getElementById("pick-add").addEventListener("click", function () {
      var l = byLabel[pickInput.value.trim().toLowerCase()];
      if (!l) { say("No LSOA is called \u201c" + pickInput.value.trim() + "\u201d: choose one from the list."); return; }
      if (picked.indexOf(l) < 0) picked.push(l);
      pickInput.value = "";
      renderPicked();
      say("Added " + l.name + " (" + l.code + "): " + picked.length + " " + plural(picked.length, "LSOA", "LSOAs") + " chosen.");
    });
    pickInput.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); document.getElementById("pick-add").click(); }
    });
    document.getElementById("pick-make").addEventListener("click", function () {
      if (!picked.length) { say("Add at least one LSOA first."); return; }
      var geometry = GeoSite.dissolve(picked.map(function (l) { return l.feature.g; }), lsoaSet.decimals);
      var layer = L.geoJSON(geometry, { style: page.drawStyle }).getLayers()[0];
      group.addLayer(layer);
      var item = addItem(layer, null);
      picked = [];
      renderPicked();
      map.fitBounds(layer.getBounds(), { maxZoom: 15 });
      say("Shape " + item.n + " made from the chosen LSOAs: give it a name.");
      item.name.focus();
    });

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
