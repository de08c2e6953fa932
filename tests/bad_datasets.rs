//! Data-driven: damaged datasets, records, manifests, scenario copies and
//! ledgers, and bad command lines. Each case damages a copy of one small
//! dataset (tiny, baseline seeds 1 and 2), runs one command and expects its
//! exact exit code, stdout and stderr (`{dir}` stands for the dataset,
//! `{price}` for tiny.toml with one price changed; `*` takes any stdout).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// One change to the dataset before the command runs.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Adds 1 to the first figure of a run's record, leaving its hash.
    EditMetric(u64),
    /// Adds 1 to the first figure of a run's record and seals it again (its
    /// hash is no secret: anyone can compute it).
    EditMetricSealed(u64),
    /// Adds 100 cents to a run's recorded revenue and seals it again.
    EditRevenueSealed(u64),
    /// Drops the last figure of a run's record and seals it again.
    DropMetricSealed(u64),
    /// Renames the unit of a run's first figure and seals the record again.
    EditUnitSealed(u64),
    /// Adds a byte to a run's recorded log size and seals the record again.
    EditBytesSealed(u64),
    /// Seed 1's log and record copied to variant `ghost`, which the scenario
    /// does not have (the record renamed, not sealed again).
    GhostRun,
    /// Adds 1 to the first figure of the manifest's first run.
    EditManifestMetric,
    /// Takes seed N's run out of the manifest (a sweep stopped before it
    /// listed it leaves it so).
    UnlistRun(u64),
    /// Sets the manifest's scenario hash to zeros.
    ManifestScenarioSha,
    /// Sets the manifest's scenario hash to the scenario copy's.
    ManifestShaOfCopy,
    /// Renames the manifest's second variant.
    ManifestVariant(&'static str),
    /// Sets the manifest's variants.
    ManifestVariants(&'static [&'static str]),
    /// Copies seed `from`'s log over seed `to`'s.
    CopyLog {
        from: u64,
        to: u64,
    },
    /// Seed `to`'s record made to agree with seed `from`'s log (checksum,
    /// rows, hash recomputed), as a careful forger would.
    ForgeRecord {
        from: u64,
        to: u64,
    },
    Remove(&'static str),
    Write(&'static str, &'static str),
    /// Copies a file of the dataset to another path in it.
    Copy(&'static str, &'static str),
    /// Moves a file of the dataset out beside it and leaves a link to it in its place.
    LinkOut(&'static str),
    /// Appends a line to the scenario copy.
    EditScenarioCopy,
    /// Moves every record into its log's directory (an older aisle's layout).
    OldLayout,
    /// Runs aisle with these arguments (`{dir}`: the dataset); it must succeed.
    Aisle(&'static [&'static str]),
    /// Replaces the first `from` in a file with `to`.
    Replace {
        file: &'static str,
        from: &'static str,
        to: &'static str,
    },
}

/// A file that must be gone after the command.
type Absent = Option<&'static str>;

struct Case {
    name: &'static str,
    steps: &'static [Step],
    args: &'static [&'static str],
    code: i32,
    stdout: &'static str,
    stderr: &'static str,
    absent: Absent,
}

const LOG1: &str = "events/variant=baseline/seed=1/part-0.parquet";
const RECORD1: &str = "runs/variant=baseline/seed=1/run.json";

const PAGE: &str = "report/index.html";
const REPORT: Step = Step::Aisle(&["report", "{dir}"]);

const CASES: &[Case] = &[
    Case {
        name: "a whole dataset verifies",
        steps: &[],
        args: &["verify", "{dir}"],
        code: 0,
        stdout: "{dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "an edited figure in a record",
        steps: &[Step::EditMetric(1)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/runs/variant=baseline/seed=1/run.json: run record was edited or damaged (its content no longer matches its record_sha256)\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "an edited figure sealed again: the log replays to another",
        steps: &[Step::EditMetricSealed(1)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/runs/variant=baseline/seed=1/run.json: run record says traffic = 36, but its log replays to 35 (the record was edited and sealed again)\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "an edited count sealed again: the log replays to another",
        steps: &[Step::EditRevenueSealed(1)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/runs/variant=baseline/seed=1/run.json: run record says revenue_cents = 13134, but its log replays to 13034 (the record was edited and sealed again)\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        // It verified, and `--repair` copied the unit into the metrics table.
        name: "an edited unit sealed again",
        steps: &[Step::EditUnitSealed(1)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/runs/variant=baseline/seed=1/run.json: run record gives traffic in `dollars`, but it is in `visitors` (the record was edited and sealed again)\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "an edited log size sealed again",
        steps: &[Step::EditBytesSealed(1)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "*",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        // A report cut off before its page: figures, old and new, and verify said ok.
        name: "figures without their page",
        steps: &[REPORT, Step::Remove(PAGE)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/report/figures: 18 figure(s) but no page: a report was cut off; `--repair` makes the page again\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` makes the page again\n",
        absent: None,
    },
    Case {
        name: "figures without their page, repaired",
        steps: &[REPORT, Step::Remove(PAGE)],
        args: &["verify", "--repair", "{dir}"],
        code: 0,
        stdout: "*",
        stderr: "",
        absent: None,
    },
    Case {
        // verify said ok, and `aisle report` failed at the disk.
        name: "a file in the place of report/",
        steps: &[Step::Write("report", "notes\n")],
        args: &["verify", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/report: is a file where a dataset keeps a folder of that name; move the file out of the dataset and run the command again\n",
        absent: None,
    },
    Case {
        // `--repair` failed with "File exists" (exit 1).
        name: "a file in the place of metrics/, repaired",
        steps: &[Step::Remove("metrics"), Step::Write("metrics", "notes\n")],
        args: &["verify", "--repair", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/metrics: is a file where a dataset keeps a folder of that name; move the file out of the dataset and run the command again\n",
        absent: None,
    },
    Case {
        // A run or comparison failed only once simulated.
        name: "a file in the place of compare/: refused before simulating",
        steps: &[Step::Write("compare", "notes\n")],
        args: &["run", "{price}", "--seed", "3", "--out", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/compare: is a file where a dataset keeps a folder of that name; move the file out of the dataset and run the command again\n",
        absent: Some("events/variant=baseline/seed=3"),
    },
    Case {
        // `--repair` skipped it and verify advised `--repair` for ever.
        name: "a run of a variant the scenario does not have",
        steps: &[Step::GhostRun],
        args: &["verify", "--repair", "{dir}"],
        code: 1,
        stdout: "*",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        name: "a figure dropped from a record sealed again",
        steps: &[Step::DropMetricSealed(1)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/runs/variant=baseline/seed=1/run.json: run record lacks capture_rate/aisles, which its log replays to and this build records (the record was edited and sealed again)\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "report refuses an edited record",
        steps: &[Step::EditMetric(1)],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/runs/variant=baseline/seed=1/run.json: run record was edited or damaged (its content no longer matches its record_sha256); `aisle verify --repair {dir}` simulates the run again\n",
        absent: None,
    },
    Case {
        name: "an edited figure in the manifest",
        steps: &[Step::EditManifestMetric],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/runs/variant=baseline/seed=1/run.json: run record differs from the manifest's copy of it: one of the two was edited, or the manifest is stale (`aisle verify` replays the log to tell which); `aisle verify --repair {dir}` mends whichever it is\n",
        absent: None,
    },
    Case {
        name: "an edited figure in the manifest is damage to verify",
        steps: &[Step::EditManifestMetric],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/manifest.json: does not match the run records that verify (2 listed, 2 verified; variant baseline seed 1 is listed otherwise than its record says); it is rebuilt by `--repair`\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` mends them without simulating any run again\n",
        absent: None,
    },
    Case {
        name: "another seed's log copied over a run's",
        steps: &[Step::CopyLog { from: 2, to: 1 }],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/events/variant=baseline/seed=1/part-0.parquet: event log does not match its record's checksum (sha256 SHA2, recorded SHA1)\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "report refuses another seed's log",
        steps: &[Step::CopyLog { from: 2, to: 1 }],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/events/variant=baseline/seed=1/part-0.parquet: event log does not match its record's checksum (sha256 SHA2, recorded SHA1); `aisle verify --repair {dir}` simulates the run again\n",
        absent: None,
    },
    Case {
        name: "publish refuses another seed's log",
        steps: &[Step::CopyLog { from: 2, to: 1 }],
        args: &["publish", "{dir}", "--epsilon", "1", "--name", "weekly"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/events/variant=baseline/seed=1/part-0.parquet: event log does not match its record's checksum (sha256 SHA2, recorded SHA1); `aisle verify --repair {dir}` simulates the run again\n",
        absent: Some("releases/weekly"),
    },
    Case {
        // Refused, it left privacy/ledger.lock behind, and called the
        // dataset "not an aisle dataset".
        name: "publish refuses a dataset of no runs and writes nothing",
        steps: &[Step::UnlistRun(1), Step::UnlistRun(2), Step::Remove("runs"), Step::Remove("events")],
        args: &["publish", "{dir}", "--epsilon", "1", "--name", "weekly"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}: the dataset lists no runs, so there is nothing to release (add them with `aisle run` or `aisle compare`; a shard may have drawn none)\n",
        absent: Some("privacy"),
    },
    Case {
        // Both exited 0, counting seed 1 alone (`verify` called the
        // manifest damaged).
        name: "publish refuses a manifest that leaves out a run on disk",
        steps: &[Step::UnlistRun(2)],
        args: &["publish", "{dir}", "--epsilon", "1", "--name", "weekly"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/manifest.json: lists 1 run(s), but runs/ holds 2 run record(s) (variant baseline seed 2 is not listed): a sweep stopped before it listed its last runs, or the manifest was edited, and what it lists is not the study; run the same `aisle compare` again to finish the sweep, or `aisle verify --repair {dir}` to list every run\n",
        absent: Some("releases/weekly"),
    },
    Case {
        // Read "a sweep stopped before it listed its last runs …; run the
        // same `aisle compare` again", which lists no run of another version.
        name: "report names an unlisted run of another version of the scenario",
        steps: &[
            Step::UnlistRun(2),
            Step::Replace {
                file: "runs/variant=baseline/seed=2/run.json",
                from: "\"scenario_sha256\": \"",
                to: "\"scenario_sha256\": \"feedface0000",
            },
        ],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/runs/variant=baseline/seed=2/run.json: a run the manifest does not list, made from another version of the scenario (file hash feedface0000…, the dataset's SHA_TINY): it is no part of this study, and no sweep of it lists it; remove {dir}/runs/variant=baseline/seed=2 and {dir}/events/variant=baseline/seed=2, or `aisle verify --repair {dir}` simulates it again from this version\n",
        absent: Some(PAGE),
    },
    Case {
        name: "report refuses a manifest that leaves out a run on disk",
        steps: &[Step::UnlistRun(2)],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/manifest.json: lists 1 run(s), but runs/ holds 2 run record(s) (variant baseline seed 2 is not listed): a sweep stopped before it listed its last runs, or the manifest was edited, and what it lists is not the study; run the same `aisle compare` again to finish the sweep, or `aisle verify --repair {dir}` to list every run\n",
        absent: Some(PAGE),
    },
    Case {
        // It was released as if it were not there.
        name: "an --evaluate option on a release",
        steps: &[],
        args: &["publish", "{dir}", "--epsilon", "1", "--metric", "basket_value", "--name", "weekly"],
        code: 2,
        stdout: "",
        stderr: "error: --metric applies to --evaluate only (the privacy–utility curves): a release does not use it; leave it out\n",
        absent: Some("releases/weekly"),
    },
    Case {
        name: "a release name differing from another only in case",
        steps: &[Step::Aisle(&["publish", "{dir}", "--epsilon", "0.5", "--name", "weekly"])],
        args: &["publish", "{dir}", "--epsilon", "0.5", "--name", "WEEKLY"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/privacy/ledger.json: a release named `weekly` already exists (`WEEKLY` differs from it only in case: one directory where the file system ignores case); choose another --name\n",
        absent: Some("releases/WEEKLY"),
    },
    Case {
        name: "a forged record: another seed's log with its checksum and rows",
        steps: &[Step::CopyLog { from: 2, to: 1 }, Step::ForgeRecord { from: 2, to: 1 }],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/events/variant=baseline/seed=1/part-0.parquet: event log metadata `aisle.seed` is `2`, expected `1`; `aisle verify --repair {dir}` simulates the run again\n",
        absent: None,
    },
    Case {
        name: "a missing log",
        steps: &[Step::Remove(LOG1)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/events/variant=baseline/seed=1/part-0.parquet: event log is missing\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "a listed run whose log and record are both gone",
        steps: &[Step::Remove("events/variant=baseline/seed=1"), Step::Remove("runs/variant=baseline/seed=1")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/runs/variant=baseline/seed=1/run.json: variant baseline seed 1 is listed in the manifest, but its record and its log are both gone; `--repair` simulates it again\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "--repair simulates a listed run whose log and record are both gone",
        steps: &[Step::Remove("events/variant=baseline/seed=1"), Step::Remove("runs/variant=baseline/seed=1")],
        args: &["verify", "--repair", "{dir}"],
        code: 0,
        stdout: "found: {dir}/runs/variant=baseline/seed=1/run.json: variant baseline seed 1 is listed in the manifest, but its record and its log are both gone; `--repair` simulates it again\n\
                 repair: simulating baseline / seed 1 again\n\
                 repaired: 1 run(s) simulated again, 0 leftover temporary file(s) removed\n\
                 {dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a log cut short",
        steps: &[Step::Write(LOG1, "PAR1")],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/events/variant=baseline/seed=1/part-0.parquet: event log does not match its record's checksum (sha256 SHA_PAR1, recorded SHA1); `aisle verify --repair {dir}` simulates the run again\n",
        absent: None,
    },
    Case {
        name: "a log without its record",
        steps: &[Step::Remove(RECORD1)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/events/variant=baseline/seed=1/part-0.parquet: event log has no run record\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "a record that is not JSON",
        steps: &[Step::Write(RECORD1, "{ not json")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/runs/variant=baseline/seed=1/run.json: not a readable run record: key must be a string at line 1 column 3\n",
        stderr: "error: {dir}: 1 problem(s) found, 1 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "an edited record is simulated again by --repair",
        steps: &[Step::EditMetric(1)],
        args: &["verify", "--repair", "{dir}"],
        code: 0,
        stdout: "found: {dir}/runs/variant=baseline/seed=1/run.json: run record was edited or damaged (its content no longer matches its record_sha256)\n\
                 repair: simulating baseline / seed 1 again\n\
                 repaired: 1 run(s) simulated again, 0 leftover temporary file(s) removed\n\
                 {dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a manifest alone naming another scenario version is the one edited",
        steps: &[Step::ManifestScenarioSha],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/manifest.json: names scenario version 000000000000…, but the scenario copy and every run record name SHA_TINY: the manifest was edited; it is rebuilt by `--repair`\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` mends them without simulating any run again\n",
        absent: None,
    },
    Case {
        name: "a manifest alone naming another scenario version is rebuilt by --repair",
        steps: &[Step::ManifestScenarioSha],
        args: &["verify", "--repair", "{dir}"],
        code: 0,
        stdout: "found: {dir}/manifest.json: names scenario version 000000000000…, but the scenario copy and every run record name SHA_TINY: the manifest was edited; it is rebuilt by `--repair`\n\
                 repaired: 0 run(s) simulated again, 0 leftover temporary file(s) removed\n\
                 {dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a manifest that is not JSON",
        steps: &[Step::Write("manifest.json", "[")],
        args: &["report", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/manifest.json: not a readable aisle manifest: EOF while parsing a list at line 1 column 1; `aisle verify --repair {dir}` makes it again from the run records\n",
        absent: None,
    },
    Case {
        name: "a manifest that is not JSON is made again by --repair",
        steps: &[Step::Write("manifest.json", "[")],
        args: &["verify", "--repair", "{dir}"],
        code: 0,
        stdout: "found: {dir}/manifest.json: not a readable aisle manifest: EOF while parsing a list at line 1 column 1; `aisle verify --repair {dir}` makes it again from the run records\n\
                 repaired: 0 run(s) simulated again, 0 leftover temporary file(s) removed\n\
                 {dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a missing manifest",
        steps: &[Step::Remove("manifest.json")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/manifest.json: missing\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` mends them without simulating any run again\n",
        absent: None,
    },
    Case {
        name: "a manifest of another format",
        steps: &[Step::Write(
            "manifest.json",
            r#"{"format":"other","schema_version":3,"aisle_version":"","scenario":"tiny","scenario_sha256":"","variants":[],"runs":[]}"#,
        )],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/manifest.json: not a readable aisle manifest: format is `other`, expected `aisle-dataset`\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` mends them without simulating any run again\n",
        absent: None,
    },
    Case {
        name: "an edited scenario copy",
        steps: &[Step::EditScenarioCopy],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/scenario.toml: the scenario copy does not match the manifest's scenario_sha256 (it was changed after the runs were made); restore it, or make the dataset again with --replace\n",
        absent: None,
    },
    Case {
        name: "an edited scenario copy cannot be repaired from",
        steps: &[Step::EditScenarioCopy, Step::EditMetric(1)],
        args: &["verify", "--repair", "{dir}"],
        code: 1,
        stdout: "found: {dir}/scenario.toml: scenario copy was changed (sha256 SHA_EDITED, the manifest names SHA_TINY); restore it from a backup (the runs were made from it)\n\
                 found: {dir}/runs/variant=baseline/seed=1/run.json: run record was edited or damaged (its content no longer matches its record_sha256)\n",
        stderr: "error: {dir}: cannot repair: the scenario copy does not match the manifest or does not read (scenario copy was changed (sha256 SHA_EDITED, the manifest names SHA_TINY)); run `aisle compare` or `aisle run` with the scenario file and --replace instead\n",
        absent: None,
    },
    // The copy replaced by another version and the manifest made to agree:
    // every run read as damaged, and --repair simulated them all again from
    // the other version, which the dataset then was.
    Case {
        name: "a scenario copy replaced with the manifest edited to match cannot be repaired from",
        steps: &[Step::EditScenarioCopy, Step::ManifestShaOfCopy],
        args: &["verify", "--repair", "{dir}"],
        code: 1,
        stdout: "found: {dir}/manifest.json: names scenario version SHA_EDITED, as the scenario copy does, but every run record names SHA_TINY: the copy was replaced and the manifest edited to match; restore both from a backup\n\
                 found: {dir}/scenario.toml: scenario copy was changed (sha256 SHA_EDITED, every run record names SHA_TINY); restore it from a backup (the runs were made from it)\n",
        stderr: "error: {dir}: cannot repair: the scenario copy does not match the manifest or does not read (scenario copy was changed (sha256 SHA_EDITED, every run record names SHA_TINY)); run `aisle compare` or `aisle run` with the scenario file and --replace instead\n",
        absent: None,
    },
    Case {
        name: "a metrics table that is not Parquet",
        steps: &[Step::Write("metrics/metrics.parquet", "nothing")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/metrics/metrics.parquet: not readable: {dir}/metrics/metrics.parquet: EOF: Parquet file too small. Size is 7 but need 8\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` mends them without simulating any run again\n",
        absent: None,
    },
    Case {
        name: "a stray file among the logs",
        steps: &[Step::Write("events/variant=baseline/seed=1/notes.txt", "hello")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/events/variant=baseline/seed=1/notes.txt: not an event log of aisle's: Parquet readers of events/ would read it too; remove it\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        name: "a leftover temporary file is a note, not damage",
        steps: &[Step::Write("events/variant=baseline/seed=1/.part-0.parquet.tmp-999999", "half")],
        args: &["verify", "{dir}"],
        code: 0,
        stdout: "note: {dir}/events/variant=baseline/seed=1/.part-0.parquet.tmp-999999: leftover temporary file of an interrupted command\n\
                 {dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "the next run removes leftover temporary files",
        steps: &[
            Step::Write("events/variant=baseline/seed=1/.part-0.parquet.tmp-999999", "half"),
            Step::Write(".manifest.json.tmp-999999-0", "{"),
        ],
        args: &["run", "scenarios/tiny.toml", "--seed", "2", "--out", "{dir}", "--no-report"],
        code: 0,
        stdout: "*",
        stderr: "",
        absent: Some("events/variant=baseline/seed=1/.part-0.parquet.tmp-999999"),
    },
    Case {
        name: "report removes a half-written page and figure",
        steps: &[
            Step::Write("report/.index.html.tmp-999999-0", "<html"),
            Step::Write("report/figures/.baseline-funnel.png.tmp-999999-1.png", ""),
        ],
        args: &["report", "{dir}"],
        code: 0,
        stdout: "{dir}/report/index.html\n",
        stderr: "",
        absent: Some("report/.index.html.tmp-999999-0"),
    },
    Case {
        name: "records inside events/ (an older aisle's layout) are refused",
        steps: &[Step::OldLayout],
        args: &["run", "scenarios/tiny.toml", "--seed", "3", "--out", "{dir}", "--no-report"],
        code: 2,
        stdout: "",
        stderr: "error: {dir} keeps run records inside events/ (the layout of an older aisle, which Parquet readers cannot read as one dataset); pass --replace to discard its runs, or write to another directory with --out\n",
        absent: None,
    },
    Case {
        name: "records inside events/ are damage to verify",
        steps: &[Step::OldLayout],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/events: run records inside events/ (an older aisle's layout): Parquet readers cannot read events/ as one dataset\n\
                 damaged: {dir}/events/variant=baseline/seed=1/part-0.parquet: event log has no run record\n\
                 damaged: {dir}/events/variant=baseline/seed=2/part-0.parquet: event log has no run record\n",
        stderr: "error: {dir}: 3 problem(s) found, 0 run(s) verified; `aisle verify --repair {dir}` simulates damaged runs again\n",
        absent: None,
    },
    Case {
        name: "--repair moves an older layout's runs out of events/",
        steps: &[Step::OldLayout],
        args: &["verify", "--repair", "{dir}"],
        code: 0,
        stdout: "*",
        stderr: "",
        absent: Some("events/variant=baseline/seed=1/run.json"),
    },
    Case {
        name: "a ledger naming a release that is not on disk",
        steps: &[Step::Write(
            "privacy/ledger.json",
            r#"{"budget":{"epsilon":4,"delta":1e-6},"entries":[{"name":"weekly"}]}"#,
        )],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/releases/weekly: the ledger lists release `weekly`, which is not on disk; restore the release from a backup\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        name: "a release without a ledger",
        steps: &[Step::Write("releases/weekly/index.html", "<html>")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/privacy/ledger.json: missing, but 1 release(s) are in {dir}/releases; restore it from a backup\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        name: "a ledger that does not read",
        steps: &[Step::Write("privacy/ledger.json", "{\"entries\": 3}")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/privacy/ledger.json: not a readable ledger (JSON with named entries); restore it from a backup\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        // `aisle publish` refused this ledger while verify passed it.
        name: "a ledger whose entry was edited",
        steps: &[
            Step::Write(
                "privacy/ledger.json",
                r#"{"budget":{"epsilon":4,"delta":1e-6},"entries":[{"name":"weekly","created_unix_s":0,"mechanism":"DiscreteLaplace","cost":{"model":"pure","epsilon":0.5},"noise":{"source":"os_entropy"},"composition":"","queries":[],"prev_sha256":"0","sha256":"0"}]}"#,
            ),
            Step::Write("releases/weekly/index.html", "<html>"),
        ],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/privacy/ledger.json: entry 1 (`weekly`) does not match its hash; the ledger was edited, so what was spent is unknown. Restore privacy/ledger.json from a backup; nothing was written\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        // `--repair` simulated it as a new day of the study.
        name: "a stray unreadable record of a run nobody made",
        steps: &[Step::Write("runs/variant=baseline/seed=9/run.json", "{}")],
        args: &["verify", "--repair", "{dir}"],
        code: 1,
        stdout: "found: {dir}/runs/variant=baseline/seed=9/run.json: not a readable run record: missing field `variant` at line 1 column 2; no run of variant baseline and seed 9 is in the manifest or has a log: a stray file, remove it\n\
                 repaired: 0 run(s) simulated again, 0 leftover temporary file(s) removed\n\
                 damaged: {dir}/runs/variant=baseline/seed=9/run.json: not a readable run record: missing field `variant` at line 1 column 2; no run of variant baseline and seed 9 is in the manifest or has a log: a stray file, remove it\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: Some("events/variant=baseline/seed=9/part-0.parquet"),
    },
    Case {
        // Read as seed 1: the manifest listed seed 1 twice after --repair,
        // the report counted its day twice and Parquet readers its log.
        name: "a copy of a run under a seed written with a leading zero is no run",
        steps: &[
            Step::Copy(RECORD1, "runs/variant=baseline/seed=01/run.json"),
            Step::Copy(LOG1, "events/variant=baseline/seed=01/part-0.parquet"),
        ],
        args: &["verify", "{dir}", "--repair"],
        code: 1,
        stdout: "found: {dir}/events/variant=baseline/seed=01: not part of aisle's event logs: Parquet readers of events/ fail on it or read it too; remove it\n\
                 found: {dir}/runs/variant=baseline/seed=01: not a run's folder (aisle writes `variant=V/seed=N`, N with no sign or leading zeros): no run of the dataset's; remove it\n\
                 repaired: 0 run(s) simulated again, 0 leftover temporary file(s) removed\n\
                 damaged: {dir}/events/variant=baseline/seed=01: not part of aisle's event logs: Parquet readers of events/ fail on it or read it too; remove it\n\
                 damaged: {dir}/runs/variant=baseline/seed=01: not a run's folder (aisle writes `variant=V/seed=N`, N with no sign or leading zeros): no run of the dataset's; remove it\n",
        stderr: "error: {dir}: 2 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        // The manifest rebuilt from the records forgot it without a word:
        // verify then said ok, and --repair could no longer simulate it.
        name: "a listed run whose record and log are gone is named by the next writer",
        steps: &[Step::Remove(LOG1), Step::Remove(RECORD1)],
        args: &["run", "scenarios/tiny.toml", "--seed", "3", "--out", "{dir}", "--no-report"],
        code: 0,
        stdout: "*",
        stderr: "warning: {dir}: variant `baseline` seed 1 was listed, but its record and its log are both gone: the manifest lists it no more (`aisle run scenarios/tiny.toml --variant baseline --seed 1 --out {dir}` simulates it again)\n",
        absent: None,
    },
    Case {
        // It read "scenario.toml: No such file or directory (os error 2)".
        name: "a report of a dataset without its scenario copy says what to restore",
        steps: &[Step::Remove("scenario.toml")],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/scenario.toml: missing: the copy of the scenario the runs were made from; restore it from a backup, or make the dataset again with --replace\n",
        absent: Some(PAGE),
    },
    Case {
        // Parquet readers pass over hidden files: no damage.
        name: "a hidden file in events/ is let be",
        steps: &[Step::Write("events/.DS_Store", ""), Step::Write("events/variant=baseline/seed=1/.DS_Store", "")],
        args: &["verify", "{dir}"],
        code: 0,
        stdout: "{dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        // pyarrow's read_table("metrics") read every row twice while verify said ok.
        name: "a copy of the metrics table beside it",
        steps: &[Step::Copy("metrics/metrics.parquet", "metrics/metrics-old.parquet")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/metrics/metrics-old.parquet: not aisle's metrics table: Parquet readers of metrics/ read it too; remove it\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        // Verify said ok: the log read through the link was whole.
        name: "a log replaced by a link to a file outside the dataset",
        steps: &[Step::LinkOut(LOG1)],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/events/variant=baseline/seed=1/part-0.parquet: a link, not a log: the file it points at is no part of the dataset; put the log itself here\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        // pyarrow's read_table("events") failed on it while verify said ok.
        name: "a stray file at the top of events/",
        steps: &[Step::Write("events/notes.txt", "mine")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/events/notes.txt: not part of aisle's event logs: Parquet readers of events/ fail on it or read it too; remove it\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `--repair` cannot mend these: each says above what to do\n",
        absent: None,
    },
    Case {
        name: "a deleted metrics table is missing, not different",
        steps: &[Step::Remove("metrics/metrics.parquet")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/metrics/metrics.parquet: missing; it is rebuilt by `--repair`\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` mends them without simulating any run again\n",
        absent: None,
    },
    Case {
        // Every report and release left the variant out without a word.
        name: "a variant dropped from the manifest",
        steps: &[Step::ManifestVariants(&["baseline", "same-as-baseline"])],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/manifest.json: `variants` is [baseline, same-as-baseline], but the scenario copy makes it [baseline, cola-on-promo, same-as-baseline]; `--repair` rebuilds it\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` mends them without simulating any run again\n",
        absent: None,
    },
    Case {
        // Both read the manifest's variants and left one out, exit 0.
        name: "report refuses a manifest whose variants were edited",
        steps: &[Step::ManifestVariants(&["baseline", "same-as-baseline"])],
        args: &["report", "{dir}"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/manifest.json: `variants` is [baseline, same-as-baseline], but the scenario copy makes it [baseline, cola-on-promo, same-as-baseline]: the manifest was edited; `aisle verify --repair {dir}` rebuilds it\n",
        absent: Some(PAGE),
    },
    Case {
        name: "publish refuses a manifest whose variants were edited",
        steps: &[Step::ManifestVariants(&["baseline", "same-as-baseline"])],
        args: &["publish", "{dir}", "--epsilon", "1", "--name", "r1"],
        code: 1,
        stdout: "",
        stderr: "error: {dir}/manifest.json: `variants` is [baseline, same-as-baseline], but the scenario copy makes it [baseline, cola-on-promo, same-as-baseline]: the manifest was edited; `aisle verify --repair {dir}` rebuilds it\n",
        absent: Some("releases/r1"),
    },
    Case {
        name: "verify of a directory that is not a dataset",
        steps: &[Step::Remove("manifest.json"), Step::Remove("runs"), Step::Remove("events")],
        args: &["verify", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}: not an aisle dataset (no manifest.json, runs/ or events/)\n",
        absent: None,
    },
    Case {
        name: "another version of the scenario into the dataset",
        steps: &[],
        args: &["run", "{price}", "--out", "{dir}", "--no-report"],
        code: 2,
        stdout: "",
        stderr: "error: {dir} holds runs of another version of scenario `tiny` (file hash SHA_TINY, now SHA_PRICE); write to another directory with --out, or pass --replace to discard the old runs\n",
        absent: None,
    },
    Case {
        // The old runs were simulated again from the new version, exit 0:
        // with no manifest nothing said which version they were of.
        name: "another version of the scenario into a dataset whose manifest is gone",
        steps: &[Step::Remove("manifest.json")],
        args: &["run", "{price}", "--out", "{dir}", "--no-report"],
        code: 2,
        stdout: "",
        stderr: "error: {dir} holds runs of another version of scenario `tiny` (file hash SHA_TINY, now SHA_PRICE); write to another directory with --out, or pass --replace to discard the old runs\n",
        absent: None,
    },
    Case {
        name: "another version of the scenario into a dataset with only its run records",
        steps: &[Step::Remove("manifest.json"), Step::Remove("scenario.toml")],
        args: &["run", "{price}", "--out", "{dir}", "--no-report"],
        code: 2,
        stdout: "",
        stderr: "error: {dir} holds runs of another version of scenario `tiny` (file hash SHA_TINY, now SHA_PRICE); write to another directory with --out, or pass --replace to discard the old runs\n",
        absent: None,
    },
    Case {
        name: "a directory of the user's files is not written over",
        steps: &[
            Step::Remove("manifest.json"),
            Step::Remove("runs"),
            Step::Remove("events"),
            Step::Remove(".lock"),
            Step::Write("scenario.toml", "# another store\n"),
        ],
        args: &["run", "scenarios/tiny.toml", "--out", "{dir}", "--no-report"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}: is not an aisle dataset (no manifest.json), and a dataset written there would overwrite its scenario.toml, metrics/: choose a new or empty directory with --out\n",
        absent: None,
    },
    Case {
        // Any `.lock` counted as an aisle writer's, and the user's own
        // scenario.toml was replaced by the dataset's copy.
        name: "a directory with another program's lock file is not written over",
        steps: &[
            Step::Remove("manifest.json"),
            Step::Remove("runs"),
            Step::Remove("events"),
            Step::Remove(".writers.lock"),
            Step::Write("scenario.toml", "# another store\n"),
        ],
        args: &["run", "scenarios/tiny.toml", "--out", "{dir}", "--no-report"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}: is not an aisle dataset (no manifest.json), and a dataset written there would overwrite its scenario.toml, metrics/: choose a new or empty directory with --out\n",
        absent: None,
    },
    Case {
        // Its own `events/` counted as a dataset's: `--replace` then
        // deleted the user's files in events/, runs/, report/, ...
        name: "a directory with its own events/ and runs/ folders is not written over",
        steps: &[
            Step::Remove("manifest.json"),
            Step::Remove("runs"),
            Step::Remove("events"),
            Step::Remove("metrics"),
            Step::Remove(".lock"),
            Step::Write("events/sales.csv", "day,revenue\n"),
            Step::Write("runs/2026-11/notes.txt", "mine\n"),
        ],
        args: &["run", "scenarios/tiny.toml", "--out", "{dir}", "--replace", "--no-report"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}: is not an aisle dataset (no manifest.json), and a dataset written there would overwrite its events/, runs/: choose a new or empty directory with --out\n",
        absent: None,
    },
    Case {
        name: "a directory of other files and the scenario itself is written into, beside them",
        steps: &[
            Step::Remove("manifest.json"),
            Step::Remove("runs"),
            Step::Remove("events"),
            Step::Remove("metrics"),
            Step::Remove(".lock"),
            Step::Write("notes.txt", "mine\n"),
        ],
        args: &["run", "scenarios/tiny.toml", "--out", "{dir}", "--no-report"],
        code: 0,
        stdout: "*",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a dataset whose first writer was killed before its manifest is written into",
        steps: &[Step::Remove("manifest.json"), Step::Remove("runs"), Step::Remove("events"), Step::Write(".lock", "")],
        args: &["run", "scenarios/tiny.toml", "--out", "{dir}", "--no-report"],
        code: 0,
        stdout: "*",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a dataset inside another",
        steps: &[],
        args: &["compare", "scenarios/tiny.toml", "--out", "{dir}/events", "--no-report"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/events: is inside the aisle dataset {dir}, and the two datasets' files would mix; choose a directory outside it with --out\n",
        absent: None,
    },
    Case {
        name: "a path climbing back to the dataset is the dataset, not inside it",
        steps: &[],
        args: &["run", "scenarios/tiny.toml", "--seed", "3", "--out", "{dir}/events/..", "--no-report"],
        code: 0,
        stdout: "*",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a manifest naming a variant that climbs out of the dataset",
        steps: &[Step::ManifestVariant("../../x")],
        args: &["report", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/manifest.json: not a readable aisle manifest: variant id `../../x` is not a valid id\n",
        absent: None,
    },
    Case {
        name: "a terminal escape in --variant is shown escaped",
        steps: &[],
        args: &["run", "scenarios/tiny.toml", "--variant", "x\u{1b}[31m", "--out", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: scenarios/tiny.toml: no variant `x\\u{1b}[31m`; this scenario has: baseline, cola-on-promo, same-as-baseline\n",
        absent: None,
    },
    Case {
        // It ran the first look's ten seeds and said it stopped "at the cap of 8".
        name: "a sequential cap below the first look",
        steps: &[],
        args: &[
            "compare",
            "scenarios/tiny.toml",
            "--target-halfwidth",
            "0.05",
            "--metric",
            "revenue_per_visitor",
            "--max-replications",
            "8",
            "--out",
            "{dir}",
        ],
        code: 2,
        stdout: "",
        stderr: "error: --max-replications 8 is below the first look of a sequential study (10 replications): raise it, or drop --target-halfwidth for a fixed study of --replications\n",
        absent: None,
    },
    Case {
        // A billion seeds filled the memory before the first run (exit 134).
        name: "more replications than a comparison may ask for",
        steps: &[],
        args: &["compare", "scenarios/tiny.toml", "--replications", "4294967296", "--out", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: invalid value '4294967296' for '--replications <REPLICATIONS>': must be a whole number from 1 to 1000000, got 4294967296\n\nFor more information, try '--help'.\n",
        absent: None,
    },
    Case {
        // clap took -1 for a flag and suggested `-- -1`, which passes it as the file.
        name: "a negative seed",
        steps: &[],
        args: &["run", "scenarios/tiny.toml", "--seed", "-1", "--out", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: invalid value '-1' for '--seed <SEED>': a run's seed is a whole number from 0 to 9223372036854775807 (Parquet readers take its seed= folder as a signed 64-bit number), got -1\n\nFor more information, try '--help'.\n",
        absent: None,
    },
    Case {
        // Accepted, its folder seed=18446744073709551615 turned the seed
        // column of every reader of the dataset into text.
        name: "a seed past what Parquet readers take as a number",
        steps: &[],
        args: &["run", "scenarios/tiny.toml", "--seed", "9223372036854775808", "--out", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: invalid value '9223372036854775808' for '--seed <SEED>': a run's seed is a whole number from 0 to 9223372036854775807 (Parquet readers take its seed= folder as a signed 64-bit number), got 9223372036854775808\n\nFor more information, try '--help'.\n",
        absent: None,
    },
    Case {
        // 0 ran to the cap of 100 replications; inf stopped at once on an unbounded interval.
        name: "a target half-width that is not a positive number",
        steps: &[],
        args: &[
            "compare",
            "scenarios/tiny.toml",
            "--target-halfwidth",
            "0",
            "--metric",
            "revenue_per_visitor",
            "--out",
            "{dir}",
        ],
        code: 2,
        stdout: "",
        stderr: "error: invalid value '0' for '--target-halfwidth <TARGET_HALFWIDTH>': must be a positive, finite number, got 0\n\nFor more information, try '--help'.\n",
        absent: None,
    },
    Case {
        // "File exists (os error 17)", exit 1.
        name: "a file given as the dataset",
        steps: &[],
        args: &["run", "scenarios/tiny.toml", "--out", "{dir}/manifest.json"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/manifest.json: is a file, not a dataset directory; give a directory (`run` and `compare` make a new one)\n",
        absent: None,
    },
    Case {
        // A raw "No such file or directory (os error 2)", exit 1; for a
        // read-only directory it named the lock file inside it.
        name: "a dataset where none can be written",
        steps: &[],
        args: &["run", "scenarios/tiny.toml", "--out", "/proc/aisle-dataset"],
        code: 2,
        stdout: "",
        stderr: "error: /proc/aisle-dataset: a dataset cannot be written here (No such file or directory (os error 2)); choose another directory (--out)\n",
        absent: None,
    },
    Case {
        name: "a file given as the dataset to report",
        steps: &[],
        args: &["report", "{dir}/manifest.json"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/manifest.json: is a file, not a dataset directory; give a directory (`run` and `compare` make a new one)\n",
        absent: None,
    },
    Case {
        // Read "not an aisle dataset (no manifest.json, runs/ or events/)".
        name: "a file given as the dataset to verify",
        steps: &[],
        args: &["verify", "{dir}/manifest.json"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/manifest.json: is a file, not a dataset directory; give a directory (`run` and `compare` make a new one)\n",
        absent: None,
    },
    Case {
        // "{dir}/manifest.json/.writers.lock: Not a directory (os error 20)", exit 1.
        name: "a file given as the dataset to publish",
        steps: &[],
        args: &["publish", "{dir}/manifest.json", "--epsilon", "1"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/manifest.json: is a file, not a dataset directory; give a directory (`run` and `compare` make a new one)\n",
        absent: None,
    },
    Case {
        // Read "no manifest.json: not an aisle dataset", as if the directory were there.
        name: "a dataset directory that does not exist, to report",
        steps: &[],
        args: &["report", "{dir}/nowhere"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/nowhere: no such directory; give the directory `aisle run` or `aisle compare` wrote the dataset to (their --out)\n",
        absent: None,
    },
    Case {
        // Read "no manifest.json: not an aisle dataset", as if the directory were there.
        name: "a dataset directory that does not exist, to publish",
        steps: &[],
        args: &["publish", "{dir}/nowhere", "--epsilon", "1"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/nowhere: no such directory; give the directory `aisle run` or `aisle compare` wrote the dataset to (their --out)\n",
        absent: None,
    },
    Case {
        // Read "no manifest.json: not an aisle dataset", as if the directory were there.
        name: "a dataset directory that does not exist, to verify",
        steps: &[],
        args: &["verify", "{dir}/nowhere"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}/nowhere: no such directory; give the directory `aisle run` or `aisle compare` wrote the dataset to (their --out)\n",
        absent: None,
    },
    Case {
        // Said "make one with `aisle run`" beside two run records a repair lists.
        name: "a dataset whose manifest is lost, to report",
        steps: &[Step::Remove("manifest.json")],
        args: &["report", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: {dir}: no manifest.json: not an aisle dataset (make one with `aisle run`); 2 run record(s) in runs/ are not listed yet (a sweep stopped before it wrote the manifest): run the same `aisle compare` again to finish it, or `aisle verify --repair` to list them\n",
        absent: None,
    },
    Case {
        // Flags of another mode were silently ignored.
        name: "a local export's flag without --local",
        steps: &[],
        args: &["publish", "{dir}", "--epsilon", "1", "--points", "3"],
        code: 2,
        stdout: "",
        stderr: "error: the following required arguments were not provided:\n  --local\n\nUsage: aisle publish --local --epsilon <EPSILON> --points <POINTS> <DIR>\n\nFor more information, try '--help'.\n",
        absent: None,
    },
    Case {
        name: "a mechanism for a local export",
        steps: &[],
        args: &["publish", "{dir}", "--local", "--epsilon", "0.05", "--mechanism", "gaussian"],
        code: 2,
        stdout: "",
        stderr: "error: the argument '--local' cannot be used with '--mechanism <MECHANISM>'\n\nUsage: aisle publish --local --epsilon <EPSILON> <DIR>\n\nFor more information, try '--help'.\n",
        absent: None,
    },
    Case {
        // A local export bounds the members of a party alone.
        name: "a figure's clamp for a local export",
        steps: &[],
        args: &["publish", "{dir}", "--local", "--epsilon", "0.05", "--clamp", "party=2", "--clamp", "basket=50"],
        code: 2,
        stdout: "",
        stderr: "error: --clamp basket does not apply to --local: an export's points have no figures to clamp; only \
                 --clamp party=M (the members of a party exported) does\n",
        absent: None,
    },
    Case {
        // It became 1 s without a word.
        name: "a local export's time grain of nothing",
        steps: &[],
        args: &["publish", "{dir}", "--local", "--epsilon", "0.05", "--grain", "0"],
        code: 2,
        stdout: "",
        stderr: "error: invalid value '0' for '--grain <GRAIN>': 0 is not in 1..=86400\n\nFor more information, try '--help'.\n",
        absent: None,
    },
    Case {
        // Each shard's looks saw no pairs, ran to the cap and held the
        // merged comparison to their level.
        name: "a sequential study in shards",
        steps: &[],
        args: &[
            "compare",
            "scenarios/tiny.toml",
            "--shard",
            "1/2",
            "--target-halfwidth",
            "0.05",
            "--metric",
            "revenue_per_visitor",
            "--out",
            "{dir}",
        ],
        code: 2,
        stdout: "",
        stderr: "error: the argument '--shard <SHARD>' cannot be used with '--target-halfwidth <TARGET_HALFWIDTH>'\n\nUsage: aisle compare --shard <SHARD> --metric <METRIC> --out <OUT> <FILE>\n\nFor more information, try '--help'.\n",
        absent: None,
    },
    Case {
        // It printed "sweep … on 0 thread(s)".
        name: "no jobs at all",
        steps: &[],
        args: &["compare", "scenarios/tiny.toml", "--jobs", "0", "--out", "{dir}"],
        code: 2,
        stdout: "",
        stderr: "error: invalid value '0' for '--jobs <JOBS>': 0 is not in 1..=4096\n\nFor more information, try '--help'.\n",
        absent: None,
    },
    Case {
        name: "a report page made from the dataset verifies",
        steps: &[REPORT],
        args: &["verify", "{dir}"],
        code: 0,
        stdout: "{dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a report page on another primary metric verifies",
        steps: &[Step::Aisle(&["report", "{dir}", "--metric", "queue_wait_mean"])],
        args: &["verify", "{dir}"],
        code: 0,
        stdout: "{dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a report page edited by hand",
        steps: &[REPORT, Step::Replace { file: PAGE, from: "<h1>", to: "<h1>Best " }],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/report/index.html: is not what this build makes from the runs that verify (line 4 reads `…<h1>Best tiny</h1><p class=\"lead\">Two gondolas, a promo table and one …`): edited by hand, or made before runs were added; `--repair` makes the page again\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` makes the page again\n",
        absent: None,
    },
    Case {
        name: "a report page edited by hand is made again by --repair",
        steps: &[REPORT, Step::Replace { file: PAGE, from: "<h1>", to: "<h1>Best " }],
        args: &["verify", "--repair", "{dir}"],
        code: 0,
        stdout: "found: {dir}/report/index.html: is not what this build makes from the runs that verify (line 4 reads `…<h1>Best tiny</h1><p class=\"lead\">Two gondolas, a promo table and one …`): edited by hand, or made before runs were added; `--repair` makes the page again\n\
                 repaired: 0 run(s) simulated again, 0 leftover temporary file(s) removed\n\
                 repaired: report page made again, {dir}/report/index.html\n\
                 {dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "a report page made before a run was added",
        steps: &[REPORT, Step::Aisle(&["run", "scenarios/tiny.toml", "--seed", "3", "--no-report", "--out", "{dir}"])],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "*",
        stderr: "error: {dir}: 1 problem(s) found, 3 run(s) verified; `aisle verify --repair {dir}` makes the page again\n",
        absent: None,
    },
    Case {
        name: "a figure of the report page replaced",
        steps: &[REPORT, Step::Write("report/figures/baseline-heatmap-0.png", "PNG")],
        args: &["verify", "{dir}"],
        code: 1,
        stdout: "damaged: {dir}/report/figures/baseline-heatmap-0.png: is not what this build makes from the runs that verify (not the figure its logs draw): edited by hand, or made before runs were added; `--repair` makes the page again\n",
        stderr: "error: {dir}: 1 problem(s) found, 2 run(s) verified; `aisle verify --repair {dir}` makes the page again\n",
        absent: None,
    },
    Case {
        name: "a report page made by another build is noted, not checked",
        steps: &[REPORT, Step::Replace { file: PAGE, from: "Made by aisle ", to: "Made by aisle 0.0.9 " }],
        args: &["verify", "{dir}"],
        code: 0,
        stdout: "note: {dir}/report/index.html: made by aisle 0.0.9, not this build, so not checked; `aisle report {dir}` makes it again\n\
                 {dir}: ok — 2 run(s) verified\n",
        stderr: "",
        absent: None,
    },
    Case {
        name: "verify without a directory",
        steps: &[],
        args: &["verify"],
        code: 2,
        stdout: "",
        stderr: "error: the following required arguments were not provided:\n  <DIR>\n\nUsage: aisle verify <DIR>\n\nFor more information, try '--help'.\n",
        absent: None,
    },
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn aisle(args: &[String]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aisle")).current_dir(root()).args(args).output().unwrap()
}

/// The dataset every case starts from, made once.
fn base() -> &'static Path {
    static BASE: OnceLock<PathBuf> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("aisle-bad-datasets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for seed in ["1", "2"] {
            let args = ["run", "scenarios/tiny.toml", "--seed", seed, "--no-report", "--out"];
            let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            args.push(dir.display().to_string());
            let out = aisle(&args);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        dir
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn record_path(seed: u64) -> String {
    format!("runs/variant=baseline/seed={seed}/run.json")
}

fn log_path(seed: u64) -> String {
    format!("events/variant=baseline/seed={seed}/part-0.parquet")
}

fn apply(dir: &Path, step: Step) {
    use aisle::events::dataset::RunRecord;
    let read = |seed: u64| -> RunRecord {
        serde_json::from_str(&std::fs::read_to_string(dir.join(record_path(seed))).unwrap()).unwrap()
    };
    let write = |seed: u64, r: &RunRecord| {
        std::fs::write(dir.join(record_path(seed)), serde_json::to_string_pretty(r).unwrap()).unwrap()
    };
    match step {
        Step::EditMetric(seed) => {
            let mut r = read(seed);
            r.metrics[0].value += 1.0;
            write(seed, &r);
        }
        Step::EditMetricSealed(seed) => {
            let mut r = read(seed);
            r.metrics[0].value += 1.0;
            write(seed, &r.sealed());
        }
        Step::EditRevenueSealed(seed) => {
            let mut r = read(seed);
            r.revenue_cents += 100;
            write(seed, &r.sealed());
        }
        Step::DropMetricSealed(seed) => {
            let mut r = read(seed);
            r.metrics.pop();
            write(seed, &r.sealed());
        }
        Step::EditUnitSealed(seed) => {
            let mut r = read(seed);
            r.metrics[0].unit = "dollars".to_owned();
            write(seed, &r.sealed());
        }
        Step::EditBytesSealed(seed) => {
            let mut r = read(seed);
            r.bytes += 1;
            write(seed, &r.sealed());
        }
        Step::EditManifestMetric => {
            let path = dir.join("manifest.json");
            let mut m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let value = &mut m["runs"][0]["metrics"][0]["value"];
            *value = serde_json::json!(value.as_f64().unwrap() + 1.0);
            std::fs::write(path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
        }
        Step::UnlistRun(seed) => {
            let path = dir.join("manifest.json");
            let mut m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            m["runs"].as_array_mut().unwrap().retain(|r| r["seed"] != serde_json::json!(seed));
            std::fs::write(path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
        }
        Step::ManifestScenarioSha => {
            let path = dir.join("manifest.json");
            let mut m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            m["scenario_sha256"] = serde_json::json!("0".repeat(64));
            std::fs::write(path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
        }
        Step::ManifestShaOfCopy => {
            let path = dir.join("manifest.json");
            let mut m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            m["scenario_sha256"] =
                serde_json::json!(aisle::events::fs::file_sha256(&dir.join("scenario.toml")).unwrap());
            std::fs::write(path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
        }
        Step::ManifestVariant(name) => {
            let path = dir.join("manifest.json");
            let mut m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            m["variants"][1] = serde_json::json!(name);
            std::fs::write(path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
        }
        Step::ManifestVariants(names) => {
            let path = dir.join("manifest.json");
            let mut m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            m["variants"] = serde_json::json!(names);
            std::fs::write(path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
        }
        Step::CopyLog { from, to } => {
            std::fs::copy(dir.join(log_path(from)), dir.join(log_path(to))).unwrap();
        }
        Step::GhostRun => {
            let ghost = |p: PathBuf| PathBuf::from(p.to_str().unwrap().replace("variant=baseline", "variant=ghost"));
            let (log, record) = (dir.join(log_path(1)), dir.join(record_path(1)));
            for path in [&log, &record] {
                std::fs::create_dir_all(ghost(path.parent().unwrap().to_owned())).unwrap();
            }
            std::fs::copy(&log, ghost(log.clone())).unwrap();
            let text = std::fs::read_to_string(&record).unwrap().replace("baseline", "ghost");
            std::fs::write(ghost(record), text).unwrap();
        }
        Step::ForgeRecord { from, to } => {
            let source = read(from);
            let r = RunRecord { sha256: source.sha256, rows: source.rows, bytes: source.bytes, ..read(to) };
            write(to, &r.sealed());
        }
        Step::Remove(rel) => {
            let path = dir.join(rel);
            if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) }.unwrap()
        }
        Step::Write(rel, text) => {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Step::LinkOut(file) => {
            let (inside, outside) = (dir.join(file), dir.with_extension("outside"));
            std::fs::rename(&inside, &outside).unwrap();
            std::os::unix::fs::symlink(&outside, &inside).unwrap();
        }
        Step::Copy(from, to) => {
            let path = dir.join(to);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::copy(dir.join(from), path).unwrap();
        }
        Step::EditScenarioCopy => {
            let path = dir.join("scenario.toml");
            let text = std::fs::read_to_string(&path).unwrap() + "\n# edited\n";
            std::fs::write(path, text).unwrap();
        }
        Step::Aisle(args) => {
            let shown = dir.display().to_string();
            let out = aisle(&args.iter().map(|a| a.replace("{dir}", &shown)).collect::<Vec<_>>());
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        Step::Replace { file, from, to } => {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{file} has no `{from}`");
            std::fs::write(path, text.replacen(from, to, 1)).unwrap();
        }
        Step::OldLayout => {
            for seed in [1, 2] {
                let from = dir.join(record_path(seed));
                std::fs::rename(&from, dir.join(log_path(seed)).with_file_name("run.json")).unwrap();
            }
            std::fs::remove_dir_all(dir.join("runs")).unwrap();
        }
    }
}

/// Short hashes that vary with the build are named in the expectations.
fn placeholders(dir: &Path) -> Vec<(String, String)> {
    let short = |path: &Path| aisle::events::fs::file_sha256(path).unwrap()[..12].to_owned();
    let base = base();
    let sha_of_text = |text: &str| {
        let tmp = dir.with_extension("sha");
        std::fs::write(&tmp, text).unwrap();
        let s = short(&tmp);
        std::fs::remove_file(tmp).unwrap();
        s
    };
    let tiny = std::fs::read_to_string(base.join("scenario.toml")).unwrap();
    vec![
        (format!("{}…", short(&base.join(log_path(1)))), "SHA1".into()),
        (format!("{}…", short(&base.join(log_path(2)))), "SHA2".into()),
        (format!("{}…", sha_of_text("PAR1")), "SHA_PAR1".into()),
        (format!("{}…", sha_of_text(&tiny)), "SHA_TINY".into()),
        (format!("{}…", sha_of_text(&(tiny.clone() + "\n# edited\n"))), "SHA_EDITED".into()),
        (format!("{}…", sha_of_text(&price_changed())), "SHA_PRICE".into()),
    ]
}

/// tiny.toml with one price changed: another version of the same scenario.
fn price_changed() -> String {
    std::fs::read_to_string(root().join("scenarios/tiny.toml")).unwrap().replace("price = 1.49", "price = 1.59")
}

#[test]
fn every_damaged_dataset_gives_its_exact_message_and_exit_code() {
    assert!(CASES.len() >= 25, "the catalogue must hold at least 25 cases, found {}", CASES.len());
    let data = base().with_extension("price.toml");
    std::fs::write(&data, price_changed()).unwrap();
    let mut failures = Vec::new();
    for (i, case) in CASES.iter().enumerate() {
        let dir = base().with_file_name(format!("{}-case-{i}", base().file_name().unwrap().to_string_lossy()));
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(base(), &dir);
        for step in case.steps {
            apply(&dir, *step);
        }
        let shown = dir.display().to_string();
        let price = data.display().to_string();
        let args: Vec<String> =
            case.args.iter().map(|a| a.replace("{dir}", &shown).replace("{price}", &price)).collect();
        let out = aisle(&args);
        let clean = |bytes: &[u8]| {
            let mut text = String::from_utf8_lossy(bytes).replace(&shown, "{dir}");
            for (hash, name) in placeholders(&dir) {
                text = text.replace(&hash, &name);
            }
            text
        };
        let (stdout, stderr) = (clean(&out.stdout), clean(&out.stderr));
        let stdout_ok = case.stdout == "*" || stdout == case.stdout;
        let absent_ok = case.absent.is_none_or(|rel| !dir.join(rel).exists());
        if out.status.code() != Some(case.code) || !stdout_ok || stderr != case.stderr || !absent_ok {
            failures.push(format!(
                "{}: exit {:?} (expected {}){}\n--- expected stdout\n{}--- got stdout\n{stdout}--- expected stderr\n{}--- got stderr\n{stderr}",
                case.name,
                out.status.code(),
                case.code,
                if absent_ok { "" } else { ", and a file that should be gone is there" },
                case.stdout,
                case.stderr
            ));
        }
        assert!(!stderr.contains("panicked"), "{} made aisle panic", case.name);
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let _ = std::fs::remove_file(data);
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}
