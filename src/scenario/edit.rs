//! Variants: named lists of edits applied to the base layout, in order.

use super::raw::{RawEdit, RawPlacement, RawScenario};

/// Applies `edits` to a copy of the base; an edit that names something
/// missing is reported with its position in the list.
pub fn apply(base: &RawScenario, edits: &[RawEdit]) -> Result<RawScenario, Vec<String>> {
    let mut s = base.clone();
    let mut errors = Vec::new();
    for (i, edit) in edits.iter().enumerate() {
        if let Err(e) = apply_one(&mut s, edit) {
            errors.push(format!("edit {} ({}): {e}", i + 1, edit.op()));
        }
    }
    if errors.is_empty() { Ok(s) } else { Err(errors) }
}

impl RawEdit {
    pub fn op(&self) -> &'static str {
        match self {
            RawEdit::MoveFixture { .. } => "move_fixture",
            RawEdit::RotateFixture { .. } => "rotate_fixture",
            RawEdit::RemoveFixture { .. } => "remove_fixture",
            RawEdit::AddFixture { .. } => "add_fixture",
            RawEdit::MoveProduct { .. } => "move_product",
            RawEdit::AddPlacement { .. } => "add_placement",
            RawEdit::SwapProducts { .. } => "swap_products",
            RawEdit::OpenLane { .. } => "open_lane",
            RawEdit::CloseLane { .. } => "close_lane",
            RawEdit::SetPrice { .. } => "set_price",
            RawEdit::SetLaneHours { .. } => "set_lane_hours",
            RawEdit::SetService { .. } => "set_service",
            RawEdit::AddLane { .. } => "add_lane",
            RawEdit::RemoveLane { .. } => "remove_lane",
            RawEdit::RemoveConnector { .. } => "remove_connector",
            RawEdit::SetHours { .. } => "set_hours",
            RawEdit::SetVisitors { .. } => "set_visitors",
            RawEdit::ScaleVisitors { .. } => "scale_visitors",
            RawEdit::SetShares { .. } => "set_shares",
            RawEdit::SetSegment { .. } => "set_segment",
        }
    }
}

fn apply_one(s: &mut RawScenario, edit: &RawEdit) -> Result<(), String> {
    let fixture = |s: &mut RawScenario, id: &str| -> Result<usize, String> {
        s.fixtures.iter().position(|f| f.id == id).ok_or_else(|| format!("no fixture `{id}`"))
    };
    let product = |s: &RawScenario, id: &str| -> Result<usize, String> {
        s.products.iter().position(|p| p.id == id).ok_or_else(|| format!("no product `{id}`"))
    };
    let lane = |s: &mut RawScenario, id: &str| -> Result<usize, String> {
        s.checkouts.iter().position(|l| l.id == id).ok_or_else(|| format!("no checkout lane `{id}`"))
    };
    match edit {
        RawEdit::MoveFixture { fixture: id, to } => {
            let i = fixture(s, id)?;
            s.fixtures[i].at = *to;
        }
        RawEdit::RotateFixture { fixture: id, rotation } => {
            let i = fixture(s, id)?;
            s.fixtures[i].rotation = *rotation;
        }
        RawEdit::RemoveFixture { fixture: id } => {
            let i = fixture(s, id)?;
            s.fixtures.remove(i);
        }
        RawEdit::AddFixture { fixture: f } => {
            if s.fixtures.iter().any(|x| x.id == f.id) {
                return Err(format!("fixture `{}` already exists", f.id));
            }
            s.fixtures.push(f.clone());
        }
        RawEdit::MoveProduct { product: id, fixture: to, face, level, facings }
        | RawEdit::AddPlacement { product: id, fixture: to, face, level, facings } => {
            product(s, id)?;
            fixture(s, to)?;
            if let RawEdit::MoveProduct { .. } = edit {
                s.planogram.retain(|p| &p.product != id);
            }
            s.planogram.push(RawPlacement {
                product: id.clone(),
                fixture: to.clone(),
                face: *face,
                level: *level,
                facings: *facings,
            });
        }
        RawEdit::SwapProducts { a, b } => {
            product(s, a)?;
            product(s, b)?;
            for p in &mut s.planogram {
                if &p.product == a {
                    p.product = b.clone();
                } else if &p.product == b {
                    p.product = a.clone();
                }
            }
        }
        RawEdit::OpenLane { lane: id } => {
            let i = lane(s, id)?;
            s.checkouts[i].open = true;
        }
        RawEdit::CloseLane { lane: id } => {
            let i = lane(s, id)?;
            s.checkouts[i].open = false;
        }
        RawEdit::SetPrice { product: id, price } => {
            let i = product(s, id)?;
            s.products[i].price = *price;
        }
        RawEdit::SetLaneHours { lane: id, hours } => {
            let i = lane(s, id)?;
            s.checkouts[i].hours = Some(*hours);
        }
        RawEdit::SetService { lane: id, base_s, per_item_s, cv, distribution } => {
            let i = lane(s, id)?;
            let service = &mut s.checkouts[i].service;
            service.base_s = base_s.unwrap_or(service.base_s);
            service.per_item_s = per_item_s.unwrap_or(service.per_item_s);
            service.cv = cv.unwrap_or(service.cv);
            service.distribution = distribution.unwrap_or(service.distribution);
        }
        RawEdit::AddLane { lane: l } => {
            if s.checkouts.iter().any(|x| x.id == l.id) {
                return Err(format!("checkout lane `{}` already exists", l.id));
            }
            s.checkouts.push(l.clone());
        }
        RawEdit::RemoveLane { lane: id } => {
            let i = lane(s, id)?;
            s.checkouts.remove(i);
        }
        RawEdit::RemoveConnector { connector: id } => {
            let i =
                s.store.connectors.iter().position(|c| &c.id == id).ok_or_else(|| format!("no connector `{id}`"))?;
            s.store.connectors.remove(i);
        }
        RawEdit::SetHours { hours, hourly_profile } => {
            s.population.hours = *hours;
            s.population.hourly_profile = hourly_profile.clone();
        }
        RawEdit::SetVisitors { daily_visitors } => s.population.daily_visitors = *daily_visitors,
        RawEdit::ScaleVisitors { factor } => {
            if !(factor.is_finite() && *factor > 0.0) {
                return Err(format!("factor must be a positive number, got {factor}"));
            }
            s.population.daily_visitors *= factor;
        }
        RawEdit::SetShares { shares } => {
            for (id, share) in shares {
                let segment = s
                    .population
                    .segments
                    .iter_mut()
                    .find(|g| &g.id == id)
                    .ok_or_else(|| format!("no segment `{id}`"))?;
                segment.share = *share;
            }
        }
        RawEdit::SetSegment {
            segment: id,
            list_mean,
            impulse,
            browsing,
            patience_s,
            dwell_median_s,
            group_mean,
            categories,
        } => {
            let g =
                s.population.segments.iter_mut().find(|g| &g.id == id).ok_or_else(|| format!("no segment `{id}`"))?;
            let set = |field: &mut f64, value: &Option<f64>| *field = value.unwrap_or(*field);
            set(&mut g.list_mean, list_mean);
            set(&mut g.impulse, impulse);
            set(&mut g.browsing, browsing);
            set(&mut g.patience_s, patience_s);
            set(&mut g.dwell_median_s, dwell_median_s);
            set(&mut g.group_mean, group_mean);
            if let Some(c) = categories {
                g.categories = c.clone();
            }
        }
    }
    Ok(())
}
