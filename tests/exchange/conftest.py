import pytest

from tests import factories


@pytest.fixture
def orgs(mali):
    """Association Bènkadi (its editor: "editor"), a member of a network (its coordinator: "coordinator"), and
    another organisation with its own editor."""
    people = {name: factories.user() for name in ("editor", "coordinator", "other_editor")}
    benkadi = factories.organisation("Association Bènkadi", editor=people["editor"])
    benkadi.acronym = "AB"
    benkadi.save()
    other = factories.organisation("Association Djiguiya", editor=people["other_editor"])
    network = factories.network(coordinator=people["coordinator"], members=[benkadi])
    return {"people": people, "benkadi": benkadi, "other": other, "network": network}
