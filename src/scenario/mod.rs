//! Scenario files: parse (TOML → raw serde types), apply a variant's edits,
//! validate (raw → typed model). Geometry that needs the navigation grid
//! (reachability, walkable points) is checked by `store`.

pub mod edit;
pub mod error;
pub mod model;
pub mod raw;
mod validate;
pub mod walkway;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use error::{Problem, ScenarioError};
pub use model::*;
use raw::{RawEdit, RawScenario};

/// The largest `run.memory_limit_mib` a scenario may set.
pub const MAX_MEMORY_LIMIT_MIB: f64 = 65536.0;
/// `run.memory_limit_mib` where the file sets none.
pub const DEFAULT_MEMORY_LIMIT_MIB: f64 = 64.0;

/// A scenario file read and parsed, not yet validated.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    pub path: PathBuf,
    pub source: String,
    pub raw: RawScenario,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// The field of a variant edit that a deserialising error at `path`
/// ("variants[2].edits[0]") is about. An edit's kind is told by its `op`,
/// and serde reads such a table whole before the fields, so its errors
/// name the edit but not the field ("invalid type: string \"two\",
/// expected a number"): the field is the one whose removal turns the
/// error into its absence or cures it, or none; with where its value
/// begins in `source`.
fn edit_field_at_fault(source: &str, path: &str) -> Option<(String, usize)> {
    let (variant, edit) = path.strip_prefix("variants[")?.split_once("].edits[")?;
    let (variant, edit): (usize, usize) = (variant.parse().ok()?, edit.strip_suffix(']')?.parse().ok()?);
    let doc: toml::Table = toml::from_str(source).ok()?;
    let table = doc.get("variants")?.as_array()?.get(variant)?.get("edits")?.as_array()?.get(edit)?.as_table()?;
    let reads = |t: toml::Table| -> Result<RawEdit, String> {
        toml::Value::Table(t).try_into::<RawEdit>().map_err(|e| e.message().to_owned())
    };
    // A missing or unknown field, or an unknown `op`, is named already.
    let error = reads(table.clone()).err()?;
    let op = table.get("op").and_then(|v| v.as_str()).unwrap_or_default();
    if ["missing field", "unknown field"].iter().any(|m| error.starts_with(m))
        || error.starts_with(&format!("unknown variant `{op}`"))
    {
        return None;
    }
    let key = table.keys().filter(|k| *k != "op").find(|key| {
        let mut without = table.clone();
        without.remove(*key);
        match reads(without) {
            Ok(_) => true,
            Err(message) => message.contains(&format!("missing field `{key}`")),
        }
    })?;
    let offset = edit_offset(source, path, Some(key), "").unwrap_or(0);
    // Inside a table the edit carries (`add_fixture`'s `fixture`), the
    // field at fault is found the same way: "edits[0].fixture: expected a
    // number" never said `height`.
    // (Not a table keyed by kind, `stops`: its key is the fault, said so below.)
    let keyed_by_kind = error.starts_with("unknown variant");
    let inner = table.get(key).and_then(|v| v.as_table()).filter(|_| !keyed_by_kind).and_then(|t| {
        t.keys().find(|inner| {
            let mut without = t.clone();
            without.remove(*inner);
            let mut edit = table.clone();
            edit.insert(key.clone(), toml::Value::Table(without));
            match reads(edit) {
                Ok(_) => true,
                Err(message) => message.contains(&format!("missing field `{inner}`")),
            }
        })
    });
    match inner {
        Some(inner) => Some((format!("{key}.{inner}"), offset)),
        None => Some((key.clone(), offset)),
    }
}

/// Where edit `edit` of variant `variant` (numbered as in a serde path,
/// "variants[2].edits[0]") begins in `source`: at `key`'s value if given
/// and present, else at the key named by an "unknown field" `message`,
/// else at the edit itself. The deserialiser places every error in an
/// edit at the `edits = [` line, since it reads the table whole.
fn edit_offset(source: &str, path: &str, key: Option<&str>, message: &str) -> Option<usize> {
    use toml::Spanned;
    use toml::de::{DeTable, DeValue};
    fn field<'i>(t: &DeTable<'i>, name: &str) -> Option<(Spanned<std::borrow::Cow<'i, str>>, Spanned<DeValue<'i>>)> {
        t.iter().find(|(k, _)| k.get_ref().as_ref() == name).map(|(k, v)| (k.clone(), v.clone()))
    }
    fn item<'i>(v: &Spanned<DeValue<'i>>, k: usize) -> Option<Spanned<DeValue<'i>>> {
        match v.get_ref() {
            DeValue::Array(items) => items.get(k).cloned(),
            _ => None,
        }
    }
    fn table<'i>(v: &Spanned<DeValue<'i>>) -> Option<DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t.clone()),
            _ => None,
        }
    }
    let (variant, edit) = path.strip_prefix("variants[")?.split_once("].edits[")?;
    let (variant, edit): (usize, usize) = (variant.parse().ok()?, edit.strip_suffix(']')?.parse().ok()?);
    let doc = DeTable::parse(source).ok()?;
    let variant = table(&item(&field(doc.get_ref(), "variants")?.1, variant)?)?;
    let spanned = item(&field(&variant, "edits")?.1, edit)?;
    let edit = table(&spanned)?;
    let unknown = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next());
    let found = match (key, unknown) {
        (Some(key), _) => field(&edit, key).map(|(_, value)| value.span().start),
        (None, Some(unknown)) => field(&edit, unknown).map(|(key, _)| key.span().start),
        (None, None) => None,
    };
    Some(found.unwrap_or(spanned.span().start))
}

impl ScenarioFile {
    pub fn read(path: &Path) -> Result<Self, ScenarioError> {
        let bytes = std::fs::read(path).map_err(|source| ScenarioError::Io { path: path.to_owned(), source })?;
        let source = String::from_utf8(bytes).map_err(|e| {
            // Where the text stops being UTF-8, as a syntax error is placed.
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = std::str::from_utf8(valid).expect("valid up to here");
            let (line, column) = error::line_column(text, text.len());
            let message = "not UTF-8 text here: save the file as UTF-8".to_owned();
            ScenarioError::Syntax { path: path.to_owned(), line, column, message }
        })?;
        Self::parse(path, source)
    }

    /// Parses `source` as if read from `path` (the path only labels errors).
    pub fn parse(path: &Path, source: String) -> Result<Self, ScenarioError> {
        let syntax = |offset: usize, message: String| {
            let (line, column) = error::line_column(&source, offset);
            ScenarioError::Syntax { path: path.to_owned(), line, column, message }
        };
        let de = match toml::Deserializer::parse(&source) {
            Ok(de) => de,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_owned();
                // The parser's words ("duplicate key") may not name what they are about: the text at the span does.
                let at = source.get(span.clone()).map(str::trim).filter(|t| !t.is_empty() && !t.contains('\n'));
                let message = match at {
                    Some(text) if !message.contains(text) => format!("{message} `{text}`"),
                    _ => message,
                };
                return Err(syntax(span.start, error::duplicate_key_in_words(&message)));
            }
        };
        // Nothing but blank lines and comments: "missing field `scenario`"
        // would send the reader looking for one field.
        if source.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
            return Err(syntax(
                0,
                "the file holds no scenario (it is empty): a scenario starts with `[scenario]` and its `name`; \
                 scenarios/tiny.toml is a small one to start from"
                    .to_owned(),
            ));
        }
        let raw: RawScenario = match serde_path_to_error::deserialize(de) {
            Ok(raw) => raw,
            Err(e) => {
                let mut field = e.path().to_string();
                let inner = e.into_inner();
                let mut offset = inner.span().map_or(0, |s| s.start);
                if let Some((key, at)) = edit_field_at_fault(&source, &field) {
                    (offset, field) = (at, format!("{field}.{key}"));
                } else if let Some(at) = edit_offset(&source, &field, None, inner.message()) {
                    offset = at;
                }
                let (shaped, mut message) = error::shape_in_words(&field, &in_words(inner.message().trim(), &field));
                field = shaped;
                // A key of a segment's `stops` (a table keyed by fixture
                // kind) that is no kind: serde ends the path in `?` and lists
                // every kind, though only two are stops.
                let table = field.strip_suffix(".?").unwrap_or(&field).to_owned();
                if table.ends_with(".stops") && message.starts_with("unknown variant") {
                    let key = message.split('`').nth(1).unwrap_or_default().to_owned();
                    field = table;
                    message = format!("unknown key `{key}`: {}", validate::STOPS_ARE);
                }
                let message = if field == "." { message } else { format!("{field}: {}", top_level_hint(message)) };
                return Err(syntax(offset, message));
            }
        };
        let sha256 = hex(&Sha256::digest(source.as_bytes()));
        Ok(ScenarioFile { path: path.to_owned(), source, raw, sha256 })
    }

    /// Edits that change nothing (`set_price` to the price it has, a
    /// fixture moved to where it stands), warned of: a variant meant to
    /// differ would compare as an A/A under another name.
    /// Each as (variant, warning).
    pub fn idle_edits(&self) -> Vec<(String, String)> {
        let mut found = Vec::new();
        let base = self.build(BASELINE).ok();
        for v in &self.raw.variants {
            let idle = edit::changing_nothing(&self.raw, &v.edits);
            for &i in &idle {
                let warning = format!(
                    "variant `{}`: edit {} ({}) changes nothing: what it sets is so already; give it the value meant, \
                     or remove it",
                    v.id,
                    i + 1,
                    v.edits[i].op()
                );
                found.push((v.id.clone(), warning));
            }
            // Edits that each change the file but, taken together, not the
            // store: a price below a cent, a lane's hours set to the
            // store's it had, a fixture moved and moved back.
            let built = self.build(&v.id).ok();
            if let Some(model) = &built {
                found.extend(unmet_edits(v, model).into_iter().map(|w| (v.id.clone(), w)));
            }
            let as_base = base.as_ref().zip(built).is_some_and(|(b, mut built)| {
                built.variant.clone_from(&b.variant);
                built == *b
            });
            if as_base && idle.len() < v.edits.len() {
                let warning = format!(
                    "variant `{}` changes nothing in effect: with its edits applied the store is the baseline's \
                     (prices are kept in whole cents, a lane's hours are the store's unless set, `cv` is no \
                     exponential's, edits may undo each other); give them the values meant, or remove the variant",
                    v.id
                );
                found.push((v.id.clone(), warning));
            }
        }
        found
    }

    /// Prices, the base's and those edits set, that are no whole number of
    /// cents (kept in cents, they sell at another price), warned of.
    pub fn prices_off_the_cent(&self) -> Vec<String> {
        validate::prices_off_the_cent(&self.raw)
    }

    /// Variants that set prices, told that shoppers do not answer prices:
    /// what they plan, notice and buy is drawn from popularity and appeal,
    /// so a dearer product sells as often and takes more each time.
    pub(crate) fn price_edits(&self) -> Vec<String> {
        self.raw
            .variants
            .iter()
            .filter_map(|v| {
                let mut products: Vec<String> = Vec::new();
                for e in &v.edits {
                    if let RawEdit::SetPrice { product, .. } = e {
                        let named = format!("`{product}`");
                        // A product priced twice is named once.
                        if !products.contains(&named) {
                            products.push(named);
                        }
                    }
                }
                (!products.is_empty()).then(|| {
                    format!(
                        "variant `{}`: set_price changes what each sale of {} takes, not how often it sells: shoppers \
                         do not answer prices (what they buy follows popularity and appeal), so a comparison measures \
                         revenue at unchanged demand",
                        v.id,
                        products.join(", ")
                    )
                })
            })
            .collect()
    }

    /// A note per variant whose edits change who comes (the arrival plan's
    /// inputs, `RawPopulation::arrival_inputs`; the edits that can are
    /// `RawEdit::changes_who_comes`): common random numbers pair its days
    /// with the baseline's less closely, and its differences hold who
    /// walked in as well as the layout. An edit that sets what was there
    /// already changes nobody.
    pub fn visitor_notes(&self) -> Vec<(String, String)> {
        let base = self.raw.population.arrival_inputs();
        self.raw
            .variants
            .iter()
            .filter_map(|v| {
                let mut ops: Vec<&str> = v.edits.iter().filter(|e| e.changes_who_comes()).map(|e| e.op()).collect();
                ops.dedup();
                let changed = edit::apply(&self.raw, &v.edits)
                    .map_or(!ops.is_empty(), |edited| edited.population.arrival_inputs() != base);
                (changed && !ops.is_empty()).then(|| {
                    let note = format!(
                        "`{}` changes who comes ({}): its days are not the baseline's shoppers day for day, so its \
                         differences hold who walked in as well as the layout, and pair less closely",
                        v.id,
                        ops.join(", ")
                    );
                    (v.id.clone(), note)
                })
            })
            .collect()
    }

    /// Each variant in a line, for `aisle validate`: its id, its edits by
    /// kind (in file order, with how many of each) and its description:
    /// "`close-two-lanes`: close_lane ×2 — Staffed lanes L2 and L3 closed …".
    pub fn variant_lines(&self) -> Vec<String> {
        self.raw
            .variants
            .iter()
            .map(|v| {
                let kinds = edit::kinds(&v.edits);
                let edits = match kinds.is_empty() {
                    true => "no edits".to_owned(),
                    false => (kinds.iter())
                        .map(|&(k, n)| if n == 1 { k.to_owned() } else { format!("{k} ×{n}") })
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                match v.description.trim() {
                    "" => format!("`{}`: {edits}", v.id),
                    about => format!("`{}`: {edits} — {about}", v.id),
                }
            })
            .collect()
    }

    /// `baseline` followed by the variants in file order.
    pub fn variant_ids(&self) -> Vec<String> {
        std::iter::once(BASELINE.to_owned()).chain(self.raw.variants.iter().map(|v| v.id.clone())).collect()
    }

    /// The validated model of the base layout (`baseline`) or a variant.
    pub fn build(&self, variant: &str) -> Result<Scenario, ScenarioError> {
        let invalid = |problems| ScenarioError::Invalid { path: self.path.clone(), problems };
        if let Some(problems) = self.variant_list_problems() {
            return Err(invalid(problems));
        }
        if variant == BASELINE {
            return validate::validate(&self.raw, &self.source, None, &self.sha256).map_err(invalid);
        }
        let Some(v) = self.raw.variants.iter().find(|v| v.id == variant) else {
            return Err(ScenarioError::UnknownVariant {
                path: self.path.clone(),
                variant: variant.to_owned(),
                known: self.variant_ids(),
            });
        };
        let edited = edit::apply(&self.raw, &v.edits).map_err(|errors| {
            let problem = |e: edit::EditError| Problem {
                variant: Some(v.id.clone()),
                line: error::edit_op_line(&self.source, &v.id, e.index, e.op),
                message: e.to_string(),
            };
            invalid(errors.into_iter().map(problem).collect())
        })?;
        validate::validate(&edited, &self.source, Some(&v.id), &self.sha256).map_err(|problems| {
            // Only where the base is valid did the edits make them (`aisle
            // run --variant` prepares a variant of a file not validated whole).
            // One the base has too is the base's, told at its own line.
            let base = validate::validate(&self.raw, &self.source, None, &self.sha256);
            let made_by = |edits: &[raw::RawEdit]| match self.build_with_edits(v, edits) {
                Some(Err(problems)) => problems.into_iter().map(|p| p.message).collect(),
                _ => Vec::new(),
            };
            invalid(
                problems
                    .into_iter()
                    .map(|p| match &base {
                        Ok(_) => self.blamed_on_edits(v, p, &made_by),
                        Err(base) => base.iter().find(|b| b.message == p.message).cloned().unwrap_or(p),
                    })
                    .collect(),
            )
        })
    }

    /// A problem of a variant's model (of a valid base, so its edits
    /// made it) that points at no line of its own, or at the variant's
    /// `id`, named as the edits' doing, at the edit when there is one:
    /// "segment shares sum to 1.300 … make the segments' `share` values
    /// add up to 1" sent the reader to the base's segments.
    pub(crate) fn blamed_on_edits(
        &self,
        v: &raw::RawVariant,
        mut p: Problem,
        made_by: &dyn Fn(&[raw::RawEdit]) -> Vec<String>,
    ) -> Problem {
        let id_line = error::line_of(&self.source, "variants.id", &v.id);
        // A problem put at an edit's line is put there for the id it names,
        // at the first edit naming it: one made by a later edit of the
        // same fixture or product was blamed on the first (a move of `P1`
        // for the level a later edit stocked on it).
        let edit_lines: Vec<Option<usize>> =
            v.edits.iter().enumerate().map(|(k, e)| error::edit_op_line(&self.source, &v.id, k, e.op())).collect();
        let at_edit = p.line.is_some() && p.line != id_line;
        if v.edits.is_empty() || at_edit && !edit_lines.contains(&p.line) {
            return p;
        }
        // The edit after which the problem first appears (the base, valid,
        // has none): "(set_price, set_shares)" blamed a price for shares
        // that do not add up.
        let first = (1..=v.edits.len()).find(|&k| made_by(&v.edits[..k]).contains(&p.message));
        let edits = match first {
            // Put at the edit that makes it already.
            Some(k) if at_edit && edit_lines[k - 1] == p.line => return p,
            Some(k) => {
                let op = v.edits[k - 1].op();
                p.line = edit_lines[k - 1].or(p.line);
                if v.edits.len() == 1 {
                    format!("edit `{op}`: change it")
                } else if made_by(&v.edits[k - 1..k]).contains(&p.message) {
                    format!("edit {k} (`{op}`): change it")
                } else {
                    // Four connectors removed cut a floor off together.
                    format!("edit {k} (`{op}`) with those before it: change them")
                }
            }
            _ => {
                // Each kind once: four `remove_connector` read as one.
                let ops: Vec<&str> = edit::kinds(&v.edits).into_iter().map(|(op, _)| op).collect();
                format!("edits ({}): change them", ops.join(", "))
            }
        };
        p.message = format!("{} (made by the variant's {edits} to avoid this)", p.message);
        p
    }

    /// The model of the base with `edits` (some of variant `v`'s) applied,
    /// or its problems; `None` where the edits do not apply.
    pub(crate) fn build_with_edits(
        &self,
        v: &raw::RawVariant,
        edits: &[raw::RawEdit],
    ) -> Option<Result<Scenario, Vec<Problem>>> {
        let edited = edit::apply(&self.raw, edits).ok()?;
        Some(validate::validate(&edited, &self.source, Some(&v.id), &self.sha256))
    }

    /// Problems with the names that become paths (the scenario name, variant ids).
    fn variant_list_problems(&self) -> Option<Vec<Problem>> {
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let name = &self.raw.scenario.name;
        let name_problem = path_id_problem(name).map(|why| Problem {
            variant: None,
            line: error::line_of(&self.source, "scenario.name", name),
            message: format!(
                "scenario name `{}` {why} (it names the default output directory, output/<name>)",
                shown_id(name)
            ),
        });
        let variants = &self.raw.variants;
        let problems: Vec<Problem> = name_problem
            .into_iter()
            .chain(variants.iter().enumerate().filter_map(|(k, v)| {
                // Ids name directories: on a file system that ignores case
                // (macOS, Windows) two that differ only in case are one.
                let same_but_case = |other: &str| other != v.id && other.eq_ignore_ascii_case(&v.id);
                let message = if v.id == BASELINE {
                    format!("variant id `{BASELINE}` is reserved for the unedited layout; rename it")
                } else if let Some(why) = path_id_problem(&v.id) {
                    format!("variant id `{}` {why} (it names a directory)", shown_id(&v.id))
                } else if let Some(other) = std::iter::once(BASELINE)
                    .chain(variants[..k].iter().map(|w| w.id.as_str()))
                    .find(|o| same_but_case(o))
                {
                    format!(
                        "variant id `{}` differs from `{other}` only in case: on a file system that ignores case both \
                         name one directory; rename it",
                        v.id
                    )
                } else {
                    // A duplicate points at itself and names the first.
                    let before = seen.entry(v.id.as_str()).or_insert(0);
                    *before += 1;
                    if *before == 1 {
                        return None;
                    }
                    let (line, first) = error::repeated_at(&self.source, "variants.id", &v.id, *before - 1);
                    let message = format!("variant id `{}` is used more than once{first}", v.id);
                    return Some(Problem { variant: None, line, message });
                };
                Some(Problem { variant: None, line: error::line_of(&self.source, "variants.id", &v.id), message })
            }))
            .collect();
        (!problems.is_empty()).then_some(problems)
    }
}

/// The longest scenario name or variant id: each names a directory.
pub const MAX_PATH_ID: usize = 64;

/// What is wrong with an id that becomes a path component, if anything:
/// only letters, digits, `-` and `_` (no separators, no `..`, no control
/// characters), at most `MAX_PATH_ID` characters.
pub fn path_id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        Some("is empty".into())
    } else if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Some("may hold only letters, digits, `-` and `_`".into())
    } else if id.len() > MAX_PATH_ID {
        Some(format!("is {} characters long; at most {MAX_PATH_ID} are allowed", id.len()))
    } else {
        None
    }
}

/// An id as it may be shown on a terminal: escaped, and cut short.
pub fn shown_id(id: &str) -> String {
    let cut: String = id.chars().take(40).collect();
    let escaped: String = cut.escape_debug().collect();
    if cut.len() < id.len() { format!("{escaped}…") } else { escaped }
}

/// `n` and its noun, singular for one: "1 floor", "2 floors".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The parser's Rust type names in a user's words: "expected f64" is
/// "expected a number", "expected u16" a whole number. A whole number's
/// bounds are the field's, not its type's (a rotation is 0 to 3, not 0 to
/// 255): the format's table gives them (`documented_range`), else the
/// message points to where they are written.
/// An unknown field of a table that is a key of the file's: a top-level
/// array written after a table header, which TOML reads as that table's
/// (the trap the format's docs describe; the message gave no way out).
fn top_level_hint(message: String) -> String {
    let Some(key) = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next()) else {
        return message;
    };
    // The file's own keys, as serde lists them for a key it does not know.
    let probe = toml::from_str::<RawScenario>("aisle_probe = 0").err().map(|e| e.message().to_owned());
    if !probe.is_some_and(|known| known.contains(&format!("`{key}`"))) {
        return message;
    }
    format!(
        "{message}; `{key}` is a key of the file's, read here as this table's because in TOML a key belongs to the \
         last table header above it: write `{key}` before the first table header (`[scenario]`), or as a \
         table of its own (`[[{key}]]` for a list)"
    )
}

fn in_words(message: &str, field: &str) -> String {
    let whole = documented_range(field).map_or_else(
        || "expected a whole number (its bounds: docs/scenario-format.md)".to_owned(),
        |range| format!("expected a whole number (valid: {range})"),
    );
    let types: [(&str, &str); 9] = [
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected u8", &whole),
        ("expected u16", &whole),
        ("expected u32", &whole),
        ("expected u64", &whole),
        ("expected usize", &whole),
        ("expected i64", &whole),
        ("expected i32", &whole),
    ];
    // "integer `99999999999999999999` as i128": the width it was read at.
    let message =
        [" as i128", " as u128", " as i64", " as u64"].iter().fold(message.to_owned(), |m, w| m.replace(w, ""));
    types
        .iter()
        .find(|(rust, _)| message.ends_with(rust))
        .map_or_else(|| message.clone(), |(rust, words)| format!("{}{words}", &message[..message.len() - rust.len()]))
}

/// The valid range the scenario format's table gives `field`
/// (`fixtures[3].rotation`: the row of `fixtures.rotation`, "0..3").
fn documented_range(field: &str) -> Option<&'static str> {
    const FORMAT: &str = include_str!("../../docs/scenario-format.md");
    let mut key = String::new();
    let mut in_index = false;
    for c in field.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            c if !in_index => key.push(c),
            _ => {}
        }
    }
    let range = |line: &'static str| line.split(" | ").nth(4).map(str::trim).filter(|range| !range.is_empty());
    let row = format!("| `{key}` |");
    if let Some(line) = FORMAT.lines().find(|line| line.starts_with(&row)) {
        return range(line);
    }
    // A variant's edit is read whole, so its path has no op
    // (`variants.edits.facings`): the edits' rows of that field, where
    // they agree.
    let last = key.strip_prefix("variants.edits.")?;
    let mut ranges = FORMAT
        .lines()
        .filter(|line| line.starts_with("| `variants.edits.") && line.contains(&format!(".{last}` |")))
        .filter_map(range);
    let first = ranges.next()?;
    ranges.all(|r| r == first).then_some(first)
}

/// Edits of variant `v` that change its model but nothing its shoppers
/// meet (`model`, the variant built), in words: a segment's traits set
/// where its share is 0 (nobody of it comes), its step-free travel set in a
/// store with no connector to avoid. (Compare said so only after the days
/// were simulated: every figure equal to the baseline's.)
fn unmet_edits(v: &raw::RawVariant, model: &Scenario) -> Vec<String> {
    let mut found = Vec::new();
    for (k, e) in v.edits.iter().enumerate() {
        let raw::RawEdit::SetSegment { segment, step_free, .. } = e else { continue };
        let Some(g) = model.population.segments.iter().find(|g| &g.id == segment) else { continue };
        let (why, fix) = if g.share == 0.0 {
            (format!("segment `{segment}` has share 0 in this variant: nobody of it comes"), "give the segment a share")
        } else if step_free.is_some() && model.store.connectors.is_empty() {
            (
                format!(
                    "the store has no stairs, escalators or lifts, so `step_free` for `{segment}` changes no way taken"
                ),
                "leave `step_free` out",
            )
        } else {
            continue;
        };
        found.push(format!(
            "variant `{}`: edit {} (set_segment) changes nothing shoppers meet: {why}; {fix}, or remove the edit",
            v.id,
            k + 1
        ));
    }
    found
}
