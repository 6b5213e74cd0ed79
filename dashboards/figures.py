"""Pure figure builders: DataFrames in, Plotly figures out. No database, no Dash, tested without a browser."""
import pandas as pd
import plotly.graph_objects as go


def women_choropleth(frame: pd.DataFrame, geojson: dict, *, title: str) -> go.Figure:
    """A choropleth of the number of women (2017) per unit, keyed by P-code."""
    figure = go.Figure(
        go.Choropleth(
            geojson=geojson,
            locations=frame["pcode"].tolist(),
            featureidkey="properties.pcode",
            z=frame["women_2017"].fillna(0).tolist(),
            text=frame["name"].tolist(),
            colorscale="Purples",
            marker_line_width=0.5,
            colorbar_title="Femmes",
            hovertemplate="%{text}<br>Femmes (2017) : %{z:,.0f}<extra></extra>",
        )
    )
    figure.update_geos(fitbounds="locations", visible=False)
    figure.update_layout(title=title, margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=520)
    return figure
