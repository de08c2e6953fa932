//! `aisle publish --evaluate`: what each ε costs in answers, measured
//! against the truth that only a simulator has. For each ε, many seeded
//! noise draws of the same release give the probability that the noised
//! comparison picks the same winning variant as the exact figures, how
//! often the noised 95% intervals cover the exact differences, and the
//! heatmap's relative error. Each ε is a release's true total cost: every
//! run is calibrated at ε over the runs that share a seed, as `publish` does.
//!
//! Nothing here is a release: it reads the exact data. On simulated data
//! that is the point; on real data, choosing ε by looking at the exact
//! figures spends privacy that no ledger records, so it must not be used
//! to tune ε on real data.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;

use super::PrivacyError;
use super::contrib::Bounds;
use super::query::{Answers, Mechanism, Totals, calibrate};
use super::release::{self, Cells, Gathered, comparison, figure, noised, paired_runs};
use crate::metrics::catalogue::{self, Better};
use crate::report::ReportError;
use crate::report::figures::{DrawResult, Figure, save};

/// What to sweep.
#[derive(Debug, Clone)]
pub struct EvaluatePlan {
    pub epsilons: Vec<f64>,
    /// Noise draws per ε for decisions and coverage.
    pub trials: usize,
    /// Noise draws per ε for the heatmap (each draws every block of every run).
    pub heat_trials: usize,
    pub mechanism: Mechanism,
    pub delta: f64,
    pub bounds: Bounds,
    pub seed: u64,
    /// The figure that decides the winner.
    pub metric: String,
    /// Required probability of the same decision.
    pub target: f64,
    /// Relative gap to the best under which a variant counts as a winner
    /// too (an indifference zone: differences this small do not matter).
    pub indifference: f64,
}

/// What every output of an evaluation says about itself.
pub const READS_EXACT_DATA: &str = "reads the exact data: for simulated data only, never to tune ε on real data";

/// Default ε grid: from "strong" to "weak" privacy.
pub const EPSILONS: [f64; 10] = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub epsilon: f64,
    /// Share of draws whose winner (highest `metric`) is a true winner.
    pub same_winner: f64,
    /// Share of the noised 95% CIs published (variant − baseline) covering
    /// the exact difference (none published: NaN)...
    pub coverage: f64,
    /// ...and the share of differences published with an interval (the
    /// rest too noisy: counted as covering, the share read 100% at every ε).
    pub published: f64,
    /// Σ|noised − exact| ÷ Σ exact over heat blocks (exact: unbounded, noise-free).
    pub heat_error: f64,
}

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub metric: String,
    /// The variants whose exact `metric` is within the indifference zone of
    /// the best (an unedited copy of the baseline always ties with it).
    pub true_winners: Vec<String>,
    pub indifference: f64,
    /// Exact mean of `metric` per variant.
    pub truth: Vec<(String, f64)>,
    pub points: Vec<Point>,
    /// Smallest ε on the grid whose same-winner probability reaches the target.
    pub recommended: Option<f64>,
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (n, s) = xs.fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
    if n == 0 { 0.0 } else { s / n as f64 }
}

/// The metrics a release of `g` publishes, and so those whose cost in
/// answers can be measured: the compared figures, and the catalogue's
/// figures over sums (per zone too) of any of its layouts.
pub fn published_metrics(g: &Gathered) -> Vec<String> {
    let mut names: std::collections::BTreeSet<String> = release::COMPARED.iter().map(|c| c.metric.to_owned()).collect();
    for v in &g.variants {
        let runs: Vec<&Answers> = v.runs.iter().map(|r| &r.exact).collect();
        names.extend(Totals::of(&runs, &Bounds::unbounded()).figures(&v.layout).into_iter().map(|m| m.name));
    }
    names.into_iter().collect()
}

pub fn evaluate(g: &Gathered, plan: &EvaluatePlan, progress: impl Fn() + Sync) -> Evaluation {
    let exact: Vec<Vec<Answers>> =
        g.variants.iter().map(|v| v.runs.iter().map(|r| r.exact.clone()).collect()).collect();
    // Each layout's exact figure as its releases estimate it: over all its
    // days at once (a ratio of sums), from unbounded, noise-free answers.
    let truth: Vec<(String, f64)> = g
        .variants
        .iter()
        .zip(&exact)
        .map(|(v, runs)| {
            let runs: Vec<&Answers> = runs.iter().collect();
            let value = match release::exact_figure(&plan.metric, &runs) {
                Some(figure) => figure.unwrap_or(f64::NAN),
                None => Totals::of(&runs, &Bounds::unbounded())
                    .metrics(&v.layout)
                    .iter()
                    .find(|m| m.name == plan.metric)
                    .map_or(f64::NAN, |m| m.value),
            };
            (v.variant.clone(), value)
        })
        .collect();
    // Scores where more is better: a wait or an abandonment rate is negated.
    let sign = match catalogue::better(&plan.metric) {
        Better::Lower => -1.0,
        Better::Higher | Better::Neither => 1.0,
    };
    // None where no layout's figure is defined: the release names no winner.
    let winner = |values: &[f64]| -> Option<usize> {
        let (i, v) = values.iter().enumerate().max_by(|a, b| (sign * a.1).total_cmp(&(sign * b.1)))?;
        v.is_finite().then_some(i)
    };
    let best = truth.iter().map(|t| sign * t.1).fold(f64::MIN, f64::max);
    // Picking any variant within the indifference zone of the best is right.
    let is_best: Vec<bool> =
        truth.iter().map(|t| sign * t.1 >= best - (plan.indifference.max(0.0) + 1e-12) * best.abs()).collect();
    // Exact differences with the baseline over the seeds both have, per
    // variant and compared figure, as a release computes them but from
    // unbounded, noise-free answers.
    let exact_difference = |variant: usize, metric: &str| -> Option<f64> {
        let (base, runs) = paired_runs(g, &exact, variant);
        release::exact_difference(metric, &base, &runs)
    };
    let exact_heat: Vec<Vec<f64>> = g
        .variants
        .iter()
        .map(|v| {
            let mut sum = vec![0.0; v.layout.block_count()];
            for r in &v.runs {
                for (s, h) in sum.iter_mut().zip(&r.true_heat_s) {
                    *s += h;
                }
            }
            sum
        })
        .collect();
    let points: Vec<Point> = plan
        .epsilons
        .par_iter()
        .enumerate()
        .map(|(i, &epsilon)| {
            let cal = calibrate(plan.mechanism, epsilon, plan.delta, &plan.bounds, g.sharing);
            let mut rng = ChaCha20Rng::seed_from_u64(plan.seed ^ ((i as u64 + 1) << 32));
            let (mut same, mut covered, mut intervals, mut asked) = (0usize, 0usize, 0usize, 0usize);
            for _ in 0..plan.trials {
                let n = noised(g, &cal, &plan.bounds, &mut rng, Cells::WithoutHeat);
                // A figure the noise leaves undefined ranks last.
                let values: Vec<f64> = g
                    .variants
                    .iter()
                    .zip(n.totals.iter().zip(&n.runs))
                    .map(|(v, (t, runs))| {
                        match figure(&plan.metric, &runs.iter().collect::<Vec<_>>(), &cal, &plan.bounds) {
                            Some(f) => f.map_or(-sign * f64::INFINITY, |f| f.value),
                            None => {
                                t.metrics(&v.layout).iter().find(|m| m.name == plan.metric).map_or(0.0, |m| m.value)
                            }
                        }
                    })
                    .collect();
                same += winner(&values).is_some_and(|w| is_best[w]) as usize;
                for row in comparison(g, &n.runs, &cal, &plan.bounds) {
                    let Some(vi) = g.variants.iter().position(|v| v.variant == row.variant) else { continue };
                    let Some(exact) = exact_difference(vi, &row.metric) else { continue };
                    asked += 1;
                    let Some((lo, hi)) = row.lo.zip(row.hi) else { continue };
                    covered += (lo <= exact && exact <= hi) as usize;
                    intervals += 1;
                }
            }
            let mut heat_error = 0.0;
            for _ in 0..plan.heat_trials {
                let n = noised(g, &cal, &plan.bounds, &mut rng, Cells::All);
                // Relative to each variant's mass: one nobody visited has none to err on.
                heat_error += mean(g.variants.iter().zip(&n.totals).zip(&exact_heat).filter_map(|((v, t), exact)| {
                    let mass: f64 = exact.iter().sum();
                    let err: f64 = t.heat_block_s(&v.layout).iter().zip(exact).map(|(a, b)| (a - b).abs()).sum();
                    (mass > 0.0).then(|| err / mass)
                }));
            }
            progress();
            Point {
                epsilon,
                // One layout has no rival to pick instead of it.
                same_winner: if g.variants.len() > 1 { same as f64 / plan.trials.max(1) as f64 } else { f64::NAN },
                coverage: if intervals > 0 { covered as f64 / intervals as f64 } else { f64::NAN },
                published: if asked > 0 { intervals as f64 / asked as f64 } else { f64::NAN },
                heat_error: heat_error / plan.heat_trials.max(1) as f64,
            }
        })
        .collect();
    let true_winners: Vec<String> = truth.iter().zip(&is_best).filter(|(_, b)| **b).map(|(t, _)| t.0.clone()).collect();
    // Where every layout is a true winner, any noise "picks" one: the
    // ranking says nothing about ε, and the smallest tried would win.
    let recommended = (true_winners.len() < truth.len())
        .then(|| points.iter().find(|p| p.same_winner >= plan.target).map(|p| p.epsilon))
        .flatten();
    Evaluation {
        metric: plan.metric.clone(),
        true_winners,
        indifference: plan.indifference,
        truth,
        points,
        recommended,
    }
}

impl Evaluation {
    /// Writes `utility.csv`, `utility.png` and `utility.svg` into `dir`.
    pub fn save(&self, dir: &Path, title: &str) -> Result<(), PrivacyError> {
        let io = |path: PathBuf| move |source| PrivacyError::Io { path, source };
        std::fs::create_dir_all(dir).map_err(io(dir.to_owned()))?;
        // Marked like the figure, on the first line: the file may travel alone.
        let mut csv =
            format!("# {READS_EXACT_DATA}\nepsilon,same_winner,ci_coverage,ci_published,heat_relative_error\n");
        for p in &self.points {
            csv.push_str(&format!("{},{},{},{},{}\n", p.epsilon, p.same_winner, p.coverage, p.published, p.heat_error));
        }
        let path = dir.join("utility.csv");
        crate::events::fs::write_atomic(&path, csv.as_bytes()).map_err(io(path.clone()))?;
        let figure = Curves { evaluation: self, title: title.to_owned() };
        save(&figure, dir, "utility")
            .map_err(|e| ReportError::Draw { path: dir.join("utility.png"), message: e.to_string() }.into())
    }

    /// The curves' figures as a table, one line per ε.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:>8}  {:>13}  {:>12}  {:>14}  {:>15}\n",
            "ε", "same winner", "CI coverage", "CIs published", "heatmap error"
        );
        // One layout has nothing to compare with: no winner to pick, no
        // interval to cover.
        let share = |c: f64| if c.is_nan() { "–".to_owned() } else { format!("{:.1}%", c * 100.0) };
        for p in &self.points {
            out.push_str(&format!(
                "{:>8}  {:>13}  {:>12}  {:>14}  {:>14.1}%\n",
                p.epsilon,
                share(p.same_winner),
                share(p.coverage),
                share(p.published),
                p.heat_error * 100.0
            ));
        }
        out
    }
}

/// Three privacy–utility curves over ε (log scale).
struct Curves<'a> {
    evaluation: &'a Evaluation,
    title: String,
}

impl Figure for Curves<'_> {
    fn size(&self) -> (u32, u32) {
        (1200, 420)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let e = self.evaluation;
        let (lo, hi) = (
            e.points.iter().map(|p| p.epsilon).fold(f64::MAX, f64::min) * 0.8,
            e.points.iter().map(|p| p.epsilon).fold(0.0, f64::max) * 1.25,
        );
        let root = root.titled(&self.title, ("sans-serif", 20))?;
        let note = format!("Each ε is the release's total cost. This evaluation {READS_EXACT_DATA}.");
        let root = root.titled(&note, ("sans-serif", 14).into_font().color(&RGBColor(160, 0, 0)))?;
        let panels = root.split_evenly((1, 3));
        let x = (lo, hi);
        let winner_title = format!("A true winner picked (within {:.1}% of the best)", e.indifference * 100.0);
        panel(&panels[0], e, x, 0.0..1.05, (winner_title.as_str(), "probability"), Some(0.95), |p| {
            (p.same_winner, RGBColor(0, 114, 178))
        })?;
        panel(
            &panels[1],
            e,
            x,
            0.0..1.05,
            ("Coverage of the noised 95% CIs published", "share of intervals"),
            Some(0.95),
            |p| (p.coverage, RGBColor(0, 158, 115)),
        )?;
        // Error spans orders of magnitude: noise at small ε, the bounds' bias at large ε.
        let (elo, ehi) =
            e.points.iter().fold((f64::MAX, 0.0f64), |(a, b), p| (a.min(p.heat_error), b.max(p.heat_error)));
        let heat_range = (elo.max(1e-3) * 0.7..ehi.max(1e-2) * 1.4).log_scale();
        panel(&panels[2], e, x, heat_range, ("Heatmap error", "Σ|noised − exact| ÷ Σ exact (log)"), None, |p| {
            (p.heat_error, RGBColor(213, 94, 0))
        })?;
        Ok(())
    }
}

/// One curve over ε with an optional reference level and the recommended ε.
fn panel<DB: DrawingBackend, Y>(
    area: &DrawingArea<DB, Shift>,
    e: &Evaluation,
    (lo, hi): (f64, f64),
    y: Y,
    (title, y_desc): (&str, &str),
    reference: Option<f64>,
    f: impl Fn(&Point) -> (f64, RGBColor),
) -> DrawResult
where
    DB::ErrorType: 'static,
    Y: plotters::coord::ranged1d::AsRangedCoord<Value = f64>,
    Y::CoordDescType: plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 16))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d((lo..hi).log_scale(), y)?;
    let (ylo, yhi) = {
        let r = chart.y_range();
        (r.start, r.end)
    };
    chart
        .configure_mesh()
        .x_desc("ε (log scale)")
        .y_desc(y_desc)
        .label_style(("sans-serif", 12))
        .x_label_formatter(&|v| format!("{v}"))
        .draw()?;
    let grey = RGBColor(120, 120, 120);
    if let Some(r) = reference {
        chart
            .draw_series(LineSeries::new([(lo, r), (hi, r)], grey.stroke_width(1)))?
            .label(format!("{:.0}%", r * 100.0))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], grey));
    }
    let colour = e.points.first().map_or(BLACK, |p| f(p).1);
    // (An ε at which nothing was measured, no interval published, has no point.)
    let measured: Vec<(f64, f64)> = e.points.iter().map(|p| (p.epsilon, f(p).0)).filter(|p| p.1.is_finite()).collect();
    chart.draw_series(LineSeries::new(measured.iter().copied(), colour.stroke_width(2)))?;
    chart.draw_series(measured.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
    // (One past what a release may take is no recommendation.)
    let recommended = e.recommended.filter(|&eps| eps <= super::request::MAX_EPSILON);
    if let Some(eps) = recommended {
        let red = RGBColor(200, 0, 0);
        chart
            .draw_series(LineSeries::new([(eps, ylo), (eps, yhi)], red.stroke_width(1)))?
            .label(format!("recommended ε = {eps}"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], red));
    }
    if reference.is_none() && recommended.is_none() {
        // Nothing to name: no empty legend box.
        return Ok(());
    }
    chart
        .configure_series_labels()
        // Rising curves leave the lower right free, falling ones the upper right.
        .position(if reference.is_some() { SeriesLabelPosition::LowerRight } else { SeriesLabelPosition::UpperRight })
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 12))
        .draw()?;
    Ok(())
}
