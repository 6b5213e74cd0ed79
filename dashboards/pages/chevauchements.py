"""Chevauchements: where interventions of different organisations on the same theme and period overlap, as a map
per unit and a list of pairs with the shared area and women; the network filter narrows to one network."""
from dash import Output, Patch, State, ctx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import data, figures, state
from . import common

PATH = "chevauchements"
NAME = "chevauchements"
TITLE = gettext_lazy("Chevauchements")
P = "ovl"


def layout(filters: state.Filters, options: common.Options) -> list:
    return [
        *common.page_heading(_("Chevauchements"), _(
            "Là où des interventions d'organisations différentes, sur un même thème et une même période, se "
            "recouvrent : une duplication possible à coordonner. Choisissez un réseau pour ne voir que ses "
            "membres.")),
        common.filter_bar(filters, options),
        common.status_line(P),
        common.graph(f"{P}-map", NAME),
        common.table_block(P, _("Paires d'interventions qui se recouvrent")),
    ]


def overlaps(context: common.Context, filters: state.Filters):
    """The pairs and the units where they overlap; none until a theme is chosen. Looking for every possible pair
    across all themes at once takes the analytics selector a minute on 2,000 zones (one theme, a few seconds)."""
    if not filters.themes:
        return figures.no_overlaps()
    return data.overlaps_frames(context.audience, filters)


def build_table(context: common.Context, filters: state.Filters) -> figures.Table:
    pairs, _by_unit = overlaps(context, filters)
    return figures.overlaps_table(pairs)


def register(app) -> None:
    common.register_table(app, P, build_table)

    @app.callback(
        Output(f"{P}-map", "figure"), *common.table_outputs(P),
        Output(f"{P}-summary", "children"), Output(f"{P}-demo", "children"),
        *common.FILTER_INPUTS, common.BOUNDS_STATE,
        State(f"{P}-table", "page_current"), State(f"{P}-table", "sort_by"),
    )
    @common.in_language
    def update(*values):
        *filter_values, bounds, page_current, sort_by = values
        context = common.request_context()
        filters = common.filters_from(filter_values, bounds)
        pairs, by_unit = overlaps(context, filters)
        chosen = data.selection(context.audience, filters)
        if ctx.triggered_id in (None, "f-level"):
            figure = figures.overlaps_map(data.units_frame(filters.level), by_unit,
                                          common.geometry_url(filters.level), level=filters.level)
        else:
            figure = Patch()
            for key, value in figures.overlaps_values(by_unit).items():
                figure["data"][1][key] = value
        table = figures.overlaps_table(pairs)
        common.TABLES.put(common.table_key(P, context, filters), table)
        if filters.themes:
            summary = _("%(pairs)s paires d'interventions se recouvrent, dans %(units)s unités.") % {
                "pairs": len(pairs), "units": len(by_unit)}
        else:
            summary = _("Choisissez un ou plusieurs thèmes : les chevauchements se cherchent thème par thème.")
        return (figure, *common.first_page(table, page_current, sort_by),
                [summary, " ", common.audience_note(context.audience)], common.demo_note(chosen.has_demo))
