//! Run records: sealed by a hash of their own content, which survives the
//! JSON round trip exactly (figures undefined that day, NaN, included).

use aisle::events::dataset::{MetricValue, RunRecord, RunStatus};

fn record(values: &[f64]) -> RunRecord {
    RunRecord {
        variant: "baseline".into(),
        seed: 7,
        status: RunStatus::Complete,
        path: "events/variant=baseline/seed=7/part-0.parquet".into(),
        rows: 1234,
        bytes: 5678,
        sha256: "ab".repeat(32),
        visitors: 40,
        transactions: 0,
        revenue_cents: 0,
        aisle_version: aisle::VERSION.into(),
        metrics: values
            .iter()
            .enumerate()
            .map(|(i, &value)| MetricValue { name: format!("m{i}"), unit: "x".into(), value })
            .collect(),
        scenario_sha256: "cd".repeat(32),
        added_at_look: None,
        planned_looks: None,
        record_sha256: String::new(),
    }
    .sealed()
}

#[test]
fn a_sealed_record_reads_back_with_the_same_hash() {
    // NaN (no checkouts: no basket value), awkward decimals, extremes.
    let values = [f64::NAN, 0.1 + 0.2, 1.0 / 3.0, 36.81, 1e-300, 2.5e300, -0.0, 12345.678901234567];
    let sealed = record(&values);
    let back: RunRecord = serde_json::from_str(&serde_json::to_string_pretty(&sealed).unwrap()).unwrap();
    assert_eq!(back.content_sha256(), back.record_sha256, "the round trip changed the content");
    assert!(back.same_as(&sealed));
    assert!(back.metrics[0].value.is_nan());
    for (a, b) in back.metrics.iter().zip(&values) {
        assert!(a.value.to_bits() == b.to_bits() || (a.value.is_nan() && b.is_nan()), "{} became {}", b, a.value);
    }
}

#[test]
fn an_edited_figure_breaks_the_seal() {
    let sealed = record(&[3.63, 0.5]);
    let mut edited = sealed.clone();
    edited.metrics[0].value = 36.81;
    assert_ne!(edited.content_sha256(), edited.record_sha256);
    assert!(!edited.same_as(&sealed));
}

/// A figure that replays to another value was called "edited and sealed
/// again" even in a record of another build, whose figure may have been
/// defined otherwise (view_to_pick counted a counter's hand-overs once):
/// such a record is said to be of that build, and `--repair` offered.
#[test]
fn a_figure_of_another_build_is_not_called_edited_alone() {
    let file = aisle::scenario::ScenarioFile::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml"),
    )
    .unwrap();
    let p = aisle::prepare(&file, "baseline").unwrap();
    let layout = aisle::metrics::Layout::new(&p);
    let dir = tempfile::tempdir().unwrap();
    let run = aisle::run::simulate_run(dir.path(), &p, 1, |_| {}).unwrap().record;
    assert!(aisle::run::check_figures(dir.path(), &layout, &run).is_ok());
    for (build, said) in [
        (aisle::VERSION, "(the record was edited and sealed again)".to_owned()),
        (
            "0.0.1",
            format!(
                "(the record was made by aisle 0.0.1, whose {} may be defined otherwise, or was edited and sealed \
                 again; `aisle verify --repair` simulates the run again with this build)",
                run.metrics[0].name
            ),
        ),
    ] {
        let mut other = run.clone();
        other.aisle_version = build.into();
        other.metrics[0].value += 1.0;
        let damage = aisle::run::check_figures(dir.path(), &layout, &other.sealed()).unwrap_err().to_string();
        assert!(damage.ends_with(&said), "{damage}");
    }
}
