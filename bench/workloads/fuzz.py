"""The long schema-driven fuzzing pass (issue 11): tests/api/test_fuzz_schema.py with more examples per operation
and schemathesis's coverage phase, on the test database (pytest-django's, TEST_DATABASE_NAME), in a subprocess.

Not a timing figure to compare: the figure is the run's duration, and the workload fails when the fuzzer found a
5xx or a response outside the schema (pytest's summary is in `extra`)."""
import os
import re
import subprocess
import sys
import time

from bench.harness import PROJECT_DIR, Options, Result

EXAMPLES = 100  # per operation and audience; MUSOYA_FUZZ_EXAMPLES overrides it
TIMEOUT_S = 3600


def schema_fuzzing(options: Options) -> Result:
    """One pytest run of the fuzz tests with EXAMPLES examples per operation (anonymous and editor)."""
    examples = int(os.environ.get("MUSOYA_FUZZ_EXAMPLES", EXAMPLES))
    environment = {**os.environ, "MUSOYA_FUZZ_EXAMPLES": str(examples)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # pytest uses the test settings (pyproject.toml)
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/api/test_fuzz_schema.py", "-q", "--reuse-db",
                          "-p", "no:cacheprovider"], cwd=PROJECT_DIR, env=environment, capture_output=True,
                         text=True, timeout=TIMEOUT_S)
    elapsed = time.perf_counter() - started
    summary = (run.stdout.strip().splitlines() or [""])[-1]
    if run.returncode != 0:
        failures = re.findall(r"^FAILED .*$", run.stdout, re.MULTILINE)[:20]
        raise RuntimeError(f"the fuzzer found problems: {summary}\n" + "\n".join(failures))
    return Result("schema fuzzing (schemathesis, anonymous + editor)", "s", [elapsed],
                  extra={"examples_per_operation": examples, "coverage_phase": True, "pytest": summary})
