//! A bounded history of recent calls, for `events()` in the console and test helpers.

use crate::prelude::*;

/// A ring buffer that keeps the newest `capacity` entries. A `Vec` rather than a
/// `VecDeque`, whose own growing, iterating and dropping code the wasm would carry.
#[derive(Debug)]
pub struct History<T> {
    /// The entries: in the order they came until there are `capacity` of them; then a
    /// ring, each new entry replacing the oldest, at `oldest`.
    entries: Vec<T>,
    /// Where the oldest entry is once the ring is full (0 until then).
    oldest: usize,
    capacity: usize,
}

impl<T> History<T> {
    /// An empty history that keeps at most `capacity` entries (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        History {
            entries: Vec::with_capacity(capacity.min(1024)),
            oldest: 0,
            capacity,
        }
    }

    /// Records `entry`, forgetting the oldest one when full.
    pub fn push(&mut self, entry: T) {
        if self.entries.len() < self.capacity {
            self.entries.push(entry);
        } else if let Some(oldest) = self.entries.get_mut(self.oldest) {
            *oldest = entry;
            self.oldest += 1;
            if self.oldest == self.capacity {
                self.oldest = 0;
            }
        }
    }

    /// The entries, oldest first: from the oldest on, then the newer ones before it.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        let (newer, older) = self
            .entries
            .split_at_checked(self.oldest)
            .unwrap_or_default();
        older.iter().chain(newer)
    }

    /// The entries, oldest first, to amend.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        let (newer, older) = self
            .entries
            .split_at_mut_checked(self.oldest)
            .unwrap_or_default();
        older.iter_mut().chain(newer)
    }

    /// How many entries are kept now.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn keeps_the_newest_entries_in_order() {
        let mut h = History::new(3);
        for i in 0..5 {
            h.push(i);
        }
        assert_eq!(h.iter().copied().collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(h.len(), 3);
    }

    #[test]
    fn keeps_the_order_of_a_deque_through_every_turn_of_the_ring() {
        for capacity in 0..6 {
            let (mut h, mut deque) = (History::new(capacity), std::collections::VecDeque::new());
            for i in 0..20 {
                h.push(i);
                if capacity > 0 {
                    if deque.len() == capacity {
                        deque.pop_front();
                    }
                    deque.push_back(i);
                }
                assert!(h.iter().eq(deque.iter()), "{capacity} {i}");
                for entry in h.iter_mut() {
                    *entry += 100;
                }
                for entry in deque.iter_mut() {
                    *entry += 100;
                }
                assert!(h.iter().eq(deque.iter()), "{capacity} {i}");
            }
        }
    }

    #[test]
    fn zero_capacity_keeps_nothing() {
        let mut h = History::new(0);
        h.push(1);
        assert_eq!(h.len(), 0);
        assert!(h.is_empty());
    }
}
