import time
import pytest
from tests import factories
pytestmark = [pytest.mark.django_db]

def test_bench(mali):
    org = factories.organisation()
    t = time.perf_counter()
    for _ in range(20):
        factories.intervention_in_units(org)
    picked = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(20):
        factories.intervention(org)
    drawn = time.perf_counter() - t
    print(f"\nBENCH picked {picked:.2f}s drawn {drawn:.2f}s")
