//! Narrow walkways, gaps closed to a body and passages, from hand-made layouts.

use super::*;
use crate::geom::Point;

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
    Rect::from_corners(Point::new(x0, y0), Point::new(x1, y1))
}

#[test]
fn walls_off_the_axes_are_named_with_the_box_they_block() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let mut text = std::fs::read_to_string(&path).expect("tiny scenario");
    for (from, to) in [("[0.5, 7.0]", "[2.5, 7.0]"), ("[10.0, 6.0]", "[11.5, 7.0]"), ("[11.0, 1.0]", "[11.0, 2.0]")] {
        text.push_str(&format!("\n[[store.walls]]\nfloor = \"ground\"\nfrom = {from}\nto = {to}\n"));
    }
    let file = crate::scenario::ScenarioFile::parse(&path, text).expect("parses");
    assert_eq!(
        diagonal_walls(&file.raw),
        ["floor `ground`: wall 2 from (10, 6) to (11.5, 7) runs neither along x nor along y: it blocks the whole \
          1.5 × 1 m box between its ends; draw it as walls along x and y"]
    );
}

#[test]
fn a_wall_without_length_is_named() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let mut text = std::fs::read_to_string(&path).expect("tiny scenario");
    for (from, to) in [("[0.5, 7.0]", "[2.5, 7.0]"), ("[11.0, 1.0]", "[11.0, 1.0]")] {
        text.push_str(&format!("\n[[store.walls]]\nfloor = \"ground\"\nfrom = {from}\nto = {to}\n"));
    }
    let file = crate::scenario::ScenarioFile::parse(&path, text).expect("parses");
    assert_eq!(
        walls_without_length(&file.raw),
        ["floor `ground`: wall 2 from (11, 1) to (11, 1) has no length: it blocks only a square of its \
          thickness; give its ends apart, or remove it"]
    );
}

/// The tiny store's door is at (11.0, 0.3), by its front edge. Moved to
/// the middle of the floor it is named; by a wall, it is not.
#[test]
fn an_entrance_in_the_middle_of_the_floor_is_named() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let text = std::fs::read_to_string(&path).expect("tiny scenario");
    // (where the door is, walls added, warned)
    let cases = [
        ("[11.0, 0.3]", "", false),
        ("[8.0, 3.0]", "", true),
        ("[8.0, 3.0]", "\n[[store.walls]]\nfloor = \"ground\"\nfrom = [7.0, 3.5]\nto = [9.0, 3.5]\n", false),
    ];
    for (at, walls, warned) in cases {
        let text = text.replacen("at = [11.0, 0.3]", &format!("at = {at}"), 1) + walls;
        let file = crate::scenario::ScenarioFile::parse(&path, text).expect("parses");
        let found = entrances_off_the_outline(&file.build(crate::scenario::BASELINE).expect("valid"));
        assert_eq!(found.len(), usize::from(warned), "door at {at}: {found:?}");
    }
}

/// G1 spans x 2..6, y 4.5..5.5 in the tiny store. A wall through it
/// is named; one its back is set against (into it by half the wall's
/// thickness), or one ending at its side, is not.
#[test]
fn a_wall_through_a_fixture_is_named_and_one_along_its_side_is_not() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    // (wall from, to, through G1)
    let cases = [
        ("[4.0, 6.5]", "[4.0, 3.0]", true),
        ("[3.0, 5.0]", "[3.0, 5.2]", true),
        ("[0.5, 5.6]", "[6.5, 5.6]", false),
        ("[6.0, 6.5]", "[6.0, 3.0]", false),
        ("[0.5, 3.5]", "[2.0, 3.5]", false),
    ];
    for (from, to, through) in cases {
        let mut text = std::fs::read_to_string(&path).expect("tiny scenario");
        text.push_str(&format!("\n[[store.walls]]\nfloor = \"ground\"\nfrom = {from}\nto = {to}\n"));
        let file = crate::scenario::ScenarioFile::parse(&path, text).expect("parses");
        let scenario = file.build(crate::scenario::BASELINE).expect("valid");
        let found = walls_through_fixtures(&file.raw, &scenario);
        assert_eq!(found.len(), usize::from(through), "{from} → {to}: {found:?}");
        if through {
            assert!(
                found[0].starts_with("floor `ground`: wall 1 from ") && found[0].contains("runs through fixture `G1`")
            );
        }
    }
}

#[test]
fn clear_widths_between_rectangles() {
    let a = rect(0.0, 0.0, 1.0, 1.0);
    // (what, other rectangle, clear width)
    let cases = [
        ("side by side, 0.45 m apart", rect(1.45, 0.0, 2.0, 1.0), Some(0.45)),
        ("one above the other, 0.6 m apart", rect(0.5, 1.6, 2.0, 3.0), Some(0.6)),
        ("corner to corner, 0.3 by 0.4 m", rect(1.3, 1.4, 2.0, 2.0), Some(0.5)),
        ("side by side, 0.3 m apart", rect(1.3, 0.0, 2.0, 1.0), Some(0.3)),
        ("back to back", rect(1.0, 0.0, 2.0, 1.0), None),
        ("a 0.1 m slot", rect(1.1, 0.0, 2.0, 1.0), None),
        ("a slot of one cell", rect(1.25, 0.0, 2.0, 1.0), Some(0.25)),
        ("overlapping", rect(0.5, 0.5, 2.0, 2.0), None),
    ];
    for (what, b, expected) in cases {
        let got = clear_width(&a, &b, 0.25);
        let same = match (got, expected) {
            (Some(g), Some(e)) => (g - e).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        assert!(same, "{what}: got {got:?}, expected {expected:?}");
        assert_eq!(got.is_some(), clear_width(&b, &a, 0.25).is_some(), "{what}: symmetric");
    }
    // On a finer grid a 0.2 m slot holds floor, and is a walkway.
    assert_eq!(clear_width(&a, &rect(1.2, 0.0, 2.0, 1.0), 0.1).map(|w| (w * 100.0).round()), Some(20.0));
}

/// A gondola butting onto a shelf run along the north wall left a
/// "walkway 0.60 m wide" to the edge that the shelf fills: a gap other
/// things fill is no walkway; one they fill in part still is.
#[test]
fn a_gap_other_fixtures_fill_is_no_walkway() {
    let gondola = rect(5.6, 1.8, 6.6, 5.4);
    let edge_gap = rect(5.6, 5.4, 6.6, 6.0);
    let shelf_run = rect(5.0, 5.4, 39.0, 6.0);
    let short_run = rect(6.0, 5.4, 39.0, 6.0);
    // (what, the things besides the two, filled)
    let cases: [(&str, Vec<Rect>, bool); 4] = [
        ("a shelf run along the wall", vec![shelf_run], true),
        ("a run that stops halfway", vec![short_run], false),
        ("two runs meeting over it", vec![rect(5.0, 5.4, 6.1, 6.0), short_run], true),
        ("nothing", vec![], false),
    ];
    for (what, others, expected) in cases {
        assert_eq!(filled(&edge_gap, others.iter()), expected, "{what}");
    }
    let beside = rect(7.4, 2.0, 8.4, 5.0);
    assert_eq!(gap_between(&gondola, &beside), rect(6.6, 2.0, 7.4, 5.0), "the floor between two side by side");
    assert_eq!(gap_between(&beside, &gondola), rect(6.6, 2.0, 7.4, 5.0), "either way round");
}

/// Wall shelves standing end to end along a store's edge leave a
/// recess between each two: no walkway. The same gap out on the floor,
/// or a dead-end aisle longer than a recess, still is one.
#[test]
fn a_recess_closed_at_one_end_is_no_walkway() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let shelf = |id: &str, x: f64, y: f64, size: [f64; 2]| {
        format!(
            "\n[[fixtures]]\nid = \"{id}\"\nkind = \"obstacle\"\nat = [{x}, {y}]\nsize = [{}, {}]\nheight = 1.8\n",
            size[0], size[1]
        )
    };
    // (what, the two fixtures, warned of)
    let cases = [
        ("end to end along the back edge", [(2.0, 7.7, [2.0, 0.6]), (4.5, 7.7, [2.0, 0.6])], false),
        ("end to end out on the floor", [(7.5, 3.5, [2.0, 0.6]), (10.0, 3.5, [2.0, 0.6])], true),
        ("side by side, an aisle to the back edge", [(0.6, 6.5, [0.6, 3.0]), (1.6, 6.5, [0.6, 3.0])], true),
        ("side by side, a recess at the back edge", [(0.6, 7.7, [0.6, 0.6]), (1.6, 7.7, [0.6, 0.6])], false),
    ];
    for (what, [(x1, y1, s1), (x2, y2, s2)], warned) in cases {
        let text = text.clone() + &shelf("W1", x1, y1, s1) + &shelf("W2", x2, y2, s2);
        let file = crate::scenario::ScenarioFile::parse(&path, text).unwrap();
        let found = narrow_walkways(&file.build(crate::scenario::BASELINE).expect(what));
        let between = found.iter().any(|n| n.between == ("fixture `W1`".into(), "fixture `W2`".into()));
        assert_eq!(between, warned, "{what}: {found:?}");
    }
}

/// Tiny with its gondola `G1` 0.25 m in front of a wall shelf `WS`.
fn gondola_by_wall_shelf() -> crate::scenario::ScenarioFile {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let shelf = "\n[[fixtures]]\nid = \"WS\"\nkind = \"obstacle\"\nat = [4.0, 7.75]\nsize = [6.0, 0.5]\nheight = 2.0\n";
    let text = std::fs::read_to_string(&path).unwrap().replacen("at = [4.0, 5.0]", "at = [4.0, 6.75]", 1) + shelf;
    crate::scenario::ScenarioFile::parse(&path, text).unwrap()
}

/// A gondola 0.25 m in front of a wall shelf on a 0.25 m grid: the
/// slot between them holds a row of floor, and was warned of only as a
/// walkway of 0.75 m from the gondola to the wall behind the shelf.
#[test]
fn a_slot_of_one_cell_is_warned_of_and_no_gap_is_measured_through_a_fixture() {
    let file = gondola_by_wall_shelf();
    let found: Vec<String> = narrow_walkways(&file.build(crate::scenario::BASELINE).unwrap())
        .iter()
        .filter(|n| n.between.0 == "fixture `G1`")
        .map(|n| format!("{} {:.2}", n.between.1, n.width_m))
        .collect();
    assert_eq!(found, ["fixture `WS` 0.25"]);
}

/// The same slot, 0.25 m: too narrow for a body. It is named as such,
/// and the store closes its floor (shoppers walked it as an aisle).
#[test]
fn a_gap_narrower_than_a_body_is_named_and_its_floor_closed() {
    let file = gondola_by_wall_shelf();
    let scenario = file.build(crate::scenario::BASELINE).unwrap();
    let slots: Vec<String> = body_slots(&scenario).iter().map(ToString::to_string).collect();
    assert_eq!(
        slots,
        ["floor `ground`: fixture `G1` and fixture `WS` leave a gap 0.25 m wide, too narrow for a body (0.40 m): \
          nobody walks or stands in it (its floor is closed), and a shelf facing into it is picked from its \
          ends, where there is floor within reach; close it, or move them at least 0.40 m apart if shoppers \
          should pass"]
    );
    let store = crate::store::Store::build(&scenario).expect("the shelf's front stays reachable");
    let in_slot = store.cell_at(0, Point::new(4.0, 7.375)).expect("on the grid");
    assert!(!store.is_walkable(in_slot), "the slot's floor is closed");
    let in_aisle = store.cell_at(0, Point::new(4.0, 6.0)).expect("on the grid");
    assert!(store.is_walkable(in_aisle), "the aisle before the gondola stays open");
}

/// Two obstacles whose corners are level in x, 0.3 m apart in y: the
/// gap between them has no area, a pinch along a line. Its cells on
/// either side close (a gap of no area closed none, while it was
/// named as closed).
#[test]
fn a_pinch_between_corners_level_with_each_other_is_closed() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let obstacle = |id: &str, (x, y): (f64, f64)| {
        format!(
            "\n[[fixtures]]\nid = \"{id}\"\nkind = \"obstacle\"\nat = [{x}, {y}]\nsize = [1.0, 1.0]\nheight = 1.0\n"
        )
    };
    let text = std::fs::read_to_string(&path).unwrap() + &obstacle("A", (1.0, 2.5)) + &obstacle("B", (2.0, 3.8));
    let file = crate::scenario::ScenarioFile::parse(&path, text).unwrap();
    let scenario = file.build(crate::scenario::BASELINE).unwrap();
    let slots = body_slots(&scenario);
    let pinch = slots.iter().find(|n| n.between == ("fixture `A`".into(), "fixture `B`".into()));
    assert!(pinch.is_some_and(|n| (n.width_m - 0.3).abs() < 1e-9 && n.gap.area() == 0.0), "{slots:?}");
    let store = crate::store::Store::build(&scenario).expect("builds");
    for (x, y) in [(1.45, 3.1), (1.55, 3.1)] {
        let cell = store.cell_at(0, Point::new(x, y)).expect("on the grid");
        assert!(!store.is_walkable(cell), "({x}, {y}) by the pinch stays open");
    }
}

#[test]
fn a_corridor_between_walls_is_one_passage_however_many_walls_bound_it() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/narrow_corridor.toml");
    let scenario = crate::scenario::ScenarioFile::read(&path).unwrap().build(crate::scenario::BASELINE).unwrap();
    // Its two mouths, its length and four corners.
    assert_eq!(narrow_walkways(&scenario).len(), 7);
    assert_eq!(
        passage_warnings(&narrow_walkways(&scenario)),
        ["floor `g`: wall 1, wall 2, wall 3, wall 4, wall 5 and wall 6 leave a passage 0.60 m wide at its \
          narrowest, narrower than 0.90 m (the default store.min_walkway_m: an accessible route, ADA 2010 \
          §403.5.1); move them apart or set store.min_walkway_m"]
    );
}

#[test]
fn a_shipped_store_reports_its_narrow_walkways_by_name() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace("[store]\n", "[store]\nmin_walkway_m = 1.0\n");
    let file = crate::scenario::ScenarioFile::parse(&path, text).unwrap();
    let scenario = file.build(crate::scenario::BASELINE).unwrap();
    let found: Vec<String> = narrow_walkways(&scenario).iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        ["floor `ground`: fixture `C1` and the south edge leave a walkway 0.80 m wide, narrower than 1.00 m \
          (the scenario's store.min_walkway_m); move them apart or set store.min_walkway_m"]
    );
}

/// A gap narrower than a grid cell holds no floor, and was told of
/// nowhere: it is warned of where a face in use looks into it, and not
/// where only an unused face does, nor at a join.
#[test]
fn a_gap_under_a_cell_is_warned_of_where_a_face_in_use_looks_into_it() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let obstacle = |(x, y): (f64, f64), [w, d]: [f64; 2]| {
        format!("\n[[fixtures]]\nid = \"X\"\nkind = \"obstacle\"\nat = [{x}, {y}]\nsize = [{w}, {d}]\nheight = 1.0\n")
    };
    // (what, the obstacle beside gondola `G1`, x 2..6, y 4.5..5.5, the gap warned of)
    let cases = [
        ("0.15 m behind its stocked back", ((4.0, 5.9), [3.0, 0.5]), Some("0.15")),
        ("0.15 m off its left end, no face", ((1.6, 5.0), [0.4, 1.0]), None),
        ("0.005 m behind its stocked back: a join", ((4.0, 5.755), [3.0, 0.5]), None),
    ];
    for (what, (at, size), warned) in cases {
        let text = std::fs::read_to_string(&path).unwrap() + &obstacle(at, size);
        let file = crate::scenario::ScenarioFile::parse(&path, text).unwrap();
        let found: Vec<String> = narrow_walkways(&file.build(crate::scenario::BASELINE).expect(what))
            .iter()
            .filter(|n| n.between == ("fixture `G1`".into(), "fixture `X`".into()))
            .map(|n| format!("{:.2}", n.width_m))
            .collect();
        assert_eq!(found, warned.into_iter().collect::<Vec<_>>(), "{what}");
    }
}
