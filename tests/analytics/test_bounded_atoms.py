"""Coverage atoms are built in bounded batches of communes, each statement with a memory budget and a time limit,
and rebuild_coverage reports its progress (issue 11 item 5, issue 16)."""
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from geo_backend.analytics import services
from geo_backend.regions.models import AdminUnit
from tests import factories

from .grid_setup import X0, Y0, declared, grid_edition, rectangle
from .test_edge_cases import atoms, edit_a_few_zones, rebuild_in_this_transaction

pytestmark = pytest.mark.django_db
PROGRESS = re.compile(r"^coverage atoms: (\d+)/(\d+) communes, (\d+) atoms \(\d+\.\d s\)$")


def rebuild(*args) -> list[str]:
    out = StringIO()
    rebuild_in_this_transaction()
    call_command("rebuild_coverage", *args, stdout=out)
    return out.getvalue().splitlines()


def test_rebuild_one_commune_at_a_time_gives_the_same_atoms_and_prints_its_progress(tmp_path, settings):
    edition = grid_edition(tmp_path)
    edit_a_few_zones(edition)
    incremental = atoms(edition)
    settings.COVERAGE_BATCH_COMMUNES = 1

    lines = rebuild()

    rebuilt = atoms(edition)
    assert [(pcode, zones) for pcode, zones, _area in rebuilt] == [(pcode, zones) for pcode, zones, _a in incremental]
    assert [area for *_key, area in rebuilt] == pytest.approx([area for *_key, area in incremental], rel=1e-9)
    progress = [PROGRESS.match(line).groups() for line in lines if line.startswith("coverage atoms:")]
    assert [(int(done), int(total)) for done, total, _atoms in progress] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    counts = [int(count) for _done, _total, count in progress]
    assert counts == sorted(counts) and counts[-1] == len(rebuilt)
    assert re.fullmatch(r"zones: 2/2 cut into commune pieces \(\d+\.\d s\)", lines[0])
    assert lines[-1].startswith(f"{len(rebuilt)} coverage atoms in ")


def test_a_batch_holds_at_most_the_pieces_budget_but_never_splits_a_commune(tmp_path, settings):
    edition = grid_edition(tmp_path)
    organisation = factories.organisation()
    for offset in (0.0, 0.05, 0.1):  # three zones in the north-west commune, one in the south-east
        declared(organisation, rectangle(X0 + offset, Y0 + 0.6, X0 + offset + 0.2, Y0 + 0.8), edition=edition)
    declared(organisation, rectangle(X0 + 0.6, Y0 + 0.1, X0 + 0.8, Y0 + 0.3), edition=edition)
    communes = list(AdminUnit.objects.filter(edition=edition, level=3).order_by("id").values_list("id", flat=True))
    settings.COVERAGE_BATCH_PIECES = 2
    reported = []

    with transaction.atomic():
        services.coverage_atoms_refresh(communes, progress=lambda done, total, count: reported.append(done))

    # Greedy in commune id order: north-west's 3 pieces exceed the budget of 2, so it is a batch of its own (never
    # split); the three others hold 1 piece together.
    with connection.cursor() as cursor:
        batches = services._batches(cursor, communes)
    pcodes = dict(AdminUnit.objects.filter(edition=edition, level=3).values_list("id", "pcode"))
    assert [[pcodes[c] for c in batch] for batch in batches] == [["ZZ010101"], ["ZZ010102", "ZZ010103", "ZZ010104"]]
    assert reported == [1, 4]


def test_rebuild_coverage_is_silent_at_verbosity_0(tmp_path):
    edition = grid_edition(tmp_path)
    edit_a_few_zones(edition)
    assert rebuild("-v", "0") == []


def settings_now() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem'), current_setting('statement_timeout')")
        return cursor.fetchone()


def test_an_atoms_refresh_has_a_memory_budget_and_a_time_limit(tmp_path, settings):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), rectangle(X0, Y0, X0 + 0.2, Y0 + 0.2), edition=edition)
    settings.COVERAGE_WORK_MEM, settings.COVERAGE_STATEMENT_TIMEOUT_MS = "24MB", 90_000
    communes = list(AdminUnit.objects.filter(edition=edition, level=3).values_list("id", flat=True))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")  # as in a command: no limit of its own
        services.coverage_atoms_refresh(communes)
        assert settings_now() == ("24MB", "90s")


def test_an_atoms_refresh_keeps_the_tighter_limit_of_a_web_request(tmp_path, settings):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), rectangle(X0, Y0, X0 + 0.2, Y0 + 0.2), edition=edition)
    communes = list(AdminUnit.objects.filter(edition=edition, level=3).values_list("id", flat=True))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '20s'")
        services.coverage_atoms_refresh(communes)
        assert settings_now()[1] == "20s"
