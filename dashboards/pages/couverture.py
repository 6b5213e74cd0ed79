"""Couverture: organisations present, share of women covered or women per organisation, per region, cercle or
commune; hover shows the unit's figures, a click lists who works there, on what, since when."""
import logging

from dash import Input, Output, Patch, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import data, figures, state
from . import common, tables

PATH = ""
NAME = "couverture"
DRAWS_MAP = True  # app.py asks for its geometries with the page
TITLE = gettext_lazy("Couverture")
P = "cov"
TABLE_TITLE = gettext_lazy("Chiffres par unité")
logger = logging.getLogger(__name__)


def layout(filters: state.Filters, options: common.Options) -> list:
    first = _first_answer(filters)
    figure, page, order, summary, demo = first or (None, None, None, None, None)
    return [
        *common.page_heading(_("Couverture"), _(
            "Où travaillent les organisations de défense des droits des femmes : nombre d'organisations, part des "
            "femmes couvertes ou femmes par organisation, pour les thèmes, réseaux, bailleurs et la période "
            "choisis. Survolez une unité pour ses chiffres, cliquez pour voir qui y travaille.")),
        common.filter_bar(filters, options, show_metric=True),
        common.status_line(P, summary=summary, demo=demo),
        dcc.Store(id=f"{P}-drawn-for", data=state.to_query(filters) if first else None),
        html.Div(className="map-and-detail", children=[
            common.graph(f"{P}-map", NAME, figure=figure),
            html.Aside(id=f"{P}-detail", className="detail", children=[
                html.H2(_("Détail d'une unité")),
                html.P(_("Cliquez sur une unité de la carte pour voir qui y travaille, sur quoi et depuis quand.")),
            ]),
        ]),
        tables.block(P, TABLE_TITLE, first_page=(page, order) if first else None),
    ]


def _first_answer(filters: state.Filters) -> tuple | None:
    """The first answer, drawn with the layout (the map, the table's first page, the summary): on a first visit the
    map then needs no callback's round trip after Dash's scripts have run. None when no boundaries are loaded yet,
    or when measuring failed (past the statement budget, say): the page still loads whole, and the view's callback
    answers instead (and says what went wrong)."""
    if not data.boundaries_loaded():
        return None
    try:
        return _answer(common.request_context(), filters, order=None)
    except DatabaseError:
        logger.warning("coverage view: first answer not drawn with the layout", exc_info=True)
        return None


def build_table(context: common.Context, filters: state.Filters) -> figures.Table:
    frame = data.coverage_frame(context.audience, filters)
    return figures.coverage_table(frame, data.units_frame(filters.level), level=filters.level)


def _answer(context: common.Context, filters: state.Filters, order, *, figure_patch: bool = False) -> tuple:
    """(map figure, or a Patch of its measured values; the table's first page and order; summary; demo note)."""
    frame = data.coverage_frame(context.audience, filters)
    chosen = data.selection(context.audience, filters)
    if figure_patch:  # same units in the same order: only the measured trace's values change
        figure = Patch()
        for key, value in figures.coverage_values(frame, filters.metric).items():
            figure["data"][1][key] = value
    else:
        figure = figures.coverage_map(frame, common.geometry_url(filters.level), metric=filters.metric,
                                      level=filters.level)
    table = figures.coverage_table(frame, data.units_frame(filters.level), level=filters.level)
    tables.TABLES.put(tables.table_key(P, context, filters), table)
    women, covered = frame["women"].sum(), frame["women_covered"].sum()
    summary = _("%(organisations)s organisations, %(interventions)s interventions : %(covered)s femmes "
                "couvertes sur %(women)s (%(share)s %%).") % {
        "organisations": chosen.organisations, "interventions": chosen.interventions,
        "covered": figures.formatted(covered), "women": figures.formatted(women),
        "share": figures.formatted(covered / women * 100 if women else 0, 1)}
    return (figure, *tables.first_page(P, TABLE_TITLE, table, order),
            [summary, " ", common.audience_note(context.audience)], common.demo_note(chosen.has_demo))


def register(app) -> None:
    tables.register(app, P, TABLE_TITLE, tables.cached(P, build_table))

    @app.callback(
        Output(f"{P}-map", "figure"), *tables.outputs(P),
        Output(f"{P}-summary", "children"), Output(f"{P}-demo", "children"),
        *common.FILTER_INPUTS, common.BOUNDS_STATE,
        tables.order_state(P), State(f"{P}-drawn-for", "data"),
    )
    @common.in_language
    def update(*values):
        *filter_values, bounds, order, drawn_for = values
        filters = common.filters_from(filter_values, bounds)
        if ctx.triggered_id is None and drawn_for == state.to_query(filters):
            raise PreventUpdate  # the layout drew this answer already
        return _answer(common.request_context(), filters, order,
                       figure_patch=ctx.triggered_id not in (None, "f-level"))

    @app.callback(
        Output(f"{P}-detail", "children"),
        Input(f"{P}-map", "clickData"), *common.FILTER_STATES, common.BOUNDS_STATE,
        prevent_initial_call=True,
    )
    @common.in_language
    def detail(click, *values):
        pcode = state.clicked_pcode(click)
        if pcode is None:
            return no_update
        context = common.request_context()
        filters = common.filters_from(values[:-1], values[-1])
        units = data.units_frame(filters.level).set_index("pcode")
        if pcode not in units.index:
            return no_update
        frame = data.unit_interventions_frame(context.audience, filters, pcode)
        table = figures.unit_table(frame)
        heading = units.at[pcode, "name"]
        if units.at[pcode, "parent_name"]:
            heading = f"{heading} ({units.at[pcode, 'parent_name']})"
        children = [html.H2(heading)]
        if frame.empty:
            children.append(html.P(_("Aucune intervention visible pour ces filtres.")))
        else:
            children += [
                html.P(_("%(count)s interventions visibles, par organisation :") % {"count": len(frame)}),
                html.Div(tables.whole(table, _("Interventions visibles dans %(unit)s") % {"unit": heading}),
                         className="table-scroll"),
            ]
            if frame["is_demo"].any():
                children.append(html.P(str(figures.DEMO_NOTE), className="demo-note"))
        if not context.audience.sees_every_restricted_record:
            children.append(html.P(_("Les interventions restreintes ne sont listées que pour leur organisation et "
                                     "la coordination de ses réseaux."), className="hint"))
        return children
