/**
 * A small deterministic generator (xorshift32) for tests that build inputs at random, so
 * that a failure can be replayed: numbers in [0, 1) from `seed`.
 * @param {number} seed a non-zero 32-bit integer
 * @returns {() => number}
 */
export function seededRandom(seed) {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
