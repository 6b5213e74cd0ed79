"""Writes of the demo: seeding (plan, then write, in one transaction) and deleting, with their checks.

Everything created here has is_demo=True and a name ending in " (exemple fictif)", so the pages can say so and
demo_delete can remove it. Dates are counted from the day of seeding, so that a "planned" intervention still
starts in the future whenever the demo is seeded.
"""
import logging
import time
from collections.abc import Callable
from datetime import date

import pghistory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from geo_backend.analytics.services import coverage_atoms_refresh
from geo_backend.collaboration.demo import collaboration_demo_delete, collaboration_demo_seed
from geo_backend.common.errors import DomainError
from geo_backend.library.demo import library_demo_delete, library_demo_seed
from geo_backend.organisations.models import Membership, Organisation
from geo_backend.regions.models import AdminUnit, Edition, Locality, Population
from geo_backend.taxonomy.models import Funder
from geo_backend.zones.models import Intervention, Zone, ZoneCommune

from .accounts import DEMO_USERNAMES
from .plan import DemoPlan
from .planner import MIN_ORGANISATIONS, MIN_ZONES, plan_demo
from .selectors import demo_present, reference_read
from .vocabulary import POPULATION_YEAR
from .writer import plan_write

logger = logging.getLogger("musoya.demo")
Progress = Callable[[str], None]


def _silent(_line: str) -> None:
    """The default progress: say nothing."""


def demo_allowed() -> bool:
    """Demo accounts have a known password: production sets MUSOYA_DEMO_ALLOWED = False."""
    return bool(getattr(settings, "MUSOYA_DEMO_ALLOWED", False))


def check_can_seed() -> Edition:
    """Returns the default edition, or raises DomainError when seeding is not allowed or not possible."""
    if not demo_allowed():
        raise DomainError("demo_not_allowed",
                          "Les données de démonstration sont désactivées ici (MUSOYA_DEMO_ALLOWED = False).",
                          "Demo data is disabled here (MUSOYA_DEMO_ALLOWED = False).")
    edition = Edition.objects.filter(is_default=True).first()
    if edition is None or not AdminUnit.objects.filter(edition=edition, level=3).exists():
        raise DomainError("boundaries_missing",
                          "Les limites administratives ne sont pas chargées : lancez d'abord `manage.py bootstrap`.",
                          "The boundaries are not loaded: run `manage.py bootstrap` first.")
    if not Population.objects.filter(unit__edition=edition, unit__level=3, year=POPULATION_YEAR).exists() \
            or not Locality.objects.filter(edition=edition).exists():
        raise DomainError("reference_missing",
                          "La population 2017 ou les localités ne sont pas chargées : lancez `manage.py bootstrap`.",
                          "The 2017 population or the localities are not loaded: run `manage.py bootstrap`.")
    return edition


def _delete_demo_rows() -> tuple[dict[str, int], set[int]]:
    """Deletes every demo record and account; returns the counts and the communes the deleted zones covered."""
    collaboration_demo_delete()  # these point at the demo organisations deleted below
    library_demo_delete()
    interventions = Intervention.objects.filter(Q(is_demo=True) | Q(organisation__is_demo=True))
    # Interventions, then zones: the lock order of zone writes (zones/services.py); a concurrent edit cannot deadlock.
    list(interventions.select_for_update(of=("self",)).order_by("id").values_list("id", flat=True))
    touched = set(ZoneCommune.objects.filter(zone__intervention__in=interventions, covers_commune=False)
                  .values_list("commune_id", flat=True))
    deleted = {"zones": Zone.objects.filter(intervention__in=interventions).delete()[1].get("zones.Zone", 0)}
    deleted["interventions"] = interventions.delete()[1].get("zones.Intervention", 0)
    Membership.objects.filter(Q(network__is_demo=True) | Q(member__is_demo=True)).delete()
    deleted["organisations et réseaux"] = Organisation.objects.filter(is_demo=True).delete()[1].get(
        "organisations.Organisation", 0)
    deleted["bailleurs"] = Funder.objects.filter(is_demo=True).delete()[1].get("taxonomy.Funder", 0)
    deleted["comptes"] = get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()[1].get(
        get_user_model()._meta.label, 0)
    return deleted, touched


@transaction.atomic
def demo_delete() -> dict[str, int]:
    """Deletes every demo record and the demo accounts; returns how many of each were deleted.

    Interventions go first (their organisation is PROTECTed), with their zones; then memberships and
    organisations (contacts and roles cascade), funders and accounts. The donor group stays: real donors use it.
    As intervention_delete does, the coverage atoms of the communes the zones covered are recomputed, here once
    for all of them.
    """
    deleted, touched = _delete_demo_rows()
    coverage_atoms_refresh(touched)
    return deleted


def demo_seed(*, seed: int = 42, organisations: int = 24, zones: int = 120, today: date | None = None,
              reset: bool = False, extras: bool = True, progress: Progress = _silent) -> DemoPlan:
    """Seeds the demo data and accounts in one transaction, saying each step to progress().

    Refuses when demo data is present, unless reset: then the old demo is deleted in the same transaction, so a
    seed that fails leaves the previous demo in place. The coverage atoms of every commune the old or the new
    zones touch are refreshed once, at the end.
    """
    edition = check_can_seed()
    if organisations < MIN_ORGANISATIONS or zones < MIN_ZONES:
        raise DomainError("demo_size", f"Il faut au moins {MIN_ORGANISATIONS} organisations et {MIN_ZONES} zones.",
                          f"At least {MIN_ORGANISATIONS} organisations and {MIN_ZONES} zones are needed.")
    started = time.perf_counter()
    logger.info("seeding the demo: seed %s, %s organisations, %s zones", seed, organisations, zones)
    with transaction.atomic(), pghistory.context(command="seed_demo", seed=seed):
        touched: set[int] = set()
        if reset:
            deleted, touched = _delete_demo_rows()
            progress("supprimé : " + ", ".join(f"{key} {value}" for key, value in deleted.items()))
        if demo_present():
            raise DomainError("demo_present", "Les données de démonstration sont déjà présentes.",
                              "The demo data is already present.", status_code=409)
        reference = reference_read(edition)
        try:
            plan = plan_demo(reference, seed=seed, organisations=organisations, zones=zones,
                             today=today or timezone.localdate())
        except ValueError as error:
            raise DomainError("reference_missing", f"Données de référence incomplètes : {error}.",
                              f"Incomplete reference data: {error}.") from error
        progress(f"plan : {len(plan.organisations)} organisations et réseaux, {len(plan.interventions)} "
                 f"interventions, {len(plan.zones)} zones ({len(reference.communes)} communes pondérées par la "
                 f"population féminine {POPULATION_YEAR})")
        touched |= plan_write(plan, edition=edition, progress=progress)
        atoms = coverage_atoms_refresh(touched, progress=lambda done, total, written: progress(
            f"atomes de couverture : {done}/{total} communes ({written} atomes)"))
        progress(f"atomes de couverture : {len(touched)} communes recalculées ({atoms} atomes)")
        if not extras:  # the map's demo only (the writer's tests, the benchmarks' sizes)
            return plan
        # Partnerships, trainings, mentoring and assessments over the zones demo (they read its overlaps).
        if collaboration_demo_seed(seed=seed, today=today):
            progress("collaboration : partenariats, formations, mentorat, auto-évaluations, compte demo-partenaire")
        # The library's fictitious documents (a generated PDF and a synthetic voice), campaigns and events.
        library = library_demo_seed(
            list(Organisation.objects.filter(is_demo=True, status="active").order_by("id")),
            admin_user=get_user_model().objects.get(username="demo-admin"))
        progress("bibliothèque : " + ", ".join(f"{key} {value}" for key, value in library.items()))
    logger.info("demo seeded in %.1f s: %s zones", time.perf_counter() - started, len(plan.zones))
    return plan
