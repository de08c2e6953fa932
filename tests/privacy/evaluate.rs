//! The privacy–utility evaluation: which layout wins, by which figure.

use super::*;

/// When every layout is within the indifference band of the best (here
/// the baseline and its unedited copy), any release ranks a true winner
/// first, so the ranking cannot choose ε: the evaluation recommended the
/// smallest ε tried (0.05) beside a heatmap error of 788,418%. It now
/// recommends none and says why.
#[test]
fn no_epsilon_is_recommended_when_every_layout_wins() {
    let (_tmp, dir) = dataset(&[("baseline", 1), ("same-as-baseline", 1), ("baseline", 2), ("same-as-baseline", 2)]);
    let out = ok(aisle(&["publish", dir.to_str().unwrap(), "--evaluate", "--trials", "10"]));
    assert!(
        out.contains(
            "no ε recommended: every layout is within 0.5% of the best, so a release that names a winner names a \
             true one (\"same winner\" is then the share of draws whose noise leaves any figure to rank); choose ε by \
             that share, the interval coverage and heatmap error above"
        ),
        "{out}"
    );
    assert!(!out.contains("recommended: ε ="), "{out}");
}

/// The exact figures an evaluation prints: (variant, value).
fn evaluated_exact(out: &str, metric: &str) -> Vec<(String, f64)> {
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("exact {metric}: ")))
        .unwrap()
        .split(", ")
        .map(|kv| {
            let (k, v) = kv.rsplit_once(' ').unwrap();
            (k.to_owned(), v.parse().unwrap())
        })
        .collect()
}

/// `--evaluate --metric queue_wait_mean` named the layout with the longest
/// wait the winner: a wait, like an abandonment rate, is better lower.
/// A figure that is neither better higher nor lower has no winner.
#[test]
fn an_evaluation_ranks_by_the_direction_that_is_better() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let out = ok(aisle(&["publish", d, "--evaluate", "--trials", "10", "--metric", "queue_wait_mean"]));
    let exact = evaluated_exact(&out, "queue_wait_mean");
    let least = exact.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    let winners = out.lines().find_map(|l| l.strip_prefix("true winners (within 0.5% of the best): ")).unwrap();
    assert!(winners.split(", ").any(|w| w == least.0), "{out}");
    let most = exact.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert!(most.1 > least.1 * 1.005 && !winners.contains(&most.0), "{out}");
    // Its table reads the exact data, and says so on its first line (as its figure does).
    let table = std::fs::read_to_string(dir.join("privacy/evaluation/utility.csv")).unwrap();
    assert!(table.starts_with("# reads the exact data"), "{table}");
    let refused = aisle(&["publish", d, "--evaluate", "--trials", "10", "--metric", "time_in_store_mean"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("--metric time_in_store_mean: neither more nor less of it is better, so no layout wins on it"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

/// `--metric unplanned_share`, a figure each run records but no release
/// publishes, was evaluated as if no layout had one ("undefined (nothing
/// to divide by)", every ε "too close to tell apart privately") and its
/// all-zero curves replaced the last evaluation's. It is refused, naming
/// the metrics a release publishes and a layout can win on; a slip of the
/// keys gets the nearest of those; nothing is written.
#[test]
fn an_evaluation_of_a_metric_no_release_publishes_is_refused() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let cases = [
        (
            "unplanned_share",
            "--metric unplanned_share: a private release does not publish this metric, so what ε costs it cannot be \
             measured; choose one a release publishes: abandonment_rate, basket_items, basket_value, conversion_rate, \
             queue_wait_mean, revenue, revenue_per_visitor, transactions",
        ),
        (
            "revenu_per_visitor",
            "--metric revenu_per_visitor: no run records this metric; did you mean `revenue_per_visitor`? the metrics \
             are abandonment_rate, basket_items, basket_value, conversion_rate, queue_wait_mean, revenue, \
             revenue_per_visitor, transactions",
        ),
    ];
    for (metric, message) in cases {
        let refused = aisle(&["publish", d, "--evaluate", "--trials", "10", "--metric", metric]);
        assert_eq!(refused.status.code(), Some(2), "{metric}");
        assert_eq!(String::from_utf8_lossy(&refused.stderr).trim(), format!("error: {message}"));
    }
    assert!(!dir.join("privacy/evaluation").exists());
}

/// An evaluation judged its winners by the mean of the daily figures
/// while a release estimates a ratio of sums over the days (3.6279 against
/// 3.6238 on one store): its exact figure is now the release's, revenue per
/// visitor the days' revenue over their visitors.
#[test]
fn an_evaluation_judges_by_the_figure_a_release_estimates() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS);
    let d = dir.to_str().unwrap();
    let out = ok(aisle(&["publish", d, "--evaluate", "--trials", "10", "--metric", "revenue_per_visitor"]));
    for (variant, value) in evaluated_exact(&out, "revenue_per_visitor") {
        let (mut revenue, mut visitors, mut days) = (0.0, 0.0, Vec::new());
        for entry in std::fs::read_dir(dir.join(format!("runs/variant={variant}"))).unwrap() {
            let record = json(&entry.unwrap().path().join("run.json"));
            let figure = |name: &str| {
                record["metrics"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap()["value"]
                    .as_f64()
                    .unwrap()
            };
            revenue += figure("revenue");
            visitors += figure("traffic");
            days.push(figure("revenue_per_visitor"));
        }
        let of_sums = revenue / visitors;
        assert!((value - of_sums).abs() < 1e-4, "{variant}: {value} against {of_sums}");
        let mean_of_days = days.iter().sum::<f64>() / days.len() as f64;
        assert!((mean_of_days - of_sums).abs() > 1e-4, "{variant}: the two definitions differ on these days");
    }
}

/// An evaluation of one layout printed a "same winner" share per ε that
/// jumped about (0, 20, 70, 60, … %) though there is no rival to pick
/// instead of it: the column reads "–", as the interval columns do.
#[test]
fn an_evaluation_of_one_layout_ranks_nothing() {
    let (_tmp, dir) = dataset(&ALL_VARIANTS[..1]);
    let out = ok(aisle(&["publish", dir.to_str().unwrap(), "--evaluate", "--trials", "10"]));
    let rows: Vec<&str> = out.lines().skip_while(|l| !l.trim_start().starts_with("ε")).skip(1).take(10).collect();
    assert_eq!(rows.len(), 10, "{out}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(columns[1..4], ["–", "–", "–"], "{row}");
    }
    assert!(out.contains("one layout: nothing to rank or compare"), "{out}");
}
