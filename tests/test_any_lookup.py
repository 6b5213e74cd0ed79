"""`field__any=[…]` (geo_backend/common/lookups.py): the same rows as `__in`, sent as one array parameter."""
import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_any_selects_the_rows_of_the_list_with_one_parameter():
    people = [User.objects.create_user(f"any-{n}") for n in range(5)]
    wanted = [people[0].id, people[3].id, 10**9]  # an id that does not exist is no error
    chosen = User.objects.filter(id__any=wanted)
    sql, params = chosen.query.sql_with_params()
    assert "= ANY(" in sql and list(params) == [wanted]  # the whole list as one parameter
    with CaptureQueriesContext(connection) as queries:
        found = sorted(chosen.values_list("id", flat=True))
    assert found == sorted(User.objects.filter(id__in=wanted).values_list("id", flat=True)) == wanted[:2]
    assert len(queries) == 1
    assert not User.objects.filter(id__any=[]).exists()
    # Model instances and any iterable, read once: the query can be run again.
    again = User.objects.filter(id__any=(person for person in people[:2])).order_by("id")
    assert list(again) == list(again.all()) == people[:2]


@pytest.mark.django_db
def test_any_works_on_a_foreign_key_and_across_a_relation():
    readers, writers = Group.objects.create(name="any-readers"), Group.objects.create(name="any-writers")
    first, second = User.objects.create_user("any-first"), User.objects.create_user("any-second")
    first.groups.add(readers, writers)
    second.groups.add(writers)
    links = User.groups.through.objects.filter(user_id__any=[second.id])  # a foreign key's own registry
    assert [link.group_id for link in links] == [writers.id]
    assert list(User.objects.filter(groups__any=[readers.id])) == [first]
    assert list(Group.objects.filter(user__any=[first.id, second.id]).distinct().order_by("name")) == [readers,
                                                                                                      writers]
