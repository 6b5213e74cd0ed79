"""The coverage budget: what any statement over the coverage atoms may use, whether it writes them (services.py) or
measures with them (selectors.py, overlaps.py, rollups.py)."""
from django.conf import settings


def bound_statements(cursor) -> None:
    """Until the transaction ends: a memory budget per sort or hash (COVERAGE_WORK_MEM: under the server's 4 MB
    default the atoms of one theme at 20,000 zones were sorted on disk, twice), and a time limit per statement
    (COVERAGE_STATEMENT_TIMEOUT_MS). A tighter limit already set (a web request's) is kept."""
    cursor.execute(
        "SELECT set_config('work_mem', %s, true),"
        " set_config('statement_timeout', CASE WHEN current_setting('statement_timeout') IN ('0', '0ms')"
        " THEN %s ELSE current_setting('statement_timeout') END, true)",
        [settings.COVERAGE_WORK_MEM, f"{settings.COVERAGE_STATEMENT_TIMEOUT_MS}ms"])
