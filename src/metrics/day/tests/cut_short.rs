//! Days cut short: those made to leave at the hard end, and what held them.

use super::*;

#[test]
fn leaving_at_the_hard_end_is_a_forced_exit() {
    let p = tiny();
    let layout = Layout::new(&p);
    let end_s = layout.end_ms as f64 / 1000.0;
    // (exit time, forced exits)
    for (exit_s, forced) in [(end_s - 1.0, 0), (end_s, 1)] {
        let mut day = DayProjection::new(&layout);
        day.observe_all(&[alone(0.0, HERE), ev(exit_s, 0, HERE, Action::Exit)]);
        assert_eq!(day.finish().forced_exits, forced, "exit at {exit_s} s");
    }
    // What each made to leave was at; a companion, what its leader was at
    // (one made to leave from a two-hour bench was sent to the checkout
    // waits).
    let at_end = |shopper| ev(end_s, shopper, HERE, Action::Exit);
    let at_shelf = |t_s: f64| ev(t_s, 0, HERE, Action::AtShelf { product: 0 });
    // Everyone on a floor is sampled each trace interval (1 s here).
    let seen = |t_s: f64| ev(t_s, 0, HERE, Action::Move);
    let cases: [(&[SimEvent], ForcedFrom); 7] = [
        (&[alone(0.0, HERE), seen(end_s - 1.0)], ForcedFrom { elsewhere: 1, ..ForcedFrom::default() }),
        // Not sampled at the last trace before the end: between floors,
        // on a ride (it was told "walking or standing elsewhere").
        (&[alone(0.0, HERE), seen(end_s - 2.0)], ForcedFrom { ride: 1, ..ForcedFrom::default() }),
        (&[alone(0.0, HERE)], ForcedFrom { ride: 1, ..ForcedFrom::default() }),
        (&[alone(0.0, HERE), at_shelf(end_s - 1.0)], ForcedFrom { shelf: 1, ..ForcedFrom::default() }),
        // A browse that does not tempt ends with no event: hours later, it
        // is at no shelf.
        (&[alone(0.0, HERE), at_shelf(1.0), seen(end_s - 1.0)], ForcedFrom { elsewhere: 1, ..ForcedFrom::default() }),
        (
            &[alone(0.0, HERE), ev(1.0, 0, HERE, Action::StopStart { fixture: 0 })],
            ForcedFrom { stop: 1, ..ForcedFrom::default() },
        ),
        (
            &[
                alone(0.0, HERE),
                ev(0.0, 1, NEARBY, Action::Enter { party: 0 }),
                ev(1.0, 0, HERE, JOIN),
                ev(end_s - 1.0, 0, HERE, Action::Move),
                ev(end_s - 1.0, 1, NEARBY, Action::Move),
            ],
            ForcedFrom { line: 2, ..ForcedFrom::default() },
        ),
    ];
    for (events, from) in cases {
        let mut day = DayProjection::new(&layout);
        day.observe_all(events);
        // At the hard end, leaders first: one in line abandons it, then each leaves.
        let shoppers: Vec<u32> =
            events.iter().filter(|e| matches!(e.action, Action::Enter { .. })).map(|e| e.shopper).collect();
        let mut end = vec![];
        if events.iter().any(|e| e.action == JOIN) {
            end.push(ev(end_s, 0, HERE, Action::Abandon { lane: 0, qty: 0, amount_cents: 0 }));
        }
        if events.iter().any(|e| matches!(e.action, Action::StopStart { .. })) {
            end.push(ev(end_s, 0, HERE, Action::StopEnd { fixture: 0 }));
        }
        end.extend(shoppers.iter().map(|&k| at_end(k)));
        day.observe_all(&end);
        let m = day.finish();
        assert_eq!(m.forced_from, from, "{events:?}");
        let said = m.forced_out_warning(&p.scenario).unwrap();
        let (n, at) = match from {
            ForcedFrom { line: 2, .. } => (2, "in a checkout line"),
            ForcedFrom { stop: 1, .. } => (1, "at seating or a fitting room"),
            ForcedFrom { shelf: 1, .. } => (1, "at a shelf"),
            ForcedFrom { ride: 1, .. } => (1, "on a stair, escalator or lift"),
            _ => (1, "walking or standing elsewhere"),
        };
        assert!(said.contains(&format!("were made to leave ({n} {at}): ")), "{said}");
        // With no drain, anyone shopping at closing is made to leave: no
        // line or shelf visit outlasted anything.
        let mut no_drain = (*p.scenario).clone();
        no_drain.run.drain_ms = 0;
        let said = m.forced_out_warning(&no_drain).unwrap();
        assert!(said.ends_with("(with no time after closing, anyone still shopping then is made to leave)"), "{said}");
    }
}

#[test]
fn visitors_kept_out_with_nobody_in_the_doorway_are_not_blamed_on_a_freeze() {
    let p = tiny();
    let layout = Layout::new(&p);
    let mut day = DayProjection::new(&layout);
    day.observe_all(&[alone(0.0, HERE), ev(10.0, 0, THERE, Action::Exit)]);
    let m = day.finish();
    assert_eq!(m.kept_out_warning(1, &p.scenario), None);
    let said = m.kept_out_warning(3, &p.scenario).unwrap();
    assert!(said.starts_with("2 of the 3 visitors planned (66.7%) never came in"), "{said}");
    assert!(said.contains("(nobody stood in one for a minute or more: those due in the last seconds"), "{said}");
    assert!(!said.contains("freezes"), "{said}");
    // More than a minute's admissions kept out is no last-second rush.
    let minute = (p.scenario.admits_per_hour() * p.scenario.entrances.len() as f64 / 60.0) as u64;
    let said = m.kept_out_warning(minute + 2, &p.scenario).unwrap();
    assert!(said.contains("more were kept out than the entrances admit in a minute, so the doorway was seldom clear"));
    let said = m.kept_out_warning(minute + 1, &p.scenario).unwrap();
    assert!(said.contains("those due in the last seconds"), "{said}");
}
