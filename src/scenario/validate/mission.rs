//! Segments' missions: what each segment plans and browses, by category.

use super::{Bounds, Validator};
use crate::scenario::model::{Category, Population};
use crate::scenario::raw::RawPopulation;

impl Validator<'_> {
    /// Each segment's own category weights, checked against the
    /// categories; segments without a mission draw by the categories'
    /// `list_weight`, which must then plan something.
    pub(super) fn missions(&mut self, raw: &RawPopulation, categories: &[Category], population: &mut Population) {
        let known = || categories.iter().map(|c| format!("`{}`", c.id)).collect::<Vec<_>>().join(", ");
        for (segment, rs) in population.segments.iter_mut().zip(&raw.segments) {
            if rs.categories.is_empty() {
                continue;
            }
            let anchor = Some(("population.segments.id", rs.id.as_str()));
            let mut weights = vec![0.0; categories.len()];
            for (id, &weight) in &rs.categories {
                match categories.iter().position(|c| &c.id == id) {
                    Some(c) => {
                        let what = format!("segment `{}` categories.{id}", rs.id);
                        self.within(weight, Bounds::Closed(0.0, 1e6, ""), &what, anchor);
                        weights[c] = weight;
                    }
                    None => self.problem(
                        anchor,
                        format!(
                            "segment `{}` categories: `{id}` is not a category; the categories are {}",
                            rs.id,
                            known()
                        ),
                    ),
                }
            }
            let plans = segment.list_mean > 0.0 || segment.browsing > 0.0;
            self.check(!plans || weights.iter().any(|w| *w > 0.0), anchor, || {
                format!(
                    "segment `{}` gives every category weight 0 but plans or browses: give a category a positive weight",
                    rs.id
                )
            });
            segment.category_weights = Some(weights);
        }
        let by_list_weight = population.segments.iter().any(|s| s.category_weights.is_none());
        self.check(!by_list_weight || categories.iter().any(|c| c.list_weight > 0.0), None, || {
            "every category has list_weight 0: shoppers would plan nothing".into()
        });
    }
}
