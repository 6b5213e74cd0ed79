"""Zones blanches: the units without any coverage for the chosen themes (and other filters), ranked by women
without coverage, on a map and in a table; organisations working on those themes next door are suggested."""
from dash import Output, Patch, ctx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import data, figures, state
from . import common, tables

PATH = "zones-blanches"
NAME = "zones-blanches"
DRAWS_MAP = True  # app.py asks for its geometries with the page
TITLE = gettext_lazy("Zones blanches")
P = "gap"
TABLE_TITLE = gettext_lazy("Unités sans couverture, par femmes sans couverture")


def layout(filters: state.Filters, options: common.Options) -> list:
    return [
        *common.page_heading(_("Zones blanches"), _(
            "Les unités où aucune intervention ne couvre les thèmes choisis, classées par nombre de femmes sans "
            "couverture. Les organisations qui travaillent sur ces thèmes dans les unités voisines sont proposées "
            "comme partenaires possibles.")),
        common.filter_bar(filters, options),
        common.status_line(P),
        common.graph(f"{P}-map", NAME),
        tables.block(P, TABLE_TITLE),
    ]


def build_table(context: common.Context, filters: state.Filters) -> figures.Table:
    return figures.gaps_table(data.gaps_frame(context.audience, filters), level=filters.level)


def register(app) -> None:
    tables.register(app, P, TABLE_TITLE, tables.cached(P, build_table))

    @app.callback(
        Output(f"{P}-map", "figure"), *tables.outputs(P),
        Output(f"{P}-summary", "children"), Output(f"{P}-demo", "children"),
        *common.FILTER_INPUTS, common.BOUNDS_STATE,
        tables.order_state(P),
    )
    @common.in_language
    def update(*values):
        *filter_values, bounds, order = values
        context = common.request_context()
        filters = common.filters_from(filter_values, bounds)
        gaps = data.gaps_frame(context.audience, filters)
        chosen = data.selection(context.audience, filters)
        if ctx.triggered_id in (None, "f-level"):
            figure = figures.gaps_map(data.units_frame(filters.level), gaps, common.geometry_url(filters.level),
                                      level=filters.level)
        else:
            figure = Patch()
            values = figures.layered_values(gaps, value="women_uncovered", hover=figures.gaps_hover(),
                                            colorbar=_("Femmes sans couverture"))
            for key, value in values.items():
                figure["data"][1][key] = value
        table = figures.gaps_table(gaps, level=filters.level)
        tables.TABLES.put(tables.table_key(P, context, filters), table)
        units = len(data.units_frame(filters.level))
        summary = _("%(gaps)s unités sur %(units)s sans aucune couverture, %(women)s femmes.") % {
            "gaps": len(gaps), "units": units, "women": figures.formatted(gaps["women_uncovered"].sum())}
        return (figure, *tables.first_page(P, TABLE_TITLE, table, order),
                [summary, " ", common.audience_note(context.audience)], common.demo_note(chosen.has_demo))
