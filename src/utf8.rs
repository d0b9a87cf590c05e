//! Bytes read as UTF-8 text: [`str_of`] does what `core::str::from_utf8(…).ok()` does, by
//! a byte loop a few hundred bytes smaller in wasm than core's word-at-a-time validator.
//! Every string the default wasm reads goes through it: the embedded plan's names and
//! each call's payload, whose bytes come from the page.

/// `bytes` as a `str`, if they are well-formed UTF-8 (RFC 3629): no overlong form, no
/// surrogate (U+D800–U+DFFF), nothing past U+10FFFF, no sequence cut short.
pub(crate) fn str_of(bytes: &[u8]) -> Option<&str> {
    if !is_utf8(bytes) {
        return None;
    }
    // SAFETY: `is_utf8` accepts exactly the well-formed UTF-8 that `from_utf8` accepts,
    // which the tests check against `core::str::from_utf8`.
    Some(unsafe { core::str::from_utf8_unchecked(bytes) })
}

/// Whether `bytes` are well-formed UTF-8: the table of well-formed byte sequences in
/// Unicode §3.9 (D92), one sequence at a time.
fn is_utf8(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some((&lead, tail)) = rest.split_first() {
        if lead < 0x80 {
            // ASCII, nearly all of what calls carry: nothing follows to check.
            rest = tail;
            continue;
        }
        // How many continuation bytes follow, and the range of the first of them, which
        // rules out overlong forms, surrogates and code points past U+10FFFF.
        let (count, first) = match lead {
            0xC2..=0xDF => (1, 0x80..=0xBF),
            0xE0 => (2, 0xA0..=0xBF),
            0xED => (2, 0x80..=0x9F),
            0xE1..=0xEF => (2, 0x80..=0xBF),
            0xF0 => (3, 0x90..=0xBF),
            0xF1..=0xF3 => (3, 0x80..=0xBF),
            0xF4 => (3, 0x80..=0x8F),
            _ => return false,
        };
        let Some((continuation, after)) = tail.split_at_checked(count) else {
            return false;
        };
        let well_formed = continuation.first().is_none_or(|b| first.contains(b))
            && continuation.iter().all(|b| b & 0xC0 == 0x80);
        if !well_formed {
            return false;
        }
        rest = after;
    }
    true
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::str_of;

    fn agrees_with_core(bytes: &[u8]) {
        assert_eq!(
            str_of(bytes),
            core::str::from_utf8(bytes).ok(),
            "{bytes:02X?}"
        );
    }

    #[test]
    fn every_sequence_of_up_to_three_bytes_is_read_as_core_reads_it() {
        agrees_with_core(&[]);
        for a in 0..=255u8 {
            agrees_with_core(&[a]);
            for b in 0..=255u8 {
                agrees_with_core(&[a, b]);
                for c in 0..=255u8 {
                    agrees_with_core(&[a, b, c]);
                }
            }
        }
    }

    #[test]
    fn every_four_byte_sequence_with_a_lead_byte_is_read_as_core_reads_it() {
        // Four bytes starting with a byte that leads a multi-byte sequence (0xC0 and on),
        // the fourth at each edge of the continuation bytes (0x80–0xBF); those starting
        // lower are one ASCII or stray continuation byte and then three bytes, which the
        // test above covers.
        for a in 0xC0..=0xFFu8 {
            for b in 0..=255u8 {
                for c in 0..=255u8 {
                    for d in [
                        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0,
                        0xED, 0xF0, 0xF4, 0xF5, 0xFF,
                    ] {
                        agrees_with_core(&[a, b, c, d]);
                    }
                }
            }
        }
    }

    #[test]
    fn random_byte_strings_are_read_as_core_reads_them() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let text = "a é 日本 😀 \u{10FFFF} \u{FFFD} \u{7FF} \u{800} \u{D7FF} \u{E000}".as_bytes();
        for _ in 0..200_000 {
            let len = (next() % 24) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| match next() % 4 {
                    // Mostly valid text, with some of its bytes changed or cut.
                    0 | 1 => text[(next() % text.len() as u64) as usize],
                    2 => 0x80 | (next() % 0x80) as u8,
                    _ => next() as u8,
                })
                .collect();
            agrees_with_core(&bytes);
            let start = (next() % text.len() as u64) as usize;
            let end = start + (next() % (text.len() - start) as u64) as usize;
            agrees_with_core(&text[start..end]);
        }
    }
}
