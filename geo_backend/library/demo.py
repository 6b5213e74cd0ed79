"""Fictitious library content for the demo: documents (a text PDF made by code, a synthetic-voice audio
testimony), advocacy campaigns, events with recommendations and news, all labelled "(exemple fictif)".

`library_demo_seed(organisations)` is meant to be called by the demo seeder after it has created the demo
organisations (and `library_demo_delete()` before it deletes them: library records PROTECT their organisation).
Everything goes through the services, so files are checked, and their thumbnails and compact audio are queued
for the worker like any upload.
"""
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from geo_backend.organisations.access import Audience
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme

from . import demo_files
from .models import Campaign, Document, Event, NewsItem
from .services import advocacy
from .services.documents import Upload, document_create
from .services.files import delete_after_commit

FICTIF = " (exemple fictif)"
TESTIMONY = ("Bonjour. Ceci est un témoignage fictif, lu par une voix de synthèse. Grâce au quota de trente pour "
             "cent, trois femmes siègent maintenant au conseil communal. Nous demandons un forage pour le marché.")


def _pdf(name: str, title: str, paragraphs: list[str]) -> Upload:
    return Upload(SimpleUploadedFile(name, demo_files.text_pdf(title, paragraphs), "application/pdf"))


def _themes(*codes) -> list[Theme]:
    return list(Theme.objects.filter(code__in=codes))


def _places(count: int, level: int) -> list[AdminUnit]:
    return list(AdminUnit.objects.filter(edition__is_default=True, level=level).order_by("pcode")[:count])


@transaction.atomic
def library_demo_seed(organisations, *, admin_user) -> dict[str, int]:
    """Creates the demo library for the first demo organisations given; returns the counts created.

    admin_user: the account the records are created by (an administrator, as the demo seeder uses)."""
    organisations = [o for o in organisations if o.is_demo][:3]
    if not organisations:
        return {}
    admin = Audience(user_id=admin_user.pk, is_admin=True)
    first, second, third = (organisations * 3)[:3]
    participation, vbg = _themes("participation-politique"), _themes("vbg")
    regions, cercles = _places(2, 1), _places(3, 2)
    today = timezone.localdate()

    report = document_create(audience=admin, organisation=first, fields={
        "title": "Rapport de la journée d'échange entre élues expérimentées et débutantes" + FICTIF,
        "summary": "Trois panels : parcours d'élues, campagne et financement, exercice du mandat. Exemple fictif.",
        "kind": "rapport", "published_on": today - timedelta(days=20)},
        relations={"themes": participation, "places": regions[:1]},
        uploads=[_pdf("rapport-journee-echange.pdf", "Rapport de la journée d'échange (exemple fictif)", [
            "Ce document est un exemple fictif produit pour la démonstration de Musoya.",
            "Panel 1 : parcours d'élues. Panel 2 : campagne et financement. Panel 3 : exercice du mandat.",
            "Les participantes recommandent un mentorat entre élues et la formation des jeunes candidates "
            "avant les élections communales.",
        ])])
    note = document_create(audience=admin, organisation=second, fields={
        "title": "Note de plaidoyer : appliquer la loi n°2015-052 sur le quota de 30 %" + FICTIF,
        "summary": "Ce que prévoit la loi, où elle n'est pas appliquée, ce que nous demandons. Exemple fictif.",
        "kind": "note-de-plaidoyer", "published_on": today - timedelta(days=45)},
        relations={"themes": participation, "places": cercles},
        uploads=[_pdf("note-quota.pdf", "Note de plaidoyer sur le quota (exemple fictif)", [
            "La loi n°2015-052 institue des mesures pour promouvoir le genre dans l'accès aux fonctions "
            "nominatives et électives : au moins 30 % de l'un ou l'autre sexe.",
            "Exemple fictif : dans les communes citées, les listes ne respectaient pas ce quota.",
        ])])
    testimony = document_create(audience=admin, organisation=third, fields={
        "title": "Témoignage audio d'une conseillère communale" + FICTIF, "kind": "temoignage-audio",
        "language": "fr", "summary": "Voix de synthèse (espeak-ng) ; personnage fictif.",
        "published_on": today - timedelta(days=5)},
        relations={"themes": participation, "places": cercles[:1]},
        uploads=[Upload(SimpleUploadedFile("temoignage.wav", demo_files.spoken_wav(TESTIMONY), "audio/wav"),
                        label="Témoignage (voix de synthèse)", transcript=TESTIMONY)])
    guide = document_create(audience=admin, organisation=first, fields={
        "title": "Fiche pratique : orienter une survivante de VBG" + FICTIF, "kind": "fiche-pratique",
        "visibility": "members", "summary": "Réservée aux membres connectés. Exemple fictif."},
        relations={"themes": vbg}, uploads=[_pdf("fiche-orientation.pdf", "Fiche pratique (exemple fictif)", [
            "Exemple fictif. Les étapes d'une orientation vers les services de prise en charge."])])

    campaign = advocacy.campaign_create(audience=admin, organisation=second, fields={
        "title": "Appliquer le quota de 30 % dans les conseils communaux" + FICTIF,
        "message": "Nous demandons que chaque liste respecte la loi n°2015-052 (au moins 30 % de femmes). "
                   "Campagne fictive.", "start_date": today - timedelta(days=60)},
        relations={"participants": organisations, "themes": participation, "places": cercles,
                   "documents": [note, report, testimony]})

    past = advocacy.event_create(audience=admin, organisation=first, fields={
        "title": "Journée d'échange entre élues expérimentées et débutantes" + FICTIF, "kind": "echange",
        "starts_at": timezone.now() - timedelta(days=21), "venue": "Maison de la femme (exemple fictif)",
        "place": regions[0] if regions else None, "participants_women": 46, "participants_men": 6,
        "speakers": "Une ancienne maire (personnage fictif)\nUne députée (personnage fictif)",
        "programme": "9 h : ouverture\n9 h 30 : panel 1, parcours d'élues\n11 h : panel 2, campagne et "
                     "financement\n14 h : panel 3, exercice du mandat\n16 h : recommandations",
        "report": report}, relations={"themes": participation},
        recommendations=["Créer un mentorat entre élues expérimentées et débutantes",
                         "Former les jeunes candidates avant les élections communales",
                         "Suivre l'application du quota dans chaque cercle"])
    first_recommendation = past.recommendations.order_by("position").first()
    advocacy.recommendation_update(audience=admin, recommendation=first_recommendation,
                                   expected_version=first_recommendation.version,
                                   fields={"status": "under_way", "follow_up": "Six binômes formés (fictif)."})
    advocacy.event_create(audience=admin, organisation=second, fields={
        "title": "Formation des candidates aux élections communales" + FICTIF, "kind": "formation",
        "starts_at": timezone.now() + timedelta(days=14), "ends_at": timezone.now() + timedelta(days=15),
        "venue": "Centre de formation (exemple fictif)", "place": cercles[0] if cercles else None},
        relations={"themes": participation})
    advocacy.news_create(audience=admin, organisation=first, fields={
        "title": "46 élues réunies pour partager leur expérience" + FICTIF,
        "body": "Actualité fictive : la journée d'échange a réuni 46 femmes et 6 hommes ; ses trois "
                "recommandations sont suivies sur la page de l'événement.",
        "published_at": timezone.now() - timedelta(days=19), "event": past})
    return {"documents": 4, "campagnes": 1, "événements": 2, "actualités": 1,
            "fichiers": sum(d.files.count() for d in (report, note, testimony, guide)), "campaign": campaign.id}


@transaction.atomic
def library_demo_delete() -> dict[str, int]:
    """Deletes every demo library record (their stored files once committed). Call before deleting the demo
    organisations."""
    demo = Q(is_demo=True) | Q(organisation__is_demo=True)
    names = []
    for document in Document.objects.filter(demo).prefetch_related("files"):
        for document_file in document.files.all():
            names += [document_file.original.name, document_file.compact.name, document_file.thumbnail.name]
    deleted = {"actualités": NewsItem.objects.filter(demo).delete()[0],
               "événements": Event.objects.filter(demo).delete()[0],
               "campagnes": Campaign.objects.filter(demo).delete()[0],
               "documents": Document.objects.filter(demo).delete()[0]}
    delete_after_commit(names)
    return deleted


__all__ = ["library_demo_delete", "library_demo_seed"]
