"""Feeds of public records only: iCalendar for events, Atom for news and for new documents."""
from datetime import timedelta

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from geo_backend.organisations.access import VISITOR

from .selectors.advocacy import events_visible, news_visible
from .selectors.documents import documents_visible

FEED_SIZE = 50


def events_calendar(request):
    """GET /flux/evenements.ics: public events of the last year and to come, for calendar applications."""
    calendar = Calendar()
    calendar.add("prodid", "-//Musoya//Evenements//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Musoya : événements")
    since = timezone.now() - timedelta(days=365)
    for event in events_visible(VISITOR).filter(starts_at__gte=since).order_by("starts_at")[:500]:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.id}@musoya")
        entry.add("dtstamp", event.updated_at)
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at or event.starts_at + timedelta(hours=2))
        entry.add("summary", event.title + (" (exemple fictif)" if event.is_demo and "fictif" not in event.title
                                            else ""))
        where = ", ".join(part for part in (event.venue, event.locality.name if event.locality else "",
                                            event.place.name if event.place else "") if part)
        if where:
            entry.add("location", where)
        entry.add("description", f"{event.organisation.name}\n\n{event.summary}".strip())
        entry.add("url", request.build_absolute_uri(reverse("library:event", args=[event.id])))
        calendar.add_component(entry)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="musoya-evenements.ics"'
    return response


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Musoya : actualités")
    subtitle = _("Les actualités publiques des organisations et réseaux")

    def link(self):
        return reverse("library:events")

    def items(self):
        return news_visible(VISITOR).order_by("-published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        if item.event_id:
            return reverse("library:event", args=[item.event_id])
        return reverse("library:events") + f"#actualite-{item.id}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organisation.name


class DocumentsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Musoya : nouveaux documents")
    subtitle = _("Les documents publics récemment ajoutés à la bibliothèque")

    def link(self):
        return reverse("library:index")

    def items(self):
        return documents_visible(VISITOR).select_related("organisation").order_by("-created_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return reverse("library:document", args=[item.id])

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organisation.name
