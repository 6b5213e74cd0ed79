"""The map asks for light zones (geometry=web): the same zones, simplified and with only what popups need."""
import json
import math

import pytest

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

# A circle of 10 km around Ségou drawn with many vertices, as a buffer would give.
ANGLES = [a / 100 * 2 * math.pi for a in range(100)]
RING = [[round(-6.26 + 0.09 * math.cos(t), 6), round(13.45 + 0.09 * math.sin(t), 6)] for t in ANGLES]
CIRCLE = {"type": "Polygon", "coordinates": [RING + [RING[0]]]}


def test_web_geometry_is_lighter_but_the_same_zones(client, mali):
    factories.intervention(factories.organisation(), geometry=CIRCLE)
    full = client.get("/api/v1/zones/").json()
    web = client.get("/api/v1/zones/", {"geometry": "web"}).json()
    assert [f["id"] for f in web["features"]] == [f["id"] for f in full["features"]]
    assert len(json.dumps(web)) < len(json.dumps(full)) / 2
    (feature,) = web["features"]
    assert set(feature["properties"]) == {"zone", "intervention", "title", "is_demo", "precision", "organisation",
                                          "themes"}
    assert len(feature["geometry"]["coordinates"][0][0]) < 60
    assert client.get("/api/v1/zones/", {"geometry": "tiny"}).status_code == 400
