//! The field names each format struct accepts, read from serde itself so they can never
//! drift from the types: a tiny deserializer that records what `deserialize_struct` asks for.

use serde::de::{self, Deserialize, Visitor};

#[derive(Debug, thiserror::Error)]
#[error("field names captured")]
struct Captured(&'static [&'static str]);

impl de::Error for Captured {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Captured(&[])
    }
}

struct FieldProbe;

impl<'de> de::Deserializer<'de> for FieldProbe {
    type Error = Captured;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Captured> {
        Err(Captured(&[]))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Captured> {
        Err(Captured(fields))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Captured> {
        Err(Captured(variants))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map identifier ignored_any
    }
}

/// The field names a struct type accepts.
pub fn struct_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    match T::deserialize(FieldProbe) {
        Err(Captured(fields)) => fields,
        Ok(_) => &[],
    }
}

/// The variant names an enum type accepts (`Strong`, `Mixed`, `Weak` for a verdict).
pub fn enum_variants<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct_fields::<T>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::format::{Effects, Later};

    #[test]
    fn reads_field_names_from_serde() {
        assert_eq!(struct_fields::<Effects>(), &["trust", "strategic_impact", "team_engagement"]);
        assert_eq!(struct_fields::<Later>(), &["after", "effects", "text", "sets"]);
        assert_eq!(enum_variants::<crate::scenario::format::Verdict>(), &["Strong", "Mixed", "Weak"]);
    }
}
