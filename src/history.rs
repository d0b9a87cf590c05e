//! A bounded history of recent calls, for `events()` in the console and test helpers.

use alloc::collections::VecDeque;

/// A ring buffer that keeps the newest `capacity` entries.
#[derive(Debug)]
pub struct History<T> {
    entries: VecDeque<T>,
    capacity: usize,
}

impl<T> History<T> {
    /// An empty history that keeps at most `capacity` entries (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        History {
            entries: VecDeque::with_capacity(capacity.min(1024)),
            capacity,
        }
    }

    /// Records `entry`, forgetting the oldest one when full.
    pub fn push(&mut self, entry: T) {
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// The entries, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.entries.iter()
    }

    /// The entries, oldest first, to amend.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.entries.iter_mut()
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
    fn zero_capacity_keeps_nothing() {
        let mut h = History::new(0);
        h.push(1);
        assert_eq!(h.len(), 0);
        assert!(h.is_empty());
    }
}
