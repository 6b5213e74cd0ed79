"""The library: documents, campaigns, events and news. Every library record has an owning organisation and a
visibility:
  public   everyone (once the owning organisation is active);
  members  signed-in people (accounts belong to organisations, networks, donors and administrators);
  private  the owning organisation's editors (a network's coordinators edit the network's own records) and
           platform administrators.
Pages, API, search, feeds and file downloads all filter through visible_library_q."""
from django.db.models import Q

from geo_backend.common.errors import DomainError

from .audience import Audience, forbidden


def visible_library_q(audience: Audience, prefix: str = "") -> Q:
    """The library records (Document, Campaign, Event, NewsItem, or via prefix) this audience may see."""
    p = prefix
    if audience.is_admin:
        return Q()
    levels = ["public"] if audience.is_visitor else ["public", "members"]
    shown = Q(**{f"{p}visibility__in": levels, f"{p}organisation__status": "active"})
    if audience.is_visitor:
        return shown
    return shown | Q(**{f"{p}organisation_id__in": audience.editor_of})


def visible_documents_q(audience: Audience, prefix: str = "") -> Q:
    """The documents this audience may see (and find by search, and download)."""
    return visible_library_q(audience, prefix)


def can_edit_library_record(audience: Audience, *, organisation_id: int) -> bool:
    """The owning organisation's editors and administrators change a document, campaign, event or news item."""
    return audience.is_admin or organisation_id in audience.editor_of


def can_edit_document(audience: Audience, *, organisation_id: int) -> bool:
    return can_edit_library_record(audience, organisation_id=organisation_id)


def require_library_editor(audience: Audience, *, organisation_id: int) -> None:
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
    if not can_edit_library_record(audience, organisation_id=organisation_id):
        raise forbidden("Vous ne pouvez publier et modifier que les documents, campagnes et événements de votre "
                        "organisation.",
                        "You can only publish and change your own organisation's documents, campaigns and events.")
