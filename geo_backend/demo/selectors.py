"""Reads for the demo: the reference numbers the planner needs, whether demo data exists, and what it holds."""
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count

from geo_backend.organisations.models import Membership, Organisation, OrganisationRole
from geo_backend.regions.models import Edition
from geo_backend.taxonomy.models import ActionKind, Funder, TargetGroup, Theme
from geo_backend.zones.models import Intervention, Zone

from .accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_USERNAMES
from .plan import Commune, Place, Reference
from .vocabulary import POPULATION_YEAR

COMMUNES_SQL = """
SELECT c.pcode, c.name, k.pcode, k.name, r.pcode, coalesce(p.female, 0), ST_X(x.point), ST_Y(x.point),
       musoya_area_km2(c.geom)
FROM regions_adminunit c
JOIN regions_adminunit k ON k.id = c.parent_id
JOIN regions_adminunit r ON r.id = k.parent_id
LEFT JOIN regions_population p ON p.unit_id = c.id AND p.year = %(year)s
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(c.geom) AS point) x
WHERE c.edition_id = %(edition)s AND c.level = 3
ORDER BY c.pcode
"""
NEIGHBOURS_SQL = """
SELECT c.pcode, n.pcode
FROM regions_adminunit c
JOIN regions_adminunit n
  ON n.edition_id = c.edition_id AND n.level = 3 AND n.id <> c.id AND ST_Intersects(n.geom, c.geom)
WHERE c.edition_id = %(edition)s AND c.level = 3
ORDER BY c.pcode, n.pcode
"""
# The localities that lie inside their commune's boundary: about 10 % of the gazetteer's points fall a little
# outside, and a zone around those could end up outside Mali.
PLACES_SQL = """
SELECT c.pcode, l.pcode, l.name, ST_X(l.geom), ST_Y(l.geom)
FROM regions_locality l
JOIN regions_adminunit c ON c.id = l.commune_id
WHERE c.edition_id = %(edition)s AND c.level = 3 AND ST_Intersects(l.geom, c.geom)
ORDER BY c.pcode, l.pcode
"""
# A commune's chief town: its locality of the lowest place class, then the lowest P-code.
HEAD_OFFICES_SQL = """
SELECT DISTINCT ON (c.pcode) c.pcode, l.pcode, l.name, ST_X(l.geom), ST_Y(l.geom)
FROM regions_locality l
JOIN regions_adminunit c ON c.id = l.commune_id
WHERE l.edition_id = %(edition)s AND c.level = 3
ORDER BY c.pcode, l.place_class, l.pcode
"""


def reference_read(edition: Edition) -> Reference:
    """The reference numbers of an edition, as the plain data the planner takes (four queries)."""
    params = {"edition": edition.id, "year": POPULATION_YEAR}
    neighbours: dict[str, list[str]] = {}
    places: dict[str, list[Place]] = {}
    with connection.cursor() as cursor:
        cursor.execute(COMMUNES_SQL, params)
        communes = [Commune(*row) for row in cursor.fetchall()]
        cursor.execute(NEIGHBOURS_SQL, params)
        for commune, neighbour in cursor.fetchall():
            neighbours.setdefault(commune, []).append(neighbour)
        cursor.execute(PLACES_SQL, params)
        for commune, *place in cursor.fetchall():
            places.setdefault(commune, []).append(Place(*place))
        cursor.execute(HEAD_OFFICES_SQL, params)
        head_offices = {commune: Place(*place) for commune, *place in cursor.fetchall()}
    themes = list(Theme.objects.filter(is_active=True).order_by("code").values_list("code", "parent__code"))
    return Reference(
        communes=communes, neighbours=neighbours, places=places, head_offices=head_offices,
        domains={code: [child for child, parent in themes if parent == code] for code, parent in themes
                 if parent is None},
        action_kinds=list(ActionKind.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)),
        target_groups=list(TargetGroup.objects.filter(is_active=True).order_by("code")
                           .values_list("code", flat=True)),
    )


def demo_present() -> bool:
    """True when any demo record or demo account exists."""
    return (Organisation.objects.filter(is_demo=True).exists() or Intervention.objects.filter(is_demo=True).exists()
            or Funder.objects.filter(is_demo=True).exists()
            or get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists())


def demo_counts() -> dict[str, dict[str, int]]:
    """What demo data exists, for the summary printed by the command."""
    organisations = Organisation.objects.filter(is_demo=True)
    interventions = Intervention.objects.filter(is_demo=True)
    zones = Zone.objects.filter(intervention__is_demo=True)

    def by(queryset, column):
        return dict(queryset.order_by(column).values_list(column).annotate(n=Count("id")))

    return {
        "totaux": {
            "organisations": organisations.exclude(kind__in=Organisation.NETWORK_KINDS).count(),
            "réseaux": organisations.filter(kind__in=Organisation.NETWORK_KINDS).count(),
            "adhésions": Membership.objects.filter(network__is_demo=True).count(),
            "bailleurs": Funder.objects.filter(is_demo=True).count(),
            "interventions": interventions.count(),
            "zones": zones.count(),
        },
        "zones par méthode": by(zones, "method"),
        "interventions par sensibilité": by(interventions, "sensitivity"),
        "interventions par état de validation": by(interventions, "validation_state"),
    }


def counts_lines(counts: dict[str, dict[str, int]]) -> list[str]:
    """The counts of demo_counts(), one line per group."""
    return [f"{group} : " + ", ".join(f"{key} {value}" for key, value in values.items())
            for group, values in counts.items()]


def accounts_lines() -> list[str]:
    """A short table of the demo accounts: account, role, password, what to try."""
    roles = {}
    for username, name in OrganisationRole.objects.filter(user__username__in=DEMO_USERNAMES).order_by(
            "user__username").values_list("user__username", "organisation__name"):
        roles.setdefault(username, set()).add(name)
    rows = [("Compte", "Rôle", "Mot de passe", "À essayer")]
    for account in DEMO_ACCOUNTS:
        role = account.role + "".join(f" de « {name} »" for name in sorted(roles.get(account.username, ())))
        rows.append((account.username, role, DEMO_PASSWORD, account.try_this))
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    return [f"{row[0]:<{width[0]}}  {row[1]:<{width[1]}}  {row[2]:<{width[2]}}  {row[3]}" for row in rows]
