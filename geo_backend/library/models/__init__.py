"""The library: documents and their files, advocacy campaigns, events with recommendations, and news."""
from .campaigns import Campaign
from .documents import Document, DocumentFile, Language, Licence
from .events import MAX_PARTICIPANTS, Event, NewsItem, Recommendation

__all__ = ["MAX_PARTICIPANTS", "Campaign", "Document", "DocumentFile", "Event", "Language", "Licence", "NewsItem",
           "Recommendation"]
