//! Errors a scenario file can produce, each pointing at where to fix it.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a scenario, in words a merchandiser can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The variant whose edited layout has the problem; `None` for the base.
    pub variant: Option<String>,
    /// 1-based line in the file the problem is anchored to, when known.
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{}: cannot read the scenario file: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// The file is not valid TOML or a value has the wrong type or name.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax { path: PathBuf, line: usize, column: usize, message: String },
    /// The file parses but describes an impossible or inconsistent store.
    #[error("{}", render_problems(path, problems))]
    Invalid { path: PathBuf, problems: Vec<Problem> },
    // The variant comes from the command line: shown escaped and cut short.
    #[error("{}: no variant `{}`; this scenario has: {}", path.display(), super::shown_id(variant), known.join(", "))]
    UnknownVariant { path: PathBuf, variant: String, known: Vec<String> },
}

fn render_problems(path: &std::path::Path, problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&p.render(path));
    }
    out
}

impl Problem {
    pub fn render(&self, path: &std::path::Path) -> String {
        let place = match self.line {
            Some(line) => format!("{}:{line}", path.display()),
            None => format!("{}", path.display()),
        };
        // An id may hold control characters (`"G1\u001b[2J"`): shown
        // escaped, they cannot retitle or clear the reader's terminal.
        let message = escape_controls(&self.message);
        match &self.variant {
            Some(v) => format!("{place}: variant `{v}`: {message}"),
            None => format!("{place}: {message}"),
        }
    }
}

/// `text` with its control characters escaped (`\u{1b}`).
fn escape_controls(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect()
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Finds the line that declares `key = "value"` (the first one), so that a
/// semantic problem about an id points at where that id is written. `key`
/// may name its table, `fixtures.id`, to match only inside `[[fixtures]]`.
pub fn line_of(source: &str, key: &str, value: &str) -> Option<usize> {
    lines_of(source, key, value).next()
}

/// Every line that declares `key = "value"`, in order (see `line_of`): a
/// duplicate id points at its second declaration, not at its first.
fn lines_of<'s>(source: &'s str, key: &'s str, value: &str) -> impl Iterator<Item = usize> + 's {
    let (section, key) = match key.rsplit_once('.') {
        Some((section, key)) => (Some(section), key),
        None => (None, key),
    };
    let value = value.to_owned();
    settings(source, section, key, move |v| leading_string(v).is_some_and(|s| s == value))
}

/// The TOML string a setting's value opens with, decoded: `"nuts"`,
/// `'nuts'` and `"nu\u0074s"` all declare `nuts` (a problem about an id
/// written so had no line).
fn leading_string(v: &str) -> Option<String> {
    let quote = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    // A string of one line in triple quotes (`"""nuts"""`).
    let triple = quote.to_string().repeat(3);
    if let Some(rest) = v.strip_prefix(&triple) {
        let end = rest.find(&triple)? + 2 * triple.len();
        let table: toml::Table = toml::from_str(&format!("s = {}", &v[..end])).ok()?;
        return table.get("s")?.as_str().map(str::to_owned);
    }
    let mut escaped = false;
    let end = v[1..].char_indices().find_map(|(i, c)| {
        let closes = c == quote && !escaped;
        escaped = quote == '"' && c == '\\' && !escaped;
        closes.then_some(i + 2)
    })?;
    let table: toml::Table = toml::from_str(&format!("s = {}", &v[..end])).ok()?;
    table.get("s")?.as_str().map(str::to_owned)
}

/// Where the `repeat`-th repeat (1: the second declaration) of
/// `key = "value"` is, and what to add to its message: where the first is.
/// A duplicate id points at the declaration to rename, not at the first.
pub fn repeated_at(source: &str, key: &str, value: &str, repeat: usize) -> (Option<usize>, String) {
    let mut lines = lines_of(source, key, value);
    let first = lines.next();
    let this = lines.nth(repeat - 1);
    (this.or(first), first.map(|l| format!(" (first at line {l})")).unwrap_or_default())
}

/// The 1-based line of the first `key = value` inside table `section` (any
/// table when `None`) whose value (the text after `=`) `value` accepts.
fn first_setting(source: &str, section: Option<&str>, key: &str, value: impl Fn(&str) -> bool) -> Option<usize> {
    settings(source, section, key, value).next()
}

/// The 1-based lines of every `key = value` of `first_setting`, in order.
fn settings<'s>(
    source: &'s str,
    section: Option<&'s str>,
    key: &'s str,
    value: impl Fn(&str) -> bool + 's,
) -> impl Iterator<Item = usize> + 's {
    let mut table = "";
    // The list of inline tables being read (`products = [` under no
    // table: `products`), where entries are written `{ id = "nuts", … }`.
    let mut inline: Option<String> = None;
    let keys = [key.to_owned(), format!("\"{key}\""), format!("'{key}'")];
    // `text` setting the key (bare or quoted: `"product" = …`) to a value `value` accepts.
    let sets = move |text: &str| {
        let after_key = keys.iter().find_map(|k| text.strip_prefix(k.as_str()));
        let set_to = after_key.and_then(|rest| rest.trim_start().strip_prefix('='));
        set_to.is_some_and(|v| value(v.trim_start()))
    };
    source.lines().enumerate().filter_map(move |(i, line)| {
        let trimmed = line.trim();
        if trimmed.starts_with(']') {
            inline = None;
        }
        if trimmed.starts_with('[') {
            table = trimmed.trim_start_matches('[').split(']').next().unwrap_or("").trim();
            inline = None;
            return None;
        }
        if let Some((name, rest)) = trimmed.split_once('=')
            && rest.trim_start().starts_with('[')
            && !name.trim().is_empty()
            && !name.contains(['{', ','])
        {
            let name = name.trim();
            inline = Some(if table.is_empty() { name.to_owned() } else { format!("{table}.{name}") });
        }
        let in_list = inline.as_deref().is_some_and(|l| section.is_none_or(|s| s == l));
        // An entry of an inline list: the key after its `{` or a `,`.
        if in_list && trimmed.split(['{', ',']).skip(1).any(|part| sets(part.trim_start())) {
            return Some(i + 1);
        }
        if section.is_some_and(|s| s != table) {
            return None;
        }
        sets(trimmed).then_some(i + 1)
    })
}

/// The line a problem points at: a variant's problem at the variant (its
/// edits are where to fix it); else the line declaring the id it is about
/// (`anchor`: key and id, as `line_of` takes them); else, for a problem
/// that opens with the field it is about ("population.hours ..."), the
/// line setting that field.
pub fn problem_line(source: &str, variant: Option<&str>, anchor: Option<(&str, &str)>, message: &str) -> Option<usize> {
    if let Some(v) = variant {
        let id_line = line_of(source, "variants.id", v)?;
        return Some(edit_line(source, id_line, v, message).unwrap_or(id_line));
    }
    // The field the message opens with, else the first other it names that
    // the file sets (a memory limit left at its default: the cell size).
    let opens_with = message.split_whitespace().next().filter(|w| w.contains('.'));
    let named = message
        .split_whitespace()
        .skip(1)
        .map(|w| w.trim_start_matches('(').trim_end_matches([',', ';', ':', ')']))
        .filter(|w| w.contains('.') && w.starts_with(|c: char| c.is_ascii_alphabetic()));
    match anchor {
        Some((key, id)) => line_of(source, key, id),
        None => opens_with.into_iter().chain(named).find_map(|f| line_of_field(source, f)),
    }
}

/// The line of the variant's edit that names what `message` is about: the
/// first line of the variant (from its `id` at `id_line` to the next
/// `[[variants]]`) quoting an id the message names in backticks, other
/// than the variant's own.
fn edit_line(source: &str, id_line: usize, variant: &str, message: &str) -> Option<usize> {
    let named: Vec<&str> = message.split('`').skip(1).step_by(2).filter(|id| *id != variant).collect();
    variant_lines(source, id_line)
        .find(|(_, line)| named.iter().any(|id| line.contains(&format!("\"{id}\""))))
        .map(|(i, _)| i + 1)
}

/// The lines of a variant, from its `id` at `id_line` to the next `[[variants]]`, 0-based.
fn variant_lines(source: &str, id_line: usize) -> impl Iterator<Item = (usize, &str)> {
    source.lines().enumerate().skip(id_line).take_while(|(_, line)| line.trim() != "[[variants]]")
}

/// The line of `variant`'s edit at `index` (from 0), of kind `op`: the
/// index-th line giving an `op` when that one is of this kind (edits
/// written one per line), else the first of this kind; else the variant's
/// `id` line.
pub fn edit_op_line(source: &str, variant: &str, index: usize, op: &str) -> Option<usize> {
    let id_line = line_of(source, "variants.id", variant)?;
    let quoted = format!("\"{op}\"");
    let ops: Vec<(usize, &str)> =
        variant_lines(source, id_line).filter(|(_, line)| line.contains("op =") || line.contains("op=")).collect();
    let at = ops
        .get(index)
        .filter(|(_, line)| line.contains(&quoted))
        .or_else(|| ops.iter().find(|(_, line)| line.contains(&quoted)));
    Some(at.map_or(id_line, |(i, _)| i + 1))
}

/// Finds the line that sets `field` (`population.hours`: `hours = ...`
/// inside `[population]`), so that a problem with a field of one of the
/// file's single tables points at where it is written.
pub fn line_of_field(source: &str, field: &str) -> Option<usize> {
    let (section, key) = field.rsplit_once('.')?;
    first_setting(source, Some(section), key, |_| true)
}

/// 1-based line and column of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
    (line, column)
}

/// The file's sections that are one table each (`[run]`), not lists.
const ONE_TABLE: [&str; 5] = ["scenario", "store", "population", "behaviour", "run"];

/// A type error about the shape of what was written, in a user's words:
/// the parser's own names its Rust types ("expected struct RawService"),
/// and `[[run]]` for `[run]` read as "run[0]: invalid type: map, expected
/// a number". Returns the field to name and the message.
pub(super) fn shape_in_words(field: &str, message: &str) -> (String, String) {
    if let Some(section) = field.strip_suffix("[0]").filter(|s| ONE_TABLE.contains(s)) {
        return (
            section.to_owned(),
            format!("`[{section}]` is one table, not a list: write `[{section}]`, not `[[{section}]]`"),
        );
    }
    let field = field.to_owned();
    if message.ends_with("invalid type: map, expected a sequence") {
        let last = field.rsplit('.').next().unwrap_or(&field);
        return (
            field.clone(),
            format!("expected a list, found one table: write `[[{field}]]` before each entry (or `{last} = [ ... ]`)"),
        );
    }
    if let Some(head) = message.strip_suffix("expected internally tagged enum RawEdit") {
        return (
            field,
            format!("{head}expected an edit: a table `{{ op = \"...\", ... }}` (the edits: docs/scenario-format.md)"),
        );
    }
    if let Some((head, _)) = message.rsplit_once("expected struct Raw") {
        return (field, format!("{head}expected a table `{{ ... }}` of its fields (docs/scenario-format.md)"));
    }
    // A whole number past what any field holds reads as of the wrong type.
    if let Some((number, expected)) = message.strip_prefix("invalid type: integer ").and_then(|r| r.split_once(", ")) {
        return (field, format!("integer {number} is out of range, {expected}"));
    }
    // A clock time for hours since midnight.
    let clock = message.strip_prefix("invalid type: string \"").and_then(|r| r.split_once('"')).map(|(s, _)| s);
    if let Some((h, m)) = clock.and_then(|s| s.split_once(':'))
        && message.ends_with("expected a number")
        && let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>())
    {
        let hours = h as f64 + m as f64 / 60.0;
        return (field, format!("{message}: hours are written as hours since midnight, {hours} for {h}:{m:02}"));
    }
    (field, message.to_owned())
}

/// A parser's "duplicate key" about a list of tables written as one
/// (`[fixtures]` twice), with how to write it.
pub(super) fn duplicate_key_in_words(message: &str) -> String {
    let key = message.strip_prefix("duplicate key `").and_then(|r| r.split('`').next());
    match key {
        Some(key) if !key.is_empty() && !ONE_TABLE.contains(&key) => format!(
            "{message}: a table written twice; a list of tables takes `[[{key}]]` before each entry, and a key is \
             given once per table"
        ),
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_one_based_lines_and_columns() {
        let text = "a = 1\nbb = 2\n";
        for (offset, expected) in [(0, (1, 1)), (4, (1, 5)), (6, (2, 1)), (8, (2, 3))] {
            assert_eq!(line_column(text, offset), expected, "offset {offset}");
        }
    }

    #[test]
    fn ids_are_found_where_they_are_declared() {
        let text = "[[zones]]\nid = \"dairy\"\n[[categories]]\nid = \"dairy\"\n[[planogram]]\nproduct = \"milk\"\n";
        assert_eq!(line_of(text, "id", "dairy"), Some(2));
        assert_eq!(line_of(text, "categories.id", "dairy"), Some(4));
        assert_eq!(line_of(text, "planogram.product", "milk"), Some(6));
        let quoted_otherwise =
            "[[products]]\nid = 'nuts'\n[[products]]\nid = \"ju\\u0069ce\"\n[[products]]\nid = \"a\\\"b\" # c\n";
        assert_eq!(line_of(quoted_otherwise, "products.id", "nuts"), Some(2));
        assert_eq!(line_of(quoted_otherwise, "products.id", "juice"), Some(4));
        assert_eq!(line_of(quoted_otherwise, "products.id", "a\"b"), Some(6));
        let tripled = "[[planogram]]\n\"product\" = \"\"\"nutz\"\"\"\n[[planogram]]\nproduct = '''crisps'''\n";
        assert_eq!(line_of(tripled, "planogram.product", "nutz"), Some(2));
        assert_eq!(line_of(tripled, "planogram.product", "crisps"), Some(4));
        assert_eq!(line_of(text, "products.id", "milk"), None);
    }

    #[test]
    fn fields_are_found_where_their_table_sets_them() {
        let text = "[store]\ncell = 0.25\n[population]\nhourly_profile = [1.0]\nhours = [8.0, 9.0]\n[run]\n";
        for (field, line) in [
            ("population.hours", Some(5)),
            ("population.hourly_profile", Some(4)),
            ("store.cell", Some(2)),
            ("population.cell", None),
            ("run.tick_s", None),
            ("hours", None),
        ] {
            assert_eq!(line_of_field(text, field), line, "{field}");
        }
    }
}
