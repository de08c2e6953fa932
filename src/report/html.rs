//! The HTML around the figures, shared by the dataset report and a
//! release's page: one stylesheet, escaping, a figure with its note.

use std::fmt::Write as _;
use std::path::Path;

use super::ReportError;
use super::figures::{Figure, save};

/// The stylesheet of every page aisle writes.
pub const STYLE: &str = "body{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222;line-height:1.4}\
h1{margin-bottom:0}.lead{color:#555}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:2em}\
table{border-collapse:collapse;margin:1em 0}td,th{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:right}\
th:first-child,td:first-child{text-align:left}img{max-width:100%;display:block;margin:1em 0}\
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:.3em 1.5em}\
.figure-note{color:#555;font-size:.9em;margin-top:-.6em}.decision{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:1.5em;align-items:start}.decision .lead{color:#222;font-size:1.05em}.warn{background:#fff3cd;border-left:4px solid #d99a00;padding:.6em 1em}footer{margin-top:3em;color:#777;font-size:.85em}";

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A drawing failure as a report error naming the figure.
fn draw_err(path: &Path) -> impl Fn(Box<dyn std::error::Error>) -> ReportError + '_ {
    move |e| ReportError::Draw { path: path.to_owned(), message: e.to_string() }
}

/// Draws `fig` to `figures_dir/name.{png,svg}` and links the PNG with its alt text and note.
pub fn figure(
    html: &mut String,
    figures_dir: &Path,
    name: &str,
    fig: &impl Figure,
    alt: &str,
    note: &str,
) -> Result<(), ReportError> {
    save(fig, figures_dir, name).map_err(draw_err(&figures_dir.join(name)))?;
    let _ = write!(html, "<img src=\"figures/{name}.png\" alt=\"{}\">", esc(alt));
    if !note.is_empty() {
        let _ = write!(html, "<p class=\"figure-note\">{}</p>", esc(note));
    }
    html.push('\n');
    Ok(())
}
