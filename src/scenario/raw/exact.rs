//! Arrays of a fixed number of values, and no more: serde reads a fixed
//! array's first N values and the TOML reader leaves the rest unread, so
//! `footprint = [12.0, 8.0, 3.0]` passed as a 12 × 8 m store, and lane
//! `hours = [17.0, 18.0, 19.0]` as open until 18:00. For the fields
//! (`#[serde(deserialize_with = "exact::array")]` and its optional forms).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, SeqAccess, Visitor};

/// `N` numbers, exactly.
struct Exactly<const N: usize>([f64; N]);

impl<'de, const N: usize> Deserialize<'de> for Exactly<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Numbers<const N: usize>;
        impl<'de, const N: usize> Visitor<'de> for Numbers<N> {
            type Value = Exactly<N>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an array of {N} numbers")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Exactly<N>, A::Error> {
                let mut values = [0.0; N];
                for (i, value) in values.iter_mut().enumerate() {
                    *value = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(i, &self))?;
                }
                let mut found = N;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    found += 1;
                }
                if found > N {
                    return Err(de::Error::invalid_length(found, &self));
                }
                Ok(Exactly(values))
            }
        }
        d.deserialize_tuple(N, Numbers::<N>)
    }
}

/// `[f64; N]`, refusing more values than `N`.
pub fn array<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[f64; N], D::Error> {
    Exactly::<N>::deserialize(d).map(|e| e.0)
}

/// `Option<[f64; N]>`, refusing more values than `N` (with `default`).
pub fn option<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<Option<[f64; N]>, D::Error> {
    Option::<Exactly<N>>::deserialize(d).map(|o| o.map(|e| e.0))
}

/// `Option<Vec<[f64; N]>>`, refusing an element of more values than `N`
/// (with `default`).
pub fn option_list<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<Option<Vec<[f64; N]>>, D::Error> {
    Option::<Vec<Exactly<N>>>::deserialize(d).map(|o| o.map(|list| list.into_iter().map(|e| e.0).collect()))
}
