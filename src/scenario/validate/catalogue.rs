//! The catalogue: categories (list weights, colours) and products with
//! their places on the shelves (the planogram).

use super::*;
use crate::names;

impl Validator<'_> {
    pub(super) fn categories(&mut self, cats: &[RawCategory]) -> Vec<Category> {
        self.unique("category", cats.iter().map(|c| c.id.as_str()));
        let mut out = Vec::new();
        for c in cats {
            let what = format!("category `{}` list_weight", c.id);
            self.within(c.list_weight, Bounds::Closed(0.0, 1e6, ""), &what, Some(("categories.id", &c.id)));
            let colour = match c.colour.as_deref().map(parse_colour) {
                None => palette(out.len()),
                Some(Some(rgb)) => rgb,
                Some(None) => {
                    self.problem(
                        Some(("categories.id", &c.id)),
                        format!("category `{}` colour must look like \"#1f77b4\"", c.id),
                    );
                    [0, 0, 0]
                }
            };
            out.push(Category {
                id: c.id.clone(),
                name: c.name.clone().unwrap_or_else(|| c.id.clone()),
                list_weight: c.list_weight,
                colour,
            });
        }
        out
    }

    pub(super) fn products(
        &mut self,
        raw: &RawScenario,
        categories: &[Category],
        fixtures: &[Fixture],
        counters: &[Counter],
    ) -> Vec<Product> {
        self.check(!raw.products.is_empty(), None, || "the catalogue is empty: add `[[products]]`".into());
        self.unique("product", raw.products.iter().map(|p| p.id.as_str()));
        let (mut products, index) = self.unplaced_products(&raw.products, categories);
        let misplaced = self.planogram(&raw.planogram, fixtures, &index, &mut products);
        for (i, p) in products.iter().enumerate() {
            let anchor = Some(("products.id", p.id.as_str()));
            match counters.iter().find(|c| c.sells.contains(&p.category)) {
                None => self.check(!p.placements.is_empty() || misplaced.contains(&i), anchor, || {
                    format!("product `{}` has no place on any shelf: add it to `[[planogram]]`", p.id)
                }),
                Some(c) => self.check(p.placements.is_empty(), anchor, || {
                    format!(
                        "product `{}` is sold at counter `{}`, not from a shelf: remove its `[[planogram]]` rows",
                        p.id, c.desk.id
                    )
                }),
            }
        }
        products
    }

    /// Checks each product's category and figures and builds it without places, skipping duplicate ids;
    /// returns the products with the index of each id among them.
    fn unplaced_products<'r>(
        &mut self,
        raw: &'r [RawProduct],
        categories: &[Category],
    ) -> (Vec<Product>, HashMap<&'r str, usize>) {
        let cat_index: HashMap<&str, usize> = categories.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let mut products = Vec::new();
        let mut index = HashMap::new();
        for p in raw {
            let anchor = ("products.id", p.id.as_str());
            let category = match cat_index.get(p.category.as_str()) {
                Some(&i) => i,
                None => {
                    self.problem(
                        Some(anchor),
                        format!(
                            "product `{}` is in category `{}`, which is not in `[[categories]]`: {}",
                            p.id,
                            p.category,
                            names::hint(&p.category, "categories", categories.iter().map(|c| c.id.as_str()))
                        ),
                    );
                    0
                }
            };
            self.product_figures(p, anchor);
            if index.contains_key(p.id.as_str()) {
                continue; // reported as a duplicate id above
            }
            index.insert(p.id.as_str(), products.len());
            products.push(Product {
                id: p.id.clone(),
                name: p.name.clone().unwrap_or_else(|| p.id.clone()),
                category,
                price_cents: (p.price * 100.0).round() as i64,
                margin: p.margin,
                appeal: p.appeal,
                popularity: p.popularity,
                placements: Vec::new(),
            });
        }
        (products, index)
    }

    /// Checks a product's price, margin, appeal and popularity, in that order.
    fn product_figures(&mut self, p: &RawProduct, anchor: (&str, &str)) {
        self.within(p.price, Bounds::Closed(0.0, 1e6, ""), &format!("product `{}` price", p.id), Some(anchor));
        self.unit_interval(p.margin, &format!("product `{}` margin", p.id), anchor);
        self.unit_interval(p.appeal, &format!("product `{}` appeal", p.id), anchor);
        self.within(
            p.popularity,
            Bounds::Closed(0.0, 1e6, ""),
            &format!("product `{}` popularity", p.id),
            Some(anchor),
        );
    }

    /// Puts every planogram row that fits on its shelf into its product's placements, reporting the rows
    /// that do not; returns the products with a rejected placement (saying they have no place would repeat it).
    fn planogram(
        &mut self,
        planogram: &[RawPlacement],
        fixtures: &[Fixture],
        index: &HashMap<&str, usize>,
        products: &mut [Product],
    ) -> HashSet<usize> {
        let fixture_index: HashMap<&str, usize> =
            fixtures.iter().enumerate().map(|(i, f)| (f.id.as_str(), i)).collect();
        // Facings already used on each (fixture, face, level), in planogram order.
        let mut used: HashMap<(usize, Face, ShelfLevel), u32> = HashMap::new();
        let mut misplaced = HashSet::new();
        for pl in planogram {
            let anchor = Some(("planogram.product", pl.product.as_str()));
            let Some(&pi) = index.get(pl.product.as_str()) else {
                self.problem(
                    anchor,
                    format!(
                        "planogram places product `{}`, which is not in the catalogue: {}",
                        pl.product,
                        names::hint(&pl.product, "products", products.iter().map(|p| p.id.as_str()))
                    ),
                );
                continue;
            };
            let Some(fi) = self.shelf_fixture(pl, fixtures, &fixture_index) else {
                misplaced.insert(pi);
                continue;
            };
            self.check(pl.facings >= 1, anchor, || {
                format!("product `{}` on fixture `{}` needs at least one facing", pl.product, pl.fixture)
            });
            if pl.facings < 1 {
                misplaced.insert(pi);
                continue;
            }
            match self.shelve(pl, fi, &fixtures[fi], &mut used) {
                Some(placement) => products[pi].placements.push(placement),
                None => {
                    misplaced.insert(pi);
                }
            }
        }
        misplaced
    }

    /// The index of the fixture a planogram row names, if it exists and has the row's face and level;
    /// `None` (reported, unless a shelved fixture without shelves was reported already) otherwise.
    fn shelf_fixture(
        &mut self,
        pl: &RawPlacement,
        fixtures: &[Fixture],
        fixture_index: &HashMap<&str, usize>,
    ) -> Option<usize> {
        let anchor = Some(("planogram.product", pl.product.as_str()));
        let Some(&fi) = fixture_index.get(pl.fixture.as_str()) else {
            // In a variant, most likely removed by its edits with its products still on it.
            let fix = if self.variant.is_some() {
                " in this variant: move its products elsewhere first (move_product), or keep the fixture"
            } else {
                ": add it to [[fixtures]], or correct the id"
            };
            let guess = names::guess(&pl.fixture, fixtures.iter().map(|f| f.id.as_str()))
                .map(|g| format!(" ({g})"))
                .unwrap_or_default();
            self.problem(
                anchor,
                format!(
                    "product `{}` is placed on fixture `{}`, which does not exist{fix}{guess}",
                    pl.product, pl.fixture
                ),
            );
            return None;
        };
        let f = &fixtures[fi];
        if f.faces.is_empty() || f.levels.is_empty() {
            // A shelved fixture without shelves is reported once, above.
            if !SHELVED.contains(&f.kind) {
                self.problem(
                    anchor,
                    format!(
                        "product `{}` is placed on fixture `{}`, which has no `levels` or `faces` to hold it (kind {})",
                        pl.product, f.id, f.kind
                    ),
                );
            }
            return None;
        }
        if !f.faces.contains(&pl.face) || !f.levels.contains(&pl.level) {
            self.problem(
                anchor,
                format!(
                    "product `{}` is placed on the {} face, {} level of fixture `{}`, which has faces {} and levels {}",
                    pl.product,
                    pl.face,
                    pl.level,
                    f.id,
                    names(&f.faces),
                    names(&f.levels)
                ),
            );
            return None;
        }
        Some(fi)
    }

    /// Takes a planogram row's facings from the room left on its shelf (fixture `fi`, which is `f`) and
    /// places it there; `None`, reported, if the shelf is over-full.
    fn shelve(
        &mut self,
        pl: &RawPlacement,
        fi: usize,
        f: &Fixture,
        used: &mut HashMap<(usize, Face, ShelfLevel), u32>,
    ) -> Option<Placement> {
        let start = used.entry((fi, pl.face, pl.level)).or_default();
        let along = (*start as f64 + pl.facings as f64 / 2.0) * FACING_WIDTH_M;
        *start += pl.facings as u32;
        let capacity = f.face_length(pl.face);
        // A fixture of no size was refused already: one problem, not one per product.
        if capacity.is_nan() || capacity <= 0.0 {
            return None;
        }
        if *start as f64 * FACING_WIDTH_M > capacity + 1e-9 {
            self.problem(
                Some(("planogram.product", pl.product.as_str())),
                format!(
                    "fixture `{}` {} face, {} level is over-full at product `{}`: {} facings need {:.2} m but the face is {:.2} m long",
                    f.id, pl.face, pl.level, pl.product, start, *start as f64 * FACING_WIDTH_M, capacity
                ),
            );
            return None;
        }
        let spot = f.point_on_face(pl.face, along);
        let (nx, ny) = f.face_normal(pl.face);
        let stand = spot.offset(nx * STAND_OFF_M, ny * STAND_OFF_M);
        Some(Placement { fixture: fi, face: pl.face, level: pl.level, facings: pl.facings, spot, stand })
    }
}

impl Product {
    /// Whether lists (and browse stops) may draw the product: at
    /// popularity 0 it is bought on impulse only.
    pub fn on_lists(&self) -> bool {
        self.popularity > 0.0
    }
}

impl Scenario {
    /// Categories some segment's lists draw (by its list weight, or the
    /// segment's own `categories`) that hold no product of popularity
    /// above 0: those draws come to nothing, warned of.
    pub(crate) fn unplannable_categories(&self) -> Vec<String> {
        let plannable = |c: usize| self.products.iter().any(|p| p.category == c && p.on_lists());
        // Segments that draw anything at all: lists or browse stops.
        let drawing = |g: &&Segment| g.list_mean > 0.0 || g.browsing > 0.0;
        let mut found = Vec::new();
        for (c, category) in self.categories.iter().enumerate().filter(|(c, _)| !plannable(*c)) {
            let drawn_by: Vec<String> = (self.population.segments.iter().filter(drawing))
                .filter(|g| self.list_weight(g, c) > 0.0)
                .map(|g| format!("`{}`", g.id))
                .collect();
            if drawn_by.is_empty() {
                continue;
            }
            let (holds, fix) = match self.products.iter().any(|p| p.category == c) {
                true => ("no product with popularity above 0", "give one of its products a popularity above 0"),
                false => ("no products", "give it products"),
            };
            found.push(format!(
                "category `{}` holds {holds}, yet the lists of segment(s) {} draw it: those draws come to nothing and \
                 are drawn again, so the lists lean on the other categories more than their weights say (a segment \
                 that draws no other plans nothing); {fix}, or stop drawing it (its list_weight, or the segments' categories)",
                category.id,
                drawn_by.join(", ")
            ));
        }
        found
    }

    /// Products placed twice on one level of one face: each row is a block
    /// of facings of its own, side by side (an `add_placement` where the
    /// product already stood gave a second block in silence), warned of.
    pub(crate) fn repeated_placements(&self) -> Vec<String> {
        let mut found = Vec::new();
        for p in &self.products {
            let mut seen: Vec<(usize, Face, ShelfLevel)> = Vec::new();
            for pl in &p.placements {
                let at = (pl.fixture, pl.face, pl.level);
                if seen.contains(&at) {
                    found.push(format!(
                        "product `{}` is placed twice on fixture `{}`, {} face, {} level: two blocks of facings side by \
                         side; give it one placement with their facings if one block is meant",
                        p.id, self.fixtures[pl.fixture].id, pl.face, pl.level
                    ));
                } else {
                    seen.push(at);
                }
            }
        }
        found
    }

    /// Segments some of whose shoppers come with nothing planned (a
    /// `list_mean` below 1 leaves a share e^−mean so) and browse nothing
    /// (`browsing` 0): those walk in and straight out, past nothing that
    /// tempts them, buying nothing; `list_mean = 0`, documented as
    /// lookers buying on impulse, made a day of no sales in silence.
    pub(crate) fn idle_lookers(&self) -> Vec<String> {
        let segments = self.population.segments.iter();
        segments
            .filter(|g| g.list_mean < 1.0 && g.browsing <= 0.0 && g.share > 0.0)
            .map(|g| {
                format!(
                    "segment `{}`: list_mean = {} leaves {:.0}% of its shoppers with nothing planned, and with browsing \
                     = 0 they look at no shelf either: they walk in and out, buying nothing; give it `browsing` (0.5: \
                     about 2.5 shelves looked at) for visitors who come to look and buy on impulse",
                    g.id,
                    g.list_mean,
                    100.0 * (-g.list_mean).exp()
                )
            })
            .collect()
    }
}

/// Prices of the file, base and edits, that are no whole number of cents:
/// a price is kept in cents, so 1.2901 sells at 1.29 and 0.004 at nothing.
pub fn prices_off_the_cent(raw: &RawScenario) -> Vec<String> {
    let off = |price: f64| ((price * 100.0).round() - price * 100.0).abs() > 1e-6;
    let kept = |price: f64| format!("{:.2}", (price * 100.0).round() / 100.0);
    let base = raw.products.iter().filter(|p| off(p.price)).map(|p| {
        format!(
            "product `{}` price {} is kept in whole cents, as {}; write the price meant",
            p.id,
            p.price,
            kept(p.price)
        )
    });
    let edited = raw.variants.iter().flat_map(|v| {
        v.edits.iter().enumerate().filter_map(move |(i, e)| match e {
            RawEdit::SetPrice { product, price } if off(*price) => Some(format!(
                "variant `{}`: edit {} (set_price) price {price} of `{product}` is kept in whole cents, as {}; write \
                 the price meant",
                v.id,
                i + 1,
                kept(*price)
            )),
            _ => None,
        })
    });
    base.chain(edited).collect()
}
