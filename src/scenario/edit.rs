//! Variants: named lists of edits applied to the base layout, in order.

use std::collections::BTreeMap;

use super::raw::{
    RawConnector, RawCounter, RawEdit, RawFixture, RawLane, RawPlacement, RawProduct, RawScenario, RawSegment,
    RawService,
};

/// An edit that cannot be applied: its position in the variant's list
/// (from 0), its `op`, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct EditError {
    pub index: usize,
    pub op: &'static str,
    pub why: String,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "edit {} ({}): {}", self.index + 1, self.op, self.why)
    }
}

/// The edits (by index, from 0) that leave the scenario as they find it,
/// applied in order: `scale_visitors` by 1, a fixture moved to where it
/// stands. An edit that fails is none of them (its error is reported).
pub fn changing_nothing(base: &RawScenario, edits: &[RawEdit]) -> Vec<usize> {
    let mut s = base.clone();
    let mut idle = Vec::new();
    for (index, edit) in edits.iter().enumerate() {
        let before = s.clone();
        if apply_one(&mut s, edit).is_ok() && s == before {
            idle.push(index);
        }
    }
    idle
}

/// The kinds of `edits` (their `op`s), each once in the order first met,
/// with how many of it there are.
pub fn kinds(edits: &[RawEdit]) -> Vec<(&'static str, usize)> {
    let mut kinds: Vec<(&'static str, usize)> = Vec::new();
    for op in edits.iter().map(RawEdit::op) {
        match kinds.iter_mut().find(|(k, _)| *k == op) {
            Some((_, n)) => *n += 1,
            None => kinds.push((op, 1)),
        }
    }
    kinds
}

/// Applies `edits` to a copy of the base; an edit that names something
/// missing is reported with its position in the list, and with the edits
/// before it as the cause where the base alone would take it.
pub fn apply(base: &RawScenario, edits: &[RawEdit]) -> Result<RawScenario, Vec<EditError>> {
    let mut s = base.clone();
    let mut errors = Vec::new();
    for (index, edit) in edits.iter().enumerate() {
        if let Err(mut why) = apply_one(&mut s, edit) {
            // What an earlier edit took away (or added) reads as missing
            // (or there already) with no cause, unless said.
            if index > 0 && apply_one(&mut base.clone(), edit).is_ok() {
                // It is no slip of the pen: no nearest name is guessed.
                why = crate::names::without_guess(&why);
                why += ", as the edits before it leave the store (on the base alone it would apply: edits apply in \
                        order)";
            }
            errors.push(EditError { index, op: edit.op(), why });
        }
    }
    if errors.is_empty() { Ok(s) } else { Err(errors) }
}

impl RawEdit {
    /// Whether the edit changes who comes (how many, when, of which
    /// segments, in parties of what size: the day's arrival plan): a
    /// variant with one no longer meets the baseline's shoppers day for
    /// day. (A segment's other traits change how the same people shop.)
    pub fn changes_who_comes(&self) -> bool {
        matches!(
            self,
            RawEdit::SetHours { .. }
                | RawEdit::SetVisitors { .. }
                | RawEdit::ScaleVisitors { .. }
                | RawEdit::SetShares { .. }
                | RawEdit::SetSegment { group_mean: Some(_), .. }
        )
    }

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
            RawEdit::AddCounter { .. } => "add_counter",
            RawEdit::RemoveCounter { .. } => "remove_counter",
            RawEdit::MoveCounter { .. } => "move_counter",
            RawEdit::RemoveConnector { .. } => "remove_connector",
            RawEdit::CloseConnector { .. } => "close_connector",
            RawEdit::OpenConnector { .. } => "open_connector",
            RawEdit::SetConnector { .. } => "set_connector",
            RawEdit::SetHours { .. } => "set_hours",
            RawEdit::SetVisitors { .. } => "set_visitors",
            RawEdit::ScaleVisitors { .. } => "scale_visitors",
            RawEdit::SetShares { .. } => "set_shares",
            RawEdit::SetSegment { .. } => "set_segment",
        }
    }
}

fn apply_one(s: &mut RawScenario, edit: &RawEdit) -> Result<(), String> {
    match edit {
        RawEdit::MoveFixture { fixture: id, to } => fixture_mut(s, id)?.at = *to,
        RawEdit::RotateFixture { fixture: id, rotation } => fixture_mut(s, id)?.rotation = *rotation,
        RawEdit::RemoveFixture { fixture: id } => {
            let i = fixture_index(s, id)?;
            s.fixtures.remove(i);
        }
        RawEdit::AddFixture { fixture: f } => add_fixture(s, f)?,
        RawEdit::MoveProduct { product: id, fixture: to, face, level, facings }
        | RawEdit::AddPlacement { product: id, fixture: to, face, level, facings } => {
            check_placement(s, id, to)?;
            if let RawEdit::MoveProduct { .. } = edit {
                s.planogram.retain(|p| &p.product != id);
            }
            let (face, level, facings) = (*face, *level, *facings);
            s.planogram.push(RawPlacement { product: id.clone(), fixture: to.clone(), face, level, facings });
        }
        RawEdit::SwapProducts { a, b } => swap_products(s, a, b)?,
        RawEdit::OpenLane { lane: id } => *desk_mut(s, id)?.open = true,
        RawEdit::CloseLane { lane: id } => *desk_mut(s, id)?.open = false,
        RawEdit::SetPrice { product: id, price } => product_mut(s, id)?.price = *price,
        RawEdit::SetLaneHours { lane: id, hours } => *desk_mut(s, id)?.hours = Some(*hours),
        RawEdit::SetService { lane: id, base_s, per_item_s, cv, distribution } => {
            if base_s.is_none() && per_item_s.is_none() && cv.is_none() && distribution.is_none() {
                return Err(nothing_set("base_s, per_item_s, cv or distribution"));
            }
            let service = desk_mut(s, id)?.service;
            service.base_s = base_s.unwrap_or(service.base_s);
            service.per_item_s = per_item_s.unwrap_or(service.per_item_s);
            service.cv = cv.unwrap_or(service.cv);
            service.distribution = distribution.unwrap_or(service.distribution);
        }
        RawEdit::AddLane { lane: l } => add_lane(s, l)?,
        RawEdit::RemoveLane { lane: id } => {
            let i = lane_index(s, id)?;
            s.checkouts.remove(i);
        }
        RawEdit::AddCounter { counter: c } => add_counter(s, c)?,
        RawEdit::RemoveCounter { counter: id } => {
            let i = counter_index(s, id, "remove_lane")?;
            s.counters.remove(i);
        }
        RawEdit::MoveCounter { counter: id, to } => move_counter(s, id, *to)?,
        RawEdit::RemoveConnector { connector: id } => remove_connector(s, id)?,
        RawEdit::CloseConnector { connector: id } => connector_mut(s, id)?.open = false,
        RawEdit::OpenConnector { connector: id } => connector_mut(s, id)?.open = true,
        // Bounds are checked with the base file's: the edited scenario is validated whole.
        RawEdit::SetConnector { connector: id, traversal_s } => connector_mut(s, id)?.traversal_s = *traversal_s,
        RawEdit::SetHours { hours, hourly_profile } => {
            if let Some(mismatch) = super::validate::profile_mismatch(*hours, hourly_profile.len()) {
                return Err(mismatch);
            }
            s.population.hours = *hours;
            s.population.hourly_profile = hourly_profile.clone();
        }
        RawEdit::SetVisitors { daily_visitors } => s.population.daily_visitors = *daily_visitors,
        RawEdit::ScaleVisitors { factor } => scale_visitors(s, *factor)?,
        RawEdit::SetShares { shares } => set_shares(s, shares)?,
        RawEdit::SetSegment {
            segment: id,
            list_mean,
            impulse,
            browsing,
            patience_s,
            dwell_median_s,
            group_mean,
            categories,
            stops,
            step_free,
        } => {
            let numbers = [list_mean, impulse, browsing, patience_s, dwell_median_s, group_mean];
            if numbers.iter().all(|x| x.is_none()) && categories.is_none() && stops.is_none() && step_free.is_none() {
                return Err(nothing_set(
                    "list_mean, impulse, browsing, patience_s, dwell_median_s, group_mean, categories, stops or \
                     step_free",
                ));
            }
            let g = segment_mut(s, id)?;
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
            if let Some(x) = stops {
                g.stops = x.clone();
            }
            g.step_free = step_free.unwrap_or(g.step_free);
        }
    }
    Ok(())
}

/// Why an edit that sets none of its optional `fields` is refused: it
/// would change nothing, and a variant of it compares the baseline with
/// itself.
fn nothing_set(fields: &str) -> String {
    format!("sets nothing, which changes nothing: give at least one of {fields}")
}

/// "no fixture `G7`" and what to write instead: the nearest of `ids`
/// (those of its kind), and the ones there are.
fn no_such<'a>((kind, kinds): (&str, &str), id: &str, ids: impl IntoIterator<Item = &'a str>) -> String {
    format!("no {kind} `{id}`: {}", crate::names::hint(id, kinds, ids))
}

/// Where fixture `id` is in the scenario's list.
fn fixture_index(s: &RawScenario, id: &str) -> Result<usize, String> {
    s.fixtures
        .iter()
        .position(|f| f.id == id)
        .ok_or_else(|| no_such(("fixture", "fixtures"), id, s.fixtures.iter().map(|f| f.id.as_str())))
}

/// Fixture `id`, to change.
fn fixture_mut<'a>(s: &'a mut RawScenario, id: &str) -> Result<&'a mut RawFixture, String> {
    let i = fixture_index(s, id)?;
    Ok(&mut s.fixtures[i])
}

/// Where product `id` is in the catalogue.
fn product_index(s: &RawScenario, id: &str) -> Result<usize, String> {
    s.products
        .iter()
        .position(|p| p.id == id)
        .ok_or_else(|| no_such(("product", "products"), id, s.products.iter().map(|p| p.id.as_str())))
}

/// Product `id`, to change.
fn product_mut<'a>(s: &'a mut RawScenario, id: &str) -> Result<&'a mut RawProduct, String> {
    let i = product_index(s, id)?;
    Ok(&mut s.products[i])
}

/// Where checkout lane `id` is in the scenario's list.
fn lane_index(s: &RawScenario, id: &str) -> Result<usize, String> {
    s.checkouts.iter().position(|l| l.id == id).ok_or_else(|| match s.counters.iter().any(|c| c.id == id) {
        true => format!("no checkout lane `{id}`: `{id}` is a service counter (remove_counter)"),
        false => no_such(("checkout lane", "checkout lanes"), id, s.checkouts.iter().map(|l| l.id.as_str())),
    })
}

/// What lane edits change of a checkout lane or a service counter.
struct Desk<'a> {
    open: &'a mut bool,
    hours: &'a mut Option<[f64; 2]>,
    service: &'a mut RawService,
}

/// Checkout lane or service counter `id`, to change.
fn desk_mut<'a>(s: &'a mut RawScenario, id: &str) -> Result<Desk<'a>, String> {
    if let Some(i) = s.checkouts.iter().position(|l| l.id == id) {
        let l = &mut s.checkouts[i];
        return Ok(Desk { open: &mut l.open, hours: &mut l.hours, service: &mut l.service });
    }
    let Some(i) = s.counters.iter().position(|c| c.id == id) else {
        let ids = s.checkouts.iter().map(|l| &l.id).chain(s.counters.iter().map(|c| &c.id));
        return Err(no_such(("checkout lane or counter", "checkout lanes and counters"), id, ids.map(String::as_str)));
    };
    let c = &mut s.counters[i];
    Ok(Desk { open: &mut c.open, hours: &mut c.hours, service: &mut c.service })
}

/// Where service counter `id` is in the scenario's list; `for_a_lane`
/// says what does to a checkout lane what the edit does to a counter.
fn counter_index(s: &RawScenario, id: &str, for_a_lane: &str) -> Result<usize, String> {
    s.counters.iter().position(|c| c.id == id).ok_or_else(|| match s.checkouts.iter().any(|l| l.id == id) {
        true => format!("no counter `{id}`: `{id}` is a checkout lane ({for_a_lane})"),
        false => no_such(("counter", "counters"), id, s.counters.iter().map(|c| c.id.as_str())),
    })
}

/// Adds service counter `c`, whose id must be new.
fn add_counter(s: &mut RawScenario, c: &RawCounter) -> Result<(), String> {
    if s.counters.iter().any(|x| x.id == c.id) {
        return Err(format!("counter `{}` already exists", c.id));
    }
    s.counters.push(c.clone());
    Ok(())
}

/// Moves counter `id` so that its service point is at `to`, its servers
/// and line with it.
fn move_counter(s: &mut RawScenario, id: &str, to: [f64; 2]) -> Result<(), String> {
    let i = counter_index(s, id, "a lane is moved by remove_lane, then add_lane where it is to stand")?;
    let c = &mut s.counters[i];
    let by = [to[0] - c.at[0], to[1] - c.at[1]];
    c.at = to;
    for p in c.servers.iter_mut().flatten() {
        *p = [p[0] + by[0], p[1] + by[1]];
    }
    Ok(())
}

/// Shopper segment `id`, to change.
fn segment_mut<'a>(s: &'a mut RawScenario, id: &str) -> Result<&'a mut RawSegment, String> {
    let Some(i) = s.population.segments.iter().position(|g| g.id == id) else {
        return Err(no_such(("segment", "segments"), id, s.population.segments.iter().map(|g| g.id.as_str())));
    };
    Ok(&mut s.population.segments[i])
}

/// Adds fixture `f`, whose id must be new.
fn add_fixture(s: &mut RawScenario, f: &RawFixture) -> Result<(), String> {
    if s.fixtures.iter().any(|x| x.id == f.id) {
        return Err(format!("fixture `{}` already exists", f.id));
    }
    s.fixtures.push(f.clone());
    Ok(())
}

/// Checks that a placement's product, then its fixture, exist.
fn check_placement(s: &RawScenario, product: &str, fixture: &str) -> Result<(), String> {
    product_index(s, product)?;
    fixture_index(s, fixture)?;
    Ok(())
}

/// Puts products `a` and `b` in each other's places on the planogram.
fn swap_products(s: &mut RawScenario, a: &str, b: &str) -> Result<(), String> {
    product_index(s, a)?;
    product_index(s, b)?;
    if a == b {
        return Err(format!("swaps product `{a}` with itself, which changes nothing: name two different products"));
    }
    for p in &mut s.planogram {
        if p.product == a {
            p.product = b.to_owned();
        } else if p.product == b {
            p.product = a.to_owned();
        }
    }
    Ok(())
}

/// Adds checkout lane `l`, whose id must be new.
fn add_lane(s: &mut RawScenario, l: &RawLane) -> Result<(), String> {
    if s.checkouts.iter().any(|x| x.id == l.id) {
        return Err(format!("checkout lane `{}` already exists", l.id));
    }
    s.checkouts.push(l.clone());
    Ok(())
}

/// Where connector `id` (a stair, escalator or lift) is in the store's list.
fn connector_index(s: &RawScenario, id: &str) -> Result<usize, String> {
    s.store
        .connectors
        .iter()
        .position(|c| c.id == id)
        .ok_or_else(|| no_such(("connector", "connectors"), id, s.store.connectors.iter().map(|c| c.id.as_str())))
}

/// The connector `id`, to edit.
fn connector_mut<'a>(s: &'a mut RawScenario, id: &str) -> Result<&'a mut RawConnector, String> {
    let i = connector_index(s, id)?;
    Ok(&mut s.store.connectors[i])
}

/// Takes connector `id` out of the store.
fn remove_connector(s: &mut RawScenario, id: &str) -> Result<(), String> {
    let i = connector_index(s, id)?;
    s.store.connectors.remove(i);
    Ok(())
}

/// Multiplies the daily visitors by `factor`, which must be positive.
fn scale_visitors(s: &mut RawScenario, factor: f64) -> Result<(), String> {
    if !(factor.is_finite() && factor > 0.0) {
        return Err(format!("factor must be a positive number, got {factor}"));
    }
    s.population.daily_visitors *= factor;
    Ok(())
}

/// Sets the share of each segment named in `shares`.
fn set_shares(s: &mut RawScenario, shares: &BTreeMap<String, f64>) -> Result<(), String> {
    for (id, share) in shares {
        segment_mut(s, id)?.share = *share;
    }
    Ok(())
}
