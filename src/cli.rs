// A command returns its one error to `main`, which prints it and exits:
// the error's size costs nothing there.
#![allow(clippy::result_large_err)]

mod args;

/// `println!` that goes quiet once stdout is gone (`aisle compare … | head`):
/// the command still finishes what it writes to files (a comparison's
/// report page comes after its tables), then exits with the shell's code
/// for a closed pipe (141), not a panic.
macro_rules! say {
    ($($arg:tt)*) => {
        say_raw!("{}\n", format_args!($($arg)*))
    };
}

/// `print!`, as `say!`.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if !crate::cli::reader_gone() && write!(std::io::stdout(), $($arg)*).is_err() {
            crate::cli::READER_GONE.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }};
}

/// `eprintln!`, as `say!`: a reader of the errors that closes early
/// (`aisle validate … 2>&1 | head -1`) quiets the command too.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if !crate::cli::reader_gone() && writeln!(std::io::stderr(), $($arg)*).is_err() {
            crate::cli::READER_GONE.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }};
}

/// Set once a write to stdout or stderr fails: the reader is gone.
static READER_GONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn reader_gone() -> bool {
    READER_GONE.load(std::sync::atomic::Ordering::Relaxed)
}

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use aisle::error::Error;
use aisle::events::dataset::Dataset;
use aisle::privacy::request::PublishRequest;
use aisle::scenario::ScenarioFile;
use aisle::study::{Study, StudyEvent};
use args::{Cli, Command, DatasetArgs};
use clap::Parser;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

pub fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Bench { file, variant, repeats, full } => bench(&file, &variant, repeats.max(1), full),
        Command::BenchHall { agents, seconds, dt } => bench_hall(&agents, seconds, dt),
        Command::Validate { files } => validate(&files),
        Command::Run { file, variant, seed, validate_behaviour, dataset } => {
            run(&file, &variant, seed, validate_behaviour, &dataset)
        }
        Command::Report { dir, metric } => report(&dir, metric.as_deref()),
        Command::Verify { dir, repair } => verify(&dir, repair),
        Command::Publish(args) => publish(&args.dir.clone(), args.request()),
        Command::Compare { file, replications, jobs, target_halfwidth, metric, max_replications, shard, dataset } => {
            let study_of = |primary| {
                let mut study = Study::new(primary, replications, target_halfwidth, max_replications);
                study.jobs = jobs.unwrap_or(study.jobs);
                study.shard = shard;
                study
            };
            compare(&file, metric, study_of, &dataset)
        }
    };
    match result {
        Ok(()) if reader_gone() => ExitCode::from(141),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            for line in e.to_string().lines() {
                tell!("error: {line}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// A progress bar drawn with `template`.
fn bar(template: &str) -> ProgressBar {
    ProgressBar::new(0)
        .with_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "))
}

fn validate(files: &[PathBuf]) -> Result<(), Error> {
    let mut failed = Vec::new();
    for path in files {
        let file = ScenarioFile::read(path);
        match file.and_then(|f| Ok((f.validate_all()?, f.variant_lines()))) {
            Ok((v, variants)) => {
                say!("{}: ok — {}", path.display(), v.base.summary(variants.len()));
                for line in &variants {
                    say!("{}: variant {line}", path.display());
                }
                for w in &v.warnings {
                    say!("{}: warning: {w}", path.display());
                }
                if !v.warnings.is_empty() {
                    // A crowded store can warn of dozens of walkways: the count closes the list.
                    let count = aisle::scenario::counted(v.warnings.len(), "warning", "warnings");
                    say!("{}: valid, with {count} above", path.display());
                }
            }
            Err(e) => failed.push(e.to_string()),
        }
    }
    if failed.is_empty() { Ok(()) } else { Err(Error::Scenarios(failed)) }
}

fn run(path: &Path, variant: &str, seed: u64, check_behaviour: bool, args: &DatasetArgs) -> Result<(), Error> {
    let started = Instant::now();
    let file = ScenarioFile::read(path)?;
    let prepared = aisle::prepare(&file, variant)?;
    for (other, problem) in aisle::invalid_variants(&file, variant) {
        tell!(
            "warning: variant `{other}` of this file is not valid ({problem}): `aisle compare` and `aisle validate` \
             refuse the file; this run is of `{variant}` alone"
        );
    }
    for (_, idle) in file.idle_edits().iter().filter(|(of, _)| of == variant) {
        tell!("warning: {idle}");
    }
    let s = &prepared.scenario;
    let dir = args.dir(&file);
    let mut dataset = Dataset::open_for(&dir, &file, args.on_change())?;
    say_discarded(&dataset);
    say_forgotten(&dataset, path, Some((variant, seed)));
    let bar = bar("{spinner} {prefix} [{bar:30}] {msg} ({elapsed} elapsed, ETA {eta})");
    bar.set_prefix(format!("{} / {} / seed {seed}", s.name, s.variant));
    let open_ms = s.population.open_ms;
    let outcome = aisle::run::run_into(&mut dataset, &prepared, seed, |p| {
        bar.set_length(p.end_ms);
        bar.set_position(p.t_ms.min(p.end_ms));
        let clock = (open_ms + p.t_ms) / 60_000;
        bar.set_message(format!("{:02}:{:02}, {} in store, {} arrived", clock / 60, clock % 60, p.in_store, p.arrived));
    })?;
    bar.finish_and_clear();
    // Runs whose record or log fails its checks are left out of the manifest: say which.
    for damage in &dataset.damaged {
        tell!(
            "warning: {damage}; left out of the manifest (`aisle verify --repair {}` simulates it again)",
            dir.display()
        );
    }
    say!("{}", outcome.summary(&prepared, seed));
    for warning in outcome.warnings(&prepared, seed, &dir) {
        tell!("warning: {warning}");
    }
    if !args.no_report {
        let index = build_report(&dir, &aisle::report::design_for(&dir, None))?;
        say!("  report        {}", index.display());
    } else if aisle::report::page_path(&dir).exists() {
        // Else verify finds the page stale, with no word of why.
        say!(
            "  report        {} leaves this run out; `aisle report {}` makes it again",
            aisle::report::page_path(&dir).display(),
            dir.display()
        );
    }
    say!("  wall time     {:.2} s", started.elapsed().as_secs_f64());
    if let Some(kib) = aisle::bench::peak_rss_kib() {
        say!("  peak memory   {:.1} MiB", kib as f64 / 1024.0);
    }
    if check_behaviour {
        use aisle::metrics::facts;
        let facts = &outcome.facts;
        say_raw!("\nstylised facts (folded from the day's events):\n{}", facts::describe(facts));
        let failed: Vec<&str> = facts.iter().filter(|f| !f.holds).map(|f| f.name).collect();
        if !failed.is_empty() {
            return Err(Error::Behaviour(failed));
        }
    }
    Ok(())
}

fn verify(dir: &Path, repair: bool) -> Result<(), Error> {
    let found = aisle::verify::check(dir, repair, |line| say!("{line}"))?;
    say!("{}: ok — {} run(s) verified", dir.display(), found.runs_ok);
    Ok(())
}

fn report(dir: &Path, primary: Option<&str>) -> Result<(), Error> {
    aisle::report::ready(dir)?;
    // Held while the report is written: a --replace cannot discard the runs under it.
    let _lock = aisle::events::dataset::WriterLock::existing(dir)?;
    say_on_interrupt(format!(
        "the report was cut off before its page; run `aisle report {0}` again, or `aisle verify --repair {0}` \
         makes it",
        dir.display()
    ));
    let (design, doubt) = aisle::report::design_and_doubt(dir, primary);
    // Said once the page is made: an unknown --metric is refused first.
    let index = build_report(dir, &design)?;
    if let Some(doubt) = doubt {
        tell!("warning: {doubt}");
    }
    let declared = aisle::report::declared_primary(dir);
    if let Some(note) = declared.and_then(|d| aisle::compare::redeclared_note(&design.primary, &d)) {
        tell!("warning: {note}");
    }
    say!("{}", index.display());
    Ok(())
}

/// Runs `f` with its parallel work (rayon's) on `jobs` threads; on the
/// global pool if a pool of them cannot be made.
fn on_threads<T: Send>(jobs: usize, f: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build() {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

fn build_report(dir: &Path, design: &aisle::compare::Design) -> Result<PathBuf, Error> {
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{spinner} replaying logs for the report [{bar:30}] {pos}/{len}")
            .expect("valid template"),
    );
    let index = aisle::report::build_with(dir, design, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    if let Some(why) = aisle::report::missing_baseline(dir) {
        tell!("warning: the page compares no layouts: {why}");
    }
    Ok(index)
}

fn publish(dir: &Path, request: PublishRequest) -> Result<(), Error> {
    // A release waits for another's ledger lock: said, not a silent hang.
    let releases = !matches!(request.mode, aisle::privacy::request::PublishMode::Evaluate { .. });
    if releases && aisle::privacy::ledger::held(dir).unwrap_or(false) {
        tell!(
            "{}: another command holds the dataset's privacy ledger (a release being made); waiting for it",
            dir.display()
        );
    }
    say_on_interrupt(match releases {
        true => format!(
            "a release cut off before its spend was recorded is removed unpublished, one cut off after it is put \
             in place, by the next `aisle publish {0}` or `aisle verify --repair {0}`",
            dir.display()
        ),
        false => "the evaluation was cut off; run the same command again".to_owned(),
    });
    let bar = bar("{spinner} {prefix} [{bar:30}] {pos}/{len} ({elapsed}, ETA {eta})");
    let outcome = request.run(dir, |stage, done, total| {
        bar.set_prefix(stage.to_owned());
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    say_raw!("{}", outcome.summary);
    for warning in &outcome.warnings {
        tell!("warning: {warning}");
    }
    Ok(())
}

fn bench_hall(agents: &[u32], seconds: f64, dt: f64) -> Result<(), Error> {
    for &n in agents {
        let f = aisle::bench::hall::hall(n, seconds, dt)?;
        say!(
            "hall: {n} agents, {} steps of {dt} s: {:.3} M agent-steps/s ({:.2} s wall, {} at the door)",
            f.steps,
            f.agent_steps_per_s() / 1e6,
            f.wall_s,
            f.out
        );
    }
    Ok(())
}

fn bench(path: &Path, variant: &str, repeats: usize, full: bool) -> Result<(), Error> {
    let file = ScenarioFile::read(path)?;
    let tmp = std::env::temp_dir().join(format!("aisle-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|source| Error::Io { path: tmp.clone(), source })?;
    let exe = std::env::current_exe().map_err(|source| Error::Io { path: PathBuf::from("aisle"), source })?;
    let plan = aisle::bench::BenchPlan { repeats, full, exe, tmp: tmp.clone() };
    let bar = ProgressBar::new_spinner();
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let measured = aisle::bench::measure(&file, variant, &plan, |what| bar.set_message(what.to_owned()));
    bar.finish_and_clear();
    std::fs::remove_dir_all(&tmp).ok();
    say!("{}", measured?.table());
    Ok(())
}

/// `aisle compare`: the study `study_of` makes for the primary `metric`,
/// or without one for the primary a comparison of the dataset declared.
fn compare(
    path: &Path,
    metric: Option<String>,
    study_of: impl FnOnce(Option<String>) -> Study,
    args: &DatasetArgs,
) -> Result<(), Error> {
    let started = Instant::now();
    let file = ScenarioFile::read(path)?;
    let dir = args.dir(&file);
    // Without --metric the primary a comparison of these days declared
    // stays (it fell back to revenue per visitor, read as chosen late);
    // --replace starts a dataset anew.
    let declared = (metric.is_none() && !args.replace).then(|| aisle::report::declared_primary(&dir)).flatten();
    if let Some(primary) = declared.as_ref().filter(|p| *p != aisle::compare::KEY_METRICS[0]) {
        say!("primary metric: `{primary}`, as a comparison of this dataset declared it (--metric names another)");
    }
    let study = &study_of(metric.or(declared));
    study.check(&file)?;
    // Before the sweep: its days would be spent on an A/A under another name.
    for (_, idle) in file.idle_edits() {
        tell!("warning: {idle}");
    }
    if let Some(seq) = &study.sequential {
        say!("sequential: {}", seq.guarantee());
    }
    let mut dataset = Dataset::open_for(&dir, &file, args.on_change())?;
    say_discarded(&dataset);
    say_forgotten(&dataset, path, None);
    say_on_interrupt(format!(
        "the runs recorded so far stay in {}; run the same command again to finish the sweep (recorded runs \
         are not run again)",
        dir.display()
    ));
    let comparison =
        study.run(&file, &mut dataset, sweep_display())?.declared_before(aisle::report::declared_primary(&dir));
    let (out_path, removed_page) = Study::save(&dir, &comparison)?;
    // What qualifies every verdict comes before them, not after the tables.
    let redeclared = comparison.redeclared_note();
    if let Some(note) = &redeclared {
        say!("\nwarning: {note}");
    }
    if let Some(note) = comparison.looks_note() {
        say!("\nnote: {note}");
    }
    say!("\n{}\n", comparison.summary());
    say_raw!("{}", comparison.table());
    if let Some(note) = comparison.replications_note() {
        say!("\n{note}");
    }
    for (_, note) in file.visitor_notes() {
        say!("note: {note}");
    }
    let coverage = study.coverage_warnings(&dataset.manifest.runs, &file.variant_ids(), &comparison);
    let invariants = aisle::study::invariant_warnings(path, &dataset.manifest.runs);
    let cut_short = aisle::study::cut_short_warnings(&file, &dataset.manifest.runs, &comparison.seeds);
    let unchanged = aisle::study::unchanged_variants(&file, &dataset.manifest.runs, &comparison.seeds);
    for warning in redeclared.iter().chain(&coverage).chain(&invariants).chain(&cut_short).chain(&unchanged) {
        tell!("\nwarning: {warning}");
    }
    if !args.no_report && study.shard.is_none() {
        // On the threads the sweep was given (`--jobs`), not on every core.
        // The page compares as this comparison did: its primary, level and seeds.
        let design = aisle::compare::Design::of(&comparison);
        let index = on_threads(study.jobs, || build_report(&dir, &design))?;
        say!("report: {}", index.display());
    } else if removed_page {
        say!(
            "report: the page of an earlier comparison was removed; `aisle report {}` makes this one's",
            dir.display()
        );
    }
    say!("comparison: {} ({:.1} s)", out_path.display(), started.elapsed().as_secs_f64());
    Ok(())
}

/// Draws a study's progress: one bar per running cell above one for the sweep.
fn sweep_display() -> impl Fn(StudyEvent) + Sync {
    use aisle::sweep::SweepEvent;
    use std::collections::HashMap;
    use std::sync::Mutex;
    let multi = MultiProgress::new();
    let overall = Mutex::new(ProgressBar::hidden());
    let cells: Mutex<HashMap<(String, u64), ProgressBar>> = Mutex::new(HashMap::new());
    let style = |t: &str| ProgressStyle::with_template(t).expect("valid template").progress_chars("=> ");
    move |event| match event {
        StudyEvent::SweepStarted { runs } => {
            let sweep = multi.add(
                ProgressBar::new(runs as u64)
                    .with_style(style("{prefix:>10} [{bar:40}] {pos}/{len} runs ({elapsed} elapsed, ETA {eta})")),
            );
            sweep.set_prefix("sweep");
            *overall.lock().expect("bar") = sweep;
        }
        StudyEvent::Sweep(SweepEvent::Started { cell }) => {
            let bar = multi.insert_before(
                &overall.lock().expect("bar"),
                ProgressBar::new(1).with_style(style("{prefix:>30} [{bar:20}] {msg}")),
            );
            bar.set_prefix(format!("{} / seed {}", cell.variant, cell.seed));
            cells.lock().expect("bars").insert((cell.variant.clone(), cell.seed), bar);
        }
        StudyEvent::Sweep(SweepEvent::Progress { cell, progress }) => {
            if let Some(bar) = cells.lock().expect("bars").get(&(cell.variant.clone(), cell.seed)) {
                bar.set_length(progress.end_ms);
                bar.set_position(progress.t_ms.min(progress.end_ms));
                bar.set_message(format!("{} in store", progress.in_store));
            }
        }
        StudyEvent::Sweep(SweepEvent::Finished { cell, .. }) => {
            if let Some(bar) = cells.lock().expect("bars").remove(&(cell.variant.clone(), cell.seed)) {
                bar.finish_and_clear();
            }
            overall.lock().expect("bar").inc(1);
        }
        StudyEvent::SweepDone => overall.lock().expect("bar").finish_and_clear(),
        StudyEvent::Note(line) => say!("{line}"),
    }
}

/// A command stopped with Ctrl-C left without a word (what it wrote so
/// far stays, as after any kill): it now says `what` is left and how to
/// go on. Without a handler, Ctrl-C stops it as before, silently.
fn say_on_interrupt(what: String) {
    let _ = ctrlc::set_handler(move || {
        eprintln!("\ninterrupted: {what}");
        std::process::exit(130);
    });
}

/// The runs listed on opening whose record and log were both gone, said
/// as soon as the dataset is open (the manifest lists them no more from
/// then on, whether or not the command ends well), but for the one it is
/// about to simulate (`simulating`); `path`: the scenario file.
fn say_forgotten(dataset: &Dataset, path: &Path, simulating: Option<(&str, u64)>) {
    let dir = dataset.dir.display();
    // A comparison may simulate it again among its own runs.
    let unless = if simulating.is_none() { ", unless this comparison simulates it again" } else { "" };
    for run in dataset.forgotten.iter().filter(|r| simulating != Some((r.variant.as_str(), r.seed))) {
        let (variant, seed) = (&run.variant, run.seed);
        // A sequential look's run keeps its mark only when that study simulates it again.
        let again = match run.added_at_look {
            Some(look) => format!("the sequential `aisle compare` that added it at look {look} simulates it again"),
            None => format!(
                "`aisle run {} --variant {variant} --seed {seed} --out {dir}` simulates it again",
                path.display()
            ),
        };
        tell!(
            "warning: {dir}: variant `{variant}` seed {seed} was listed, but its record and its log are both gone: \
             the manifest lists it no more{unless} ({again})"
        );
    }
}

/// What `--replace` discarded, said before anything else is written.
fn say_discarded(dataset: &Dataset) {
    if dataset.discarded > 0 {
        tell!(
            "--replace: {} run(s) of another version of the scenario discarded from {}",
            dataset.discarded,
            dataset.dir.display()
        );
        // The old runs' shoppers were published about: the budget they
        // spent still counts, whatever runs come next.
        if dataset.dir.join(aisle::privacy::ledger::LEDGER_PATH).exists() {
            tell!(
                "--replace: the privacy ledger and releases stay: what earlier releases spent still counts against \
                 the dataset's budget"
            );
        }
    }
}
