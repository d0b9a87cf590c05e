//! Text for people, without `core::fmt`: `format!`, and `to_string` on numbers, would
//! bring its `write` machinery, formatter and integer code into the default wasm.
//! [`text!`] joins strings and integers as `format!` with one `{}` per piece would;
//! [`number`] writes a double as JavaScript's `String(n)` does. [`char_count`], [`char_start`],
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

/// A number as JavaScript writes it (`String(n)`): in the default wasm the page writes it
/// (see `bindings::number`), which carries no number formatting of its own.
#[cfg(all(target_arch = "wasm32", not(feature = "full")))]
pub(crate) fn number(n: f64) -> String {
    crate::bindings::number::text(n)
}

/// A number as JavaScript writes it (`String(n)`, ECMAScript's `Number::toString`): `5`,
/// `0.25`, `1e-7`, `123456789012345680000`, `1e+21`, `0` for `-0`, `NaN`, `-Infinity`.
/// Natively and in the full core it is written here from the [`shortest`] digits, laid out
/// as the standard says: with the decimal point `point` digits after the first of `k`,
/// plain digits from `1e-6` up to `1e21` (`point - k` zeros after them, or `-point` zeros
/// between `0.` and them), else the digits in exponent form (`1.5e+300`, `5e-324`).
#[cfg(not(all(target_arch = "wasm32", not(feature = "full"))))]
pub(crate) fn number(n: f64) -> String {
    let Some((digits, exponent)) = shortest(n) else {
        let text = if n.is_nan() {
            "NaN"
        } else if n > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        };
        return text.to_string();
    };
    if digits == 0 {
        // `-0` too.
        return "0".to_string();
    }
    let mut out = String::new();
    if n < 0.0 {
        out.push('-');
    }
    let digits = text!(digits);
    let k = digits.len() as i32;
    let point = k + exponent;
    let zeros = |out: &mut String, count: i32| (0..count).for_each(|_| out.push('0'));
    if (k..=21).contains(&point) {
        out.push_str(&digits);
        zeros(&mut out, point - k);
    } else if (1..=21).contains(&point) {
        let (whole, fraction) = digits.split_at(point as usize);
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    } else if (-5..=0).contains(&point) {
        out.push_str("0.");
        zeros(&mut out, -point);
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push_str(if point > 0 { "e+" } else { "e-" });
        push_integer(&mut out, u64::from((point - 1).unsigned_abs()));
    }
    out
}

/// `|n|` as `(digits, exponent)`: the fewest digits whose `digits · 10^exponent` reads
/// back as `|n|` and, among those, the closest to it, without trailing zeros in `digits`;
/// `(0, 0)` for zero, `None` for infinities and NaN. Read from the text of ryu's shortest
/// digits, or in the default wasm from the page's `String(n)` (which has the same digits).
pub(crate) fn shortest(n: f64) -> Option<(u64, i32)> {
    if !n.is_finite() {
        return None;
    }
    #[cfg(all(target_arch = "wasm32", not(feature = "full")))]
    let digits = decimal(number(n).as_bytes());
    #[cfg(not(all(target_arch = "wasm32", not(feature = "full"))))]
    let digits = decimal(ryu::Buffer::new().format_finite(n).as_bytes());
    Some(digits)
}

/// The digits and exponent of a decimal number's text (`-12.5`, `100.0`, `0.0001`,
/// `1.2e-7`, `1e+21`, `123456789012345680000`) as [`shortest`] gives them: `(125, -1)`,
/// `(1, 2)`, … Zeros are counted rather than multiplied in until a digit follows them, so
/// that trailing ones (21 digits of a large integer) never overflow the `u64`; a text of
/// more digits than that (a page that replaced `String`'s methods) wraps around, without
/// trapping.
fn decimal(text: &[u8]) -> (u64, i32) {
    let (mut digits, mut exponent, mut zeros) = (0u64, 0i32, 0i32);
    let mut fraction = false;
    let mut rest = text;
    while let [byte, tail @ ..] = rest {
        rest = tail;
        match byte {
            b'0' => zeros += 1,
            b'1'..=b'9' => {
                for _ in 0..=zeros {
                    digits = digits.wrapping_mul(10);
                }
                digits = digits.wrapping_add(u64::from(byte - b'0'));
                zeros = 0;
            }
            b'.' => fraction = true,
            b'e' | b'E' => break,
            // The sign.
            _ => continue,
        }
        if fraction && byte.is_ascii_digit() {
            exponent -= 1;
        }
    }
    let mut power = 0i32;
    let negative = rest.first() == Some(&b'-');
    for byte in rest {
        if byte.is_ascii_digit() {
            power = power.wrapping_mul(10).wrapping_add(i32::from(byte - b'0'));
        }
    }
    if digits == 0 {
        return (0, 0);
    }
    let power = if negative {
        power.wrapping_neg()
    } else {
        power
    };
    (digits, exponent.wrapping_add(zeros).wrapping_add(power))
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

    /// The doubles and the text Node's `String(n)` writes for them, from
    /// tests/number_strings.txt.
    fn javascript_strings() -> impl Iterator<Item = (f64, &'static str)> {
        include_str!("../tests/number_strings.txt")
            .lines()
            .filter(|line| !line.starts_with('#'))
            .map(|line| {
                let (bits, text) = line.split_once(' ').unwrap();
                (f64::from_bits(u64::from_str_radix(bits, 16).unwrap()), text)
            })
    }

    #[test]
    fn numbers_are_written_as_javascripts_string_writes_them() {
        for (x, expected) in javascript_strings() {
            assert_eq!(number(x), expected, "{x:e}");
        }
        for (x, expected) in [
            (-1e-7, "-1e-7"),
            (1e21, "1e+21"),
            (123456789012345680000.0, "123456789012345680000"),
            (-0.0, "0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (1.5e300, "1.5e+300"),
            (0.000001, "0.000001"),
            (924.4510286116117, "924.4510286116117"),
        ] {
            assert_eq!(number(x), expected);
        }
    }

    /// `|x|`'s shortest digits as ECMAScript picks them, by std's exact formatting, as
    /// `(digits, exponent of the first)`: for the fewest significant digits that can read
    /// back as `x`, the correctly rounded decimal `{:.*e}` writes (the closest, the even
    /// one of two as close: std rounds half to even) or, at a power of two, whose gap to
    /// the double below is half as wide, its neighbour above or below that reads back.
    fn std_digits(x: f64) -> (String, i32) {
        let x = x.abs();
        (0..17)
            .find_map(|precision| {
                let scientific = format!("{x:.precision$e}");
                let (mantissa, exponent) = scientific.split_once('e').unwrap();
                let rounded: u64 = mantissa.replace('.', "").parse().unwrap();
                let exponent = exponent.parse::<i32>().unwrap() - precision as i32;
                [rounded, rounded + 1, rounded - 1]
                    .into_iter()
                    .find(|digits| format!("{digits}e{exponent}").parse::<f64>().unwrap() == x)
                    .map(|digits| {
                        let text = digits.to_string();
                        let kept = text.trim_end_matches('0');
                        let first = exponent + text.len() as i32 - 1;
                        (kept.to_string(), first)
                    })
            })
            .unwrap()
    }

    /// What ECMAScript's `Number::toString` writes for `x`, laid out as the standard says
    /// from [`std_digits`]: the oracle, independent of ryu and of [`number`]'s code.
    fn ecmascript(x: f64) -> String {
        if x.is_nan() {
            return "NaN".into();
        }
        if x == 0.0 {
            return "0".into();
        }
        let sign = if x < 0.0 { "-" } else { "" };
        if x.is_infinite() {
            return format!("{sign}Infinity");
        }
        let (digits, exponent) = std_digits(x);
        let (k, n) = (digits.len() as i32, exponent + 1);
        let body = if k <= n && n <= 21 {
            format!("{digits}{}", "0".repeat((n - k) as usize))
        } else if 0 < n && n <= 21 {
            format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
        } else if -6 < n && n <= 0 {
            format!("0.{}{digits}", "0".repeat(-n as usize))
        } else {
            let e = n - 1;
            let e = if e > 0 {
                format!("+{e}")
            } else {
                e.to_string()
            };
            match digits.split_at(1) {
                (first, "") => format!("{first}e{e}"),
                (first, rest) => format!("{first}.{rest}e{e}"),
            }
        };
        format!("{sign}{body}")
    }

    /// Doubles of every kind: any bit pattern, decimal fractions, integers, and values
    /// around the bounds of plain notation (1e-7, 1e21), from a xorshift64 sequence.
    fn doubles(count: usize) -> impl Iterator<Item = f64> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        (0..count).map(move |i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let scale = 10f64.powi((state >> 40) as i32 % 50 - 25);
            match i % 5 {
                0 => f64::from_bits(state),
                1 => (state % 1_000_000) as f64 / 10f64.powi((state >> 40) as i32 % 30 - 8),
                2 => -((state % 1000) as f64) * scale,
                3 => (state >> 11) as f64 * scale / (1u64 << 53) as f64,
                _ => (state % 100_000) as f64,
            }
        })
    }

    #[test]
    fn random_doubles_are_written_as_ecmascript_lays_out_std_digits() {
        for x in doubles(200_000) {
            assert_eq!(number(x), ecmascript(x), "{x:e}");
        }
        for e in -1074..=1023 {
            let x = 2f64.powi(e);
            assert_eq!(number(x), ecmascript(x), "2^{e}");
        }
    }

    #[test]
    fn shortest_digits_are_those_std_writes() {
        let std_digits = |x: f64| {
            if !x.is_finite() {
                return None;
            }
            if x == 0.0 {
                return Some((0, 0));
            }
            let (digits, exponent) = std_digits(x);
            Some((digits.parse().unwrap(), exponent + 1 - digits.len() as i32))
        };
        for x in doubles(100_000) {
            assert_eq!(shortest(x), std_digits(x), "{x:e}");
        }
        assert_eq!(shortest(0.0075), Some((75, -4)));
        assert_eq!(shortest(-1200.0), Some((12, 2)));
        assert_eq!(shortest(5e-324), Some((5, -324)));
        assert_eq!(shortest(0.1 + 0.2), Some((30000000000000004, -17)));
        assert_eq!(shortest(-0.0), Some((0, 0)));
        assert_eq!(shortest(f64::NAN), None);
        assert_eq!(shortest(f64::NEG_INFINITY), None);
    }

    #[test]
    fn the_digits_of_javascripts_text_are_the_shortest_digits() {
        // What the default wasm reads from the page's `String(n)`.
        for (x, text) in javascript_strings().filter(|(x, _)| x.is_finite()) {
            assert_eq!(Some(decimal(text.as_bytes())), shortest(x), "{text}");
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
