"""Membership pages over the organisations app's services (which decide who may do what): an organisation asks
to join a network, the network's coordinator answers; a network invites an organisation, its editor answers."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from geo_backend.common.errors import DomainError
from geo_backend.organisations import selectors as organisation_selectors
from geo_backend.organisations import services as organisation_services
from geo_backend.organisations.models import Membership, Organisation

from .common import posted_version, show_refusal, who

OPEN = ("applied", "invited", "accepted")


@login_required
def memberships(request):
    audience = who(request)
    links = Membership.objects.select_related("network", "member").order_by("network__name", "member__name")
    own = links.filter(member_id__in=audience.editor_of)
    of_my_networks = links.filter(network_id__in=audience.coordinator_of)
    my_organisations = Organisation.objects.filter(id__in=audience.editor_of).order_by("name")
    my_networks = Organisation.objects.filter(id__in=audience.coordinator_of).order_by("name")
    mine = Q(member_id__in=audience.editor_of) | Q(network_id__in=audience.coordinator_of)
    linked = set(Membership.objects.filter(mine, status__in=OPEN).values_list("network_id", "member_id"))
    active = Organisation.objects.filter(status=Organisation.Status.ACTIVE).order_by("name")
    return render(request, "collaboration/memberships.html", {
        "invitations_to_answer": own.filter(status="invited"),
        "my_applications": own.filter(status="applied"),
        "my_networks_memberships": own.filter(status="accepted"),
        "applications_to_answer": of_my_networks.filter(status="applied"),
        "invitations_sent": of_my_networks.filter(status="invited"),
        "members": of_my_networks.filter(status="accepted"),
        "my_organisations": my_organisations,
        "my_networks": my_networks,
        "networks_to_join": [n for n in active.filter(kind__in=Organisation.NETWORK_KINDS)
                             if not all((n.id, m.id) in linked or n.id == m.id for m in my_organisations)],
        "organisations_to_invite": [o for o in active if not all((n.id, o.id) in linked or n.id == o.id
                                                                 for n in my_networks)],
        "chosen_network": request.GET.get("reseau", ""),
    })


def _organisation(value) -> Organisation:
    if not str(value or "").isdigit():
        raise Http404
    return get_object_or_404(Organisation, pk=int(value))


@login_required
@require_POST
def membership_request(request):
    """Ask to join (member = one of my organisations) or invite (network = one I coordinate): the service decides."""
    network, member = _organisation(request.POST.get("network")), _organisation(request.POST.get("member"))
    try:
        created = organisation_services.membership_apply(audience=who(request), network=network, member=member)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(request, {
            "applied": _("Demande envoyée : la coordination du réseau est prévenue."),
            "invited": _("Invitation envoyée : l'organisation est prévenue."),
        }.get(created.status, _("Adhésion enregistrée.")))
    return redirect("collaboration:memberships")


@login_required
@require_POST
def membership_answer(request, pk, action):
    audience = who(request)
    membership = get_object_or_404(organisation_selectors.memberships_visible(audience), pk=pk)
    try:
        version = posted_version(request)
        if action == "terminer":
            organisation_services.membership_end(audience=audience, membership=membership, expected_version=version)
            messages.success(request, _("Adhésion terminée."))
        elif action in ("accepter", "refuser"):
            organisation_services.membership_decide(audience=audience, membership=membership,
                                                    expected_version=version, accept=action == "accepter")
            messages.success(request, _("Adhésion acceptée.") if action == "accepter" else _("Adhésion refusée."))
    except DomainError as error:
        show_refusal(request, error)
    return redirect("collaboration:memberships")
