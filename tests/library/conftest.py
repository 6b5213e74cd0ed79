"""Fixtures of the library's tests: uploaded files land in a temporary MEDIA_ROOT, people and organisations."""
from pathlib import Path

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root: Path) -> list[Path]:
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


@pytest.fixture
def editor():
    return factories.user()


@pytest.fixture
def org(editor):
    return factories.organisation("Association Test (exemple fictif)", editor=editor)
