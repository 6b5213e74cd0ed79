"""The views' tables, drawn on the server as plain HTML tables, with their CSV and XLSX exports.

A table shows one page of rows; the buttons of its header sort by a column (the header says how, aria-sort), its
previous and next buttons page. Both are answered by the server, as a filter change is: the table last computed for
a person and filters is kept for a short while (RecentCache), so paging, sorting and exports do not recompute it; on
a miss (another worker, expired) it is simply computed again. Numbers are written as the active language writes
them, right-aligned. The browser loads no table component: dash_table's scripts weighed some 130 KB on the wire.

Where a table stands (page, sort column and direction) is kept in the page, in a dcc.Store beside it
({prefix}-order), read back as anything a browser may send (order_from).
"""
from collections.abc import Callable
from dataclasses import dataclass

from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate
from django.utils.translation import gettext as _

from .. import exports, figures, state
from ..cache import RecentCache
from ..figures import Table
from . import common

PAGE_SIZE = 15
DECIMALS = {"integer": 0, "decimal": 1, "percent": 1}  # the kinds written as numbers, and their decimals
MAX_COLUMN_ID_LENGTH = 60
TABLES = RecentCache()


@dataclass(frozen=True)
class Order:
    """Which page of a table is shown, sorted by which column (None: as computed) and which way."""

    page: int = 0
    column: str | None = None
    descending: bool = False

    def data(self) -> dict:
        return {"page": self.page, "column": self.column, "descending": self.descending}


def order_from(value) -> Order:
    """The order kept in the page ({prefix}-order), or the default one for anything else."""
    if not isinstance(value, dict):
        return Order()
    page, column = value.get("page"), value.get("column")
    return Order(page=page if isinstance(page, int) and not isinstance(page, bool) and page >= 0 else 0,
                 column=column if isinstance(column, str) and 0 < len(column) <= MAX_COLUMN_ID_LENGTH else None,
                 descending=value.get("descending") is True)


def moved(order: Order, trigger, prefix: str) -> Order:
    """The order after a click on the previous or next button, or on a column's sort button (the same column
    again turns the direction round; another column sorts ascending from the first page)."""
    if trigger == f"{prefix}-previous":
        return Order(max(0, order.page - 1), order.column, order.descending)
    if trigger == f"{prefix}-next":
        return Order(order.page + 1, order.column, order.descending)
    column = trigger.get("column") if isinstance(trigger, dict) else None
    if isinstance(column, str):
        return Order(0, column, not order.descending if column == order.column else False)
    return order


def sorted_frame(table: Table, order: Order):
    """The rows in the order asked for, on the server across the whole table; an unknown column keeps them as
    computed. Missing values last, ties in their computed order."""
    sortable = {column_id for column_id, _label, kind in table.columns if kind != "link"}
    if order.column in sortable and order.column in table.frame.columns:
        return table.frame.sort_values(order.column, ascending=not order.descending, na_position="last",
                                       kind="stable")
    return table.frame


def page_count(table: Table) -> int:
    return max(1, -(-len(table.frame) // PAGE_SIZE))


# --- Drawing ------------------------------------------------------------------------------------------------


def _missing(value) -> bool:
    try:
        return value is None or value != value  # NaN
    except (TypeError, ValueError):
        return False


def _numeric(kind: str) -> dict:
    """The class of the cells of a column of numbers (right-aligned), none for the others."""
    return {"className": "number"} if kind in DECIMALS else {}


def cell(value, kind: str, link_text: str | None = None) -> html.Td:
    """A cell: numbers as the active language writes them (12 345,6), right-aligned; links as links; missing
    values empty (as in the exports)."""
    if _missing(value) or value == "":
        return html.Td("", **_numeric(kind))
    if kind in DECIMALS:
        return html.Td(figures.formatted(value, DECIMALS[kind]), className="number")
    if kind == "link":
        return html.Td(html.A(link_text or value, href=value))
    return html.Td(str(value))


def body(table: Table, frame) -> list[html.Tr]:
    """The rows of a frame of the table; a single row saying so when there is none."""
    if frame.empty:
        return [html.Tr(html.Td(_("Aucune ligne pour ces filtres."), colSpan=len(table.columns)))]
    kinds = [(column_id, kind, table.links.get(column_id)) for column_id, _label, kind in table.columns]
    return [html.Tr([cell(row[column_id], kind, text) for column_id, kind, text in kinds])
            for row in frame[[c[0] for c in kinds]].to_dict("records")]


def header(prefix: str, column: tuple, order: Order) -> html.Th:
    """A column's header: its label as a button that sorts by it (links are not sorted)."""
    column_id, label, kind = column
    if kind == "link":
        return html.Th(label, scope="col")
    sort = {"aria-sort": "descending" if order.descending else "ascending"} if order.column == column_id else {}
    return html.Th(scope="col", **_numeric(kind), **sort, children=html.Button(
        label, id={"type": f"{prefix}-sort", "column": column_id}, className="sort", type="button"))


def pager(prefix: str, page: int, pages: int) -> html.Nav:
    return html.Nav(className="pager", **{"aria-label": _("Pages du tableau")}, children=[
        html.Button(_("Page précédente"), id=f"{prefix}-previous", className="button", type="button",
                    disabled=page == 0),
        html.Span(_("Page %(page)s sur %(pages)s") % {"page": page + 1, "pages": pages}, role="status"),
        html.Button(_("Page suivante"), id=f"{prefix}-next", className="button", type="button",
                    disabled=page >= pages - 1),
    ])


def shown(prefix: str, caption, table: Table, order: Order) -> tuple[list, dict]:
    """The table's page the order asks for (the last one if it asks beyond), drawn, and the order to keep."""
    pages = page_count(table)
    order = Order(min(order.page, pages - 1), order.column, order.descending)
    rows = sorted_frame(table, order).iloc[order.page * PAGE_SIZE:(order.page + 1) * PAGE_SIZE]
    drawn = html.Table(className="data-table", children=[
        html.Caption(str(caption), className="visually-hidden"),
        html.Thead(html.Tr([header(prefix, column, order) for column in table.columns])),
        html.Tbody(body(table, rows)),
    ])
    return [drawn, pager(prefix, order.page, pages)], order.data()


def whole(table: Table, caption) -> html.Table:
    """A small table shown whole, in the computed order (a unit's interventions)."""
    return html.Table(className="data-table", children=[
        html.Caption(str(caption), className="visually-hidden"),
        html.Thead(html.Tr([html.Th(label, scope="col", **_numeric(kind)) for _id, label, kind in table.columns])),
        html.Tbody(body(table, table.frame)),
    ])


def block(prefix: str, title, *, first_page: tuple[list, dict] | None = None) -> html.Section:
    """A view's table, filled by the view's callback (or drawn already: first_page, as first_page() gives it), with
    its CSV and XLSX export buttons."""
    return html.Section(className="table-block", children=[
        html.Div(className="table-head", children=[
            html.H2(str(title)),
            html.Div(className="exports", children=[
                html.Button(_("Exporter CSV"), id=f"{prefix}-csv", n_clicks=0, className="button"),
                html.Button(_("Exporter XLSX"), id=f"{prefix}-xlsx", n_clicks=0, className="button"),
                dcc.Download(id=f"{prefix}-download"),
            ]),
        ]),
        html.Div(id=f"{prefix}-table", className="table-scroll", children=first_page[0] if first_page else None),
        dcc.Store(id=f"{prefix}-order", data=first_page[1] if first_page else Order().data()),
    ])


# --- Callbacks ----------------------------------------------------------------------------------------------


def outputs(prefix: str) -> list[Output]:
    """What a view's main callback gives its table: the first page drawn, and the order (sort kept, page 0)."""
    return [Output(f"{prefix}-table", "children"), Output(f"{prefix}-order", "data")]


def order_state(prefix: str) -> State:
    return State(f"{prefix}-order", "data")


def first_page(prefix: str, caption, table: Table, order) -> tuple[list, dict]:
    """After a filter change: the first page, in the order the person chose."""
    kept = order_from(order)
    return shown(prefix, caption, table, Order(0, kept.column, kept.descending))


def export(table: Table, order: Order, kind: str) -> dict:
    """The whole table, in the order shown."""
    ordered = Table(sorted_frame(table, order), table.columns, table.name, table.notes, table.links)
    if kind == "xlsx":
        return dcc.send_bytes(exports.to_xlsx(ordered), exports.filename(ordered, "xlsx"))
    return dcc.send_bytes(exports.to_csv(ordered), exports.filename(ordered, "csv"), type="text/csv")


def table_key(prefix: str, context: common.Context, filters: state.Filters) -> tuple:
    return prefix, context.audience, context.language, filters


def cached(prefix: str, build: Callable[[common.Context, state.Filters], Table]):
    """table_for (see register) of a view whose table depends on the filters only."""
    def table_for(context: common.Context, filters: state.Filters, _extra: tuple) -> Table:
        return TABLES.get(table_key(prefix, context, filters), lambda: build(context, filters))

    return table_for


def register(app, prefix: str, caption, table_for: Callable[[common.Context, state.Filters, tuple], Table],
             extra_states: tuple = ()) -> None:
    """Paging, sorting and exports of a view's table. The view's main callback draws the first page itself;
    these answer the later clicks. table_for(context, filters, values of extra_states) gives the table."""

    @app.callback(
        Output(f"{prefix}-table", "children", allow_duplicate=True),
        Output(f"{prefix}-order", "data", allow_duplicate=True),
        Input(f"{prefix}-previous", "n_clicks"), Input(f"{prefix}-next", "n_clicks"),
        Input({"type": f"{prefix}-sort", "column": ALL}, "n_clicks"),
        order_state(prefix), *common.FILTER_STATES, common.BOUNDS_STATE, *extra_states,
        prevent_initial_call=True,
    )
    @common.in_language
    def page_or_sort(_previous, _next, _sorts, order, *values):
        # Buttons drawn anew (a new page, a filter change) are no click: nothing to answer.
        if not ctx.triggered_id or not ctx.triggered[0].get("value"):
            raise PreventUpdate
        return shown(prefix, caption, _table(table_for, values), moved(order_from(order), ctx.triggered_id, prefix))

    @app.callback(
        Output(f"{prefix}-download", "data"),
        Input(f"{prefix}-csv", "n_clicks"), Input(f"{prefix}-xlsx", "n_clicks"),
        order_state(prefix), *common.FILTER_STATES, common.BOUNDS_STATE, *extra_states,
        prevent_initial_call=True,
    )
    @common.in_language
    def download(_csv_clicks, _xlsx_clicks, order, *values):
        kind = "xlsx" if ctx.triggered_id == f"{prefix}-xlsx" else "csv"
        return export(_table(table_for, values), order_from(order), kind)


def _table(table_for, values: tuple) -> Table:
    """The table for the values of FILTER_STATES, BOUNDS_STATE and the extra states, in that order."""
    count = len(common.FILTER_IDS)
    return table_for(common.request_context(), common.filters_from(values[:count], values[count]),
                     tuple(values[count + 1:]))
