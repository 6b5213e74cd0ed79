"""The registry of workloads, run in this order by `python -m bench.run`.

Each capability adds its own module here and appends its workload functions to WORKLOADS.
"""
from . import boundaries
from .analytics import coverage_api, coverage_rebuild, zone_update
from .dashboard import WORKLOADS as DASHBOARD
from .etl import check_layer_real
from .exchange import import_500_rows
from .fuzz import schema_fuzzing
from .library import library_page, library_search
from .registry import all_zones_admin, all_zones_visitor, listing_queries
from .site import home_page
from .throughput import layer_throughput

WORKLOADS = [
    boundaries.area_latency,
    boundaries.tile_latency,
    layer_throughput,
    boundaries.locality_search_latency,
    boundaries.payload_sizes,
    boundaries.slivers,
    check_layer_real,
    listing_queries,
    all_zones_admin,
    all_zones_visitor,
    coverage_api,
    zone_update,
    # It truncates the coverage atoms inside a transaction (rolled back), which blocks their readers meanwhile.
    coverage_rebuild,
    home_page,
    library_search,
    library_page,
    *DASHBOARD,
    schema_fuzzing,
    import_500_rows,
    # Last: it truncates the reference tables inside a transaction (rolled back), which blocks their readers.
    boundaries.full_load,
]
