//! A bounded history of recent calls, for `events()` in the console and test helpers:
//! bounded in entries and in bytes.

use crate::prelude::*;

/// A ring buffer that keeps the newest entries: at most `capacity` of them, whose weights
/// (what each holds in memory, as the caller estimates it) add up to at most `budget`,
/// but always the newest one. A `Vec` rather than a `VecDeque`, whose own growing,
/// iterating and dropping code the wasm would carry.
#[derive(Debug)]
pub struct History<T> {
    /// The entries with their weights, in a ring from `oldest` on: `len` slots hold one,
    /// the others (left by entries evicted for their weight) none. Until the ring has
    /// turned, the slots end with the newest entry, and a new one is pushed.
    slots: Vec<Option<(T, usize)>>,
    /// Where the oldest entry is.
    oldest: usize,
    /// How many entries are kept.
    len: usize,
    capacity: usize,
    budget: usize,
    /// The weights of the entries kept, added up.
    weight: usize,
}

impl<T> History<T> {
    /// An empty history that keeps at most `capacity` entries (0 keeps none), weighing at
    /// most `budget` together, or the newest one alone if it weighs more.
    pub fn new(capacity: usize, budget: usize) -> Self {
        History {
            slots: Vec::with_capacity(capacity.min(1024)),
            oldest: 0,
            len: 0,
            capacity,
            budget,
            weight: 0,
        }
    }

    /// Records `entry`, which weighs `weight`, forgetting the oldest entries while there
    /// are `capacity` of them or their weight and `weight` add up to more than the budget.
    pub fn push(&mut self, entry: T, weight: usize) {
        if self.capacity == 0 {
            return;
        }
        while self.len > 0
            && (self.len == self.capacity || self.weight.saturating_add(weight) > self.budget)
        {
            if let Some((_, evicted)) = self.slots.get_mut(self.oldest).and_then(Option::take) {
                self.weight -= evicted;
            }
            self.oldest = (self.oldest + 1) % self.capacity;
            self.len -= 1;
        }
        let slot = Some((entry, weight));
        match self.slots.get_mut((self.oldest + self.len) % self.capacity) {
            Some(free) => *free = slot,
            None => self.slots.push(slot),
        }
        self.len += 1;
        self.weight = self.weight.saturating_add(weight);
    }

    /// The entries, oldest first: from the oldest on, then the newer ones before it.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        let (newer, older) = self.slots.split_at_checked(self.oldest).unwrap_or_default();
        older.iter().chain(newer).flatten().map(|(entry, _)| entry)
    }

    /// The entries, oldest first, to amend.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        let (newer, older) = self
            .slots
            .split_at_mut_checked(self.oldest)
            .unwrap_or_default();
        older
            .iter_mut()
            .chain(newer)
            .flatten()
            .map(|(entry, _)| entry)
    }

    /// How many entries are kept now.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn keeps_the_newest_entries_in_order() {
        let mut h = History::new(3, usize::MAX);
        for i in 0..5 {
            h.push(i, 1);
        }
        assert_eq!(h.iter().copied().collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(h.len(), 3);
    }

    #[test]
    fn keeps_the_order_of_a_deque_through_every_turn_of_the_ring() {
        for capacity in 0..6 {
            let (mut h, mut deque) = (
                History::new(capacity, usize::MAX),
                std::collections::VecDeque::new(),
            );
            for i in 0..20 {
                h.push(i, 1);
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
        let mut h = History::new(0, usize::MAX);
        h.push(1, 1);
        assert_eq!(h.len(), 0);
        assert!(h.is_empty());
    }

    #[test]
    fn keeps_the_order_and_weight_of_a_deque_evicting_by_weight() {
        // Weights from a xorshift sequence; the deque evicts as the history must.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for (capacity, budget) in [(1, 10), (3, 10), (5, 25), (8, 40), (8, usize::MAX)] {
            let mut h = History::new(capacity, budget);
            let mut deque = std::collections::VecDeque::new();
            for i in 0..200 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let weight = (state % 16) as usize;
                h.push((i, weight), weight);
                let total = |d: &std::collections::VecDeque<(i32, usize)>| {
                    d.iter().map(|(_, w)| w).sum::<usize>()
                };
                while !deque.is_empty()
                    && (deque.len() == capacity || total(&deque) + weight > budget)
                {
                    deque.pop_front();
                }
                deque.push_back((i, weight));
                assert!(h.iter().eq(deque.iter()), "{capacity} {budget} {i}");
                assert!(h.iter_mut().map(|e| &*e).eq(deque.iter()));
                assert_eq!(h.len(), deque.len());
                assert!(total(&deque) <= budget || deque.len() == 1);
            }
        }
    }

    #[test]
    fn the_newest_entry_is_kept_alone_when_it_weighs_more_than_the_budget() {
        let mut h = History::new(10, 100);
        for i in 0..5 {
            h.push(i, 10);
        }
        h.push(5, 1_000);
        assert_eq!(h.iter().copied().collect::<Vec<_>>(), [5]);
        h.push(6, 10);
        assert_eq!(h.iter().copied().collect::<Vec<_>>(), [6]);
        h.push(7, 10);
        assert_eq!(h.iter().copied().collect::<Vec<_>>(), [6, 7]);
    }
}
