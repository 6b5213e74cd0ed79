"""Runs Musoya's benchmarks: `python -m bench.run [NAME_SUBSTRING ...] [--repeat N] [--list]`.

Writes bench/results/results.json and results.md and prints the Markdown table. Exit code 1 if a workload failed.
"""
import argparse
import os
import sys

import django


def main(argv: list[str] | None = None) -> int:
    """Parses the command line, sets Django up, runs the selected workloads and writes the results."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("select", nargs="*", metavar="NAME_SUBSTRING",
                        help="run only the workloads whose name contains one of these (case-insensitive)")
    parser.add_argument("--repeat", type=int, metavar="N", help="take N samples in every workload")
    parser.add_argument("--list", action="store_true", help="list the workload names and exit")
    parser.add_argument("--zones", metavar="N[,N…]",
                        help="run at each demo size, each seeded into its own database (e.g. 2000,20000), and "
                             "report the figures side by side with the growth factor (bench/sizes.py)")
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_backend.settings.base")
    django.setup()
    # Imported after django.setup(): the workloads import models.
    from bench.harness import Options, run_workloads, workload_name, write_report
    from bench.workloads import WORKLOADS

    if args.list:
        print("\n".join(workload_name(w) for w in WORKLOADS))
        return 0
    wanted = [s.lower() for s in args.select]
    selected = [w for w in WORKLOADS if not wanted or any(s in workload_name(w).lower() for s in wanted)]
    if not selected:
        parser.error(f"no workload matches {args.select}; known: {', '.join(map(workload_name, WORKLOADS))}")

    if args.zones:
        from bench.harness import RESULTS_DIR
        from bench.sizes import run_sizes, write_sizes_report

        sizes = sorted({int(n) for n in args.zones.split(",")})
        report = run_sizes(selected, Options(repeat=args.repeat), sizes)
        print(write_sizes_report(report, RESULTS_DIR))
    else:
        report = run_workloads(selected, Options(repeat=args.repeat))
        print(write_report(report))
    for error in report["errors"]:
        print(f"FAILED {error['workload']}: {error['error']}", file=sys.stderr)
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
