"""The dashboard's views, in menu order. Each module has PATH (under /tableau-de-bord/), NAME, TITLE,
layout(filters, options) and register(app), and DRAWS_MAP when it draws a map of the units; component ids are
prefixed per view, the filters are shared."""
from . import bailleurs, chevauchements, couverture, reseaux, zones_blanches

PAGES = [couverture, zones_blanches, chevauchements, reseaux, bailleurs]
BY_PATH = {page.PATH: page for page in PAGES}
