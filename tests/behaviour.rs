//! The behaviour model responds to layout the way shoppers do (each test
//! compares a layout change over many seeds of the tiny store).

mod common;

use aisle::events::Action;
use aisle::scenario::ScenarioFile;
use aisle::scenario::raw::{Face, RawEdit, RawFixture, RawVariant, ShelfLevel};

/// Views and picks of `product` over `seeds` days of `variant` (edits applied to tiny).
fn views_and_picks(edits: Vec<RawEdit>, product: &str, seeds: u64) -> (u64, u64) {
    let mut file = ScenarioFile::read(&common::scenario_path("tiny")).unwrap();
    file.raw.variants.push(RawVariant { id: "probe".into(), description: String::new(), edits });
    let p = aisle::prepare(&file, "probe").unwrap_or_else(|e| panic!("{e}"));
    let index = p.scenario.products.iter().position(|x| x.id == product).unwrap() as u32;
    let (mut views, mut picks) = (0, 0);
    for seed in 1..=seeds {
        for e in common::simulate(&p, seed) {
            match e.action {
                Action::View { product } if product == index => views += 1,
                Action::Pick { product, .. } if product == index => picks += 1,
                _ => {}
            }
        }
    }
    (views, picks)
}

#[test]
fn moving_a_product_from_the_bottom_shelf_to_eye_level_raises_its_views_and_picks() {
    let at = |level: &str| -> RawEdit {
        toml::from_str(&format!(
            "op = \"move_product\"\nproduct = \"biscuits\"\nfixture = \"G1\"\nface = \"back\"\nlevel = \"{level}\"\nfacings = 2"
        ))
        .unwrap()
    };
    let (low_views, low_picks) = views_and_picks(vec![at("knee")], "biscuits", 30);
    let (eye_views, eye_picks) = views_and_picks(vec![at("eye")], "biscuits", 30);
    assert!(eye_views > low_views, "views: eye {eye_views}, knee {low_views}");
    assert!(eye_picks > low_picks, "picks: eye {eye_picks}, knee {low_picks}");
}

#[test]
fn a_display_hidden_behind_a_tall_fixture_is_seen_less() {
    // An empty 1.8 m shelf between the front walkway and the promo table's front face.
    let screen = |height: f64| RawEdit::AddFixture {
        fixture: RawFixture {
            id: "screen".into(),
            kind: aisle::scenario::FixtureKind::Gondola,
            floor: None,
            at: [9.0, 1.05],
            size: [3.0, 0.3],
            height,
            rotation: 0,
            levels: vec![ShelfLevel::Eye],
            faces: vec![Face::Front],
        },
    };
    // The same obstacle, low enough to look over, keeps the walking the same.
    let (open_views, _) = views_and_picks(vec![screen(0.6)], "iced-tea", 30);
    let (hidden_views, _) = views_and_picks(vec![screen(1.8)], "iced-tea", 30);
    assert!(hidden_views < open_views, "views: hidden {hidden_views}, in the open {open_views}");
}
