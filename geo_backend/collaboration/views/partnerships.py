"""Partnership pages: the public list and map, an organisation's partnerships, proposing one (prefilled from an
overlap of the dashboard), reading one with its history, and answering it."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from geo_backend.common.errors import DomainError
from geo_backend.organisations import access
from geo_backend.regions.selectors import edition_resolve

from ..forms import PartnershipForm
from ..models import Partnership
from ..selectors import partnerships as selectors
from ..services import partnerships as services
from .common import organisations_spoken_for, posted_version, show_refusal, who


def public_list(request):
    """Accepted partnerships, on a map (static/collaboration/partnerships-map.js) and as a list."""
    partnerships = (selectors.partnerships_visible(who(request)).filter(status=Partnership.Status.ACCEPTED)
                    .order_by("-since", "-id"))
    return render(request, "collaboration/partnerships_public.html", {"partnerships": partnerships[:300]})


@login_required
def mine(request):
    audience = who(request)
    mine_q = access.partnership_parties_q(audience) if not audience.is_admin else Q(
        proposer_id__in=audience.editor_of) | Q(partner_id__in=audience.editor_of)
    partnerships = selectors.partnerships_visible(audience).filter(mine_q).order_by("-updated_at")
    return render(request, "collaboration/partnerships_mine.html", {
        "to_answer": [p for p in partnerships if p.status == "proposed" and p.partner_id in audience.editor_of],
        "sent": [p for p in partnerships if p.status == "proposed" and p.proposer_id in audience.editor_of],
        "accepted": [p for p in partnerships if p.status == "accepted"],
        "past": [p for p in partnerships if p.status in ("declined", "withdrawn", "ended")],
        "can_propose": bool(audience.editor_of),
    })


@login_required
def propose(request):
    """GET: the form, prefilled from the query (?organisation=&partenaire=&communes=ML…,ML…&themes=vbg,…), as the
    dashboard's overlaps view links it. POST: the proposal, through the service."""
    audience = who(request)
    proposers = organisations_spoken_for(audience)
    if not proposers.exists():
        messages.error(request, _("Votre compte ne parle au nom d'aucune organisation."))
        return redirect("web:espace")
    edition = edition_resolve(None)
    # The communes offered as checkboxes: those of the overlap the form was opened from.
    offered = request.POST.get("offered", "") if request.method == "POST" else request.GET.get("communes", "")
    # P-codes only: anything else (a NUL byte was a 500) cannot name a commune.
    communes = [c.strip().upper() for c in offered.split(",") if c.strip().isalnum() and len(c.strip()) <= 20][:200]
    if request.method == "POST":
        form = PartnershipForm(request.POST, proposers=proposers, edition=edition, communes=communes)
        if form.is_valid():
            try:
                partnership = services.partnership_propose(
                    audience=audience, proposer=form.cleaned_data["proposer"], partner=form.cleaned_data["partner"],
                    role=form.cleaned_data["role"], areas=form.areas(), themes=list(form.cleaned_data["themes"]),
                    message=form.cleaned_data["message"])
            except DomainError as error:
                show_refusal(request, error)
            else:
                messages.success(request, _("Proposition envoyée : l'organisation partenaire est prévenue."))
                return redirect("collaboration:partnership", pk=partnership.pk)
    else:
        initial = {"proposer": request.GET.get("organisation") or (proposers.first().pk if proposers.count() == 1
                                                                   else None),
                   "partner": request.GET.get("partenaire"), "communes": communes,
                   "themes": [t for t in request.GET.get("themes", "").split(",") if t],
                   "role": "coordination"}
        form = PartnershipForm(initial=initial, proposers=proposers, edition=edition, communes=communes)
    return render(request, "collaboration/partnership_propose.html", {"form": form, "offered": ",".join(communes)})


def detail(request, pk):
    """One partnership: public once accepted; its message, history and answer forms for the two organisations."""
    audience = who(request)
    partnership = get_object_or_404(selectors.partnerships_visible(audience), pk=pk)
    party = not audience.is_visitor and selectors.is_party(audience, partnership)
    return render(request, "collaboration/partnership_detail.html", {
        "partnership": partnership,
        "data": selectors.partnership_as_dict(audience, partnership, party=party),
        "can_answer": partnership.status == "proposed" and access.can_answer_partnership(
            audience, partner_id=partnership.partner_id, proposed_by_id=partnership.proposed_by_id),
        "own_proposal": partnership.status == "proposed" and partnership.proposed_by_id == audience.user_id,
        "can_withdraw": partnership.status == "proposed" and access.can_withdraw_partnership(
            audience, proposer_id=partnership.proposer_id),
        "can_end": partnership.status == "accepted" and access.can_end_partnership(
            audience, proposer_id=partnership.proposer_id, partner_id=partnership.partner_id),
    })


ACTIONS = {
    "accepter": (services.partnership_accept, gettext_lazy("Partenariat accepté : il apparaît sur les deux profils.")),
    "decliner": (services.partnership_decline, gettext_lazy("Proposition déclinée.")),
    "retirer": (services.partnership_withdraw, gettext_lazy("Proposition retirée.")),
    "terminer": (services.partnership_end, gettext_lazy("Partenariat terminé.")),
}


@login_required
@require_POST
def act(request, pk, action):
    audience = who(request)
    partnership = get_object_or_404(selectors.partnerships_visible(audience), pk=pk)
    if action not in ACTIONS:
        return redirect("collaboration:partnership", pk=pk)
    service, done = ACTIONS[action]
    try:
        service(audience=audience, partnership=partnership, expected_version=posted_version(request),
                note=request.POST.get("note", "")[:2000])
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(request, str(done))
    return redirect("collaboration:partnership", pk=pk)
