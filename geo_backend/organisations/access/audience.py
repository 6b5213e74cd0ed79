"""Who a person is: her Audience (roles, computed once per request from her accounts, groups and the organisations
she edits or coordinates), and the refusals every other module raises (not signed in, forbidden)."""
from dataclasses import dataclass

from geo_backend.common.errors import DomainError

ADMIN_GROUP = "administrateurs"
DONOR_GROUP = "bailleurs"


@dataclass(frozen=True)
class Audience:
    """What one person is, computed once per request."""

    user_id: int | None = None
    is_admin: bool = False
    is_donor: bool = False
    editor_of: frozenset = frozenset()  # organisations whose records this person edits
    coordinator_of: frozenset = frozenset()  # active networks this person coordinates
    coordinated_members: frozenset = frozenset()  # accepted members of those networks

    @property
    def is_visitor(self) -> bool:
        return self.user_id is None

    @property
    def restricted_readable(self) -> frozenset:
        """Organisations whose restricted records (and exact coarse zones) this person reads, administrators aside:
        her own, and the accepted members of the active networks she coordinates."""
        return self.editor_of | self.coordinated_members

    @property
    def sees_every_restricted_record(self) -> bool:
        """Every organisation's restricted records: administrators only."""
        return self.is_admin

    @property
    def sees_restricted_analytics(self) -> bool:
        """Analytics computed over every record: coordinators of an active network, administrators and donors."""
        return self.is_admin or self.is_donor or bool(self.coordinator_of)

    @property
    def reviews_declarations(self) -> bool:
        """Whether this person has a validation queue: coordinators of an active network and administrators."""
        return self.is_admin or bool(self.coordinator_of)


VISITOR = Audience()


def audience_for(user) -> Audience:
    """The Audience of a Django user (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return VISITOR
    cached = getattr(user, "_musoya_audience", None)
    if cached is not None:
        return cached
    from ..models import Membership, Organisation, OrganisationRole

    roles = list(OrganisationRole.objects.filter(user=user)
                 .values_list("organisation_id", "role", "organisation__status"))
    editor_of = frozenset(org for org, _role, _status in roles)  # a coordinator also edits the network's records
    # A pending (or archived) network grants nothing: coordinator powers start when an administrator activates it.
    coordinator_of = frozenset(org for org, role, status in roles
                               if role == OrganisationRole.Role.COORDINATOR and status == Organisation.Status.ACTIVE)
    members = frozenset(
        Membership.objects.filter(network_id__in=coordinator_of, status=Membership.Status.ACCEPTED)
        .values_list("member_id", flat=True)
    ) if coordinator_of else frozenset()
    group_names = set(user.groups.values_list("name", flat=True))
    audience = Audience(
        user_id=user.pk,
        is_admin=user.is_superuser or ADMIN_GROUP in group_names,
        is_donor=DONOR_GROUP in group_names,
        editor_of=editor_of,
        coordinator_of=coordinator_of,
        coordinated_members=members,
    )
    user._musoya_audience = audience
    return audience


def forbidden(message_fr: str, message_en: str) -> DomainError:
    return DomainError("forbidden", message_fr, message_en, status_code=403)


def require_signed_in(audience: Audience) -> None:
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)


def require_admin(audience: Audience) -> None:
    require_signed_in(audience)
    if not audience.is_admin:
        raise forbidden("Réservé aux administrateurs de la plateforme.", "Platform administrators only.")


def _refuse_unless(allowed: bool, audience: Audience, message_fr: str, message_en: str) -> None:
    require_signed_in(audience)
    if not allowed:
        raise forbidden(message_fr, message_en)
