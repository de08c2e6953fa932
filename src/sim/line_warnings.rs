//! What `aisle validate` says of each desk's line, laid out as the run
//! will lay it (`checkout::lines`): one hemmed in early (`short_lines`),
//! one with no room at all (`unjoinable_lines`, refused) and one running
//! past a door (`lines_at_doors`).

use super::checkout::lines;
use crate::geom::Point;
use crate::scenario::{Lane, Scenario};
use crate::store::Store;

/// A line holding fewer waiting than this is warned of (`short_lines`).
const SHORT_LINE_PLACES: usize = 10;

/// Desks whose line cannot hold `SHORT_LINE_PLACES` waiting per terminal,
/// in words (valid, but hardly meant): past its laid-out places a line
/// bends along the floor, and one hemmed in by fixtures or walls is full
/// early; those who find it full leave it (a checkout's basket left
/// behind). Per terminal: a bank of three self-service terminals, its
/// line hemmed in at 16 places, turned away 18% of its parties, patient
/// as they were.
pub fn short_lines(scenario: &Scenario, store: &Store) -> Vec<String> {
    short_desk_lines(scenario, store).into_iter().map(|(_, warning)| warning).collect()
}

/// `short_lines`, each with its desk's role (a checkout's, a counter's).
pub fn short_desk_lines(scenario: &Scenario, store: &Store) -> Vec<(crate::scenario::DeskRole, String)> {
    line_rooms(scenario, store)
        .into_iter()
        .filter(|&(desk, waiting, _)| (1..SHORT_LINE_PLACES * desk.terminals.len().max(1)).contains(&waiting))
        .map(|(desk, waiting, last)| {
            let warning = format!(
                "{} `{}`: its line has room for {waiting} waiting and cannot bend on past ({:.1}, {:.1}) (a fixture, a \
                 wall or another desk's line or terminals are in its way); those who find it full, and any party of more than {waiting}, do not join it{}: \
                 turn it (`queue`) or give it room",
                desk.role.noun(),
                desk.id,
                last.x,
                last.y,
                match desk.role {
                    crate::scenario::DeskRole::Checkout => " and leave their basket",
                    crate::scenario::DeskRole::Counter => " and go without",
                }
            );
            (desk.role, warning)
        })
        .collect()
}

/// Desks whose line has no room for anyone to wait: nobody ever joins it,
/// so nobody is served there (a till facing its own counter served no one
/// all day, every basket left). Refused.
pub fn unjoinable_lines(scenario: &Scenario, store: &Store) -> Vec<crate::store::GeometryProblem> {
    line_rooms(scenario, store)
        .into_iter()
        .filter(|&(_, waiting, _)| waiting == 0)
        .map(|(desk, _, last)| crate::store::GeometryProblem {
            anchor: Some((desk.role.section(), desk.id.clone())),
            message: format!(
                "{} `{}`: its line has no room for anyone to wait: it cannot go on past ({:.2}, {:.2}) (a fixture or \
                 wall is in its way, or another desk), so nobody would ever join it; turn it (`queue`) or give it room",
                desk.role.noun(),
                desk.id,
                last.x,
                last.y
            ),
        })
        .collect()
}

/// Each desk with the waiting places of its line and the line's last place.
fn line_rooms<'s>(scenario: &'s Scenario, store: &Store) -> Vec<(&'s Lane, usize, Point)> {
    let desks: Vec<&Lane> = scenario.desks().collect();
    let lines = lines(store, &desks);
    // A closed desk's line is nobody's.
    desks
        .into_iter()
        .zip(lines)
        .filter(|(desk, _)| desk.open)
        .map(|(desk, line)| (desk, line.len() - 1, *line.last().expect("a line has a place")))
        .collect()
}

/// A line place this close to an entrance or exit stands in its doorway.
const DOOR_CLEAR_M: f64 = 1.0;
/// Lines are looked at this far: a line bends on for up to 100 places,
/// and sooner or later every one reaches a door.
const DOOR_LINE_PLACES: usize = 20;

/// Desks whose line, laid out or bent on past its laid-out places, runs
/// within `DOOR_CLEAR_M` of an entrance or exit on its floor within its
/// first `DOOR_LINE_PLACES` places, in words (valid, but those waiting in
/// such a line would stand in the doorway that everyone else comes or
/// goes by): the first such place.
pub fn lines_at_doors(scenario: &Scenario, store: &Store) -> Vec<String> {
    let desks: Vec<&Lane> = scenario.desks().collect();
    let lines = lines(store, &desks);
    let doors: Vec<(&str, &crate::scenario::Portal)> = (scenario.entrances.iter().map(|d| ("entrance", d)))
        .chain(scenario.exits.iter().map(|d| ("exit", d)))
        .collect();
    desks
        .iter()
        .zip(&lines)
        .filter(|(desk, _)| desk.open)
        .filter_map(|(desk, line)| {
            // The door nearest `p` within reach of a line standing there, if any.
            let nearest = |p: Point| {
                (doors.iter().filter(|(_, d)| d.floor == desk.floor && d.at.distance(p) < DOOR_CLEAR_M))
                    .min_by(|a, b| a.1.at.distance(p).total_cmp(&b.1.at.distance(p)))
            };
            let (noun, id) = (desk.role.noun(), &desk.id);
            // Whoever is served stands at a terminal: one by a door stands in it all day.
            if let Some((t, (kind, door))) = desk.terminals.iter().find_map(|&t| Some((t, nearest(t)?))) {
                return Some(format!(
                    "{noun} `{id}`: its {} at ({:.1}, {:.1}) is {:.2} m from {kind} `{}`: whoever is served there \
                     stands in the doorway everyone else comes or goes by; move the desk",
                    desk.role.terminal(),
                    t.x,
                    t.y,
                    door.at.distance(t),
                    door.id
                ));
            }
            // Place 0 is the terminal's; places past the last fitting one stand at it.
            line.iter().enumerate().take(DOOR_LINE_PLACES + 1).skip(1).find_map(|(k, &place)| {
                let (kind, door) = nearest(place)?;
                Some(format!(
                    "{noun} `{id}`: its line's place {k}, at ({:.1}, {:.1}), is {:.2} m from {kind} `{}`: a line of {k} \
                     would stand in the doorway everyone else comes or goes by; turn it (`queue`) or move the desk",
                    place.x,
                    place.y,
                    door.at.distance(place),
                    door.id
                ))
            })
        })
        .collect()
}
