//! Reading the recovering parser's tree into the format's types, through serde, so it knows
//! every field and variant the types know and needs no list of its own. Where a value is
//! wrong it reports the problem and carries on with a stand-in (a placeholder) so the rest
//! of the file is still read and checked; the paths given stand-ins are remembered, and the
//! checks say nothing about them (a problem there would be a guess).
//!
//! Serde's derived code gives up on a struct when a required field is missing, and cannot be
//! asked again. So which fields are required is learned: the first time a struct type is found
//! without one, the field is remembered (for the whole program) and the file read again.

use std::cell::RefCell;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Mutex;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};

use super::diagnostic::closest;
use super::locate::SourceMap;
use super::tree::{Group, Kind, Node, Problem};

/// Why reading stopped.
#[derive(Debug)]
pub enum Failure {
    /// A required field was learned: read the file again.
    Retry,
    /// The value with this node id could not be read at all.
    At(u32),
    Missing(&'static str),
    /// Serde's own complaint (its words are not shown: the problem is reported where it is).
    Custom,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Failure {}

impl de::Error for Failure {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Failure::Custom
    }

    fn missing_field(field: &'static str) -> Self {
        Failure::Missing(field)
    }
}

/// (struct name, field) pairs found to be required, learned as files are read.
static REQUIRED: Mutex<Vec<(&'static str, &'static str)>> = Mutex::new(Vec::new());

fn required_fields(name: &str) -> Vec<&'static str> {
    let known = REQUIRED.lock().unwrap_or_else(|e| e.into_inner());
    known.iter().filter(|(s, _)| *s == name).map(|(_, f)| *f).collect()
}

fn learn_required(name: &'static str, field: &'static str) {
    let mut known = REQUIRED.lock().unwrap_or_else(|e| e.into_inner());
    if !known.contains(&(name, field)) {
        known.push((name, field));
    }
}

/// What one reading pass found.
pub struct Pass<'t> {
    pub problems: RefCell<Vec<Problem>>,
    /// Typed paths (`beats[2].choices[0].next`) that hold a stand-in.
    pub placeholders: RefCell<Vec<String>>,
    pub map: RefCell<SourceMap>,
    /// List elements to leave out (they could not be read at all).
    pub dropped: &'t HashSet<u32>,
}

impl<'t> Pass<'t> {
    pub fn new(dropped: &'t HashSet<u32>) -> Self {
        Pass {
            problems: RefCell::new(Vec::new()),
            placeholders: RefCell::new(Vec::new()),
            map: RefCell::new(SourceMap::default()),
            dropped,
        }
    }

    fn report(&self, code: &'static str, span: Range<usize>, message: String, help: Option<String>) {
        self.problems.borrow_mut().push(Problem { code, span, message, help, lost: false, replacement: None });
    }

    /// [`Pass::report`] for a problem whose span should read `replacement` instead.
    fn report_with_fix(
        &self,
        code: &'static str,
        span: Range<usize>,
        message: String,
        help: String,
        replacement: &str,
    ) {
        let replacement = Some(replacement.to_string());
        self.problems.borrow_mut().push(Problem { code, span, message, help: Some(help), lost: false, replacement });
    }
}

/// Reads `node` as a value at `path`, recorded in the source map under `map_node`.
pub struct Reader<'p, 't> {
    pub node: &'t Node,
    pub pass: &'p Pass<'t>,
    pub path: String,
    pub map_node: u32,
}

fn join_field(path: &str, field: &str) -> String {
    if path.is_empty() { field.to_string() } else { format!("{path}.{field}") }
}

/// How a struct type is named in messages: `CastMember` is "a cast member".
pub fn describe_type(name: &str) -> String {
    let known = match name {
        "Meter" => Some("meter (use `trust`, `strategic_impact` or `team_engagement`)"),
        "Next" => Some("destination (use `Beat(\"id\")` or `Ending(\"id\")`)"),
        "Verdict" => Some("verdict (use `Strong`, `Mixed` or `Weak`)"),
        "Locked" => Some("locked style (use `Hide` or `Show(\"reason\")`)"),
        "Later" => Some("delayed consequence"),
        "Effects" => Some("effects list"),
        "StartMeters" => Some("`start_meters`"),
        _ => None,
    };
    if let Some(words) = known {
        return words.to_string();
    }
    let mut words = String::new();
    for c in name.chars() {
        if c.is_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    words
}

fn with_article(words: &str) -> String {
    let vowel = words.starts_with(['a', 'e', 'i', 'o', 'u']);
    if words.starts_with('`') { words.to_string() } else { format!("{} {words}", if vowel { "an" } else { "a" }) }
}

fn found_kind(node: &Node) -> &'static str {
    match &node.kind {
        Kind::Str(_) => "a text",
        Kind::Number(_) => "a number",
        Kind::Bool(_) => "`true` or `false`",
        Kind::Ident(_) => "a name",
        Kind::Named(..) => "a named value",
        Kind::Group(_) => "a group in `( )`",
        Kind::List(_) => "a list in `[ ]`",
        Kind::Map => "a group in `{ }`",
    }
}

impl<'p, 't> Reader<'p, 't> {
    fn at(&self, node: &'t Node, path: String, map_node: u32) -> Reader<'p, 't> {
        Reader { node, pass: self.pass, path, map_node }
    }

    fn placeholder(&self) {
        self.pass.placeholders.borrow_mut().push(self.path.clone());
    }

    fn wrong_type(&self, expected: &str) {
        self.placeholder();
        if matches!(self.node.kind, Kind::Map) {
            return; // the parser has said that `{ }` is not RON
        }
        let found = found_kind(self.node);
        let field = self.path.rsplit(['.', '[']).next().unwrap_or("");
        let subject =
            if field.is_empty() || field.ends_with(']') { "this value".to_string() } else { format!("`{field}`") };
        self.pass.report(
            "wrong-type",
            self.node.span.clone(),
            format!("{subject} should be {expected}, found {found}"),
            None,
        );
    }

    /// The whole number written here (also when written in quotes, which is reported).
    fn integer(&self) -> Option<i128> {
        match &self.node.kind {
            Kind::Number(text) => parse_integer(text),
            Kind::Str(text) if parse_integer(text.trim()).is_some() => {
                self.pass.report(
                    "wrong-type",
                    self.node.span.clone(),
                    "a number is written without quotes".into(),
                    Some(format!("remove the quotes: `{}`", text.trim())),
                );
                parse_integer(text.trim())
            }
            _ => None,
        }
    }

    fn read_integer<T: TryFrom<i128> + Default>(&self) -> T {
        match self.integer() {
            Some(n) => T::try_from(n).unwrap_or_else(|_| {
                self.pass.report(
                    "number-too-large",
                    self.node.span.clone(),
                    format!("{n} is too large a number here"),
                    Some("meters run from 0 to 100; most effects are between -15 and 15".into()),
                );
                self.placeholder();
                T::default()
            }),
            None => {
                self.wrong_type("a whole number");
                T::default()
            }
        }
    }

    fn text(&self) -> String {
        match &self.node.kind {
            Kind::Str(text) => text.clone(),
            Kind::Ident(word) | Kind::Number(word) => {
                self.pass.report(
                    "wrong-type",
                    self.node.span.clone(),
                    "a text goes in double quotes".into(),
                    Some(format!("write \"{word}\"")),
                );
                // A bare word is most likely the id meant; a number is not.
                if matches!(self.node.kind, Kind::Number(_)) {
                    self.placeholder();
                }
                word.clone()
            }
            _ => {
                self.wrong_type("a text in double quotes");
                String::new()
            }
        }
    }

    fn failed(&self, failure: Failure) -> Failure {
        match failure {
            Failure::Custom => Failure::At(self.node.id),
            other => other,
        }
    }
}

fn parse_integer(text: &str) -> Option<i128> {
    ron::from_str::<i64>(text).map(i128::from).ok().or_else(|| ron::from_str::<u64>(text).map(i128::from).ok())
}

macro_rules! integers {
    ($($method:ident $visit:ident $ty:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
            let value: $ty = self.read_integer();
            visitor.$visit(value).map_err(|e| self.failed(e))
        }
    )*};
}

impl<'de, 'p, 't> Deserializer<'de> for Reader<'p, 't> {
    type Error = Failure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let result = match &self.node.kind {
            Kind::Str(text) => visitor.visit_string(text.clone()),
            Kind::Number(text) => match parse_integer(text) {
                Some(n) => visitor.visit_i128(n),
                None => visitor.visit_f64(ron::from_str(text).unwrap_or(0.0)),
            },
            Kind::Bool(b) => visitor.visit_bool(*b),
            Kind::Ident(word) => visitor.visit_string(word.clone()),
            Kind::List(items) => return self.deserialize_seq_of(items, visitor),
            _ => visitor.visit_unit(),
        };
        result.map_err(|e| self.failed(e))
    }

    integers!(
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64
    );

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let value = match &self.node.kind {
            Kind::Bool(b) => *b,
            _ => {
                self.wrong_type("`true` or `false`");
                false
            }
        };
        visitor.visit_bool(value).map_err(|e| self.failed(e))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let value = match &self.node.kind {
            Kind::Number(text) => ron::from_str::<f64>(text).ok(),
            _ => None,
        };
        let value = value.unwrap_or_else(|| {
            self.wrong_type("a number");
            0.0
        });
        visitor.visit_f64(value).map_err(|e| self.failed(e))
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let text = self.text();
        visitor.visit_char(text.chars().next().unwrap_or(' ')).map_err(|e| self.failed(e))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let text = self.text();
        visitor.visit_string(text).map_err(|e| self.failed(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let text = self.text();
        visitor.visit_byte_buf(text.into_bytes()).map_err(|e| self.failed(e))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match &self.node.kind {
            Kind::Ident(word) if word == "None" => visitor.visit_none().map_err(|e| self.failed(e)),
            Kind::Named(name, group) if name == "Some" && group.items.len() == 1 && group.fields.is_empty() => {
                let inner = &group.items[0];
                self.pass.map.borrow_mut().set_span(self.map_node, inner.span.clone());
                let reader = self.at(inner, self.path.clone(), self.map_node);
                visitor.visit_some(reader).map_err(|e| self.failed(e))
            }
            _ => {
                let (id, pass, path, map_node) = (self.node.id, self.pass, self.path.clone(), self.map_node);
                visitor.visit_some(Reader { node: self.node, pass, path, map_node }).map_err(|e| match e {
                    Failure::Custom => Failure::At(id),
                    other => other,
                })
            }
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit().map_err(|e| self.failed(e))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Failure> {
        let id = self.node.id;
        visitor.visit_newtype_struct(self).map_err(|e| match e {
            Failure::Custom => Failure::At(id),
            other => other,
        })
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match &self.node.kind {
            Kind::List(items) => self.deserialize_seq_of(items, visitor),
            Kind::Group(group) if group.fields.is_empty() => self.deserialize_seq_of(&group.items, visitor),
            _ => {
                self.wrong_type("a list in `[ ]`");
                Placeholder.deserialize_seq(visitor)
            }
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.wrong_type("a map");
        Placeholder.deserialize_map(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        let group = match &self.node.kind {
            Kind::Group(group) => group,
            Kind::Named(written, group) => {
                if written != name {
                    self.pass.report(
                        "wrong-type",
                        self.node.span.start..self.node.span.start + written.len(),
                        format!("expected {} here, found `{written}(`", with_article(&describe_type(name))),
                        Some(format!("write just `(` or `{name}(`")),
                    );
                }
                group
            }
            _ => {
                self.wrong_type(&format!("{} in `( )`", with_article(&describe_type(name))));
                return Placeholder.deserialize_struct(name, fields, visitor);
            }
        };
        let required = required_fields(name);
        let entries = self.struct_entries(name, fields, group, &required);
        let id = self.node.id;
        let access = StructAccess { reader: &self, entries, next: 0 };
        match visitor.visit_map(access) {
            // A field this reading did not know to be required: learn it and read again. (Whether
            // this thread learned it first does not matter: files read at the same time share it.)
            Err(Failure::Missing(field)) if !required.contains(&field) => {
                learn_required(name, field);
                Err(Failure::Retry)
            }
            Err(Failure::Missing(_)) | Err(Failure::Custom) => Err(Failure::At(id)),
            other => other,
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        let (written, content) = match &self.node.kind {
            Kind::Ident(word) => (word.as_str(), None),
            Kind::Named(word, group) => (word.as_str(), Some(group)),
            Kind::Str(word) if variants.contains(&word.as_str()) => {
                self.pass.report(
                    "wrong-type",
                    self.node.span.clone(),
                    format!("`{word}` is a name, not a text"),
                    Some(format!("remove the quotes: `{word}`")),
                );
                (word.as_str(), None)
            }
            _ => {
                self.wrong_type(&with_article(&describe_type(name)));
                return Placeholder.deserialize_enum(name, variants, visitor);
            }
        };
        let variant = match variants.iter().find(|v| **v == written) {
            Some(v) => *v,
            None => {
                let list = variants.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                let guess = closest(written, variants.iter().copied());
                let help = guess.map_or_else(|| format!("expected one of {list}"), |g| format!("did you mean `{g}`?"));
                let code = if name == "Meter" { "unknown-meter" } else { "unknown-variant" };
                let span = self.node.span.start..self.node.span.start + written.len();
                let what = describe_type(name);
                let message = format!("`{written}` is not a known {what}");
                match guess {
                    // The suggestion as a quick fix for editors.
                    Some(g) => self.pass.report_with_fix(code, span, message, help, g),
                    None => self.pass.report(code, span, message, Some(help)),
                }
                self.placeholder();
                match guess {
                    Some(g) => g,
                    None => return Placeholder.deserialize_enum(name, variants, visitor),
                }
            }
        };
        let id = self.node.id;
        let access = EnumReader { reader: &self, variant, content };
        visitor.visit_enum(access).map_err(|e| match e {
            Failure::Custom | Failure::Missing(_) => Failure::At(id),
            other => other,
        })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }
}

impl<'p, 't> Reader<'p, 't> {
    fn deserialize_seq_of<'de, V: Visitor<'de>>(&self, items: &'t [Node], visitor: V) -> Result<V::Value, Failure> {
        let access = SeqReader { reader: self, items, next: 0, index: 0 };
        visitor.visit_seq(access).map_err(|e| match e {
            Failure::Custom => Failure::At(self.node.id),
            other => other,
        })
    }

    /// The fields to hand to serde, in order: the ones written (a misspelled one under the
    /// name it was probably meant to have), then stand-ins for required ones not written.
    fn struct_entries(
        &self,
        name: &'static str,
        fields: &'static [&'static str],
        group: &'t Group,
        required: &[&'static str],
    ) -> Vec<Entry<'t>> {
        let what = describe_type(name);
        if let Some(item) = group.items.first() {
            self.pass.report(
                "syntax",
                item.span.clone(),
                format!("{} holds fields written `name: value`; this value has no name", with_article(&what)),
                None,
            );
        }
        let written: HashSet<&str> = group.fields.iter().map(|f| f.name.as_str()).collect();
        let mut entries: Vec<Entry> = Vec::new();
        let taken = |entries: &[Entry], key: &str| entries.iter().any(|e| e.key == key);
        for field in &group.fields {
            if let Some(key) = fields.iter().find(|k| **k == field.name) {
                if taken(&entries, key) {
                    self.pass.report(
                        "duplicate-field",
                        field.name_span.clone(),
                        format!("the field `{key}` is written twice"),
                        Some("keep only one of them".into()),
                    );
                    continue;
                }
                entries.push(Entry { key, value: Some(&field.value) });
            }
        }
        for field in group.fields.iter().filter(|f| !fields.contains(&f.name.as_str())) {
            let unwritten = fields.iter().copied().filter(|k| !written.contains(k) && !taken(&entries, k));
            let meant = closest(&field.name, unwritten);
            let help = match meant {
                Some(key) => format!("did you mean `{key}`?"),
                None => {
                    let list = fields.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                    format!("the fields of {} are {list}", with_article(&what))
                }
            };
            let message = format!("{} has no field `{}`", with_article(&what), field.name);
            match meant {
                Some(key) => self.pass.report_with_fix("unknown-field", field.name_span.clone(), message, help, key),
                None => self.pass.report("unknown-field", field.name_span.clone(), message, Some(help)),
            }
            if let Some(key) = meant {
                entries.push(Entry { key, value: Some(&field.value) });
            }
        }
        for &key in required {
            if !taken(&entries, key) && fields.contains(&key) {
                entries.push(Entry { key, value: None });
                self.pass.placeholders.borrow_mut().push(join_field(&self.path, key));
                if !self.node.damaged {
                    let start = self.node.span.start;
                    self.pass.report(
                        "missing-field",
                        start..start + 1,
                        format!("{} is missing its `{key}` field", with_article(&what)),
                        Some(format!("add `{key}: ...` (see docs/authoring.md)")),
                    );
                }
            }
        }
        entries
    }
}

struct Entry<'t> {
    key: &'static str,
    /// None: a stand-in for a required field that is not written.
    value: Option<&'t Node>,
}

struct StructAccess<'r, 'p, 't> {
    reader: &'r Reader<'p, 't>,
    entries: Vec<Entry<'t>>,
    next: usize,
}

impl<'de> de::MapAccess<'de> for StructAccess<'_, '_, '_> {
    type Error = Failure;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Failure> {
        let Some(entry) = self.entries.get(self.next) else { return Ok(None) };
        let key: StrDeserializer<Failure> = entry.key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Failure> {
        let entry = &self.entries[self.next];
        self.next += 1;
        let path = join_field(&self.reader.path, entry.key);
        match entry.value {
            Some(node) => {
                let child =
                    self.reader.pass.map.borrow_mut().field_child(self.reader.map_node, entry.key, node.span.clone());
                seed.deserialize(self.reader.at(node, path, child))
            }
            None => seed.deserialize(Placeholder),
        }
    }
}

struct SeqReader<'r, 'p, 't> {
    reader: &'r Reader<'p, 't>,
    items: &'t [Node],
    next: usize,
    /// The index of the next element read (elements left out do not count).
    index: u32,
}

impl<'de> de::SeqAccess<'de> for SeqReader<'_, '_, '_> {
    type Error = Failure;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Failure> {
        while let Some(node) = self.items.get(self.next) {
            self.next += 1;
            if self.reader.pass.dropped.contains(&node.id) {
                self.reader.pass.report("unreadable", node.span.clone(), "this value could not be read".into(), None);
                // `list[]`: some element of the list is missing, none in particular.
                self.reader.pass.placeholders.borrow_mut().push(format!("{}[]", self.reader.path));
                continue;
            }
            let path = format!("{}[{}]", self.reader.path, self.index);
            let child =
                self.reader.pass.map.borrow_mut().index_child(self.reader.map_node, self.index, node.span.clone());
            self.index += 1;
            return seed.deserialize(self.reader.at(node, path, child)).map(Some);
        }
        Ok(None)
    }
}

struct EnumReader<'r, 'p, 't> {
    reader: &'r Reader<'p, 't>,
    variant: &'static str,
    content: Option<&'t Group>,
}

impl<'de, 'r, 'p, 't> de::EnumAccess<'de> for EnumReader<'r, 'p, 't> {
    type Error = Failure;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Failure> {
        let name: StrDeserializer<Failure> = self.variant.into_deserializer();
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for EnumReader<'_, '_, '_> {
    type Error = Failure;

    fn unit_variant(self) -> Result<(), Failure> {
        if self.content.is_some() {
            let span = self.reader.node.span.clone();
            self.reader.pass.report("syntax", span, format!("`{}` is written without brackets", self.variant), None);
        }
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Failure> {
        match self.content {
            Some(group) if group.items.len() == 1 && group.fields.is_empty() => {
                let node = &group.items[0];
                let child = self.reader.pass.map.borrow_mut().index_child(self.reader.map_node, 0, node.span.clone());
                seed.deserialize(self.reader.at(node, format!("{}[0]", self.reader.path), child))
            }
            _ => {
                self.reader.pass.report(
                    "wrong-type",
                    self.reader.node.span.clone(),
                    format!("`{}` takes one value in brackets: `{}(...)`", self.variant, self.variant),
                    None,
                );
                self.reader.placeholder();
                seed.deserialize(Placeholder)
            }
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Failure> {
        match self.content {
            Some(group) if group.items.len() == len && group.fields.is_empty() => {
                self.reader.deserialize_seq_of(&group.items, visitor)
            }
            _ => {
                let found = self.content.map_or(0, |g| g.items.len() + g.fields.len());
                self.reader.pass.report(
                    "wrong-type",
                    self.reader.node.span.clone(),
                    format!("`{}` takes {len} values in brackets, found {found}", self.variant),
                    None,
                );
                self.reader.placeholder();
                Placeholder.deserialize_tuple(len, visitor)
            }
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Failure> {
        match self.content {
            Some(group) => {
                let entries = self.reader.struct_entries(self.variant, fields, group, &required_fields(self.variant));
                visitor.visit_map(StructAccess { reader: self.reader, entries, next: 0 })
            }
            None => Placeholder.deserialize_struct(self.variant, fields, visitor),
        }
    }
}

macro_rules! placeholders {
    ($($method:ident $visit:ident $value:expr),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
            visitor.$visit($value)
        }
    )*};
}

/// A stand-in for any value: empty text, zero, no elements, the first variant.
pub struct Placeholder;

impl<'de> Deserializer<'de> for Placeholder {
    type Error = Failure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_bool(false)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_i64(0)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_u64(0)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_f64(0.0)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_str("")
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_none()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_seq(de::value::SeqDeserializer::<std::iter::Empty<Placeholder>, Failure>::new(std::iter::empty()))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_seq(de::value::SeqDeserializer::new((0..len).map(|_| Placeholder)))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        visitor.visit_map(de::value::MapDeserializer::new(fields.iter().map(|f| (*f, Placeholder))))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        visitor.visit_enum(PlaceholderVariant(variants.first().copied().unwrap_or("")))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }

    placeholders!(
        deserialize_i8 visit_i8 0, deserialize_i16 visit_i16 0, deserialize_i32 visit_i32 0,
        deserialize_u8 visit_u8 0, deserialize_u16 visit_u16 0, deserialize_u32 visit_u32 0,
        deserialize_f32 visit_f32 0.0, deserialize_char visit_char ' ', deserialize_string visit_str "",
        deserialize_identifier visit_str "", deserialize_bytes visit_bytes b"", deserialize_byte_buf visit_bytes b""
    );

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_map(de::value::MapDeserializer::new(std::iter::empty::<(Placeholder, Placeholder)>()))
    }

    serde::forward_to_deserialize_any! { i128 u128 }
}

impl<'de> IntoDeserializer<'de, Failure> for Placeholder {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

struct PlaceholderVariant(&'static str);

impl<'de> de::EnumAccess<'de> for PlaceholderVariant {
    type Error = Failure;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Failure> {
        let name: StrDeserializer<Failure> = self.0.into_deserializer();
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for PlaceholderVariant {
    type Error = Failure;

    fn unit_variant(self) -> Result<(), Failure> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Failure> {
        seed.deserialize(Placeholder)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Failure> {
        Placeholder.deserialize_tuple(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Failure> {
        Placeholder.deserialize_struct("", fields, visitor)
    }
}
