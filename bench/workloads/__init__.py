"""The registry of workloads, run in this order by `python -m bench.run`.

Each capability adds its own module here and appends its workload functions to WORKLOADS.
"""
from . import boundaries

WORKLOADS = [
    boundaries.area_latency,
    boundaries.tile_latency,
    boundaries.locality_search_latency,
    boundaries.payload_sizes,
    boundaries.slivers,
    # Last: it truncates the reference tables inside a transaction (rolled back), which blocks their readers.
    boundaries.full_load,
]
