"""Cell values as French (and English) spreadsheets write them: dates dd/mm/yyyy, decimal commas, Oui/Non.

Each parser returns the value, or raises ValueError with a message a person can act on; None means "empty".
"""
import datetime as dt
import re

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")

_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x", "ok"}
_FALSE = {"non", "n", "no", "faux", "false", "0"}


def parse_date(text: str | None, *, end_of_period: bool = False) -> dt.date | None:
    """A date written dd/mm/yyyy (also with "-" or "." and two-digit years), yyyy-mm-dd, mm/yyyy or yyyy.

    A month or a year alone means its first day, or its last day with end_of_period (an end date "2025" ends
    on 31 December). Day first always: 03/04/2025 is the 3rd of April, as in France and Mali.
    """
    if text is None or not str(text).strip():
        return None
    value = str(text).strip()
    try:
        if match := _ISO.match(value):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := _DAY_FIRST.match(value):
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000 if year < 70 else 1900
            return dt.date(year, month, day)
        if match := _MONTH_YEAR.match(value):
            month, year = int(match.group(1)), int(match.group(2))
            if end_of_period:
                following = dt.date(year + month // 12, month % 12 + 1, 1)
                return following - dt.timedelta(days=1)
            return dt.date(year, month, 1)
        if match := _YEAR.match(value):
            year = int(match.group(1))
            return dt.date(year, 12, 31) if end_of_period else dt.date(year, 1, 1)
    except ValueError:
        pass
    raise ValueError(f"date illisible « {value} » (attendu jj/mm/aaaa) / unreadable date '{value}' "
                     "(expected dd/mm/yyyy)")


def parse_number(text: str | None) -> float | None:
    """A number with a decimal comma or point and spaces (or non-breaking spaces) between thousands:
    "1 234,5", "1234.5", "1.234,5" and "1,234.5" all give 1234.5."""
    if text is None or not str(text).strip():
        return None
    value = re.sub(r"[\s\u00a0\u202f']", "", str(text))
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif value.count(",") == 1:
        value = value.replace(",", ".")
    elif value.count(",") > 1:
        value = value.replace(",", "")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"nombre illisible « {text} » / unreadable number '{text}'") from None


def parse_count(text: str | None) -> int | None:
    """A whole, non-negative number of people ("1 200", "1200,0")."""
    number = parse_number(text)
    if number is None:
        return None
    if number < 0 or not float(number).is_integer():
        raise ValueError(f"effectif invalide « {text} » / invalid count '{text}'")
    return int(number)


def parse_bool(text: str | None) -> bool | None:
    """Oui/Non, Yes/No, Vrai/Faux, 1/0, x."""
    if text is None or not str(text).strip():
        return None
    value = str(text).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"attendu Oui ou Non, pas « {text} » / expected Yes or No, not '{text}'")


def split_list(text: str | None) -> list[str]:
    """The items of a cell listing several values: "a; b", "a, b", "a | b" or KoBo's "a b" of codes."""
    if text is None:
        return []
    value = str(text).strip()
    if not value:
        return []
    parts = re.split(r"\s*[;|,\n]\s*", value)
    return [p.strip() for p in parts if p.strip()]
