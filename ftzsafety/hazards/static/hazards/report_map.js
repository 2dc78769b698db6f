/* The report map (Leaflet): tap or click to place the hazard; the marker fills the latitude and longitude inputs,
 * and typing coordinates moves the marker. Data from <script type="application/json" id="ID"> named by
 * data-report-map="ID": {areas: [{name, kind, boundary}], tiles: {url, attribution}}. Works offline with the zone's
 * areas as vector layers; a tile layer only when the server is configured with one. */
(function () {
  "use strict";

  var FALLBACK_CENTRE = [38.97, 117.75];

  function readJson(id) {
    var element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function draw(element) {
    var data = readJson(element.getAttribute("data-report-map")) || {};
    if (typeof window.L === "undefined") {
      return;
    }
    var latInput = document.getElementById("id_latitude");
    var lonInput = document.getElementById("id_longitude");
    var tiles = data.tiles || {};
    var map = L.map(element, { attributionControl: Boolean(tiles.url), scrollWheelZoom: false });
    if (tiles.url) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 19 }).addTo(map);
    }
    var areas = L.featureGroup();
    (data.areas || []).forEach(function (area) {
      if (area.boundary) {
        L.geoJSON(area.boundary, { style: { color: "#114f9f", weight: 2, fillOpacity: 0.08 } }).addTo(areas);
      }
    });
    areas.addTo(map);
    if (areas.getLayers().length) {
      map.fitBounds(areas.getBounds(), { padding: [12, 12] });
    } else {
      map.setView(FALLBACK_CENTRE, 12);
    }
    var marker = null;

    function put(lat, lng) {
      if (marker) {
        marker.setLatLng([lat, lng]);
      } else {
        marker = L.circleMarker([lat, lng], { radius: 8, color: "#ffffff", weight: 2, fillColor: "#c8102e", fillOpacity: 0.95 }).addTo(map);
      }
    }

    function fromInputs() {
      var lat = parseFloat(latInput && latInput.value);
      var lng = parseFloat(lonInput && lonInput.value);
      if (isFinite(lat) && isFinite(lng)) {
        put(lat, lng);
      }
    }

    map.on("click", function (event) {
      put(event.latlng.lat, event.latlng.lng);
      if (latInput && lonInput) {
        latInput.value = event.latlng.lat.toFixed(6);
        lonInput.value = event.latlng.lng.toFixed(6);
      }
    });
    if (latInput) { latInput.addEventListener("change", fromInputs); }
    if (lonInput) { lonInput.addEventListener("change", fromInputs); }
    fromInputs();
    element.setAttribute("data-map-ready", "true");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-report-map]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
