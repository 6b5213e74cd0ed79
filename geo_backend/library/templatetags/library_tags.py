"""Template filters of the library's pages."""
from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """12:05 or 1:02:05 (hours only when needed)."""
    if seconds in (None, ""):
        return ""
    total = round(float(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def download_seconds(size_bytes, kbit_per_second=780) -> str:
    """About how long a download takes on a slow mobile link (780 kbit/s by default), for people who pay per MB."""
    if not size_bytes:
        return ""
    seconds = int(size_bytes) * 8 / (int(kbit_per_second) * 1000)
    if seconds < 60:
        return _("moins d'une minute") if seconds >= 5 else _("quelques secondes")
    return _("environ %(minutes)s min") % {"minutes": round(seconds / 60)}
