"""Bailleurs: coverage by funder and theme, the OECD gender-marker split, and coverage over the years of the
chosen period, to show what changed."""
from dash import Output, html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import data, figures, state
from . import common, tables

PATH = "bailleurs"
NAME = "bailleurs"
TITLE = gettext_lazy("Bailleurs")
P = "fun"
TABLE_TITLE = gettext_lazy("Couverture et marqueur genre par bailleur")
MAX_YEARS = 10  # the yearly series costs one coverage query per year (the last years of the period)


def layout(filters: state.Filters, options: common.Options) -> list:
    return [
        *common.page_heading(_("Bailleurs"), _(
            "Ce que couvrent les interventions de chaque bailleur, par thème, leur marqueur genre de l'OCDE, et "
            "l'évolution de la couverture année par année sur la période choisie.")),
        common.filter_bar(filters, options, show_level=False),
        common.status_line(P),
        html.Div(className="two-charts", children=[
            common.graph(f"{P}-rollup", "bailleurs-couverture", height=300),
            common.graph(f"{P}-markers", "bailleurs-marqueur-genre", height=300),
        ]),
        html.Div(className="two-charts", children=[
            common.graph(f"{P}-themes", "bailleurs-themes", height=300),
            common.graph(f"{P}-years", "couverture-annees", height=300),
        ]),
        tables.block(P, TABLE_TITLE),
    ]


def build_table(context: common.Context, filters: state.Filters) -> figures.Table:
    return figures.funder_table(data.funder_frame(context.audience, filters))


def years_of(filters: state.Filters, bounds) -> list[int]:
    low, high = state.period_value(filters, common.bounds_from(bounds))
    return list(range(max(low, high - MAX_YEARS + 1), high + 1))


def register(app) -> None:
    tables.register(app, P, TABLE_TITLE, tables.cached(P, build_table))

    @app.callback(
        Output(f"{P}-rollup", "figure"), Output(f"{P}-markers", "figure"), Output(f"{P}-themes", "figure"),
        *tables.outputs(P), Output(f"{P}-summary", "children"), Output(f"{P}-demo", "children"),
        *common.FILTER_INPUTS, common.BOUNDS_STATE,
        tables.order_state(P),
    )
    @common.in_language
    def update(*values):
        *filter_values, bounds, order = values
        context = common.request_context()
        filters = common.filters_from(filter_values, bounds)
        funders = data.funder_frame(context.audience, filters)
        themes = data.funder_themes_frame(context.audience, filters)
        chosen = data.selection(context.audience, filters)
        themes["funder"] = themes["funder"].fillna(_("Sans bailleur déclaré"))
        domains = data.domain_labels()
        table = figures.funder_table(funders)
        tables.TABLES.put(tables.table_key(P, context, filters), table)
        summary = _("%(funders)s bailleurs ; %(interventions)s interventions comptées.") % {
            "funders": len(funders), "interventions": chosen.interventions}
        return (figures.rollup_bar(funders, name_column="funder", title=_("Femmes couvertes par bailleur")),
                figures.gender_marker_bar(funders),
                figures.theme_heatmap(themes, row_column="funder", theme_labels=domains,
                                      title=_("Interventions par bailleur et par thème")),
                *tables.first_page(P, TABLE_TITLE, table, order),
                [summary, " ", common.audience_note(context.audience)], common.demo_note(chosen.has_demo))

    @app.callback(Output(f"{P}-years", "figure"), *common.FILTER_INPUTS, common.BOUNDS_STATE)
    @common.in_language
    def over_time(*values):
        context = common.request_context()
        filters = common.filters_from(values[:-1], values[-1])
        years = years_of(filters, values[-1])
        return figures.coverage_over_time(data.coverage_by_year_frame(context.audience, filters, years))
