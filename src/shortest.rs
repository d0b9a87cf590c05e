//! The shortest decimal that reads back as a given double: the digits Rust's `Display`
//! prints, computed exactly with small big integers (Steele & White's free-format
//! algorithm, as core's Dragon4 fallback does it) instead of core's float formatting,
//! whose code and tables weigh some 15 KB of wasm.

use core::cmp::Ordering;

/// `|x|` as `(digits, exponent)`: the fewest digits whose `digits · 10^exponent` reads
/// back as `|x|` and, among those, the closest to it, without trailing zeros in `digits`.
/// `(0, 0)` for zero, `None` for infinities and NaN.
pub fn shortest(x: f64) -> Option<(u64, i32)> {
    if !x.is_finite() {
        return None;
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 && fraction == 0 {
        return Some((0, 0));
    }
    // |x| = mant · 2^exp, subnormals with one bit more as core decodes them.
    let (mant, exp) = if biased == 0 {
        (fraction << 1, -1075)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    // Halfway points to the neighbours are read back as `x` when its mantissa is even.
    let inclusive = mant & 1 == 0;
    // `x`, the distance to the halfway point below and above, all as multiples of 2^exp:
    // the gap below is half as wide at a power of two.
    let (mant, minus, plus, exp) = if biased == 0 {
        (mant, 1, 1, exp)
    } else if mant == 1 << 52 {
        (mant << 2, 1, 2, exp - 2)
    } else {
        (mant << 1, 1, 1, exp - 1)
    };
    // k: the decimal exponent with (x + plus) / 10^k just under 1. Start from an
    // underestimate (x ≥ 2^(bits - 1), log10 2 > 1233 / 4096) and raise it.
    let bits = 64 - mant.leading_zeros() as i32 + exp;
    let mut k = (((bits - 1) * 1233) >> 12) - 1;
    let mut mant = Big::from(mant);
    let mut minus = Big::from(minus);
    let mut plus = Big::from(plus);
    let mut scale = Big::from(1);
    if exp < 0 {
        scale.shift_left(-exp as u32);
    } else {
        for n in [&mut mant, &mut minus, &mut plus] {
            n.shift_left(exp as u32);
        }
    }
    // Whether `a` is below `b`, or at it when halfway points read back as `x`.
    let below = |a: &Big, b: &Big| match a.cmp(b) {
        Ordering::Less => true,
        Ordering::Equal => inclusive,
        Ordering::Greater => false,
    };
    if k >= 0 {
        for _ in 0..k {
            scale.mul_small(10);
        }
    } else {
        for _ in 0..-k {
            for n in [&mut mant, &mut minus, &mut plus] {
                n.mul_small(10);
            }
        }
    }
    while below(&scale, &mant.sum(&plus)) {
        scale.mul_small(10);
        k += 1;
    }
    // Digits until the rest of `x` lies within a halfway gap; at most 17 of them, so
    // their value fits a u64.
    let mut value: u64 = 0;
    let (down, up) = loop {
        for n in [&mut mant, &mut minus, &mut plus] {
            n.mul_small(10);
        }
        let mut digit = 0;
        while mant.cmp(&scale) != Ordering::Less {
            mant.sub(&scale);
            digit += 1;
        }
        value = value * 10 + digit;
        k -= 1;
        let down = below(&mant, &minus);
        let up = below(&scale, &mant.sum(&plus));
        if down || up {
            break (down, up);
        }
    };
    if up && (!down || mant.sum(&mant).cmp(&scale) != Ordering::Less) {
        value += 1;
    }
    let mut exponent = k;
    while value != 0 && value % 10 == 0 {
        value /= 10;
        exponent += 1;
    }
    Some((value, exponent))
}

/// Limbs of a [`Big`]: 1,280 bits, more than the algorithm needs (the largest number
/// it forms, a subnormal's mantissa times 10^324 times 10, is under 2^1140).
const LIMBS: usize = 40;

/// A non-negative big integer of [`LIMBS`] 32-bit limbs from the least significant: a
/// fixed array, copied rather than allocated, where a vector of limbs needed growth
/// code in every operation. Limbs from `len` on are zero; operations stop there.
#[derive(Clone, Copy)]
struct Big {
    limbs: [u32; LIMBS],
    len: usize,
}

impl Big {
    fn from(n: u64) -> Big {
        let mut limbs = [0; LIMBS];
        limbs[0] = n as u32;
        limbs[1] = (n >> 32) as u32;
        Big { limbs, len: 2 }
    }

    /// `self · 2^bits`, by multiplications by up to 2^31.
    fn shift_left(&mut self, mut bits: u32) {
        while bits > 0 {
            let step = bits.min(31);
            self.mul_small(1 << step);
            bits -= step;
        }
    }

    fn mul_small(&mut self, factor: u32) {
        let mut carry = 0u64;
        for limb in self.limbs.iter_mut().take(self.len) {
            let product = u64::from(*limb) * u64::from(factor) + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if let Some(limb) = self.limbs.get_mut(self.len).filter(|_| carry > 0) {
            *limb = carry as u32;
            self.len += 1;
        }
    }

    fn sum(&self, other: &Big) -> Big {
        let mut total = *self;
        total.len = (self.len.max(other.len) + 1).min(LIMBS);
        let mut carry = 0u64;
        for (limb, add) in total.limbs.iter_mut().zip(&other.limbs).take(total.len) {
            let sum = u64::from(*limb) + u64::from(*add) + carry;
            *limb = sum as u32;
            carry = sum >> 32;
        }
        total
    }

    /// `self - other`, with `other` at most `self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0u64;
        for (limb, take) in self.limbs.iter_mut().zip(&other.limbs).take(self.len) {
            let difference = u64::from(*limb)
                .wrapping_sub(u64::from(*take))
                .wrapping_sub(borrow);
            *limb = difference as u32;
            borrow = difference >> 63;
        }
    }

    fn cmp(&self, other: &Big) -> Ordering {
        let len = self.len.max(other.len);
        for (a, b) in self.limbs.iter().zip(&other.limbs).take(len).rev() {
            if a != b {
                return a.cmp(b);
            }
        }
        Ordering::Equal
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::shortest;

    /// The digits and exponent of std's `Display` of `x`, the oracle.
    fn displayed(x: f64) -> Option<(u64, i32)> {
        let text = x.abs().to_string();
        if !x.is_finite() {
            return None;
        }
        let (int, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let all = format!("{int}{fraction}");
        let significant = all.trim_start_matches('0');
        let kept = significant.trim_end_matches('0');
        if kept.is_empty() {
            return Some((0, 0));
        }
        let zeros = (significant.len() - kept.len()) as i32;
        Some((kept.parse().unwrap(), zeros - fraction.len() as i32))
    }

    #[test]
    fn known_values() {
        assert_eq!(shortest(0.0075), Some((75, -4)));
        assert_eq!(shortest(-1200.0), Some((12, 2)));
        assert_eq!(shortest(1e308), Some((1, 308)));
        assert_eq!(shortest(5e-324), Some((5, -324)));
        assert_eq!(shortest(0.1 + 0.2), Some((30000000000000004, -17)));
        assert_eq!(shortest(f64::MAX), Some((17976931348623157, 292)));
        assert_eq!(shortest(0.0), Some((0, 0)));
        assert_eq!(shortest(f64::NAN), None);
    }

    #[test]
    fn agrees_with_std_display_across_all_magnitudes() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for i in 0..40_000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = match i % 4 {
                0 => f64::from_bits(state),
                1 => f64::from_bits(state >> 12 | (i % 2046 + 1) << 52),
                2 => (state % 100_000) as f64 / 10f64.powi((state >> 40) as i32 % 12),
                _ => f64::from_bits(state & ((1 << 52) - 1)),
            };
            assert_eq!(shortest(x), displayed(x), "{x:e}");
        }
        for e in -1074..=1023 {
            let x = 2f64.powi(e);
            assert_eq!(shortest(x), displayed(x), "2^{e}");
        }
    }
}
