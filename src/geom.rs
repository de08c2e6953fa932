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

    /// Area shared with `other` (zero when they only touch).
    pub fn overlap_area(&self, other: &Rect) -> f64 {
        let w = self.max.x.min(other.max.x) - self.min.x.max(other.min.x);
        let d = self.max.y.min(other.max.y) - self.min.y.max(other.min.y);
        if w > 0.0 && d > 0.0 { w * d } else { 0.0 }
    }

    pub fn inflate(&self, by: f64) -> Rect {
        Rect { min: self.min.offset(-by, -by), max: self.max.offset(by, by) }
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

/// Rotates the unit vector `(dx, dy)` by `quarter_turns` counter-clockwise.
pub fn rotate_quarter(dx: f64, dy: f64, quarter_turns: u8) -> (f64, f64) {
    match quarter_turns % 4 {
        0 => (dx, dy),
        1 => (-dy, dx),
        2 => (-dx, -dy),
        _ => (dy, -dx),
    }
}
