//! The allocator's logic, over any [`PageSource`]: size classes, free lists, page runs.
//!
//! A request is rounded up to its *block size* ([`block_size`]): a power of two from 8 B
//! to 32 KiB (a *small* block), or else a whole number of 64 KiB pages (a *page run*).
//!
//! - Small blocks: one free list per size class. An empty class is refilled by taking the
//!   smallest free block of a larger class (or a fresh page) and halving it down: the
//!   lower half is kept and each upper half goes to the free list of its class. Halves of
//!   a page-aligned block are aligned to their own size, so a small block is always
//!   aligned to its block size, which is at least the requested alignment. Freed blocks
//!   go back to their class's list and are not merged again: memory split for a class
//!   stays with it, so a workload that repeats itself stops asking for pages once it has
//!   been through its busiest moment.
//! - Page runs: first fit from a list of free runs kept in address order, whose
//!   neighbours merge when freed. The source is asked for new pages only when no free
//!   run is long enough.
//!
//! Free blocks and free runs hold their list links in their own first bytes, so the
//! allocator needs no memory besides the heads in [`Heap`].

use core::alloc::Layout;
use core::ptr::null_mut;

/// Bytes in one page: the unit a [`PageSource`] hands out (WebAssembly's page size).
pub const PAGE_SIZE: usize = 1 << 16;

/// The smallest block, in bytes: room for a free list's link.
const MIN_BLOCK: usize = 8;

/// The largest small block, in bytes; larger requests get page runs.
const MAX_SMALL: usize = PAGE_SIZE / 2;

/// Size classes 8 B, 16 B, … 32 KiB; class `c` holds blocks of `MIN_BLOCK << c` bytes.
const CLASSES: usize = (MAX_SMALL / MIN_BLOCK).trailing_zeros() as usize + 1;

/// Where a [`Heap`] gets memory: contiguous pages that it keeps for ever.
pub trait PageSource {
    /// Adds `pages` contiguous pages of [`PAGE_SIZE`] bytes, aligned to [`PAGE_SIZE`],
    /// and returns their start, or null when no more memory can be had.
    fn grow(&mut self, pages: usize) -> *mut u8;
}

/// A free small block: the link to the next free block of the same class.
struct FreeBlock {
    next: *mut FreeBlock,
}

/// A free page run: its length in pages and the next free run (at a higher address).
struct FreeRun {
    pages: usize,
    next: *mut FreeRun,
}

/// An allocator over the pages of a [`PageSource`]. Its methods have the contracts of
/// [`core::alloc::GlobalAlloc`]'s namesakes, and return null when memory is exhausted or
/// the alignment asked is larger than a page.
pub struct Heap<S> {
    source: S,
    classes: [*mut FreeBlock; CLASSES],
    runs: *mut FreeRun,
}

impl<S: PageSource> Heap<S> {
    /// An empty heap that will take its pages from `source`.
    pub const fn new(source: S) -> Self {
        Heap {
            source,
            classes: [null_mut(); CLASSES],
            runs: null_mut(),
        }
    }

    /// Allocates a block for `layout`.
    ///
    /// # Safety
    /// As [`core::alloc::GlobalAlloc::alloc`]; also, the heap owns every page its source
    /// gave it: nothing else may write to them.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        match block_size(layout.size(), layout.align()) {
            Some(size) if size <= MAX_SMALL => self.alloc_small(class_of(size)),
            Some(size) => self.alloc_pages(size / PAGE_SIZE),
            None => null_mut(),
        }
    }

    /// Frees the block at `ptr`, allocated by this heap with `layout`.
    ///
    /// # Safety
    /// As [`core::alloc::GlobalAlloc::dealloc`].
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        if let Some(size) = block_size(layout.size(), layout.align()) {
            self.release(ptr, size);
        }
    }

    /// Resizes the block at `ptr` to `new_size` bytes: in place when the block size does
    /// not change or a page run shrinks (its tail pages are freed), else by moving it.
    /// Returns null, leaving the block as it was, when memory is exhausted.
    ///
    /// # Safety
    /// As [`core::alloc::GlobalAlloc::realloc`].
    pub unsafe fn realloc(&mut self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (Some(old), Some(new)) = (
            block_size(layout.size(), layout.align()),
            block_size(new_size, layout.align()),
        ) else {
            return null_mut();
        };
        if old == new {
            return ptr;
        }
        if old > MAX_SMALL && new > MAX_SMALL && new < old {
            self.free_pages(ptr.add(new), (old - new) / PAGE_SIZE);
            return ptr;
        }
        let moved = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !moved.is_null() {
            moved.copy_from_nonoverlapping(ptr, layout.size().min(new_size));
            self.release(ptr, old);
        }
        moved
    }

    /// Frees a block of `size` bytes (a block size).
    unsafe fn release(&mut self, ptr: *mut u8, size: usize) {
        if size <= MAX_SMALL {
            self.push(class_of(size), ptr);
        } else {
            self.free_pages(ptr, size / PAGE_SIZE);
        }
    }

    /// A block of class `class`: from its free list, or by halving a larger free block
    /// (or a new page) down to it.
    unsafe fn alloc_small(&mut self, class: usize) -> *mut u8 {
        let mut from = class;
        while from < CLASSES && self.classes[from].is_null() {
            from += 1;
        }
        let block = if from < CLASSES {
            let block = self.classes[from];
            self.classes[from] = (*block).next;
            block.cast::<u8>()
        } else {
            // A page is a block of the class above the largest.
            self.alloc_pages(1)
        };
        if block.is_null() {
            return block;
        }
        while from > class {
            from -= 1;
            self.push(from, block.add(MIN_BLOCK << from));
        }
        block
    }

    /// Puts the block at `ptr` on the free list of class `class`. Every class the heap
    /// computes exists; were one not to, the block would be left unused rather than panic.
    unsafe fn push(&mut self, class: usize, ptr: *mut u8) {
        if let Some(head) = self.classes.get_mut(class) {
            let block = ptr.cast::<FreeBlock>();
            (*block).next = *head;
            *head = block;
        }
    }

    /// A run of `pages` pages: the tail of the first free run long enough, or new pages.
    unsafe fn alloc_pages(&mut self, pages: usize) -> *mut u8 {
        let mut link: *mut *mut FreeRun = &mut self.runs;
        while !(*link).is_null() {
            let run = *link;
            if (*run).pages == pages {
                *link = (*run).next;
                return run.cast();
            }
            if (*run).pages > pages {
                (*run).pages -= pages;
                return run.cast::<u8>().add((*run).pages * PAGE_SIZE);
            }
            link = &mut (*run).next;
        }
        self.source.grow(pages)
    }

    /// Returns the run of `pages` pages at `ptr` to the free runs, merged with the free
    /// runs right before and after it.
    unsafe fn free_pages(&mut self, ptr: *mut u8, pages: usize) {
        let run = ptr.cast::<FreeRun>();
        let mut before: *mut FreeRun = null_mut();
        let mut after = self.runs;
        while !after.is_null() && after < run {
            before = after;
            after = (*after).next;
        }
        (*run).pages = pages;
        (*run).next = after;
        if !after.is_null() && end(run) == after {
            (*run).pages += (*after).pages;
            (*run).next = (*after).next;
        }
        if before.is_null() {
            self.runs = run;
        } else if end(before) == run {
            (*before).pages += (*run).pages;
            (*before).next = (*run).next;
        } else {
            (*before).next = run;
        }
    }
}

/// The address right after a free run.
unsafe fn end(run: *mut FreeRun) -> *mut FreeRun {
    run.cast::<u8>().add((*run).pages * PAGE_SIZE).cast()
}

/// The size of the block that holds `size` bytes aligned to `align`: the next power of two
/// from 8 B to 32 KiB, else a multiple of [`PAGE_SIZE`]. `None` when `align` exceeds a
/// page or the size overflows.
fn block_size(size: usize, align: usize) -> Option<usize> {
    if align > PAGE_SIZE {
        return None;
    }
    let needed = size.max(align).max(MIN_BLOCK);
    if needed <= MAX_SMALL {
        Some(needed.next_power_of_two())
    } else {
        Some(needed.checked_add(PAGE_SIZE - 1)? & !(PAGE_SIZE - 1))
    }
}

/// The class of a small block size.
fn class_of(size: usize) -> usize {
    (size / MIN_BLOCK).trailing_zeros() as usize
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
