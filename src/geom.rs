//! Plane geometry shared by the scenario model, the store grid and reports.

/// A point on a floor plan, metres.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub const fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    /// Not `hypot`: its care against overflow (metres never come near it)
    /// made it a tenth of a simulated day.
    pub fn distance(self, other: Point) -> f64 {
        self.distance_squared(other).sqrt()
    }

    /// The squared distance: for comparing distances without a square root.
    pub fn distance_squared(self, other: Point) -> f64 {
        (self.x - other.x) * (self.x - other.x) + (self.y - other.y) * (self.y - other.y)
    }

    pub fn offset(self, dx: f64, dy: f64) -> Point {
        Point::new(self.x + dx, self.y + dy)
    }

    /// Points along the segment from here to `to`, both ends included, at
    /// most `spacing` apart (evenly, at least the two ends).
    pub fn samples_to(self, to: Point, spacing: f64) -> impl Iterator<Item = Point> {
        let steps = ((self.distance(to) / spacing).ceil() as usize).max(1);
        (0..=steps).map(move |k| {
            let t = k as f64 / steps as f64;
            Point::new(self.x + (to.x - self.x) * t, self.y + (to.y - self.y) * t)
        })
    }

    /// The point `step` metres from here on the way to `target` (`target`
    /// itself if it is nearer).
    pub fn towards(self, target: Point, step: f64) -> Point {
        self.towards_known(target, step, self.distance(target))
    }

    /// `towards`, with the distance to `target` already measured as `d`.
    pub fn towards_known(self, target: Point, step: f64, d: f64) -> Point {
        if d <= step {
            return target;
        }
        let f = step / d;
        Point::new(self.x + (target.x - self.x) * f, self.y + (target.y - self.y) * f)
    }
}

impl From<[f64; 2]> for Point {
    fn from([x, y]: [f64; 2]) -> Self {
        Point { x, y }
    }
}

/// An axis-aligned rectangle, metres; `min` is the lower-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub min: Point,
    pub max: Point,
}

impl Rect {
    pub fn from_corners(a: Point, b: Point) -> Rect {
        Rect { min: Point::new(a.x.min(b.x), a.y.min(b.y)), max: Point::new(a.x.max(b.x), a.y.max(b.y)) }
    }

    pub fn centred(centre: Point, width: f64, depth: f64) -> Rect {
        Rect::from_corners(centre.offset(-width / 2.0, -depth / 2.0), centre.offset(width / 2.0, depth / 2.0))
    }

    pub fn width(&self) -> f64 {
        self.max.x - self.min.x
    }

    pub fn depth(&self) -> f64 {
        self.max.y - self.min.y
    }

    pub fn area(&self) -> f64 {
        self.width() * self.depth()
    }

    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    /// The distance from `p` to the rectangle (0 inside it).
    pub fn distance_to(&self, p: Point) -> f64 {
        let dx = (self.min.x - p.x).max(p.x - self.max.x).max(0.0);
        let dy = (self.min.y - p.y).max(p.y - self.max.y).max(0.0);
        dx.hypot(dy)
    }

    /// Area shared with `other` (zero when they only touch).
    pub fn overlap_area(&self, other: &Rect) -> f64 {
        let w = self.max.x.min(other.max.x) - self.min.x.max(other.min.x);
        let d = self.max.y.min(other.max.y) - self.min.y.max(other.min.y);
        if w > 0.0 && d > 0.0 { w * d } else { 0.0 }
    }

    pub fn inflate(&self, by: f64) -> Rect {
        Rect { min: self.min.offset(-by, -by), max: self.max.offset(by, by) }
    }

    /// How far along the segment `a`→`b` (0 at `a`, 1 at `b`) it first
    /// passes into the rectangle's interior; `None` when it misses it or
    /// only runs along or touches its edge (Liang–Barsky clipping).
    pub fn entered_at(&self, a: Point, b: Point) -> Option<f64> {
        const EPS: f64 = 1e-9;
        let (mut enter, mut leave) = (0.0f64, 1.0f64);
        for (from, delta, lo, hi) in
            [(a.x, b.x - a.x, self.min.x, self.max.x), (a.y, b.y - a.y, self.min.y, self.max.y)]
        {
            if delta == 0.0 {
                if from <= lo || from >= hi {
                    return None;
                }
                continue;
            }
            let (t0, t1) = ((lo - from) / delta, (hi - from) / delta);
            enter = enter.max(t0.min(t1));
            leave = leave.min(t0.max(t1));
        }
        (leave - enter > EPS).then_some(enter)
    }

    /// Whether `other` lies wholly inside, allowing a rounding tolerance.
    pub fn encloses(&self, other: &Rect) -> bool {
        const EPS: f64 = 1e-9;
        other.min.x >= self.min.x - EPS
            && other.min.y >= self.min.y - EPS
            && other.max.x <= self.max.x + EPS
            && other.max.y <= self.max.y + EPS
    }
}

/// Even-odd point-in-polygon test.
pub fn polygon_contains(polygon: &[Point], p: Point) -> bool {
    let mut inside = false;
    let mut j = polygon.len() - 1;
    for i in 0..polygon.len() {
        let (a, b) = (polygon[i], polygon[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// The first two edges of `polygon` (by index: edge i runs from corner i
/// to the next) that cross each other away from their ends, if any: a
/// polygon whose corners are not listed in order round it (a bow tie).
pub fn self_crossing(polygon: &[Point]) -> Option<(usize, usize)> {
    let n = polygon.len();
    let edge = |i: usize| (polygon[i], polygon[(i + 1) % n]);
    // Twice the signed area of a, b, c: which side of a–b c is on.
    let side = |a: Point, b: Point, c: Point| (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    let cross = |(a, b): (Point, Point), (c, d): (Point, Point)| {
        side(a, b, c) * side(a, b, d) < 0.0 && side(c, d, a) * side(c, d, b) < 0.0
    };
    (0..n)
        .flat_map(|i| (i + 2..n).map(move |j| (i, j)))
        .filter(|&(i, j)| (j + 1) % n != i)
        .find(|&(i, j)| cross(edge(i), edge(j)))
}

/// Rotates the unit vector `(dx, dy)` by `quarter_turns` counter-clockwise.
pub fn rotate_quarter(dx: f64, dy: f64, quarter_turns: u8) -> (f64, f64) {
    match quarter_turns % 4 {
        0 => (dx, dy),
        1 => (-dy, dx),
        2 => (-dx, -dy),
        _ => (dy, -dx),
    }
}

/// Whole-number division by a divisor fixed at run time, by one wide
/// multiplication instead of a hardware divide (cell ids are split into
/// floor, column and row on every step of every walker). Exact for every
/// `u32` numerator: with M = ⌈2⁶⁴ / d⌉, ⌊n / d⌋ = ⌊M·n / 2⁶⁴⌋ for all
/// n < 2³² (Lemire, Kaser & Kurz 2019, "Faster remainder by direct
/// computation", Software: Practice and Experience 49(6)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Divisor {
    d: u32,
    m: u128,
}

impl Divisor {
    pub fn new(d: u32) -> Divisor {
        assert!(d > 0, "division by zero");
        Divisor { d, m: (1u128 << 64).div_ceil(d as u128) }
    }

    pub fn quotient(self, n: u32) -> u32 {
        ((self.m * n as u128) >> 64) as u32
    }

    pub fn remainder(self, n: u32) -> u32 {
        n - self.quotient(n) * self.d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polygon_listed_out_of_order_crosses_itself() {
        let poly = |corners: &[[f64; 2]]| corners.iter().map(|&c| Point::from(c)).collect::<Vec<_>>();
        // (corners, the first two edges that cross)
        type Case = (&'static [[f64; 2]], Option<(usize, usize)>);
        let cases: [Case; 4] = [
            (&[[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]], None),
            (&[[0.0, 0.0], [4.0, 4.0], [4.0, 0.0], [0.0, 4.0]], Some((0, 2))),
            (&[[0.0, 0.0], [4.0, 0.0], [2.0, 2.0]], None),
            // An L shape: its edges meet only at their ends.
            (&[[0.0, 0.0], [4.0, 0.0], [4.0, 1.0], [1.0, 1.0], [1.0, 4.0], [0.0, 4.0]], None),
        ];
        for (corners, crossing) in cases {
            assert_eq!(self_crossing(&poly(corners)), crossing, "{corners:?}");
        }
    }

    #[test]
    fn segments_enter_a_rectangle_where_they_cross_its_inside() {
        let r = Rect::from_corners(Point::new(1.0, 1.0), Point::new(3.0, 2.0));
        let cases = [
            // (from, to, where it enters)
            ((0.0, 1.5), (4.0, 1.5), Some(0.25)),
            ((4.0, 1.5), (0.0, 1.5), Some(0.25)),
            ((2.0, 1.5), (2.0, 5.0), Some(0.0)),
            ((2.0, 0.0), (2.0, 0.5), None),
            // Along an edge, or touching a corner: not inside.
            ((0.0, 1.0), (4.0, 1.0), None),
            ((3.0, 0.0), (3.0, 3.0), None),
            ((0.0, 0.0), (4.0, 4.0), Some(0.25)),
            ((0.0, 0.0), (2.0, 4.0), None),
            ((0.0, 2.0), (1.0, 3.0), None),
            ((0.0, 3.0), (2.0, 1.0), Some(0.5)),
            // Ending on the edge it comes from.
            ((2.0, 0.0), (2.0, 1.0), None),
        ];
        for (a, b, expected) in cases {
            let got = r.entered_at(Point::new(a.0, a.1), Point::new(b.0, b.1));
            assert_eq!(got.map(|t| (t * 1e9).round() / 1e9), expected, "{a:?} -> {b:?}");
        }
    }

    #[test]
    fn divisors_divide_exactly() {
        let mut n_values: Vec<u32> = (0..5_000).chain([u32::MAX, u32::MAX - 1, 1 << 31, (1 << 31) - 1]).collect();
        // Near multiples of the divisors, where rounding would show.
        let divisors =
            [1u32, 2, 3, 5, 7, 10, 48, 64, 97, 160, 320, 641, 19_200, 65_535, 1 << 20, u32::MAX - 2, u32::MAX];
        for &d in &divisors {
            for k in [1u64, 2, 1000, 65_537, 1 << 31] {
                let m = d as u64 * k;
                n_values.extend(
                    [m.saturating_sub(1), m, m + 1].into_iter().filter(|&v| v <= u32::MAX as u64).map(|v| v as u32),
                );
            }
        }
        for &d in &divisors {
            let div = Divisor::new(d);
            for &n in &n_values {
                assert_eq!((div.quotient(n), div.remainder(n)), (n / d, n % d), "{n} / {d}");
            }
        }
    }
}
