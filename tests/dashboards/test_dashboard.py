"""The dashboard is served by the same WSGI application as the site, at /tableau-de-bord/."""
import json

import pandas as pd
import pytest
from werkzeug.test import Client

from dashboards import figures


def test_women_choropleth_maps_each_unit_to_its_women():
    frame = pd.DataFrame({"pcode": ["A", "B"], "name": ["Alpha", "Bêta"], "women_2017": [10, None]})
    geojson = {"type": "FeatureCollection", "features": []}
    figure = figures.women_choropleth(frame, geojson, title="Test")
    trace = figure.data[0]
    assert list(trace.locations) == ["A", "B"]
    assert list(trace.z) == [10, 0]
    assert trace.featureidkey == "properties.pcode"


@pytest.fixture
def wsgi_client(db):
    from geo_backend.wsgi import application

    return Client(application)


def test_dashboard_page_is_served_at_the_same_address(wsgi_client):
    response = wsgi_client.get("/tableau-de-bord/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Musoya" in page
    # Dash's scripts come from this server, not from a CDN.
    assert "/tableau-de-bord/_dash-component-suites/" in page
    assert "cdn" not in page.lower()


@pytest.mark.realdata
def test_map_callback_answers_with_the_regions(wsgi_client, mali):
    payload = {"output": "women-map.figure", "outputs": {"id": "women-map", "property": "figure"},
               "inputs": [{"id": "level", "property": "value", "value": 1}], "changedPropIds": ["level.value"]}
    response = wsgi_client.post("/tableau-de-bord/_dash-update-component", json=payload)
    assert response.status_code == 200
    figure = json.loads(response.get_data())["response"]["women-map"]["figure"]
    assert len(figure["data"][0]["locations"]) == 9
    assert sum(figure["data"][0]["z"]) == 9_509_945
