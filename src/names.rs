//! Answering a name that names nothing: the nearest one where it looks
//! like a slip of a few letters, and the names there are, so the fix is
//! in the message rather than in a search of the file.

/// At most this many names are listed; past it, how many more there are.
const LISTED: usize = 12;

/// What to add to "no fixture `G7`" (or the like) about `asked`, one of
/// `kind` (plural, e.g. "fixtures") whose names are `names`: "did you mean
/// `G1`? the fixtures are `A1`, `A2`, …" (the first `LISTED` and a count
/// past them), or that there are none.
pub fn hint<'a>(asked: &str, kind: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    if names.is_empty() {
        return format!("there are no {kind}");
    }
    let nearest = guess(asked, names.iter().copied()).map(|g| g + " ").unwrap_or_default();
    let shown: Vec<String> = names.iter().take(LISTED).map(|n| format!("`{n}`")).collect();
    let more = match names.len().saturating_sub(LISTED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!("{nearest}the {kind} are {}{more}", shown.join(", "))
}

/// How a guess (`guess`) begins.
const GUESS: &str = "did you mean `";

/// "did you mean `G1`?", where a name among `names` is a slip of a few
/// letters from `asked` (`nearest`).
pub fn guess<'a>(asked: &str, names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    nearest(asked, names).map(|n| format!("{GUESS}{n}`?"))
}

/// `message` with the guess of a `hint` in it taken out (where the name
/// is known to be no slip: it was there, and was taken away).
pub fn without_guess(message: &str) -> String {
    let Some((before, guess)) = message.split_once(GUESS) else { return message.to_owned() };
    let after = guess.split_once("`? ").map_or("", |(_, after)| after);
    format!("{before}{after}")
}

/// The name among `names` nearest `asked` by edit distance, where it is a
/// slip of at most a quarter of its letters (rounded up); the first of
/// those as near.
fn nearest<'a>(asked: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for n in names {
        let d = edit_distance(asked, n);
        if d <= n.chars().count().div_ceil(4) && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, n));
        }
    }
    best.map(|(_, n)| n)
}

/// Levenshtein distance: the fewest letters inserted, removed or changed.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substituted = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_letters_inserted_removed_or_changed() {
        // (a, b, distance)
        let cases = [("kitten", "sitting", 3), ("", "abc", 3), ("G7", "G1", 1), ("same", "same", 0), ("ab", "ba", 2)];
        for (a, b, d) in cases {
            assert_eq!(edit_distance(a, b), d, "{a} → {b}");
        }
    }

    #[test]
    fn a_hint_names_the_nearest_slip_and_the_names_there_are() {
        let few = ["G1", "G2", "milk-fridge"];
        let many: Vec<String> = (1..=15).map(|i| format!("A{i}")).collect();
        // (asked, names, hint)
        let cases: [(&str, Vec<&str>, &str); 5] = [
            ("G7", few.to_vec(), "did you mean `G1`? the fixtures are `G1`, `G2`, `milk-fridge`"),
            ("milk_fridge", few.to_vec(), "did you mean `milk-fridge`? the fixtures are `G1`, `G2`, `milk-fridge`"),
            ("bakery", few.to_vec(), "the fixtures are `G1`, `G2`, `milk-fridge`"),
            ("Z", vec![], "there are no fixtures"),
            (
                "B3",
                many.iter().map(String::as_str).collect(),
                "did you mean `A3`? the fixtures are `A1`, `A2`, `A3`, `A4`, `A5`, `A6`, `A7`, `A8`, `A9`, `A10`, \
                 `A11`, `A12` and 3 more",
            ),
        ];
        for (asked, names, said) in cases {
            assert_eq!(hint(asked, "fixtures", names), said, "{asked}");
        }
        let guessed = format!("no fixture `G7`: {}", hint("G7", "fixtures", few));
        assert_eq!(without_guess(&guessed), "no fixture `G7`: the fixtures are `G1`, `G2`, `milk-fridge`");
        assert_eq!(without_guess("no fixture `Q`: the fixtures are `G1`"), "no fixture `Q`: the fixtures are `G1`");
    }
}
