"""What every page needs: editions' attribution lines, whether demo data is shown, and the map's vocabulary."""
from django.conf import settings
from django.urls import reverse

from geo_backend.organisations.models import Organisation
from geo_backend.organisations.selectors import networks_listed
from geo_backend.regions.models import AdminUnit, Edition
from geo_backend.taxonomy.selectors import theme_domains

# One colour per theme domain on the map, distinguishable for common colour-vision deficiencies.
DOMAIN_COLOURS = ["#7a1f5c", "#1f77b4", "#d95f02", "#1b9e77", "#6a3d9a", "#b15928", "#e7298a", "#4d4d4d"]


def site(request):
    """Template context processor (settings.TEMPLATES)."""
    return {
        "attributions": list(Edition.objects.order_by("-is_default").values_list("attribution", flat=True)),
        "demo_data_shown": Organisation.objects.filter(is_demo=True).exists(),
        "musoya_debug": settings.DEBUG,
    }


def map_vocabulary(request) -> dict:
    """Themes (with colours), networks and regions for the map's filters, in the active language."""
    domains = theme_domains()
    return {
        "themes": [{"code": t.code, "label": t.label, "colour": DOMAIN_COLOURS[i % len(DOMAIN_COLOURS)],
                    "children": [c.code for c in t.children.all()]} for i, t in enumerate(domains)],
        "networks": list(networks_listed().values("id", "name")),
        "regions": list(AdminUnit.objects.filter(edition__is_default=True, level=1).order_by("name")
                        .values("pcode", "name")),
        "profile_url": reverse("web:profile", args=["__slug__"]),
    }
