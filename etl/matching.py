"""Finding the admin unit (and locality) a row of a table means, in layers, each with a confidence.

1. exact P-code, saying in which scheme it was read: the edition's own (COD 2015) or the older alphabetical one
   (HDX 2017, OCHA 3W tables), whose codes reuse the same strings for other units and are translated through the
   alias table; when a code exists in both schemes, the names on the row decide, else the file's scheme;
2. exact name, then normalised name (accents, case, prefixes such as "Cercle de", Bamako's "Commune I…VI", the
   letters of Mali's languages: ɛ→e, ɔ→o, ɲ→ny, ŋ→ng);
3. fuzzy name (rapidfuzz), only among the children of the parent the row gives when it gives one;
4. a locality's name leads to its commune.

Ambiguous or low-confidence answers are flagged with their best candidates, never taken silently. The reference
lists come in as plain DataFrames, so this module needs no database.
"""
import re
from dataclasses import dataclass, field, replace

import pandas as pd
from rapidfuzz import fuzz, process

from etl.names import name_variants, normalise_name

ACCEPT = 0.85  # a fuzzy match at or above this confidence is taken (and reported as fuzzy)
SUGGEST = 0.6  # candidates below this are not worth showing
AMBIGUITY_MARGIN = 0.04  # two different units this close in score: ambiguous
LEVELS = {1: "region", 2: "cercle", 3: "commune"}
LEVEL_LABELS = {1: "région", 2: "cercle", 3: "commune", 4: "localité"}
PLACE_KEYS = ("region", "region_pcode", "cercle", "cercle_pcode", "commune", "commune_pcode", "locality",
              "locality_pcode", "pcode")


@dataclass
class Candidate:
    pcode: str
    name: str
    level: int
    parent: str | None
    score: float

    def as_dict(self) -> dict:
        return {"pcode": self.pcode, "name": self.name, "level": self.level, "parent": self.parent,
                "score": round(self.score, 3)}


@dataclass
class PlaceMatch:
    """What a row's place columns were matched to."""

    status: str  # matched, ambiguous, unmatched, empty
    unit_pcode: str | None = None  # the finest admin unit found
    level: int | None = None
    locality_pcode: str | None = None
    method: str | None = None  # pcode, pcode_alias, name, normalised, fuzzy, locality
    confidence: float = 0.0
    scheme: str | None = None  # the scheme a P-code was read in
    notes: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"status": self.status, "pcode": self.unit_pcode, "level": self.level,
                "locality": self.locality_pcode, "method": self.method, "confidence": round(self.confidence, 3),
                "scheme": self.scheme, "notes": self.notes, "candidates": [c.as_dict() for c in self.candidates]}


def sound_key(normalised: str) -> str:
    """A looser spelling key for French transcriptions of Malian names: "ou"→"u", c/q→k, no h, no doubled
    letters, no spaces ("Tombouctou" and "Tombuktu" meet; "Kulikoro" and "Koulikoro" too)."""
    key = normalised.replace(" ", "").replace("ou", "u").replace("qu", "k").replace("c", "k").replace("q", "k")
    key = key.replace("h", "").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", key)


def _score(a: str, b: str) -> float:
    return max(fuzz.ratio(a, b), fuzz.ratio(sound_key(a), sound_key(b))) / 100


class PlaceMatcher:
    """Matches place columns against one edition's units, their older-scheme aliases and the localities."""

    def __init__(self, units: pd.DataFrame, *, aliases: pd.DataFrame | None = None,
                 localities: pd.DataFrame | None = None, scheme: str = "cod2015", alias_scheme: str = "hdx2017"):
        self.scheme = scheme
        self.alias_scheme = alias_scheme
        self.units = {}
        self.children: dict[str | None, list[str]] = {}
        self.by_variant: dict[tuple[int, str], set[str]] = {}
        self.fuzzy_keys: dict[int, list[tuple[str, str]]] = {}  # level -> [(variant, pcode)]
        for row in units.itertuples(index=False):
            alt = [a for a in (row.alt_names if isinstance(row.alt_names, list | tuple) else []) if a]
            pcode = str(row.pcode).upper()
            parent = str(row.parent_pcode).upper() if isinstance(row.parent_pcode, str) else None
            self.units[pcode] = {"name": row.name, "level": int(row.level), "parent": parent}
            self.children.setdefault(parent, []).append(pcode)
            variants = name_variants(row.name, alt)
            # COD names an urban commune after its town plus "Commune" ("Segou Commune"); people write "Ségou".
            variants += [v[: -len(" commune")] for v in variants if v.endswith(" commune")]
            for variant in variants:
                self.by_variant.setdefault((int(row.level), variant), set()).add(pcode)
                self.fuzzy_keys.setdefault(int(row.level), []).append((variant, pcode))
        self.aliases: dict[str, str] = {}
        if aliases is not None:
            for row in aliases.itertuples(index=False):
                if row.scheme == alias_scheme:
                    self.aliases[str(row.pcode).upper()] = str(row.unit_pcode).upper()
        self.localities: dict[str, dict] = {}
        self.localities_by_commune: dict[str | None, list[str]] = {}
        self.locality_names: dict[str, set[str]] = {}
        if localities is not None:
            for row in localities.itertuples(index=False):
                pcode = str(row.pcode).upper()
                commune = str(row.commune_pcode).upper() if isinstance(row.commune_pcode, str) else None
                normalised = normalise_name(row.name)
                self.localities[pcode] = {"name": row.name, "commune": commune, "key": normalised}
                self.localities_by_commune.setdefault(commune, []).append(pcode)
                self.locality_names.setdefault(normalised, set()).add(pcode)
        self._cache: dict = {}

    # --- helpers -------------------------------------------------------------------------------------------

    def ancestors(self, pcode: str) -> list[str]:
        chain, current = [], self.units.get(pcode, {}).get("parent")
        while current in self.units:  # the country (level 0) is not among the units matched
            chain.append(current)
            current = self.units.get(current, {}).get("parent")
        return chain

    def _descendants(self, pcode: str, level: int) -> list[str]:
        found, frontier = [], [pcode]
        while frontier:
            current = frontier.pop()
            for child in self.children.get(current, []):
                if self.units[child]["level"] == level:
                    found.append(child)
                elif self.units[child]["level"] < level:
                    frontier.append(child)
        return found

    def _candidate(self, pcode: str, score: float) -> Candidate:
        unit = self.units[pcode]
        parent = self.units.get(unit["parent"], {}).get("name") if unit["parent"] else None
        return Candidate(pcode, unit["name"], unit["level"], parent, score)

    def _names_agree(self, pcode: str, names: dict[int, str]) -> int:
        """How many of the row's names (by level) agree with this unit and its ancestors."""
        agree = 0
        for unit_pcode in [pcode, *self.ancestors(pcode)]:
            unit = self.units[unit_pcode]
            given = names.get(unit["level"])
            if given and _score(normalise_name(given), normalise_name(unit["name"])) >= ACCEPT:
                agree += 1
        return agree

    # --- layers --------------------------------------------------------------------------------------------

    def match_code(self, code: str, *, names: dict[int, str], scheme: str | None = None,
                   default_scheme: str | None = None) -> PlaceMatch | None:
        """A P-code read in the given scheme, or in whichever scheme the row's names agree with."""
        code = code.strip().upper()
        readings = {}
        if code in self.units and scheme in (None, self.scheme):
            readings[self.scheme] = code
        if code in self.aliases and scheme in (None, self.alias_scheme):
            readings[self.alias_scheme] = self.aliases[code]
        if not readings:
            return None
        notes = []
        if len(readings) == 2 and readings[self.scheme] != readings[self.alias_scheme]:
            agreement = {s: self._names_agree(p, names) for s, p in readings.items()}
            best = max(agreement.values())
            winners = [s for s, n in agreement.items() if n == best]
            if len(winners) == 1 and best > 0:
                chosen = winners[0]
                notes.append(f"{code} lu dans le schéma {chosen} d'après les noms de la ligne / read in scheme "
                             f"{chosen} from the row's names")
            else:
                chosen = default_scheme or self.scheme
                notes.append(f"{code} existe dans les deux schémas ; lu dans le schéma {chosen} du fichier / "
                             f"exists in both schemes; read in the file's scheme {chosen}")
        else:
            chosen = next(iter(readings))
        pcode = readings[chosen]
        unit = self.units[pcode]
        confidence = 1.0 if chosen == self.scheme else 0.98
        if chosen != self.scheme:
            notes.append(f"{code} ({chosen}) = {pcode} ({self.scheme}) {unit['name']}")
        return PlaceMatch("matched", pcode, unit["level"], method="pcode" if chosen == self.scheme else "pcode_alias",
                          confidence=confidence, scheme=chosen, notes=notes)

    def match_name(self, text: str, level: int, within: str | None = None) -> PlaceMatch:
        """A unit of this level by name, inside the unit `within` when the row gives its parent."""
        key = (text, level, within)
        if key in self._cache:
            cached = self._cache[key]
            return replace(cached, notes=list(cached.notes), candidates=list(cached.candidates))
        allowed = set(self._descendants(within, level)) if within else None
        exact = [p for p in (allowed or self.units) if self.units[p]["level"] == level
                 and self.units[p]["name"].strip() == text.strip()]
        normalised = normalise_name(text)
        found = exact or [p for p in self.by_variant.get((level, normalised), set())
                          if allowed is None or p in allowed]
        if len(found) == 1:
            result = PlaceMatch("matched", found[0], level, method="name" if exact else "normalised",
                                confidence=1.0 if exact else 0.97)
        elif len(found) > 1:
            result = PlaceMatch("ambiguous", level=level, method="normalised",
                                candidates=[self._candidate(p, 0.97) for p in sorted(found)],
                                notes=[f"« {text} » : plusieurs {LEVEL_LABELS[level]}s de ce nom / several units "
                                       "with this name"])
        else:
            result = self._fuzzy(text, normalised, level, allowed)
        self._cache[key] = result
        return replace(result, notes=list(result.notes), candidates=list(result.candidates))

    def _fuzzy(self, text: str, normalised: str, level: int, allowed: set | None) -> PlaceMatch:
        choices = [(v, p) for v, p in self.fuzzy_keys.get(level, []) if allowed is None or p in allowed]
        if not normalised or not choices:
            return PlaceMatch("unmatched", level=level)
        best: dict[str, float] = {}
        hits = process.extract(normalised, [v for v, _ in choices], scorer=fuzz.ratio, limit=12,
                               score_cutoff=0 if allowed is not None else SUGGEST * 100 - 15)
        for _variant, _plain_score, index in hits:
            variant, pcode = choices[index]
            best[pcode] = max(best.get(pcode, 0), _score(normalised, variant))
        for variant, pcode in choices:  # the sound key may rescue what plain ratio missed
            if sound_key(variant) == sound_key(normalised):
                best[pcode] = max(best.get(pcode, 0), 0.92)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        candidates = [self._candidate(p, s) for p, s in ranked[:5] if s >= SUGGEST]
        if not candidates and allowed is not None:  # inside a known parent, its nearest names are still useful
            candidates = [self._candidate(p, s) for p, s in ranked[:3]]
        # Without a parent to narrow the search, a fuzzy match must be clearer.
        threshold = ACCEPT if allowed is not None else ACCEPT + 0.03
        if not candidates or candidates[0].score < threshold:
            return PlaceMatch("unmatched", level=level, candidates=candidates, notes=[
                f"{LEVEL_LABELS[level]} « {normalised or text} » introuvable / not found"])
        if len(candidates) > 1 and candidates[0].score - candidates[1].score < AMBIGUITY_MARGIN:
            return PlaceMatch("ambiguous", level=level, method="fuzzy", candidates=candidates, notes=[
                f"« {text} » : plusieurs {LEVEL_LABELS[level]}s proches / several close names"])
        top = candidates[0]
        return PlaceMatch("matched", top.pcode, level, method="fuzzy", confidence=round(top.score, 3),
                          candidates=candidates[:3],
                          notes=[f"« {text} » rapproché de {top.name} / matched to {top.name}"])

    def match_locality(self, text: str | None, code: str | None, within: str | None) -> PlaceMatch:
        if code and code.strip().upper() in self.localities:
            pcode = code.strip().upper()
            locality = self.localities[pcode]
            return PlaceMatch("matched", locality["commune"], 3, locality_pcode=pcode, method="locality",
                              confidence=1.0, scheme=self.scheme)
        if not text:
            return PlaceMatch("unmatched", level=4, notes=[f"localité {code} introuvable / locality not found"])
        normalised = normalise_name(text)
        pool = (set().union(*(self.localities_by_commune.get(c, []) for c in self._descendants(within, 3)))
                if within and self.units[within]["level"] < 3 else
                set(self.localities_by_commune.get(within, [])) if within else None)
        found = [p for p in self.locality_names.get(normalised, set()) if pool is None or p in pool]
        if len(found) == 1:
            locality = self.localities[found[0]]
            return PlaceMatch("matched", locality["commune"], 3, locality_pcode=found[0], method="locality",
                              confidence=0.95 if pool is not None else 0.9)
        if len(found) > 1:
            return PlaceMatch("ambiguous", level=4, method="locality", notes=[
                f"localité « {text} » : {len(found)} homonymes ; indiquez la commune / {len(found)} places with "
                "this name; give the commune"], candidates=[
                Candidate(p, self.localities[p]["name"], 4, self.units.get(self.localities[p]["commune"] or "",
                                                                             {}).get("name"), 0.9)
                for p in sorted(found)[:5]])
        if pool:
            keys = [(self.localities[p]["key"], p) for p in pool]
            hits = process.extract(normalised, [k for k, _ in keys], scorer=fuzz.ratio, limit=3,
                                   score_cutoff=ACCEPT * 100)
            if hits and (len(hits) == 1 or hits[0][1] - hits[1][1] >= AMBIGUITY_MARGIN * 100):
                pcode = keys[hits[0][2]][1]
                locality = self.localities[pcode]
                return PlaceMatch("matched", locality["commune"], 3, locality_pcode=pcode, method="locality",
                                  confidence=round(hits[0][1] / 100 * 0.9, 3),
                                  notes=[f"localité « {text} » rapprochée de {locality['name']} / matched to"])
        return PlaceMatch("unmatched", level=4, notes=[f"localité « {text} » introuvable / locality not found"])

    # --- a whole row ---------------------------------------------------------------------------------------

    def match_row(self, place: dict, *, scheme: str | None = None, default_scheme: str | None = None) -> PlaceMatch:
        """The finest unit a row's place columns name (region, cercle, commune names or P-codes, a locality)."""
        place = {k: (str(v).strip() if v is not None else None) for k, v in place.items()}
        names = {1: place.get("region"), 2: place.get("cercle"), 3: place.get("commune")}
        names = {level: name for level, name in names.items() if name}
        codes = [place.get(k) for k in ("commune_pcode", "cercle_pcode", "region_pcode", "pcode") if place.get(k)]
        if not (names or codes or place.get("locality") or place.get("locality_pcode")):
            return PlaceMatch("empty")
        resolved: PlaceMatch | None = None
        unknown_codes = []
        for code in codes:
            resolved = self.match_code(code, names=names, scheme=scheme, default_scheme=default_scheme)
            if resolved:
                break
            unknown_codes.append(code)
        notes = [f"P-code inconnu {c} / unknown P-code" for c in unknown_codes]
        if resolved is None:
            within = None
            finest = max(names) if names else None
            for level in sorted(names):
                found = self.match_name(names[level], level, within)
                if found.status == "unmatched" and within is not None:
                    # The parent given may itself be wrong: look nationally, and say so.
                    national = self.match_name(names[level], level, None)
                    if national.status == "matched":
                        found = PlaceMatch(**{**national.__dict__, "notes": [*national.notes,
                                           f"« {names[level]} » n'est pas dans {self.units[within]['name']} / "
                                           f"is not inside {self.units[within]['name']}"],
                                           "confidence": min(national.confidence, 0.8)})
                if found.status == "matched":
                    resolved, within = found, found.unit_pcode
                    continue
                if level == finest:
                    found.notes = notes + found.notes
                    if place.get("locality"):
                        return self._locality_or(found, place, within)
                    return found
                notes.extend(found.notes)
        if place.get("locality") or place.get("locality_pcode"):
            if resolved is None or resolved.level < 3:
                locality = self.match_locality(place.get("locality"), place.get("locality_pcode"),
                                               resolved.unit_pcode if resolved else None)
                if locality.status == "matched" or resolved is None:
                    locality.notes = notes + locality.notes
                    return locality
            elif resolved.level == 3:
                locality = self.match_locality(place.get("locality"), place.get("locality_pcode"), resolved.unit_pcode)
                if locality.status == "matched":
                    resolved.locality_pcode = locality.locality_pcode
        if resolved is None:
            return PlaceMatch("unmatched", notes=notes or ["aucun lieu reconnu / no place recognised"])
        resolved.notes = notes + resolved.notes
        if notes:
            resolved.confidence = min(resolved.confidence, 0.8)
        return resolved

    def _locality_or(self, failed: PlaceMatch, place: dict, within: str | None) -> PlaceMatch:
        locality = self.match_locality(place.get("locality"), place.get("locality_pcode"), within)
        return locality if locality.status == "matched" else failed

    def detect_scheme(self, rows: list[dict]) -> str:
        """The scheme most of a file's coded rows agree with, judged on the rows that also give names."""
        votes = {self.scheme: 0, self.alias_scheme: 0}
        for place in rows:
            names = {lv: place.get(k) for lv, k in ((1, "region"), (2, "cercle"), (3, "commune")) if place.get(k)}
            if not names:
                continue
            for key in ("commune_pcode", "cercle_pcode", "region_pcode", "pcode"):
                code = (place.get(key) or "").strip().upper()
                if not code:
                    continue
                if code in self.units:
                    votes[self.scheme] += self._names_agree(code, names) > 0
                if code in self.aliases:
                    votes[self.alias_scheme] += self._names_agree(self.aliases[code], names) > 0
                break
        return self.alias_scheme if votes[self.alias_scheme] > votes[self.scheme] else self.scheme

    # --- search (the site's search box and the zone picker use the same matching as imports) ----------------

    def search(self, text: str, level: int | None = None, limit: int = 10) -> list[str]:
        """P-codes of the units a typed name may mean, best first: normalised name, then close spellings."""
        normalised = normalise_name(text)
        if not normalised:
            return []
        levels = [level] if level in LEVELS else list(LEVELS)
        found: dict[str, float] = {}
        for lv in levels:
            for pcode in self.by_variant.get((lv, normalised), set()):
                found[pcode] = 1.0
            choices = self.fuzzy_keys.get(lv, [])
            for _v, score, index in process.extract(normalised, [v for v, _ in choices], scorer=fuzz.ratio,
                                                     limit=limit, score_cutoff=SUGGEST * 100):
                pcode = choices[index][1]
                found[pcode] = max(found.get(pcode, 0), _score(normalised, choices[index][0]), score / 100)
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return [pcode for pcode, score in ranked if score >= ACCEPT - 0.05][:limit]

    def search_localities(self, text: str, limit: int = 20) -> list[str]:
        """P-codes of the localities a typed name may mean (same name once normalised, or a close spelling)."""
        normalised = normalise_name(text)
        if not normalised:
            return []
        exact = sorted(self.locality_names.get(normalised, set()))
        if not hasattr(self, "_locality_keys"):
            self._locality_keys = list(self.locality_names)
        close = [key for key, _s, _i in process.extract(normalised, self._locality_keys, scorer=fuzz.ratio,
                                                         limit=limit, score_cutoff=ACCEPT * 100)]
        return (exact + [p for key in close for p in sorted(self.locality_names[key]) if p not in exact])[:limit]
