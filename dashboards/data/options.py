"""What the dashboard's filters offer, and the labels of the codes it shows, in the active language: the same
selectors as the site's map filters (taxonomy, organisations, zones)."""
import datetime as dt


def theme_options() -> list[dict]:
    """Active themes, domains first then their active sub-domains, labelled in the active language (the domains
    the site's map offers: taxonomy.selectors.theme_domains)."""
    from geo_backend.taxonomy.selectors import theme_domains

    options = []
    for domain in theme_domains():
        options.append({"label": domain.label, "value": domain.code})
        options += [{"label": f"{domain.label} › {child.label}", "value": child.code}
                    for child in domain.children.all() if child.is_active]
    return options


def theme_labels() -> dict[str, str]:
    """Theme code -> label in the active language (domains and sub-domains)."""
    from geo_backend.taxonomy.selectors import theme_labels as labels

    return labels()


def domain_labels() -> dict[str, str]:
    """Theme domain code -> label in the active language, in the taxonomy's order."""
    from geo_backend.taxonomy.selectors import domain_labels as labels

    return labels()


def network_options() -> list[dict]:
    """Active platforms, alliances and networks."""
    from geo_backend.organisations.selectors import networks_listed

    return [{"label": name, "value": pk} for pk, name in networks_listed().values_list("id", "name")]


def funder_options() -> list[dict]:
    """Every funder, by name."""
    from geo_backend.taxonomy.selectors import funder_names

    return [{"label": name, "value": pk} for pk, name in funder_names().items()]


def year_bounds(today: dt.date | None = None) -> tuple[int, int]:
    """The years the period slider offers: from the earliest start to the latest end of the validated
    interventions, within 2012 (the mobilisation the platform documents) and three years from now."""
    from geo_backend.zones.selectors import validated_interventions_dates

    this_year = (today or dt.date.today()).year
    first_start, last_start, last_end = validated_interventions_dates()
    first = first_start.year if first_start else this_year - 5
    last = max([d.year for d in (last_start, last_end) if d] or [this_year])
    low = min(max(first, 2012), this_year)
    high = max(min(last, this_year + 3), this_year)
    return low, high
