"""Fictitious demo data: organisations, networks, interventions and zones that say they are examples.

Everything created here has is_demo=True and a name ending in " (exemple fictif)", so the pages can say so and
`demo_delete` can remove it. Names are invented from word lists (Bambara words and a town), not taken from any
real organisation, and carry no acronym (DOMAIN.md: "never invent activities for real organisations").

Zones are spread over Mali the way real ones would be: communes are drawn with probability proportional to their
2017 women population, so the south and centre get most of them and the desert north few.

The work has two steps. `_Planner` draws every random choice from one random.Random(seed), reading the reference
data in pcode order, and produces a plan in plain Python; `_write_plan` then writes it through the services (so
the normal validation, clipping, zone-to-commune shares and coverage atoms run), with an administrator's
Audience, and sets the validation states by update at the end. The same seed gives the same plan, and so the
same titles and zone geometries. Dates are counted from the day of seeding, so that a "planned" intervention
still starts in the future whenever the demo is seeded.
"""
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import pghistory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from geo_backend.analytics.services import coverage_atoms_deferred, coverage_atoms_refresh
from geo_backend.common.errors import DomainError
from geo_backend.organisations import services as organisation_services
from geo_backend.organisations.access import DONOR_GROUP, Audience
from geo_backend.organisations.models import Membership, Organisation, OrganisationRole
from geo_backend.regions.models import AdminUnit, Edition, Locality, Population
from geo_backend.taxonomy.models import ActionKind, Funder, TargetGroup, Theme

from . import services as zone_services
from .models import Intervention, Sensitivity, Zone, ZoneCommune

FICTIF = " (exemple fictif)"
DEMO_PASSWORD = "musoya-demo"
POPULATION_YEAR = 2017


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    try_this: str


# One account per role. The editor and coordinator get their organisation's name appended when printed.
DEMO_ACCOUNTS = (
    DemoAccount("demo-editrice", "éditrice",
                "modifier ses interventions, dessiner une zone, soumettre le brouillon, corriger l'intervention "
                "rejetée"),
    DemoAccount("demo-coordinatrice", "coordinatrice et éditrice",
                "valider ou rejeter les déclarations soumises des membres, répondre à la demande d'adhésion en "
                "attente, voir les zones restreintes"),
    DemoAccount("demo-admin", "administrateur·rice de la plateforme (superuser)",
                "/admin/, tout voir et tout modifier, activer ou archiver des organisations"),
    DemoAccount("demo-bailleur", f"bailleur (groupe « {DONOR_GROUP} »)",
                "tableau de bord avec les analyses complètes (zones restreintes comprises), en lecture seule"),
)
DEMO_USERNAMES = tuple(account.username for account in DEMO_ACCOUNTS)

# --- Invented vocabulary ------------------------------------------------------------------------------------
# Bambara words (hope, light, progress, trust, peace…) combined with a town: plausible, but not any real
# organisation's name, and every name ends with FICTIF. No acronyms, since real ones are short and easy to hit.
NAME_WORDS = ["Kènè", "Jigiya", "Yeelen", "Nyèta", "Danaya", "Hèrè", "Sinsin", "Bènkadi", "Dèmè", "Kanuya",
              "Sabati", "Hakili"]
NAME_PEOPLE = ["Muso", "Musow", "Denmuso", "Sunguru", "Baarakèla", "Kafo"]
ORGANISATION_KINDS = [  # (kind, label, weight)
    (Organisation.Kind.ASSOCIATION, "Association", 45),
    (Organisation.Kind.ONG, "ONG", 25),
    (Organisation.Kind.COOPERATIVE, "Coopérative", 10),
    (Organisation.Kind.COLLECTIF, "Collectif", 10),
    (Organisation.Kind.GROUPEMENT, "Groupement", 10),
]
NETWORK_KINDS = [(Organisation.Kind.RESEAU, "Réseau"), (Organisation.Kind.PLATEFORME, "Plateforme"),
                 (Organisation.Kind.ALLIANCE, "Alliance")]
NETWORK_WORDS = ["Sahel", "Nyèta", "Bèn", "Danaya", "Yeelen", "Hèrè", "Jigiya", "Sinsin", "Fasokan", "Niger"]
NETWORK_FOCUS = ["des Femmes Leaders", "pour les Droits des Femmes", "des Organisations Féminines",
                 "des Femmes Rurales", "des Femmes Médiatrices", "des Juristes Communautaires",
                 "des Femmes Entrepreneures"]
FUNDER_NAMES = ["Fonds Exemple pour l'Égalité", "Fondation Imaginaire pour les Droits des Femmes",
                "Programme Fictif d'Appui à la Société Civile", "Coopération Exemplaire Nord-Sud"]
# The boundary file writes names without accents; the organisation names read better with them.
ACCENTED = {"Segou": "Ségou", "Koulikouro": "Koulikoro", "Kenieba": "Kéniéba", "Diema": "Diéma",
            "Yelimane": "Yélimané", "Bafoulabe": "Bafoulabé", "Dioila": "Dioïla", "Baroueli": "Barouéli",
            "Djenne": "Djenné", "Tenenkou": "Ténenkou", "Dire": "Diré", "Niafunke": "Niafunké",
            "Menaka": "Ménaka"}

# Title stems per domain code of the taxonomy (geo_backend/taxonomy/reference.py).
TITLE_STEMS = {
    "vbg": ["Prévention des violences basées sur le genre", "Prise en charge des survivantes de VBG",
            "Espaces sûrs pour les femmes et les filles", "Dialogue avec les leaders religieux contre les VBG"],
    "participation-politique": ["Accompagnement des candidates aux élections communales",
                                "Formation des élues locales",
                                "Plaidoyer pour l'application de la loi n°2015-052"],
    "autonomisation-economique": ["Appui aux activités génératrices de revenus des femmes rurales",
                                  "Groupes d'épargne et de crédit des femmes",
                                  "Transformation des produits agricoles par les femmes"],
    "acces-justice": ["Clinique juridique mobile", "Actes d'état civil pour les femmes",
                      "Parajuristes communautaires"],
    "organisations-mouvements": ["Renforcement des capacités des associations féminines",
                                 "Mise en réseau des organisations de femmes"],
    "paix-securite": ["Femmes médiatrices pour la paix", "Participation des femmes aux comités de réconciliation"],
    "sante-sexuelle": ["Causeries sur la santé sexuelle et reproductive",
                       "Accès des jeunes femmes à la planification familiale"],
    "education-filles": ["Maintien des filles à l'école", "Bourses scolaires pour les filles",
                         "Alphabétisation des femmes"],
}
REJECTION_REASON = ("Les communes déclarées ne correspondent pas aux activités décrites : merci de préciser la zone "
                    "(exemple fictif).")

# Shares of the interventions, as weights.
STATUS_WEIGHTS = {Intervention.Status.ONGOING: 55, Intervention.Status.COMPLETED: 30,
                  Intervention.Status.PLANNED: 15}
SENSITIVITY_WEIGHTS = {Sensitivity.PUBLIC: 80, Sensitivity.COARSE: 15, Sensitivity.RESTRICTED: 5}
VALIDATION_WEIGHTS = {Intervention.Validation.VALIDATED: 75, Intervention.Validation.SUBMITTED: 13,
                      Intervention.Validation.DRAFT: 12}
METHOD_WEIGHTS = {Zone.Method.PICKED: 40, Zone.Method.BUFFER: 35, Zone.Method.DRAWN: 25}
# Share of an organisation's interventions anchored in its home region rather than anywhere in Mali. Since the
# home region is itself drawn by women population, the communes stay drawn in proportion to women population.
HOME_REGION_SHARE = 0.7


# --- Checks, presence, deletion -----------------------------------------------------------------------------


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


def demo_present() -> bool:
    """True when any demo record or demo account exists."""
    return (Organisation.objects.filter(is_demo=True).exists() or Intervention.objects.filter(is_demo=True).exists()
            or Funder.objects.filter(is_demo=True).exists()
            or get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists())


@transaction.atomic
def demo_delete() -> dict[str, int]:
    """Deletes every demo record and the demo accounts; returns how many of each were deleted.

    Interventions go first (their organisation is PROTECTed), with their zones; then memberships and
    organisations (contacts and roles cascade), funders and accounts. The donor group stays: real donors use it.
    As intervention_delete does, the coverage atoms of the communes the zones covered are recomputed, here once
    for all of them.
    """
    interventions = Intervention.objects.filter(Q(is_demo=True) | Q(organisation__is_demo=True))
    # Interventions, then zones: the lock order of zone writes (services.py), so a concurrent edit cannot deadlock.
    list(interventions.select_for_update(of=("self",)).order_by("id").values_list("id", flat=True))
    touched = set(ZoneCommune.objects.filter(zone__intervention__in=interventions)
                  .values_list("commune_id", flat=True))
    deleted = {"zones": Zone.objects.filter(intervention__in=interventions).delete()[1].get("zones.Zone", 0)}
    deleted["interventions"] = interventions.delete()[1].get("zones.Intervention", 0)
    coverage_atoms_refresh(touched)
    Membership.objects.filter(Q(network__is_demo=True) | Q(member__is_demo=True)).delete()
    deleted["organisations et réseaux"] = Organisation.objects.filter(is_demo=True).delete()[1].get(
        "organisations.Organisation", 0)
    deleted["bailleurs"] = Funder.objects.filter(is_demo=True).delete()[1].get("taxonomy.Funder", 0)
    deleted["comptes"] = get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()[1].get(
        get_user_model()._meta.label, 0)
    return deleted


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


# --- Reference data -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    id: int
    pcode: str
    name: str
    cercle_pcode: str
    cercle_name: str
    region_pcode: str
    women: int

    @property
    def display_name(self) -> str:
        """The name for titles: the urban commune "Segou Commune" reads "Ségou", and Bamako's "Commune I" reads
        "Commune I de Bamako"."""
        if self.name.startswith("Commune "):
            return f"{self.name} de Bamako"
        return accented(self.name.removesuffix(" Commune"))


@dataclass(frozen=True)
class Place:
    id: int
    pcode: str
    name: str
    lon: float
    lat: float


def accented(name: str) -> str:
    return ACCENTED.get(name, name)


class _Reference:
    """The reference data the planner draws from, always read in pcode (or code) order so draws repeat."""

    def __init__(self, edition: Edition):
        self.edition = edition
        women = dict(Population.objects.filter(unit__edition=edition, unit__level=3, year=POPULATION_YEAR)
                     .values_list("unit_id", "female"))
        units = AdminUnit.objects.filter(edition=edition)
        regions = dict(units.filter(level=1).values_list("id", "pcode"))
        cercles = {uid: (pcode, name, parent_id) for uid, pcode, name, parent_id
                   in units.filter(level=2).values_list("id", "pcode", "name", "parent_id")}
        self.communes: list[Commune] = []
        for uid, pcode, name, parent_id in units.filter(level=3).order_by("pcode").values_list(
                "id", "pcode", "name", "parent_id"):
            cercle_pcode, cercle_name, region_id = cercles[parent_id]
            self.communes.append(Commune(uid, pcode, name, cercle_pcode, cercle_name, regions[region_id],
                                         women.get(uid, 0)))
        self.by_region: dict[str, list[Commune]] = {}
        self.by_cercle: dict[str, list[Commune]] = {}
        for commune in self.communes:
            self.by_region.setdefault(commune.region_pcode, []).append(commune)
            self.by_cercle.setdefault(commune.cercle_pcode, []).append(commune)
        themes = list(Theme.objects.filter(is_active=True).order_by("code").values_list("code", "parent__code"))
        self.domains = {code: [child for child, parent in themes if parent == code]
                        for code, parent in themes if parent is None}
        self.action_kinds = list(ActionKind.objects.filter(is_active=True).order_by("code")
                                 .values_list("code", flat=True))
        self.target_groups = list(TargetGroup.objects.filter(is_active=True).order_by("code")
                                  .values_list("code", flat=True))
        self._neighbours: dict[int, list[Commune]] = {}
        self._places: dict[int, list[Place]] = {}

    def pick(self, rng: random.Random, communes: list[Commune] | None = None) -> Commune:
        """A commune drawn with probability proportional to its women population."""
        communes = communes or self.communes
        return rng.choices(communes, weights=[c.women for c in communes])[0]

    def neighbours(self, commune: Commune) -> list[Commune]:
        """The communes sharing a border with this one."""
        if commune.id not in self._neighbours:
            by_id = {c.id: c for c in self.communes}
            ids = AdminUnit.objects.raw(
                """SELECT n.id FROM regions_adminunit c JOIN regions_adminunit n
                     ON n.edition_id = c.edition_id AND n.level = 3 AND n.id <> c.id AND ST_Intersects(n.geom, c.geom)
                   WHERE c.id = %s ORDER BY n.pcode""", [commune.id])
            self._neighbours[commune.id] = [by_id[unit.id] for unit in ids]
        return self._neighbours[commune.id]

    def places(self, commune: Commune) -> list[Place]:
        """The commune's localities that lie inside its boundary (about 10 % of the gazetteer's points fall a
        little outside; a zone around those could end up outside Mali)."""
        if commune.id not in self._places:
            with connection.cursor() as cursor:
                cursor.execute(
                    """SELECT l.id, l.pcode, l.name, ST_X(l.geom), ST_Y(l.geom) FROM regions_locality l
                       JOIN regions_adminunit c ON c.id = l.commune_id
                       WHERE c.id = %s AND ST_Intersects(l.geom, c.geom) ORDER BY l.pcode""", [commune.id])
                self._places[commune.id] = [Place(*row) for row in cursor.fetchall()]
            if not self._places[commune.id]:
                raise DomainError("reference_missing", f"Aucune localité dans la commune {commune.pcode}.",
                                  f"No locality inside the commune {commune.pcode}.")
        return self._places[commune.id]

    def head_office(self, commune: Commune) -> Place:
        """The commune's chief town (lowest place class, then pcode)."""
        locality = (Locality.objects.filter(edition=self.edition, commune_id=commune.id)
                    .order_by("place_class", "pcode").first())
        return Place(locality.id, locality.pcode, locality.name, locality.geom.x, locality.geom.y)


# --- The plan -----------------------------------------------------------------------------------------------


@dataclass
class OrganisationPlan:
    name: str
    kind: str
    description: str
    founded_year: int
    home: Commune
    head_office: Place
    contacts: list[dict]

    @property
    def is_network(self) -> bool:
        return self.kind in Organisation.NETWORK_KINDS


@dataclass
class MembershipPlan:
    network: int  # indexes into DemoPlan.organisations
    member: int
    role: str
    since: date
    pending: bool = False


@dataclass
class ZonePlan:
    method: str
    label: str
    unit_pcodes: list[str] | None = None
    locality_pcode: str | None = None
    radius_km: float | None = None
    geometry: dict | None = None


@dataclass
class InterventionPlan:
    organisation: int
    fields: dict  # title, description, dates, status, gender marker, women, sensitivity
    themes: list[str]
    action_kinds: list[str]
    target_groups: list[str]
    funders: list[int]  # indexes into DemoPlan.funders
    partner: int | None
    declared_by_network: int | None
    validation: str
    zones: list[ZonePlan] = field(default_factory=list)


@dataclass
class DemoPlan:
    organisations: list[OrganisationPlan] = field(default_factory=list)
    memberships: list[MembershipPlan] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    interventions: list[InterventionPlan] = field(default_factory=list)
    editor_organisation: int = 0  # the demo editor's organisation, an accepted member of…
    coordinated_network: int = 0  # …this network, which the demo coordinator coordinates


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Planner:
    """Draws every random choice of the demo from one random.Random, in a fixed order."""

    def __init__(self, rng: random.Random, reference: _Reference, today: date):
        self.rng = rng
        self.ref = reference
        self.today = today
        self.plan = DemoPlan(funders=[name + FICTIF for name in FUNDER_NAMES])
        self.names: set[str] = set()

    def build(self, organisations: int, zones: int) -> DemoPlan:
        networks = max(2, round(organisations / 6))  # about one network per six organisations, at least two
        for index in range(organisations):
            self.plan.organisations.append(self._organisation(index))
        for index in range(networks):
            self.plan.organisations.append(self._network(organisations + index))
        self._memberships(organisations, networks)
        self._interventions(organisations, zones)
        return self.plan

    # Organisations and networks

    def _unique(self, make) -> str:
        name = make()
        while name in self.names:
            name = make()
        self.names.add(name)
        return name

    def _contacts(self, index: int, name: str, head_office: Place) -> list[dict]:
        """One contact of each visibility; numbers in the +223 00 00 … range and example.org addresses are
        fictitious by construction."""
        handle = slugify(name.removesuffix(FICTIF))[:40]
        phone = f"+223 00 00 {index // 100:02d} {index % 100:02d}"
        return [
            {"kind": "email", "value": f"{handle}@example.org", "label": "Secrétariat", "visibility": "public"},
            {"kind": "address", "value": f"Rue fictive, {head_office.name}", "label": "Siège", "visibility": "public"},
            {"kind": "phone", "value": phone, "label": "Bureau", "visibility": "members"},
            {"kind": "person", "value": "Présidente (nom fictif)", "label": "Personne de contact",
             "visibility": "private"},
            {"kind": "whatsapp", "value": phone, "label": "Présidente", "visibility": "private"},
        ]

    def _organisation(self, index: int) -> OrganisationPlan:
        rng = self.rng
        home = self.ref.pick(rng)
        head_office = self.ref.head_office(home)
        kind, label = _weighted(rng, {(k, lbl): w for k, lbl, w in ORGANISATION_KINDS})
        town = accented(home.cercle_name)
        name = self._unique(lambda: f"{label} {rng.choice(NAME_WORDS)} {rng.choice(NAME_PEOPLE)} de {town}{FICTIF}")
        description = (f"Données de démonstration fictives : cette organisation n'existe pas. Basée à "
                       f"{head_office.name} (cercle de {town}), elle illustre le travail local de défense des "
                       f"droits des femmes et des filles.")
        return OrganisationPlan(name, kind, description, rng.randint(1995, 2022), home, head_office,
                                self._contacts(index + 1, name, head_office))

    def _network(self, index: int) -> OrganisationPlan:
        rng = self.rng
        home = self.ref.pick(rng)
        head_office = self.ref.head_office(home)
        kind, label = rng.choice(NETWORK_KINDS)
        name = self._unique(lambda: f"{label} {rng.choice(NETWORK_WORDS)} {rng.choice(NETWORK_FOCUS)}{FICTIF}")
        description = ("Données de démonstration fictives : ce réseau n'existe pas. Il illustre une plateforme, "
                       "une alliance ou un réseau d'organisations de défense des droits des femmes.")
        # The networks came with the mobilisation that followed 2012.
        return OrganisationPlan(name, kind, description, rng.randint(2012, 2022), home, head_office,
                                self._contacts(index + 1, name, head_office))

    def _since(self, member: int, network: int) -> date:
        year = max(self.plan.organisations[member].founded_year, self.plan.organisations[network].founded_year)
        return min(date(year, 1, 1) + timedelta(days=self.rng.randrange(365)), self.today)

    def _memberships(self, organisations: int, networks: int) -> None:
        """Every organisation belongs to one network (in turn, so each network has members), about one in five
        to a second one, and one organisation has applied to the coordinated network and awaits an answer."""
        rng = self.rng
        first_network = organisations
        joined: dict[int, set[int]] = {}
        for member in range(organisations):
            chosen = [first_network + member % networks]
            if rng.random() < 0.2:
                chosen.append(rng.choice([n for n in range(first_network, first_network + networks)
                                          if n != chosen[0]]))
            for network in chosen:
                rank = len([m for m in self.plan.memberships if m.network == network])
                role = (Membership.Role.FOUNDER if rank == 0 else Membership.Role.BOARD if rank == 1
                        else Membership.Role.MEMBER)
                self.plan.memberships.append(MembershipPlan(network, member, role, self._since(member, network)))
                joined.setdefault(member, set()).add(network)
        self.plan.coordinated_network = first_network
        self.plan.editor_organisation = 0  # member 0 joined the first network, in turn
        applicant = next((m for m in range(organisations) if first_network not in joined[m]), None)
        if applicant is not None:
            self.plan.memberships.append(MembershipPlan(first_network, applicant, Membership.Role.MEMBER,
                                                        self.today, pending=True))

    # Interventions and zones

    def _interventions(self, organisations: int, zones: int) -> None:
        rng = self.rng
        sizes = []  # zones per intervention, 1 to 3, adding up to exactly `zones`
        while sum(sizes) < zones:
            sizes.append(min(rng.choice((1, 1, 2, 2, 3)), zones - sum(sizes)))
        # Use every method at least once; the rest by weight, in random order.
        methods = list(METHOD_WEIGHTS)[:zones] + rng.choices(list(METHOD_WEIGHTS), weights=list(
            METHOD_WEIGHTS.values()), k=max(0, zones - len(METHOD_WEIGHTS)))
        rng.shuffle(methods)
        everyone = list(range(len(self.plan.organisations)))  # members first, then networks
        weights = [3 if index < organisations else 1 for index in everyone]
        for number, size in enumerate(sizes):
            owner = everyone[number] if number < len(everyone) else rng.choices(everyone, weights=weights)[0]
            zone_methods, methods = methods[:size], methods[size:]
            self.plan.interventions.append(self._intervention(owner, zone_methods))
        self._showcase_states()

    def _showcase_states(self) -> None:
        """States the demo accounts need to try something: exactly one rejected declaration and a draft for the
        editor, and a submitted declaration of another member for the coordinator to validate."""
        plan = self.plan
        editors = [i for i in plan.interventions if i.organisation == plan.editor_organisation]
        if editors:
            editors[0].validation = Intervention.Validation.REJECTED
        if len(editors) > 1:
            editors[1].validation = Intervention.Validation.DRAFT
        members = {m.member for m in plan.memberships
                   if m.network == plan.coordinated_network and not m.pending} - {plan.editor_organisation}
        other = next((i for i in plan.interventions if i.organisation in members), None)
        if other is not None:
            other.validation = Intervention.Validation.SUBMITTED

    def _dates(self, status: str) -> tuple[date, date | None]:
        rng, today = self.rng, self.today
        if status == Intervention.Status.COMPLETED:
            start = today - timedelta(days=rng.randint(400, 2500))
            return start, min(start + timedelta(days=rng.randint(90, 720)), today - timedelta(days=30))
        if status == Intervention.Status.PLANNED:
            start = today + timedelta(days=rng.randint(15, 240))
            length = rng.randint(90, 720)
            return start, (start + timedelta(days=length)) if rng.random() < 0.7 else None
        start = today - timedelta(days=rng.randint(30, 900))
        length = rng.randint(30, 720)
        return start, (today + timedelta(days=length)) if rng.random() < 0.5 else None  # half open-ended

    def _intervention(self, owner: int, zone_methods: list[str]) -> InterventionPlan:
        rng, ref, plan = self.rng, self.ref, self.plan
        organisation = plan.organisations[owner]
        if not organisation.is_network and rng.random() < HOME_REGION_SHARE:
            anchor = ref.pick(rng, ref.by_region[organisation.home.region_pcode])
        else:
            anchor = ref.pick(rng)
        # An intervention's further zones stay in the same cercle, as real projects do.
        communes = [anchor] + [ref.pick(rng, ref.by_cercle[anchor.cercle_pcode]) for _ in zone_methods[1:]]
        zones = [self._zone(method, commune) for method, commune in zip(zone_methods, communes, strict=True)]

        domain = rng.choice(sorted(ref.domains))
        children = ref.domains[domain]
        themes = [domain] + rng.sample(children, k=rng.randint(0, min(2, len(children))))
        if len(themes) == 1 and rng.random() < 0.3:
            themes.append(rng.choice([d for d in sorted(ref.domains) if d != domain]))
        stem = rng.choice(TITLE_STEMS.get(domain, ["Promotion des droits des femmes"]))
        where = anchor.display_name if len(zones) == 1 else f"cercle de {accented(anchor.cercle_name)}"
        status = _weighted(rng, STATUS_WEIGHTS)
        start, end = self._dates(status)
        targeted = rng.randrange(50, 5001, 50)
        reached = {Intervention.Status.COMPLETED: round(targeted * rng.uniform(0.6, 1.1)),
                   Intervention.Status.ONGOING: round(targeted * rng.uniform(0.1, 0.7))}.get(status)
        fields = {
            "title": f"{stem} – {where}",
            "description": (f"Données de démonstration fictives. {organisation.name} : {stem.lower()} "
                            f"({len(zones)} zone{'s' if len(zones) > 1 else ''}, {anchor.display_name} et "
                            f"alentours). Aucune activité réelle n'est décrite ici."),
            "status": status, "start_date": start, "end_date": end,
            "gender_marker": rng.choices([2, 1, 0], weights=[70, 25, 5])[0],
            "women_targeted": targeted, "women_reached": reached,
            "sensitivity": _weighted(rng, SENSITIVITY_WEIGHTS),
        }
        memberships = [m.network for m in plan.memberships if m.member == owner and not m.pending]
        others = [i for i, o in enumerate(plan.organisations) if i != owner and not o.is_network]
        return InterventionPlan(
            organisation=owner, fields=fields, themes=themes,
            action_kinds=rng.sample(ref.action_kinds, k=rng.randint(1, 2)),
            target_groups=rng.sample(ref.target_groups, k=rng.randint(1, 3)),
            funders=rng.sample(range(len(plan.funders)), k=rng.choices([0, 1, 2], weights=[20, 60, 20])[0]),
            partner=rng.choice(others) if others and rng.random() < 0.1 else None,
            declared_by_network=rng.choice(memberships) if memberships and rng.random() < 0.1 else None,
            validation=_weighted(rng, VALIDATION_WEIGHTS), zones=zones,
        )

    def _zone(self, method: str, commune: Commune) -> ZonePlan:
        rng, ref = self.rng, self.ref
        if method == Zone.Method.PICKED:
            if rng.random() < 0.1:  # occasionally a whole cercle
                return ZonePlan(method, f"Cercle de {accented(commune.cercle_name)}",
                                unit_pcodes=[commune.cercle_pcode])
            neighbours = ref.neighbours(commune)
            picked = [commune] + rng.sample(neighbours, k=min(len(neighbours), rng.randint(0, 2)))
            names = ", ".join(c.display_name for c in picked)
            return ZonePlan(method, f"Commune{'s' if len(picked) > 1 else ''} : {names}",
                            unit_pcodes=[c.pcode for c in picked])
        place = rng.choice(ref.places(commune))
        if method == Zone.Method.BUFFER:
            radius = rng.randint(5, 30)
            return ZonePlan(method, f"{radius} km autour de {place.name}", locality_pcode=place.pcode,
                            radius_km=radius)
        return ZonePlan(method, f"Zone dessinée autour de {place.name}", geometry=self._hexagon(place))

    def _hexagon(self, place: Place) -> dict:
        """A rough hexagon of 5 to 20 km around a place, as a person would draw it (GeoJSON, lon/lat)."""
        rng = self.rng
        size_km = rng.uniform(5, 20)
        turn = rng.uniform(0, 60)
        ring = []
        for corner in range(6):  # counter-clockwise, as GeoJSON wants exterior rings
            angle = math.radians(turn + 60 * corner + rng.uniform(-10, 10))
            radius = size_km * rng.uniform(0.8, 1.2)
            ring.append([round(place.lon + radius * math.cos(angle) / (111.32 * math.cos(math.radians(place.lat))), 5),
                         round(place.lat + radius * math.sin(angle) / 110.57, 5)])
        return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


# --- Writing ------------------------------------------------------------------------------------------------


def demo_seed(*, seed: int = 42, organisations: int = 24, zones: int = 120, today: date | None = None) -> DemoPlan:
    """Seeds the demo data and accounts in one transaction; refuses when they are already present."""
    edition = check_can_seed()
    if organisations < 2 or zones < len(METHOD_WEIGHTS):
        raise DomainError("demo_size", "Il faut au moins 2 organisations et 3 zones.",
                          "At least 2 organisations and 3 zones are needed.")
    with transaction.atomic(), pghistory.context(command="seed_demo", seed=seed):
        if demo_present():
            raise DomainError("demo_present", "Les données de démonstration sont déjà présentes.",
                              "The demo data is already present.", status_code=409)
        planner = _Planner(random.Random(seed), _Reference(edition), today or timezone.localdate())
        plan = planner.build(organisations, zones)
        # Each commune's coverage atoms are computed once, after all its zones are written.
        with coverage_atoms_deferred():
            _write_plan(plan)
    return plan


def _create_accounts() -> dict:
    """The four demo accounts; hashing the shared password once keeps seeding quick."""
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username in DEMO_USERNAMES:
        users[username] = get_user_model().objects.create(
            username=username, email=f"{username}@example.org", password=password,
            is_staff=username == "demo-admin", is_superuser=username == "demo-admin")
    donors, _ = Group.objects.get_or_create(name=DONOR_GROUP)
    users["demo-bailleur"].groups.add(donors)
    return users


def _write_plan(plan: DemoPlan) -> None:
    """Writes the plan through the services, as the demo administrator (so nothing skips their checks)."""
    users = _create_accounts()
    admin_user = users["demo-admin"]
    admin = Audience(user_id=admin_user.pk, is_admin=True)

    funders = [Funder.objects.create(name=name, is_demo=True) for name in plan.funders]
    head_offices = Locality.objects.in_bulk([o.head_office.id for o in plan.organisations])
    organisations = []
    for item in plan.organisations:
        organisation = organisation_services.organisation_register(
            audience=admin, contacts=item.contacts,
            fields={"name": item.name, "kind": item.kind, "description": item.description,
                    "head_office": head_offices[item.head_office.id], "founded_year": item.founded_year})
        # is_demo is not a field people set; interventions copy it from their organisation.
        Organisation.objects.filter(pk=organisation.pk).update(is_demo=True)
        organisation.is_demo = True
        organisations.append(organisation)
    # Registering made the administrator editor (and coordinator) of each one: administrators need no role.
    OrganisationRole.objects.filter(user=admin_user, organisation__in=organisations).delete()

    for item in plan.memberships:
        network, member = organisations[item.network], organisations[item.member]
        if item.pending:
            # Acting as the applicant's editor, so the service records an application awaiting the network.
            audience = Audience(user_id=admin_user.pk, editor_of=frozenset({member.id}))
            organisation_services.membership_apply(audience=audience, network=network, member=member)
            continue
        membership = organisation_services.membership_apply(audience=admin, network=network, member=member,
                                                            role=item.role)
        Membership.objects.filter(pk=membership.pk).update(since=item.since)  # members since before the demo

    editor_organisation = organisations[plan.editor_organisation]
    network = organisations[plan.coordinated_network]
    OrganisationRole.objects.bulk_create([
        OrganisationRole(user=users["demo-editrice"], organisation=editor_organisation,
                         role=OrganisationRole.Role.EDITOR),
        OrganisationRole(user=users["demo-coordinatrice"], organisation=network, role=OrganisationRole.Role.EDITOR),
        OrganisationRole(user=users["demo-coordinatrice"], organisation=network,
                         role=OrganisationRole.Role.COORDINATOR),
    ])

    themes = dict(Theme.objects.values_list("code", "id"))
    action_kinds = dict(ActionKind.objects.values_list("code", "id"))
    target_groups = dict(TargetGroup.objects.values_list("code", "id"))
    states: dict[str, list[int]] = {}
    for item in plan.interventions:
        fields = dict(item.fields)
        if item.declared_by_network is not None:
            fields["declared_by_network"] = organisations[item.declared_by_network]
        intervention = zone_services.intervention_create(
            audience=admin, organisation=organisations[item.organisation], fields=fields,
            relations={"themes": [themes[c] for c in item.themes],
                       "action_kinds": [action_kinds[c] for c in item.action_kinds],
                       "target_groups": [target_groups[c] for c in item.target_groups],
                       "funders": [funders[i].id for i in item.funders],
                       "partners": [organisations[item.partner].id] if item.partner is not None else []})
        for zone in item.zones:
            zone_services.zone_create(audience=admin, intervention=intervention, method=zone.method,
                                      geometry=zone.geometry, unit_pcodes=zone.unit_pcodes,
                                      locality_pcode=zone.locality_pcode, radius_km=zone.radius_km,
                                      label=zone.label)
        states.setdefault(item.validation, []).append(intervention.pk)
    _set_validation_states(states)


def _set_validation_states(states: dict[str, list[int]]) -> None:
    """The service creates drafts; the other states are set here, one update per state, as the validation
    workflow would leave them (a validated declaration is confirmed today, a rejected one says why). Done after
    the zones exist: adding a zone sends a validated declaration back to submitted."""
    Validation = Intervention.Validation
    interventions = Intervention.objects.all()
    interventions.filter(pk__in=states.get(Validation.SUBMITTED, [])).update(validation_state=Validation.SUBMITTED)
    interventions.filter(pk__in=states.get(Validation.VALIDATED, [])).update(
        validation_state=Validation.VALIDATED, last_confirmed_on=timezone.localdate())
    interventions.filter(pk__in=states.get(Validation.REJECTED, [])).update(
        validation_state=Validation.REJECTED, rejection_reason=REJECTION_REASON)


def counts_lines(counts: dict[str, dict[str, int]]) -> list[str]:
    """The counts of demo_counts(), one line per group."""
    return [f"{group} : " + ", ".join(f"{key} {value}" for key, value in values.items())
            for group, values in counts.items()]

