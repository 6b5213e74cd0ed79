/* Stands in for country-iso-search (68 KB of country names) in the dashboard's plotly.js: it serves only
   locationmode "country names", and the dashboard's maps locate their units by P-code in their own GeoJSON
   (locationmode "geojson-id"). A country name therefore resolves to nothing here. */
module.exports = {
  COUNTRIES: [],
  createLookup: function () { return {lookupAlpha3: function () { return undefined; }}; },
};
