"""Réseaux: per network, its members' coverage together, and the themes each member covers."""
from dash import Output, html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import data, figures, state
from . import common, tables

PATH = "reseaux"
NAME = "reseaux"
TITLE = gettext_lazy("Réseaux")
P = "net"
TABLE_TITLE = gettext_lazy("Membres des réseaux et thèmes couverts")


def layout(filters: state.Filters, options: common.Options) -> list:
    return [
        *common.page_heading(_("Réseaux"), _(
            "Pour chaque plateforme, alliance ou réseau : la couverture de ses membres ensemble, sur tout le pays, "
            "et les thèmes sur lesquels chaque membre intervient.")),
        common.filter_bar(filters, options, show_level=False),
        common.status_line(P),
        html.Div(className="two-charts", children=[
            common.graph(f"{P}-rollup", "reseaux-couverture", height=300),
            common.graph(f"{P}-themes", "reseaux-themes", height=300),
        ]),
        tables.block(P, TABLE_TITLE),
    ]


def build_table(context: common.Context, filters: state.Filters) -> figures.Table:
    rollup = data.network_rollup_frame(context.audience, filters)
    members = data.member_themes_frame(context.audience, filters)
    return figures.member_themes_table(members, rollup, data.domain_labels())


def register(app) -> None:
    tables.register(app, P, TABLE_TITLE, tables.cached(P, build_table))

    @app.callback(
        Output(f"{P}-rollup", "figure"), Output(f"{P}-themes", "figure"), *tables.outputs(P),
        Output(f"{P}-summary", "children"), Output(f"{P}-demo", "children"),
        *common.FILTER_INPUTS, common.BOUNDS_STATE,
        tables.order_state(P),
    )
    @common.in_language
    def update(*values):
        *filter_values, bounds, order = values
        context = common.request_context()
        filters = common.filters_from(filter_values, bounds)
        domains = data.domain_labels()
        rollup = data.network_rollup_frame(context.audience, filters)
        members = data.member_themes_frame(context.audience, filters)
        chosen = data.selection(context.audience, filters)
        bar = figures.rollup_bar(rollup, name_column="network",
                                 title=_("Femmes couvertes par les membres de chaque réseau"))
        heat = figures.theme_heatmap(members.assign(row=members["member"]), row_column="row", theme_labels=domains,
                                     title=_("Interventions des membres, par thème"))
        table = figures.member_themes_table(members, rollup, domains)
        tables.TABLES.put(tables.table_key(P, context, filters), table)
        summary = _("%(networks)s réseaux, %(members)s membres.") % {
            "networks": len(rollup), "members": members["member"].nunique()}
        return (bar, heat, *tables.first_page(P, TABLE_TITLE, table, order),
                [summary, " ", common.audience_note(context.audience)], common.demo_note(chosen.has_demo))
