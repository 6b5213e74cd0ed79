"""Pure figure and table builders: DataFrames in, Plotly figures and labelled tables out.

No database and no Dash here; tested without a browser. Labels are translated with Django's gettext in the language
active when they are called (the callbacks wrap them in translation.override).

The maps are choropleths keyed by P-code with two traces: a light base layer of every unit (so units without a
value still show), then the measured units. Their `geojson` is an address (the web geometries served by app.py,
cached by the browser) or a dict; either way the filter-change answers never carry geometry: they patch only the
measured trace's values (coverage_values, layered_values).
"""
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .state import METRICS

MAP_HEIGHT = 520
BASE_COLOUR = "#ececec"
BORDER_COLOUR = "#ffffff"
DEMO_NOTE = gettext_lazy("Données de démonstration fictives")
METRIC_LABELS = {
    "organisations": gettext_lazy("Organisations présentes"),
    "femmes": gettext_lazy("Part des femmes couvertes (%)"),
    "femmes-par-organisation": gettext_lazy("Femmes par organisation"),
}
LEVEL_LABELS = {1: gettext_lazy("Régions"), 2: gettext_lazy("Cercles"), 3: gettext_lazy("Communes")}
UNIT_LABELS = {1: gettext_lazy("Région"), 2: gettext_lazy("Cercle"), 3: gettext_lazy("Commune")}
MARKER_LABELS = {
    "marker_2": gettext_lazy("Marqueur 2 : objectif principal"),
    "marker_1": gettext_lazy("Marqueur 1 : objectif significatif"),
    "marker_0": gettext_lazy("Marqueur 0 : non ciblé"),
    "marker_none": gettext_lazy("Marqueur non renseigné"),
}
MARKER_COLOURS = {"marker_2": "#54278f", "marker_1": "#9e9ac8", "marker_0": "#dadaeb", "marker_none": "#bdbdbd"}
COLORSCALES = {"organisations": "Purples", "femmes": "Purples", "femmes-par-organisation": "Oranges"}


def separators() -> str:
    """Plotly's decimal and thousands separators for the active language (French: 12 345,6)."""
    return ".," if (get_language() or "fr").startswith("en") else ", "


def formatted(value, decimals: int = 0) -> str:
    """A number as the active language writes it; "—" when missing."""
    if value is None or pd.isna(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    if separators() == ", ":
        text = text.replace(",", " ").replace(".", ",")
    return text


def _choropleth(geojson, **values) -> dict:
    """A choropleth trace keyed by P-code, thin white borders."""
    return {"type": "choropleth", "geojson": geojson, "featureidkey": "properties.pcode",
            "marker": {"line": {"color": BORDER_COLOUR, "width": 0.5}}, **values}


def _base_layer(locations: list[str], geojson) -> dict:
    return _choropleth(geojson, locations=locations, z=[0] * len(locations), showscale=False, hoverinfo="skip",
                       colorscale=[[0, BASE_COLOUR], [1, BASE_COLOUR]], name="base")


def _map(traces: list[dict], *, title: str, revision: str) -> go.Figure:
    """The figure of a map. Its traces are built here, already valid: Plotly's per-element validation of arrays
    of 701 communes would cost some 60 ms per answer, so it is skipped."""
    layout = {"title": {"text": title, "x": 0.01, "font": {"size": 16}}, "height": MAP_HEIGHT,
              "margin": {"l": 0, "r": 0, "t": 40, "b": 0}, "separators": separators(), "uirevision": revision,
              "dragmode": "pan",
              "geo": {"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"}}}
    return go.Figure(data=traces, layout=layout, _validate=False)


# --- Coverage ------------------------------------------------------------------------------------------------


def metric_z(frame: pd.DataFrame, metric: str) -> list:
    """The values the coverage map shows for a metric: organisations, % of women covered, women per organisation
    (None where no organisation works: drawn in the base colour)."""
    column = METRICS[metric]
    if metric == "femmes":
        return [round(v * 100, 1) for v in frame[column].fillna(0)]
    if metric == "femmes-par-organisation":
        return [None if pd.isna(v) else round(v) for v in frame[column]]
    return [int(v) for v in frame[column].fillna(0)]


def coverage_values(frame: pd.DataFrame, metric: str) -> dict:
    """The measured trace's values: what a filter change sends (no locations, no geometry)."""
    customdata = [
        [int(row.organisations), int(row.interventions), round(float(row.women_share_covered) * 100, 1),
         round(float(row.women_covered)), round(float(row.women)), formatted(row.women_per_organisation)]
        for row in frame.itertuples()
    ]
    hovertemplate = (
        "<b>%{text}</b><br>"
        + _("Organisations : %{customdata[0]}") + "<br>"
        + _("Interventions : %{customdata[1]}") + "<br>"
        + _("Femmes couvertes : %{customdata[3]:,.0f} sur %{customdata[4]:,.0f} (%{customdata[2]:.1f} %)") + "<br>"
        + _("Femmes par organisation : %{customdata[5]}")
        + "<extra></extra>"
    )
    z = metric_z(frame, metric)
    highest = max([v for v in z if v is not None], default=0)
    zmax = 100 if metric == "femmes" else max(highest, 1)
    return {"z": z, "customdata": customdata, "hovertemplate": hovertemplate, "zmin": 0, "zmax": zmax,
            "colorscale": COLORSCALES[metric], "colorbar": {"title": {"text": str(METRIC_LABELS[metric])}}}


def coverage_map(frame: pd.DataFrame, geojson, *, metric: str, level: int) -> go.Figure:
    """Choropleth of a coverage frame (one row per unit, by P-code) for a metric; hover shows the unit's figures."""
    locations = frame["pcode"].tolist()
    measured = _choropleth(geojson, locations=locations, text=frame["name"].tolist(), name="coverage",
                           **coverage_values(frame, metric))
    title = _("Couverture par unité — %(level)s") % {"level": LEVEL_LABELS[level]}
    return _map([_base_layer(locations, geojson), measured], title=title, revision=f"coverage-{level}")


# --- Gaps and overlaps: a value on some units only ------------------------------------------------------------


def layered_values(frame: pd.DataFrame, *, value: str, hover: str, colorbar: str) -> dict:
    """The measured trace of a map that shows only some units (gaps, overlaps): locations change with filters."""
    return {"locations": frame["pcode"].tolist(), "z": [round(float(v)) for v in frame[value]],
            "text": frame["name"].tolist(), "hovertemplate": hover, "colorbar": {"title": {"text": colorbar}}}


def gaps_hover() -> str:
    return "<b>%{text}</b><br>" + _("Femmes sans couverture : %{z:,.0f}") + "<extra></extra>"


def gaps_map(units: pd.DataFrame, gaps: pd.DataFrame, geojson, *, level: int) -> go.Figure:
    """Every unit in the base colour, the units without coverage by their number of women."""
    values = layered_values(gaps, value="women_uncovered", hover=gaps_hover(), colorbar=_("Femmes sans couverture"))
    measured = _choropleth(geojson, colorscale="Reds", name="gaps", **values)
    title = _("Zones blanches — %(level)s sans aucune couverture") % {"level": LEVEL_LABELS[level]}
    return _map([_base_layer(units["pcode"].tolist(), geojson), measured], title=title, revision=f"gaps-{level}")


def overlaps_hover() -> str:
    return ("<b>%{text}</b><br>" + _("Femmes dans les zones partagées : %{z:,.0f}") + "<br>"
            + _("Paires d'interventions : %{customdata[0]}") + "<extra></extra>")


def overlaps_values(by_unit: pd.DataFrame) -> dict:
    values = layered_values(by_unit, value="women_shared", hover=overlaps_hover(),
                            colorbar=_("Femmes dans les zones partagées"))
    values["customdata"] = [[int(n)] for n in by_unit["pairs"]]
    return values


def no_overlaps() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Empty (pairs, by unit) frames, shaped like data.overlaps_frames'."""
    return (pd.DataFrame(columns=["organisation_a", "intervention_a", "organisation_b", "intervention_b", "themes",
                                  "period_start", "period_end", "shared_km2", "women_shared", "units", "coordinated",
                                  "propose_url"]),
            pd.DataFrame(columns=["pcode", "name", "pairs", "shared_km2", "women_shared"]))


def overlaps_map(units: pd.DataFrame, by_unit: pd.DataFrame, geojson, *, level: int) -> go.Figure:
    measured = _choropleth(geojson, colorscale="Oranges", name="overlaps", **overlaps_values(by_unit))
    title = _("Chevauchements — %(level)s où des interventions se recouvrent") % {"level": LEVEL_LABELS[level]}
    return _map([_base_layer(units["pcode"].tolist(), geojson), measured], title=title,
                revision=f"overlaps-{level}")


# --- Charts --------------------------------------------------------------------------------------------------


def _chart_layout(figure: go.Figure, *, title: str, height: int = 380) -> go.Figure:
    figure.update_layout(title={"text": title, "x": 0.01, "font": {"size": 16}}, height=height,
                         margin={"l": 10, "r": 10, "t": 50, "b": 40}, separators=separators(),
                         plot_bgcolor="white")
    figure.update_xaxes(gridcolor="#eee", automargin=True)
    figure.update_yaxes(gridcolor="#eee", automargin=True)
    return figure


def _short(name: str, length: int = 48) -> str:
    return name if len(name) <= length else name[:length - 1] + "…"


def rollup_bar(frame: pd.DataFrame, *, name_column: str, title: str) -> go.Figure:
    """Horizontal bars of the women covered per group (network or funder), with its other figures on hover."""
    ordered = frame.sort_values("women_covered")
    figure = go.Figure(go.Bar(
        y=[_short(n) for n in ordered[name_column]], x=[round(v) for v in ordered["women_covered"]],
        orientation="h", marker_color="#6a51a3", text=[formatted(v) for v in ordered["women_covered"]],
        textposition="auto",
        customdata=[[n, int(o), int(i), round(s * 100, 1)] for n, o, i, s in zip(
            ordered[name_column], ordered["organisations"], ordered["interventions"],
            ordered["women_share_covered"], strict=True)],
        hovertemplate=("<b>%{customdata[0]}</b><br>" + _("Femmes couvertes : %{x:,.0f}") + "<br>"
                       + _("Part des femmes du pays : %{customdata[3]:.1f} %") + "<br>"
                       + _("Organisations : %{customdata[1]}") + "<br>" + _("Interventions : %{customdata[2]}")
                       + "<extra></extra>"),
    ))
    figure.update_xaxes(title_text=_("Femmes couvertes (population 2017)"))
    return _chart_layout(figure, title=title, height=max(260, 60 + 38 * len(ordered)))


def theme_heatmap(frame: pd.DataFrame, *, row_column: str, theme_labels: dict, title: str) -> go.Figure:
    """Interventions per row (member, funder) and theme domain."""
    table = frame.pivot_table(index=row_column, columns="domain", values="interventions", aggfunc="sum",
                              fill_value=0) if not frame.empty else pd.DataFrame()
    columns = [code for code in theme_labels if code in table.columns]
    rows = list(table.index)
    figure = go.Figure(go.Heatmap(
        z=table[columns].astype(int).values.tolist() if rows else [],
        x=[_short(theme_labels[code], 28) for code in columns], y=list(range(len(rows))),
        customdata=[[str(r)] * len(columns) for r in rows],
        colorscale="Purples", colorbar={"title": {"text": _("Interventions")}}, xgap=2, ygap=2,
        hovertemplate="%{customdata}<br>%{x}<br>" + _("Interventions : %{z}") + "<extra></extra>",
    ))
    figure.update_yaxes(autorange="reversed", tickmode="array", tickvals=list(range(len(rows))),
                        ticktext=[_short(str(r)) for r in rows])
    figure.update_xaxes(tickangle=-40)
    return _chart_layout(figure, title=title, height=max(320, 230 + 26 * len(rows)))


def gender_marker_bar(frame: pd.DataFrame) -> go.Figure:
    """Per funder, the interventions by OECD gender marker (stacked)."""
    names = [_short(n) for n in frame["funder"]]
    figure = go.Figure([
        go.Bar(y=names, x=frame[column].tolist(), name=str(label), orientation="h",
               marker_color=MARKER_COLOURS[column],
               hovertemplate="%{y}<br>" + str(label) + " : %{x}<extra></extra>")
        for column, label in MARKER_LABELS.items()
    ])
    figure.update_xaxes(title_text=_("Interventions"))
    _chart_layout(figure, title=_("Marqueur genre de l'OCDE, par bailleur"), height=max(320, 170 + 38 * len(frame)))
    figure.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.25, "yanchor": "top"},
                         margin={"b": 90})
    return figure


def coverage_over_time(frame: pd.DataFrame) -> go.Figure:
    """Women covered each year by the interventions active that year, with the organisations active."""
    figure = go.Figure(go.Bar(
        x=frame["year"].tolist(), y=[round(v) for v in frame["women_covered"]], marker_color="#6a51a3",
        customdata=[[round(s * 100, 1), int(o), int(i)] for s, o, i in zip(
            frame["women_share_covered"], frame["organisations"], frame["interventions"], strict=True)],
        hovertemplate=("<b>%{x}</b><br>" + _("Femmes couvertes : %{y:,.0f} (%{customdata[0]:.1f} %)") + "<br>"
                       + _("Organisations actives : %{customdata[1]}") + "<br>"
                       + _("Interventions actives : %{customdata[2]}") + "<extra></extra>"),
    ))
    figure.update_xaxes(title_text=_("Année"), dtick=1)
    figure.update_yaxes(title_text=_("Femmes couvertes"))
    return _chart_layout(figure, title=_("Couverture au fil des années (interventions actives chaque année)"))


# --- Tables --------------------------------------------------------------------------------------------------


@dataclass
class Table:
    """A table as shown and exported: rows keyed by column id, and per column its label and kind."""

    frame: pd.DataFrame
    # (id, label, kind: "text", "integer", "decimal", "percent", "date" or "link": an address, shown as a link)
    columns: list[tuple[str, str, str]]
    name: str = "tableau"
    notes: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # the text of the links of a "link" column, by its id

    def labelled(self) -> pd.DataFrame:
        """The rows with the columns' labels as headers (for exports; links stay on screen)."""
        columns = [c for c in self.columns if c[2] != "link"]
        return self.frame[[c[0] for c in columns]].rename(columns={c[0]: c[1] for c in columns})


def _integers(series: pd.Series) -> pd.Series:
    """Whole numbers, None where missing (an object column, so that exports write 12, not 12.0)."""
    return pd.Series([None if pd.isna(v) else int(round(v)) for v in series], index=series.index, dtype=object)


def coverage_table(frame: pd.DataFrame, units: pd.DataFrame, *, level: int) -> Table:
    """One row per unit: its parent, organisations, interventions, women, women covered, share and women per
    organisation."""
    parents = units.set_index("pcode")["parent_name"]
    rows = pd.DataFrame({
        "pcode": frame["pcode"],
        "unit": frame["name"],
        "parent": frame["pcode"].map(parents),
        "organisations": _integers(frame["organisations"]),
        "interventions": _integers(frame["interventions"]),
        "women": _integers(frame["women"]),
        "women_covered": _integers(frame["women_covered"]),
        "share": (frame["women_share_covered"].fillna(0) * 100).round(1),
        "women_per_organisation": _integers(frame["women_per_organisation"]),
    })
    columns = [("pcode", _("P-code"), "text"), ("unit", str(UNIT_LABELS[level]), "text")]
    if level - 1 in UNIT_LABELS:
        columns.append(("parent", str(UNIT_LABELS[level - 1]), "text"))
    columns += [("organisations", _("Organisations"), "integer"), ("interventions", _("Interventions"), "integer"),
                ("women", _("Femmes (2017)"), "integer"), ("women_covered", _("Femmes couvertes"), "integer"),
                ("share", _("Part couverte (%)"), "percent"),
                ("women_per_organisation", _("Femmes par organisation"), "integer")]
    return Table(rows, columns, name="couverture")


def unit_table(frame: pd.DataFrame) -> Table:
    rows = frame.assign(start_date=frame["start_date"].map(_date), end_date=frame["end_date"].map(_date))
    return Table(rows, [("organisation", _("Organisation"), "text"), ("title", _("Intervention"), "text"),
                        ("themes", _("Thèmes"), "text"), ("start_date", _("Début"), "date"),
                        ("end_date", _("Fin"), "date"), ("status", _("Statut"), "text")], name="unite")


def _date(value) -> str:
    return value.isoformat() if value is not None and not pd.isna(value) else ""


def gaps_table(frame: pd.DataFrame, *, level: int) -> Table:
    rows = frame.assign(women_uncovered=_integers(frame["women_uncovered"]))
    columns = [("rank", _("Rang"), "integer"), ("pcode", _("P-code"), "text"),
               ("name", str(UNIT_LABELS[level]), "text")]
    if level - 1 in UNIT_LABELS:
        columns.append(("parent_name", str(UNIT_LABELS[level - 1]), "text"))
    columns += [("women_uncovered", _("Femmes sans couverture"), "integer"),
                ("partners", _("Partenaires possibles (organisations voisines sur ces thèmes)"), "text"),
                ("partner_units", _("Unités voisines où elles travaillent"), "text")]
    return Table(rows, columns, name="zones-blanches")


def overlaps_table(pairs: pd.DataFrame) -> Table:
    rows = pairs.assign(period_start=pairs["period_start"].map(_date), period_end=pairs["period_end"].map(_date),
                        shared_km2=pairs["shared_km2"].round(1), women_shared=_integers(pairs["women_shared"]))
    columns = [
        ("organisation_a", _("Organisation A"), "text"), ("intervention_a", _("Intervention A"), "text"),
        ("organisation_b", _("Organisation B"), "text"), ("intervention_b", _("Intervention B"), "text"),
        ("themes", _("Thèmes communs"), "text"), ("period_start", _("Période commune : début"), "date"),
        ("period_end", _("Période commune : fin"), "date"), ("shared_km2", _("Surface partagée (km²)"), "decimal"),
        ("women_shared", _("Femmes dans la zone partagée"), "integer"), ("units", _("Unités"), "text"),
    ]
    if "coordinated" in pairs:
        yes, no = _("oui"), _("non")  # translated once, not per pair (13,000 pairs for one theme at 20,000 zones)
        rows = rows.assign(coordinated=pairs["coordinated"].astype(bool).map({True: yes, False: no}))
        columns.append(("coordinated", _("Coordonné (partenariat accepté)"), "text"))
    links = {}
    if "propose_url" in pairs and pairs["propose_url"].astype(bool).any():
        rows = rows.assign(propose=pairs["propose_url"])
        columns.append(("propose", _("Agir"), "link"))
        links["propose"] = _("Proposer un partenariat")
    return Table(rows, columns, name="chevauchements", links=links)


def member_themes_table(frame: pd.DataFrame, rollup: pd.DataFrame, theme_labels: dict) -> Table:
    """One row per network member: the theme domains it covers and its interventions."""
    # Whole columns at once (a loop over 350 members' groups took 0.2 s): the domains each member covers, in the
    # labels' order, then one row per member.
    order = {code: position for position, code in enumerate(theme_labels)}
    covered = frame[frame["interventions"] > 0]
    labelled = covered[covered["domain"].isin(order)]
    labelled = labelled.assign(position=labelled["domain"].map(order)).sort_values("position")
    per_member = labelled.groupby(["network", "member"], sort=False)["domain"]
    themes = per_member.agg(lambda codes: ", ".join(theme_labels[c] for c in dict.fromkeys(codes)))
    rows = (frame[["network", "member"]].drop_duplicates().set_index(["network", "member"]).sort_index()
            .assign(themes=themes, theme_count=per_member.nunique(),
                    interventions=covered.groupby(["network", "member"])["interventions"].sum()))
    rows = rows.fillna({"themes": "", "theme_count": 0, "interventions": 0}).reset_index()
    rows = rows.astype({"theme_count": int, "interventions": int})[
        ["network", "member", "themes", "theme_count", "interventions"]]
    totals = rollup.set_index("network")
    rows["network_women_covered"] = _integers(rows["network"].map(totals["women_covered"]))
    return Table(rows, [("network", _("Réseau"), "text"), ("member", _("Membre"), "text"),
                        ("themes", _("Thèmes couverts"), "text"), ("theme_count", _("Nombre de thèmes"), "integer"),
                        ("interventions", _("Interventions du membre"), "integer"),
                        ("network_women_covered", _("Femmes couvertes par le réseau"), "integer")],
                 name="reseaux")


def funder_table(frame: pd.DataFrame) -> Table:
    rows = frame.assign(women_covered=_integers(frame["women_covered"]),
                        share=(frame["women_share_covered"].fillna(0) * 100).round(1))
    return Table(rows, [
        ("funder", _("Bailleur"), "text"), ("organisations", _("Organisations"), "integer"),
        ("interventions", _("Interventions"), "integer"), ("women_covered", _("Femmes couvertes"), "integer"),
        ("share", _("Part des femmes du pays (%)"), "percent"),
        *[(column, str(label), "integer") for column, label in MARKER_LABELS.items()],
    ], name="bailleurs")
