/* The zone editor: an intervention's details and its zones, drawn, picked from the admin units, or a radius
   around a village. Every save goes through the REST API, so the server's validation messages are shown next
   to the map; without a connection the save waits in the outbox (offline-queue.js). */
(function () {
  "use strict";
  var initial = JSON.parse(document.getElementById("editor-initial").textContent);
  var form = document.getElementById("intervention-form");
  var messages = document.getElementById("zone-messages");
  var state = {intervention: initial.intervention, etag: null, zoneEtags: {}, editingZone: null, picked: [],
               drawn: null, locality: null};
  if (state.intervention) state.etag = '"intervention-' + state.intervention.id + "-v" + state.intervention.version + '"';

  /* --- The intervention form ---------------------------------------------------------------------------- */
  function fillForm(data) {
    ["title", "description", "start_date", "end_date", "status", "sensitivity", "women_targeted"].forEach(function (name) {
      if (form.elements[name] && data[name] != null) form.elements[name].value = data[name];
    });
    ["themes", "action_kinds", "target_groups"].forEach(function (name) {
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
        box.checked = (data[name] || []).indexOf(box.value) >= 0;
      });
    });
    showState();
  }

  function formData() {
    var data = {};
    ["title", "description", "status", "sensitivity"].forEach(function (name) { data[name] = form.elements[name].value; });
    ["start_date", "end_date"].forEach(function (name) { data[name] = form.elements[name].value || null; });
    data.women_targeted = form.elements.women_targeted.value ? Number(form.elements.women_targeted.value) : null;
    ["themes", "action_kinds", "target_groups"].forEach(function (name) {
      data[name] = Array.from(form.querySelectorAll('input[name="' + name + '"]:checked')).map(function (b) { return b.value; });
    });
    return data;
  }

  function showState(text) {
    var node = document.getElementById("intervention-state");
    var i = state.intervention;
    node.textContent = text || (i ? interpolate(gettext("État : %s"), [initial.validation_states[i.validation_state] || i.validation_state]) +
      (i.rejection_reason ? " — " + gettext("motif du rejet") + " : " + i.rejection_reason : "") : gettext("Pas encore enregistrée."));
  }

  function say(text, kind) {
    messages.textContent = text;
    messages.className = "messages-box " + (kind || "error");
  }

  function saveIntervention() {
    var data = formData();
    var request = state.intervention
      ? MusoyaOutbox.send("PATCH", "/api/v1/interventions/" + state.intervention.id + "/", data,
                          {ifMatch: state.etag, label: data.title})
      : MusoyaOutbox.send("POST", "/api/v1/interventions/",
                          Object.assign({organisation: Number(form.elements.organisation.value)}, data),
                          {label: data.title, tempId: "tmp-intervention"});
    return request.then(function (result) {
      if (result.queued) { showState(gettext("Hors ligne : l'intervention sera envoyée au retour de la connexion.")); return null; }
      var response = result.response;
      if (response.status === 412) return showConflict(data, response.body.details.current, "intervention");
      if (!response.ok) { say(Musoya.errorMessage(response.body)); return null; }
      state.intervention = response.body;
      state.etag = response.etag;
      say(gettext("Intervention enregistrée."), "success");
      showState();
      if (location.pathname.indexOf("/nouvelle/") >= 0) history.replaceState(null, "", location.pathname.replace("nouvelle/", response.body.id + "/"));
      return response.body;
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); saveIntervention(); });
  document.getElementById("submit-intervention").addEventListener("click", function () {
    if (!state.intervention) { say(gettext("Enregistrez d'abord l'intervention et au moins une zone.")); return; }
    Musoya.api("POST", "/api/v1/interventions/" + state.intervention.id + "/submit/", {}, {ifMatch: state.etag})
      .then(function (response) {
        if (!response.ok) { say(Musoya.errorMessage(response.body)); return; }
        state.intervention = response.body; state.etag = response.etag;
        say(gettext("Déclaration envoyée au réseau pour validation."), "success");
        showState();
      });
  });

  /* --- The map --------------------------------------------------------------------------------------------- */
  // The drawing tools speak the page's language (Leaflet.draw ships English only).
  var drawText = L.drawLocal.draw;
  drawText.toolbar.buttons.polygon = gettext("Dessiner un polygone");
  drawText.toolbar.buttons.rectangle = gettext("Dessiner un rectangle");
  drawText.toolbar.actions.text = gettext("Annuler");
  drawText.toolbar.finish.text = gettext("Terminer");
  drawText.toolbar.undo.text = gettext("Retirer le dernier point");
  drawText.handlers.polygon.tooltip.start = gettext("Touchez la carte pour commencer la zone.");
  drawText.handlers.polygon.tooltip.cont = gettext("Touchez pour ajouter un point.");
  drawText.handlers.polygon.tooltip.end = gettext("Touchez le premier point pour fermer la zone.");
  drawText.handlers.rectangle.tooltip.start = gettext("Touchez et glissez pour tracer un rectangle.");
  L.drawLocal.edit.toolbar.buttons.edit = gettext("Modifier le dessin");
  L.drawLocal.edit.toolbar.buttons.remove = gettext("Supprimer le dessin");
  var map = L.map("map", {minZoom: 4}).setView([14.5, -6], 6);
  window.musoyaEditorMap = map;
  // Where am I? The names of places and units, from our own data (they work offline), and the zones others
  // declared, faint and from the tiles, so a new zone can be drawn beside them.
  var unitLabels = MusoyaMap.unitLabels(map);
  MusoyaMap.placeLabels(map);
  MusoyaMap.zoneTiles({colour: "#1b7837", weight: 0.8, fillOpacity: 0.08, interactive: false}).addTo(map);
  fetch("/api/v1/areas/?level=2").then(function (r) { return r.json(); }).then(function (data) {
    var cercles = L.geoJSON(data, {style: {color: "#777", weight: 0.7, fillOpacity: 0}, interactive: false});
    cercles.addTo(map).bringToBack();
    unitLabels.addGeoJSON(2, cercles);
  });
  var communes = null;
  map.on("zoomend", function () {
    if (map.getZoom() >= 7 && !communes) {
      fetch("/api/v1/areas/?level=3").then(function (r) { return r.json(); }).then(function (data) {
        communes = L.geoJSON(data, {style: {color: "#aaa", weight: 0.5, fillOpacity: 0.01},
          onEachFeature: function (feature, layer) {
            layer.on("click", function () { if (method() === "picked") togglePick(feature.properties.pcode, feature.properties.name); });
          }}).addTo(map);
        unitLabels.addGeoJSON(3, communes);
      });
    }
  });

  var saved = L.geoJSON(null, {style: {color: "#7a1f5c", weight: 2, fillOpacity: 0.2}}).addTo(map);
  var draft = new L.FeatureGroup().addTo(map);
  var preview = L.geoJSON(null, {style: {color: "#d95f02", weight: 2, dashArray: "5 4", fillOpacity: 0.15}}).addTo(map);
  var theirs = L.geoJSON(null, {style: {color: "#1f77b4", weight: 2, fillOpacity: 0.1}}).addTo(map);

  var drawControl = new L.Control.Draw({
    draw: {polygon: {allowIntersection: false, showArea: false}, rectangle: true, polyline: false, circle: false,
           marker: false, circlemarker: false},
    edit: {featureGroup: draft}
  });
  map.addControl(drawControl);
  map.on(L.Draw.Event.CREATED, function (event) {
    draft.addLayer(event.layer);
    state.drawn = draftGeometry();
  });
  map.on(L.Draw.Event.EDITED, function () { state.drawn = draftGeometry(); });
  map.on(L.Draw.Event.DELETED, function () { state.drawn = draftGeometry(); });

  function draftGeometry() {
    var polygons = [];
    draft.eachLayer(function (layer) {
      var geometry = layer.toGeoJSON().geometry;
      if (geometry.type === "Polygon") polygons.push(geometry.coordinates);
      if (geometry.type === "MultiPolygon") polygons = polygons.concat(geometry.coordinates);
    });
    if (!polygons.length) return null;
    return polygons.length === 1 ? {type: "Polygon", coordinates: polygons[0]} : {type: "MultiPolygon", coordinates: polygons};
  }

  document.getElementById("geojson-load").addEventListener("click", function () {
    try {
      var parsed = JSON.parse(document.getElementById("geojson-import").value);
      draft.clearLayers();
      L.geoJSON(parsed).eachLayer(function (layer) { draft.addLayer(layer); });
      state.drawn = parsed.type === "Feature" ? parsed.geometry : parsed;
      map.fitBounds(draft.getBounds());
    } catch (error) {
      say(gettext("Ce texte n'est pas un GeoJSON lisible."));
    }
  });

  /* --- Methods ------------------------------------------------------------------------------------------- */
  function method() { return document.querySelector('input[name="method"]:checked').value; }
  document.querySelectorAll('input[name="method"]').forEach(function (radio) {
    radio.addEventListener("change", function () {
      document.querySelectorAll(".method-panel").forEach(function (panel) { panel.hidden = panel.dataset.method !== method(); });
    });
  });

  function fillSelect(select, level, parent) {
    select.innerHTML = '<option value="">—</option>';
    if (!parent) return Promise.resolve();
    return fetch("/api/v1/areas/?level=" + level + "&parent=" + parent).then(function (r) { return r.json(); }).then(function (data) {
      data.features.sort(function (a, b) { return a.properties.name.localeCompare(b.properties.name); }).forEach(function (f) {
        var option = document.createElement("option");
        option.value = f.properties.pcode; option.textContent = f.properties.name;
        select.appendChild(option);
      });
    });
  }
  var regionSelect = document.getElementById("pick-region"), cercleSelect = document.getElementById("pick-cercle"),
      communeSelect = document.getElementById("pick-commune");
  regionSelect.addEventListener("change", function () { fillSelect(cercleSelect, 2, regionSelect.value); fillSelect(communeSelect, 3, null); });
  cercleSelect.addEventListener("change", function () { fillSelect(communeSelect, 3, cercleSelect.value); });
  document.getElementById("pick-add").addEventListener("click", function () {
    var chosen = [communeSelect, cercleSelect, regionSelect].filter(function (s) { return s.value; })[0];
    if (chosen) togglePick(chosen.value, chosen.options[chosen.selectedIndex].textContent, true);
  });

  function togglePick(pcode, name, onlyAdd) {
    var index = state.picked.findIndex(function (p) { return p.pcode === pcode; });
    if (index >= 0 && !onlyAdd) state.picked.splice(index, 1);
    else if (index < 0) state.picked.push({pcode: pcode, name: name});
    var list = document.getElementById("picked-list");
    list.innerHTML = "";
    state.picked.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p.name + " (" + p.pcode + ")";
      list.appendChild(item);
    });
  }

  var localityInput = document.getElementById("locality-q"), localityOptions = document.getElementById("locality-options");
  var localityTimer = null, localityResults = {};
  localityInput.addEventListener("input", function () {
    clearTimeout(localityTimer);
    var value = localityInput.value;
    if (localityResults[value]) { state.locality = localityResults[value]; return; }
    if (value.length < 2) return;
    localityTimer = setTimeout(function () {
      fetch("/api/v1/localities/?q=" + encodeURIComponent(value)).then(function (r) { return r.json(); }).then(function (data) {
        localityOptions.innerHTML = "";
        data.results.forEach(function (place) {
          var label = place.name + " — " + (place.commune_name || "") + " (" + place.pcode + ")";
          localityResults[label] = place;
          var option = document.createElement("option");
          option.value = label;
          localityOptions.appendChild(option);
        });
      });
    }, 250);
  });

  function zoneRequest() {
    var body = {method: method(), label: document.getElementById("zone-label").value};
    if (body.method === "drawn") body.geometry = state.drawn;
    if (body.method === "picked") body.units = state.picked.map(function (p) { return p.pcode; });
    if (body.method === "buffer") {
      var place = state.locality || localityResults[localityInput.value];
      body.locality = place ? place.pcode : "";
      body.radius_km = Number(document.getElementById("radius").value);
    }
    return body;
  }

  document.getElementById("zone-preview").addEventListener("click", function () {
    Musoya.api("POST", "/api/v1/zones/preview/", zoneRequest()).then(function (response) {
      if (!response.ok) { say(Musoya.errorMessage(response.body)); return; }
      preview.clearLayers(); preview.addData(response.body);
      map.fitBounds(preview.getBounds());
      showCommunes(response.body.properties);
      say("", "success");
    }, function () { say(gettext("Aperçu impossible hors ligne ; la zone sera vérifiée à l'envoi.")); });
  });

  function showCommunes(properties) {
    var box = document.getElementById("zone-preview-result");
    var rows = properties.communes.map(function (c) { return "<li>" + c.name + " (" + c.pcode + ") : " + MusoyaMap.formatNumber(c.share * 100) + " %</li>"; });
    box.innerHTML = "<p>" + interpolate(gettext("Surface : %s km² ; communes touchées (part couverte) :"), [MusoyaMap.formatNumber(properties.area_km2)]) +
      "</p><ul>" + rows.join("") + "</ul>" +
      ((properties.repairs || []).length ? "<p>" + properties.repairs.map(function (r) { return r[Musoya.lang] || r.fr; }).join(" ") + "</p>" : "");
  }

  document.getElementById("zone-clear").addEventListener("click", clearDraft);
  function clearDraft() {
    draft.clearLayers(); preview.clearLayers(); theirs.clearLayers();
    state.drawn = null; state.picked = []; state.editingZone = null; togglePick("", "", true); state.picked = [];
    document.getElementById("picked-list").innerHTML = "";
    document.getElementById("zone-preview-result").innerHTML = "";
  }

  document.getElementById("zone-save").addEventListener("click", function () {
    var ensure = state.intervention ? Promise.resolve(state.intervention) : saveIntervention();
    ensure.then(function (intervention) {
      var body = zoneRequest();
      var request;
      if (state.editingZone) {
        request = MusoyaOutbox.send("PUT", "/api/v1/zones/" + state.editingZone + "/", body,
                                    {ifMatch: state.zoneEtags[state.editingZone], label: gettext("Zone") + " " + (body.label || "")});
      } else {
        body.intervention = intervention ? intervention.id : "tmp-intervention";
        request = MusoyaOutbox.send("POST", "/api/v1/zones/", body, {label: gettext("Nouvelle zone") + " " + (body.label || "")});
      }
      return request.then(function (result) {
        if (result.queued) { say(gettext("Hors ligne : la zone est gardée sur cet appareil et sera envoyée au retour de la connexion."), "success"); return; }
        var response = result.response;
        if (response.status === 412) { showConflict(body, response.body.details.current, "zone"); return; }
        if (!response.ok) { say(Musoya.errorMessage(response.body)); return; }
        state.zoneEtags[response.body.id] = response.etag;
        addSavedZone(response.body);
        clearDraft();
        var repairs = response.body.properties.repairs || [];
        say(gettext("Zone enregistrée.") + (repairs.length ? " " + repairs.map(function (r) { return r[Musoya.lang] || r.fr; }).join(" ") : ""), "success");
      });
    });
  });

  function addSavedZone(feature) {
    saved.eachLayer(function (layer) { if (layer.feature.id === feature.id) saved.removeLayer(layer); });
    saved.addData(feature);
    renderZoneList();
  }

  function renderZoneList() {
    var list = document.getElementById("zone-list");
    list.innerHTML = "";
    saved.eachLayer(function (layer) {
      var p = layer.feature.properties;
      var item = document.createElement("li");
      item.textContent = (p.label || gettext("Zone") + " " + layer.feature.id) + " — " + (p.area_km2 != null ? MusoyaMap.formatNumber(p.area_km2) : "?") + " km²";
      var edit = document.createElement("button");
      edit.type = "button"; edit.textContent = gettext("Modifier");
      edit.addEventListener("click", function () {
        clearDraft();
        state.editingZone = layer.feature.id;
        state.zoneEtags[layer.feature.id] = state.zoneEtags[layer.feature.id] || '"zone-' + layer.feature.id + "-v" + p.zone_version + '"';
        L.geoJSON(layer.feature).eachLayer(function (l) { draft.addLayer(l); });
        state.drawn = layer.feature.geometry;
        document.querySelector('input[name="method"][value="drawn"]').click();
        map.fitBounds(draft.getBounds());
      });
      item.appendChild(edit);
      list.appendChild(item);
    });
  }

  /* --- Someone saved first: show both versions, let the person choose; nothing is overwritten silently. --- */
  function showConflict(mine, current, kind) {
    var box = document.getElementById("conflict");
    box.hidden = false;
    document.getElementById("conflict-mine").textContent = JSON.stringify(kind === "zone" ? {method: mine.method, label: mine.label} : mine, null, 1);
    document.getElementById("conflict-theirs").textContent = JSON.stringify(kind === "zone" ? current.properties : current, null, 1);
    if (kind === "zone") { theirs.clearLayers(); theirs.addData(current); }
    say(gettext("Quelqu'un a enregistré une autre version entre-temps : comparez les deux avant de choisir."));
    document.getElementById("conflict-keep-mine").onclick = function () {
      if (kind === "zone") state.zoneEtags[current.id] = '"zone-' + current.id + "-v" + current.properties.zone_version + '"';
      else state.etag = '"intervention-' + current.id + "-v" + current.version + '"';
      box.hidden = true;
      if (kind === "zone") document.getElementById("zone-save").click(); else saveIntervention();
    };
    document.getElementById("conflict-take-theirs").onclick = function () {
      box.hidden = true;
      if (kind === "zone") { addSavedZone(current); clearDraft(); state.zoneEtags[current.id] = '"zone-' + current.id + "-v" + current.properties.zone_version + '"'; }
      else { state.intervention = current; state.etag = '"intervention-' + current.id + "-v" + current.version + '"'; fillForm(current); }
    };
    return null;
  }

  if (state.intervention) fillForm(state.intervention); else showState();
  saved.addData(initial.zones);
  initial.zones.features.forEach(function (f) { state.zoneEtags[f.id] = '"zone-' + f.id + "-v" + f.properties.zone_version + '"'; });
  if (initial.zones.features.length) map.fitBounds(saved.getBounds());
  renderZoneList();
})();
