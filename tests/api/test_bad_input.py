"""Bad input is a 4xx with the error shape, never a 500 (issue 11, item 7): each case that crashed before."""
import json

import pytest

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

HUGE = str(10**20)


def assert_error(response, status: int = 400, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) <= {"code", "message", "details"} and body["code"]
    assert body["message"]["fr"] and body["message"]["en"]
    if code:
        assert body["code"] == code
    return body


@pytest.fixture
def api(mali):
    client = factories.api_client(factories.user(superuser=True))
    client.raise_request_exception = False  # a crash would show as a 500, not as an exception in the test
    return client


@pytest.mark.parametrize("path", ["/api/v1/zones/", "/api/v1/interventions/", "/api/v1/analytics/coverage/",
                                  "/api/v1/analytics/gaps/", "/api/v1/analytics/overlaps/",
                                  "/api/v1/analytics/changes/?before=2020-01-01&after=2024-01-01",
                                  "/api/v1/analytics/rollups/"])
def test_an_unknown_theme_code_is_named(api, path):
    response = api.get(path + ("&" if "?" in path else "?") + "theme=vbg,nope")
    body = assert_error(response, code="invalid_parameters")
    assert "nope" in json.dumps(body["details"]["theme"]) and "vbg" not in json.dumps(body["details"]["theme"])


def test_a_known_theme_still_filters(api):
    assert api.get("/api/v1/zones/", {"theme": "vbg"}).status_code == 200
    assert api.get("/api/v1/organisations/", {"theme": "vbg"}).status_code == 200


@pytest.mark.parametrize("params", [{"network": "abc"}, {"member": "abc"}, {"network": HUGE}, {"member": "-1"},
                                    {"status": "maybe"}])
def test_membership_filters_must_be_ids(api, params):
    body = assert_error(api.get("/api/v1/memberships/", params), code="invalid_parameters")
    assert set(body["details"]) == set(params)


@pytest.mark.parametrize("path", ["/api/v1/areas/", "/api/v1/organisations/", "/api/v1/networks/",
                                  "/api/v1/localities/"])
def test_a_nul_character_in_a_search_is_refused(api, path):
    body = assert_error(api.get(path, {"q": "seg\x00ou"}), code="invalid_parameters")
    assert "q" in body["details"]


@pytest.mark.parametrize("params", [{"theme": "vbg\x00"}, {"bbox": "-7,13,-6,14\x00"}, {"area": "ML04\x00"},
                                    {"active_on": "2024-01-01\x00"}, {"organisation": "1\x00"}])
@pytest.mark.parametrize("path", ["/api/v1/zones/", "/api/v1/analytics/coverage/", "/api/v1/analytics/rollups/"])
def test_a_nul_character_in_any_filter_is_refused(api, path, params):
    body = assert_error(api.get(path, params), code="invalid_parameters")
    assert set(body["details"]) == set(params)


def test_a_nul_character_in_a_path_value_is_refused(api):
    assert_error(api.get("/api/v1/areas/%00/"), code="invalid_parameters")
    assert_error(api.get("/api/v1/areas/ML04%00/"), code="invalid_parameters")
    assert api.get("/api/v1/areas/ML04/").status_code == 200


def test_a_nul_character_in_the_directory_search_is_a_bad_request(mali, client):
    client.raise_request_exception = False
    for params in ({"q": "a\x00b"}, {"theme": "\x00"}, {"region": "ML\x00"}, {"type": "rien"}):
        response = client.get("/organisations/", params)
        assert response.status_code == 400
        assert "Annuaire" in response.content.decode()
    assert client.get("/organisations/", {"q": "segou"}).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/organisations/", "/api/v1/networks/", "/api/v1/memberships/",
                                  "/api/v1/interventions/", "/api/v1/zones/"])
def test_offset_and_limit_are_bounded(api, path):
    assert "offset" in assert_error(api.get(path, {"offset": HUGE}), code="invalid_parameters")["details"]
    assert "limit" in assert_error(api.get(path, {"limit": 0}), code="invalid_parameters")["details"]
    assert "limit" in assert_error(api.get(path, {"limit": 1001}), code="invalid_parameters")["details"]
    assert api.get(path, {"offset": 10**9}).status_code == 200


@pytest.mark.parametrize("params", [{"bbox": "nan,nan,nan,nan"}, {"contains": "nan,13"}, {"contains": "inf,13"},
                                    {"level": HUGE}, {"active_on": "2024-02-30"}])
def test_non_finite_or_impossible_values_are_refused(api, params):
    path = "/api/v1/areas/" if set(params) & {"contains", "level"} else "/api/v1/zones/"
    assert_error(api.get(path, params), code="invalid_parameters")


@pytest.mark.parametrize("ids", [{"organisation": HUGE}, {"network": HUGE}, {"funder": str(2**63)}])
def test_ids_beyond_bigint_are_refused_on_every_filtered_list(api, ids):
    for path in ("/api/v1/zones/", "/api/v1/interventions/", "/api/v1/analytics/coverage/"):
        assert_error(api.get(path, ids), code="invalid_parameters")


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("path", ["/api/v1/organisations/", "/api/v1/zones/", "/api/v1/zones/preview/",
                                  "/api/v1/memberships/", "/api/v1/auth/token/"])
def test_json_nested_100000_levels_deep_is_refused(api, path):
    body = assert_error(api.post(path, DEEP, content_type="application/json"), code="json_too_deep")
    assert body["details"]["max_depth"] == 32


def test_json_just_over_the_depth_limit_is_refused_and_a_real_geometry_is_not(api):
    org = factories.organisation()
    intervention = factories.intervention_in_units(org)
    nested = {"intervention": intervention.id, "method": "drawn", "geometry": {"type": "Polygon", "coordinates":
                                                                                json.loads("[" * 40 + "]" * 40)}}
    assert_error(api.post("/api/v1/zones/", nested, format="json"), code="json_too_deep")
    drawn = {"intervention": intervention.id, "method": "drawn", "geometry": {"type": "Feature", "geometry":
             factories.SEGOU_SQUARE}}
    assert api.post("/api/v1/zones/", drawn, format="json").status_code == 201


@pytest.mark.parametrize("body", ["[1, 2]", "\"text\"", "42", "null"])
def test_a_body_that_is_not_an_object_is_refused(api, body):
    org = factories.organisation()
    response = api.patch(f"/api/v1/organisations/{org.id}/", body, content_type="application/json",
                         HTTP_IF_MATCH=factories.if_match(org))
    assert_error(response)


# --- Found by hand-probing the registry's write endpoints -------------------------------------------------------

@pytest.mark.parametrize("field", ["women_targeted", "women_reached"])
def test_a_count_of_women_beyond_the_columns_range_is_refused_not_a_500(api, field):
    org = factories.organisation()
    before = factories.registry_snapshot()
    created = api.post("/api/v1/interventions/", {"organisation": org.id, "title": "Trop", "themes": ["vbg"],
                                                  field: 2**40}, format="json")
    assert field in assert_error(created, code="invalid")["details"]
    assert factories.registry_snapshot() == before
    intervention = factories.intervention_in_units(org)
    before = factories.registry_snapshot()
    changed = api.patch(f"/api/v1/interventions/{intervention.id}/", {field: 2**31},
                        HTTP_IF_MATCH=factories.if_match(intervention), format="json")
    assert field in assert_error(changed, code="invalid")["details"]
    assert factories.registry_snapshot() == before
    accepted = api.patch(f"/api/v1/interventions/{intervention.id}/", {field: 2**31 - 1},
                         HTTP_IF_MATCH=factories.if_match(intervention), format="json")
    assert accepted.status_code == 200 and accepted.json()[field] == 2**31 - 1


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/organisations/", lambda org: {"name": "Longue", "kind": "association", "description": "d" * 20_001}),
    ("/api/v1/interventions/", lambda org: {"organisation": org.id, "title": "Longue", "themes": ["vbg"],
                                            "description": "d" * 20_001}),
], ids=["organisation", "intervention"])
def test_a_description_of_megabytes_is_refused(api, path, body):
    org = factories.organisation()
    before = factories.registry_snapshot()
    assert "description" in assert_error(api.post(path, body(org), format="json"), code="invalid")["details"]
    assert factories.registry_snapshot() == before


def test_a_write_refuses_a_query_parameter_it_does_not_take_and_writes_nothing(api):
    """A field put in the address instead of the body was silently ignored (the organisation created without it)."""
    before = factories.registry_snapshot()
    body = assert_error(api.post("/api/v1/organisations/?description=Perdue", {"name": "Sans description",
                                                                             "kind": "association"}, format="json"),
                        code="unknown_parameter")
    assert body["details"] == {"unknown": ["description"], "accepted": ["version"]}
    assert factories.registry_snapshot() == before


def test_a_write_still_takes_the_version_in_its_address(api):
    org = factories.organisation()
    response = api.patch(f"/api/v1/organisations/{org.id}/?version={org.version}", {"description": "Par l'adresse"},
                         format="json")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["description"] == "Par l'adresse"
    assert_error(api.patch(f"/api/v1/organisations/{org.id}/?version=abc", {"description": "x"}, format="json"),
                 code="version_invalid")


def test_a_session_write_without_its_csrf_token_says_so(mali):
    """Not "you are not allowed to do this": the person may, her page's token is missing or stale."""
    from rest_framework.test import APIClient

    editor = factories.user()
    org = factories.organisation(editor=editor)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    before = factories.registry_snapshot()
    response = client.patch(f"/api/v1/organisations/{org.id}/", {"description": "Sans jeton"},
                            HTTP_IF_MATCH=factories.if_match(org), format="json")
    assert_error(response, status=403, code="csrf_failed")
    assert factories.registry_snapshot() == before
