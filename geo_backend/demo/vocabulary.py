"""The invented vocabulary and the proportions of the demo: plain data, no Django.

Codes are the stored values of the model choices (Organisation.Kind, Intervention.Status, Sensitivity, …);
tests/demo/test_writer.py checks that each one is a valid choice, so this module needs no model import and the
planner stays pure.
"""

FICTIF = " (exemple fictif)"
POPULATION_YEAR = 2017

# Bambara words (hope, light, progress, trust, peace…) combined with a town: plausible, but not any real
# organisation's name, and every name ends with FICTIF. No acronyms, since real ones are short and easy to hit.
NAME_WORDS = ["Kènè", "Jigiya", "Yeelen", "Nyèta", "Danaya", "Hèrè", "Sinsin", "Bènkadi", "Dèmè", "Kanuya",
              "Sabati", "Hakili"]
NAME_PEOPLE = ["Muso", "Musow", "Denmuso", "Sunguru", "Baarakèla", "Kafo"]
ORGANISATION_KINDS = [  # (kind, label, weight)
    ("association", "Association", 45),
    ("ong", "ONG", 25),
    ("cooperative", "Coopérative", 10),
    ("collectif", "Collectif", 10),
    ("groupement", "Groupement", 10),
]
NETWORK_KINDS = [("reseau", "Réseau"), ("plateforme", "Plateforme"), ("alliance", "Alliance")]
NETWORK_KIND_CODES = frozenset(kind for kind, _label in NETWORK_KINDS)
NETWORK_WORDS = ["Sahel", "Nyèta", "Bèn", "Danaya", "Yeelen", "Hèrè", "Jigiya", "Sinsin", "Fasokan", "Niger"]
NETWORK_FOCUS = ["des Femmes Leaders", "pour les Droits des Femmes", "des Organisations Féminines",
                 "des Femmes Rurales", "des Femmes Médiatrices", "des Juristes Communautaires",
                 "des Femmes Entrepreneures"]
FUNDER_NAMES = ["Fonds Exemple pour l'Égalité", "Fondation Imaginaire pour les Droits des Femmes",
                "Programme Fictif d'Appui à la Société Civile", "Coopération Exemplaire Nord-Sud"]
# The boundary file writes names without accents; the organisation names read better with them.
ACCENTED = {"Segou": "Ségou", "Koulikouro": "Koulikoro", "Kenieba": "Kéniéba", "Diema": "Diéma",
            "Yelimane": "Yélimané", "Bafoulabe": "Bafoulabé", "Dioila": "Dioïla", "Baroueli": "Barouéli",
            "Djenne": "Djenné", "Tenenkou": "Ténenkou", "Dire": "Diré", "Niafunke": "Niafunké",
            "Menaka": "Ménaka"}

# Title stems per domain code of the taxonomy (geo_backend/taxonomy/reference.py).
TITLE_STEMS = {
    "vbg": ["Prévention des violences basées sur le genre", "Prise en charge des survivantes de VBG",
            "Espaces sûrs pour les femmes et les filles", "Dialogue avec les leaders religieux contre les VBG"],
    "participation-politique": ["Accompagnement des candidates aux élections communales",
                                "Formation des élues locales",
                                "Plaidoyer pour l'application de la loi n°2015-052"],
    "autonomisation-economique": ["Appui aux activités génératrices de revenus des femmes rurales",
                                  "Groupes d'épargne et de crédit des femmes",
                                  "Transformation des produits agricoles par les femmes"],
    "acces-justice": ["Clinique juridique mobile", "Actes d'état civil pour les femmes",
                      "Parajuristes communautaires"],
    "organisations-mouvements": ["Renforcement des capacités des associations féminines",
                                 "Mise en réseau des organisations de femmes"],
    "paix-securite": ["Femmes médiatrices pour la paix", "Participation des femmes aux comités de réconciliation"],
    "sante-sexuelle": ["Causeries sur la santé sexuelle et reproductive",
                       "Accès des jeunes femmes à la planification familiale"],
    "education-filles": ["Maintien des filles à l'école", "Bourses scolaires pour les filles",
                         "Alphabétisation des femmes"],
}
DEFAULT_TITLE_STEM = "Promotion des droits des femmes"
REJECTION_REASON = ("Les communes déclarées ne correspondent pas aux activités décrites : merci de préciser la zone "
                    "(exemple fictif).")

# Shares of the interventions, as weights (keys are the stored choice values).
STATUS_WEIGHTS = {"ongoing": 55, "completed": 30, "planned": 15}
SENSITIVITY_WEIGHTS = {"public": 80, "coarse": 15, "restricted": 5}
VALIDATION_WEIGHTS = {"validated": 75, "submitted": 13, "draft": 12}
METHOD_WEIGHTS = {"picked": 40, "buffer": 35, "drawn": 25}
# Real zones follow real practice (issue 16: the demo once piled thousands of distinct 30 km circles onto Bamako's
# six communes, which no real registry holds):
# - an organisation keeps working in the same places: a new zone of its own in a commune where it already has one
#   of that method is, this often, that same zone again (its next project there), not a new overlapping shape;
SITE_REUSE = 0.8
# - a radius or a drawn zone is sized on the commune it is drawn in: a share of the radius of a disc of the
#   commune's area (about 3 km in a Bamako commune, 20 km in a large rural one), within these bounds in km;
ZONE_SCALE = (0.3, 1.0)
BUFFER_RADIUS_KM = (1, 30)
DRAWN_SIZE_KM = (1, 20)
RURAL_AREA_KM2 = 1000  # the commune size assumed when the reference does not give it
# - in a town (a commune under this area), organisations mostly name the commune rather than draw around a place.
URBAN_AREA_KM2 = 100
URBAN_PICKED_SHARE = 0.6
# A network's first member founded it, its second sits on its board, the others are members.
MEMBERSHIP_ROLES = ("founder", "board", "member")
# Share of an organisation's interventions anchored in its home region rather than anywhere in Mali. Since the
# home region is itself drawn by women population, the communes stay drawn in proportion to women population.
HOME_REGION_SHARE = 0.7


def accented(name: str) -> str:
    """A place name with its French accents, when the boundary file dropped them."""
    return ACCENTED.get(name, name)
