"""The first version of the capacity self-assessment questionnaire (data: administrators change it in the admin by
publishing a new version)."""
from django.db import migrations
from django.utils import timezone

# (code, French label, English label, [(question in French, question in English)])
DIMENSIONS = [
    ("gouvernance", "Gouvernance", "Governance", [
        ("Les instances (assemblée générale, bureau) se réunissent et décident comme le prévoient les statuts.",
         "The governing bodies (general assembly, board) meet and decide as the statutes say."),
        ("Les décisions et les responsabilités sont partagées et écrites.",
         "Decisions and responsibilities are shared and written down."),
    ]),
    ("finances", "Gestion financière", "Financial management", [
        ("Un budget annuel est établi et suivi ; les comptes sont tenus à jour.",
         "An annual budget is drawn up and followed; the accounts are kept up to date."),
        ("L'organisation sait rendre compte à un bailleur de l'usage des fonds.",
         "The organisation can report to a funder on how funds were used."),
    ]),
    ("plaidoyer", "Plaidoyer", "Advocacy", [
        ("L'organisation prépare et mène des actions de plaidoyer auprès des autorités et des leaders.",
         "The organisation prepares and carries out advocacy with the authorities and leaders."),
    ]),
    ("gestion-projet", "Gestion de projet", "Project management", [
        ("Les projets ont des objectifs, un plan, un suivi et une évaluation.",
         "Projects have objectives, a plan, monitoring and an evaluation."),
    ]),
    ("expertise-genre", "Expertise genre", "Gender expertise", [
        ("L'équipe maîtrise les approches genre, les droits des femmes et l'orientation vers les services.",
         "The team masters gender approaches, women's rights and referral to services."),
    ]),
    ("outils-numeriques", "Outils numériques", "Digital tools", [
        ("L'équipe utilise le téléphone, la messagerie, le tableur et la plateforme pour son travail.",
         "The team uses phones, messaging, spreadsheets and the platform in its work."),
    ]),
]


def create(apps, schema_editor):
    Dimension = apps.get_model("collaboration", "Dimension")
    QuestionnaireVersion = apps.get_model("collaboration", "QuestionnaireVersion")
    Question = apps.get_model("collaboration", "Question")
    version, created = QuestionnaireVersion.objects.get_or_create(
        number=1, defaults={"title": "Auto-évaluation des capacités organisationnelles", "status": "published",
                            "published_at": timezone.now()})
    for position, (code, label_fr, label_en, questions) in enumerate(DIMENSIONS):
        dimension, _ = Dimension.objects.get_or_create(
            code=code, defaults={"label_fr": label_fr, "label_en": label_en, "position": position})
        if created:
            for index, (text_fr, text_en) in enumerate(questions):
                Question.objects.create(version=version, dimension=dimension, text_fr=text_fr, text_en=text_en,
                                        position=index)


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
