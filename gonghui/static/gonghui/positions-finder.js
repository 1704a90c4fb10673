/* Station finder: ask the phone for its location (WGS-84) and reload with it; draw the markers with
   Leaflet when it is loaded. The page works without this script: the list is rendered by the server. */
(function () {
  "use strict";
  var cfg = window.ST_MAP || {};
  var form = document.getElementById("finder-form");
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");

  function locate() {
    if (!navigator.geolocation) { status.textContent = cfg.refused; return; }
    status.textContent = cfg.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("f-lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("f-lng").value = pos.coords.longitude.toFixed(6);
      var area = document.getElementById("f-area");
      if (area) { area.value = ""; }
      var place = document.getElementById("f-place");
      if (place) { place.value = ""; }
      form.submit();
    }, function () { status.textContent = cfg.refused; }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  }

  if (button && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", locate);
    if (!cfg.here && !/[?&](area|place)=/.test(location.search)) { locate(); }
  }

  function drawMap() {
    var box = document.getElementById("st-map");
    var data = document.getElementById("st-markers");
    if (!box || !data || !window.L) { return; }
    var markers = JSON.parse(data.textContent);
    var map = L.map(box, {zoomControl: true, attributionControl: !!cfg.tiles});
    if (cfg.tiles) {
      // The tile provider's attribution alone: Leaflet's default prefix adds a national flag.
      map.attributionControl.setPrefix(false);
      L.tileLayer(cfg.tiles, {maxZoom: 19, attribution: cfg.attribution}).addTo(map);
    }
    var bounds = [];
    if (cfg.here) {
      L.marker(cfg.here, {icon: L.divIcon({className: "", html: '<div class="st-here"></div>', iconSize: [16, 16]})}).addTo(map);
      bounds.push(cfg.here);
    }
    markers.forEach(function (m) {
      var icon = L.divIcon({className: "", html: '<div class="st-marker' + (m.open ? "" : " closed") + '"></div>', iconSize: [14, 14]});
      var link = document.createElement("a");
      link.href = m.url; link.textContent = m.name + " · " + m.state;
      L.marker(m.at, {icon: icon, title: m.name}).bindPopup(link).addTo(map);
      bounds.push(m.at);
    });
    if (bounds.length) { map.fitBounds(bounds, {padding: [24, 24], maxZoom: 16}); }
  }
  if (document.readyState === "complete") { drawMap(); } else { window.addEventListener("load", drawMap); }
})();
