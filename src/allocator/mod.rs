//! The wasm's memory allocator: small, and shaped for trackplan's workload — many small,
//! short-lived blocks per call (JSON values, strings, violation messages) and a few
//! long-lived ones (the compiled plan, the history ring).
//!
//! [`heap`] holds the logic, over any [`heap::PageSource`], and is tested natively over a
//! plain buffer. In wasm32 it is the `#[global_allocator]`, over the pages that
//! `memory.grow` adds to the module's linear memory; it replaces Rust's default
//! dlmalloc, which took about 8 KB of the browser's wasm.

pub mod heap;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;
    use core::ptr::null_mut;

    use super::heap::{Heap, PageSource, PAGE_SIZE};

    #[cfg(target_feature = "atomics")]
    compile_error!("the allocator is for single-threaded wasm: build without `atomics`");

    /// Pages added to the end of linear memory 0 by `memory.grow`.
    struct LinearMemory;

    impl PageSource for LinearMemory {
        fn grow(&mut self, pages: usize) -> *mut u8 {
            match core::arch::wasm32::memory_grow(0, pages) {
                usize::MAX => null_mut(),
                previous_pages => (previous_pages * PAGE_SIZE) as *mut u8,
            }
        }
    }

    /// The [`Heap`] over linear memory, behind the `GlobalAlloc` interface.
    struct Global(UnsafeCell<Heap<LinearMemory>>);

    // SAFETY: without the `atomics` target feature (refused above) a wasm32 module has one
    // thread, so no two calls can reach the heap at once; and the heap never calls out
    // (no allocation, no panic, no import) while it works, so calls never nest. Each
    // method below therefore holds the only reference to the heap while it runs.
    unsafe impl Sync for Global {}

    #[global_allocator]
    static GLOBAL: Global = Global(UnsafeCell::new(Heap::new(LinearMemory)));

    // SAFETY: `Heap`'s methods have `GlobalAlloc`'s contracts, and the pages `memory.grow`
    // adds belong to nobody else (Rust's own allocator is this one).
    unsafe impl GlobalAlloc for Global {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            (*self.0.get()).alloc(layout)
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            (*self.0.get()).dealloc(ptr, layout)
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            (*self.0.get()).realloc(ptr, layout, new_size)
        }
    }
}
