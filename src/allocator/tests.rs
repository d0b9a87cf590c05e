//! The heap driven over a plain buffer, natively and (through the browser test run) in
//! wasm, where the browser-only test also drives the global allocator itself. Every block
//! is filled when allocated and checked when reallocated or freed, so blocks that overlap
//! or contents that a move loses show up as a mismatch.

use std::alloc::Layout;
use std::collections::BTreeMap;
use std::ptr::null_mut;

#[cfg(not(target_arch = "wasm32"))]
use std::prelude::rust_2021::test as case;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as case;

use super::{Heap, PageSource, MAX_SMALL, PAGE_SIZE};

/// Pages handed out in order from one buffer, up to its capacity.
struct Buffer {
    base: *mut u8,
    capacity: usize,
    used: usize,
}

impl Buffer {
    fn new(capacity: usize) -> Buffer {
        // SAFETY: the layout's size is not zero.
        let base = unsafe { std::alloc::alloc(Buffer::layout(capacity)) };
        assert!(!base.is_null(), "test buffer of {capacity} pages");
        Buffer {
            base,
            capacity,
            used: 0,
        }
    }

    fn layout(capacity: usize) -> Layout {
        Layout::from_size_align(capacity * PAGE_SIZE, PAGE_SIZE).expect("buffer layout")
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout.
        unsafe { std::alloc::dealloc(self.base, Buffer::layout(self.capacity)) }
    }
}

impl PageSource for Buffer {
    fn grow(&mut self, pages: usize) -> *mut u8 {
        if self.capacity - self.used < pages {
            return null_mut();
        }
        // SAFETY: within the buffer.
        let start = unsafe { self.base.add(self.used * PAGE_SIZE) };
        self.used += pages;
        start
    }
}

/// The three calls under test, for the heap over a buffer and for the global allocator.
trait Allocator {
    unsafe fn alloc(&mut self, layout: Layout) -> *mut u8;
    unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout);
    unsafe fn realloc(&mut self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8;
}

impl Allocator for Heap<Buffer> {
    unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        Heap::alloc(self, layout)
    }
    unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        Heap::dealloc(self, ptr, layout)
    }
    unsafe fn realloc(&mut self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Heap::realloc(self, ptr, layout, new_size)
    }
}

/// The program's global allocator (in wasm, the heap over linear memory).
#[cfg(target_arch = "wasm32")]
struct Global;

#[cfg(target_arch = "wasm32")]
impl Allocator for Global {
    unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        std::alloc::alloc(layout)
    }
    unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        std::alloc::dealloc(ptr, layout)
    }
    unsafe fn realloc(&mut self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        std::alloc::realloc(ptr, layout, new_size)
    }
}

/// xorshift64: the same pseudo-random sequence on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }
}

/// The byte at `index` of a block filled from `seed`.
fn pattern(seed: u8, index: usize) -> u8 {
    ((index ^ (index >> 8)) as u8).wrapping_add(seed)
}

/// The bytes of a block of `size` bytes that are filled and checked, in order: all of its
/// first 32 (where free blocks keep their links) and its last, and every 61st between
/// (every byte would make the tests slow, not stricter: overlaps are found from the
/// addresses).
fn sample(size: usize) -> impl Iterator<Item = usize> {
    let head = size.min(32);
    (0..head)
        .chain((head..size).step_by(61))
        .chain(size.checked_sub(1).filter(|&last| last >= head))
}

/// A live block: its layout and the seed its contents were filled from.
struct Block {
    layout: Layout,
    seed: u8,
}

/// An allocator whose every live block is known, filled, and checked.
struct Checked<A> {
    allocator: A,
    live: BTreeMap<usize, Block>,
    next_seed: u8,
}

impl<A: Allocator> Checked<A> {
    fn new(allocator: A) -> Self {
        Checked {
            allocator,
            live: BTreeMap::new(),
            next_seed: 0,
        }
    }

    /// Allocates and fills a block; `None` when the allocator returns null.
    fn alloc(&mut self, size: usize, align: usize) -> Option<usize> {
        let layout = Layout::from_size_align(size, align).expect("test layout");
        // SAFETY: sizes in these tests are not zero.
        let ptr = unsafe { self.allocator.alloc(layout) };
        if ptr.is_null() {
            return None;
        }
        self.next_seed = self.next_seed.wrapping_add(1);
        Some(self.admit(
            ptr,
            Block {
                layout,
                seed: self.next_seed,
            },
        ))
    }

    /// Checks a new or moved block (alignment, no overlap with any live block), fills it
    /// and records it.
    fn admit(&mut self, ptr: *mut u8, block: Block) -> usize {
        let address = ptr as usize;
        let size = block.layout.size();
        assert_eq!(
            address % block.layout.align(),
            0,
            "{:?} at {address:#x}",
            block.layout
        );
        if let Some((before, live)) = self.live.range(..address).next_back() {
            assert!(
                before + live.layout.size() <= address,
                "overlaps the block at {before:#x}"
            );
        }
        if let Some((after, _)) = self.live.range(address..).next() {
            assert!(address + size <= *after, "overlaps the block at {after:#x}");
        }
        for index in sample(size) {
            // SAFETY: within the block, which is live and overlaps no other live block.
            unsafe { ptr.add(index).write(pattern(block.seed, index)) }
        }
        self.live.insert(address, block);
        address
    }

    /// Checks that the first `length` bytes at `address`, of a block of `size` bytes
    /// filled from `seed`, still hold its pattern.
    fn check(address: usize, seed: u8, size: usize, length: usize) {
        // SAFETY: callers pass a live block and at most its size.
        let byte = |index| unsafe { (address as *const u8).add(index).read() };
        let mut filled = sample(size).take_while(|&index| index < length);
        let first_wrong = filled.find(|&index| byte(index) != pattern(seed, index));
        assert_eq!(first_wrong, None, "contents of the block at {address:#x}");
    }

    fn free(&mut self, address: usize) {
        let block = self.live.remove(&address).expect("a live block");
        Self::check(
            address,
            block.seed,
            block.layout.size(),
            block.layout.size(),
        );
        // SAFETY: allocated by this allocator with this layout.
        unsafe { self.allocator.dealloc(address as *mut u8, block.layout) }
    }

    /// Reallocates and refills a block; `None` (the block kept) when the allocator
    /// returns null.
    fn realloc(&mut self, address: usize, new_size: usize) -> Option<usize> {
        let block = self.live.remove(&address).expect("a live block");
        let old = block.layout;
        Self::check(address, block.seed, old.size(), old.size());
        // SAFETY: allocated by this allocator with this layout; the new size is not zero.
        let ptr = unsafe { self.allocator.realloc(address as *mut u8, old, new_size) };
        if ptr.is_null() {
            Self::check(address, block.seed, old.size(), old.size());
            self.live.insert(address, block);
            return None;
        }
        Self::check(ptr as usize, block.seed, old.size(), new_size);
        let layout = Layout::from_size_align(new_size, old.align()).expect("test layout");
        Some(self.admit(ptr, Block { layout, ..block }))
    }

    /// A live block chosen at random.
    fn any_live(&self, rng: &mut Rng) -> usize {
        let skip = rng.between(0, self.live.len() - 1);
        *self.live.keys().nth(skip).expect("a live block")
    }

    fn free_all(&mut self) {
        while let Some((&address, _)) = self.live.first_key_value() {
            self.free(address);
        }
    }
}

fn heap(pages: usize) -> Checked<Heap<Buffer>> {
    Checked::new(Heap::new(Buffer::new(pages)))
}

fn pages_used(heap: &Checked<Heap<Buffer>>) -> usize {
    heap.allocator.source.used
}

/// A size: mostly small (strings, values), some up to the largest class, a few page runs.
fn random_size(rng: &mut Rng) -> usize {
    match rng.between(0, 99) {
        0..=79 => rng.between(1, 256),
        80..=96 => rng.between(257, MAX_SMALL),
        _ => rng.between(MAX_SMALL + 1, 5 * PAGE_SIZE),
    }
}

/// An alignment: mostly a primitive's, now and then anything up to a page.
fn random_align(rng: &mut Rng) -> usize {
    match rng.between(0, 9) {
        0..=7 => 1 << rng.between(0, 3),
        _ => 1 << rng.between(4, PAGE_SIZE.trailing_zeros() as usize),
    }
}

/// Random allocations, reallocations and frees, with between 0 and a few hundred blocks
/// live; every call checked by [`Checked`].
fn random_workload<A: Allocator>(checked: &mut Checked<A>, operations: usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut target = 0usize;
    for step in 0..operations {
        if step % 1000 == 0 {
            target = rng.between(0, 400);
        }
        let choice = rng.between(0, 9);
        if (checked.live.len() < target && choice < 6) || checked.live.is_empty() {
            let (size, align) = (random_size(&mut rng), random_align(&mut rng));
            checked
                .alloc(size, align)
                .expect("memory for the random workload");
        } else if choice < 3 {
            let address = checked.any_live(&mut rng);
            let size = random_size(&mut rng);
            checked
                .realloc(address, size)
                .expect("memory for the random workload");
        } else {
            let address = checked.any_live(&mut rng);
            checked.free(address);
        }
    }
    checked.free_all();
}

#[case]
fn random_sizes_and_alignments_never_overlap_and_keep_contents() {
    let mut checked = heap(256);
    random_workload(&mut checked, 100_000);
}

#[case]
fn every_alignment_up_to_a_page_is_honoured() {
    let mut checked = heap(64);
    for shift in 0..=PAGE_SIZE.trailing_zeros() {
        let align = 1 << shift;
        for size in [1, align / 2 + 1, align, align + 1, 3 * align] {
            checked
                .alloc(size, align)
                .expect("memory for the alignments");
        }
        checked.free_all();
    }
}

#[case]
fn realloc_keeps_the_pointer_within_a_block_size_and_moves_beyond_it() {
    let mut checked = heap(16);
    let small = checked.alloc(20, 4).expect("a small block");
    assert_eq!(
        checked.realloc(small, 32),
        Some(small),
        "same 32-byte class"
    );
    assert_eq!(
        checked.realloc(small, 17),
        Some(small),
        "same 32-byte class"
    );
    let moved = checked.realloc(small, 33).expect("a larger class");
    assert_ne!(moved, small);
    let moved_back = checked.realloc(moved, 9).expect("a smaller class");
    assert_ne!(moved_back, moved);

    let run = checked
        .alloc(3 * PAGE_SIZE, 8)
        .expect("a run of three pages");
    assert_eq!(
        checked.realloc(run, 2 * PAGE_SIZE + 1),
        Some(run),
        "same three pages"
    );
    assert_eq!(
        checked.realloc(run, PAGE_SIZE),
        Some(run),
        "shrunk in place"
    );
    let before = pages_used(&checked);
    // The two pages the shrink freed serve the next run.
    checked.alloc(2 * PAGE_SIZE, 8).expect("the freed tail");
    assert_eq!(pages_used(&checked), before);
    checked.free_all();
}

#[case]
fn freed_page_runs_merge_with_their_neighbours() {
    let mut checked = heap(16);
    let runs: Vec<usize> = (0..3)
        .map(|_| checked.alloc(2 * PAGE_SIZE, 8).expect("a run of two pages"))
        .collect();
    let used = pages_used(&checked);
    for address in [runs[2], runs[0], runs[1]] {
        checked.free(address);
    }
    let merged = checked.alloc(6 * PAGE_SIZE, 8).expect("the merged runs");
    assert_eq!(merged, runs.iter().copied().min().expect("three runs"));
    assert_eq!(pages_used(&checked), used);
    checked.free_all();
}

#[case]
fn exhausted_memory_returns_null_and_keeps_every_block() {
    let mut checked = heap(4);
    let mut count = 0;
    while checked.alloc(1000, 8).is_some() {
        count += 1;
    }
    assert_eq!(
        count,
        4 * PAGE_SIZE / 1024,
        "every 1 KiB block of four pages"
    );
    assert_eq!(checked.alloc(8, 8), None);
    let address = checked.any_live(&mut Rng(7));
    assert_eq!(checked.realloc(address, 2000), None, "no room to move it");
    assert_eq!(
        checked.alloc(5 * PAGE_SIZE, 8),
        None,
        "more pages than the buffer"
    );
    assert_eq!(
        checked.alloc(8, 2 * PAGE_SIZE),
        None,
        "an alignment above a page"
    );
    checked.free_all();
    checked.alloc(1000, 8).expect("freed memory is reused");
    assert_eq!(
        checked.alloc(isize::MAX as usize, 1),
        None,
        "more than any memory"
    );
    checked.free_all();
}

/// One call of the tracker, in allocations: an event parsed into values and strings, a
/// list that grows, violation messages now and then, an entry kept in a history ring of
/// 100, and every few hundred calls a large block (a serialized history).
fn event_like_calls<A: Allocator>(checked: &mut Checked<A>, rng: &mut Rng, calls: usize) {
    let mut history = std::collections::VecDeque::new();
    for call in 0..calls {
        let mut transient = Vec::new();
        for _ in 0..rng.between(10, 40) {
            let size = rng.between(8, 200);
            transient.push(checked.alloc(size, 8).expect("memory for a value"));
        }
        let mut list = checked.alloc(32, 8).expect("memory for a list");
        for size in [64, 128, 256, 512] {
            if rng.between(0, 1) == 0 {
                list = checked.realloc(list, size).expect("memory for a list");
            }
        }
        transient.push(list);
        for _ in 0..rng.between(0, 3) {
            transient.push(checked.alloc(rng.between(40, 160), 1).expect("a message"));
        }
        if call % 300 == 0 {
            let size = rng.between(1, 3) * PAGE_SIZE - rng.between(0, 1000);
            transient.push(checked.alloc(size, 8).expect("memory for a large block"));
        }
        history.push_back(
            checked
                .alloc(rng.between(100, 400), 8)
                .expect("a history entry"),
        );
        if history.len() > 100 {
            let oldest = history.pop_front().expect("a full ring");
            checked.free(oldest);
        }
        while !transient.is_empty() {
            let index = rng.between(0, transient.len() - 1);
            checked.free(transient.swap_remove(index));
        }
    }
}

/// 4,000 calls after the warm-up: some 114,000 allocations, as many frees and 8,000
/// reallocations.
#[case]
fn memory_stays_flat_over_4000_event_like_calls() {
    let mut checked = heap(256);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    // The compiled plan: long-lived blocks allocated first.
    for _ in 0..200 {
        checked
            .alloc(rng.between(16, 2000), 8)
            .expect("memory for the plan");
    }
    event_like_calls(&mut checked, &mut rng, 1_000);
    let warm = pages_used(&checked);
    event_like_calls(&mut checked, &mut rng, 4_000);
    assert_eq!(
        pages_used(&checked),
        warm,
        "pages after warm-up, and after 4,000 calls"
    );
}

/// The same checks through the global allocator: in wasm, the heap over linear memory,
/// which must not grow either once the workload is warm.
#[cfg(target_arch = "wasm32")]
#[case]
fn the_global_allocator_passes_the_same_checks() {
    let mut checked = Checked::new(Global);
    random_workload(&mut checked, 20_000);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    event_like_calls(&mut checked, &mut rng, 1_000);
    let warm = core::arch::wasm32::memory_size(0);
    event_like_calls(&mut checked, &mut rng, 10_000);
    assert_eq!(core::arch::wasm32::memory_size(0), warm);
}
