//! Panels (egui): the source and its run picker, view presets and
//! overlays, the timeline, each side's figures up to the clock, the
//! selected shopper's history, and labels over the 3D view.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use egui::{Align2, Color32, FontId, LayerId, RichText, Ui, UiBuilder};

use crate::args::{ColourBy, View};
use crate::camera::SideCamera;
use crate::details;
use crate::palette;
use crate::state::{SideView, Viewer, clock_text};

/// Choices in the dataset picker, applied by its Load button.
#[derive(Resource, Default)]
pub struct Picker {
    pub variant: String,
    pub seed: u64,
    pub compare: Option<String>,
}

pub fn panels(
    mut contexts: EguiContexts,
    mut v: ResMut<Viewer>,
    mut picker: ResMut<Picker>,
    cams: Query<(&SideCamera, &Camera, &GlobalTransform)>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let mut root = Ui::new(
        ctx.clone(),
        "viewer".into(),
        UiBuilder::new().layer_id(LayerId::background()).max_rect(ctx.viewport_rect()),
    );
    if v.panels() {
        egui::Panel::top("top").show(&mut root, |ui| top_bar(ui, &mut v));
        egui::Panel::bottom("timeline").show(&mut root, |ui| timeline(ui, &mut v));
        egui::Panel::left("figures").default_size(300.0).max_size(420.0).resizable(true).show(&mut root, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                if v.dataset.is_some() {
                    run_picker(ui, &mut v, &mut picker);
                    ui.separator();
                }
                if let Some(m) = v.message.clone() {
                    ui.colored_label(Color32::from_rgb(230, 80, 80), m);
                    ui.separator();
                }
                for sv in &v.sides {
                    details::figures(ui, sv);
                    ui.separator();
                }
                details::selection(ui, &mut v);
            });
        });
    }
    let central = root.available_rect_before_wrap();
    v.viewport = Some((Vec2::new(central.min.x, central.min.y), Vec2::new(central.width(), central.height())));
    let painter =
        ctx.layer_painter(LayerId::new(egui::Order::Background, egui::Id::new("labels"))).with_clip_rect(central);
    for (side, camera, gt) in &cams {
        let Some(sv) = v.sides.get(side.0) else { continue };
        if let Some(r) = camera.logical_viewport_rect() {
            let caption =
                format!("{}  seed {}  {}", sv.side.variant, sv.side.seed, clock_text(sv.open_hour(), v.clock.t_ms));
            painter.text(
                egui::pos2(r.min.x + 8.0, r.min.y + 6.0),
                Align2::LEFT_TOP,
                caption,
                FontId::proportional(16.0),
                Color32::WHITE,
            );
        }
        if !v.show_labels {
            continue;
        }
        // Labels that would overlap one already placed are left out.
        let mut placed: Vec<egui::Rect> = Vec::new();
        let ink = Color32::from_rgb(40, 40, 60);
        for l in sv.labels.iter().filter(|l| v.floor.is_none_or(|f| f == l.floor)) {
            let Ok(p) = camera.world_to_viewport(gt, l.at + sv.floor_offset(v.view, l.floor)) else { continue };
            let galley = painter.layout_no_wrap(l.text.clone(), FontId::proportional(11.0), ink);
            let rect = Align2::CENTER_CENTER.anchor_size(egui::pos2(p.x, p.y), galley.size());
            if placed.iter().any(|r| r.expand(2.0).intersects(rect)) {
                continue;
            }
            placed.push(rect);
            painter.galley(rect.min, galley, ink);
        }
    }
    Ok(())
}

fn top_bar(ui: &mut Ui, v: &mut Viewer) {
    ui.horizontal(|ui| {
        let s = &v.sides[0].side.prepared.scenario;
        let mode = if v.sides[0].side.live.is_some() { "live" } else { "replay" };
        ui.label(RichText::new(format!("{} — {mode}", s.name)).strong());
        ui.separator();
        let floors = s.store.floors.len();
        let mut view = v.view;
        ui.selectable_value(&mut view, View::Iso, "Isometric");
        ui.selectable_value(&mut view, View::Plan, "Plan");
        if floors > 1 {
            for f in 0..floors as u8 {
                ui.selectable_value(&mut view, View::Floor(f), format!("Floor {f}"));
            }
        }
        if view != v.view || ui.button("Reset view").clicked() {
            v.view = view;
            v.apply_view = true;
        }
        ui.separator();
        ui.checkbox(&mut v.show_heat, "Heatmap");
        ui.checkbox(&mut v.show_trails, "Trails");
        if v.sides.len() > 1 {
            ui.checkbox(&mut v.show_difference, "right − left");
        }
        ui.checkbox(&mut v.show_labels, "Labels");
        if v.selected.is_some() {
            ui.checkbox(&mut v.follow, "Follow");
            if ui.button("Clear selection").clicked() {
                v.selected = None;
                v.follow = false;
            }
        }
    });
    ui.horizontal(|ui| {
        ui.label("Heat and directions over");
        ui.selectable_value(&mut v.heat_window_min, None, "the day so far");
        for minutes in [15, 60] {
            ui.selectable_value(&mut v.heat_window_min, Some(minutes), format!("the last {minutes} min"));
        }
        ui.checkbox(&mut v.show_directions, "Walking directions");
        ui.separator();
        ui.label("Shoppers by");
        ui.selectable_value(&mut v.colour_by, ColourBy::Activity, "activity");
        ui.selectable_value(&mut v.colour_by, ColourBy::Segment, "segment");
        ui.selectable_value(&mut v.colour_by, ColourBy::Party, "party");
        ui.separator();
        legend(ui, v);
    });
}

/// What the shoppers' colours mean.
fn legend(ui: &mut Ui, v: &Viewer) {
    let chip = |ui: &mut Ui, c: palette::Rgb, text: &str| {
        ui.colored_label(Color32::from_rgb(c[0], c[1], c[2]), format!("■ {text}"));
    };
    match v.colour_by {
        ColourBy::Activity => {
            for (c, text) in [
                (palette::SHOPPING, "walking"),
                (palette::AT_SHELF, "at a shelf"),
                (palette::QUEUING, "in line"),
                (palette::SERVED, "served"),
                (palette::LEAVING, "paid, leaving"),
                (palette::ABANDONED, "gave up"),
            ] {
                chip(ui, c, text);
            }
        }
        ColourBy::Segment => {
            let segments = &v.sides[0].side.prepared.scenario.population.segments;
            for (k, seg) in segments.iter().enumerate() {
                chip(ui, palette::CATEGORIES[k % palette::CATEGORIES.len()], &seg.id);
            }
        }
        ColourBy::Party => {
            ui.label("companions share their leader's colour");
        }
    }
}

/// Play, pause, step, speed (log scale), scrub; ticks under the bar mark
/// abandons (red) and products not found (amber).
fn timeline(ui: &mut Ui, v: &mut Viewer) {
    let end = v.end_ms() as f64;
    let frontier = v.frontier_ms() as f64;
    let open_hour = v.sides[0].open_hour();
    ui.horizontal(|ui| {
        let label = if v.clock.playing { "⏸ Pause" } else { "▶ Play" };
        if ui.button(label).clicked() {
            v.clock.playing = !v.clock.playing;
        }
        if ui.button("−1 min").clicked() {
            v.clock.t_ms = (v.clock.t_ms - 60_000.0).max(0.0);
        }
        if ui.button("+1 min").clicked() {
            v.clock.t_ms = (v.clock.t_ms + 60_000.0).min(frontier);
        }
        ui.label(RichText::new(clock_text(open_hour, v.clock.t_ms)).monospace().size(18.0));
        ui.add(egui::Slider::new(&mut v.clock.speed, 1.0..=1000.0).logarithmic(true).text("× speed"));
        if let Some(live) = v.sides.iter().find_map(|s| s.side.live.as_ref()) {
            let state = if live.finished() { "day simulated" } else { "simulating" };
            ui.label(format!("{state} to {}", clock_text(open_hour, live.simulated_ms() as f64)));
        }
    });
    let width = ui.available_width();
    let mut t = v.clock.t_ms.max(0.0);
    ui.spacing_mut().slider_width = (width - 12.0).max(100.0);
    let response = ui.add(egui::Slider::new(&mut t, 0.0..=end.max(1.0)).show_value(false));
    if response.changed() {
        v.clock.t_ms = t.min(frontier);
    }
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 8.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let x_of = |t_ms: u64| rect.min.x + (t_ms as f64 / end.max(1.0)) as f32 * rect.width();
    painter.vline(x_of(frontier as u64), rect.y_range(), (1.0, Color32::GRAY));
    let sv = &mut v.sides[0];
    scan_markers(sv);
    for &(t_ms, abandon) in &sv.markers.1 {
        let colour = if abandon { Color32::from_rgb(220, 40, 40) } else { Color32::from_rgb(240, 170, 0) };
        painter.vline(x_of(t_ms), rect.y_range(), (1.0, colour));
    }
}

/// Collects abandons (true) and not-found events (false) of the events
/// indexed since the last call, for the timeline.
fn scan_markers(sv: &mut SideView) {
    use aisle::events::Action;
    let p = sv.side.playback.read().expect("playback lock");
    let events = p.events();
    for e in &events[sv.markers.0.min(events.len())..] {
        match e.action {
            Action::Abandon { .. } => sv.markers.1.push((e.t_ms, true)),
            Action::NotFound { .. } => sv.markers.1.push((e.t_ms, false)),
            _ => {}
        }
    }
    sv.markers.0 = events.len();
}

fn run_picker(ui: &mut Ui, v: &mut Viewer, picker: &mut Picker) {
    let Some(ds) = &v.dataset else { return };
    ui.heading("Dataset");
    ui.label(ds.dir.display().to_string());
    if picker.variant.is_empty() {
        picker.variant = v.sides[0].side.variant.clone();
        picker.seed = v.sides[0].side.seed;
        picker.compare = v.sides.get(1).map(|s| s.side.variant.clone());
    }
    let variants = ds.variants();
    egui::ComboBox::from_label("variant").selected_text(&picker.variant).show_ui(ui, |ui| {
        for x in &variants {
            ui.selectable_value(&mut picker.variant, x.clone(), x);
        }
    });
    let seeds = ds.seeds(&picker.variant);
    egui::ComboBox::from_label("seed").selected_text(picker.seed.to_string()).show_ui(ui, |ui| {
        for s in &seeds {
            ui.selectable_value(&mut picker.seed, *s, s.to_string());
        }
    });
    let shown = picker.compare.clone().unwrap_or_else(|| "—".into());
    egui::ComboBox::from_label("compare with").selected_text(shown).show_ui(ui, |ui| {
        ui.selectable_value(&mut picker.compare, None, "—");
        for x in variants.iter().filter(|x| ds.seeds(x).contains(&picker.seed)) {
            ui.selectable_value(&mut picker.compare, Some(x.clone()), x);
        }
    });
    if ui.button("Load").clicked() {
        let loaded = ds.load(&picker.variant, picker.seed).and_then(|a| {
            let b = picker.compare.as_ref().map(|c| ds.load(c, picker.seed)).transpose()?;
            Ok((a, b))
        });
        match loaded {
            Ok((a, b)) => {
                v.sides = std::iter::once(a).chain(b).map(SideView::new).collect();
                v.rebuild = true;
                v.selected = None;
                v.message = None;
            }
            Err(e) => v.message = Some(format!("{e:#}")),
        }
    }
}
