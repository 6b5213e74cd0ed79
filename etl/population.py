"""Population tables (DNP projections by sex) and the P-code crosswalk between schemes.

The CSVs are keyed by COD 2015 P-codes (``adm3_pcode``...). They also carry the
older-scheme codes (``hdx2017_*``), which other HDX tables use: the same code can
mean a different cercle in the two schemes, so joins go through the crosswalk.
"""

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from etl.errors import EtlError

_SEXES = ("female", "male", "total")
# Spaces used as thousands separators in French spreadsheets (plain, no-break, narrow no-break).
_THOUSANDS_SPACES = (" ", "\u00a0", "\u202f")


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EtlError(
            "file_unreadable",
            f"Impossible de lire {path} : {exc}",
            f"Cannot read {path}: {exc}",
        ) from exc
    # Spreadsheets save UTF-8 with a BOM, or Windows-1252 in French locales.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_table(path: str | Path) -> tuple[pd.DataFrame, bool]:
    """Read a CSV as text columns; returns (frame, french) where french means ';' and ','."""
    path = Path(path)
    text = _read_text(path)
    header = text.split("\n", 1)[0]
    french = header.count(";") > header.count(",")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=";" if french else ",", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise EtlError(
            "file_unreadable",
            f"Le fichier {path.name} n'est pas un CSV lisible : {exc}",
            f"The file {path.name} is not a readable CSV: {exc}",
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, french


def _require(frame: pd.DataFrame, columns: list[str], file_name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = ", ".join(frame.columns)
        raise EtlError(
            "missing_columns",
            f"Colonnes manquantes dans {file_name} : {', '.join(missing)}. Colonnes trouvées : {found}.",
            f"Missing columns in {file_name}: {', '.join(missing)}. Columns found: {found}.",
        )


def _numbers(values: pd.Series, french: bool) -> pd.Series:
    cleaned = values.astype(str).str.strip()
    for space in _THOUSANDS_SPACES:
        cleaned = cleaned.str.replace(space, "", regex=False)
    if french:
        cleaned = cleaned.str.replace(",", ".", regex=False)
    return pd.to_numeric(cleaned, errors="coerce")


def read_population_csv(path: str | Path, *, level: int, years=(2015, 2017)) -> pd.DataFrame:
    """Read a population CSV into long format: ``pcode, year, female, male, total``.

    The P-code column is ``adm{level}_pcode``; values come from
    ``pop{year}_female``, ``pop{year}_male`` and ``pop{year}_total``. French-style
    files (``;`` separator, ``,`` decimals, spaces between thousands) are accepted.
    One row per P-code and year, integer counts, sorted by P-code then year.
    Raises EtlError ``file_unreadable``, ``missing_columns``, ``pcode_duplicate`` or
    ``population_invalid`` (empty, non-numeric, negative or fractional values).
    """
    path = Path(path)
    frame, french = _read_table(path)
    pcode_column = f"adm{level}_pcode"
    value_columns = [f"pop{year}_{sex}" for year in years for sex in _SEXES]
    _require(frame, [pcode_column, *value_columns], path.name)

    pcodes = frame[pcode_column].str.strip()
    duplicated = sorted(pcodes[pcodes.duplicated(keep=False)].unique())
    if duplicated:
        raise EtlError(
            "pcode_duplicate",
            f"P-codes en double dans {path.name} : {', '.join(duplicated[:20])}",
            f"Duplicate P-codes in {path.name}: {', '.join(duplicated[:20])}",
        )

    numbers = pd.DataFrame({column: _numbers(frame[column], french) for column in value_columns})
    invalid = numbers.isna() | (numbers < 0) | (numbers != np.floor(numbers))
    blank_pcode = pcodes == ""
    if invalid.any(axis=None) or blank_pcode.any():
        # Line numbers as a spreadsheet shows them: the header is line 1.
        cells = [
            f"line {row + 2} ({pcodes.iat[row] or 'no P-code'}) {column}={frame[column].iat[row]!r}"
            for column in value_columns
            for row in np.flatnonzero(invalid[column].to_numpy())
        ]
        cells += [f"line {row + 2}: no P-code" for row in np.flatnonzero(blank_pcode.to_numpy())]
        shown = "; ".join(cells[:20]) + (f"; … ({len(cells)} in all)" if len(cells) > 20 else "")
        raise EtlError(
            "population_invalid",
            f"Valeurs de population invalides (vides, non numériques, négatives ou non entières) "
            f"dans {path.name} : {shown}",
            f"Invalid population values (empty, non-numeric, negative or not whole) in {path.name}: {shown}",
        )

    parts = [
        pd.DataFrame(
            {
                "pcode": pcodes.to_numpy(dtype=object),
                "year": int(year),
                **{sex: numbers[f"pop{year}_{sex}"].astype("int64").to_numpy() for sex in _SEXES},
            }
        )
        for year in years
    ]
    result = pd.concat(parts, ignore_index=True)
    result["pcode"] = result["pcode"].astype(object)  # plain str values, not pandas' string dtype
    return result.sort_values(["pcode", "year"], kind="stable").reset_index(drop=True)


def read_pcode_crosswalk(path: str | Path, *, level: int, scheme_prefix: str = "hdx2017") -> pd.DataFrame:
    """Read the P-code crosswalk: ``pcode`` (COD 2015), ``alias_pcode``, ``alias_name``.

    ``alias_pcode`` is ``{scheme_prefix}_adm{level}_pcode``; ``alias_name`` is
    ``{scheme_prefix}_adm{level}_name`` when the file has it, else ``adm{level}_name``.
    Use the communes CSV for levels 3 and 1, the cercles CSV for level 2. When a
    code has several aliases (a few communes sit in another cercle or region in the
    older scheme), the alias shared by most rows wins. Raises EtlError
    ``missing_columns`` or ``pcode_duplicate`` (one alias for two COD P-codes).
    """
    path = Path(path)
    frame, _ = _read_table(path)
    pcode_column = f"adm{level}_pcode"
    alias_column = f"{scheme_prefix}_adm{level}_pcode"
    alias_name_column = f"{scheme_prefix}_adm{level}_name"
    if alias_name_column not in frame.columns:
        alias_name_column = f"adm{level}_name"
    _require(frame, [pcode_column, alias_column, alias_name_column], path.name)

    pairs = pd.DataFrame(
        {
            "pcode": frame[pcode_column].str.strip(),
            "alias_pcode": frame[alias_column].str.strip(),
            "alias_name": frame[alias_name_column].str.strip(),
        }
    )
    pairs = pairs[(pairs["pcode"] != "") & (pairs["alias_pcode"] != "")]
    counts = pairs.groupby(["pcode", "alias_pcode", "alias_name"], as_index=False).size()
    counts = counts.sort_values(["pcode", "size"], ascending=[True, False], kind="stable")
    crosswalk = counts.drop_duplicates("pcode")[["pcode", "alias_pcode", "alias_name"]]

    duplicated = sorted(crosswalk.loc[crosswalk["alias_pcode"].duplicated(keep=False), "alias_pcode"].unique())
    if duplicated:
        raise EtlError(
            "pcode_duplicate",
            f"Dans {path.name}, ces codes {scheme_prefix} correspondent à plusieurs P-codes COD : "
            f"{', '.join(duplicated[:20])}",
            f"In {path.name}, these {scheme_prefix} codes match several COD P-codes: {', '.join(duplicated[:20])}",
        )
    return crosswalk.astype(object).reset_index(drop=True)
