//! Ids: each table's unique and named.

use std::collections::HashMap;

use super::{Validator, section_of};
use crate::scenario::error::{Problem, repeated_at};

impl Validator<'_> {
    /// Refuses an id used twice, at its second declaration (the one to
    /// rename or remove), naming where the first is; and a blank id, which
    /// messages and logs could not name ("lane `` from 10:40"), or one
    /// holding a control character (a NUL or a line break, written as an
    /// escape: it reached the terminal raw, and the report's drawings,
    /// which no longer read as SVG).
    pub(super) fn unique<'s>(&mut self, kind: &str, ids: impl Iterator<Item = &'s str>) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for id in ids {
            if let Some(c) = id.chars().find(|c| c.is_control()) {
                self.problem(
                    Some((section_of(kind), id)),
                    format!(
                        "{kind} id `{}` holds a control character (U+{:04X}), which terminals and the report's \
                         drawings cannot show; use letters, digits, spaces and punctuation",
                        crate::scenario::shown_id(id),
                        c as u32
                    ),
                );
                continue;
            }
            if id.trim().is_empty() {
                self.problem(Some((section_of(kind), id)), format!("{kind} id `{id}` is blank: give it a name"));
                continue;
            }
            let before = seen.entry(id).or_insert(0);
            *before += 1;
            if *before == 1 {
                continue;
            }
            let message = format!("{kind} id `{id}` is used more than once");
            // A variant's problem points at the variant (see `problem_line`).
            if self.variant.is_some() {
                self.problem(Some((section_of(kind), id)), message);
                continue;
            }
            let (line, first) = repeated_at(self.source, section_of(kind), id, *before - 1);
            self.problems.push(Problem { variant: None, line, message: format!("{message}{first}") });
        }
    }
}
