"""Trainings: offered by an organisation (or in a network), registered for by member organisations up to the seats,
attendance by sex and age band, on a map (GeoJSON) and in a calendar (iCalendar)."""
import datetime as dt

import pytest
from icalendar import Calendar

from geo_backend.collaboration.models import Dimension, Training
from geo_backend.collaboration.services import trainings as services
from geo_backend.common.errors import DomainError
from geo_backend.organisations.models import Membership
from geo_backend.regions.models import Locality
from geo_backend.taxonomy.models import Theme
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def offer(world, role="editor", **fields) -> Training:
    values = {"title": "Prise de parole en public", "trainer_organisation": world.org, "format": "in_person",
              "locality": Locality.objects.filter(edition__is_default=True).first(),
              "start_date": dt.date(2030, 6, 1), "end_date": dt.date(2030, 6, 3), "seats": 5, **fields}
    return services.training_create(audience=world.audience(role), fields=values,
                                    themes=list(Theme.objects.filter(code="participation-politique")),
                                    needs=list(Dimension.objects.filter(code="plaidoyer")))


def test_registrations_stop_at_the_number_of_seats(world):
    training = offer(world)
    services.training_register(audience=world.audience("other_editor"), training=training,
                               organisation=world.other_org, participants=4)
    with pytest.raises(DomainError) as full:
        services.training_register(audience=world.audience("editor"), training=training, organisation=world.org,
                                   participants=2)
    assert full.value.code == "no_seats_left" and full.value.details == {"seats_left": 1}
    services.training_register(audience=world.audience("editor"), training=training, organisation=world.org,
                               participants=1)
    with pytest.raises(DomainError) as twice:
        services.training_register(audience=world.audience("editor"), training=training, organisation=world.org,
                                   participants=1)
    assert twice.value.code in ("already_registered", "no_seats_left")


def test_a_network_training_is_for_its_members(world):
    training = offer(world, role="coordinator", trainer_organisation=world.network, network=world.network)
    with pytest.raises(DomainError) as outsider:
        services.training_register(audience=world.audience("other_editor"), training=training,
                                   organisation=world.other_org, participants=1)
    assert outsider.value.code == "not_a_member"
    Membership.objects.create(network=world.network, member=world.other_org, status="accepted")
    assert services.training_register(audience=world.audience("other_editor"), training=training,
                                      organisation=world.other_org, participants=1).participants == 1


def test_an_in_person_training_needs_a_place_and_sane_dates(world):
    with pytest.raises(DomainError) as place:
        offer(world, locality=None)
    assert place.value.code == "place_required"
    with pytest.raises(DomainError) as dates:
        offer(world, end_date=dt.date(2030, 5, 1))
    assert dates.value.code == "dates_reversed"
    assert offer(world, format="remote", locality=None).locality is None


def test_attendance_is_recorded_by_sex_and_age_band_by_the_trainer(world):
    training = offer(world)
    registration = services.training_register(audience=world.audience("other_editor"), training=training,
                                               organisation=world.other_org, participants=4)
    response = factories.api_client(world.people["editor"]).put(
        f"/api/v1/training-registrations/{registration.id}/attendance/",
        {"attendance": [{"sex": "female", "age_band": "18_24", "count": 3},
                        {"sex": "male", "age_band": "35_49", "count": 1}]},
        format="json", HTTP_IF_MATCH=factories.if_match(registration))
    assert response.status_code == 200, response.content
    detail = factories.api_client(world.people["editor"]).get(f"/api/v1/trainings/{training.id}/").json()
    assert detail["attendance"] == {"female": {"18_24": 3}, "male": {"35_49": 1}}
    assert detail["seats_left"] == 1
    public = factories.api_client(None).get(f"/api/v1/trainings/{training.id}/").json()
    assert public["attendance"] is None and public["registrations"] == [] and public["seats_left"] == 1


def test_trainings_on_the_map_and_in_the_calendar(world, client):
    training = offer(world)
    cancelled = offer(world, title="Formation annulée")
    Training.objects.filter(pk=cancelled.pk).update(status="cancelled")
    geojson = client.get("/api/v1/trainings/?format=geojson").json()
    assert {f["id"] for f in geojson["features"]} == {training.id, cancelled.id}
    point = geojson["features"][0]["geometry"]
    assert point["type"] == "Point" and -13 < point["coordinates"][0] < 5
    response = client.get("/formations/calendrier.ics?theme=participation-politique")
    assert response["Content-Type"].startswith("text/calendar")
    events = {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    event = events[f"training-{training.id}@musoya"]
    assert str(event["summary"]) == "Prise de parole en public"
    assert event.decoded("dtstart") == dt.date(2030, 6, 1)
    assert event.decoded("dtend") == dt.date(2030, 6, 4)  # iCalendar's end is exclusive
    assert str(events[f"training-{cancelled.id}@musoya"]["status"]) == "CANCELLED"
    from_api = client.get("/api/v1/trainings/?format=ics&theme=participation-politique")
    assert from_api["Content-Type"].startswith("text/calendar")
    assert {str(e["uid"]) for e in Calendar.from_ical(from_api.content).walk("VEVENT")} == set(events)


def test_the_training_list_refuses_unknown_parameters(client):
    response = client.get("/api/v1/trainings/?theme=vbg&ville=Segou")
    assert response.status_code == 400 and response.json()["details"]["unknown"] == ["ville"]


def test_trainings_answering_a_need(world):
    training = offer(world)
    offer(world, title="Autre")
    Training.objects.get(title="Autre").needs.clear()
    body = factories.api_client(None).get("/api/v1/trainings/?need=plaidoyer").json()
    assert [t["id"] for t in body["results"]] == [training.id]


def test_registering_and_recording_attendance_in_the_site(client, world):
    training = offer(world)
    client.force_login(world.people["other_editor"])
    page = client.get(f"/formations/{training.id}/").content.decode()
    assert 'id="register"' in page and "5 libres sur 5" in page
    client.post(f"/formations/{training.id}/inscription/", {"organisation": world.other_org.id, "participants": 2})
    registration = training.registrations.get()
    assert (registration.organisation, registration.participants) == (world.other_org, 2)
    assert client.get(f"/espace/formations/{training.id}/presence/").status_code == 404  # not the trainer
    client.force_login(world.people["editor"])
    client.post(f"/espace/formations/{training.id}/presence/", {
        "registration": registration.id, "version": registration.version, "female-18_24": "2", "male-50_plus": "0"})
    assert list(registration.attendance.values_list("sex", "age_band", "count")) == [("female", "18_24", 2)]


def test_training_dates_outside_2000_to_2100_are_refused(world):
    """Year 1 to 9999 (typed by mistake) was stored, then broke the public iCalendar feed for everyone (a 500)."""
    for start, end in ((dt.date(1, 1, 1), dt.date(2030, 1, 1)), (dt.date(2030, 1, 1), dt.date(9999, 12, 31))):
        with pytest.raises(DomainError) as refused:
            offer(world, start_date=start, end_date=end)
        assert refused.value.code == "dates_out_of_range"
    assert not Training.objects.exists()
    offer(world, start_date=dt.date(2100, 12, 30), end_date=dt.date(2100, 12, 31))


def test_a_crafted_theme_in_the_training_list_is_a_bad_request(client, world):
    for path in ("/formations/", "/formations/calendrier.ics"):
        assert client.get(path, {"theme": "vbg\x00"}).status_code == 400
        assert client.get(path, {"theme": "vbg"}).status_code == 200
