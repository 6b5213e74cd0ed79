"""The library's demo content: fictitious, labelled, built through the services, and removable."""
import pytest

from geo_backend.library.demo import library_demo_delete, library_demo_seed
from geo_backend.library.models import Campaign, Document, DocumentFile, Event, NewsItem
from geo_backend.organisations.models import Organisation
from tests import factories

from .conftest import stored_files
from .jobs import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_organisations():
    organisations = [factories.organisation(f"Association {n} (exemple fictif)") for n in range(3)]
    Organisation.objects.filter(pk__in=[o.pk for o in organisations]).update(is_demo=True)
    return list(Organisation.objects.filter(pk__in=[o.pk for o in organisations]))


def test_demo_library_is_fictitious_labelled_and_processed(demo_organisations, media_root):
    library_demo_seed(demo_organisations, admin_user=factories.user(superuser=True))
    for model in (Document, Campaign, Event, NewsItem):
        records = list(model.objects.all())
        assert records and all(r.is_demo and r.title.endswith("(exemple fictif)") for r in records), model
    audio = DocumentFile.objects.get(kind="audio")
    assert "témoignage fictif" in audio.transcript and audio.duration_seconds > 3
    assert Event.objects.filter(report__isnull=False).get().recommendations.count() == 3
    run_jobs()
    assert set(DocumentFile.objects.values_list("processing", flat=True)) == {"done"}
    assert DocumentFile.objects.get(kind="audio").compact
    assert factories.api_client().get("/api/v1/documents/", {"q": "forage"}).json()["count"] == 1
    assert factories.api_client().get("/api/v1/documents/", {"q": "mentorat"}).json()["count"] == 1


def test_demo_library_is_removed_with_its_files(demo_organisations, media_root, django_capture_on_commit_callbacks):
    library_demo_seed(demo_organisations, admin_user=factories.user(superuser=True))
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        library_demo_delete()
    assert not Document.objects.exists() and not Event.objects.exists() and not Campaign.objects.exists()
    assert stored_files(media_root) == []
    Organisation.objects.filter(is_demo=True).delete()  # nothing PROTECTs them any more
