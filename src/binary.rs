//! The compact binary form plans and payloads cross in: unsigned LEB128 integers,
//! strings as length and UTF-8 bytes, numbers as their eight little-endian bytes, and
//! JSON values as a tag ([`crate::protocol::tag`]) and their parts.
//!
//! `trackplan build` compiles a plan and writes it in this form, and the shim writes each
//! call's payload in it (`js/sdk/encode.js`), so the browser's wasm reads both without a
//! JSON parser, a schema compiler or a URI resolver. [`Reader`] never panics: bytes it
//! cannot read end in `None`.

use crate::json::{Map, Value, MAX_DEPTH};
use crate::prelude::*;
use crate::protocol::tag;

/// Builds the binary form.
#[derive(Default)]
pub struct Writer {
    /// The bytes written so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    /// Writes an unsigned integer (LEB128).
    pub fn uint(&mut self, mut n: usize) {
        while n >= 0x80 {
            self.bytes.push((n & 0x7F) as u8 | 0x80);
            n >>= 7;
        }
        self.bytes.push(n as u8);
    }

    /// Writes a number, bit for bit.
    pub fn number(&mut self, n: f64) {
        self.bytes.extend_from_slice(&n.to_le_bytes());
    }

    /// Writes a string.
    pub fn str(&mut self, s: &str) {
        self.uint(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// Writes bytes, with their length.
    pub fn blob(&mut self, bytes: &[u8]) {
        self.uint(bytes.len());
        self.bytes.extend_from_slice(bytes);
    }

    /// Writes a string that may be absent.
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.uint(1);
                self.str(s);
            }
            None => self.uint(0),
        }
    }

    /// Writes a list: its length, then each item with `item`.
    pub fn list<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Writer, &T)) {
        self.uint(items.len());
        for x in items {
            item(self, x);
        }
    }

    /// Writes a JSON value.
    pub fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.uint(tag::NULL),
            Value::Bool(false) => self.uint(tag::FALSE),
            Value::Bool(true) => self.uint(tag::TRUE),
            Value::Number(n) => {
                self.uint(tag::NUMBER);
                self.number(*n);
            }
            Value::String(s) => {
                self.uint(tag::STRING);
                self.str(s);
            }
            Value::Array(items) => {
                self.uint(tag::ARRAY);
                self.list(items, Writer::value);
            }
            Value::Object(map) => {
                self.uint(tag::OBJECT);
                self.uint(map.len());
                for (key, member) in map.iter() {
                    self.str(key);
                    self.value(member);
                }
            }
        }
    }
}

/// Reads the binary form; every read is `None` past the end or on malformed bytes.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads `bytes` from the start.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The bytes not read yet, as they are.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes
    }

    /// Reads the next `n` bytes as they are.
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }

    /// Reads bytes [`Writer::blob`] wrote.
    pub fn blob(&mut self) -> Option<&'a [u8]> {
        let len = self.uint()?;
        self.take(len)
    }

    /// Reads an unsigned integer.
    pub fn uint(&mut self) -> Option<usize> {
        // One byte, the usual case: a tag, a short string's length, a small count.
        if let Some((&byte, rest)) = self.bytes.split_first().filter(|(b, _)| **b < 0x80) {
            self.bytes = rest;
            return Some(usize::from(byte));
        }
        let (mut n, mut shift) = (0usize, 0);
        while shift < usize::BITS {
            let byte = *self.take(1)?.first()?;
            n |= usize::from(byte & 0x7F).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(n);
            }
            shift += 7;
        }
        None
    }

    /// Reads a number.
    pub fn number(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// Reads a string.
    pub fn str(&mut self) -> Option<&'a str> {
        let len = self.uint()?;
        crate::utf8::str_of(self.take(len)?)
    }

    /// Reads a list of strings, each [`Writer::str`] wrote.
    pub fn strings(&mut self) -> Option<Vec<String>> {
        self.list(|r| r.str().map(str::to_string))
    }

    /// Reads a string that may be absent.
    pub fn opt_str(&mut self) -> Option<Option<&'a str>> {
        match self.uint()? {
            0 => Some(None),
            1 => self.str().map(Some),
            _ => None,
        }
    }

    /// Reads a list, each item with `item`.
    pub fn list<T>(&mut self, item: impl FnMut(&mut Reader<'a>) -> Option<T>) -> Option<Vec<T>> {
        let len = self.uint()?;
        self.items(len, item)
    }

    /// Reads the `len` items of a list whose length was read already, each with `item`.
    pub fn items<T>(
        &mut self,
        len: usize,
        mut item: impl FnMut(&mut Reader<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        // Each item takes at least a byte: a corrupt length cannot reserve much.
        let mut out = Vec::with_capacity(len.min(self.bytes.len()));
        for _ in 0..len {
            out.push(item(self)?);
        }
        Some(out)
    }

    /// Reads a JSON value.
    pub fn value(&mut self) -> Option<Value> {
        self.value_at(0)
    }

    /// Reads a list of JSON values, each [`Writer::value`] wrote.
    pub fn values(&mut self) -> Option<Vec<Value>> {
        self.values_at(0)
    }

    fn values_at(&mut self, depth: usize) -> Option<Vec<Value>> {
        self.list(|r| r.value_at(depth))
    }

    fn value_at(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match self.uint()? {
            tag::NULL => Value::Null,
            tag::FALSE => Value::Bool(false),
            tag::TRUE => Value::Bool(true),
            tag::NUMBER => Value::Number(self.number()?),
            tag::STRING => Value::String(self.str()?.to_string()),
            tag::ARRAY => Value::Array(self.values_at(depth + 1)?),
            tag::OBJECT => {
                let len = self.uint()?;
                // Each member takes at least two bytes: a corrupt count cannot reserve much.
                let mut map = Map::with_capacity(len.min(self.bytes.len() / 2));
                for _ in 0..len {
                    let key = self.str()?.to_string();
                    map.insert(key, self.value_at(depth + 1)?);
                }
                Value::Object(map)
            }
            _ => return None,
        })
    }
}

/// An upper bound of the bytes of JSON text of a value whose binary form takes `bytes`:
/// JSON takes at most six bytes for each byte of the form (a control character in a
/// string is one byte here and `\u0001` in JSON; `false` in a list is one byte here and
/// six with its comma; a number's nine bytes are at most 25 with a comma).
pub fn json_bound(bytes: usize) -> usize {
    bytes.saturating_mul(6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn values_and_integers_round_trip() {
        let mut w = Writer::default();
        for n in [0, 1, 127, 128, 300, u32::MAX as usize] {
            w.uint(n);
        }
        let doc =
            parse(r#"{"a":[1,2.5,-0.0,1e308,null,true,false,"é\"x"],"b":{},"":{"c":[]}}"#).unwrap();
        w.value(&doc);
        w.blob(b"raw");
        w.opt_str(None);
        w.opt_str(Some("yes"));
        w.list(&["", "two"], |w, s| w.str(s));
        w.list(&[Value::Null, doc.clone()], Writer::value);
        let mut r = Reader::new(&w.bytes);
        for n in [0, 1, 127, 128, 300, u32::MAX as usize] {
            assert_eq!(r.uint(), Some(n));
        }
        assert!(r.value().unwrap().json_eq(&doc));
        assert_eq!(r.blob(), Some(&b"raw"[..]));
        assert_eq!(r.opt_str(), Some(None));
        assert_eq!(r.opt_str(), Some(Some("yes")));
        assert_eq!(r.strings(), Some(vec![String::new(), "two".to_string()]));
        let values = r.values().unwrap();
        assert!(Value::Array(values).json_eq(&Value::Array(vec![Value::Null, doc])));
        assert!(r.is_empty());
    }

    #[test]
    fn malformed_bytes_read_as_none_without_panicking() {
        let mut w = Writer::default();
        w.value(&parse(r#"{"key":["text",1]}"#).unwrap());
        for end in 0..w.bytes.len() {
            assert!(
                Reader::new(&w.bytes[..end]).value().is_none(),
                "cut at {end}"
            );
        }
        assert!(Reader::new(&[0xFF; 11]).uint().is_none());
        assert!(Reader::new(&[4, 2, 0xC3, 0x28]).value().is_none());
        assert!(Reader::new(&[9]).value().is_none());
        // A list claiming more items than there are bytes.
        assert!(Reader::new(&[0xFF, 0xFF, 0x03, 0])
            .list(Reader::uint)
            .is_none());
        // Nesting deeper than any parsed document.
        let deep = [5u8, 1].repeat(MAX_DEPTH + 2);
        assert!(Reader::new(&deep).value().is_none());
    }
}
