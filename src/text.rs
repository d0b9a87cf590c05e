//! Text for people, without `core::fmt`: `format!`, and `to_string` on numbers, would
//! bring its `write` machinery, formatter and integer code into the default wasm.
//! [`text!`] joins strings and integers as `format!` with one `{}` per piece would;
//! [`number`] writes a double as people write it. [`char_count`], [`char_start`],
//! [`is_blank`], [`has_byte`], [`split_at_last`], [`parts`], [`pieces`] and [`join`]
//! stand in for `chars().count()`, `char_indices().nth()`,
//! `chars().all(char::is_whitespace)`, `[u8]::contains`, `rsplit_once`, `split` (of bytes
//! and of a `str`) and `join`, whose general code is several times larger in wasm (the
//! default wasm decodes no characters).
//!
//! Code that only the full core and the native tools run (reading a plan's JSON, compiling
//! schemas, the lint) keeps `format!`.

use crate::prelude::*;

/// Joins [`Piece`]s (strings, integers, …) into a new `String`, each written as `{}`
/// writes it:
///
/// ```text
/// text!("`", name, "` has ", count, " items")
/// ```
macro_rules! text {
    ($($piece:expr),+ $(,)?) => {{
        let mut out = $crate::prelude::String::new();
        $($crate::text::Piece::push_to(&$piece, &mut out);)+
        out
    }};
}
pub(crate) use text;

/// A piece of a [`text!`].
pub(crate) trait Piece {
    /// Appends the piece to `out`, as `{}` writes it.
    fn push_to(&self, out: &mut String);
}

impl Piece for str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for usize {
    fn push_to(&self, out: &mut String) {
        push_integer(out, *self as u64);
    }
}

impl Piece for u64 {
    fn push_to(&self, out: &mut String) {
        push_integer(out, *self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

/// Appends `n` in decimal digits: those before the last, then the last.
pub(crate) fn push_integer(out: &mut String, n: u64) {
    if n >= 10 {
        push_integer(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// A number as the page's JavaScript writes it (`String(n)`): in the default wasm, the
/// page writes it (see `bindings::number`).
#[cfg(all(target_arch = "wasm32", not(feature = "full")))]
pub(crate) fn number(n: f64) -> String {
    crate::bindings::number::text(n)
}

/// A number as people write it: `5`, `0.25`, `1e308` (exponent from 21 digits on); the
/// digits std's `Display` prints below that.
#[cfg(not(all(target_arch = "wasm32", not(feature = "full"))))]
pub(crate) fn number(n: f64) -> String {
    let Some((digits, exponent)) = crate::shortest::shortest(n) else {
        let text = if n.is_nan() {
            "NaN"
        } else if n > 0.0 {
            "inf"
        } else {
            "-inf"
        };
        return text.to_string();
    };
    let mut out = String::new();
    if n.is_sign_negative() {
        out.push('-');
    }
    let digits = text!(digits);
    if n.abs() >= 1e21 {
        // At most 17 digits for 21 or more: the exponent is positive.
        out.push_str(&digits);
        out.push('e');
        push_integer(&mut out, u64::from(exponent.unsigned_abs()));
        return out;
    }
    // Where the decimal point goes, counted in digits from the first.
    let point = digits.len() as i32 + exponent;
    if point <= 0 {
        out.push_str("0.");
        for _ in point..0 {
            out.push('0');
        }
    }
    for (i, digit) in digits.bytes().enumerate() {
        if i > 0 && i as i32 == point {
            out.push('.');
        }
        out.push(char::from(digit));
    }
    for _ in 0..exponent {
        out.push('0');
    }
    out
}

/// The number of characters (Unicode scalar values) in `s`, as JSON Schema counts a
/// string's length: `chars().count()`, by a loop much smaller in wasm than core's.
pub(crate) fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

/// Where the character (Unicode scalar value) of index `n` starts in `s`, if `s` has
/// that many: `char_indices().nth(n)`, by a loop much smaller in wasm than core's.
pub(crate) fn char_start(s: &str, n: usize) -> Option<usize> {
    let mut starts = 0;
    for (at, byte) in s.bytes().enumerate() {
        // Every byte but a continuation byte (`10xxxxxx`) starts a character.
        if byte & 0xC0 != 0x80 {
            if starts == n {
                return Some(at);
            }
            starts += 1;
        }
    }
    None
}

/// Whether `s` is white space only (or empty): `chars().all(char::is_whitespace)`, read
/// as UTF-8 bytes without decoding characters. Unicode's White_Space beyond ASCII is
/// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
pub(crate) fn is_blank(s: &str) -> bool {
    let mut rest = s.as_bytes();
    loop {
        let width = match rest {
            [] => return true,
            [b'\t'..=b'\r' | b' ', ..] => 1,
            [0xC2, 0x85 | 0xA0, ..] => 2,
            [0xE1, 0x9A, 0x80, ..]
            | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
            | [0xE2, 0x81, 0x9F, ..]
            | [0xE3, 0x80, 0x80, ..] => 3,
            _ => return false,
        };
        rest = rest.get(width..).unwrap_or_default();
    }
}

/// Whether `s` holds `byte`: `[u8]::contains`, by a loop much smaller in wasm than core's
/// `memchr`.
#[allow(
    clippy::manual_contains,
    reason = "`contains` is the memchr this replaces"
)]
pub(crate) fn has_byte(s: &[u8], byte: u8) -> bool {
    s.iter().any(|&b| b == byte)
}

/// The bytes `s` split around their last `separator`, which neither part keeps:
/// `rsplit_once`, by a loop much smaller in wasm than core's pattern searcher.
pub(crate) fn split_at_last(s: &[u8], separator: u8) -> Option<(&[u8], &[u8])> {
    let at = s.iter().rposition(|&b| b == separator)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// The parts of `s` between its `separator`s: `split`, by a loop much smaller in wasm
/// than core's pattern searcher.
pub(crate) fn parts(s: &[u8], separator: u8) -> impl Iterator<Item = &[u8]> {
    s.split(move |&b| b == separator)
}

/// The pieces of `s` between its `separator`s (an ASCII byte, so that every piece is a
/// `str`): `split(char)`, through [`parts`].
pub(crate) fn pieces(s: &str, separator: u8) -> impl Iterator<Item = &str> {
    parts(s.as_bytes(), separator).map(|piece| crate::utf8::str_of(piece).unwrap_or_default())
}

/// `items` joined by `separator`: `[String]::join`, by a loop much smaller in wasm than
/// alloc's.
pub(crate) fn join(items: &[String], separator: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item);
    }
    out
}

/// `true` or `false`.
pub(crate) fn boolean(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn pieces_read_as_format_writes_them() {
        let name = "qty";
        let count: usize = 3;
        assert_eq!(
            text!(
                "`",
                name,
                "` has ",
                count,
                " items, ",
                String::from("not "),
                0usize
            ),
            format!("`{name}` has {count} items, not 0")
        );
        for n in [0, 7, 10, 99, 1234567890, u64::MAX] {
            assert_eq!(text!(n), n.to_string());
        }
    }

    #[test]
    fn numbers_show_as_std_displays_them_below_1e21() {
        for x in [
            0.5,
            1.3,
            -0.0,
            0.0,
            1e-7,
            123456.789,
            -2.5e-300,
            0.1 + 0.2,
            9.99e20,
            1e20,
        ] {
            assert_eq!(number(x), x.to_string());
        }
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(number(x), x.to_string());
        }
        assert_eq!(number(1.5e300), "15e299");
        assert_eq!(number(-1e21), "-1e21");
    }

    #[test]
    fn numbers_of_every_magnitude_below_1e21_show_as_std_displays_them() {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for i in 0..20_000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = match i % 3 {
                0 => f64::from_bits(state),
                1 => (state % 1_000_000) as f64 / 10f64.powi((state >> 40) as i32 % 30 - 8),
                _ => -((state % 1000) as f64) * 10f64.powi((state >> 50) as i32 % 40 - 20),
            };
            if x.abs() < 1e21 {
                assert_eq!(number(x), x.to_string(), "{x:e}");
            }
        }
    }

    #[test]
    fn characters_are_counted_as_chars_counts_them() {
        for s in ["", "abc", "é", "日本語", "a😀b", "\u{10FFFF}x", "tab\there"] {
            assert_eq!(char_count(s), s.chars().count(), "{s}");
        }
    }

    #[test]
    fn splitting_at_the_last_separator_is_rsplit_once() {
        for s in ["a@b@c", "@", "abc", "", "é@ü", "x:"] {
            let bytes = |(a, b): (&'static str, &'static str)| (a.as_bytes(), b.as_bytes());
            assert_eq!(
                split_at_last(s.as_bytes(), b'@'),
                s.rsplit_once('@').map(bytes),
                "{s}"
            );
            assert_eq!(
                split_at_last(s.as_bytes(), b':'),
                s.rsplit_once(':').map(bytes),
                "{s}"
            );
        }
    }

    #[test]
    fn characters_start_where_char_indices_says() {
        for s in ["", "abc", "é", "日本語", "a😀b", "\u{10FFFF}x", "tab\there"] {
            for n in 0..=s.len() + 1 {
                assert_eq!(
                    char_start(s, n),
                    s.char_indices().nth(n).map(|(at, _)| at),
                    "{s} {n}"
                );
            }
        }
    }

    #[test]
    fn blank_is_white_space_only() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let one = c.to_string();
            assert_eq!(is_blank(&one), c.is_whitespace(), "{c:?}");
            let mixed = format!(" {c}\u{3000}\u{85}");
            assert_eq!(is_blank(&mixed), c.is_whitespace(), "{c:?}");
        }
        assert!(is_blank(""));
        assert!(!is_blank(" \u{2000}x\u{2028}"));
    }

    #[test]
    fn finding_a_byte_is_contains() {
        for s in ["", ".", "a.b", "abc", "é"] {
            for byte in [b'.', b'a', 0xA9] {
                assert_eq!(has_byte(s.as_bytes(), byte), s.as_bytes().contains(&byte));
            }
        }
    }

    #[test]
    fn pieces_are_split() {
        for s in ["", "/", "a", "/a/b", "a//b/", "é/ü/日本", "//"] {
            assert_eq!(
                pieces(s, b'/').collect::<Vec<_>>(),
                s.split('/').collect::<Vec<_>>(),
                "{s}"
            );
        }
    }

    #[test]
    fn joining_is_join() {
        let items = ["call".to_string(), String::new(), "started".to_string()];
        for n in 0..=items.len() {
            assert_eq!(join(&items[..n], " "), items[..n].join(" "));
        }
    }
}
