"""The collaboration tests' world, the same roles as the registry's permission matrix (tests/zones/):

organisation A (its editor: "editor"), an accepted member of network N (its coordinator: "coordinator");
organisation B (its editor: "other_editor"), an accepted member of network M (its coordinator: "other_coordinator");
a donor (group "bailleurs"), a platform administrator (superuser) and a visitor (not signed in).
Records are made on first use (cached properties), so each test pays only for what it touches.
"""
import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.db import connection

from geo_backend.collaboration.models import (
    Assessment,
    MentoringPair,
    Notification,
    Partnership,
    PartnershipLogEntry,
    Training,
    TrainingRegistration,
)
from geo_backend.collaboration.services import assessments as assessment_services
from geo_backend.organisations.access import audience_for
from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import AdminUnit, Locality
from geo_backend.taxonomy.models import Theme
from tests import factories

ROLES = ("visitor", "editor", "other_editor", "coordinator", "other_coordinator", "donor", "admin")
SEGOU_COMMUNE = "ML040224"


@dataclass
class World:
    people: dict
    org: Organisation  # A
    other_org: Organisation  # B
    network: Organisation  # N, A's network
    other_network: Organisation  # M, B's network

    def audience(self, role: str):
        return audience_for(self.people[role])

    @cached_property
    def proposal(self) -> Partnership:
        """A proposes a partnership to B (proposed by A's editor), awaiting B's answer."""
        partnership = Partnership.objects.create(proposer=self.org, partner=self.other_org, role="coordination",
                                                 message="Coordonnons nos causeries",
                                                 proposed_by=self.people["editor"])
        partnership.areas.set(AdminUnit.objects.filter(pcode=SEGOU_COMMUNE))
        partnership.themes.set(Theme.objects.filter(code="vbg"))
        PartnershipLogEntry.objects.create(partnership=partnership, kind="proposed", organisation=self.org,
                                           user=self.people["editor"], note=partnership.message)
        return partnership

    @cached_property
    def partnership(self) -> Partnership:
        """An accepted partnership of A and B (B proposed, A accepted)."""
        partnership = Partnership.objects.create(proposer=self.other_org, partner=self.org, role="referral",
                                                 status="accepted", since=dt.date(2025, 1, 1),
                                                 proposed_by=self.people["other_editor"],
                                                 decided_by=self.people["editor"])
        partnership.areas.set(AdminUnit.objects.filter(pcode=SEGOU_COMMUNE))
        partnership.themes.set(Theme.objects.filter(code="acces-justice"))
        return partnership

    @cached_property
    def training(self) -> Training:
        """A's training, open to every organisation, in Ségou."""
        return self._training(self.org, "Formation de A")

    @cached_property
    def other_training(self) -> Training:
        """B's training, open to every organisation."""
        return self._training(self.other_org, "Formation de B")

    def _training(self, trainer, title) -> Training:
        training = Training.objects.create(title=title, trainer_organisation=trainer, start_date=dt.date(2030, 3, 1),
                                           end_date=dt.date(2030, 3, 2), seats=20,
                                           locality=Locality.objects.filter(edition__is_default=True).first())
        training.themes.set(Theme.objects.filter(code="participation-politique"))
        return training

    @cached_property
    def registration(self) -> TrainingRegistration:
        """A registered 3 people to B's training."""
        return TrainingRegistration.objects.create(training=self.other_training, organisation=self.org,
                                                   participants=3, registered_by=self.people["editor"])

    @cached_property
    def pair(self) -> MentoringPair:
        """A mentoring pair of network N (invented first names)."""
        pair = MentoringPair.objects.create(network=self.network, mentor_name="Aminata (exemple)",
                                            mentee_name="Kadiatou (exemple)", started_on=dt.date(2025, 2, 1))
        pair.themes.set(Theme.objects.filter(code="participation-politique"))
        return pair

    @cached_property
    def assessment(self) -> Assessment:
        """A's draft self-assessment of last year."""
        return Assessment.objects.create(organisation=self.org, year=dt.date.today().year - 1,
                                         questionnaire=assessment_services.questionnaire_current())

    @cached_property
    def notifications(self) -> list[Notification]:
        """One unread notification for every signed-in person."""
        return [Notification.objects.create(recipient=person, kind="membership_applied",
                                            params={"member": "A", "network": "N"})
                for person in self.people.values() if person is not None]


def make_world() -> World:
    people = {"visitor": None, "donor": factories.donor(), "admin": factories.user(superuser=True)}
    people.update({role: factories.user() for role in ("editor", "other_editor", "coordinator", "other_coordinator")})
    for person in people.values():
        if person is not None:
            person.email = f"{person.username}@example.org"
            person.save(update_fields=["email"])
    org = factories.organisation("Association A", editor=people["editor"])
    other_org = factories.organisation("Association B", editor=people["other_editor"])
    return World(people=people, org=org, other_org=other_org,
                 network=factories.network(coordinator=people["coordinator"], members=[org]),
                 other_network=factories.network(coordinator=people["other_coordinator"], members=[other_org]))


@pytest.fixture
def world(mali) -> World:
    return make_world()


COLLABORATION_TABLES = [
    "collaboration_partnership", "collaboration_partnership_areas", "collaboration_partnership_themes",
    "collaboration_partnershiplogentry", "collaboration_training", "collaboration_training_themes",
    "collaboration_training_needs", "collaboration_trainingregistration", "collaboration_trainingattendance",
    "collaboration_mentoringpair", "collaboration_mentoringpair_themes", "collaboration_mentoringlogentry",
    "collaboration_assessment", "collaboration_answer", "collaboration_notification",
    "collaboration_notificationpreference", "collaboration_editorinvitation",
]


def collaboration_snapshot() -> dict:
    """Row count and a hash of every row of the collaboration tables: equal snapshots mean nothing was written."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in COLLABORATION_TABLES:
            cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                           f"FROM {connection.ops.quote_name(table)} t")
            snapshot[table] = cursor.fetchone()
    return snapshot
