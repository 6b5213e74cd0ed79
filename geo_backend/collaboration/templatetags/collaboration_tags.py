"""Template tags the site's shared templates use: the unread notifications in the header, and an organisation's
partnerships and actions on its profile."""
from django import template

from geo_backend.organisations import access
from geo_backend.organisations.access import audience_for
from geo_backend.organisations.models import Organisation

from ..selectors import notifications as notification_selectors
from ..selectors import partnerships as partnership_selectors
from ..services.notifications import notification_text

register = template.Library()
HEADER_LIMIT = 5


@register.inclusion_tag("collaboration/_notifications_menu.html", takes_context=True)
def notifications_menu(context):
    """The header's notification list: the latest unread ones (a <details> list: no script needed)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    audience = audience_for(user)
    unread = list(notification_selectors.notifications_of(audience, unread=True)[:HEADER_LIMIT])
    return {"show": True, "count": notification_selectors.unread_count(audience) if unread else 0,
            "unread": [(n, notification_text(n)) for n in unread]}


@register.inclusion_tag("collaboration/_profile_collaboration.html", takes_context=True)
def profile_collaboration(context, organisation: Organisation):
    """On an organisation's profile: its accepted partnerships, and what the person reading may do from here."""
    request = context.get("request")
    audience = audience_for(getattr(request, "user", None))
    mine = sorted(audience.editor_of - {organisation.id})
    return {
        "organisation": organisation,
        "partnerships": partnership_selectors.partnerships_of_organisation(audience, organisation.id),
        "can_edit": audience.is_admin or organisation.id in audience.editor_of,
        "can_invite": access.can_invite_editor(audience, organisation_id=organisation.id),
        "propose_as": mine[0] if len(mine) == 1 and organisation.status == "active" else None,
        "can_propose": bool(mine) and organisation.status == "active",
        "can_ask_to_join": organisation.is_network and bool(audience.editor_of - {organisation.id}),
    }


@register.inclusion_tag("collaboration/_espace_links.html", takes_context=True)
def espace_collaboration(context):
    """In "Mon espace": where to find partnerships, memberships, trainings, mentoring, the self-assessment and the
    needs of the networks one coordinates."""
    request = context.get("request")
    audience = audience_for(getattr(request, "user", None))
    return {"has_organisation": bool(audience.editor_of),
            "networks": Organisation.objects.filter(id__in=audience.coordinator_of).order_by("name")}
