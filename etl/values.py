"""Small helpers for attribute values read from data files."""

import pandas as pd


def text_or_none(value) -> str | None:
    """A stripped string, or None for missing or blank values (codes read as 101.0 give "101")."""
    if not isinstance(value, str):
        if value is None or pd.isna(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text or None


def texts(series: pd.Series) -> list[str | None]:
    """:func:`text_or_none` over a Series, as a plain list.

    A list rather than ``Series.map``: pandas' string dtype would turn None back into NaN.
    """
    return [text_or_none(value) for value in series.tolist()]


def distinct_alt_names(raw: pd.DataFrame, columns: list[str], names: list[str]) -> list[list[str]]:
    """Per row, the distinct non-empty values of ``columns`` other than the row's name, in column order."""
    values = [texts(raw[column]) for column in columns]
    result = []
    for position, name in enumerate(names):
        seen: list[str] = []
        for column_values in values:
            value = column_values[position]
            if value and value != name and value not in seen:
                seen.append(value)
        result.append(seen)
    return result
