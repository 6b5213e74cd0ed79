"""What the three load commands share: one transaction per run, --dry-run, counts, progress, clear errors."""
import logging
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from geo_backend.common.errors import DomainError

from ..loaders import LoadReport, Progress

logger = logging.getLogger("musoya.loads")

# One step of a load: its label, and a function that runs it (saying its sub-steps to progress) and reports.
LoadStep = tuple[str, Callable[[Progress], LoadReport]]


class DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


class LoadCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument("--strict", action="store_true",
                            help="Fail (write nothing) if any row is rejected or any check reports a problem.")
        parser.add_argument("--quiet-details", action="store_true", help="Print only the counts.")

    def load_steps(self) -> list[LoadStep]:
        """Subclasses return the steps to run, in order; they all run inside the command's one transaction."""
        raise NotImplementedError

    def handle(self, *args, **options):
        self.options = options
        self.started = time.perf_counter()
        try:
            with transaction.atomic():
                results = self.run_steps(self.load_steps())
                if options["strict"] and any(r.total("rejected") or r.lines for _, r in results):
                    raise CommandError("--strict: rows were rejected or checks reported problems; nothing written.")
                if options["dry_run"]:
                    raise DryRunRollback
        except DryRunRollback:
            self.say(self.style.WARNING("Dry run: nothing was written."), level=0)
        except DomainError as error:
            logger.warning("load refused: %s %s", error.code, error.message_en)
            raise CommandError(f"[{error.code}] {error.message_fr} / {error.message_en} (nothing written)") from error
        elapsed = time.perf_counter() - self.started
        logger.info("%s done in %.1f s%s", self.__module__.rsplit(".", 1)[-1], elapsed,
                    " (dry run)" if options["dry_run"] else "")
        self.say(f"Done in {elapsed:.1f} s.")

    def say(self, line: str, *, level: int = 1) -> None:
        """Print a line unless the command runs quieter than level (-v 0 prints only warnings)."""
        if self.options.get("verbosity", 1) >= level:
            self.stdout.write(line)

    def run_steps(self, steps: list[LoadStep]) -> list[tuple[str, LoadReport]]:
        """Runs each step, printing what it does while it does it, with elapsed times, then its counts."""
        results = []
        for number, (label, run) in enumerate(steps, start=1):
            step_started = time.perf_counter()
            self.say(f"[{number}/{len(steps)}] {label}")

            def progress(step: str, _label=label) -> None:
                self.say(f"    {step} … ({time.perf_counter() - self.started:.1f} s)")

            report = run(progress)
            results.append((label, report))
            self.print_report(label, report, seconds=time.perf_counter() - step_started)
        return results

    def print_report(self, label: str, report: LoadReport, *, seconds: float) -> None:
        for part, counts in report.counts.items():
            self.say(f"{label} {part}: {counts.line()} ({seconds:.1f} s)", level=0 if counts.rejected else 1)
        if not self.options["quiet_details"]:
            for line in report.lines:
                self.say(f"  {label}: {line}")


def manifest_steps(source_ids: list[str]) -> list[LoadStep]:
    """One step per manifest source."""
    from .. import loaders

    return [(source_id, lambda progress, source_id=source_id: loaders.manifest_source_load(source_id, progress))
            for source_id in source_ids]
