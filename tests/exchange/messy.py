"""Realistic messy import files, made by the tests: what a network's data officer exports from Excel."""
import csv
import io

from openpyxl import Workbook

HEADER = ["Organisation", "Intitulé", "Thème", "Type d'action", "Région", "Cercle", "Commune", "Village",
          "P-code", "Date de début", "Date de fin", "Statut", "Femmes ciblées", "Femmes atteintes"]

# (what the row tests, the row). The organisation names are those of the `orgs` fixture.
GOOD_ROWS = [
    ("accents and prefixes", ["Association Bènkadi", "Écoute VBG Markala", "VBG", "Sensibilisation",
                              "Région de Ségou", "Cercle de Ségou", "Commune rurale de Markala", "", "",
                              "03/04/2025", "31/12/2025", "En cours", "1 200", "85,0"]),
    ("misspelt and unaccented, inside its parent", ["ASSOCIATION BENKADI", "Clinique juridique", "acces-justice",
                                                   "", "Segou", "Segou", "Dioroo", "", "", "01/02/2024", "",
                                                   "Terminé", "", ""]),
    ("older P-code scheme: ML0101 is Bafoulabé there", ["Association Bènkadi", "Leadership Bafoulabé",
                                                        "Participation politique et leadership", "Formation",
                                                        "Kayes", "Bafoulabé", "", "", "ML0101", "2025", "2026",
                                                        "Prévue", "300", ""]),
    ("Bamako's Commune IV and a locality", ["Association Bènkadi", "Caravane Bamako", "VBG; Accès à la justice",
                                           "Plaidoyer", "District de Bamako", "Bamako", "Commune 4", "", "",
                                           "15/09/2025", "", "en cours", "", ""]),
    ("a village leads to its commune", ["Association Bènkadi", "Groupement Katibougou", "Autonomisation économique",
                                        "", "Koulikoro", "Koulikoro", "", "Katibougou", "", "01/01/2025",
                                        "31/12/2025", "En cours", "40", "40"]),
]
DUPLICATE = ("a duplicate row", GOOD_ROWS[0][1])
UNKNOWN_ORGANISATION = ("an unknown organisation", ["Association Fantôme de Test", "Atelier", "VBG", "", "Ségou",
                                                    "Ségou", "Markala", "", "", "01/01/2025", "", "", "", ""])
BAD_DATE = ("a bad date", ["Association Bènkadi", "Atelier", "VBG", "", "Ségou", "Ségou", "Markala", "", "",
                           "31/02/2025", "", "", "", ""])
UNKNOWN_PLACE = ("an unknown place", ["Association Bènkadi", "Atelier", "VBG", "", "Ségou", "Ségou",
                                      "Zorglubville", "", "", "01/01/2025", "", "", "", ""])


def semicolon_cp1252(rows) -> bytes:
    """A CSV as Excel on French Windows saves it: semicolons, Windows-1252, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row for _label, row in rows)
    return buffer.getvalue().encode("cp1252")


def xlsx(header, rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
