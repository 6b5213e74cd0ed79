"""Read-only queries on the shared vocabulary: what the site's map and the dashboard offer to filter by, and the
labels they show, in the active language."""
from .models import Funder, Theme


def theme_domains() -> list[Theme]:
    """The active domains in the taxonomy's order, each with its sub-domains prefetched (all of them, in the
    taxonomy's order): callers choose whether an inactive sub-domain is still offered."""
    return list(Theme.objects.filter(parent=None, is_active=True).order_by("position", "code")
                .prefetch_related("children"))


def theme_labels() -> dict[str, str]:
    """Theme code -> label in the active language (domains and sub-domains)."""
    return {theme.code: theme.label for theme in Theme.objects.all()}


def domain_labels() -> dict[str, str]:
    """Theme domain code -> label in the active language, in the taxonomy's order (inactive domains included:
    past interventions still name them)."""
    return {theme.code: theme.label for theme in Theme.objects.filter(parent__isnull=True).order_by("position", "code")}


def funder_names() -> dict[int, str]:
    """Funder id -> name, by name."""
    return dict(Funder.objects.order_by("name").values_list("id", "name"))
