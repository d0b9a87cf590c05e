// Writes the table of tests/number_strings.txt, which text::number must match (src/text.rs
// tests): `<a double's bits as 16 hex digits> <String(n)>` for tricky doubles and seeded
// random ones.
//   node scripts/number-strings.mjs > tests/number_strings.txt
const view = new DataView(new ArrayBuffer(8));
const bits = (x) => { view.setFloat64(0, x); return view.getBigUint64(0).toString(16).padStart(16, '0'); };
const fromBits = (b) => { view.setBigUint64(0, b); return view.getFloat64(0); };
const cases = [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE,
  -Number.MAX_VALUE, 2.2250738585072014e-308, 2.225073858507201e-308, Number.EPSILON, Number.MAX_SAFE_INTEGER,
  2 ** 53, 2 ** 53 + 2, 2 ** 64, 2 ** 63, 0.1 + 0.2, 1 / 3, 2 / 3, 100 / 3, 924.4510286116117, 312.5, -1e-7, 1e-7,
  1.5e-7, 0.000001, 0.0000015, 0.0000001234, 1e21, -1e21, 1e20, 999999999999999900000, 1e21 - 65536 * 2,
  123456789012345680000, 1.2345678901234568e21, 1.5e300, 5e-324, 1e-323, 4.9406564584124654e-324, 1e308, 1e-308,
  0.5, 1.3, 123456.789, -2.5e-300, 9.99e20, 1.7976931348623157e308, 9007199254740993, 4503599627370495.5,
  0.0075, 0.0001, 1e23, 8.41e21, 5e-7, 5e-6, 2 ** -1022, 2 ** -1023, 1 - 2 ** -53, 1 + 2 ** -52];
for (let e = -25; e <= 25; e++) for (const m of [1, 1.5, 9.999999999999999, 123456789012345.6]) cases.push(Number(`${m}e${e}`), -Number(`${m}e${e}`));
for (let p = -1074; p <= 1023; p += 17) cases.push(2 ** p);
let state = 0x2545f4914f6cdd1dn;
const mask = (1n << 64n) - 1n;
for (let i = 0; i < 200; i++) {
  state ^= (state << 13n) & mask; state ^= state >> 7n; state ^= (state << 17n) & mask;
  const x = fromBits(state);
  cases.push(i % 2 ? x : Number((x % 1e6).toPrecision(1 + (i % 17))));
}
console.log(`# <a double's bits in hex> <String(n) in Node ${process.version}>: the ECMAScript Number::toString that`);
console.log('# text::number must write (src/text.rs), from `node scripts/number-strings.mjs`.');
const seen = new Set();
for (const x of cases) { const b = bits(x); if (!seen.has(b)) { seen.add(b); console.log(`${b} ${String(x)}`); } }
