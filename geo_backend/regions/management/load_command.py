"""What the three load commands share: one transaction per run, --dry-run, counts, clear errors."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from geo_backend.common.errors import DomainError

from ..loaders import LoadReport


class DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


class LoadCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument("--strict", action="store_true",
                            help="Fail (write nothing) if any row is rejected or any check reports a problem.")
        parser.add_argument("--quiet-details", action="store_true", help="Print only the counts.")

    def run_loads(self) -> list[tuple[str, LoadReport]]:
        """Subclasses return [(label, report), …]; they run inside the command's transaction."""
        raise NotImplementedError

    def handle(self, *args, **options):
        self.options = options
        started = time.perf_counter()
        try:
            with transaction.atomic():
                results = self.run_loads()
                self.print_results(results)
                if options["strict"] and any(r.total("rejected") or r.lines for _, r in results):
                    raise CommandError("--strict: rows were rejected or checks reported problems; nothing written.")
                if options["dry_run"]:
                    raise DryRunRollback
        except DryRunRollback:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        except DomainError as error:
            raise CommandError(f"[{error.code}] {error.message_fr} / {error.message_en} (nothing written)") from error
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")

    def print_results(self, results):
        for label, report in results:
            for part, counts in report.counts.items():
                self.stdout.write(f"{label} {part}: {counts.line()}")
            if not self.options["quiet_details"]:
                for line in report.lines:
                    self.stdout.write(f"  {label}: {line}")
