/* global window, document, location, URLSearchParams, setTimeout, clearTimeout, L */
// The live map of a Services Directory page: Leaflet + Esri Leaflet, no basemap (no internet is
// assumed), the layer's extent, and a popup on click (feature attributes, or the pixel values
// from the image service's identify). Settings come from the #map-preview element's data-*.
(function () {
  'use strict';
  var element = document.getElementById('map-preview');
  if (!element || !window.L || !L.esri) return;
  var data = element.dataset;
  var token = new URLSearchParams(location.search).get('token') || undefined;
  var map = L.map(element, { preferCanvas: true, attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  var bounds = data.bounds ? JSON.parse(data.bounds) : null;
  if (bounds) map.fitBounds(bounds);
  else map.setView([0, 0], 1);
  window.tesseraMap = { map: map, ready: false };

  function escape(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function table(values) {
    var rows = Object.keys(values).map(function (key) {
      return '<tr><td>' + escape(key) + '</td><td>' + escape(values[key] === null ? '' : values[key]) + '</td></tr>';
    });
    return '<table>' + rows.join('') + '</table>';
  }
  function done() {
    window.tesseraMap.ready = true;
  }

  if (data.kind === 'feature') {
    var options = {
      url: data.url,
      token: token,
      style: function () { return { color: '#1f5fa8', weight: 1, fillColor: '#4a90d9', fillOpacity: 0.45 }; },
    };
    // Only for points: Esri Leaflet also calls pointToLayer when it restyles lines and polygons.
    if (/Point/.test(data.geometryType || '')) {
      options.pointToLayer = function (_feature, latlng) {
        return L.circleMarker(latlng, { radius: 5, color: '#1f5fa8', weight: 1, fillColor: '#f08a24', fillOpacity: 0.9 });
      };
    }
    var layer = L.esri.featureLayer(options).addTo(map);
    layer.bindPopup(function (feature) { return table(feature.feature ? feature.feature.properties : feature.properties); });
    // 'load' can be missed when the view moves while cells load: drawn features also count.
    var settle;
    layer.on('load', done);
    layer.on('createfeature', function () {
      clearTimeout(settle);
      settle = setTimeout(done, 500);
    });
    if (!bounds) {
      layer.query().where('1=1').bounds(function (error, extent) {
        if (!error && extent && extent.isValid()) map.fitBounds(extent, { maxZoom: 16 });
      });
    }
  } else if (data.kind === 'image') {
    var imageOptions = { url: data.url, token: token, format: 'png32', f: 'image' };
    if (data.renderingRule) imageOptions.renderingRule = JSON.parse(data.renderingRule);
    var image = L.esri.imageMapLayer(imageOptions).addTo(map);
    image.once('load', done);
    var service = L.esri.imageService({ url: data.url, token: token });
    map.on('click', function (event) {
      service.identify().at(event.latlng).run(function (error, _result, response) {
        var value = error ? error.message : response && response.value;
        L.popup().setLatLng(event.latlng).setContent(table({ pixel: value === undefined ? 'NoData' : value })).openOn(map);
      });
    });
  }
})();
