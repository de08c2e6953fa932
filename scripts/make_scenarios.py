#!/usr/bin/env python3
"""Generates the shipped example stores: scenarios/grocery.toml and
scenarios/convenience.toml.

Both .toml files are GENERATED FROM THIS SCRIPT. They are ordinary scenario
files and can also be edited by hand (aisle only ever reads the .toml), but
running this script again overwrites them: carry any hand edit you want to
keep back into the tables below.

    python3 scripts/make_scenarios.py            # write both files
    python3 scripts/make_scenarios.py --check    # only check, write nothing

Standard library only. Before writing, the script checks the layouts the way
`aisle validate` does where it can without the navigation grid (fixtures in
bounds and not overlapping, faces and levels that exist, planogram faces that
fit, shelf faces, doors and queue lines on open floor, shares summing to 1),
for the base layout and for every variant, so a bad edit fails here first.
Reachability is left to `aisle validate`.

How a layout is built
---------------------
* Catalogue: per category a short table, one product a line:
  ``name | price | popularity | tags``. Margin and appeal come from the
  category's typical values with a small deterministic spread per product;
  the tags `treat` and `impulse` raise appeal, `floor` puts bulky goods on the
  bottom shelf, other tags (`table`, `island`, `chill`, ...) pick which
  fixture of the category's department the product goes to.
* Fixtures: small functions that place gondolas, endcaps, wall runs and
  tables by their edges, so the coordinates in the file stay round.
* Planogram: `fill_face` stocks one face of a fixture with one or more
  category blocks. Best sellers go to eye level, then waist, knee and top;
  every product gets 1-4 facings by popularity, and the rows of a block are
  padded to a common width so each category forms a tidy vertical block.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import sys
import textwrap
import unicodedata
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Constants of the simulator (src/scenario/model.rs).
FACING_M = 0.25  # width of one facing
STAND_OFF_M = 0.45  # a shopper stands this far in front of a face to pick
QUEUE_SPACING_M = 0.6  # distance between queue places
LEVELS = ["floor", "knee", "waist", "eye", "top"]
EYE_FIRST = ["eye", "waist", "knee", "top"]  # where best sellers go first

# --------------------------------------------------------------------------
# Small helpers: ids, deterministic jitter, geometry
# --------------------------------------------------------------------------


def slug(name: str) -> str:
    """`Baked beans, 4 × 415 g` -> `baked-beans-4x415-g`."""
    s = name.replace("×", "x").replace("&", "and").replace("%", "pc")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    out, dash = [], False
    for ch in s.lower():
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif ch in " ,-/.()" and not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-").replace("-x-", "x")


def jitter(key: str, salt: str) -> float:
    """A stable pseudo-random number in [-1, 1] for `key` (same on every run)."""
    return zlib.crc32(f"{salt}:{key}".encode()) / 0xFFFFFFFF * 2.0 - 1.0


def clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


# Outward normal of each face of an unrotated fixture.
FACE_NORMAL = {"front": (0, -1), "back": (0, 1), "left": (-1, 0), "right": (1, 0)}


def rotate(dx, dy, quarter_turns):
    for _ in range(quarter_turns % 4):
        dx, dy = -dy, dx
    return dx, dy


def footprint(f):
    """(x0, y0, x1, y1) of a fixture after rotation."""
    w, d = f["size"]
    if f.get("rotation", 0) % 2:
        w, d = d, w
    x, y = f["at"]
    return (x - w / 2, y - d / 2, x + w / 2, y + d / 2)


def face_normal(f, face):
    return rotate(*FACE_NORMAL[face], f.get("rotation", 0))


def face_length(f, face):
    return f["size"][0] if face in ("front", "back") else f["size"][1]


def face_capacity(f, face):
    return int(face_length(f, face) / FACING_M + 1e-9)


def point_on_face(f, face, along):
    """Mirrors Fixture::point_on_face: packing starts at the end on your
    left as you face the shelf."""
    nx, ny = face_normal(f, face)
    half_depth = (f["size"][1] if face in ("front", "back") else f["size"][0]) / 2
    tx, ty = -ny, nx
    s = along - face_length(f, face) / 2
    x, y = f["at"]
    return (x + nx * half_depth + tx * s, y + ny * half_depth + ty * s)


def overlap(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    d = min(a[3], b[3]) - max(a[1], b[1])
    return w * d if w > 0 and d > 0 else 0.0


def facings_for(popularity: float) -> int:
    return 4 if popularity >= 7 else 3 if popularity >= 4 else 2 if popularity >= 2 else 1


# --------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------


def catalogue(categories, tables):
    """Products from the per-category tables. `categories` rows are
    (id, name, list_weight, margin, appeal, colour)."""
    products = []
    for cid, _name, _w, margin, appeal, _colour in categories:
        for line in tables[cid].strip().splitlines():
            cells = [c.strip() for c in line.split("|")]
            name, price, pop = cells[0], float(cells[1]), float(cells[2])
            tags = set(cells[3].split()) if len(cells) > 3 else set()
            pid = slug(name)
            a = appeal * (1 + 0.3 * jitter(pid, "appeal"))
            a += 0.15 * ("treat" in tags) + 0.25 * ("impulse" in tags)
            products.append(
                {
                    "id": pid,
                    "name": name,
                    "category": cid,
                    "price": price,
                    "margin": round(clamp(margin + 0.05 * jitter(pid, "margin"), 0.1, 0.5), 2),
                    "appeal": round(clamp(a, 0.01, 0.95), 2),
                    "popularity": pop,
                    "_tags": tags,
                }
            )
    ids = [p["id"] for p in products]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"product ids clash: {sorted(dupes)}"
    return products


def pick(products, category, tag=None, without=None):
    """Products of a category, optionally only those with / without a tag."""
    return [
        p
        for p in products
        if p["category"] == category
        and (tag is None or tag in p["_tags"])
        and (without is None or without not in p["_tags"])
    ]


def by_name(products, *names):
    index = {p["name"]: p for p in products}
    return [index[n] for n in names]


# --------------------------------------------------------------------------
# Layout: fixtures and a planogram that knows how full every face is
# --------------------------------------------------------------------------


class Layout:
    def __init__(self):
        self.fixtures = []  # dicts shaped like [[fixtures]]
        self.notes = {}  # fixture id -> comment written above it
        self.groups = []  # (comment, [fixture ids]) to lay the file out
        self.planogram = []  # dicts shaped like [[planogram]]

    def group(self, comment):
        self.groups.append((comment, []))

    def add(self, fid, kind, at, size, height, rotation=0, levels=(), faces=(), note=None):
        f = {"id": fid, "kind": kind, "at": [round(at[0], 3), round(at[1], 3)],
             "size": [round(size[0], 3), round(size[1], 3)], "height": height}
        if rotation:
            f["rotation"] = rotation
        if levels:
            f["levels"] = list(levels)
        if faces:
            f["faces"] = list(faces)
        self.fixtures.append(f)
        self.groups[-1][1].append(fid)
        if note:
            self.notes[fid] = note
        return f

    def fixture(self, fid):
        return next(f for f in self.fixtures if f["id"] == fid)

    def used(self, fid, face, level):
        return sum(p["facings"] for p in self.planogram
                   if (p["fixture"], p["face"], p["level"]) == (fid, face, level))

    def place(self, product, fid, face, level, facings):
        f = self.fixture(fid)
        assert face in f["faces"] and level in f["levels"], (fid, face, level)
        room = face_capacity(f, face) - self.used(fid, face, level)
        assert 1 <= facings <= room, f"{fid} {face} {level}: {facings} facings, room {room}"
        self.planogram.append({"product": product["id"], "fixture": fid, "face": face,
                               "level": level, "facings": facings})

    def fill_face(self, fid, face, sections, levels=EYE_FIRST, fill=1.0):
        """Stocks one face with category blocks, one block per section.

        Within a block the best sellers take the first level of `levels`
        (eye level by default), the next ones the second, and so on; goods
        tagged `floor` go on the bottom shelf when the fixture has one. Each
        product gets facings by popularity, then the rows of the block are
        padded (one extra facing each at most, never over 4) towards a common
        width: the block's share of `fill` × the face length."""
        f = self.fixture(fid)
        cap = face_capacity(f, face)
        levels = [lv for lv in levels if lv in f["levels"]]
        total = sum(len(s) for s in sections)
        for sec in sections:
            if not sec:
                continue
            bulky = [p for p in sec if "floor" in p["_tags"]] if "floor" in f["levels"] else []
            rest = sorted((p for p in sec if p not in bulky), key=lambda p: -p["popularity"])
            rows = {}
            if rest:
                n = min(len(levels), len(rest))
                k = math.ceil(len(rest) / n)
                for i in range(n):
                    if rest[i * k:(i + 1) * k]:
                        rows[levels[i]] = rest[i * k:(i + 1) * k]
            if bulky:
                rows["floor"] = sorted(bulky, key=lambda p: -p["popularity"])
            facings = {p["id"]: facings_for(p["popularity"]) for p in sec}
            limit = {p["id"]: min(4, facings[p["id"]] + 1) for p in sec}
            width = max(int(cap * fill * len(sec) / total),
                        max(sum(facings[p["id"]] for p in row) for row in rows.values()))
            for level, row in rows.items():
                room = cap - self.used(fid, face, level)
                goal = min(width, room)
                for p in reversed(row):  # too long for what is left: slow sellers give way
                    while sum(facings[q["id"]] for q in row) > room and facings[p["id"]] > 1:
                        facings[p["id"]] -= 1
                grown = True
                while sum(facings[p["id"]] for p in row) < goal and grown:
                    grown = False
                    for p in row:  # one facing each, best sellers first
                        if sum(facings[q["id"]] for q in row) >= goal:
                            break
                        if facings[p["id"]] < limit[p["id"]]:
                            facings[p["id"]] += 1
                            grown = True
                for p in row:
                    self.place(p, fid, face, level, facings[p["id"]])

    def spread(self, products, targets, levels=EYE_FIRST, fill=1.0):
        """Shares `products` (best sellers first) over several faces in
        proportion to their length, then stocks each with `fill_face`."""
        products = sorted(products, key=lambda p: -p["popularity"])
        caps = [face_capacity(self.fixture(fid), face) for fid, face in targets]
        counts, given = [], 0
        for i, c in enumerate(caps):
            upto = round(len(products) * sum(caps[: i + 1]) / sum(caps))
            counts.append(upto - given)
            given = upto
        start = 0
        for (fid, face), n in zip(targets, counts):
            self.fill_face(fid, face, [products[start:start + n]], levels, fill)
            start += n

    def feature(self, fid, face, products, levels=("eye", "waist"), facings=2):
        """A promotion: a few products, `facings` each, shared over `levels`."""
        per = math.ceil(len(products) / len(levels))
        for i, p in enumerate(products):
            self.place(p, fid, face, levels[i // per], facings)


def best_for_promotion(products, n):
    """The products a buyer would put on an endcap: popular and tempting."""
    return sorted(products, key=lambda p: -p["popularity"] * (0.4 + p["appeal"]))[:n]


# --------------------------------------------------------------------------
# Variants: mirror of src/scenario/edit.rs, plus a helper to find shelf room
# --------------------------------------------------------------------------


def apply_edits(scn, edits):
    s = copy.deepcopy(scn)
    for e in edits:
        op = e["op"]
        if op == "move_fixture":
            next(f for f in s["fixtures"] if f["id"] == e["fixture"])["at"] = list(e["to"])
        elif op == "rotate_fixture":
            next(f for f in s["fixtures"] if f["id"] == e["fixture"])["rotation"] = e["rotation"]
        elif op == "remove_fixture":
            s["fixtures"] = [f for f in s["fixtures"] if f["id"] != e["fixture"]]
        elif op == "add_fixture":
            assert all(f["id"] != e["fixture"]["id"] for f in s["fixtures"])
            s["fixtures"].append(copy.deepcopy(e["fixture"]))
        elif op == "move_product":
            s["planogram"] = [p for p in s["planogram"] if p["product"] != e["product"]]
            s["planogram"].append({k: e[k] for k in ("product", "fixture", "face", "level")}
                                  | {"facings": e.get("facings", 1)})
        elif op == "add_placement":
            s["planogram"].append({k: e[k] for k in ("product", "fixture", "face", "level")}
                                  | {"facings": e.get("facings", 1)})
        elif op == "swap_products":
            for p in s["planogram"]:
                if p["product"] in (e["a"], e["b"]):
                    p["product"] = e["b"] if p["product"] == e["a"] else e["a"]
        elif op in ("open_lane", "close_lane"):
            next(c for c in s["checkouts"] if c["id"] == e["lane"])["open"] = op == "open_lane"
        elif op == "set_price":
            next(p for p in s["products"] if p["id"] == e["product"])["price"] = e["price"]
        else:
            raise ValueError(op)
    return s


def room_on(scn, fid, face, level, ignore=()):
    f = next(x for x in scn["fixtures"] if x["id"] == fid)
    used = sum(p["facings"] for p in scn["planogram"]
               if (p["fixture"], p["face"], p["level"]) == (fid, face, level)
               and p["product"] not in ignore)
    return face_capacity(f, face) - used


def move_products_edits(scn, moves):
    """`moves`: (product id, fixture, face, preferred levels, facings). Returns
    move_product edits that fit, trying the levels in order and trimming
    facings when a shelf is nearly full; `scn` is updated as it goes."""
    edits = []
    for pid, fid, face, levels, facings in moves:
        for n in range(facings, 0, -1):
            level = next((lv for lv in levels if room_on(scn, fid, face, lv, {pid}) >= n), None)
            if level:
                break
        else:
            raise RuntimeError(f"no room for {pid} on {fid} {face}")
        e = {"op": "move_product", "product": pid, "fixture": fid, "face": face,
             "level": level, "facings": n}
        scn.update(apply_edits(scn, [e]))
        edits.append(e)
    return edits


# --------------------------------------------------------------------------
# Checks (what can be checked without the navigation grid)
# --------------------------------------------------------------------------


def check(scn, label):
    """Problems in `scn` as strings; mirrors the validator's geometry rules."""
    out = []
    W, D = scn["store"]["footprint"]
    cell = scn["store"]["cell"]
    fx = {f["id"]: f for f in scn["fixtures"]}
    rects = [(f["id"], footprint(f)) for f in scn["fixtures"]]
    for i, (a, ra) in enumerate(rects):
        if ra[0] < -1e-9 or ra[1] < -1e-9 or ra[2] > W + 1e-9 or ra[3] > D + 1e-9:
            out.append(f"fixture {a} outside the store: {ra}")
        for b, rb in rects[:i]:
            if overlap(ra, rb) > 1e-6:
                out.append(f"fixtures {a} and {b} overlap")

    def blocked(x, y):
        """True when the grid cell holding (x, y) is not walkable."""
        if not (0 <= x < W and 0 <= y < D):
            return True
        ix, iy = int(x / cell), int(y / cell)
        sq = (ix * cell, iy * cell, (ix + 1) * cell, (iy + 1) * cell)
        return any(overlap(sq, r) > 0 for _, r in rects)

    for kind in ("entrances", "exits"):
        for p in scn[kind]:
            if blocked(*p["at"]):
                out.append(f"{kind[:-1]} {p['id']} is not on open floor")
    dirs = {"north": (0, 1), "south": (0, -1), "east": (1, 0), "west": (-1, 0)}
    for c in scn["checkouts"]:
        dx, dy = dirs[c["queue"]]
        length = (c.get("queue_places", 6) - 1) * QUEUE_SPACING_M
        steps = max(1, math.ceil(length / (cell / 2)))
        for k in range(steps + 1):
            t = length * k / steps
            if blocked(c["at"][0] + dx * t, c["at"][1] + dy * t):
                out.append(f"checkout {c['id']}: queue line blocked {t:.1f} m from the till")
                break
    used = {}
    placed = set()
    for p in scn["planogram"]:
        f = fx.get(p["fixture"])
        if f is None:
            out.append(f"{p['product']} on missing fixture {p['fixture']}")
            continue
        if p["face"] not in f.get("faces", []) or p["level"] not in f.get("levels", []):
            out.append(f"{p['product']}: {p['fixture']} has no {p['face']} face / {p['level']} level")
            continue
        key = (p["fixture"], p["face"], p["level"])
        start = used.get(key, 0)
        used[key] = start + p["facings"]
        if used[key] > face_capacity(f, p["face"]):
            out.append(f"{key} over-full at {p['product']}")
        along = (start + p["facings"] / 2) * FACING_M
        sx, sy = point_on_face(f, p["face"], along)
        nx, ny = face_normal(f, p["face"])
        if blocked(sx + nx * STAND_OFF_M, sy + ny * STAND_OFF_M):
            out.append(f"{p['product']}: nowhere to stand in front of {p['fixture']} {p['face']}")
        placed.add(p["product"])
    ids = {p["id"] for p in scn["products"]}
    out += [f"{pid} placed but not in the catalogue" for pid in placed - ids]
    out += [f"{pid} has no place on the shelves" for pid in sorted(ids - placed)]
    pop = scn["population"]
    if len(pop["hourly_profile"]) != math.ceil(pop["hours"][1] - pop["hours"][0]):
        out.append("hourly_profile length does not match the opening hours")
    if abs(sum(s["share"] for s in pop["segments"]) - 1) > 1e-9:
        out.append("segment shares do not sum to 1")
    return [f"{label}: {m}" for m in out]


def check_all(scn):
    problems = check(scn, f"{scn['scenario']['name']} baseline")
    for v in scn["variants"]:
        problems += check(apply_edits(scn, v["edits"]), f"{scn['scenario']['name']} {v['id']}")
    return problems


# --------------------------------------------------------------------------
# TOML writer
# --------------------------------------------------------------------------


def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        s = f"{round(v, 3):.3f}".rstrip("0")
        return s + "0" if s.endswith(".") else s
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def price(x):
    return f"{x:.2f}"


class Doc:
    def __init__(self):
        self.lines = []

    def comment(self, text, width=76):
        for para in textwrap.dedent(text).strip("\n").split("\n"):
            if para.strip() == "":
                self.lines.append("#")
            elif para.startswith(" "):  # keep pre-formatted lines as they are
                self.lines.append("#" + para)
            else:
                self.lines += ["# " + ln for ln in textwrap.wrap(para, width)]

    def blank(self):
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def table(self, header, items, array=True, comments=None):
        self.lines.append(f"[[{header}]]" if array else f"[{header}]")
        for k, v in items.items():
            if k.startswith("_"):
                continue
            line = f"{k} = {v if isinstance(v, Raw) else value(v)}"
            if comments and k in comments:
                line = f"{line:<27} # {comments[k]}"
            self.lines.append(line)

    def text(self):
        return "\n".join(self.lines).rstrip() + "\n"


class Raw(str):
    """A value already formatted for TOML (e.g. a price with two decimals)."""


FIELD_GUIDE = """
How to read this file
---------------------
Coordinates are metres: x runs east (to the right as you face the store from the street), y runs north (towards the back); (0, 0) is the front-left corner of the footprint.

Fixtures are boxes. `at` is the centre, `size` = [width along the front face, depth] before rotation, `height` in metres (anything taller than eye height hides what is behind it). An unrotated fixture's front face looks south (-y). `rotation` turns it by quarter turns counter-clockwise, so each face looks this way:

    rotation   front   back    left    right    footprint (x by y)
       0       south   north   west    east     size[0] by size[1]
       1       east    west    south   north    size[1] by size[0]
       2       north   south   east    west     size[0] by size[1]
       3       west    east    north   south    size[1] by size[0]

`levels` lists the shelf heights a fixture has (floor, knee, waist, eye, top) and `faces` the sides shoppers take goods from. Fixtures may touch but not overlap, and must lie inside the footprint.

Planogram: one facing is 0.25 m wide. Products on the same fixture, face and level sit side by side in the order listed, starting at the end on your left as you face the shelf, and must fit in the face's length. A shopper picks standing 0.45 m in front of the face, so every stocked face looks onto open floor (wall runs: only the face towards the room). A product may be listed more than once, e.g. on an endcap as well as on its home shelf.

Checkouts: the shopper being served stands at `at`; the queue grows from there in direction `queue`, one place every 0.6 m, and the whole line must be on open floor. Service time is log-normal with mean base_s + per_item_s x items and coefficient of variation `cv`.

Catalogue: `list_weight` is how often a category is drawn when a shopping list is made, `popularity` how often a product is drawn within its category. `price` in currency units, `margin` the gross margin as a fraction of the price, `appeal` the chance (0..1) that a shopper who notices the product buys it unplanned.

Variants (at the end) are named lists of edits to this layout: move_fixture, rotate_fixture, remove_fixture, add_fixture, move_product (it replaces every place the product had), swap_products, open_lane, close_lane, set_price. Edits apply in order; the edited store must pass the same checks as this one.
"""


def write_scenario(scn, layout, header, catalogue_note, sections):
    """Renders a scenario dict as commented TOML. `sections` holds the
    per-section comments."""
    d = Doc()
    d.comment(header)
    d.lines.append("#")
    d.comment(
        "GENERATED by scripts/make_scenarios.py. You may edit this file by hand; "
        "rerunning the script overwrites it, so carry lasting changes into the script."
    )
    d.lines.append("#")
    d.comment(FIELD_GUIDE)
    d.blank()
    d.table("scenario", scn["scenario"], array=False)
    d.blank()
    d.comment(sections["store"])
    d.table("store", {"footprint": scn["store"]["footprint"], "cell": scn["store"]["cell"]},
            array=False, comments={"footprint": "width (x) and depth (y), metres",
                                   "cell": "navigation grid cell, metres"})
    d.blank()
    d.table("store.floors", {"id": "ground", "elevation": 0.0})
    d.blank()
    d.comment(sections["fixtures"])
    for comment, ids in layout.groups:
        d.blank()
        d.lines.append(f"# === {comment} ===")
        for fid in ids:
            f = layout.fixture(fid)
            d.blank()
            if fid in layout.notes:
                d.comment(layout.notes[fid])
            d.table("fixtures", f)
    d.blank()
    d.comment(sections["zones"])
    for z in scn["zones"]:
        d.blank()
        d.table("zones", z)
    d.blank()
    d.comment(sections["doors"])
    for kind in ("entrances", "exits"):
        for p in scn[kind]:
            d.blank()
            d.table(kind, p)
    d.blank()
    d.comment(sections["checkouts"])
    for c in scn["checkouts"]:
        d.blank()
        d.table("checkouts", c)
    d.blank()
    d.comment(sections["categories"])
    for c in scn["categories"]:
        d.blank()
        d.table("categories", c)
    d.blank()
    d.comment(catalogue_note)
    names = {c["id"]: c["name"] for c in scn["categories"]}
    last = None
    for p in scn["products"]:
        if p["category"] != last:
            d.blank()
            d.comment(f"--- {names[p['category']]} ---")
            last = p["category"]
        d.blank()
        d.table("products", {**p, "price": Raw(price(p["price"])),
                             "popularity": float(p["popularity"])})
    d.blank()
    d.comment(sections["planogram"])
    order = [f["id"] for f in scn["fixtures"]]
    kinds = {f["id"]: f["kind"] for f in scn["fixtures"]}
    cat_of = {p["id"]: p["category"] for p in scn["products"]}
    for fid in order:
        rows = [p for p in scn["planogram"] if p["fixture"] == fid]
        if not rows:
            continue
        d.blank()
        stocked = []
        for p in rows:
            c = names[cat_of[p["product"]]].lower()
            if c not in stocked:
                stocked.append(c)
        d.lines.append(f"# --- {fid} ({kinds[fid].replace('_', ' ')}): {'; '.join(stocked)} ---")
        for p in rows:
            d.blank()
            d.table("planogram", p)
    d.blank()
    d.comment(sections["population"])
    pop = scn["population"]
    d.table("population", {k: pop[k] for k in ("daily_visitors", "hours", "circulation", "circulation_penalty_m",
                                               "aisle_reluctance", "hourly_profile") if k in pop},
            array=False, comments=sections["population_fields"])
    for s in pop["segments"]:
        d.blank()
        if "_note" in s:
            d.comment(s["_note"])
        d.table("population.segments", s)
    d.blank()
    d.comment(sections["run"])
    d.table("run", scn["run"], array=False, comments=sections["run_fields"])
    d.blank()
    d.comment(sections["variants"])
    for v in scn["variants"]:
        d.blank()
        d.comment(v["_note"])
        d.lines.append("[[variants]]")
        d.lines.append(f"id = {value(v['id'])}")
        d.lines.append(f"description = {value(v['description'])}")
        if not v["edits"]:
            d.lines.append("edits = []")
            continue
        d.lines.append("edits = [")
        for e in v["edits"]:
            if isinstance(e, str):  # a comment between edits
                d.lines.append(f"  # {e}")
            else:
                d.lines.append(f"  {value(e)},")
        d.lines.append("]")
    return d.text()


def strip_comments(variants):
    """Variant edits as data (the writer also accepts comment strings)."""
    return [{**v, "edits": [e for e in v["edits"] if not isinstance(e, str)]} for v in variants]


# ==========================================================================
# GROCERY: a 40 × 30 m neighbourhood supermarket
# ==========================================================================

# id, name, list_weight, typical margin, typical appeal, colour
GROCERY_CATEGORIES = [
    ("fruit", "Fruit", 9.0, 0.33, 0.15, "#7cb342"),
    ("vegetables", "Vegetables", 10.0, 0.30, 0.06, "#2e7d32"),
    ("salad", "Salads & herbs", 4.0, 0.35, 0.10, "#9ccc65"),
    ("juice", "Chilled juices & smoothies", 2.5, 0.30, 0.18, "#ffa726"),
    ("meat", "Meat, poultry & fish", 7.0, 0.24, 0.10, "#c62828"),
    ("deli", "Deli & ready meals", 5.0, 0.32, 0.22, "#ad1457"),
    ("milk", "Milk & cream", 9.0, 0.14, 0.04, "#90caf9"),
    ("dairy", "Cheese, butter, eggs & yogurt", 9.0, 0.22, 0.12, "#fdd835"),
    ("bakery", "Bread & bakery", 8.0, 0.45, 0.30, "#a1887f"),
    ("frozen", "Frozen food", 5.0, 0.28, 0.15, "#4fc3f7"),
    ("breakfast", "Cereals & spreads", 4.0, 0.28, 0.10, "#ffb300"),
    ("pasta-rice", "Pasta, rice & grains", 4.0, 0.30, 0.04, "#d7ccc8"),
    ("canned", "Tins & jars", 4.0, 0.25, 0.04, "#8d6e63"),
    ("sauces", "Sauces, oils & seasoning", 3.5, 0.32, 0.06, "#ef6c00"),
    ("baking", "Home baking", 1.5, 0.25, 0.08, "#f5f5dc"),
    ("hot-drinks", "Tea & coffee", 3.0, 0.30, 0.08, "#6d4c41"),
    ("soft-drinks", "Soft drinks & water", 5.0, 0.30, 0.28, "#e53935"),
    ("alcohol", "Beer, wine & spirits", 3.5, 0.22, 0.25, "#6a1b9a"),
    ("snacks", "Crisps, nuts & snacks", 4.0, 0.38, 0.45, "#ffca28"),
    ("confectionery", "Sweets & chocolate", 3.5, 0.40, 0.55, "#d81b60"),
    ("biscuits", "Biscuits & crackers", 3.0, 0.35, 0.40, "#bcaaa4"),
    ("household", "Household & cleaning", 3.5, 0.30, 0.04, "#26a69a"),
    ("personal-care", "Toiletries & health", 2.5, 0.38, 0.08, "#7e57c2"),
    ("baby", "Baby", 1.0, 0.15, 0.03, "#f8bbd0"),
    ("pet", "Pet food & care", 1.5, 0.30, 0.06, "#78909c"),
]

# name | price | popularity (relative, within the category) | tags
GROCERY_PRODUCTS = {
    "fruit": """
        Bananas, loose per kg | 0.99 | 10
        Bananas, 5 pack | 0.95 | 6
        Gala apples, 6 pack | 1.85 | 7
        Braeburn apples, loose per kg | 2.20 | 4
        Pink Lady apples, 4 pack | 2.50 | 4
        Granny Smith apples, 6 pack | 1.95 | 3
        Conference pears, 4 pack | 1.70 | 3
        Easy peeler citrus, 600 g | 1.75 | 6
        Navel oranges, 4 pack | 1.60 | 4
        Lemons, 4 pack | 1.10 | 5
        Limes, 4 pack | 1.10 | 2.5
        Seedless red grapes, 500 g | 2.25 | 5
        Seedless white grapes, 500 g | 2.25 | 4
        Strawberries, 400 g | 2.75 | 6 | chill treat
        Blueberries, 150 g | 1.99 | 6 | chill
        Raspberries, 150 g | 2.25 | 4 | chill treat
        Cherries, 300 g | 3.50 | 1.5 | chill treat
        Ripe avocados, 2 pack | 1.79 | 5
        Mango, each | 1.10 | 2.5
        Pineapple, each | 1.40 | 2
        Kiwi fruit, 6 pack | 1.50 | 2
        Plums, 400 g | 1.80 | 1.5
        Nectarines, 4 pack | 2.00 | 2
        Honeydew melon, each | 1.75 | 1.5
        Mini watermelon, each | 2.80 | 1
        Medjool dates, 200 g | 3.00 | 0.8 | treat
    """,
    "vegetables": """
        White potatoes, 2.5 kg | 1.55 | 8
        Baby new potatoes, 1 kg | 1.25 | 4
        Sweet potatoes, 1 kg | 1.50 | 3
        Carrots, 1 kg | 0.65 | 8
        Brown onions, 1 kg | 0.89 | 8
        Red onions, 3 pack | 0.85 | 4
        Garlic, 4 pack | 0.99 | 4
        Broccoli, each | 0.79 | 7
        Cauliflower, each | 1.05 | 4
        Courgettes, 3 pack | 1.20 | 3
        Aubergine, each | 0.85 | 2
        Mixed peppers, 3 pack | 1.65 | 6
        Cucumber, each | 0.75 | 6
        Vine tomatoes, 6 pack | 1.80 | 6
        Cherry tomatoes, 250 g | 1.10 | 6
        Closed cup mushrooms, 300 g | 1.09 | 6
        Chestnut mushrooms, 250 g | 1.19 | 3
        Leeks, 500 g | 1.20 | 3
        Parsnips, 500 g | 0.90 | 2
        Celery, each | 0.85 | 2.5
        Spring onions, bunch | 0.60 | 3
        Butternut squash, each | 1.20 | 2
        Green beans, 220 g | 1.29 | 3
        Tenderstem broccoli, 200 g | 2.00 | 2
        Sweetcorn cobs, 2 pack | 1.30 | 1.5
        Fresh ginger, per 100 g | 0.45 | 1.5
        Red chillies, 50 g | 0.65 | 1.5
        Cooked beetroot, 250 g | 0.95 | 1
        Savoy cabbage, each | 0.89 | 1.5
        Red cabbage, each | 0.85 | 1
    """,
    "salad": """
        Iceberg lettuce, each | 0.65 | 5
        Romaine hearts, 2 pack | 1.10 | 4
        Mixed leaf salad, 120 g | 1.00 | 5
        Baby spinach, 240 g | 1.50 | 5
        Wild rocket, 60 g | 0.95 | 3
        Watercress, 85 g | 1.00 | 1
        Caesar salad kit, 250 g | 2.30 | 2
        Coleslaw, 300 g | 1.10 | 3
        Classic houmous, 200 g | 1.25 | 5
        Fresh basil, 30 g | 0.80 | 2
        Fresh coriander, 30 g | 0.80 | 2.5
        Flat-leaf parsley, 30 g | 0.80 | 2
        Fresh mint, 30 g | 0.80 | 1
        Stir-fry vegetables, 320 g | 1.75 | 3
        Fruit salad pot, 300 g | 2.50 | 2 | treat
        Pineapple chunks, 250 g | 1.80 | 2
        Mangetout, 150 g | 1.40 | 1
        Beansprouts, 300 g | 0.70 | 1.5
        Radishes, 240 g | 0.75 | 1
        Tabbouleh, 200 g | 1.85 | 1
    """,
    "juice": """
        Fresh orange juice, smooth 1 l | 2.10 | 6
        Fresh orange juice with bits, 1 l | 2.10 | 4
        Cloudy apple juice, 1 l | 1.95 | 3
        Strawberry & banana smoothie, 750 ml | 2.75 | 2.5 | treat
        Mango & passion fruit smoothie, 750 ml | 2.75 | 2 | treat
        Cold-pressed green juice, 250 ml | 2.50 | 1
        Ginger shots, 4 × 60 ml | 3.00 | 1
        Pink grapefruit juice, 1 l | 2.10 | 1
    """,
    "meat": """
        Chicken breast fillets, 650 g | 4.50 | 9
        Whole chicken, 1.5 kg | 4.20 | 4
        Chicken thighs, 1 kg | 3.60 | 4
        Chicken drumsticks, 1 kg | 2.50 | 3
        Beef mince 5% fat, 500 g | 3.90 | 7
        Beef mince 20% fat, 500 g | 2.50 | 6
        Sirloin steak, 225 g | 5.50 | 3 | treat
        Diced beef, 400 g | 4.25 | 2.5
        Pork sausages, 8 pack | 2.50 | 7
        Pork loin steaks, 4 pack | 3.80 | 3
        Pork mince, 500 g | 2.90 | 2
        Smoked back bacon, 300 g | 2.40 | 7
        Smoked streaky bacon, 240 g | 2.10 | 3
        Lamb leg steaks, 360 g | 5.50 | 1.5
        Lamb mince, 500 g | 4.50 | 1.5
        Quarter pounder beef burgers, 4 pack | 3.00 | 4
        Turkey breast mince, 500 g | 3.25 | 1.5
        Salmon fillets, 2 pack 240 g | 4.00 | 5
        Cod fillets, 2 pack 260 g | 4.25 | 2.5
        Cooked king prawns, 180 g | 3.50 | 3
        Smoked salmon, 100 g | 3.00 | 2.5 | treat
        Tuna steaks, 2 pack | 4.50 | 1
    """,
    "deli": """
        Cooked ham, 125 g | 1.50 | 7
        Sliced roast chicken, 130 g | 2.00 | 4
        Chorizo slices, 100 g | 1.75 | 2.5
        Salami Milano, 100 g | 1.90 | 2.5
        Prosciutto, 80 g | 2.50 | 1.5 | treat
        Mini pork pies, 4 pack | 2.00 | 2
        Scotch eggs, 2 pack | 1.60 | 1.5
        Fresh tortellini, 300 g | 2.25 | 3
        Fresh pesto, 140 g | 2.00 | 1.5
        Margherita pizza, chilled 400 g | 2.75 | 4
        Pepperoni pizza, chilled 425 g | 3.00 | 4 | treat
        Beef lasagne ready meal, 400 g | 3.25 | 3
        Chicken tikka masala ready meal, 450 g | 3.50 | 3
        Macaroni cheese ready meal, 400 g | 2.75 | 2
        Cottage pie ready meal, 400 g | 3.00 | 2
        Sushi selection, 210 g | 3.75 | 2 | treat
        Chicken caesar wrap, each | 3.00 | 3
        Cheese & pickle sandwich, each | 2.20 | 3
        Sausage rolls, 6 pack | 2.00 | 3 | treat
        Fresh tomato soup, 600 g | 2.25 | 2
    """,
    "milk": """
        Semi-skimmed milk, 2 pints | 1.15 | 10 | milk
        Semi-skimmed milk, 4 pints | 1.55 | 9 | milk
        Whole milk, 4 pints | 1.55 | 6 | milk
        Whole milk, 2 pints | 1.15 | 4 | milk
        Skimmed milk, 2 pints | 1.15 | 3 | milk
        Organic semi-skimmed milk, 2 pints | 1.60 | 2 | milk
        Lactose-free semi-skimmed milk, 1 l | 1.60 | 1.5 | milk
        Oat drink, chilled 1 l | 1.80 | 3 | milk
        Soya drink, chilled 1 l | 1.50 | 1.5
        Almond drink, chilled 1 l | 1.90 | 1.5
        Double cream, 300 ml | 1.45 | 3
        Single cream, 300 ml | 1.10 | 2
        Soured cream, 300 ml | 0.95 | 1.5
        Chocolate milkshake, 1 l | 1.75 | 1.5 | treat
    """,
    "dairy": """
        Mature cheddar, 400 g | 3.25 | 8
        Mild cheddar, 400 g | 3.00 | 4
        Grated mozzarella & cheddar, 250 g | 2.25 | 4
        Mozzarella ball, 125 g | 0.75 | 4
        Parmigiano Reggiano, 200 g | 3.50 | 2
        Red Leicester, 350 g | 2.75 | 1.5
        French brie, 200 g | 1.85 | 2 | treat
        Greek feta, 200 g | 1.60 | 2
        Halloumi, 225 g | 2.50 | 2.5
        Soft cream cheese, 180 g | 1.10 | 3
        Cottage cheese, 300 g | 1.20 | 1.5
        Salted butter, 250 g | 2.00 | 7
        Unsalted butter, 250 g | 2.00 | 3
        Spreadable butter, 500 g | 3.50 | 5
        Sunflower spread, 500 g | 1.25 | 2.5
        Free-range eggs, 6 pack | 1.60 | 8
        Free-range eggs, 12 pack | 3.00 | 5
        Greek-style yogurt, 500 g | 1.30 | 5
        Natural yogurt, 500 g | 0.85 | 3
        Strawberry yogurts, 4 × 125 g | 1.20 | 4
        Split-pot fruit yogurts, 6 pack | 2.75 | 3
        Kids' fromage frais, 6 pack | 1.60 | 2.5
        Vanilla skyr, 450 g | 1.75 | 2
        Chocolate desserts, 4 pack | 1.50 | 2 | treat
        Creamed rice pudding, 4 pack | 1.40 | 1
        Fresh custard, 500 g | 1.25 | 1
        Cheese strings, 8 pack | 2.40 | 2
        Crème fraîche, 200 ml | 1.00 | 1.5
    """,
    "bakery": """
        White sliced bread, 800 g | 1.10 | 9
        Wholemeal sliced bread, 800 g | 1.15 | 7
        Seeded batch loaf, 800 g | 1.75 | 4
        Sourdough loaf, 400 g | 2.50 | 3
        Baguette, baked in store | 0.85 | 5 | table
        Crusty white bloomer | 1.30 | 3
        White bread rolls, 6 pack | 0.90 | 4
        Brioche burger buns, 4 pack | 1.50 | 3
        Plain bagels, 5 pack | 1.40 | 3
        All-butter croissants, 4 pack | 1.75 | 4 | table treat
        Pain au chocolat, 4 pack | 1.90 | 3 | table treat
        Tortilla wraps, 8 pack | 1.30 | 5
        Plain naan breads, 2 pack | 1.00 | 2.5
        White pitta breads, 6 pack | 0.80 | 2.5
        English muffins, 6 pack | 1.00 | 2
        Crumpets, 6 pack | 0.75 | 3
        Hot cross buns, 4 pack | 1.25 | 2 | table
        Cinnamon swirls, 2 pack | 1.80 | 2 | table treat
        Double chocolate muffins, 4 pack | 2.00 | 3 | table treat
        Jam doughnuts, 5 pack | 1.50 | 2.5 | table treat
        Carrot cake slices, 4 pack | 2.50 | 1.5 | table treat
        Victoria sponge cake | 3.00 | 1.5 | table treat
        Fruit scones, 4 pack | 1.50 | 1.5 | table
        Garlic baguette | 1.10 | 3
    """,
    "frozen": """
        Garden peas, 900 g | 1.35 | 6
        Frozen sweetcorn, 650 g | 1.10 | 2.5
        Frozen mixed vegetables, 1 kg | 1.20 | 3
        Chunky oven chips, 1.5 kg | 1.85 | 6
        French fries, 1 kg | 1.50 | 4
        Potato waffles, 12 pack | 2.00 | 2
        Cod fish fingers, 10 pack | 1.75 | 5
        Battered cod fillets, 4 pack | 3.50 | 2
        Chicken nuggets, 600 g | 2.75 | 4
        Southern fried chicken strips, 500 g | 3.00 | 2.5
        Frozen beef burgers, 8 pack | 3.25 | 3
        Pepperoni pizza, frozen 12 inch | 2.50 | 5
        Margherita pizza, frozen thin crust | 2.25 | 4
        Garlic & herb pizza bread | 1.50 | 1.5
        Family beef lasagne, frozen 1.2 kg | 4.00 | 2
        Chicken curry with rice, frozen 400 g | 2.00 | 2
        Vegetable spring rolls, 12 pack | 1.80 | 1.5
        Plant-based mince, 500 g | 3.00 | 2
        Raw king prawns, frozen 300 g | 4.00 | 2
        Yorkshire puddings, 12 pack | 1.25 | 2
        Roast potatoes, frozen 1 kg | 1.80 | 1.5
        Mixed berries, frozen 500 g | 2.50 | 3 | island
        Mango chunks, frozen 500 g | 2.25 | 2 | island
        Vanilla ice cream, 2 l | 2.50 | 5 | island treat
        Chocolate ice cream, 900 ml | 2.75 | 3 | island treat
        Cookie dough ice cream, 465 ml | 4.50 | 3 | island treat
        Choc ices, 6 pack | 2.25 | 3 | island treat
        Fruit ice lollies, 8 pack | 2.00 | 2 | island treat
        Strawberry cheesecake, 400 g | 3.00 | 1.5 | island treat
        Ice cubes, 2 kg | 1.00 | 1.5 | island
    """,
    "breakfast": """
        Cornflakes, 500 g | 1.60 | 6
        Bran flakes, 750 g | 1.80 | 2.5
        Wholewheat biscuit cereal, 24 pack | 2.50 | 5
        Porridge oats, 1 kg | 1.10 | 5
        Instant porridge pots, 8 pack | 2.50 | 2
        Fruit & nut muesli, 750 g | 2.25 | 2.5
        Crunchy oat granola, 500 g | 2.75 | 3
        Chocolate hoops, 375 g | 2.00 | 3 | treat
        Honey nut flakes, 500 g | 2.25 | 2.5
        Frosted flakes, 500 g | 2.40 | 3
        Rice pops, 510 g | 2.00 | 2
        Cereal bars, 6 pack | 1.50 | 3 | treat
        Strawberry jam, 454 g | 1.20 | 3
        Thick-cut orange marmalade, 454 g | 1.20 | 2
        Clear honey, 340 g | 2.25 | 3
        Smooth peanut butter, 340 g | 1.90 | 3.5
        Crunchy peanut butter, 340 g | 1.90 | 2.5
        Chocolate hazelnut spread, 400 g | 2.75 | 4 | treat
        Yeast extract, 250 g | 3.50 | 2.5
        Golden syrup, 454 g | 1.50 | 1.5
        Lemon curd, 411 g | 1.30 | 0.8
        Maple syrup, 250 ml | 3.50 | 1
    """,
    "pasta-rice": """
        Spaghetti, 500 g | 0.75 | 7
        Penne, 500 g | 0.75 | 6
        Fusilli, 500 g | 0.75 | 5
        Wholewheat penne, 500 g | 0.90 | 2
        Lasagne sheets, 250 g | 0.95 | 2.5
        Egg tagliatelle, 500 g | 1.60 | 2
        Macaroni, 500 g | 0.70 | 2
        Long grain rice, 1 kg | 1.10 | 5
        Basmati rice, 1 kg | 2.25 | 6
        Microwave rice, 250 g | 1.00 | 5
        Arborio risotto rice, 500 g | 1.60 | 1.5
        Jasmine rice, 1 kg | 2.40 | 2
        Medium egg noodles, 250 g | 0.90 | 3
        Instant noodles, chicken 5 pack | 1.70 | 3
        Couscous, 500 g | 1.00 | 2
        Quinoa, 300 g | 2.25 | 1
        Red split lentils, 500 g | 1.10 | 1.5
        Microwave mixed grains, 250 g | 1.50 | 1.5
        Potato gnocchi, 500 g | 1.20 | 2
        Flat rice noodles, 300 g | 1.30 | 1.5
    """,
    "canned": """
        Baked beans, 4 × 415 g | 2.50 | 7
        Baked beans, 415 g | 0.85 | 6
        Chopped tomatoes, 400 g | 0.60 | 8
        Plum tomatoes, 400 g | 0.60 | 3
        Tomato passata, 500 g | 0.80 | 4
        Chickpeas, 400 g | 0.65 | 4
        Red kidney beans, 400 g | 0.55 | 3
        Butter beans, 400 g | 0.65 | 1.5
        Sweetcorn, 3 × 198 g | 1.50 | 3
        Tuna chunks in brine, 4 × 145 g | 3.75 | 5
        Tuna chunks in spring water, 145 g | 1.10 | 3
        Sardines in tomato sauce, 120 g | 0.85 | 1
        Cream of tomato soup, 400 g | 1.00 | 4
        Cream of chicken soup, 400 g | 1.00 | 2
        Minestrone soup, 400 g | 1.00 | 1.5
        Corned beef, 340 g | 3.25 | 1.5
        Spaghetti hoops, 410 g | 0.75 | 2
        Peach slices in juice, 410 g | 0.80 | 2
        Pineapple chunks in juice, 432 g | 0.90 | 1.5
        Coconut milk, 400 ml | 1.10 | 2.5
        Ready-to-serve custard, 400 g | 0.90 | 1
        Mushy peas, 300 g | 0.55 | 1
    """,
    "sauces": """
        Tomato ketchup, 460 g | 1.85 | 6
        Mayonnaise, 430 ml | 2.00 | 5
        Salad cream, 425 g | 1.60 | 1.5
        English mustard, 180 g | 1.20 | 1.5
        Brown sauce, 425 g | 1.75 | 2
        Sweet chilli sauce, 250 ml | 1.30 | 2.5
        Light soy sauce, 150 ml | 1.25 | 3
        Tomato & basil pasta sauce, 500 g | 1.50 | 6
        Bolognese sauce, 500 g | 1.50 | 5
        Pesto alla genovese, 190 g | 1.80 | 3
        Tikka masala cooking sauce, 500 g | 1.75 | 3
        Korma cooking sauce, 500 g | 1.75 | 2
        Chicken gravy granules, 200 g | 1.50 | 3
        Beef gravy granules, 200 g | 1.50 | 2.5
        Chicken stock cubes, 12 pack | 1.20 | 3
        Extra virgin olive oil, 500 ml | 4.25 | 4
        Sunflower oil, 1 l | 1.85 | 4
        Balsamic vinegar, 250 ml | 1.50 | 1.5
        Malt vinegar, 568 ml | 0.60 | 1
        Table salt, 750 g | 0.65 | 1.5
        Black peppercorn grinder, 50 g | 1.50 | 2
        Dried mixed herbs, 14 g | 0.85 | 1.5
        Smoked paprika, 48 g | 0.95 | 1
    """,
    "baking": """
        Plain flour, 1.5 kg | 0.85 | 3
        Self-raising flour, 1.5 kg | 0.85 | 3
        Strong white bread flour, 1.5 kg | 1.20 | 1.5
        Granulated sugar, 1 kg | 0.95 | 4
        Caster sugar, 1 kg | 1.15 | 2
        Icing sugar, 500 g | 0.95 | 1.5
        Light brown soft sugar, 500 g | 1.10 | 1.5
        Cocoa powder, 250 g | 2.50 | 1
        Baking powder, 170 g | 1.10 | 1.5
        Vanilla extract, 38 ml | 2.25 | 1.5
        Dark cooking chocolate, 150 g | 1.50 | 1.5
        Sultanas, 500 g | 1.75 | 2
        Ground almonds, 200 g | 2.50 | 1
        Chocolate sprinkles, 80 g | 1.00 | 1 | treat
        Fast action yeast, 8 sachets | 1.00 | 1
    """,
    "hot-drinks": """
        Breakfast tea bags, 80 pack | 2.50 | 7
        Breakfast tea bags, 240 pack | 6.50 | 3
        Decaf tea bags, 80 pack | 2.75 | 1.5
        Green tea bags, 50 pack | 2.00 | 2
        Peppermint tea bags, 20 pack | 1.25 | 2
        Earl Grey tea bags, 50 pack | 2.00 | 1.5
        Camomile tea bags, 20 pack | 1.25 | 1
        Berry fruit tea bags, 20 pack | 1.25 | 1.5
        Instant coffee, 200 g | 5.50 | 6
        Freeze-dried instant coffee, 100 g | 4.50 | 3
        Ground coffee, medium roast 227 g | 3.50 | 3
        Espresso coffee beans, 1 kg | 11.00 | 1.5
        Lungo coffee pods, 10 pack | 3.25 | 3
        Decaf instant coffee, 100 g | 3.75 | 1.5
        Hot chocolate, 300 g | 2.50 | 2.5 | treat
        Malted milk drink, 400 g | 3.50 | 1
        Cappuccino sachets, 8 pack | 2.50 | 2
    """,
    "soft-drinks": """
        Still water, 6 × 1.5 l | 2.25 | 7 | floor
        Still water, 2 l | 0.55 | 4
        Sparkling water, 6 × 1.5 l | 2.50 | 3 | floor
        Cola, 2 l | 2.00 | 7
        Diet cola, 2 l | 2.00 | 6
        Cola, 8 × 330 ml cans | 4.50 | 5 | floor
        Cloudy lemonade, 2 l | 1.00 | 3
        Orange squash, 1.5 l | 1.50 | 4
        Blackcurrant squash, 1 l | 2.50 | 3
        Smooth orange juice, long-life 1 l | 1.50 | 5
        Apple juice, long-life 1 l | 1.20 | 3.5
        Cranberry juice drink, 1 l | 1.75 | 1.5
        Sparkling orange, 1.5 l | 1.60 | 2
        Ginger beer, 4 × 330 ml | 2.60 | 1.5
        Indian tonic water, 1 l | 1.20 | 2
        Energy drink, 250 ml | 1.30 | 4 | impulse
        Energy drink, 4 × 250 ml | 4.00 | 2.5
        Sports drink, 500 ml | 1.50 | 2.5
        Peach iced tea, 1.5 l | 1.75 | 1.5
        Lemon & lime flavoured water, 1 l | 1.00 | 2
        Coconut water, 330 ml | 1.80 | 0.8
        Raspberry kombucha, 330 ml | 2.00 | 0.8
    """,
    "alcohol": """
        Lager, 4 × 440 ml cans | 4.50 | 6
        Lager, 10 × 440 ml cans | 10.00 | 4 | floor
        Premium lager, 6 × 330 ml bottles | 7.50 | 3
        IPA, 4 × 330 ml cans | 6.00 | 3
        Best bitter, 500 ml | 2.20 | 1.5
        Irish stout, 4 × 440 ml | 5.50 | 2
        Apple cider, 4 × 500 ml | 5.00 | 3
        Alcohol-free lager, 4 × 330 ml | 3.50 | 1.5
        Sauvignon Blanc, 75 cl | 7.00 | 4
        Pinot Grigio, 75 cl | 6.50 | 4
        Chardonnay, 75 cl | 6.50 | 2.5
        Merlot, 75 cl | 6.50 | 3
        Malbec, 75 cl | 8.00 | 3
        Rioja Crianza, 75 cl | 7.50 | 2.5
        Provence rosé, 75 cl | 6.00 | 3
        Prosecco, 75 cl | 8.00 | 3.5 | treat
        London dry gin, 70 cl | 16.00 | 2
        Vodka, 70 cl | 14.00 | 2
        Blended Scotch whisky, 70 cl | 17.00 | 1.5
        Spiced rum, 70 cl | 18.00 | 1
    """,
    "snacks": """
        Ready salted crisps, 6 pack | 1.75 | 6
        Cheese & onion crisps, 6 pack | 1.75 | 5
        Salt & vinegar crisps, 6 pack | 1.75 | 4
        Sea salt sharing crisps, 150 g | 1.50 | 5
        Sweet chilli sharing crisps, 150 g | 1.50 | 3
        Lightly salted tortilla chips, 200 g | 1.25 | 4
        Chunky salsa dip, 300 g | 1.50 | 2
        Original stackable crisps, 165 g | 2.25 | 4
        Sea salt lentil chips, 90 g | 1.00 | 1.5
        Sweet & salty popcorn, 100 g | 1.50 | 3
        Salted pretzels, 175 g | 1.25 | 1.5
        Salted peanuts, 200 g | 1.20 | 2
        Roasted cashews, 200 g | 2.75 | 2
        Nuts & raisins, 200 g | 1.75 | 1.5
        Pork scratchings, 60 g | 1.00 | 1
        Lightly salted rice cakes, 130 g | 0.90 | 1.5
        Cheese puffs, 6 pack | 1.50 | 3
        Italian breadsticks, 125 g | 0.85 | 1
        Prawn crackers, 60 g | 0.75 | 1.5
        Beef jerky, 70 g | 2.50 | 1
    """,
    "confectionery": """
        Milk chocolate bar, 110 g | 1.25 | 8 | impulse
        Milk chocolate bars, 4 pack | 2.00 | 4
        Dark chocolate 70%, 100 g | 1.50 | 3
        Caramel chocolate bars, 4 pack | 1.85 | 4
        Chocolate wafer fingers, 9 pack | 2.25 | 3
        Peanut chocolate bars, 4 pack | 2.00 | 3
        Chocolate buttons, sharing bag 119 g | 1.60 | 3 | impulse
        Chocolate honeycomb bites, 135 g | 1.60 | 2 | impulse
        Chocolate orange, 157 g | 1.75 | 2
        Boxed chocolates, 200 g | 4.50 | 2
        Chocolate truffles, 200 g | 5.00 | 1.5
        Fruit gums, 140 g | 1.00 | 3 | impulse
        Jelly babies, 190 g | 1.15 | 3
        Fizzy sour sweets, 160 g | 1.00 | 2.5 | impulse
        Mint imperials, 200 g | 1.00 | 1
        Spearmint chewing gum, 10 pack | 0.80 | 3 | impulse
        Peppermint gum bottle, 46 pieces | 3.00 | 1.5
        Marshmallows, 200 g | 1.00 | 1.5
        Butter toffees, 150 g | 1.25 | 1.5
        Liquorice allsorts, 190 g | 1.25 | 1
        Fruit lollipops, 10 pack | 1.50 | 1.5
        Extra strong mints, 4 rolls | 1.00 | 1.5 | impulse
    """,
    "biscuits": """
        Milk chocolate digestives, 300 g | 1.25 | 6
        Digestive biscuits, 400 g | 0.85 | 4
        Rich tea biscuits, 300 g | 0.70 | 3
        Custard creams, 400 g | 0.75 | 3
        Bourbon creams, 400 g | 0.75 | 2.5
        Chocolate chip cookies, 200 g | 1.50 | 4
        All-butter shortbread fingers, 160 g | 1.60 | 2
        Orange sponge cakes, 10 pack | 1.40 | 4
        Ginger nuts, 250 g | 0.80 | 2
        Chocolate oat biscuits, 300 g | 1.50 | 2
        Cream crackers, 200 g | 0.90 | 2
        Scottish oatcakes, 250 g | 1.40 | 1.5
        Crackers for cheese, 300 g | 2.00 | 1.5
        Chocolate wafer bars, 8 pack | 1.80 | 3
        Mini cookie bags, 6 pack | 1.80 | 3
    """,
    "household": """
        Toilet tissue, 9 rolls | 4.50 | 6 | floor
        Kitchen roll, 2 pack | 2.25 | 5 | floor
        Facial tissues, 3 boxes | 2.50 | 2
        Washing-up liquid, 450 ml | 1.20 | 4
        Dishwasher tablets, 30 pack | 5.00 | 3
        Non-bio laundry liquid, 1.3 l | 6.00 | 3.5
        Bio laundry capsules, 24 pack | 6.50 | 3
        Fabric conditioner, 1.1 l | 2.50 | 2.5
        Multi-surface spray, 500 ml | 1.50 | 2.5
        Thick bleach, 750 ml | 0.90 | 2
        Toilet cleaner, 750 ml | 1.50 | 1.5
        Pedal bin liners, 20 pack | 2.00 | 3
        Freezer bags, 50 pack | 1.25 | 1.5
        Cling film, 30 m | 1.25 | 1.5
        Aluminium foil, 10 m | 1.50 | 2
        Baking paper, 10 m | 1.40 | 1
        Sponge scourers, 5 pack | 0.90 | 2
        AA batteries, 4 pack | 3.50 | 1.5
        LED light bulb, 60 W | 2.50 | 0.8
        Air freshener, 300 ml | 1.50 | 1.5
        Rubber gloves, medium | 1.20 | 1
    """,
    "personal-care": """
        Fluoride toothpaste, 75 ml | 1.50 | 5
        Medium toothbrushes, 2 pack | 2.50 | 2
        Mouthwash, 500 ml | 3.00 | 1.5
        Shampoo, 400 ml | 3.00 | 3
        Conditioner, 400 ml | 3.00 | 2
        Shower gel, 250 ml | 1.50 | 3.5
        Liquid hand wash, 250 ml | 1.00 | 3
        Bar soap, 4 pack | 1.50 | 1.5
        Roll-on deodorant, 50 ml | 1.75 | 3
        Anti-perspirant spray, 150 ml | 2.50 | 3
        Disposable razors, 5 pack | 3.00 | 1.5
        Cotton pads, 100 pack | 0.90 | 1.5
        Paracetamol tablets, 16 pack | 0.65 | 3
        Ibuprofen tablets, 16 pack | 0.85 | 2.5
        Assorted plasters, 40 pack | 2.00 | 1
        Sun cream SPF 30, 200 ml | 5.00 | 1
        Lip balm, 4.8 g | 1.50 | 1
        Sanitary towels, 14 pack | 1.75 | 2
        Hand cream, 75 ml | 2.50 | 1
        Vitamin C tablets, 60 pack | 2.50 | 1
    """,
    "baby": """
        Nappies size 4, 44 pack | 7.00 | 3 | floor
        Nappies size 5, 38 pack | 7.00 | 2 | floor
        Baby wipes, 4 × 64 pack | 3.00 | 4
        First infant milk, 800 g | 12.00 | 1.5
        Baby porridge, 200 g | 1.60 | 1
        Fruit puree pouches, 4 pack | 2.50 | 2
        Toddler corn puffs, 6 pack | 1.75 | 1.5
        Baby shampoo, 300 ml | 2.00 | 1
        Nappy cream, 100 g | 3.00 | 1
        Baby rusks, 300 g | 2.00 | 0.8
    """,
    "pet": """
        Cat food pouches in gravy, 12 pack | 4.50 | 4
        Dry cat food, chicken 1 kg | 3.50 | 2.5
        Cat treats, 60 g | 1.00 | 2
        Clumping cat litter, 10 l | 3.00 | 1.5 | floor
        Dog food tins, 6 × 400 g | 6.00 | 3 | floor
        Adult dry dog food, 2.5 kg | 7.50 | 2 | floor
        Dental dog chews, 7 pack | 2.50 | 2
        Rawhide dog chews, 5 pack | 2.00 | 1
        Wild bird seed, 1 kg | 2.50 | 0.5
        Rabbit & guinea pig food, 1 kg | 3.00 | 0.5
    """,
}

# Grocery geometry (metres). The store is read west to east:
#   west wall (bakery, upright freezers) | bakery tables, chest freezer |
#   7 gondolas G1..G7 | 2 columns of produce tables | east wall chillers
G_XS = [7.8 + 3.4 * k for k in range(7)]  # gondola centres: 2.2 m aisles
G_Y0, G_Y1 = 9.4, 25.4  # gondola run; endcaps 0.6 m deep at each end
G_DEPTH, ENDCAP_DEPTH = 1.2, 0.6
LANE_XS = [8.0, 11.5, 15.0, 18.5, 22.0]  # checkout counters (last: self-service)
COUNTER_Y = 2.0  # counters span y 1.0..3.0
SERVICE_Y = 3.3  # the customer being served stands just north of the counter
PRODUCE_COLUMNS = [32.0, 36.0]
PRODUCE_YS = [10.6, 15.0, 19.4, 23.8]
NORTH_RUNS = [  # north wall chillers, west to east: id, x0, x1, department
    ("N-MILK", 0.9, 8.9, "milk & cream"),
    ("N-DAIRY", 8.9, 20.9, "cheese, butter, eggs & yogurt"),
    ("N-DELI", 20.9, 29.9, "deli & ready meals"),
    ("N-MEAT", 29.9, 39.4, "meat, poultry & fish"),
]
# What each gondola face holds: (gondola, face) -> categories; left looks west.
GONDOLA_FACES = {
    ("G1", "left"): ["baby", "pet"],
    ("G1", "right"): ["personal-care"],
    ("G2", "left"): ["household"],
    ("G2", "right"): ["baking"],
    ("G3", "left"): ["canned"],
    ("G3", "right"): ["sauces"],
    ("G4", "left"): ["pasta-rice"],
    ("G4", "right"): ["breakfast"],
    ("G5", "left"): ["hot-drinks"],
    ("G5", "right"): ["biscuits"],
    ("G6", "left"): ["confectionery"],
    ("G6", "right"): ["snacks"],
    ("G7", "left"): ["alcohol"],
    ("G7", "right"): ["soft-drinks"],
}
# Endcap promotions: south ends face the checkouts, north ends the back aisle.
ENDCAPS = {
    "G1": ("personal-care", "pet"),
    "G2": ("household", "baking"),
    "G3": ("canned", "sauces"),
    "G4": ("breakfast", "pasta-rice"),
    "G5": ("biscuits", "hot-drinks"),
    "G6": ("confectionery", "snacks"),
    "G7": ("soft-drinks", "alcohol"),
}
AISLE_NAMES = [
    "Aisle 1: toiletries & household",
    "Aisle 2: home baking & tins",
    "Aisle 3: sauces, pasta & rice",
    "Aisle 4: breakfast, tea & coffee",
    "Aisle 5: biscuits & sweets",
    "Aisle 6: crisps, beer & wine",
    "Aisle 7: soft drinks",
]


def wall_run(layout, fid, kind, side, start, end, depth, height, levels, note):
    """A run of shelving against a wall, its front face towards the room.
    `side` is the wall (north, east, west); start..end runs along it."""
    length = end - start
    mid = (start + end) / 2
    W, D = 40.0, 30.0
    if side == "north":
        at, rot = (mid, D - depth / 2), 0
    elif side == "east":
        at, rot = (W - depth / 2, mid), 3
    else:
        at, rot = (depth / 2, mid), 1
    return layout.add(fid, kind, at, (length, depth), height, rot, levels, ["front"], note)


def grocery():
    cats = GROCERY_CATEGORIES
    products = catalogue(cats, GROCERY_PRODUCTS)
    P = lambda c, **kw: pick(products, c, **kw)  # noqa: E731
    L = Layout()
    wall_levels = ["knee", "waist", "eye", "top"]

    # --- fixtures ----------------------------------------------------------
    L.group("Checkouts: four staffed counters and one self-service station")
    for i, x in enumerate(LANE_XS):
        L.add(f"CO{i + 1}", "checkout_counter", (x, COUNTER_Y), (0.6, 2.0), 0.9,
              note=f"Counter of lane L{i + 1}" + (" (self-service)." if i == 4 else "."))

    L.group("Promotion tables inside the entrance (front right)")
    L.add("P-ENTRY1", "promo_table", (31.0, 4.5), (1.6, 1.0), 0.8, 0, ["waist"],
          ["front", "back", "left", "right"], "Fruit in season. Shoppers pass it on the way in.")
    L.add("P-ENTRY2", "promo_table", (34.0, 4.5), (1.6, 1.0), 0.8, 0, ["waist"],
          ["front", "back", "left", "right"], "Weekend offers: fizz, chocolates, pastries, crisps.")

    L.group("East side: produce, the first department after the entrance")
    wall_run(L, "E-JUICE", "wall_shelf", "east", 8.0, 13.0, 0.6, 2.0, wall_levels,
             "Chilled juices and smoothies (an open multi-deck chiller; chilled"
             " cabinets are `wall_shelf`, `freezer` is kept for frozen food). Rotation 3:"
             " its front faces west, into the store.")
    wall_run(L, "E-SALAD", "wall_shelf", "east", 13.0, 29.4, 0.6, 2.0, ["knee", "waist", "eye"],
             "Salads, herbs and berries: open chiller along the east wall.")
    for c, x in enumerate(PRODUCE_COLUMNS):
        for r, y in enumerate(PRODUCE_YS):
            what = "fruit" if c == 0 else "vegetables"
            L.add(f"T-{'AB'[c]}{r + 1}", "display", (x, y), (1.6, 3.2), 0.9, 0, ["waist"],
                  ["front", "back", "left", "right"],
                  f"Produce table, {what}: one tilted level, stocked on all four sides.")

    L.group("Back (north) wall: meat, deli and dairy, milk in the far corner")
    for fid, x0, x1, what in NORTH_RUNS:
        wall_run(L, fid, "wall_shelf", "north", x0, x1, 0.6, 2.0, wall_levels,
                 f"Chiller, {what}. Unrotated: its front looks south into the back aisle.")

    L.group("West side: bakery at the front, frozen food at the back")
    wall_run(L, "W-BAKERY", "wall_shelf", "west", 8.0, 16.5, 0.6, 1.8, wall_levels,
             "Bread and morning goods. Rotation 1: its front faces east.")
    wall_run(L, "W-FROZEN", "freezer", "west", 16.5, 29.4, 0.9, 2.0, wall_levels,
             "Upright freezers with glass doors along the west wall.")
    L.add("T-BAKERY1", "display", (4.1, 10.5), (1.6, 2.0), 0.9, 0, ["waist"],
          ["front", "back", "left", "right"], "In-store bakery table: pastries and cakes.")
    L.add("T-BAKERY2", "display", (4.1, 13.5), (1.6, 2.0), 0.9, 0, ["waist"],
          ["front", "back", "left", "right"], "In-store bakery table: bread and treats.")
    L.add("FZ-ISLAND", "freezer", (4.1, 21.0), (1.8, 8.0), 0.9, 0, ["waist"],
          ["front", "back", "left", "right"], "Chest freezer island: ice cream, desserts, frozen fruit.")

    L.group("Centre store: seven north-south gondolas, endcaps at both ends")
    for k, x in enumerate(G_XS):
        g = f"G{k + 1}"
        south, north = ENDCAPS[g]
        names = {c[0]: c[1].lower() for c in cats}
        left = " & ".join(names[c] for c in GONDOLA_FACES[(g, "left")])
        right = " & ".join(names[c] for c in GONDOLA_FACES[(g, "right")])
        L.add(f"E{k + 1}S", "endcap", (x, G_Y0 - ENDCAP_DEPTH / 2), (G_DEPTH, ENDCAP_DEPTH), 1.6, 0,
              wall_levels, ["front"], f"South endcap of {g}, {names[south]} offers facing the checkouts.")
        L.add(g, "gondola", (x, (G_Y0 + G_Y1) / 2), (G_DEPTH, G_Y1 - G_Y0), 1.9, 0, LEVELS,
              ["left", "right"],
              f"Gondola, {left} (west side) / {right} (east side). Unrotated and "
              f"{G_Y1 - G_Y0:.0f} m deep, so its long left and right faces look onto the aisles.")
        L.add(f"E{k + 1}N", "endcap", (x, G_Y1 + ENDCAP_DEPTH / 2), (G_DEPTH, ENDCAP_DEPTH), 1.6, 0,
              wall_levels, ["back"], f"North endcap of {g}, {names[north]} offers facing the back aisle.")

    # --- planogram: home shelves ------------------------------------------
    L.fill_face("E-JUICE", "front", [P("juice")], fill=0.8)
    L.fill_face("E-SALAD", "front", [P("salad"), P("fruit", tag="chill")], ["eye", "waist", "knee"])
    L.spread(P("fruit", without="chill"),
             [(f"T-A{r + 1}", face) for r in range(4) for face in ("left", "right", "front", "back")],
             ["waist"], fill=0.9)
    L.spread(P("vegetables"),
             [(f"T-B{r + 1}", face) for r in range(4) for face in ("left", "right", "front", "back")],
             ["waist"], fill=0.9)
    L.fill_face("N-MEAT", "front", [P("meat")])
    L.fill_face("N-DELI", "front", [P("deli")])
    L.fill_face("N-DAIRY", "front", [P("dairy")])
    L.fill_face("N-MILK", "front", [P("milk")])
    L.fill_face("W-BAKERY", "front", [P("bakery", without="table")])
    L.spread(P("bakery", tag="table"),
             [(t, face) for t in ("T-BAKERY1", "T-BAKERY2") for face in ("left", "right", "front", "back")],
             ["waist"], fill=0.9)
    L.fill_face("W-FROZEN", "front", [P("frozen", without="island")])
    L.spread(P("frozen", tag="island"), [("FZ-ISLAND", "left"), ("FZ-ISLAND", "right")],
             ["waist"], fill=0.8)
    for (g, face), cs in GONDOLA_FACES.items():
        L.fill_face(g, face, [P(c) for c in cs])

    # --- planogram: promotions (second placements) ------------------------
    for k in range(7):
        south, north = ENDCAPS[f"G{k + 1}"]
        L.feature(f"E{k + 1}S", "front", best_for_promotion(P(south), 4))
        L.feature(f"E{k + 1}N", "back", best_for_promotion(P(north), 4))
    L.feature("P-ENTRY1", "front", by_name(products, "Strawberries, 400 g", "Blueberries, 150 g"),
              ["waist"], 3)
    L.feature("P-ENTRY1", "back", by_name(products, "Cherries, 300 g", "Mango, each"), ["waist"], 3)
    L.feature("P-ENTRY2", "front", by_name(products, "Prosecco, 75 cl", "Boxed chocolates, 200 g"),
              ["waist"], 3)
    L.feature("P-ENTRY2", "back", by_name(products, "All-butter croissants, 4 pack",
                                          "Sea salt sharing crisps, 150 g"), ["waist"], 3)

    # --- the rest of the scenario -----------------------------------------
    xs = G_XS
    zones = [
        {"id": "entrance", "name": "Entrance & offers", "rect": [29.0, 0.0, 40.0, 8.0]},
        {"id": "checkouts", "name": "Checkouts & front aisle", "rect": [0.0, 0.0, 29.0, 8.0]},
        {"id": "produce", "name": "Fruit & vegetables", "rect": [30.0, 8.0, 40.0, 26.0]},
        {"id": "meat", "name": "Meat & fish", "rect": [29.9, 26.0, 40.0, 30.0]},
        {"id": "deli", "name": "Deli & ready meals", "rect": [20.9, 26.0, 29.9, 30.0]},
        {"id": "dairy", "name": "Milk & dairy", "rect": [0.0, 26.0, 20.9, 30.0]},
        {"id": "frozen", "name": "Frozen food", "rect": [0.0, 16.5, xs[0], 26.0]},
        {"id": "bakery", "name": "Bakery", "rect": [0.0, 8.0, xs[0], 16.5]},
    ]
    for k in range(7):
        x1 = xs[k + 1] if k < 6 else 30.0
        zones.append({"id": f"aisle-{k + 1}", "name": AISLE_NAMES[k],
                      "rect": [round(xs[k], 3), 8.0, round(x1, 3), 26.0]})

    staffed = {"base_s": 35.0, "per_item_s": 3.0, "cv": 0.35}
    selfserv = {"base_s": 45.0, "per_item_s": 4.5, "cv": 0.45}
    checkouts = [
        {"id": f"L{i + 1}", "kind": "self_service" if i == 4 else "staffed",
         "at": [x, SERVICE_Y], "queue": "north", "queue_places": 6,
         "service": selfserv if i == 4 else staffed}
        for i, x in enumerate(LANE_XS)
    ]

    segments = [
        {"_note": "Popping in for a few things on the way home or at lunchtime.",
         "id": "quick", "share": 0.45, "list_mean": 3.0, "speed_mean": 1.3, "speed_sd": 0.15,
         "impulse": 0.55, "patience_s": 240.0, "browsing": 0.05, "put_back": 0.03,
         "dwell_median_s": 3.5},
        {"_note": "In no hurry: walks more of the store and looks at more shelves.",
         "id": "browser", "share": 0.23, "list_mean": 6.0, "speed_mean": 0.9, "speed_sd": 0.15,
         "impulse": 1.0, "patience_s": 600.0, "browsing": 0.6, "put_back": 0.08,
         "dwell_median_s": 9.0},
        {"_note": "A parent, often with children in tow: a mid-sized basket.",
         "id": "family", "share": 0.2, "list_mean": 14.0, "speed_mean": 1.0, "speed_sd": 0.2,
         "impulse": 0.77, "patience_s": 600.0, "browsing": 0.2, "put_back": 0.06,
         "dwell_median_s": 6.0, "group_mean": 2.2},
        {"_note": "The big weekly shop with a full trolley and a long list.",
         "id": "weekly", "share": 0.12, "list_mean": 25.0, "speed_mean": 1.1, "speed_sd": 0.15,
         "impulse": 0.33, "patience_s": 900.0, "browsing": 0.1, "put_back": 0.02,
         "dwell_median_s": 5.0},
    ]

    scn = {
        "scenario": {"name": "grocery",
                     "description": "Neighbourhood grocery, 40 × 30 m: racetrack layout, seven "
                                    f"gondolas, five checkouts, {len(products)} products."},
        "store": {"footprint": [40.0, 30.0], "cell": 0.25},
        "fixtures": L.fixtures,
        "zones": zones,
        "entrances": [{"id": "main-door", "at": [37.0, 0.5]}],
        "exits": [{"id": "exit-door", "at": [3.0, 0.5]}],
        "checkouts": checkouts,
        "categories": [{"id": c[0], "name": c[1], "list_weight": c[2], "colour": c[5]} for c in cats],
        "products": products,
        "planogram": L.planogram,
        "population": {
            "daily_visitors": 2500.0,
            "hours": [8.0, 21.0],
            "circulation": "counter_clockwise",
            "circulation_penalty_m": 8.0,
            "aisle_reluctance": 0.5,
            #                 8    9   10   11   12    13   14   15   16    17    18   19   20
            "hourly_profile": [0.45, 0.65, 0.85, 1.0, 1.3, 1.2, 0.9, 0.9, 1.1, 1.4, 1.35, 1.0, 0.6],
            "segments": segments,
        },
        "run": {"tick_s": 0.1, "trace_interval_s": 1.0, "drain_h": 1.0, "memory_limit_mib": 64.0},
    }
    scn["variants"] = grocery_variants(scn, L, products)
    return scn, L


def grocery_variants(scn, L, products):
    base = {**scn, "variants": []}

    # candy-at-checkout: a low display between lanes L2 and L3, impulse sweets.
    display = {"id": "D-CHECKOUT", "kind": "display", "at": [13.25, 4.8], "size": [0.6, 1.8],
               "height": 1.3, "levels": ["waist", "eye"], "faces": ["left", "right"]}
    sweets = sorted(pick(products, "confectionery", tag="impulse"), key=lambda p: -p["appeal"])[:6]
    candy = [{"op": "add_fixture", "fixture": display}]
    candy.append("the six most tempting impulse lines, three on each side of the display, "
                 "as a second place: they stay on their shelves too")
    for i, p in enumerate(sweets):
        candy.append({"op": "add_placement", "product": p["id"], "fixture": "D-CHECKOUT",
                      "face": "left" if i % 2 == 0 else "right",
                      "level": "eye" if i < 4 else "waist", "facings": 2})

    # wide-aisles: G4 and its endcaps go; its goods join the neighbouring aisles,
    # and G2, G3, G5, G6 spread out so six gondolas share the old width.
    wide = ["take out the middle gondola and its endcaps"]
    wide += [{"op": "remove_fixture", "fixture": f} for f in ("G4", "E4S", "E4N")]
    keep = [1, 2, 3, 5, 6, 7]
    new_xs = [G_XS[0] + (G_XS[-1] - G_XS[0]) * i / 5 for i in range(6)]
    wide.append("spread the other six evenly between G1 and G7: 2.88 m aisles instead of 2.2 m")
    for g, x in zip(keep, new_xs):
        if abs(x - G_XS[g - 1]) > 1e-9:
            for fid, y in ((f"E{g}S", G_Y0 - ENDCAP_DEPTH / 2), (f"G{g}", (G_Y0 + G_Y1) / 2),
                           (f"E{g}N", G_Y1 + ENDCAP_DEPTH / 2)):
                wide.append({"op": "move_fixture", "fixture": fid, "to": [round(x, 3), y]})
    work = apply_edits(base, [e for e in wide if not isinstance(e, str)])
    gone = {"G4", "E4S", "E4N"}
    home = {"pasta-rice": ("G3", "right"), "breakfast": ("G5", "left")}
    moves, seen = [], set()
    cat_of = {p["id"]: p["category"] for p in products}
    for pl in base["planogram"]:
        pid = pl["product"]
        if pl["fixture"] not in gone or pid in seen:
            continue
        seen.add(pid)
        others = [q for q in base["planogram"] if q["product"] == pid and q["fixture"] not in gone]
        if others:  # a promotion on a removed endcap: back to its home shelf only
            q = others[0]
            moves.append((pid, q["fixture"], q["face"], [q["level"]], q["facings"]))
        else:
            fid, face = home[cat_of[pid]]
            levels = [pl["level"]] + [lv for lv in EYE_FIRST + ["floor"] if lv != pl["level"]]
            moves.append((pid, fid, face, levels, pl["facings"]))
    wide.append("pasta & rice join the sauces on G3's east face; cereals & spreads join tea & coffee on G5")
    wide += move_products_edits(work, moves)

    # milk-at-front: an open chiller by the door, the milk moves there.
    chiller = {"id": "CH-FRONT", "kind": "wall_shelf", "at": [39.55, 4.0], "size": [4.0, 0.9],
               "height": 2.0, "rotation": 3, "levels": ["knee", "waist", "eye", "top"],
               "faces": ["front"]}
    milk = sorted(pick(products, "milk", tag="milk"), key=lambda p: -p["popularity"])
    front = [{"op": "add_fixture", "fixture": chiller}, "every pint of milk and the oat drink move to it"]
    for i, p in enumerate(milk):
        front.append({"op": "move_product", "product": p["id"], "fixture": "CH-FRONT", "face": "front",
                      "level": ["eye", "waist", "knee"][i // 3], "facings": facings_for(p["popularity"])})

    return [
        {"_note": "Impulse sweets on a display between lanes L2 and L3, where queues form. "
                  "Does checkout confectionery add sales or just move them?",
         "id": "candy-at-checkout",
         "description": "A sweets display between lanes L2 and L3 takes six impulse confectionery lines.",
         "edits": candy},
        {"_note": "Two of the four staffed lanes stay shut all day (staff shortage). "
                  "Queues and abandoned baskets should rise at the lunch and evening peaks.",
         "id": "close-two-lanes",
         "description": "Staffed lanes L2 and L3 closed all day.",
         "edits": [{"op": "close_lane", "lane": "L2"}, {"op": "close_lane", "lane": "L3"}]},
        {"_note": "Six gondolas instead of seven, with wider aisles. The zones are not edited, so "
                  "aisle zones no longer line up with the moved gondolas.",
         "id": "wide-aisles",
         "description": "G4 removed; the other gondolas spread out to 2.9 m aisles; pasta, rice, "
                        "cereals and spreads move to the neighbouring gondolas.",
         "edits": wide},
        {"_note": "Milk moved from the back wall to a chiller by the entrance: shorter trips for "
                  "milk-only shoppers, fewer shoppers walking past everything else.",
         "id": "milk-at-front",
         "description": "A milk chiller by the door on the east wall; the milk moves there from the back.",
         "edits": front},
        {"_note": "An A/A control: identical to the base layout, so any difference from the "
                  "baseline measures noise only.",
         "id": "same-as-baseline",
         "description": "No edits: an A/A control.",
         "edits": []},
    ]


GROCERY_HEADER = """
Neighbourhood grocery: a 40 × 30 m single-floor supermarket laid out as a counter-clockwise racetrack. Shoppers come in at the front right, walk up the east side past fruit and vegetables, along the back wall past meat, deli and dairy (milk in the far left corner), and down the west side past frozen food and the bakery. Seven gondolas of ambient goods run north-south in between, with promotional endcaps at both ends. Five checkouts (four staffed, one self-service) face a cross aisle at the front; the exit is at the front left. About 2500 shoppers a day, 08:00-21:00, with lunchtime and after-work peaks.
"""

GROCERY_SECTIONS = {
    "store": "The building: one floor, 40 m wide and 30 m deep, on a 0.25 m navigation grid.",
    "fixtures": """
        Fixtures, in groups: checkouts, entrance promotions, produce (east), chillers along the back wall, bakery and freezers (west), and the gondolas with their endcaps. Aisles between gondolas are 2.2 m; the cross aisle between the queue tails (y 6.3) and the south endcaps (y 8.8) is 2.5 m; the back aisle is 3.4 m.
    """,
    "zones": "Zones: named areas, as rectangles [x0, y0, x1, y1]. Each aisle zone runs from the centre line of one gondola to the next, so it holds both shelves a shopper in that aisle faces.",
    "doors": "Doors: shoppers enter at the front right and leave at the front left, past the checkouts.",
    "checkouts": "Checkout lanes. The shopper being served stands just north of the counter; the queue grows north, six places 0.6 m apart (to y 6.3). Staffed: 35 s plus 3 s an item; self-service: slower per item.",
    "categories": "Categories. `list_weight`: how often a category appears on a shopping list (fresh food and dairy most, baby goods least). `colour` is used in plots.",
    "planogram": "Planogram, fixture by fixture. Best sellers sit at eye level; each category forms a block across the levels of its face. Endcaps and entrance tables repeat a few products from their home shelves as promotions.",
    "population": "Who comes: about 2500 visitors a day between 08:00 and 21:00. `hourly_profile` gives the relative arrivals in each opening hour (13 values, 08-09 first).",
    "population_fields": {"daily_visitors": "mean visitors per day",
                          "hours": "open, close (hours since midnight)",
                          "circulation": "most shoppers go round anticlockwise (Larson, Bradlow & Fader 2005)",
                          "circulation_penalty_m": "metres of extra walking rather than double back",
                          "aisle_reluctance": "aisles feel 50% longer than the perimeter racetrack",
                          "hourly_profile": "08 .. 20 h: lunch and after-work peaks"},
    "run": "Simulation settings.",
    "run_fields": {"tick_s": "simulated seconds per step", "trace_interval_s": "position samples",
                   "drain_h": "time after closing for the last shoppers",
                   "memory_limit_mib": "budget for navigation data"},
    "variants": """
        Variants: named edits of the layout above, run with `aisle run scenarios/grocery.toml --variant ID`. Each says what it tests.
    """,
}

GROCERY_CATALOGUE = """
Products, category by category. price: currency units; margin: gross margin as a fraction of price (milk and baby milk thin, bakery and confectionery fat); appeal: impulse probability when noticed (sweets, snacks and treats high, staples low); popularity: relative weight within the category when lists are drawn. Ids are the names in lower case.
"""


# ==========================================================================
# CONVENIENCE: a 12 × 10 m corner shop
# ==========================================================================

CONVENIENCE_CATEGORIES = [
    ("drinks", "Soft drinks", 6.0, 0.35, 0.30, "#e53935"),
    ("food-to-go", "Sandwiches & chilled food", 6.0, 0.35, 0.30, "#ad1457"),
    ("dairy", "Milk & dairy", 5.0, 0.18, 0.05, "#90caf9"),
    ("coffee", "Coffee & pastries", 3.5, 0.55, 0.40, "#6d4c41"),
    ("bakery", "Bread & cakes", 3.0, 0.35, 0.20, "#a1887f"),
    ("snacks", "Crisps & snacks", 3.0, 0.40, 0.45, "#ffca28"),
    ("confectionery", "Sweets & chocolate", 3.0, 0.42, 0.55, "#d81b60"),
    ("grocery", "Cupboard basics", 2.5, 0.25, 0.05, "#8d6e63"),
    ("alcohol", "Beer & wine", 3.0, 0.24, 0.25, "#6a1b9a"),
    ("household", "Household & toiletries", 1.5, 0.30, 0.04, "#26a69a"),
]

CONVENIENCE_PRODUCTS = {
    "drinks": """
        Cola, 500 ml | 1.35 | 8 | fridge impulse
        Diet cola, 500 ml | 1.35 | 6 | fridge
        Still water, 500 ml | 0.85 | 7 | fridge
        Sparkling water, 500 ml | 0.95 | 2.5 | fridge
        Orange juice, 330 ml | 1.50 | 3 | fridge
        Energy drink, 250 ml | 1.30 | 5 | fridge impulse
        Energy drink, 500 ml | 1.85 | 3 | fridge
        Sports drink, 500 ml | 1.60 | 2.5 | fridge
        Iced latte, 250 ml | 1.90 | 2.5 | fridge treat
        Strawberry smoothie, 250 ml | 2.00 | 1.5 | fridge treat
        Lemon iced tea, 500 ml | 1.40 | 1.5 | fridge
        Still water, 6 × 500 ml | 2.00 | 2 | floor
        Cola, 2 l | 2.20 | 2.5
        Orange squash, 1 l | 1.40 | 1.5
    """,
    "food-to-go": """
        Chicken & bacon sandwich | 3.20 | 6 | treat
        Egg mayonnaise sandwich | 2.30 | 4
        Tuna & sweetcorn sandwich | 2.60 | 4
        Ham & cheese baguette | 3.40 | 3
        Chicken caesar wrap | 3.20 | 3
        Tomato pasta salad pot | 2.80 | 2
        Sushi snack pack | 3.00 | 1.5
        Sausage rolls, 2 pack | 1.80 | 2.5 | treat
        Mini pork pies, 2 pack | 1.60 | 1.5
        Cooked ham, 125 g | 1.60 | 2
        Margherita pizza, chilled 400 g | 3.00 | 2
        Beef lasagne ready meal, 400 g | 3.50 | 2.5
    """,
    "dairy": """
        Semi-skimmed milk, 1 pint | 0.75 | 10
        Semi-skimmed milk, 2 pints | 1.30 | 7
        Whole milk, 1 pint | 0.75 | 4
        Oat drink, 1 l | 1.95 | 2
        Salted butter, 250 g | 2.20 | 3
        Mature cheddar, 200 g | 2.40 | 3
        Free-range eggs, 6 pack | 1.90 | 4
        Strawberry yogurts, 4 pack | 1.40 | 2
        Greek-style yogurt, 500 g | 1.50 | 1.5
    """,
    "coffee": """
        Americano, regular | 2.20 | 6
        Latte, regular | 2.60 | 6 | treat
        Cappuccino, regular | 2.60 | 4 | treat
        Hot chocolate, regular | 2.60 | 2 | treat
        Breakfast tea, regular | 1.60 | 2.5
        All-butter croissant | 1.10 | 4 | treat
        Pain au chocolat | 1.25 | 3 | treat
        Chocolate chunk cookie | 1.20 | 3 | impulse
    """,
    "bakery": """
        White sliced bread, 800 g | 1.35 | 8
        Wholemeal sliced bread, 800 g | 1.40 | 5
        White rolls, 4 pack | 1.00 | 3
        Tortilla wraps, 8 pack | 1.50 | 2
        Crumpets, 6 pack | 0.95 | 2
        Double chocolate muffin | 1.50 | 2.5 | treat
        Jam doughnuts, 2 pack | 1.20 | 2 | treat
    """,
    "snacks": """
        Ready salted crisps, 45 g | 0.95 | 6 | impulse
        Cheese & onion crisps, 45 g | 0.95 | 5 | impulse
        Salt & vinegar crisps, 45 g | 0.95 | 4
        Sea salt sharing crisps, 150 g | 2.00 | 3
        Tortilla chips, 200 g | 1.50 | 2
        Salted peanuts, 50 g | 0.90 | 2 | impulse
        Beef jerky, 35 g | 1.80 | 1
        Chocolate protein bar, 60 g | 2.00 | 2.5
        Oat & honey cereal bar | 0.80 | 2
    """,
    "confectionery": """
        Milk chocolate bar, 45 g | 0.95 | 8 | impulse
        Caramel chocolate bar, 50 g | 0.95 | 5 | impulse
        Peanut chocolate bar, 50 g | 0.95 | 4 | impulse
        Chocolate wafer bar, 45 g | 0.85 | 4
        Chocolate buttons, 30 g | 0.85 | 3 | impulse
        Milk chocolate sharing bag, 120 g | 2.00 | 2.5
        Fruit gums, 140 g | 1.25 | 2.5
        Fizzy sour sweets, 160 g | 1.25 | 2
        Spearmint chewing gum, 10 pieces | 0.80 | 4 | impulse
        Extra strong mints, roll | 0.70 | 2.5 | impulse
        Fruit lollipop | 0.40 | 1.5
    """,
    "grocery": """
        Baked beans, 415 g | 1.00 | 4
        Chopped tomatoes, 400 g | 0.80 | 3
        Spaghetti, 500 g | 1.10 | 3
        Long grain rice, 500 g | 1.20 | 2
        Tomato & basil pasta sauce, 500 g | 1.90 | 2.5
        Chicken instant noodle pot | 1.30 | 4
        Breakfast tea bags, 80 pack | 3.00 | 3.5
        Instant coffee, 100 g | 3.50 | 2.5
        Granulated sugar, 1 kg | 1.20 | 1.5
        Cornflakes, 500 g | 2.00 | 2
        Tuna chunks in brine, 145 g | 1.40 | 2
        Cream of tomato soup, 400 g | 1.20 | 2
    """,
    "alcohol": """
        Lager, 4 × 440 ml cans | 5.00 | 6 | beer
        Lager, 500 ml can | 1.60 | 4 | beer
        IPA, 4 × 330 ml cans | 6.50 | 2.5 | beer
        Apple cider, 4 × 500 ml | 5.50 | 3 | beer
        Sauvignon Blanc, 75 cl | 7.50 | 3.5
        Merlot, 75 cl | 7.50 | 3
        Provence rosé, 75 cl | 7.00 | 2
        Prosecco, 75 cl | 8.50 | 2 | treat
        Vodka, 35 cl | 9.50 | 1
    """,
    "household": """
        Toilet tissue, 4 rolls | 2.80 | 4 | floor
        Kitchen roll, 2 pack | 2.50 | 2
        Washing-up liquid, 450 ml | 1.50 | 2
        Laundry capsules, 12 pack | 4.50 | 1.5
        Pedal bin liners, 20 pack | 2.20 | 1.5
        AA batteries, 4 pack | 4.00 | 1.5
        Fluoride toothpaste, 75 ml | 1.80 | 2.5
        Paracetamol tablets, 16 pack | 0.85 | 3
        Roll-on deodorant, 50 ml | 2.00 | 1.5
    """,
}


def convenience():
    cats = CONVENIENCE_CATEGORIES
    products = catalogue(cats, CONVENIENCE_PRODUCTS)
    P = lambda c, **kw: pick(products, c, **kw)  # noqa: E731
    L = Layout()
    fridge_levels = ["knee", "waist", "eye", "top"]

    L.group("Front: the till, a self-checkout and the coffee counter")
    L.add("C-TILL", "checkout_counter", (1.8, 1.35), (2.0, 0.7), 1.0,
          note="Staffed till counter across the front-left corner; the customer stands on its north side.")
    L.add("C-SCO", "checkout_counter", (5.4, 0.5), (0.7, 0.6), 1.2,
          note="Self-service checkout kiosk.")
    L.add("COFFEE", "display", (8.0, 1.8), (1.8, 0.6), 1.4, 0, ["waist", "eye"], ["front", "back"],
          "Coffee machine and pastry counter by the door: drinks on the window side, pastries facing in.")

    L.group("Walls: fridges at the back, groceries west, beer and wine east")
    L.add("F-FOOD", "freezer", (3.1, 9.6), (4.8, 0.8), 2.0, 0, fridge_levels, ["front"],
          "Glass-door fridges: sandwiches, chilled food and milk (door-fronted fridges use kind"
          " `freezer`). Unrotated: the doors face south.")
    L.add("F-DRINKS", "freezer", (8.4, 9.6), (5.8, 0.8), 2.0, 0, fridge_levels, ["front"],
          "Glass-door drinks fridges.")
    L.add("W-GROCERY", "wall_shelf", (0.3, 6.0), (6.4, 0.6), 1.8, 1, fridge_levels, ["front"],
          "Cupboard basics on the west wall. Rotation 1: the front faces east.")
    L.add("E-ALCOHOL", "wall_shelf", (11.7, 6.4), (5.6, 0.6), 1.8, 3, fridge_levels, ["front"],
          "Wine and spirits on the east wall. Rotation 3: the front faces west.")

    L.group("Three short north-south gondolas, endcaps facing the till")
    ids = {"G1": ("household", "bakery"), "G2": ("snacks", "confectionery"),
           "G3": ("drinks", "alcohol")}
    names = {c[0]: c[1].lower() for c in cats}
    for i, x in enumerate([2.7, 5.3, 7.9]):
        g = f"G{i + 1}"
        L.add(f"EC{i + 1}", "endcap", (x, 3.5), (1.0, 0.6), 1.4, 0, ["waist", "eye"], ["front"],
              f"Endcap at the south end of {g}, facing the till.")
        L.add(g, "gondola", (x, 5.7), (1.0, 3.8), 1.6, 0, LEVELS, ["left", "right"],
              f"Gondola, {names[ids[g][0]]} (west side) / {names[ids[g][1]]} (east side).")

    L.fill_face("F-FOOD", "front", [P("food-to-go"), P("dairy")])
    L.fill_face("F-DRINKS", "front", [P("drinks", tag="fridge")])
    L.fill_face("W-GROCERY", "front", [P("grocery")])
    L.fill_face("E-ALCOHOL", "front", [P("alcohol", without="beer")], fill=0.8)
    L.fill_face("G1", "left", [P("household")])
    L.fill_face("G1", "right", [P("bakery")])
    L.fill_face("G2", "left", [P("snacks")])
    L.fill_face("G2", "right", [P("confectionery")])
    L.fill_face("G3", "left", [P("drinks", without="fridge")])
    L.fill_face("G3", "right", [P("alcohol", tag="beer")])
    coffee = P("coffee")
    L.fill_face("COFFEE", "front", [coffee[:5]], ["eye", "waist"])
    L.fill_face("COFFEE", "back", [coffee[5:]], ["eye", "waist"])
    L.feature("EC1", "front", best_for_promotion(P("confectionery"), 2), ["eye"], 2)
    L.feature("EC2", "front", best_for_promotion(P("snacks"), 2), ["eye"], 2)
    L.feature("EC3", "front", best_for_promotion(P("drinks", tag="fridge"), 2), ["eye"], 2)

    segments = [
        {"_note": "Commuters and lunchtime visitors: one or two items, in and out.",
         "id": "grab-and-go", "share": 0.65, "list_mean": 1.5, "speed_mean": 1.3, "speed_sd": 0.15,
         "impulse": 0.35, "patience_s": 180.0, "browsing": 0.05, "put_back": 0.02,
         "dwell_median_s": 3.0},
        {"_note": "Topping up the cupboard: bread, milk and a few more.",
         "id": "top-up", "share": 0.35, "list_mean": 4.0, "speed_mean": 1.1, "speed_sd": 0.2,
         "impulse": 0.25, "patience_s": 360.0, "browsing": 0.15, "put_back": 0.04,
         "dwell_median_s": 5.0},
    ]
    scn = {
        "scenario": {"name": "convenience",
                     "description": "Corner convenience store, 12 × 10 m: three gondolas, a fridge "
                                    "wall, a coffee counter, one staffed till and one self-checkout."},
        "store": {"footprint": [12.0, 10.0], "cell": 0.25},
        "fixtures": L.fixtures,
        "zones": [
            {"id": "till", "name": "Till & queue", "rect": [0.0, 0.0, 6.4, 3.2]},
            {"id": "door", "name": "Door & coffee", "rect": [6.4, 0.0, 12.0, 3.2]},
            {"id": "aisles", "name": "Aisles", "rect": [0.0, 3.2, 9.0, 8.4]},
            {"id": "beer-wine", "name": "Beer & wine", "rect": [9.0, 3.2, 12.0, 8.4]},
            {"id": "fridges", "name": "Fridges", "rect": [0.0, 8.4, 12.0, 10.0]},
        ],
        "entrances": [{"id": "door-in", "at": [10.8, 0.4]}],
        "exits": [{"id": "door-out", "at": [9.6, 0.4]}],
        "checkouts": [
            {"id": "TILL", "kind": "staffed", "at": [1.8, 2.1], "queue": "east", "queue_places": 5,
             "service": {"base_s": 20.0, "per_item_s": 2.5, "cv": 0.35}},
            {"id": "SCO", "kind": "self_service", "at": [5.4, 1.15], "queue": "north", "queue_places": 3,
             "service": {"base_s": 25.0, "per_item_s": 4.0, "cv": 0.45}},
        ],
        "categories": [{"id": c[0], "name": c[1], "list_weight": c[2], "colour": c[5]} for c in cats],
        "products": products,
        "planogram": L.planogram,
        "population": {
            "daily_visitors": 900.0,
            "hours": [7.0, 23.0],
            #                 7    8    9   10   11   12   13   14   15   16   17   18   19   20   21   22
            "hourly_profile": [1.0, 1.6, 1.0, 0.7, 0.8, 1.5, 1.3, 0.7, 0.8, 1.0, 1.6, 1.7, 1.2, 0.9,
                               0.7, 0.5],
            "segments": segments,
        },
        "run": {"tick_s": 0.1, "trace_interval_s": 1.0, "drain_h": 1.0, "memory_limit_mib": 64.0},
    }

    rack = {"id": "D-TILL", "kind": "display", "at": [3.7, 1.2], "size": [1.6, 0.5], "height": 1.2,
            "levels": ["waist", "eye"], "faces": ["back"]}
    treats = sorted([p for p in products if "impulse" in p["_tags"]
                     and p["category"] in ("snacks", "confectionery")],
                    key=lambda p: -p["appeal"])[:5]
    till = [{"op": "add_fixture", "fixture": rack}, "five impulse snacks and sweets move to it"]
    for i, p in enumerate(treats):
        till.append({"op": "move_product", "product": p["id"], "fixture": "D-TILL", "face": "back",
                     "level": "eye" if i < 3 else "waist", "facings": 2})
    scn["variants"] = [
        {"_note": "A queue-line rack beside the till (its stocked side faces the waiting customers) "
                  "takes the most tempting snacks and sweets.",
         "id": "snacks-by-till",
         "description": "A rack along the till queue takes five impulse snacks and sweets.",
         "edits": till},
        {"_note": "An A/A control: no edits.",
         "id": "same-as-baseline", "description": "No edits: an A/A control.", "edits": []},
    ]
    return scn, L


CONVENIENCE_HEADER = """
Convenience store: a 12 × 10 m corner shop open 07:00-23:00 with morning, lunchtime and evening commuter peaks, about 900 shoppers a day. The door is at the front right beside a coffee and pastry counter. Three short gondolas run north-south, with glass-door fridges (chilled food, milk, drinks) along the back wall, cupboard basics on the west wall and beer and wine on the east wall. One staffed till at the front left (its queue runs east along the front) and one self-service checkout.
"""

CONVENIENCE_SECTIONS = {
    "store": "The building: one floor, 12 m wide and 10 m deep, on a 0.25 m grid.",
    "fixtures": "Fixtures. Aisles are 1.6 m between the gondolas and 3 m on the door side; the back aisle in front of the fridges is 1.6 m.",
    "zones": "Zones: named areas, as rectangles [x0, y0, x1, y1].",
    "doors": "One door at the front right: in on its right-hand side, out on its left.",
    "checkouts": "Checkout lanes. The till's queue runs east along the front of the shop; the self-checkout's queue runs north. Service time: base_s + per_item_s x items, log-normal.",
    "categories": "Categories. `list_weight`: how often a category appears on a shopping list; drinks and food-to-go lead in a convenience store.",
    "planogram": "Planogram, fixture by fixture: best sellers at eye level, 1-4 facings of 0.25 m each. Endcaps repeat two lines from their home shelves.",
    "population": "Who comes: about 900 visitors a day, 07:00-23:00; 16 hourly values, 07-08 first.",
    "population_fields": {"daily_visitors": "mean visitors per day",
                          "hours": "open, close (hours since midnight)",
                          "hourly_profile": "07 .. 22 h: commuter and lunch peaks"},
    "run": "Simulation settings.",
    "run_fields": GROCERY_SECTIONS["run_fields"],
    "variants": "Variants: named edits of the layout above.",
}

CONVENIENCE_CATALOGUE = """
Products, category by category: price in currency units, margin as a fraction of price, appeal as the impulse probability when noticed, popularity within the category.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="check the layouts, write nothing")
    args = ap.parse_args()
    failed = False
    for build, header, note, sections in (
        (grocery, GROCERY_HEADER, GROCERY_CATALOGUE, GROCERY_SECTIONS),
        (convenience, CONVENIENCE_HEADER, CONVENIENCE_CATALOGUE, CONVENIENCE_SECTIONS),
    ):
        scn, layout = build()
        problems = check_all({**scn, "variants": strip_comments(scn["variants"])})
        name = scn["scenario"]["name"]
        for p in problems:
            print(f"problem: {p}", file=sys.stderr)
        failed |= bool(problems)
        n_place = len(scn["planogram"])
        print(f"{name}: {len(scn['fixtures'])} fixtures, {len(scn['categories'])} categories, "
              f"{len(scn['products'])} products, {n_place} planogram entries, "
              f"{len(scn['variants'])} variants" + (" — PROBLEMS" if problems else ""))
        if problems or args.check:
            continue
        path = ROOT / "scenarios" / f"{name}.toml"
        path.write_text(write_scenario(scn, layout, header, note, sections), encoding="utf-8")
        print(f"  wrote {path.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
