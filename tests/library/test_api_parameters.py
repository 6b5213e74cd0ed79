"""The library's lists take their query parameters through the one API input layer: unknown names and bad values
are refused with the error shape, and the declared filters still filter."""
from datetime import timedelta

import pytest
from django.utils import timezone

from geo_backend.library.services import advocacy
from geo_backend.organisations.access import audience_for
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/documents/", "/api/v1/campaigns/", "/api/v1/events/", "/api/v1/news/"]


@pytest.mark.parametrize("path", LISTS)
def test_an_unknown_parameter_is_refused_with_the_accepted_ones(path):
    response = factories.api_client().get(path, {"organisaton": "1"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_parameter"
    assert body["details"]["unknown"] == ["organisaton"]
    assert {"organisation", "limit", "offset"} <= set(body["details"]["accepted"])


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("params", [{"organisation": "abc"}, {"organisation": "0"}, {"limit": "0"},
                                    {"offset": "-1"}])
def test_a_bad_value_is_refused_per_parameter(path, params):
    response = factories.api_client().get(path, params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameters"
    assert set(response.json()["details"]) == set(params)


def test_an_unknown_theme_or_kind_is_refused_for_documents():
    for params in ({"theme": "pas-un-theme"}, {"kind": "pas-un-genre"}):
        response = factories.api_client().get("/api/v1/documents/", params)
        assert response.status_code == 400 and response.json()["code"] == "invalid_parameters", params
        assert set(response.json()["details"]) == set(params)


def test_upcoming_and_organisation_filter_events(editor, org):
    owner = audience_for(editor)
    now = timezone.now()
    advocacy.event_create(audience=owner, organisation=org, fields={
        "title": "Passé", "starts_at": now - timedelta(days=3), "visibility": "public"}, relations={})
    advocacy.event_create(audience=owner, organisation=org, fields={
        "title": "À venir", "starts_at": now + timedelta(days=3), "visibility": "public"}, relations={})
    visitor = factories.api_client()

    def titles(**params):
        response = visitor.get("/api/v1/events/", params)
        assert response.status_code == 200, response.content
        return sorted(event["title"] for event in response.json()["results"])

    assert titles() == ["Passé", "À venir"]
    assert titles(upcoming="true") == ["À venir"]
    assert titles(upcoming="false") == ["Passé", "À venir"]
    assert titles(organisation=org.id) == ["Passé", "À venir"]
    assert titles(organisation=factories.organisation().id) == []
