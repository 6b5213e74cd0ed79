"""Name normalisation, so that names typed by people match the gazetteer.

Malian place names come with and without accents, with hyphens or spaces, and often
with an administrative prefix ("Cercle de", "Commune rurale de"). We compare names in a
normalised form: lower case, no accents, no punctuation, single spaces, no prefix.
"""

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd
from unidecode import unidecode

# Prefixes as they look after accents and punctuation are gone ("Cercle d'Ansongo"
# becomes "cercle d ansongo"). Longer prefixes first so "commune rurale de" wins over
# a shorter one. The trailing space guarantees something is left after the prefix.
_PREFIXES = (
    "commune rurale de ",
    "commune rurale d ",
    "commune urbaine de ",
    "commune urbaine d ",
    "commune de ",
    "commune d ",
    "cercle de ",
    "cercle d ",
    "region de ",
    "region d ",
    "district de ",
    "district of ",
    "ville de ",
)

_ROMAN_TO_DIGIT = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}
_DIGIT_TO_ROMAN = {digit: roman for roman, digit in _ROMAN_TO_DIGIT.items()}

# Bamako's six communes are called by number ("Commune IV", "Commune 4", "Commune IV
# du District de Bamako"): the number is the name, so it must not be stripped as a prefix.
_BAMAKO_COMMUNE = re.compile(r"^commune (i{1,3}|iv|vi?|[1-6])(?: (?:du district de |district de |de )?bamako)?$")

_NOT_WORD = re.compile(r"[\W_]+")


# The letters of Mali's national languages (Bambara, Fulfulde, Songhay...) as French spellings write them, so that
# "Sɛgu" finds Ségou and "Ɲɔgɔn" finds "Nyogon". Applied before the general transliteration, which would turn
# "ɲ" into a bare "n".
_MALI_LETTERS = str.maketrans({"ɛ": "e", "Ɛ": "E", "ɔ": "o", "Ɔ": "O", "ɲ": "ny", "Ɲ": "Ny", "ŋ": "ng",
                               "Ŋ": "Ng", "ƴ": "y", "Ƴ": "Y", "ɓ": "b", "Ɓ": "B", "ɗ": "d", "Ɗ": "D"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_MALI_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Anything still outside ASCII (œ, ß, other scripts) is transliterated rather than kept or dropped.
    return stripped if stripped.isascii() else unidecode(stripped)


def normalise_name(name: str) -> str:
    """Return the comparable form of a place name.

    Lower case, accents removed (NFKD), apostrophes, hyphens and other punctuation
    turned into spaces, whitespace collapsed, and administrative prefixes such as
    "Région de" or "Cercle d'" dropped: ``"Région de Ségou"`` gives ``"segou"``.
    Bamako's "Commune I" to "Commune VI" (or 1 to 6) give ``"commune 1"`` to
    ``"commune 6"``. ``None`` or a non-string gives ``""``.
    """
    if not isinstance(name, str):
        return ""
    # Accents are stripped again after lower-casing because a few capitals lower-case
    # to a letter plus a combining mark (e.g. "İ").
    text = _strip_accents(_strip_accents(name).lower())
    text = " ".join(_NOT_WORD.sub(" ", text).split())
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                stripped = True
                break
    match = _BAMAKO_COMMUNE.match(text)
    if match:
        number = match.group(1)
        text = f"commune {_ROMAN_TO_DIGIT.get(number, number)}"
    return text


def name_variants(name: str, alt_names: Iterable[str | None] = ()) -> list[str]:
    """Return the sorted, unique, non-empty normalised forms a name can be searched by.

    That is the normalised name and alternative names, each also without spaces
    ("niono ville" and "nionoville"), and for Bamako's communes both the digit and
    the Roman form ("commune 4" and "commune iv").
    """
    variants: set[str] = set()
    for raw in (name, *alt_names):
        form = normalise_name(raw)
        if not form:
            continue
        variants.add(form)
        variants.add(form.replace(" ", ""))
        match = re.fullmatch(r"commune ([1-6])", form)
        if match:
            variants.add(f"commune {_DIGIT_TO_ROMAN[match.group(1)]}")
    return sorted(variants)


def normalise_series(s: pd.Series) -> pd.Series:
    """Apply :func:`normalise_name` to every value of a Series (missing values give "")."""
    return s.map(normalise_name).astype(object)
