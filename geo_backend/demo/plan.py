"""The plain data the planner reads (the reference) and writes (the plan). No Django: dataclasses only.

Everything refers to places by P-code (communes, cercles, localities) and to the taxonomy by code; the writer
turns those into ids in SQL. Organisations, networks and funders are referred to by their index in the plan.
"""
from dataclasses import dataclass, field
from datetime import date

from .vocabulary import ACCENTED, NETWORK_KIND_CODES

# --- What the planner reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    pcode: str
    name: str
    cercle_pcode: str
    cercle_name: str
    region_pcode: str
    women: int  # women population of POPULATION_YEAR: the weight of the commune in every draw
    lon: float  # a point inside the commune (its "centroid" for maps and tests)
    lat: float
    area_km2: float | None = None  # None: unknown, zones get the sizes of a rural commune

    @property
    def display_name(self) -> str:
        """The name for titles: the urban commune "Segou Commune" reads "Ségou", and Bamako's "Commune I" reads
        "Commune I de Bamako"."""
        if self.name.startswith("Commune "):
            return f"{self.name} de Bamako"
        name = self.name.removesuffix(" Commune")
        return ACCENTED.get(name, name)


@dataclass(frozen=True)
class Place:
    """A locality (village, town) of the gazetteer."""

    pcode: str
    name: str
    lon: float
    lat: float


@dataclass
class Reference:
    """The reference numbers the planner draws from. Lists are in P-code (or code) order so that the same seed
    draws the same choices."""

    communes: list[Commune]
    neighbours: dict[str, list[str]]  # commune P-code -> P-codes of the communes sharing a border with it
    places: dict[str, list[Place]]  # commune P-code -> the localities inside its boundary (at least one)
    head_offices: dict[str, Place]  # commune P-code -> its chief town
    domains: dict[str, list[str]]  # theme domain code -> its sub-theme codes
    action_kinds: list[str]
    target_groups: list[str]


# --- What the planner writes ---------------------------------------------------------------------------------


@dataclass
class OrganisationPlan:
    name: str
    kind: str
    description: str
    founded_year: int
    home: Commune
    head_office: Place
    contacts: list[dict]  # each {kind, value, label, visibility}

    @property
    def is_network(self) -> bool:
        return self.kind in NETWORK_KIND_CODES


@dataclass
class MembershipPlan:
    network: int  # indexes into DemoPlan.organisations
    member: int
    role: str
    since: date
    pending: bool = False  # an application awaiting the network's answer


@dataclass
class ZonePlan:
    method: str  # "picked", "buffer" or "drawn"
    label: str
    unit_pcodes: list[str] | None = None  # picked: communes or one cercle
    locality_pcode: str | None = None  # buffer: the centre
    radius_km: float | None = None
    geometry: dict | None = None  # drawn: a GeoJSON Polygon in longitude/latitude


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
    today: date
    organisations: list[OrganisationPlan] = field(default_factory=list)
    memberships: list[MembershipPlan] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    interventions: list[InterventionPlan] = field(default_factory=list)
    editor_organisation: int = 0  # the demo editor's organisation, an accepted member of…
    coordinated_network: int = 0  # …this network, which the demo coordinator coordinates

    @property
    def zones(self) -> list[ZonePlan]:
        return [zone for intervention in self.interventions for zone in intervention.zones]
