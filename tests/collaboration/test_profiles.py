"""An organisation's editors edit its profile, contacts (visibility per contact) and logo in the site, through the
organisations app's service: versions are checked, and the logo must really be a small PNG, JPEG or WebP."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from geo_backend.organisations.models import Contact, Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def png(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (122, 31, 92)).save(buffer, format="PNG")
    return buffer.getvalue()


def form(organisation, **changes) -> dict:
    data = {"version": organisation.version, "name": organisation.name, "acronym": "", "description": "",
            "founded_year": "", "website": "", "head_office": "",
            "contacts-TOTAL_FORMS": "2", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "30",
            "contacts-0-kind": "email", "contacts-0-value": "bureau@example.org", "contacts-0-label": "Bureau",
            "contacts-0-visibility": "public",
            "contacts-1-kind": "phone", "contacts-1-value": "+223 00 00 00 01", "contacts-1-label": "Présidente",
            "contacts-1-visibility": "private"}
    data.update(changes)
    return data


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_editor_saves_the_profile_contacts_and_logo(client, world, settings_media):
    client.force_login(world.people["editor"])
    logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    response = client.post(f"/espace/organisations/{world.org.slug}/modifier/",
                           {**form(world.org, description="Nous accompagnons les survivantes."), "logo": logo})
    assert response.status_code == 302, response.content.decode()[-2000:]
    organisation = Organisation.objects.get(pk=world.org.pk)
    assert organisation.description == "Nous accompagnons les survivantes." and organisation.version == 2
    assert organisation.logo.name.startswith(f"logos/{organisation.slug}-") and organisation.logo.name.endswith(".png")
    assert sorted(Contact.objects.filter(organisation=organisation).values_list("value", "visibility")) == [
        ("+223 00 00 00 01", "private"), ("bureau@example.org", "public")]
    served = client.get(f"/organisations/{organisation.slug}/logo/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    from django.test import Client

    public_profile = Client().get(f"/organisations/{organisation.slug}/").content.decode()
    assert "bureau@example.org" in public_profile and "+223 00 00 00 01" not in public_profile


@pytest.mark.parametrize(("name", "content", "code"), [
    ("logo.png", b"<svg onload='alert(1)'></svg>", "Le logo doit être une image PNG, JPEG ou WebP."),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Le logo doit être une image PNG, JPEG ou WebP."),
    ("logo.png", png() + b"0" * 1_000_001, "Logo trop lourd"),
    ("logo.png", png((4100, 10)), "Logo trop grand"),
], ids=["a script named .png", "an svg", "too heavy", "too wide"])
def test_a_logo_that_is_not_a_small_raster_image_is_refused(client, world, settings_media, name, content, code):
    client.force_login(world.people["editor"])
    response = client.post(f"/espace/organisations/{world.org.slug}/modifier/",
                           {**form(world.org), "logo": SimpleUploadedFile(name, content)}, follow=True)
    assert code in response.content.decode()
    organisation = Organisation.objects.get(pk=world.org.pk)
    assert not organisation.logo and organisation.version == 1
    assert not list(settings_media.rglob("*.*"))  # nothing left behind


def test_a_stale_form_does_not_overwrite_a_newer_save(client, world, settings_media):
    client.force_login(world.people["editor"])
    client.post(f"/espace/organisations/{world.org.slug}/modifier/", form(world.org, name="Nom de Fatou"))
    stale = client.post(f"/espace/organisations/{world.org.slug}/modifier/", form(world.org, name="Nom d'Awa"),
                        follow=True)
    assert Organisation.objects.get(pk=world.org.pk).name == "Nom de Fatou"
    assert "a enregistré ce profil entre-temps" in stale.content.decode()


def test_someone_elses_profile_cannot_be_edited(client, world):
    client.force_login(world.people["other_editor"])
    response = client.post(f"/espace/organisations/{world.org.slug}/modifier/", form(world.org, name="Piraté"))
    assert response.status_code == 404
    assert Organisation.objects.get(pk=world.org.pk).name == "Association A"
