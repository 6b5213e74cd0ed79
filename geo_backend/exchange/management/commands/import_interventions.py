"""manage.py import_interventions FILE [--dry-run] [--organisation SLUG] [--user NAME] [--mapping JSON]"""
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from geo_backend.common.errors import DomainError
from geo_backend.exchange.services import import_file
from geo_backend.organisations.access import audience_for
from geo_backend.organisations.models import Organisation


class Command(BaseCommand):
    help = ("Importe des interventions depuis un tableau CSV, XLSX ou un export KoBoToolbox (une ligne par "
            "intervention et lieu). --dry-run : montre ce qui serait fait, n'écrit rien.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument("--organisation", help="slug or id of the organisation of rows that name none")
        parser.add_argument("--user", help="import as this account (its rights apply); default: first administrator")
        parser.add_argument("--mapping", help='JSON {"field": "column"} overriding the recognised columns')
        parser.add_argument("--scheme", choices=["cod2015", "hdx2017"], help="the file's P-code scheme")
        parser.add_argument("--edition", help="boundary edition (default edition if omitted)")
        parser.add_argument("--submit", action="store_true", help="submit the interventions for validation")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        users = get_user_model().objects.filter(is_active=True)
        if options["user"]:
            user = users.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Unknown user: {options['user']}")
        else:  # whoever runs manage.py has the database anyway: act as (and record) the first administrator
            user = users.filter(is_superuser=True).order_by("pk").first()
            if user is None:
                raise CommandError("No administrator account: give --user NAME.")
        audience = audience_for(user)
        organisation_id = None
        if options["organisation"]:
            key = options["organisation"]
            found = Organisation.objects.filter(**({"pk": int(key)} if key.isdigit() else {"slug": key})).first()
            if found is None:
                raise CommandError(f"Unknown organisation: {key}")
            organisation_id = found.id
        try:
            mapping = json.loads(options["mapping"]) if options["mapping"] else None
            report = import_file(audience=audience, data=path.read_bytes(), filename=path.name, mapping=mapping,
                                 organisation_id=organisation_id, scheme=options["scheme"],
                                 edition_slug=options["edition"], dry_run=options["dry_run"],
                                 submit=options["submit"])
        except json.JSONDecodeError as error:
            raise CommandError(f"--mapping is not JSON: {error}") from error
        except DomainError as error:
            details = error.details if isinstance(error.details, dict) else {}
            if "rows" in details:
                self._print_rows(details["rows"])
            raise CommandError(f"{error.code}: {error.message_en}") from error
        self._print_rows(report["rows"])
        counts = report["counts"]
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{report['filename']} (sha256 {report['sha256'][:12]}…, {report['format']}, scheme {report['scheme']}): "
            f"{counts['rows']} rows; interventions that {verb} created {counts['create']}, updated "
            f"{counts['update']}, unchanged {counts['unchanged']}; rows with errors {counts['errors']}")

    def _print_rows(self, rows):
        for row in rows:
            for problem in row["problems"]:
                candidates = ", ".join(f"{c.get('name')} ({c.get('pcode') or c.get('id')})"
                                       for c in problem.get("candidates", [])[:3])
                self.stdout.write(f"line {row['line']}: {problem['severity']} {problem['code']}: {problem['message']}"
                                  + (f" [candidates: {candidates}]" if candidates else ""))
