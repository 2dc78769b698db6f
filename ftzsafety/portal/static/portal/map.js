/* The zone map (Leaflet). Every element with data-map="ID" is drawn from the JSON in
 * <script type="application/json" id="ID">: {areas: [{code, name, kind, boundary}], points: [{uscc, name, lat, lng,
 * foreign}], detail_url: "/enterprises/USCC/", tiles: {url, attribution}}.
 * Areas and enterprises are vector layers on a plain background, so the map works offline; a tile layer is added
 * only when the server is configured with one (FTZSAFETY_MAP_TILE_URL). Text goes in as DOM text, never as HTML. */
(function () {
  "use strict";

  var AREA_COLOURS = { port: "#114f9f", bonded_logistics: "#1d6b3a", manufacturing: "#b86e00", other: "#6b7587" };
  var DOMESTIC = "#1a63c2";
  var FOREIGN = "#c8102e";
  var FALLBACK_CENTRE = [31.23, 121.47];

  function readJson(id) {
    var element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function textElement(tag, className, text) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    return element;
  }

  function popupFor(point, detailUrl) {
    var box = document.createElement("div");
    var link = textElement("a", "map-popup__name", point.name);
    link.href = detailUrl.replace("USCC", encodeURIComponent(point.uscc));
    box.appendChild(link);
    box.appendChild(textElement("span", "map-popup__code", point.uscc));
    return box;
  }

  function areaLayer(areas) {
    var layer = L.featureGroup();
    areas.forEach(function (area) {
      if (!area.boundary) {
        return;
      }
      var colour = AREA_COLOURS[area.kind] || AREA_COLOURS.other;
      var shape = L.geoJSON(area.boundary, {
        style: { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.12 }
      });
      shape.eachLayer(function (polygon) {
        polygon.bindTooltip(textElement("span", "", area.name), {
          permanent: true, direction: "center", className: "map-label", opacity: 0.9
        });
      });
      shape.addTo(layer);
    });
    return layer;
  }

  function pointLayer(points, detailUrl) {
    var layer = L.featureGroup();
    points.forEach(function (point) {
      L.circleMarker([point.lat, point.lng], {
        radius: 6,
        color: "#ffffff",
        weight: 1.5,
        fillColor: point.foreign ? FOREIGN : DOMESTIC,
        fillOpacity: 0.9
      }).bindPopup(popupFor(point, detailUrl)).addTo(layer);
    });
    return layer;
  }

  function draw(element) {
    var data = readJson(element.getAttribute("data-map"));
    if (!data || typeof window.L === "undefined") {
      return;
    }
    var tiles = data.tiles || {};
    var map = L.map(element, { attributionControl: Boolean(tiles.url), zoomSnap: 0.25, scrollWheelZoom: false });
    if (tiles.url) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 19 }).addTo(map);
    }
    var areas = areaLayer(data.areas || []).addTo(map);
    var points = pointLayer(data.points || [], data.detail_url || "").addTo(map);
    var bounds = L.latLngBounds([]);
    if (areas.getLayers().length) {
      bounds.extend(areas.getBounds());
    }
    if (points.getLayers().length) {
      bounds.extend(points.getBounds());
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
    } else {
      map.setView(FALLBACK_CENTRE, 10);
    }
    map.on("focus", function () { map.scrollWheelZoom.enable(); });
    map.on("blur", function () { map.scrollWheelZoom.disable(); });
    element.setAttribute("data-map-ready", "true");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
