"""The library: documents and their files, advocacy campaigns, events with recommendations, and news."""
from .campaigns import Campaign
from .documents import Document, DocumentFile, Language, Licence
from .events import Event, NewsItem, Recommendation

__all__ = ["Campaign", "Document", "DocumentFile", "Event", "Language", "Licence", "NewsItem", "Recommendation"]
