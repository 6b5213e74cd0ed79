"""The collaboration demo: fictitious partnerships, trainings, mentoring pairs and self-assessments over the zones
demo, labelled as examples, an uncoordinated overlap for the demo editor and the demo partner, idempotent, removable."""
import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q

from geo_backend.analytics import overlaps
from geo_backend.analytics import selectors as analytics
from geo_backend.collaboration import demo
from geo_backend.collaboration.models import Assessment, MentoringPair, Partnership, Training
from geo_backend.organisations.access import VISITOR, audience_for
from geo_backend.regions.models import Edition
from geo_backend.zones.selectors import InterventionFilters

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture
def seeded(settings, mali):
    settings.MUSOYA_DEMO_ALLOWED = True
    call_command("seed_demo", "--organisations", "8", "--zones", "20", stdout=StringIO())
    out = StringIO()
    # seed_demo seeds the collaboration demo too; --reset seeds it again through this command, whose output is checked.
    call_command("seed_collaboration_demo", "--reset", stdout=out)
    return out.getvalue()


def test_the_demo_seeds_labelled_fictitious_collaboration(seeded):
    assert "demo-partenaire" in seeded
    assert Partnership.objects.filter(status="proposed", is_demo=True).exists()
    assert Training.objects.filter(is_demo=True).count() == len(demo.TRAININGS)
    assert all("(exemple fictif)" in t.title for t in Training.objects.all())
    pairs = MentoringPair.objects.all()
    assert pairs.count() == 3
    assert all(p.mentor_name.endswith("(exemple)") and p.mentee_name.endswith("(exemple)") for p in pairs)
    assert Assessment.objects.filter(status="submitted", is_demo=True).count() >= 4
    assert not Partnership.objects.filter(Q(proposer__is_demo=False) | Q(partner__is_demo=False)).exists()
    assert not Training.objects.filter(trainer_organisation__is_demo=False).exists()


def test_the_demo_editor_and_partner_overlap_without_partnership(seeded):
    editor = audience_for(get_user_model().objects.get(username="demo-editrice"))
    partner = audience_for(get_user_model().objects.get(username=demo.PARTNER_ACCOUNT))
    query = analytics.CoverageQuery(edition=Edition.objects.get(is_default=True), level=3,
                                    filters=InterventionFilters(themes=["acces-justice"]))
    pairs = [p for p in overlaps.overlaps(VISITOR, query)["pairs"]
             if {i["organisation"]["id"] for i in p["interventions"]} == set(editor.editor_of | partner.editor_of)]
    assert pairs and not any(p["coordinated"] for p in pairs)
    editor_org = next(iter(editor.editor_of))
    assert not Assessment.objects.filter(organisation_id=editor_org, year=dt.date.today().year).exists()


def test_seeding_twice_does_nothing_and_reset_removes_everything(seeded):
    counts = (Partnership.objects.count(), Training.objects.count(), MentoringPair.objects.count(),
              Assessment.objects.count())
    out = StringIO()
    call_command("seed_collaboration_demo", stdout=out)
    assert "déjà là" in out.getvalue()
    assert (Partnership.objects.count(), Training.objects.count(), MentoringPair.objects.count(),
            Assessment.objects.count()) == counts
    demo.collaboration_demo_delete()
    assert not demo.collaboration_demo_present()
    assert not (Partnership.objects.exists() or Training.objects.exists() or MentoringPair.objects.exists()
                or Assessment.objects.exists())
