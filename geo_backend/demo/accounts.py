"""The demo accounts: one per role, all with the same known password (hence never in production)."""
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from geo_backend.organisations.access import DONOR_GROUP

DEMO_PASSWORD = "musoya-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    try_this: str


# One account per role. The editor and coordinator get their organisation's name appended when printed.
DEMO_ACCOUNTS = (
    DemoAccount("demo-editrice", "éditrice",
                "modifier ses interventions, dessiner une zone, soumettre le brouillon, corriger l'intervention "
                "rejetée"),
    DemoAccount("demo-coordinatrice", "coordinatrice et éditrice",
                "valider ou rejeter les déclarations soumises des membres, répondre à la demande d'adhésion en "
                "attente, voir les zones restreintes"),
    DemoAccount("demo-admin", "administrateur·rice de la plateforme (superuser)",
                "/admin/, tout voir et tout modifier, activer ou archiver des organisations"),
    DemoAccount("demo-bailleur", f"bailleur (groupe « {DONOR_GROUP} »)",
                "tableau de bord avec les analyses complètes (zones restreintes comprises), en lecture seule"),
)
DEMO_USERNAMES = tuple(account.username for account in DEMO_ACCOUNTS)


def demo_accounts_create() -> dict:
    """The four demo accounts, by username; the shared password is hashed once, which keeps seeding quick."""
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username in DEMO_USERNAMES:
        users[username] = get_user_model().objects.create(
            username=username, email=f"{username}@example.org", password=password,
            is_staff=username == "demo-admin", is_superuser=username == "demo-admin")
    donors, _ = Group.objects.get_or_create(name=DONOR_GROUP)
    users["demo-bailleur"].groups.add(donors)
    return users
