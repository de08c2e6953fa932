//! An f64 whose NaN is written as `null` (JSON has no NaN) and read back
//! from it: a run record's metric that has no value on its day.

use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.is_nan() { s.serialize_none() } else { s.serialize_some(x) }
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}
