"""Fictitious collaboration demo: partnerships, trainings, mentoring pairs (invented first names, labelled as
examples) and self-assessments, on top of the organisations of the zones demo (geo_backend/zones/demo.py, moving
to geo_backend/demo/). Everything is is_demo; nothing names a real person or organisation.

Call `collaboration_demo_seed()` after the zones demo is seeded, and `collaboration_demo_delete()` before it is
deleted (seed_demo --reset). Seeding twice does nothing the second time.

It also adds one demo account, "demo-partenaire" (password musoya-demo), editor of a second demo organisation whose
declared work overlaps the demo editor's organisation on access to justice in one commune, with no partnership yet:
from the dashboard's Chevauchements view, demo-editrice proposes a partnership, and demo-partenaire answers it. That
organisation is not linked to the demo coordinator's network, so it can also ask to join it.
"""
import random
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from geo_backend.organisations.access import Audience
from geo_backend.organisations.models import Membership, Organisation, OrganisationRole
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme

from .models import (
    Assessment,
    MentoringPair,
    Partnership,
    PartnershipLogEntry,
    Training,
)
from .services import assessments as assessment_services
from .services import mentoring as mentoring_services
from .services import partnerships as partnership_services
from .services import trainings as training_services

PARTNER_ACCOUNT = "demo-partenaire"
DEMO_PASSWORD = "musoya-demo"
EXAMPLE = " (exemple)"
# Invented first names only, each labelled as an example: a mentee can be at risk, so no real name ever appears.
FIRST_NAMES = ["Aminata", "Kadiatou", "Fanta", "Oumou", "Rokia", "Mariam", "Assitan", "Djeneba", "Salimata",
               "Nana", "Korotoumou", "Hawa"]
TRAININGS = [  # (title, theme, need, format, days from today, length in days, seats)
    ("Plaidoyer auprès des élus communaux (exemple fictif)", "participation-politique", "plaidoyer", "in_person",
     21, 3, 25),
    ("Tenue des comptes d'une association (exemple fictif)", "organisations-mouvements", "finances", "in_person",
     45, 2, 20),
    ("Téléphone et tableur pour le suivi des activités (exemple fictif)", "organisations-mouvements",
     "outils-numeriques", "remote", 10, 1, 40),
    ("Écoute et orientation des survivantes de VBG (exemple fictif)", "vbg", "expertise-genre", "in_person",
     -60, 3, 18),
]


def collaboration_demo_present() -> bool:
    return (Partnership.objects.filter(is_demo=True).exists() or Training.objects.filter(is_demo=True).exists()
            or MentoringPair.objects.filter(is_demo=True).exists()
            or get_user_model().objects.filter(username=PARTNER_ACCOUNT).exists())


@transaction.atomic
def collaboration_demo_delete() -> dict[str, int]:
    """Deletes the collaboration demo (the zones demo's own deletion then removes the organisations)."""
    deleted = {
        "partenariats": Partnership.objects.filter(Q(is_demo=True) | Q(proposer__is_demo=True)).delete()[0],
        "formations": Training.objects.filter(Q(is_demo=True) | Q(trainer_organisation__is_demo=True)).delete()[0],
        "binômes": MentoringPair.objects.filter(Q(is_demo=True) | Q(network__is_demo=True)).delete()[0],
        "auto-évaluations": Assessment.objects.filter(Q(is_demo=True) | Q(organisation__is_demo=True)).delete()[0],
    }
    deleted["comptes"] = get_user_model().objects.filter(username=PARTNER_ACCOUNT).delete()[0]
    return deleted


@transaction.atomic
def collaboration_demo_seed(*, seed: int = 42, today: date | None = None) -> bool:
    """Seeds the collaboration demo over the zones demo; returns False (and does nothing) when there is no zones
    demo to build on, when demo data is not allowed, or when it is already there."""
    if not getattr(settings, "MUSOYA_DEMO_ALLOWED", False) or collaboration_demo_present():
        return False
    User = get_user_model()
    admin_user = User.objects.filter(username="demo-admin").first()
    coordinator = User.objects.filter(username="demo-coordinatrice").first()
    editor_org = Organisation.objects.filter(roles__user__username="demo-editrice", is_demo=True).first()
    network = Organisation.objects.filter(roles__user__username="demo-coordinatrice", roles__role="coordinator",
                                          is_demo=True).first()
    if admin_user is None or coordinator is None or editor_org is None or network is None:
        return False
    rng, today = random.Random(seed), today or timezone.localdate()
    admin = Audience(user_id=admin_user.pk, is_admin=True)
    organisations = list(Organisation.objects.filter(is_demo=True, status="active")
                         .exclude(kind__in=Organisation.NETWORK_KINDS).order_by("name"))
    # The partner organisation is not linked to the demo coordinator's network, so that it can ask to join it.
    linked = set(Membership.objects.filter(network=network).values_list("member_id", flat=True))
    partner_org = next((o for o in organisations if o.id != editor_org.id and o.id not in linked),
                       next(o for o in organisations if o.id != editor_org.id))
    _partner_account(partner_org)
    _showcase_overlap(admin, editor_org, partner_org)
    _partnerships(rng, admin, {editor_org.id, partner_org.id}, editor_org, organisations)
    _trainings(rng, admin, network, organisations, today)
    _mentoring(rng, coordinator, network, today)
    _assessments(rng, admin_user, editor_org, network, organisations, today)
    return True


def _partner_account(organisation: Organisation) -> None:
    user = get_user_model().objects.create(username=PARTNER_ACCOUNT, email=f"{PARTNER_ACCOUNT}@example.org",
                                           password=make_password(DEMO_PASSWORD))
    OrganisationRole.objects.create(user=user, organisation=organisation, role=OrganisationRole.Role.EDITOR)


def _showcase_overlap(admin: Audience, first: Organisation, second: Organisation) -> None:
    """Both organisations run a (fictitious) legal clinic in the same commune: an uncoordinated overlap."""
    from geo_backend.zones import services as zone_services
    from geo_backend.zones.models import Intervention

    commune = (first.head_office.commune if first.head_office and first.head_office.commune
               else AdminUnit.objects.filter(edition__is_default=True, level=3).order_by("pcode").first())
    theme = Theme.objects.get(code="acces-justice")
    for organisation, title in ((first, "Clinique juridique mobile"), (second, "Parajuristes communautaires")):
        intervention = zone_services.intervention_create(
            audience=admin, organisation=organisation, relations={"themes": [theme]},
            fields={"title": f"{title} à {commune.name} (exemple fictif)", "status": "ongoing",
                    "description": "Données de démonstration fictives."})
        zone_services.zone_create(audience=admin, intervention=intervention, method="picked",
                                  unit_pcodes=[commune.pcode])
        Intervention.objects.filter(pk=intervention.pk).update(validation_state="validated",
                                                               last_confirmed_on=timezone.localdate())


def _overlapping_pairs(excluded: set[int], limit: int) -> list[tuple[int, int, int, str]]:
    """Pairs of demo organisations whose validated interventions share a commune and a theme domain."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH work AS (
              SELECT DISTINCT i.organisation_id AS org, zc.commune_id, coalesce(parent.code, t.code) AS domain
              FROM zones_intervention i JOIN organisations_organisation o ON o.id = i.organisation_id
              JOIN zones_zone z ON z.intervention_id = i.id JOIN zones_zonecommune zc ON zc.zone_id = z.id
              JOIN zones_intervention_themes it ON it.intervention_id = i.id
              JOIN taxonomy_theme t ON t.id = it.theme_id LEFT JOIN taxonomy_theme parent ON parent.id = t.parent_id
              WHERE o.is_demo AND o.status = 'active' AND i.validation_state = 'validated'
                AND o.kind NOT IN ('plateforme', 'alliance', 'reseau') AND NOT (i.organisation_id = ANY(%s))
            )
            SELECT DISTINCT ON (a.org, b.org) a.org, b.org, a.commune_id, a.domain
            FROM work a JOIN work b ON b.commune_id = a.commune_id AND b.domain = a.domain AND a.org < b.org
            ORDER BY a.org, b.org, a.commune_id, a.domain LIMIT %s
            """,
            [list(excluded), limit],
        )
        return cursor.fetchall()


def _partnerships(rng, admin: Audience, excluded: set[int], editor_org, organisations) -> None:
    """Two accepted partnerships where demo organisations overlap (coordinated overlaps on the dashboard), one
    declined, and one proposal waiting for the demo editor's answer."""
    roles = ["coordination", "referral", "joint_action"]
    found = _overlapping_pairs(excluded, 3)
    for index, (first, second, commune_id, domain) in enumerate(found):
        proposal = partnership_services.partnership_propose(
            audience=admin, proposer=Organisation.objects.get(pk=first), partner=Organisation.objects.get(pk=second),
            role=rng.choice(roles), areas=[AdminUnit.objects.get(pk=commune_id)],
            themes=[Theme.objects.get(code=domain)],
            message="Nos équipes travaillent dans la même commune : coordonnons nos visites (exemple fictif).")
        status = "declined" if index == 2 else "accepted"
        Partnership.objects.filter(pk=proposal.pk).update(
            status=status, decided_at=timezone.now(), since=timezone.localdate() if status == "accepted" else None,
            is_demo=True)
        PartnershipLogEntry.objects.create(partnership=proposal, kind=status, organisation_id=second,
                                           note="Avec plaisir (exemple fictif)." if status == "accepted"
                                           else "Pas cette année, faute de moyens (exemple fictif).")
    proposer = next((o for o in organisations if o.id not in excluded), None)
    if proposer is not None and editor_org.head_office and editor_org.head_office.commune:
        cercle = editor_org.head_office.commune.parent
        proposal = partnership_services.partnership_propose(
            audience=admin, proposer=proposer, partner=editor_org, role="shared_trainer", areas=[cercle],
            themes=[Theme.objects.get(code="participation-politique")],
            message="Notre formatrice en prise de parole pourrait animer une session chez vous (exemple fictif).")
        Partnership.objects.filter(pk=proposal.pk).update(is_demo=True)


def _trainings(rng, admin: Audience, network, organisations, today: date) -> None:
    from geo_backend.regions.models import Locality

    from .models import Dimension

    members = list(Organisation.objects.filter(network_links__network=network, network_links__status="accepted"))
    for index, (title, theme, need, form, days, length, seats) in enumerate(TRAININGS):
        trainer = network if index % 2 == 0 else organisations[index % len(organisations)]
        place = trainer.head_office if form != "remote" else None
        if form != "remote" and place is None:
            place = Locality.objects.filter(edition__is_default=True, place_class=2).order_by("pcode").first()
        start = today + timedelta(days=days)
        training = training_services.training_create(
            audience=admin, themes=[Theme.objects.get(code=theme)], needs=[Dimension.objects.get(code=need)],
            fields={"title": title, "description": "Données de démonstration fictives.", "format": form,
                    "trainer_organisation": trainer, "network": network if trainer == network else None,
                    "locality": place, "venue": "Salle de réunion (exemple)" if place else "",
                    "start_date": start, "end_date": start + timedelta(days=length - 1), "seats": seats,
                    "materials": "Guide du formateur (exemple fictif)"})
        Training.objects.filter(pk=training.pk).update(is_demo=True)
        for member in rng.sample(members, k=min(3, len(members))):
            registration = training_services.training_register(audience=admin, training=training,
                                                               organisation=member, participants=rng.randint(1, 4))
            if days < 0:  # a past training: who came
                women = registration.participants
                training_services.training_attendance_record(
                    audience=admin, registration=registration, expected_version=registration.version,
                    counts={("female", rng.choice(["18_24", "25_34", "35_49"])): women,
                            ("male", "25_34"): rng.randint(0, 1)})


def _mentoring(rng, coordinator, network, today: date) -> None:
    audience = Audience(user_id=coordinator.pk, coordinator_of=frozenset({network.id}),
                        editor_of=frozenset({network.id}))
    names = rng.sample(FIRST_NAMES, 6)
    themes = list(Theme.objects.filter(code__in=["participation-politique", "participation-elections",
                                                 "participation-leadership"]))
    for index in range(3):
        pair = mentoring_services.mentoring_pair_create(
            audience=audience, network=network, mentor_name=names[2 * index] + EXAMPLE,
            mentee_name=names[2 * index + 1] + EXAMPLE, themes=rng.sample(themes, k=rng.randint(1, 2)),
            started_on=today - timedelta(days=rng.randint(60, 400)))
        MentoringPair.objects.filter(pk=pair.pk).update(is_demo=True)
        for session in range(rng.randint(1, 3)):
            mentoring_services.mentoring_log_add(
                audience=audience, pair=pair, date=pair.started_on + timedelta(days=30 * (session + 1)),
                note="Séance d'échange : préparation d'une prise de parole en conseil communal (exemple fictif).")


def _assessments(rng, admin_user, editor_org, network, organisations, today: date) -> None:
    """Self-assessments of most demo organisations, this year and last year. The demo editor's organisation has
    only last year's, so that she can fill this year's."""
    questions = list(assessment_services.questionnaire_current().questions.select_related("dimension"))
    weakness = {}
    for organisation in organisations:
        if rng.random() < 0.2 and organisation.id != editor_org.id:
            continue
        audience = Audience(user_id=admin_user.pk, editor_of=frozenset({organisation.id}))
        weakness[organisation.id] = rng.choice(sorted({q.dimension.code for q in questions}))
        years = [today.year - 1] if organisation.id == editor_org.id else [today.year - 1, today.year]
        for year in years:
            answers = [{"question": q.id, "comment": "",
                        "score": rng.choice([1, 2]) if q.dimension.code == weakness[organisation.id]
                        else rng.choice([2, 3, 3, 4])} for q in questions]
            assessment_services.assessment_start(audience=audience, organisation=organisation, year=year,
                                                 answers=answers, submit=True)
    Assessment.objects.filter(organisation__is_demo=True).update(is_demo=True)
