"""The library's modules import one way: tasks -> services -> processing (pure tools), services -> jobs.
A loop (processing importing services, services importing tasks) made the order of imports decide what
worked; this reads the import statements so that it cannot come back unnoticed."""
import ast
from pathlib import Path

import geo_backend.library

PACKAGE = Path(geo_backend.library.__file__).parent


def library_imports(relative: str) -> set[str]:
    """The library modules a file imports (absolute names under geo_backend.library), at any depth in it."""
    path = PACKAGE / relative
    package = ["geo_backend", "library", *Path(relative).parent.parts]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.update(f"{module}.{alias.name}" for alias in node.names)
            names.add(module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("geo_backend.library")}


def test_processing_is_pure():
    assert library_imports("processing.py") == set()


def test_services_never_import_tasks():
    for path in (PACKAGE / "services").glob("*.py"):
        imported = library_imports(str(path.relative_to(PACKAGE)))
        assert not any(name.startswith("geo_backend.library.tasks") for name in imported), path.name


def test_jobs_import_neither_services_nor_tasks():
    imported = library_imports("jobs.py")
    assert not any(name.startswith(("geo_backend.library.services", "geo_backend.library.tasks"))
                   for name in imported)


def test_the_services_enqueue_the_task_the_worker_runs():
    from geo_backend.library import jobs, tasks

    assert tasks.process_document_file.name == jobs.PROCESS_DOCUMENT_FILE
    assert tasks.process_document_file.queue == "library"
