"""Rules about the code itself, checked by reading it.

Every visibility and permission question is answered by geo_backend/organisations/access/ and the apps'
selectors. The pages (geo_backend/web), the dashboard and its exports (dashboards/) call them and hold no rule of
their own: no sensitivity or visibility constant, no raw fact about the person (which organisations she edits,
which networks she coordinates, whether she is an administrator), and no query narrowed by a record's
sensitivity, visibility, validation state or status.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRESENTATION = [ROOT / "geo_backend" / "web", ROOT / "dashboards"]
# The model constants that decide who sees what.
RULE_CONSTANTS = {"Sensitivity", "Visibility", "ADMIN_GROUP", "DONOR_GROUP"}
# The facts an Audience holds; organisations/access/ turns them into answers (can_…, sees_…, …_q).
AUDIENCE_FACTS = {"editor_of", "coordinator_of", "coordinated_members", "is_admin", "is_donor"}
# Fields whose value decides who may see a record: a query narrowed by them is a visibility rule.
RULE_FIELDS = {"sensitivity", "visibility", "validation_state", "status"}
QUERY_METHODS = {"filter", "exclude", "get", "get_or_create", "update_or_create"}


def presentation_modules() -> list[Path]:
    return sorted(path for folder in PRESENTATION for path in folder.rglob("*.py"))


def violations(source: str) -> list[str]:
    """What in this module decides visibility or permission by itself, as "line: what" strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            found += [f"{node.lineno}: imports {alias.name}" for alias in node.names if alias.name in RULE_CONSTANTS]
        elif isinstance(node, ast.Attribute) and node.attr in RULE_CONSTANTS | AUDIENCE_FACTS:
            found.append(f"{node.lineno}: reads .{node.attr}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in QUERY_METHODS):
            for keyword in node.keywords:
                if keyword.arg and RULE_FIELDS & set(keyword.arg.split("__")):
                    found.append(f"{node.lineno}: narrows a query by {keyword.arg}")
    return found


def test_the_rule_finder_finds_what_it_looks_for():
    """The checks below are only worth something if the finder sees each kind of rule."""
    source = (
        "from geo_backend.zones.models import Sensitivity\n"
        "if audience.is_admin or pk in audience.editor_of:\n"
        "    rows = Intervention.objects.filter(validation_state='validated', organisation__status='active')\n"
        "rows = rows.exclude(sensitivity=Sensitivity.RESTRICTED)\n"
        "ok = Intervention.objects.filter(pk__in=ids).values('status')\n"
    )
    assert set(violations(source)) == {
        "1: imports Sensitivity", "2: reads .is_admin", "2: reads .editor_of",
        "3: narrows a query by validation_state", "3: narrows a query by organisation__status",
        "4: narrows a query by sensitivity",
    }


@pytest.mark.parametrize("path", presentation_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_dashboard_and_exports_hold_no_permission_or_visibility_rule(path):
    assert violations(path.read_text(encoding="utf-8")) == []


def test_the_pages_and_the_dashboard_are_all_checked():
    names = {str(p.relative_to(ROOT)) for p in presentation_modules()}
    assert {"geo_backend/web/views/espace.py", "geo_backend/web/views/pages.py", "geo_backend/web/context.py",
            "dashboards/data/__init__.py", "dashboards/data/audience.py", "dashboards/data/layers.py",
            "dashboards/data/measures.py", "dashboards/data/options.py", "dashboards/exports.py",
            "dashboards/pages/couverture.py"} <= names


# --- The dashboard's one door to geo_backend ---------------------------------------------------------------------
DASHBOARD = ROOT / "dashboards"
DATA_PACKAGE = DASHBOARD / "data"


def geo_backend_imports(source: str) -> list[str]:
    """What of geo_backend this module imports (at any depth: in functions too), as "line: dotted name" strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        found += [f"{node.lineno}: {module}" for module in modules if module.split(".")[0] == "geo_backend"]
    return found


def model_reads(source: str) -> list[str]:
    """Where this module reads models itself: an import of a geo_backend models module, or a manager (.objects)."""
    found = [entry for entry in geo_backend_imports(source)
             if "models" in entry.split(": ", 1)[1].split(".")]
    found += [f"{node.lineno}: .objects" for node in ast.walk(ast.parse(source))
              if isinstance(node, ast.Attribute) and node.attr == "objects"]
    return found


def test_the_door_finders_find_what_they_look_for():
    source = (
        "import geo_backend.zones.selectors\n"
        "from geo_backend.taxonomy.models import Theme\n"
        "from .state import Filters\n"
        "def f():\n"
        "    from geo_backend.organisations import models\n"
        "    return Theme.objects.all()\n"
    )
    assert geo_backend_imports(source) == ["1: geo_backend.zones.selectors", "2: geo_backend.taxonomy.models.Theme",
                                           "5: geo_backend.organisations.models"]
    assert sorted(model_reads(source)) == ["2: geo_backend.taxonomy.models.Theme",
                                           "5: geo_backend.organisations.models", "6: .objects"]


@pytest.mark.parametrize("path", sorted(p for p in DASHBOARD.rglob("*.py") if DATA_PACKAGE not in p.parents),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_data_package_of_the_dashboard_imports_geo_backend(path):
    assert geo_backend_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", sorted(DATA_PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_dashboard_data_package_reads_no_model_itself(path):
    assert model_reads(path.read_text(encoding="utf-8")) == []


# --- The rules' package ----------------------------------------------------------------------------------------
ACCESS = ROOT / "geo_backend" / "organisations" / "access"


def public_names(source: str) -> set[str]:
    """The names a module defines at its top level for others (functions, classes, constants), as a set."""
    found = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign):
            found |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return {name for name in found if not name.startswith("_")}


def test_the_name_finder_finds_what_it_looks_for():
    source = "X = 1\n_Y = 2\nclass A:\n    b = 3\ndef f():\n    g = 4\ndef _h():\n    pass\n"
    assert public_names(source) == {"X", "A", "f"}


@pytest.mark.parametrize("path", sorted(p for p in ACCESS.glob("*.py") if p.name != "__init__.py"),
                         ids=lambda p: p.name)
def test_every_rule_of_the_access_package_is_reachable_as_access_dot_name(path):
    """Callers write `access.X` / `from geo_backend.organisations.access import X`: a rule added to a module of the
    package must be re-exported by its __init__, or it would be called through the module (or not at all)."""
    from geo_backend.organisations import access

    names = public_names(path.read_text(encoding="utf-8"))
    assert names
    assert names <= set(access.__all__)
    assert all(getattr(access, name) is getattr(getattr(access, path.stem), name) for name in names)
