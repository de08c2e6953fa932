#!/usr/bin/env python3
"""Reads an aisle dataset with independent readers (pyarrow, DuckDB and,
when installed, polars) and checks it against what `aisle run` reported:
row counts, column types, visitors, transactions and revenue. `events/` must
read as one hive-partitioned dataset in each reader, as the README shows.

usage: check_dataset.py DATASET_DIR [RUN_STDOUT ...]
Each RUN_STDOUT is the captured output of one `aisle run` into the dataset.
If DATASET_DIR/compare/comparison.json exists (made by `aisle compare`),
DuckDB also reproduces its mean revenue per visitor for every variant.
"""
import json
import re
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

try:
    import polars as pl
except ImportError:  # optional locally; CI installs it
    pl = None

EXPECTED_TYPES = {
    "seq": pa.uint64(),
    "t_ms": pa.uint64(),
    "shopper": pa.uint32(),
    "kind": pa.dictionary(pa.uint8(), pa.string()),
    "x": pa.float32(),
    "y": pa.float32(),
    "floor": pa.uint8(),
    "zone": pa.uint16(),
    "product": pa.uint32(),
    "lane": pa.uint16(),
    "qty": pa.uint16(),
    "amount_cents": pa.int64(),
    "planned": pa.bool_(),
    "party": pa.uint32(),
    "fixture": pa.uint16(),
    "counter": pa.uint16(),
}
KINDS = {"enter", "move", "zone_enter", "zone_exit", "view", "pick", "put_back",
         "queue_join", "checkout", "abandon", "exit", "not_found", "at_shelf", "serve",
         "counter_join", "counter_serve", "counter_done", "counter_leave", "stop_start", "stop_end"}
META_KEYS = {"aisle.schema_version", "aisle.version", "aisle.scenario_sha256", "aisle.variant",
             "aisle.seed", "aisle.tick_ms", "aisle.zones", "aisle.products", "aisle.lanes",
             "aisle.counters"}


def fail(msg):
    print(f"interop check FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def parse_stdout(text):
    """The figures `aisle run` printed."""
    head = re.search(r"^(\S+) / (\S+) / seed (\d+)$", text, re.M)
    get = lambda pat: re.search(pat, text, re.M).group(1)
    return {
        "variant": head.group(2),
        "seed": int(head.group(3)),
        "visitors": int(get(r"^  visitors\s+(\d+)")),
        "transactions": int(get(r"^  transactions\s+(\d+)")),
        "revenue_cents": round(float(get(r"^  revenue\s+([\d.]+)")) * 100),
        "rows": int(get(r"^  events\s+(\d+)")),
    }


def main():
    if len(sys.argv) < 2:
        fail(__doc__)
    root = Path(sys.argv[1])
    manifest = json.loads((root / "manifest.json").read_text())
    runs = {(r["variant"], r["seed"]): r for r in manifest["runs"]}
    if not runs:
        fail("the manifest lists no runs")
    for out in sys.argv[2:]:
        printed = parse_stdout(Path(out).read_text())
        run = runs.get((printed["variant"], printed["seed"]))
        if run is None:
            fail(f"{out}: run {printed['variant']}/{printed['seed']} missing from the manifest")
        for key in ("visitors", "transactions", "revenue_cents", "rows"):
            if run[key] != printed[key]:
                fail(f"{out}: printed {key}={printed[key]} but the manifest says {run[key]}")

    # pyarrow: schema, metadata and per-file figures.
    for (variant, seed), run in runs.items():
        path = root / run["path"]
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
        for name, typ in EXPECTED_TYPES.items():
            if name not in schema.names:
                fail(f"{path}: column {name} missing")
            if schema.field(name).type != typ:
                fail(f"{path}: column {name} is {schema.field(name).type}, expected {typ}")
        meta = {k.decode(): v.decode() for k, v in (pf.metadata.metadata or {}).items()}
        missing = META_KEYS - meta.keys()
        if missing:
            fail(f"{path}: metadata keys missing: {sorted(missing)}")
        if meta["aisle.variant"] != variant or int(meta["aisle.seed"]) != seed:
            fail(f"{path}: metadata says {meta['aisle.variant']}/{meta['aisle.seed']}")
        table = pf.read()
        if table.num_rows != run["rows"]:
            fail(f"{path}: pyarrow reads {table.num_rows} rows, manifest says {run['rows']}")
        if "variant" in schema.names or "seed" in schema.names:
            fail(f"{path}: partition columns must not be repeated inside the file")
        kinds = set(table.column("kind").to_pylist())
        if not kinds <= KINDS:
            fail(f"{path}: unknown kinds {kinds - KINDS}")
        print(f"pyarrow: {run['path']}: {table.num_rows} rows, schema and metadata ok")

    # pyarrow: events/ as one dataset, the way the README reads it.
    events = pq.read_table(root / "events", partitioning="hive")
    if events.num_rows != sum(r["rows"] for r in runs.values()):
        fail(f"pyarrow read_table(events/) reads {events.num_rows} rows, the runs hold "
             f"{sum(r['rows'] for r in runs.values())}")
    for (variant, seed), run in runs.items():
        mine = pc.and_(pc.equal(pc.cast(events.column("variant"), pa.string()), variant),
                       pc.equal(pc.cast(events.column("seed"), pa.int64()), seed))
        n = pc.sum(pc.cast(mine, pa.int64())).as_py() or 0
        if n != run["rows"]:
            fail(f"pyarrow read_table(events/): {variant}/{seed} has {n} rows, its record says {run['rows']}")
    print(f"pyarrow: read_table(events/) reads one dataset of {events.num_rows} rows over {len(runs)} runs")

    # polars: events/ as one dataset too.
    if pl is not None:
        frame = pl.read_parquet(root / "events", hive_partitioning=True)
        counts = {(v, int(s)): n for v, s, n in
                  frame.group_by(["variant", "seed"]).len().iter_rows()}
        for (variant, seed), run in runs.items():
            if counts.get((variant, seed)) != run["rows"]:
                fail(f"polars read_parquet(events/): {variant}/{seed} has {counts.get((variant, seed))} rows, "
                     f"its record says {run['rows']}")
        if len(counts) != len(runs):
            fail(f"polars sees {len(counts)} runs in events/, the manifest lists {len(runs)}")
        print(f"polars: read_parquet(events/) reads one dataset of {frame.height} rows over {len(counts)} runs")
    else:
        print("polars: not installed, skipped")

    # DuckDB over the whole dataset with hive partitioning.
    con = duckdb.connect()
    glob = str(root / "events" / "*" / "*" / "*.parquet")
    rows = con.execute(
        f"""
        SELECT variant, CAST(seed AS BIGINT) AS seed, count(*) AS n,
               count(*) FILTER (WHERE kind = 'enter') AS visitors,
               count(*) FILTER (WHERE kind = 'checkout') AS transactions,
               coalesce(sum(amount_cents) FILTER (WHERE kind = 'checkout'), 0) AS revenue
        FROM read_parquet('{glob}', hive_partitioning = true)
        GROUP BY ALL ORDER BY ALL
        """
    ).fetchall()
    if len(rows) != len(runs):
        fail(f"DuckDB sees {len(rows)} runs, the manifest lists {len(runs)}")
    for variant, seed, n, visitors, transactions, revenue in rows:
        run = runs.get((variant, seed))
        if run is None:
            fail(f"DuckDB found run {variant}/{seed} not in the manifest")
        got = {"rows": n, "visitors": visitors, "transactions": transactions, "revenue_cents": revenue}
        for key, value in got.items():
            if run[key] != value:
                fail(f"DuckDB: {variant}/{seed} {key}={value}, manifest says {run[key]}")
        print(f"duckdb: variant={variant} seed={seed}: {n} rows, {visitors} visitors, "
              f"{transactions} transactions, revenue {revenue / 100:.2f}: matches")
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{glob}', hive_partitioning = true)").fetchall()
    types = {row[0]: row[1] for row in described}
    for col, want in {"seq": "UBIGINT", "shopper": "UINTEGER", "amount_cents": "BIGINT", "floor": "UTINYINT"}.items():
        if types.get(col) != want:
            fail(f"DuckDB types {col} as {types.get(col)}, expected {want}")
    # The per-run metric table agrees with the logs.
    metrics = con.execute(
        f"""
        SELECT variant, CAST(seed AS BIGINT), value FROM read_parquet('{root / "metrics" / "metrics.parquet"}')
        WHERE metric = 'traffic' ORDER BY ALL
        """
    ).fetchall()
    for variant, seed, traffic in metrics:
        if runs[(variant, seed)]["visitors"] != traffic:
            fail(f"metrics.parquet: traffic {traffic} for {variant}/{seed}, the log has {runs[(variant, seed)]['visitors']}")
    if len(metrics) != len(runs):
        fail(f"metrics.parquet covers {len(metrics)} runs, the manifest {len(runs)}")
    print(f"duckdb: metrics/metrics.parquet: traffic matches the logs for {len(metrics)} runs")
    # Conversion counts shopping parties: enters whose party is the shopper itself.
    conversion = con.execute(
        f"""
        WITH logs AS (
          SELECT variant, CAST(seed AS BIGINT) AS seed,
                 count(*) FILTER (WHERE kind = 'checkout')
                   / count(*) FILTER (WHERE kind = 'enter' AND party = shopper) AS conversion
          FROM read_parquet('{glob}', hive_partitioning = true) GROUP BY ALL),
        table_ AS (
          SELECT variant, CAST(seed AS BIGINT) AS seed, value AS conversion
          FROM read_parquet('{root / "metrics" / "metrics.parquet"}') WHERE metric = 'conversion_rate')
        SELECT l.variant, l.seed, l.conversion, t.conversion FROM logs l JOIN table_ t USING (variant, seed)
        """
    ).fetchall()
    for variant, seed, from_log, from_table in conversion:
        if abs(from_log - from_table) > 1e-12:
            fail(f"conversion of {variant}/{seed}: {from_log} from the log's parties, {from_table} in metrics.parquet")
    if len(conversion) != len(runs):
        fail(f"conversion checked for {len(conversion)} runs, the manifest lists {len(runs)}")
    print(f"duckdb: conversion (checkouts ÷ parties) matches metrics.parquet for {len(conversion)} runs")
    comparison = root / "compare" / "comparison.json"
    if comparison.exists():
        reported = json.loads(comparison.read_text())
        rpv = next(m for m in reported["metrics"] if m["metric"] == "revenue_per_visitor")
        seeds = ", ".join(str(s) for s in reported["seeds"])
        computed = dict(con.execute(
            f"""
            WITH days AS (
              SELECT variant, seed,
                     sum(amount_cents) FILTER (WHERE kind = 'checkout') / 100.0
                       / count(*) FILTER (WHERE kind = 'enter') AS rpv
              FROM read_parquet('{glob}', hive_partitioning = true)
              WHERE seed IN ({seeds})
              GROUP BY ALL)
            SELECT variant, avg(rpv) FROM days GROUP BY variant
            """
        ).fetchall())
        for v in rpv["variants"]:
            got, want = computed[v["variant"]], v["estimate"]["mean"]
            if abs(got - want) > 1e-9 * max(1.0, abs(want)):
                fail(f"DuckDB revenue per visitor for {v['variant']} is {got}, aisle compare reported {want}")
            print(f"duckdb: revenue per visitor of {v['variant']} = {got:.6f}, as aisle compare reported")
    print("interop check passed")


if __name__ == "__main__":
    main()
