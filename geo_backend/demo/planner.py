"""The demo planner: from the reference numbers and a seed, every organisation, network, intervention and zone
to create, as plain data. Pure: no Django, no database, no clock (today is given).

Zones are spread over Mali the way real ones would be: communes are drawn with probability proportional to their
women population, so the south and centre get most of them and the desert north few. Every random choice comes
from one random.Random(seed), drawn in a fixed order over lists in P-code order: the same seed and reference give
the same plan. Names are invented from word lists (Bambara words and a town), never taken from a real
organisation, carry no acronym, and end with " (exemple fictif)" (DOMAIN.md: never invent activities for real
organisations).
"""
import dataclasses
import math
import random
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import accumulate

from .plan import (
    Commune,
    DemoPlan,
    InterventionPlan,
    MembershipPlan,
    OrganisationPlan,
    Place,
    Reference,
    ZonePlan,
)
from .vocabulary import (
    BUFFER_RADIUS_KM,
    DEFAULT_TITLE_STEM,
    DRAWN_SIZE_KM,
    FICTIF,
    FUNDER_NAMES,
    HOME_REGION_SHARE,
    MEMBERSHIP_ROLES,
    METHOD_WEIGHTS,
    NAME_PEOPLE,
    NAME_WORDS,
    NETWORK_FOCUS,
    NETWORK_KINDS,
    NETWORK_WORDS,
    ORGANISATION_KINDS,
    RURAL_AREA_KM2,
    SENSITIVITY_WEIGHTS,
    SITE_REUSE,
    STATUS_WEIGHTS,
    TITLE_STEMS,
    URBAN_AREA_KM2,
    URBAN_PICKED_SHARE,
    VALIDATION_WEIGHTS,
    ZONE_SCALE,
    accented,
)

MIN_ORGANISATIONS = 2
MIN_ZONES = len(METHOD_WEIGHTS)  # every method at least once


def plan_demo(reference: Reference, *, seed: int, organisations: int, zones: int, today: date) -> DemoPlan:
    """The whole demo for `organisations` organisations (plus about one network per six) and exactly `zones`
    zones (1 to 3 per intervention). Raises ValueError below MIN_ORGANISATIONS or MIN_ZONES."""
    if organisations < MIN_ORGANISATIONS or zones < MIN_ZONES:
        raise ValueError(f"at least {MIN_ORGANISATIONS} organisations and {MIN_ZONES} zones are needed")
    return _Planner(random.Random(seed), reference, today).build(organisations, zones)


def _handle(name: str) -> str:
    """The name as an e-mail handle: the rules of django.utils.text.slugify, without importing Django."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", ascii_name.lower())).strip("-_")[:40]


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Draws:
    """Weighted draws of communes, with the cumulative weights of each list computed once (20,000 zones draw
    some 40,000 communes)."""

    def __init__(self, reference: Reference):
        self.communes = reference.communes
        self.by_pcode = {c.pcode: c for c in reference.communes}
        self.by_region: dict[str, list[Commune]] = {}
        self.by_cercle: dict[str, list[Commune]] = {}
        for commune in reference.communes:
            self.by_region.setdefault(commune.region_pcode, []).append(commune)
            self.by_cercle.setdefault(commune.cercle_pcode, []).append(commune)
        self._cumulative: dict[int, list[int]] = {}

    def pick(self, rng: random.Random, communes: Sequence[Commune] | None = None) -> Commune:
        """A commune drawn with probability proportional to its women population."""
        communes = communes or self.communes
        cumulative = self._cumulative.get(id(communes))
        if cumulative is None:
            cumulative = self._cumulative[id(communes)] = list(accumulate(c.women for c in communes))
        return rng.choices(communes, cum_weights=cumulative)[0]


class _Planner:
    """Draws every random choice of the demo from one random.Random, in a fixed order."""

    def __init__(self, rng: random.Random, reference: Reference, today: date):
        self.rng = rng
        self.ref = reference
        self.draws = _Draws(reference)
        self.today = today
        self.plan = DemoPlan(today=today, funders=[name + FICTIF for name in FUNDER_NAMES])
        self.names: set[str] = set()
        self.sites: dict[tuple[int, str, str], list[ZonePlan]] = {}  # (organisation, commune, method) -> its zones

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
        handle = _handle(name.removesuffix(FICTIF))
        phone = f"+223 00 00 {index // 100:02d} {index % 100:02d}"
        return [
            {"kind": "email", "value": f"{handle}@example.org", "label": "Secrétariat", "visibility": "public"},
            {"kind": "address", "value": f"Rue fictive, {head_office.name}", "label": "Siège", "visibility": "public"},
            {"kind": "phone", "value": phone, "label": "Bureau", "visibility": "members"},
            {"kind": "person", "value": "Présidente (nom fictif)", "label": "Personne de contact",
             "visibility": "private"},
            {"kind": "whatsapp", "value": phone, "label": "Présidente", "visibility": "private"},
        ]

    def _head_office(self, home: Commune) -> Place:
        head_office = self.ref.head_offices.get(home.pcode)
        if head_office is None:
            raise ValueError(f"no locality in the commune {home.pcode} for a head office")
        return head_office

    def _organisation(self, index: int) -> OrganisationPlan:
        rng = self.rng
        home = self.draws.pick(rng)
        head_office = self._head_office(home)
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
        home = self.draws.pick(rng)
        head_office = self._head_office(home)
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
        members_so_far: dict[int, int] = {}
        for member in range(organisations):
            chosen = [first_network + member % networks]
            if rng.random() < 0.2:
                chosen.append(rng.choice([n for n in range(first_network, first_network + networks)
                                          if n != chosen[0]]))
            for network in chosen:
                rank = members_so_far.get(network, 0)
                members_so_far[network] = rank + 1
                role = MEMBERSHIP_ROLES[min(rank, len(MEMBERSHIP_ROLES) - 1)]
                self.plan.memberships.append(MembershipPlan(network, member, role, self._since(member, network)))
                joined.setdefault(member, set()).add(network)
        self.plan.coordinated_network = first_network
        self.plan.editor_organisation = 0  # member 0 joined the first network, in turn
        applicant = next((m for m in range(organisations) if first_network not in joined[m]), None)
        if applicant is not None:
            self.plan.memberships.append(MembershipPlan(first_network, applicant, "member", self.today,
                                                        pending=True))

    # Interventions and zones

    def _interventions(self, organisations: int, zones: int) -> None:
        rng = self.rng
        sizes = []  # zones per intervention, 1 to 3, adding up to exactly `zones`
        planned = 0
        while planned < zones:
            sizes.append(min(rng.choice((1, 1, 2, 2, 3)), zones - planned))
            planned += sizes[-1]
        # Use every method at least once; the rest by weight, in random order.
        methods = list(METHOD_WEIGHTS)[:zones] + rng.choices(list(METHOD_WEIGHTS), weights=list(
            METHOD_WEIGHTS.values()), k=max(0, zones - len(METHOD_WEIGHTS)))
        rng.shuffle(methods)
        everyone = list(range(len(self.plan.organisations)))  # members first, then networks
        weights = [3 if index < organisations else 1 for index in everyone]
        cumulative = list(accumulate(weights))
        self._accepted_networks: dict[int, list[int]] = {}
        for m in self.plan.memberships:
            if not m.pending:
                self._accepted_networks.setdefault(m.member, []).append(m.network)
        self._members = [i for i, o in enumerate(self.plan.organisations) if not o.is_network]
        position = 0
        for number, size in enumerate(sizes):
            owner = everyone[number] if number < len(everyone) else rng.choices(everyone, cum_weights=cumulative)[0]
            zone_methods = methods[position:position + size]
            position += size
            self.plan.interventions.append(self._intervention(owner, zone_methods))
        self._showcase_states()

    def _showcase_states(self) -> None:
        """States the demo accounts need to try something: exactly one rejected declaration and a draft for the
        editor, a submitted, restricted declaration of another member for the coordinator to validate (she is
        among the few who see restricted records: the demo shows it), and a validated restricted one, so that the
        public numbers and the coordinators' and donors' full numbers differ on every demo, however small."""
        plan = self.plan
        editors = [i for i in plan.interventions if i.organisation == plan.editor_organisation]
        if editors:
            editors[0].validation = "rejected"
        if len(editors) > 1:
            editors[1].validation = "draft"
        members = {m.member for m in plan.memberships
                   if m.network == plan.coordinated_network and not m.pending} - {plan.editor_organisation}
        others = [i for i in plan.interventions if i.organisation in members]
        if others:
            others[0].validation = "submitted"
            others[0].fields["sensitivity"] = "restricted"
        validated = [i for i in plan.interventions[::-1] if i.validation == "validated" and i.organisation in members
                     and i is not (others[0] if others else None)]
        if validated and not any(i.validation == "validated" and i.fields["sensitivity"] == "restricted"
                                 for i in plan.interventions):
            validated[0].fields["sensitivity"] = "restricted"

    def _dates(self, status: str) -> tuple[date, date | None]:
        rng, today = self.rng, self.today
        if status == "completed":
            start = today - timedelta(days=rng.randint(400, 2500))
            return start, min(start + timedelta(days=rng.randint(90, 720)), today - timedelta(days=30))
        if status == "planned":
            start = today + timedelta(days=rng.randint(15, 240))
            length = rng.randint(90, 720)
            return start, (start + timedelta(days=length)) if rng.random() < 0.7 else None
        start = today - timedelta(days=rng.randint(30, 900))
        length = rng.randint(30, 720)
        return start, (today + timedelta(days=length)) if rng.random() < 0.5 else None  # half open-ended

    def _intervention(self, owner: int, zone_methods: list[str]) -> InterventionPlan:
        rng, ref, draws, plan = self.rng, self.ref, self.draws, self.plan
        organisation = plan.organisations[owner]
        if not organisation.is_network and rng.random() < HOME_REGION_SHARE:
            anchor = draws.pick(rng, draws.by_region[organisation.home.region_pcode])
        else:
            anchor = draws.pick(rng)
        # An intervention's further zones stay in the same cercle, as real projects do, each in another commune
        # while the cercle has one (two zones of one project rarely overlap).
        communes = [anchor]
        for _ in zone_methods[1:]:
            cercle = draws.by_cercle[anchor.cercle_pcode]
            others = [c for c in cercle if c not in communes and c.women] if len(cercle) > len(communes) else []
            # (not draws.pick: its weights are cached by list identity, and this list is a new one each time)
            communes.append(rng.choices(others, weights=[c.women for c in others])[0] if others
                            else draws.pick(rng, cercle))
        zones = [self._site(owner, method, commune) for method, commune in zip(zone_methods, communes, strict=True)]

        domain = rng.choice(sorted(ref.domains))
        children = ref.domains[domain]
        themes = [domain] + rng.sample(children, k=rng.randint(0, min(2, len(children))))
        if len(themes) == 1 and rng.random() < 0.3:
            themes.append(rng.choice([d for d in sorted(ref.domains) if d != domain]))
        stem = rng.choice(TITLE_STEMS.get(domain, [DEFAULT_TITLE_STEM]))
        where = anchor.display_name if len(zones) == 1 else f"cercle de {accented(anchor.cercle_name)}"
        status = _weighted(rng, STATUS_WEIGHTS)
        start, end = self._dates(status)
        targeted = rng.randrange(50, 5001, 50)
        reached = {"completed": round(targeted * rng.uniform(0.6, 1.1)),
                   "ongoing": round(targeted * rng.uniform(0.1, 0.7))}.get(status)
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
        memberships = self._accepted_networks.get(owner, [])
        others = self._members if organisation.is_network else [i for i in self._members if i != owner]
        return InterventionPlan(
            organisation=owner, fields=fields, themes=themes,
            action_kinds=rng.sample(ref.action_kinds, k=rng.randint(1, 2)),
            target_groups=rng.sample(ref.target_groups, k=rng.randint(1, 3)),
            funders=rng.sample(range(len(plan.funders)), k=rng.choices([0, 1, 2], weights=[20, 60, 20])[0]),
            partner=rng.choice(others) if others and rng.random() < 0.1 else None,
            declared_by_network=rng.choice(memberships) if memberships and rng.random() < 0.1 else None,
            validation=_weighted(rng, VALIDATION_WEIGHTS), zones=zones,
        )

    def _site(self, owner: int, method: str, commune: Commune) -> ZonePlan:
        """The zone of an organisation's intervention in a commune: often one it already works in there (the same
        shape again, a copy), else a new one. In a town, a place-centred zone is mostly the commune itself."""
        rng = self.rng
        if method != "picked" and (commune.area_km2 or RURAL_AREA_KM2) < URBAN_AREA_KM2 \
                and rng.random() < URBAN_PICKED_SHARE:
            method = "picked"
        sites = self.sites.setdefault((owner, commune.pcode, method), [])
        if sites and rng.random() < SITE_REUSE:
            return dataclasses.replace(rng.choice(sites))
        zone = self._zone(method, commune)
        sites.append(zone)
        return zone

    def _zone(self, method: str, commune: Commune) -> ZonePlan:
        rng, ref = self.rng, self.ref
        if method == "picked":
            if rng.random() < 0.1:  # occasionally a whole cercle
                return ZonePlan(method, f"Cercle de {accented(commune.cercle_name)}",
                                unit_pcodes=[commune.cercle_pcode])
            neighbours = [self.draws.by_pcode[pcode] for pcode in ref.neighbours.get(commune.pcode, [])]
            picked = [commune] + rng.sample(neighbours, k=min(len(neighbours), rng.randint(0, 2)))
            names = ", ".join(c.display_name for c in picked)
            return ZonePlan(method, f"Commune{'s' if len(picked) > 1 else ''} : {names}",
                            unit_pcodes=[c.pcode for c in picked])
        places = ref.places.get(commune.pcode)
        if not places:
            raise ValueError(f"no locality inside the commune {commune.pcode}")
        place = rng.choice(places)
        if method == "buffer":
            radius = round(self._size_km(commune, BUFFER_RADIUS_KM))
            return ZonePlan(method, f"{radius} km autour de {place.name}", locality_pcode=place.pcode,
                            radius_km=radius)
        return ZonePlan(method, f"Zone dessinée autour de {place.name}",
                        geometry=self._hexagon(place, self._size_km(commune, DRAWN_SIZE_KM)))

    def _size_km(self, commune: Commune, bounds: tuple[float, float]) -> float:
        """A zone's radius on the scale of its commune: a share of the radius of a disc of the commune's area."""
        disc_radius = math.sqrt((commune.area_km2 or RURAL_AREA_KM2) / math.pi)
        return min(max(disc_radius * self.rng.uniform(*ZONE_SCALE), bounds[0]), bounds[1])

    def _hexagon(self, place: Place, size_km: float) -> dict:
        """A rough hexagon of about size_km around a place, as a person would draw it (GeoJSON, lon/lat). Its
        corners turn by 40° to 80° each, always counter-clockwise round the place, so the ring never crosses
        itself."""
        rng = self.rng
        turn = rng.uniform(0, 60)
        ring = []
        for corner in range(6):  # counter-clockwise, as GeoJSON wants exterior rings
            angle = math.radians(turn + 60 * corner + rng.uniform(-10, 10))
            radius = size_km * rng.uniform(0.8, 1.2)
            ring.append([round(place.lon + radius * math.cos(angle) / (111.32 * math.cos(math.radians(place.lat))), 5),
                         round(place.lat + radius * math.sin(angle) / 110.57, 5)])
        return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}
