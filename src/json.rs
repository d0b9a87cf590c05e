//! A small JSON document model and parser.
//!
//! trackplan parses JSON itself instead of shipping `serde_json` to the browser: the parser
//! below is a few kilobytes of wasm (numbers are read by std's correctly rounded parser,
//! whose tables only the full core carries), keeps object members in document order
//! (plans are small maps; a `Vec` beats a tree for them), and bounds nesting so that
//! hostile input can never overflow the stack.

use crate::prelude::*;
use crate::text::{push_integer, text, Piece};
use core::fmt;

/// Deepest nesting of arrays and objects the parser accepts.
///
/// Tracking calls and plans are shallow; anything deeper is refused with a
/// [`ParseError`] instead of risking the (small) wasm stack.
pub const MAX_DEPTH: usize = 256;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any JSON number, as IEEE-754 double (what JavaScript holds too).
    Number(f64),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in document order, keys unique (the last duplicate wins).
    Object(Map),
}

/// The members of a JSON object, in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    /// An empty map.
    pub fn new() -> Self {
        Map(Vec::new())
    }

    /// An empty map with room for `capacity` members.
    pub fn with_capacity(capacity: usize) -> Self {
        Map(Vec::with_capacity(capacity))
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key` to `value`, replacing an earlier value of the same key in place.
    pub fn insert(&mut self, key: String, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Members in document order, as a slice.
    pub fn members(&self) -> &[(String, Value)] {
        &self.0
    }

    /// Members in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Value {
    /// The member `key` of an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// JSON Schema's name for this value's type (`integer` is reported as `number`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// JSON equality as JSON Schema defines it: numbers compare by value (`1 == 1.0`),
    /// objects regardless of member order.
    pub fn json_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.json_eq(y))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k).is_some_and(|w| v.json_eq(w)))
            }
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            _ => false,
        }
    }
}

/// An estimate of the bytes `value` holds in memory: a [`Value`] for it and each value in
/// it, a `String` and the text of each member's name, and the text of each string. What
/// the history counts against its budget (see `tracker::HISTORY_BUDGET`); no number is
/// written, so it is cheap enough for every call.
pub fn weight(value: &Value) -> usize {
    let inner = match value {
        Value::String(s) => s.len(),
        Value::Array(items) => items.iter().map(weight).sum(),
        Value::Object(map) => map
            .iter()
            .map(|(name, value)| size_of::<String>() + name.len() + weight(value))
            .sum(),
        Value::Null | Value::Bool(_) | Value::Number(_) => 0,
    };
    size_of::<Value>() + inner
}

/// A value as JSON writes it, for the full core's reports (see `bindings::tools`).
#[cfg(feature = "full")]
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => serializer.serialize_f64(*n),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut object = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in map.iter() {
                    object.serialize_entry(key, value)?;
                }
                object.end()
            }
        }
    }
}

/// Whether `n` is an integer (no fraction; not infinite, not NaN): what JSON Schema's
/// `integer` accepts. It is `n.fract() == 0.0`, which the `no_std` wasm lacks.
pub fn is_integer(n: f64) -> bool {
    // From 2^52 on every double is an integer; below, the cast to i64 is exact.
    if n.abs() >= 4_503_599_627_370_496.0 {
        n.is_finite()
    } else {
        n == n as i64 as f64
    }
}

/// Why a text is not JSON trackplan can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the problem in the input.
    pub offset: usize,
    /// What is wrong, for a person.
    pub message: String,
}

/// `message at byte offset`.
impl Piece for ParseError {
    fn push_to(&self, out: &mut String) {
        out.push_str(&self.message);
        out.push_str(" at byte ");
        push_integer(out, self.offset as u64);
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text!(self))
    }
}

impl core::error::Error for ParseError {}

impl ParseError {
    /// Why `text` (the input) is not JSON, where a person finds it: `not valid JSON at
    /// line 3, column 19: expected a string key in object`, the line and column from 1,
    /// the column in UTF-16 units as editors and JavaScript count them.
    pub fn in_text(&self, text: &str) -> String {
        let before = text
            .as_bytes()
            .get(..self.offset)
            .unwrap_or(text.as_bytes());
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |at| at + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        // A continuation byte adds nothing; a 4-byte character is two UTF-16 units.
        let column: usize = before[start..]
            .iter()
            .map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
            .sum();
        text!(
            "not valid JSON at line ",
            line,
            ", column ",
            column + 1,
            ": ",
            self.message
        )
    }
}

/// Parses one JSON document (surrounding white space allowed).
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    parser.skip_space();
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

/// Whether this build says what is wrong with a text that is not JSON: natively and in
/// the full core, where plans are parsed and their errors shown to people. The default
/// wasm parses only what the shim's `JSON.stringify` wrote, which is JSON (its payloads,
/// context values): it says [`NOT_JSON`] of anything else and keeps only the message of
/// too deep a nesting, the one problem such text can have.
const SAYS_WHY: bool = cfg!(any(not(target_arch = "wasm32"), feature = "full"));

/// What the default wasm says of a text that is not JSON (see [`SAYS_WHY`]).
const NOT_JSON: &str = "not JSON";

impl Parser<'_> {
    /// The error `message` at the current position ([`NOT_JSON`] where the build does not
    /// say why).
    fn error(&self, message: &'static str) -> ParseError {
        ParseError {
            offset: self.pos,
            message: if SAYS_WHY { message } else { NOT_JSON }.to_string(),
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect_word(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.text.as_bytes()[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.expect_word("true", Value::Bool(true)),
            Some(b'f') => self.expect_word("false", Value::Bool(false)),
            Some(b'n') => self.expect_word("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn check_depth(&self, depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            Err(ParseError {
                offset: self.pos,
                message: text!("nesting deeper than ", MAX_DEPTH, " levels"),
            })
        } else {
            Ok(())
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.check_depth(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']' in array")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.check_depth(depth)?;
        self.pos += 1;
        let mut map = Map::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key in object"));
            }
            let key = self.string()?;
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' after object key"));
            }
            self.pos += 1;
            self.skip_space();
            let value = self.value(depth)?;
            map.insert(key, value);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                _ => return Err(self.error("expected ',' or '}' in object")),
            }
        }
    }

    /// Reads a number literal, checked against JSON's grammar, and its value: the double
    /// nearest to it, as `JSON.parse` reads it (`str::parse`, correctly rounded; a
    /// magnitude beyond the largest double is infinite).
    ///
    /// The default wasm never parses numbers (it reads them as doubles in the binary form),
    /// so std's parser and its tables are only in the full core and the native tools.
    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            // No digit may follow a leading zero.
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit after '.'"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit in exponent"));
            }
            self.digits();
        }
        self.text
            .get(start..self.pos)
            .and_then(|literal| literal.parse().ok())
            .map(Value::Number)
            .ok_or_else(|| self.error("expected a number"))
    }

    /// Skips a run of digits.
    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let end = bytes
            .get(start..)
            .unwrap_or_default()
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .map_or(bytes.len(), |n| start + n);
        if bytes.get(end) == Some(&b'"') {
            // No escapes: the usual case, one allocation of the exact size.
            self.pos = end + 1;
            return Ok(self.text.get(start..end).unwrap_or_default().to_string());
        }
        let mut out = String::with_capacity(end - start + 8);
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                let c = if (0xD800..0xDC00).contains(&unit)
                    && self.text.as_bytes()[self.pos..].starts_with(b"\\u")
                {
                    let save = self.pos;
                    self.pos += 2;
                    let low = self.hex4()?;
                    if (0xDC00..0xE000).contains(&low) {
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    } else {
                        self.pos = save;
                        None
                    }
                } else {
                    char::from_u32(unit)
                };
                // A lone surrogate has no UTF-8 form: it becomes U+FFFD, as `TextEncoder` does.
                out.push(c.unwrap_or('\u{FFFD}'));
                return Ok(());
            }
            _ => return Err(self.error("invalid escape in string")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("truncated \\u escape"))?;
        let unit = digits
            .bytes()
            .try_fold(0, |unit, b| Some(unit << 4 | char::from(b).to_digit(16)?))
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.pos += 4;
        Ok(unit)
    }
}

/// Appends `segment` to a JSON pointer, escaping `~` and `/` as RFC 6901 says: the runs
/// between them are copied whole.
pub fn push_pointer(pointer: &mut String, segment: &str) {
    pointer.push('/');
    let mut run = 0;
    for (at, byte) in segment.bytes().enumerate() {
        let escaped = match byte {
            b'~' => "~0",
            b'/' => "~1",
            _ => continue,
        };
        // `~` and `/` are ASCII, so `run..at` lies on character boundaries.
        pointer.push_str(segment.get(run..at).unwrap_or_default());
        pointer.push_str(escaped);
        run = at + 1;
    }
    pointer.push_str(segment.get(run..).unwrap_or_default());
}

/// `pointer` with `segment` appended (see [`push_pointer`]), in one allocation.
pub fn join_pointer(pointer: &str, segment: &str) -> String {
    let mut joined = String::with_capacity(pointer.len() + 1 + segment.len());
    joined.push_str(pointer);
    push_pointer(&mut joined, segment);
    joined
}

/// Undoes RFC 6901's escapes in one pointer segment (`~1` is `/`, `~0` is `~`): each `~`
/// starts a piece whose first byte says what it stood for.
pub fn unescape_pointer_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    let mut pieces = crate::text::pieces(segment, b'~');
    out.push_str(pieces.next().unwrap_or_default());
    for piece in pieces {
        let (unescaped, rest) = match piece.as_bytes().first() {
            Some(b'1') => ('/', piece.get(1..)),
            Some(b'0') => ('~', piece.get(1..)),
            // A `~` escaping nothing stays as it is.
            _ => ('~', Some(piece)),
        };
        out.push(unescaped);
        out.push_str(rest.unwrap_or_default());
    }
    out
}

/// `s` as a JSON string literal (quotes and escapes included).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_quoted(&mut out, s);
    out
}

/// Appends `s` to `out` as a JSON string literal (quotes and escapes included): the runs
/// between characters to escape are copied whole, so a verdict's messages cost a copy,
/// not a push per character.
pub fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (at, byte) in s.bytes().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            _ => continue,
        };
        // Every byte escaped is ASCII, so `run..at` lies on character boundaries.
        out.push_str(s.get(run..at).unwrap_or_default());
        run = at + 1;
        if escaped.is_empty() {
            let hex = |digit: u8| char::from(b"0123456789abcdef"[usize::from(digit & 0xF)]);
            out.push_str("\\u00");
            out.push(hex(byte >> 4));
            out.push(hex(byte));
        } else {
            out.push_str(escaped);
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_value() {
        let v = parse(r#" {"a": [1, -2.5e1, true, false, null], "b": "x\"\u00e9\ud83d\ude00"} "#)
            .unwrap();
        let a = v.get("a").unwrap().as_array().unwrap();
        assert_eq!(a[0], Value::Number(1.0));
        assert_eq!(a[1], Value::Number(-25.0));
        assert_eq!(a[2], Value::Bool(true));
        assert_eq!(a[4], Value::Null);
        assert_eq!(v.get("b").unwrap().as_str(), Some("x\"é😀"));
    }

    #[test]
    fn keeps_member_order_and_last_duplicate() {
        let v = parse(r#"{"z":1,"a":2,"z":3}"#).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["z", "a"]);
        assert_eq!(v.get("z"), Some(&Value::Number(3.0)));
    }

    #[test]
    fn unicode_escapes_read_in_either_case() {
        assert_eq!(
            parse(r#""\u00e9\u00C9\ud83d\ude00""#).unwrap(),
            Value::String("éÉ😀".into())
        );
    }

    #[test]
    fn lone_surrogate_becomes_replacement_character() {
        assert_eq!(
            parse(r#""a\ud800b""#).unwrap(),
            Value::String("a\u{FFFD}b".into())
        );
    }

    #[test]
    fn rejects_malformed_text_with_an_offset() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "tru",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"\\u+123\"",
            "\"\\u12\"",
            "\"a",
            "[1] 2",
            "-",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.offset <= bad.len(), "{bad}: {err}");
        }
    }

    #[test]
    fn says_where_the_text_is_not_json_by_line_and_column() {
        let text = "{\n  \"rules\": [\n    { \"key\": \"x\", }\n  ]\n}\n";
        assert_eq!(
            parse(text).unwrap_err().in_text(text),
            "not valid JSON at line 3, column 19: expected a string key in object"
        );
        // Columns count UTF-16 units: é is one, 😀 two; the 1 is the eighth.
        let text = "[\"é😀\" 1]";
        let err = parse(text).unwrap_err();
        assert!(
            err.in_text(text)
                .starts_with("not valid JSON at line 1, column 8: "),
            "{}",
            err.in_text(text)
        );
        assert!(parse("")
            .unwrap_err()
            .in_text("")
            .starts_with("not valid JSON at line 1, column 1: "));
    }

    #[test]
    fn bounds_nesting_instead_of_overflowing() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nesting deeper than 256"));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn json_equality_ignores_member_order_and_number_spelling() {
        let a = parse(r#"{"x":[1,{"y":2}],"z":null}"#).unwrap();
        let b = parse(r#"{"z":null,"x":[1.0,{"y":2e0}]}"#).unwrap();
        assert!(a.json_eq(&b));
        assert!(!a.json_eq(&parse(r#"{"x":[1,{"y":3}],"z":null}"#).unwrap()));
    }

    #[test]
    fn integers_are_numbers_without_a_fraction() {
        let doubles = [
            0.0,
            -0.0,
            1.0,
            -7.0,
            0.5,
            -2.25,
            1e-300,
            4503599627370495.5,
            4503599627370496.0,
            9007199254740993.0,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for n in doubles {
            assert_eq!(is_integer(n), n.fract() == 0.0, "{n}");
        }
    }

    /// The value the parser reads for a JSON number literal.
    fn number_from_literal(literal: &str) -> f64 {
        parse(literal).unwrap().as_f64().unwrap()
    }

    #[test]
    fn numbers_of_every_spelling_and_magnitude_read_as_std_parses_them() {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "1",
            "-1",
            "0.1",
            "0.3",
            "123.456",
            "1e21",
            "1.5e-7",
            "1E+2",
            "9007199254740991",
            "0.0075",
            "0.0001",
            "2.5e-3",
            "-12.5e10",
            "100000000000000000000123",
            "6.02214076e-300",
            "0e400",
            "-0.0e-5",
        ]
        .map(String::from)
        .into();
        for exponent in -330..=310 {
            for mantissa in ["1", "4.9406564584124654", "123456789012345678"] {
                texts.push(format!("{mantissa}e{exponent}"));
            }
        }
        for text in texts {
            assert_eq!(
                number_from_literal(&text).to_bits(),
                text.parse::<f64>().unwrap().to_bits(),
                "{text}"
            );
        }
        assert_eq!(number_from_literal("1e400"), f64::INFINITY);
        assert_eq!(number_from_literal("-1e400"), f64::NEG_INFINITY);
        assert_eq!(number_from_literal("1e-400"), 0.0);
    }

    /// The doubles of a xorshift64 sequence from `seed`: every bit pattern (subnormals and
    /// every magnitude alike), NaN and infinities left out.
    fn random_doubles(seed: u64) -> impl Iterator<Item = f64> {
        let mut state = seed;
        core::iter::repeat_with(move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            f64::from_bits(state)
        })
        .filter(|x| x.is_finite())
    }

    #[test]
    fn a_million_random_doubles_read_back_exactly_as_json_parse_reads_them() {
        for (i, x) in random_doubles(0x9e37_79b9_7f4a_7c15)
            .take(1_000_000)
            .enumerate()
        {
            // The shortest digits that read back as `x`, in both notations: what
            // `JSON.stringify` and people write.
            let text = if i % 2 == 0 {
                format!("{x:e}")
            } else {
                format!("{x}")
            };
            assert_eq!(number_from_literal(&text).to_bits(), x.to_bits(), "{text}");
        }
    }

    #[test]
    fn seventeen_digit_values_read_exactly() {
        for text in [
            "924.4510286116117",
            "0.30000000000000004",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "1.7976931348623157e308",
            "-9007199254740993",
            "123456789012345678901234567890",
            "0.000000000000000000000000000001234567890123456789",
        ] {
            assert_eq!(
                number_from_literal(text).to_bits(),
                text.parse::<f64>().unwrap().to_bits(),
                "{text}"
            );
        }
    }

    #[test]
    fn weight_counts_values_names_and_strings() {
        let value = parse(r#"{"ab":["xyz",1]}"#).unwrap();
        let value_size = size_of::<Value>();
        assert_eq!(
            weight(&value),
            value_size + size_of::<String>() + 2 + value_size + (value_size + 3) + value_size
        );
    }

    #[test]
    fn pointer_segments_are_escaped() {
        let mut p = String::new();
        push_pointer(&mut p, "a/b");
        push_pointer(&mut p, "m~n");
        assert_eq!(p, "/a~1b/m~0n");
        assert_eq!(unescape_pointer_segment("a~1b"), "a/b");
        assert_eq!(unescape_pointer_segment("m~0n~01"), "m~n~1");
        assert_eq!(unescape_pointer_segment("~2~"), "~2~");
        assert_eq!(unescape_pointer_segment("é~1~~0ü"), "é/~~ü");
        let mut p = String::new();
        push_pointer(&mut p, "é/~ü~");
        assert_eq!(p, "/é~1~0ü~0");
    }

    #[test]
    fn quote_round_trips() {
        let s = "he said \"hi\"\n\\ \u{1}";
        assert_eq!(parse(&quote(s)).unwrap(), Value::String(s.into()));
    }

    #[test]
    fn quoted_strings_read_back_as_they_were() {
        // Every ASCII character, each escaped one between and beside multi-byte ones.
        let mut strings: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        for b in (0u8..0x20).chain([b'"', b'\\']) {
            let c = char::from(b);
            strings.push(format!("é{c}€{c}{c}😀"));
            strings.push(format!("{c}ab{c}"));
        }
        strings.push(String::new());
        for s in strings {
            let mut out = String::from("[");
            push_quoted(&mut out, &s);
            assert_eq!(
                serde_json::from_str::<Vec<String>>(&(out + "]")).unwrap(),
                std::slice::from_ref(&s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn control_characters_are_escaped_in_lower_case_hex() {
        assert_eq!(quote("\u{1}\u{1f}\u{c}"), r#""\u0001\u001f\u000c""#);
    }
}
