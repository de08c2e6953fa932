//! Seeded mutation fuzzing of the scenario parser and validator: each case
//! mutates the text of `scenarios/tiny.toml` (numbers flipped to inf, NaN,
//! huge, negative or zero; lines deleted, duplicated or swapped; the file
//! cut short) and prepares the baseline and every variant. None may panic,
//! and none may take long (a loop on an error): each case runs on its own
//! thread against a deadline. The case count is fixed, so the time is bounded.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use aisle::scenario::ScenarioFile;

const CASES: u64 = 600;
/// Far above what one case takes (milliseconds): only a loop reaches it.
const DEADLINE: Duration = Duration::from_secs(20);

/// splitmix64: a small, seeded generator, so every failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What a number in the file may become.
const NUMBERS: [&str; 14] = [
    "inf",
    "-inf",
    "nan",
    "1e308",
    "-1e308",
    "1e-300",
    "0",
    "-1",
    "-0.0",
    "1e9",
    "65535",
    "4294967296",
    "0.001",
    "1e6",
];

/// Byte ranges of the numeric literals in `text`.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'));
        if starts {
            let j = i + b[i..].iter().take_while(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E')).count();
            out.push((i, j));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
enum Mutation {
    Number,
    DeleteLine,
    DuplicateLine,
    SwapLines,
    Truncate,
}

fn mutate(text: &str, rng: &mut Rng) -> (String, Vec<String>) {
    let mut text = text.to_owned();
    let mut done = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let m = match rng.below(10) {
            0..=5 => Mutation::Number,
            6 => Mutation::DeleteLine,
            7 => Mutation::DuplicateLine,
            8 => Mutation::SwapLines,
            _ => Mutation::Truncate,
        };
        let mut lines: Vec<&str> = text.lines().collect();
        let next = match m {
            Mutation::Number => {
                let spans = numbers(&text);
                if spans.is_empty() {
                    continue;
                }
                let (a, b) = spans[rng.below(spans.len())];
                let new = NUMBERS[rng.below(NUMBERS.len())];
                done.push(format!("{} → {new} at byte {a}", &text[a..b]));
                format!("{}{new}{}", &text[..a], &text[b..])
            }
            Mutation::DeleteLine => {
                let i = rng.below(lines.len());
                done.push(format!("delete line {}", i + 1));
                lines.remove(i);
                lines.join("\n")
            }
            Mutation::DuplicateLine => {
                let i = rng.below(lines.len());
                done.push(format!("duplicate line {}", i + 1));
                lines.insert(i, lines[i]);
                lines.join("\n")
            }
            Mutation::SwapLines => {
                let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                done.push(format!("swap lines {} and {}", i + 1, j + 1));
                lines.swap(i, j);
                lines.join("\n")
            }
            Mutation::Truncate => {
                let mut at = rng.below(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                done.push(format!("cut at byte {at}"));
                text[..at].to_owned()
            }
        };
        text = next;
    }
    (text, done)
}

/// Most visitors a valid mutant may bring for its day to be simulated too
/// (a valid scenario may be big; simulating it is then slow, not wrong).
const SIMULATED_VISITORS: f64 = 200.0;

/// Parses and prepares every variant, and simulates a valid small
/// baseline (validation must refuse what would make the simulation
/// panic); only that it returns matters. Returns (variants, valid, simulated).
fn validate_all(text: String) -> (usize, usize, usize) {
    let Ok(file) = ScenarioFile::parse(Path::new("fuzz.toml"), text) else { return (0, 0, 0) };
    let mut ok = 0;
    let mut simulated = 0;
    let variants = file.variant_ids();
    for (i, v) in variants.iter().enumerate() {
        match aisle::prepare(&file, v) {
            Ok(p) => {
                ok += 1;
                if i == 0 && p.scenario.population.daily_visitors <= SIMULATED_VISITORS {
                    let mut sim = aisle::sim::Simulation::new(p.scenario.clone(), p.store.clone(), 1);
                    sim.run_to_end(|_| {}, |_| {});
                    simulated += 1;
                }
            }
            // Messages are built too: they format every number.
            Err(e) => drop(e.to_string()),
        }
    }
    (variants.len(), ok, simulated)
}

#[test]
fn mutated_scenarios_never_panic_or_hang() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let original = std::fs::read_to_string(root.join("scenarios/tiny.toml")).unwrap();
    let mut rng = Rng(0x5eed_a15e);
    let started = Instant::now();
    let (mut parsed, mut valid, mut simulated) = (0, 0, 0);
    for case in 0..CASES {
        let (text, how) = mutate(&original, &mut rng);
        let (tx, rx) = mpsc::channel();
        let worker = std::thread::spawn(move || {
            let r = validate_all(text);
            let _ = tx.send(r);
        });
        match rx.recv_timeout(DEADLINE) {
            Ok((variants, ok, days)) => {
                simulated += days;
                parsed += usize::from(variants > 0);
                valid += usize::from(ok == variants && variants > 0);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("case {case} ({}) took over {DEADLINE:?}: validation loops", how.join("; "))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("case {case} ({}) panicked", how.join("; "))
            }
        }
        worker.join().unwrap();
    }
    eprintln!(
        "{CASES} mutated scenarios in {:.1} s: {parsed} parsed, {valid} valid in every variant, {simulated} simulated, no panic, no hang",
        started.elapsed().as_secs_f64()
    );
    // The mutations must reach the validator, not only the parser.
    assert!(parsed > CASES as usize / 3, "only {parsed} of {CASES} mutated files parsed");
}
