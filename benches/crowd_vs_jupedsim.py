#!/usr/bin/env python3
"""aisle and JuPedSim move the same crowd, side by side.

The work, identical for both: N agents placed at once on a square lattice
(0.7 m apart, rows of ceil(sqrt(N)) from 8 m off the front wall, centred)
in an open 60 x 60 m hall, all walking at 1.34 m/s to one door in the
middle of the front wall, simulated for a fixed stretch of time at the same
time step. aisle runs it through `aisle bench-hall` (its whole shopper
model: walking, crowding, perception); JuPedSim through its collision-free
speed model (Tordeux et al. 2016) with a 1 m wide exit. Each prints
agent-steps per second (agents in the hall summed over the steps, divided
by the wall time of the steps alone), one core each, and the ratio.

    pip install jupedsim            # 1.4.2 was measured
    cargo build --release
    python3 benches/crowd_vs_jupedsim.py [--agents 500,5000] [--seconds 60] [--dt 0.1]
"""

import argparse
import math
import re
import subprocess
import sys
import time
from pathlib import Path

HALL_M = 60.0
SPACING_M = 0.7
FIRST_ROW_M = 8.0
SPEED_MPS = 1.34
DOOR_X = HALL_M / 2.0
DOOR_WIDTH_M = 1.0


def lattice(agents):
    """The starting points aisle's `bench::hall::lattice` uses."""
    per_row = math.ceil(math.sqrt(agents))
    x0 = (HALL_M - (per_row - 1) * SPACING_M) / 2.0
    return [(x0 + (i % per_row) * SPACING_M, FIRST_ROW_M + (i // per_row) * SPACING_M) for i in range(agents)]


def jupedsim_run(agents, seconds, dt):
    import jupedsim as jps
    from shapely import Polygon

    hall = Polygon([(0, 0), (HALL_M, 0), (HALL_M, HALL_M), (0, HALL_M)])
    sim = jps.Simulation(model=jps.CollisionFreeSpeedModel(), geometry=hall, dt=dt)
    half = DOOR_WIDTH_M / 2.0
    door = sim.add_exit_stage(Polygon([(DOOR_X - half, 0), (DOOR_X + half, 0), (DOOR_X + half, 0.6), (DOOR_X - half, 0.6)]))
    journey = sim.add_journey(jps.JourneyDescription([door]))
    for p in lattice(agents):
        sim.add_agent(
            jps.CollisionFreeSpeedModelAgentParameters(
                journey_id=journey, stage_id=door, position=p, desired_speed=SPEED_MPS, radius=0.2
            )
        )
    steps = round(seconds / dt)
    agent_steps = 0
    start = time.perf_counter()
    for _ in range(steps):
        sim.iterate()
        agent_steps += sim.agent_count()
    wall = time.perf_counter() - start
    return agent_steps, wall, agents - sim.agent_count()


def aisle_run(exe, agents, seconds, dt):
    out = subprocess.run(
        [str(exe), "bench-hall", "--agents", str(agents), "--seconds", str(seconds), "--dt", str(dt)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    m = re.search(r"([\d.]+) M agent-steps/s \(([\d.]+) s wall, (\d+) at the door\)", out)
    if not m:
        sys.exit(f"unexpected output from aisle bench-hall: {out!r}")
    return float(m.group(1)) * 1e6, float(m.group(2)), int(m.group(3))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", default="500,5000")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--dt", type=float, default=0.1)
    ap.add_argument("--aisle", type=Path, default=Path(__file__).resolve().parent.parent / "target/release/aisle")
    args = ap.parse_args()
    if not args.aisle.exists():
        sys.exit(f"{args.aisle} not found: run `cargo build --release` first")
    print(f"open 60 x 60 m hall, one door, {args.seconds:g} s at dt = {args.dt:g} s, one core each")
    print(f"{'agents':>7} {'aisle M agent-steps/s':>22} {'JuPedSim M agent-steps/s':>25} {'ratio':>7}   (out of the door: aisle, JuPedSim)")
    for n in (int(x) for x in args.agents.split(",")):
        a_rate, _, a_out = aisle_run(args.aisle, n, args.seconds, args.dt)
        j_steps, j_wall, j_out = jupedsim_run(n, args.seconds, args.dt)
        j_rate = j_steps / j_wall
        print(f"{n:>7} {a_rate / 1e6:>22.3f} {j_rate / 1e6:>25.3f} {a_rate / j_rate:>6.1f}x   ({a_out}, {j_out})")


if __name__ == "__main__":
    main()
