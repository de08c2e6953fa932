//! `docs/scenario-format.md` against the parser. Every field a scenario
//! file may hold must have a row in the reference, its dotted path in
//! backticks in the first column (`store.footprint`, `checkouts.service.base_s`,
//! `variants.edits.move_fixture.to`), and no row may name a field the
//! parser no longer accepts; every top-level table has a heading, every
//! enum value is named, every variant edit `op` has its own section whose
//! examples parse as that edit, and the worked service-counter example is
//! a valid counter of the tiny store.
//!
//! The fields are read off the serde types of `aisle::scenario::raw` with
//! serde-reflection, so a field added there fails this test until it is
//! documented. The one type serde-reflection cannot trace, the internally
//! tagged `RawEdit`, is read off the parser's own error messages instead
//! (`edit_fields`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use aisle::scenario::raw::{RawEdit, RawScenario, RawVariant};
use aisle::scenario::{BASELINE, ScenarioFile};
use serde_reflection::{ContainerFormat, Format, Named, Registry, Samples, Tracer, TracerConfig, VariantFormat};

const DOC: &str = "docs/scenario-format.md";

fn doc() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DOC);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the parser accepts, named as the reference names it.
#[derive(Default)]
struct Schema {
    /// Every field by dotted path, top-level tables included (`fixtures`).
    fields: BTreeSet<String>,
    /// The values of each enum, by type name (`Face`: back, front, left, right).
    enums: BTreeMap<String, BTreeSet<String>>,
    /// Where each table type is first found: `RawFixture` at `fixtures`.
    tables: BTreeMap<String, String>,
    /// Edit fields that take a whole table of a type found elsewhere, and
    /// that type (`variants.edits.add_fixture.fixture`: `RawFixture`).
    edit_tables: BTreeMap<String, String>,
    /// Paths whose format the trace left unknown.
    unknown: Vec<String>,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
}

impl Schema {
    /// The whole file format: the traced types, then the edits.
    fn of_parser() -> Schema {
        let registry = traced();
        let mut schema = Schema::default();
        schema.walk(&registry, &Format::TypeName("RawScenario".into()), "");
        // `RawEdit` is not traced (see `traced`): its sequence alone is unknown.
        assert_eq!(
            schema.unknown,
            ["variants.edits"],
            "the trace left these formats unknown; only `variants.edits` (RawEdit, read by `edit_fields`) may be"
        );
        schema.edit_fields();
        schema
    }

    fn walk(&mut self, registry: &Registry, format: &Format, path: &str) {
        match format {
            Format::Variable(v) => match &*v.borrow() {
                Some(f) => self.walk(registry, f, path),
                None => self.unknown.push(path.to_owned()),
            },
            Format::TypeName(name) => match registry.get(name) {
                Some(ContainerFormat::Struct(fields)) => {
                    self.tables.entry(name.clone()).or_insert_with(|| path.to_owned());
                    self.walk_fields(registry, fields, path);
                }
                Some(ContainerFormat::Enum(variants)) => {
                    for v in variants.values() {
                        self.enums.entry(name.clone()).or_default().insert(v.name.clone());
                        self.walk_variant(registry, &v.value, &join(path, &v.name));
                    }
                }
                Some(ContainerFormat::NewTypeStruct(f)) => self.walk(registry, f, path),
                Some(ContainerFormat::TupleStruct(fs)) => fs.iter().for_each(|f| self.walk(registry, f, path)),
                Some(ContainerFormat::UnitStruct) => {}
                None => panic!("`{name}` (at `{path}`) was named but not traced"),
            },
            Format::Option(f) | Format::Seq(f) => self.walk(registry, f, path),
            Format::TupleArray { content, .. } => self.walk(registry, content, path),
            Format::Tuple(fs) => fs.iter().for_each(|f| self.walk(registry, f, path)),
            // Keys are ids the file chooses (segment missions: category ids).
            Format::Map { value, .. } => self.walk(registry, value, &join(path, "<key>")),
            _ => {}
        }
    }

    fn walk_fields(&mut self, registry: &Registry, fields: &[Named<Format>], path: &str) {
        for f in fields {
            let p = join(path, &f.name);
            self.fields.insert(p.clone());
            self.walk(registry, &f.value, &p);
        }
    }

    /// An enum variant's content; the enums of the file format hold none,
    /// but a variant with fields would put them under `path.<variant>`.
    fn walk_variant(&mut self, registry: &Registry, variant: &VariantFormat, path: &str) {
        match variant {
            VariantFormat::Variable(v) => match &*v.borrow() {
                Some(v) => self.walk_variant(registry, v, path),
                None => self.unknown.push(path.to_owned()),
            },
            VariantFormat::Unit => {}
            VariantFormat::NewType(f) => self.walk(registry, f, path),
            VariantFormat::Tuple(fs) => fs.iter().for_each(|f| self.walk(registry, f, path)),
            VariantFormat::Struct(fields) => self.walk_fields(registry, fields, path),
        }
    }

    /// The edits of a variant, `variants.edits.<op>.<field>`, read off the
    /// parser's refusals: an unknown `op` is answered with the list of ops,
    /// an unknown field with the op's fields, and a field given `true` (or
    /// `[true]`, or `{ key = true }`) with the table type it takes, if any
    /// (`expected struct RawFixture`).
    fn edit_fields(&mut self) {
        self.fields.insert("variants.edits.op".into());
        for op in edit_ops() {
            let head = format!("op = \"{op}\"\n");
            let message = refusal(&format!("{head}{PROBE} = 1"));
            let fields = match message.strip_prefix(&format!("unknown field `{PROBE}`, ")) {
                Some("there are no fields") => Vec::new(),
                Some(_) => expected(&message),
                None => panic!("edit `{op}` with an unknown field: unexpected message {message:?}"),
            };
            for field in fields {
                let path = format!("variants.edits.{op}.{field}");
                for value in ["true", "[true]", "{ key = true }"] {
                    let message = refusal(&format!("{head}{field} = {value}"));
                    if let Some((_, rest)) = message.split_once("expected struct ") {
                        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        self.edit_tables.insert(path.clone(), name);
                    }
                }
                self.fields.insert(path);
            }
        }
    }
}

/// The enums of the file format. serde-reflection meets an enum inside a
/// list (`faces`, `checkouts.queue`) once, and so sees only its first
/// value; each is traced whole on its own first. One missing here fails
/// `Schema::of_parser`, which names it.
macro_rules! enums {
    ($($t:ident),* $(,)?) => {
        fn trace_enums(tracer: &mut Tracer) -> &'static [&'static str] {
            use aisle::scenario::raw::*;
            $(tracer.trace_simple_type::<$t>().unwrap_or_else(|e| panic!("tracing {}: {e}", stringify!($t)));)*
            &[$(stringify!($t)),*]
        }
    };
}

enums!(ConnectorKind, FixtureKind, ShelfLevel, Face, LaneKind, Direction, ServiceDistribution, Circulation, StoreKind);

/// `RawScenario` traced by deserialization, its enums whole.
///
/// `RawEdit` is an internally tagged enum (`op = "move_fixture"` among its
/// fields), which serde reads with `deserialize_any`: serde-reflection
/// cannot trace it. So every `RawVariant` is read from a sample recorded
/// with no edits, the trace never reaches `RawEdit`, `variants.edits` stays
/// a sequence of unknown format, and `Schema::edit_fields` reads the edits.
fn traced() -> Registry {
    let mut tracer = Tracer::new(TracerConfig::default().record_samples_for_structs(true));
    let mut samples = Samples::new();
    let variant = RawVariant { id: "v".into(), description: String::new(), edits: Vec::new() };
    tracer.trace_value(&mut samples, &variant).expect("a variant without edits serializes");
    let whole = trace_enums(&mut tracer);
    tracer.trace_type_once::<RawScenario>(&samples).unwrap_or_else(|e| panic!("tracing RawScenario: {e}"));
    let registry = tracer.registry_unchecked();
    let partial: Vec<&String> = registry
        .iter()
        .filter(|(name, f)| matches!(f, ContainerFormat::Enum(_)) && !whole.contains(&name.as_str()))
        .map(|(name, _)| name)
        .collect();
    assert!(partial.is_empty(), "add the enums {partial:?} to `enums!` in this test, so that every value is traced");
    registry
}

/// A field or op name no edit has.
const PROBE: &str = "zz_probe";

/// Why the parser refuses an edit written as the body of a TOML table
/// (serde's message); panics if it accepts it.
fn refusal(edit: &str) -> String {
    match toml::from_str::<RawEdit>(edit) {
        Ok(e) => panic!("the parser accepted the probe {edit:?} as {e:?}"),
        Err(e) => e.message().trim().to_owned(),
    }
}

/// The names in backticks that serde lists after "expected" in `message`
/// (`unknown field `x`, expected `a` or `b``).
fn expected(message: &str) -> Vec<String> {
    let (_, list) = message.split_once(", expected ").unwrap_or_else(|| panic!("no list in {message:?}"));
    list.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// Every `op` the parser knows, in declaration order.
fn edit_ops() -> Vec<String> {
    let message = refusal(&format!("op = \"{PROBE}\""));
    assert!(message.starts_with(&format!("unknown variant `{PROBE}`")), "unknown op: unexpected message {message:?}");
    expected(&message)
}

/// A Markdown table row's first cell, when it is one name in backticks.
fn row_name(line: &str) -> Option<&str> {
    let cell = line.strip_prefix('|')?.split('|').next()?.trim();
    let name = cell.strip_prefix('`')?.strip_suffix('`')?;
    (!name.contains('`')).then_some(name)
}

/// The paths of the reference's field rows: first cells that are a dotted
/// path in backticks (value tables, `gondola` or `eye`, have no dot), each
/// with its row.
fn documented_rows(doc: &str) -> BTreeMap<String, String> {
    doc.lines().filter_map(|l| row_name(l).filter(|n| n.contains('.')).map(|n| (n.to_owned(), l.to_owned()))).collect()
}

/// Headings of the form ``#### `op` ``: the sections of the variant edits.
fn op_heading(line: &str) -> Option<&str> {
    line.strip_prefix("#### `")?.strip_suffix('`')
}

#[test]
fn every_field_the_parser_accepts_has_a_row() {
    let doc = doc();
    let schema = Schema::of_parser();
    let rows = documented_rows(&doc);
    let mut problems = Vec::new();

    // Top-level tables are sections: `## `[[fixtures]]``.
    let headings: Vec<&str> = doc.lines().filter(|l| l.starts_with('#')).collect();
    for top in schema.fields.iter().filter(|f| !f.contains('.')) {
        if !headings.iter().any(|h| h.contains(&format!("[{top}]"))) {
            problems.push(format!("no heading names the table `[{top}]` (or `[[{top}]]`)"));
        }
    }
    for field in schema.fields.iter().filter(|f| f.contains('.')) {
        if !rows.contains_key(field) {
            problems.push(format!("no row for `{field}`"));
        }
    }
    for row in rows.keys().filter(|r| !schema.fields.contains(*r)) {
        problems.push(format!("row `{row}` names a field the parser does not accept (stale or misspelt)"));
    }
    // An edit that takes a whole table refers to the section of its fields.
    for (path, ty) in &schema.edit_tables {
        match schema.tables.get(ty) {
            None => problems.push(format!(
                "`{path}` takes a `{ty}`, a table found nowhere else in the file: document its fields and teach this test where"
            )),
            Some(section) => {
                let row = rows.get(path).map_or("", String::as_str);
                if !row.is_empty() && !row.contains(&format!("[[{section}]]")) && !row.contains(&format!("`{section}`")) {
                    problems.push(format!("the row of `{path}` should refer to `[[{section}]]`, whose fields it takes"));
                }
            }
        }
    }
    for (ty, values) in &schema.enums {
        for value in values {
            if !doc.contains(&format!("`{value}`")) && !doc.contains(&format!("`\"{value}\"`")) {
                problems.push(format!("the value `{value}` of `{ty}` is not named in backticks"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{DOC} is out of step with src/scenario/raw.rs ({} problems):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    // The trace and the probes must have found the format, not passed for finding nothing.
    for must in [
        "store.footprint",
        "checkouts.service.base_s",
        "population.segments.list_mean",
        "variants.edits.move_fixture.to",
    ] {
        assert!(schema.fields.contains(must), "the traced schema lacks `{must}`");
    }
    assert_eq!(schema.enums.get("Face").map(BTreeSet::len), Some(4), "every value of an enum in a list is traced");
    assert_eq!(
        schema.edit_tables.get("variants.edits.add_fixture.fixture").map(String::as_str),
        Some("RawFixture"),
        "the probes find the table an edit field takes"
    );
}

#[test]
fn every_edit_op_has_a_section_whose_examples_parse_as_that_edit() {
    let doc = doc();
    let ops = edit_ops();
    let mut problems = Vec::new();
    let mut examples: BTreeMap<String, usize> = BTreeMap::new();
    let mut section: Option<String> = None;
    for (i, line) in doc.lines().enumerate() {
        if line.starts_with('#') {
            section = op_heading(line).map(str::to_owned);
            if let Some(op) = &section {
                examples.entry(op.clone()).or_default();
                if !ops.contains(op) {
                    problems.push(format!("line {}: section `{op}` is no edit the parser knows", i + 1));
                }
            }
            continue;
        }
        let Some(op) = &section else { continue };
        if !line.trim_start().starts_with("{ op = ") {
            continue;
        }
        // An example is one edit, an inline table as written in `edits = [...]`.
        let parsed = toml::from_str::<toml::Table>(&format!("edit = {}", line.trim()))
            .map_err(|e| e.message().to_owned())
            .and_then(|mut t| t.remove("edit").unwrap().try_into::<RawEdit>().map_err(|e| e.message().to_owned()));
        match parsed {
            Ok(edit) if edit.op() == op => *examples.get_mut(op).unwrap() += 1,
            Ok(edit) => problems.push(format!("line {}: an example of `{}` under `{op}`", i + 1, edit.op())),
            Err(e) => problems.push(format!("line {}: the example of `{op}` does not parse: {e}", i + 1)),
        }
    }
    for op in &ops {
        match examples.get(op) {
            None => problems.push(format!("no section ``#### `{op}` `` for the edit `{op}`")),
            Some(0) => problems.push(format!("section `{op}` has no example line `{{ op = \"{op}\", ... }}`")),
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{DOC}: the variant edits are out of step with RawEdit:\n  {}", problems.join("\n  "));
}

#[test]
fn the_worked_counter_example_is_a_valid_counter_of_the_tiny_store() {
    let doc = doc();
    let start = doc.find("Worked example: a service counter").expect("the worked service-counter example");
    let block = doc[start..].split("```toml\n").nth(1).and_then(|b| b.split("```").next()).expect("its TOML block");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny.toml");
    let source = std::fs::read_to_string(&path).unwrap() + "\n" + block;
    let file = ScenarioFile::parse(&path, source).unwrap_or_else(|e| panic!("{e}"));
    let prepared = aisle::prepare(&file, BASELINE).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(prepared.scenario.counters.len(), 1, "the example adds one counter");
    for variant in file.variant_ids() {
        aisle::prepare(&file, &variant).unwrap_or_else(|e| panic!("variant `{variant}`: {e}"));
    }
}
