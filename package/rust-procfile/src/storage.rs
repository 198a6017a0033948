// SPDX-License-Identifier: GPL-2.0

//! Storage model of the rustprocfile module.
//!
//! A sparse, size-capped byte file with the semantics of a regular file in
//! tmpfs: reads past the end return nothing, writes past the end leave a gap
//! that reads as zeros, `SEEK_DATA`/`SEEK_HOLE` report the allocated pages.
//!
//! The data lives in pages of [`CHUNK_SIZE`] bytes, the storage's own unit
//! (not the kernel's page), that are allocated on first write and indexed by
//! a radix tree, so holes cost no memory and every operation does work
//! proportional to the size of the request (times the tree depth), never to
//! the size of the file.
//!
//! This file uses `core` only and is shared by the kernel module (where it is
//! a submodule) and the host test crate (where it is the library root).
//! Memory comes from an [`Allocator`] and user memory is accessed through
//! [`Source`] and [`Sink`], so the kernel and the host provide their own.
//!
//! The functions on the path of every read and write are `#[inline]`, so
//! that they fold into the module's `proc_ops` callbacks, and that path is
//! kept short for small requests, the common ones: a read within one page
//! skips the page loop, a tree slot is one pointer, and the bounce page is
//! kept apart from the tree. docs/PERFORMANCE.md compares the instructions
//! per request with the C twin's.

use core::ops::{Deref, DerefMut};

/// Size in bytes of one data page, the unit in which the storage allocates
/// and indexes file data. It is the storage's chunk size, independent of the
/// kernel's `PAGE_SIZE`.
pub const CHUNK_SIZE: usize = 4096;

/// Number of slots in one radix tree node, as a power of two.
const FANOUT_SHIFT: u32 = 6;

/// Number of slots in one radix tree node.
const FANOUT: usize = 1 << FANOUT_SHIFT;

/// Largest supported `max_size`: `i64::MAX`, the largest file offset.
pub const MAX_SUPPORTED_SIZE: u64 = i64::MAX as u64;

/// One page of file data.
pub type Page = [u8; CHUNK_SIZE];

/// Errors returned by the storage; each maps to one errno.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// `EINVAL`: invalid offset or argument.
    Inval,
    /// `ENOSPC`: the file is at its maximum size.
    NoSpc,
    /// `EFBIG`: the offset is beyond the largest file size of the filesystem.
    FBig,
    /// `ENOMEM`: a page or index node could not be allocated.
    NoMem,
    /// `EFAULT`: user memory could not be accessed.
    Fault,
    /// `ENXIO`: no data or hole at or after the offset (`SEEK_DATA`/`SEEK_HOLE`).
    NxIo,
}

/// Result type of the storage operations.
pub type Result<T = ()> = core::result::Result<T, Error>;

/// Fallible memory allocation used by the storage.
pub trait Allocator {
    /// Owning pointer to a heap allocation.
    type Box<T>: Deref<Target = T> + DerefMut;

    /// Moves `value` to the heap; fails with [`Error::NoMem`].
    fn new_box<T>(value: T) -> Result<Self::Box<T>>;

    /// Allocates a page filled with zeros; fails with [`Error::NoMem`].
    fn new_zeroed_page() -> Result<Self::Box<Page>>;
}

/// Where written data comes from (user memory in the kernel).
pub trait Source {
    /// Fills `dst` with the next `dst.len()` bytes, or fails with
    /// [`Error::Fault`]. After a failure the content of `dst` is unspecified.
    fn read_into(&mut self, dst: &mut [u8]) -> Result;
}

/// Where read data goes to (user memory in the kernel).
pub trait Sink {
    /// Appends `src`, or fails with [`Error::Fault`]; after a failure part of
    /// `src` may have been copied.
    fn write_from(&mut self, src: &[u8]) -> Result;
}

/// Origin of a seek, as in `lseek(2)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whence {
    /// `SEEK_SET`: from the start of the file.
    Set,
    /// `SEEK_CUR`: from the current position.
    Cur,
    /// `SEEK_END`: from the end of the file.
    End,
    /// `SEEK_DATA`: next data at or after the offset.
    Data,
    /// `SEEK_HOLE`: next hole at or after the offset.
    Hole,
}

/// The slots of a radix tree node; an empty slot is a hole.
///
/// The kind of child is stored once per node rather than once per slot:
/// a slot is one pointer (`None` is the null pointer), so a node is half the
/// size it would be with a tag in every slot, and a lookup tests one tag per
/// level.
enum Slots<A: Allocator> {
    /// Data pages, in nodes of level 0.
    Pages([Option<A::Box<Page>>; FANOUT]),
    /// Nodes of the level below, in nodes above level 0.
    Nodes([Option<A::Box<Node<A>>>; FANOUT]),
}

/// Radix tree node. A node of level `h` covers `FANOUT^(h + 1)` pages.
///
/// Invariant: `count` is the number of pages below the node and is never
/// zero for a node reachable from the root (nodes are created together with
/// their first page and only freed as a whole). `slots` holds pages at
/// level 0 and nodes above.
struct Node<A: Allocator> {
    count: u64,
    slots: Slots<A>,
}

impl<A: Allocator> Node<A> {
    /// A node of level `level` with nothing below it.
    fn empty(level: u32) -> Self {
        let slots = if level == 0 {
            Slots::Pages(core::array::from_fn(|_| None))
        } else {
            Slots::Nodes(core::array::from_fn(|_| None))
        };
        Node { count: 0, slots }
    }
}

/// Index of the slot that holds page `idx` in a node of level `level`.
///
/// `Storage::new` makes at most 11 levels, so a node's `level` is at most 10,
/// `level * FANOUT_SHIFT` at most 60, and the wrapping operations compute
/// the plain values. They leave out the overflow checks that the kernel
/// enables (`CONFIG_RUST_OVERFLOW_CHECKS`), whose tests and branches would
/// weigh on a small overwrite: this runs twice per level per page.
#[inline]
fn slot_index(idx: u64, level: u32) -> usize {
    // The mask keeps the value below FANOUT, so the cast is lossless.
    (idx.wrapping_shr(level.wrapping_mul(FANOUT_SHIFT)) & (FANOUT as u64 - 1)) as usize
}

/// Splits the byte at offset `at` into its page index and offset in that
/// page, with how many of `remaining` bytes fit in the page from there.
#[inline]
fn page_span(at: u64, remaining: usize) -> (u64, usize, usize) {
    let chunk = CHUNK_SIZE as u64;
    // Lossless: the remainder is below CHUNK_SIZE.
    let off = (at % chunk) as usize;
    (at / chunk, off, (CHUNK_SIZE - off).min(remaining))
}

/// Number of pages covered by one slot of a node of level `level`.
#[inline]
fn slot_span(level: u32) -> u64 {
    1u64 << (level * FANOUT_SHIFT)
}

/// The data pages of a file and the radix tree that indexes them.
///
/// Invariants: `levels` is at least 1 and `capacity` is `FANOUT^levels`;
/// `pages` and `nodes` count what is reachable from `root`.
struct Tree<A: Allocator> {
    /// Root, of level `levels - 1`; `None` when no page is allocated.
    root: Option<A::Box<Node<A>>>,
    /// Number of levels, at least 1.
    levels: u32,
    /// Number of pages the tree can index, `FANOUT^levels`.
    capacity: u64,
    /// Number of allocated data pages.
    pages: u64,
    /// Number of allocated index nodes.
    nodes: u64,
}

/// A sparse file of at most `max_size` bytes.
pub struct Storage<A: Allocator> {
    /// The data; no page lies wholly at or past `size`.
    tree: Tree<A>,
    /// File size in bytes; never above `max_size`.
    size: u64,
    /// Maximum file size in bytes.
    max_size: u64,
    /// Bounce buffer: written data is copied here first, so that a fault
    /// leaves the file untouched. Kept apart from `tree` so that a write
    /// can borrow both at once.
    bounce: Option<A::Box<Page>>,
}

impl<A: Allocator> Storage<A> {
    /// Creates an empty file that can grow to `max_size` bytes.
    ///
    /// Allocates nothing. Fails with [`Error::Inval`] if `max_size` is zero
    /// or above [`MAX_SUPPORTED_SIZE`].
    pub fn new(max_size: u64) -> Result<Self> {
        if max_size == 0 || max_size > MAX_SUPPORTED_SIZE {
            return Err(Error::Inval);
        }
        let pages = max_size.div_ceil(CHUNK_SIZE as u64);
        let mut levels = 1;
        while levels * FANOUT_SHIFT < 64 && (1u64 << (levels * FANOUT_SHIFT)) < pages {
            levels += 1;
        }
        // At most 2^51 pages (`i64::MAX` bytes) need 9 levels, 54 bits.
        let capacity = 1u64
            .checked_shl(levels * FANOUT_SHIFT)
            .ok_or(Error::Inval)?;
        Ok(Storage {
            // INVARIANT: the loop leaves `levels` at 1 or more, `capacity`
            // is computed from it, and the empty tree has no page or node.
            tree: Tree {
                root: None,
                levels,
                capacity,
                pages: 0,
                nodes: 0,
            },
            size: 0,
            max_size,
            bounce: None,
        })
    }

    /// Current file size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Maximum file size in bytes.
    pub fn max_size(&self) -> u64 {
        self.max_size
    }

    /// Number of allocated data pages.
    pub fn allocated_pages(&self) -> u64 {
        self.tree.pages
    }

    /// Bytes of memory held: data pages, index nodes and the bounce page.
    pub fn allocated_bytes(&self) -> u64 {
        let page = core::mem::size_of::<Page>() as u64;
        let node = core::mem::size_of::<Node<A>>() as u64;
        let bounce = if self.bounce.is_some() { page } else { 0 };
        self.tree.pages * page + self.tree.nodes * node + bounce
    }

    /// Empties the file and frees all its pages.
    fn clear(&mut self) {
        self.tree.clear();
        self.size = 0;
    }

    /// Sets the file size to `size`, like `ftruncate(2)` on tmpfs.
    ///
    /// Shrinking frees the pages wholly past the new end and zeroes the rest
    /// of the last page, so a later extension reads zeros there. Growing
    /// leaves a hole and allocates nothing. Never allocates, so it only fails
    /// with [`Error::FBig`], for sizes above `max_size`, leaving the file
    /// unchanged.
    pub fn set_size(&mut self, size: u64) -> Result {
        if size > self.max_size {
            return Err(Error::FBig);
        }
        if size == 0 {
            self.clear();
            return Ok(());
        }
        if size < self.size {
            let chunk = CHUNK_SIZE as u64;
            // Lossless: the remainder is below CHUNK_SIZE.
            let off = (size % chunk) as usize;
            if off != 0 {
                if let Some(tail) = self.tree.existing_page_mut(size / chunk) {
                    if let Some(rest) = tail.get_mut(off..) {
                        rest.fill(0);
                    }
                }
            }
            self.tree.free_pages_from(size.div_ceil(chunk));
        }
        self.size = size;
        Ok(())
    }

    /// Byte offset of the first data at or after `offset` (`SEEK_DATA`).
    fn seek_data(&self, offset: u64) -> Result<u64> {
        let page = self
            .tree
            .next_data(offset / CHUNK_SIZE as u64)
            .ok_or(Error::NxIo)?;
        let found = offset.max(page * CHUNK_SIZE as u64);
        if found >= self.size {
            return Err(Error::NxIo);
        }
        Ok(found)
    }

    /// Byte offset of the first hole at or after `offset` (`SEEK_HOLE`); the
    /// end of the file counts as a hole.
    fn seek_hole(&self, offset: u64) -> u64 {
        let page = self.tree.next_hole(offset / CHUNK_SIZE as u64);
        offset
            .max(page.saturating_mul(CHUNK_SIZE as u64))
            .min(self.size)
    }
}

impl<A: Allocator> Tree<A> {
    /// Frees all pages and nodes.
    fn clear(&mut self) {
        self.root = None;
        self.pages = 0;
        self.nodes = 0;
    }

    /// Frees the pages at index `first` and above, and the nodes left empty.
    fn free_pages_from(&mut self, first: u64) {
        if let Some(root) = self.root.as_deref_mut() {
            let (pages, nodes) = Self::free_from(root, self.levels - 1, 0, first);
            let empty = root.count == 0;
            self.pages -= pages;
            self.nodes -= nodes;
            if empty {
                self.root = None;
                self.nodes -= 1;
            }
        }
    }

    /// Frees the pages at index `first` and above below `node`, which has
    /// level `level` and starts at page `base`, and the nodes left empty.
    /// Returns the numbers of pages and nodes freed (`node` excluded).
    fn free_from(node: &mut Node<A>, level: u32, base: u64, first: u64) -> (u64, u64) {
        let span = slot_span(level);
        let (mut pages, mut nodes) = (0, 0);
        match &mut node.slots {
            Slots::Pages(slots) => {
                for (s, slot) in slots.iter_mut().enumerate() {
                    if base + s as u64 >= first && slot.take().is_some() {
                        pages += 1;
                    }
                }
            }
            Slots::Nodes(slots) => {
                for (s, slot) in slots.iter_mut().enumerate() {
                    let slot_base = base + s as u64 * span;
                    if slot_base + span <= first {
                        continue;
                    }
                    let Some(child) = slot else { continue };
                    if let Some(below) = level.checked_sub(1) {
                        let (p, n) = Self::free_from(child, below, slot_base, first);
                        pages += p;
                        nodes += n;
                    }
                    if child.count == 0 {
                        *slot = None;
                        nodes += 1;
                    }
                }
            }
        }
        node.count -= pages;
        (pages, nodes)
    }

    /// Returns the page with index `idx`, if allocated.
    #[inline]
    fn page(&self, idx: u64) -> Option<&Page> {
        let mut node = self.root.as_deref()?;
        // `levels` is at least 1, and the kind of a node's slots says when
        // the walk reaches level 0: the decrements cannot wrap.
        let mut level = self.levels.wrapping_sub(1);
        loop {
            let s = slot_index(idx, level);
            match &node.slots {
                Slots::Pages(pages) => return pages[s].as_deref(),
                Slots::Nodes(nodes) => node = nodes[s].as_deref()?,
            }
            level = level.wrapping_sub(1);
        }
    }

    /// Builds the node of level `level` that leads to page `idx`, with the
    /// nodes below it and a new zeroed page: `level + 1` nodes in all.
    ///
    /// Built bottom-up, so a failed allocation frees the partial chain and
    /// leaves no empty node behind.
    fn new_chain(level: u32, idx: u64) -> Result<A::Box<Node<A>>> {
        let mut pages = core::array::from_fn(|_| None);
        pages[slot_index(idx, 0)] = Some(A::new_zeroed_page()?);
        let mut node = A::new_box(Node {
            count: 1,
            slots: Slots::Pages(pages),
        })?;
        for l in 1..=level {
            let mut nodes = core::array::from_fn(|_| None);
            nodes[slot_index(idx, l)] = Some(node);
            node = A::new_box(Node {
                count: 1,
                slots: Slots::Nodes(nodes),
            })?;
        }
        Ok(node)
    }

    /// Makes sure page `idx` below `node` (of level `level`) is allocated;
    /// returns whether this call allocated it.
    /// Adds the number of index nodes it allocates to `nodes`.
    fn alloc_in(node: &mut Node<A>, level: u32, idx: u64, nodes: &mut u64) -> Result<bool> {
        let s = slot_index(idx, level);
        match &mut node.slots {
            Slots::Pages(pages) => {
                if pages[s].is_some() {
                    return Ok(false);
                }
                pages[s] = Some(A::new_zeroed_page()?);
            }
            Slots::Nodes(children) => {
                let below = level.checked_sub(1).ok_or(Error::Inval)?;
                match &mut children[s] {
                    Some(child) => {
                        let new = Self::alloc_in(child, below, idx, nodes)?;
                        if new {
                            node.count += 1;
                        }
                        return Ok(new);
                    }
                    None => {
                        children[s] = Some(Self::new_chain(below, idx)?);
                        // One node per level below this one.
                        *nodes += u64::from(level);
                    }
                }
            }
        }
        node.count += 1;
        Ok(true)
    }

    /// Returns page `idx` for writing if it is allocated.
    #[inline]
    fn existing_page_mut(&mut self, idx: u64) -> Option<&mut Page> {
        let mut node = self.root.as_deref_mut()?;
        // As in `page`: no wrapping.
        let mut level = self.levels.wrapping_sub(1);
        loop {
            let s = slot_index(idx, level);
            match &mut node.slots {
                Slots::Pages(pages) => return pages[s].as_deref_mut(),
                Slots::Nodes(nodes) => node = nodes[s].as_deref_mut()?,
            }
            level = level.wrapping_sub(1);
        }
    }

    /// Allocates page `idx` (and its index nodes) if it is not allocated
    /// yet.
    fn alloc_page(&mut self, idx: u64) -> Result {
        let top = self.levels - 1;
        let root = match self.root.take() {
            Some(root) => root,
            None => {
                let root = A::new_box(Node::empty(top))?;
                self.nodes += 1;
                root
            }
        };
        let root = self.root.insert(root);
        match Self::alloc_in(root, top, idx, &mut self.nodes) {
            Ok(true) => self.pages += 1,
            Ok(false) => {}
            Err(e) => {
                if root.count == 0 {
                    // Keep the invariant: no empty node is reachable.
                    self.root = None;
                    self.nodes -= 1;
                }
                return Err(e);
            }
        }
        Ok(())
    }

    /// Calls `f` on page `idx` for writing, allocating the page (and its
    /// index nodes) first if needed, and returns what `f` returns.
    ///
    /// Overwriting allocated data is the common case: it walks the tree once
    /// and allocates nothing. The page is lent to `f` instead of being
    /// returned because a borrow returned from one branch would keep the
    /// tree borrowed in the allocating branch as well (the "conditional
    /// return of a borrow" that the current borrow checker rejects), which
    /// would take a second walk to test first.
    #[inline]
    fn with_page_mut<R>(&mut self, idx: u64, f: impl FnOnce(&mut Page) -> R) -> Result<R> {
        // Page indices wrap around in the tree: check before walking.
        if idx >= self.capacity {
            return Err(Error::Inval);
        }
        if let Some(page) = self.existing_page_mut(idx) {
            return Ok(f(page));
        }
        self.alloc_page(idx)?;
        self.existing_page_mut(idx).map(f).ok_or(Error::Inval)
    }

    /// First allocated page at or after `idx` below `node`, which has level
    /// `level` and starts at page `base`.
    fn next_data_in(node: &Node<A>, level: u32, base: u64, idx: u64) -> Option<u64> {
        let first = slot_index(idx, level);
        match &node.slots {
            Slots::Pages(pages) => (first..FANOUT)
                .find(|&s| pages[s].is_some())
                .map(|s| idx.max(base + s as u64)),
            Slots::Nodes(nodes) => {
                let span = slot_span(level);
                let below = level.checked_sub(1)?;
                // A non-empty child searched from its start always returns,
                // so this loop descends at most once in vain.
                (first..FANOUT).find_map(|s| {
                    let child = nodes[s].as_deref()?;
                    let slot_base = base + s as u64 * span;
                    Self::next_data_in(child, below, slot_base, idx.max(slot_base))
                })
            }
        }
    }

    /// First unallocated page at or after `idx` below `node`, which has
    /// level `level` and starts at page `base`.
    fn next_hole_in(node: &Node<A>, level: u32, base: u64, idx: u64) -> Option<u64> {
        let first = slot_index(idx, level);
        match &node.slots {
            Slots::Pages(pages) => (first..FANOUT)
                .find(|&s| pages[s].is_none())
                .map(|s| idx.max(base + s as u64)),
            Slots::Nodes(nodes) => {
                let span = slot_span(level);
                let below = level.checked_sub(1)?;
                (first..FANOUT).find_map(|s| {
                    let slot_base = base + s as u64 * span;
                    let from = idx.max(slot_base);
                    match nodes[s].as_deref() {
                        None => Some(from),
                        // Full subtrees have no hole: skip them without
                        // descending.
                        Some(child) if s != first && child.count == span => None,
                        Some(child) => Self::next_hole_in(child, below, slot_base, from),
                    }
                })
            }
        }
    }

    /// First allocated page at or after page `idx`.
    fn next_data(&self, idx: u64) -> Option<u64> {
        Self::next_data_in(self.root.as_deref()?, self.levels - 1, 0, idx)
    }

    /// First unallocated page at or after page `idx`; `capacity` if none.
    fn next_hole(&self, idx: u64) -> u64 {
        match self.root.as_deref() {
            None => idx,
            Some(root) => {
                Self::next_hole_in(root, self.levels - 1, 0, idx).unwrap_or(self.capacity)
            }
        }
    }

    /// Copies `total` bytes from `src` to `pos` page by page through
    /// `bounce`. Returns the number of bytes written: all, or those before
    /// the page where `src` faulted or an allocation failed ([`Error`] if
    /// that was the first page). `pos + total` must not overflow.
    #[inline]
    fn write_pages(
        &mut self,
        pos: u64,
        total: usize,
        src: &mut impl Source,
        bounce: &mut Page,
    ) -> Result<usize> {
        let mut done = 0;
        // `pos + total` is at most `max_size`, so these additions cannot
        // overflow: the wrapping forms only leave out the overflow checks,
        // as in `Storage::read`.
        while done < total {
            let at = pos.wrapping_add(done as u64);
            let (_, _, len) = page_span(at, total - done);
            if let Err(e) = self.write_page(at, len, src, bounce) {
                return if done > 0 { Ok(done) } else { Err(e) };
            }
            done = done.wrapping_add(len);
        }
        Ok(done)
    }

    /// Copies `len` bytes from `src` to `at`, all in one page, through
    /// `bounce`. On failure the tree is unchanged.
    #[inline]
    fn write_page(
        &mut self,
        at: u64,
        len: usize,
        src: &mut impl Source,
        bounce: &mut Page,
    ) -> Result {
        let (idx, off, _) = page_span(at, len);
        let staged = bounce.get_mut(..len).ok_or(Error::Inval)?;
        src.read_into(staged)?;
        self.with_page_mut(idx, |page| {
            let dst = page.get_mut(off..off + len).ok_or(Error::Inval)?;
            dst.copy_from_slice(staged);
            Ok(())
        })?
    }
}

impl<A: Allocator> Storage<A> {
    /// Reads up to `count` bytes at `pos` into `dst`.
    ///
    /// Returns the number of bytes read: 0 at or past the end of the file,
    /// fewer than `count` near it. Holes read as zeros. If `dst` faults, the
    /// bytes copied before the faulting page are reported, or
    /// [`Error::Fault`] if there are none.
    #[inline]
    pub fn read(&self, pos: i64, count: usize, dst: &mut impl Sink) -> Result<usize> {
        let pos = u64::try_from(pos).map_err(|_| Error::Inval)?;
        if pos >= self.size {
            return Ok(0);
        }
        let avail = self.size - pos;
        let total = usize::try_from(avail).map_or(count, |avail| avail.min(count));
        let (_, _, first) = page_span(pos, total);
        if first == total {
            // Within one page, as most requests are. Handled apart from the
            // loop, whose state would live across the copy, so that the
            // tree's root and depth stay in registers.
            self.read_page(pos, total, dst)?;
            return Ok(total);
        }
        // `pos + total` is at most the file size, so neither it nor
        // `at + len` can overflow, and `end - at` is at most `total`: the
        // wrapping forms and the casts only leave out the checks of
        // `CONFIG_RUST_OVERFLOW_CHECKS`. The loop keeps two positions
        // rather than a start, a count and a total, so that what it needs
        // across the copy fits in the registers a call preserves.
        let end = pos.wrapping_add(total as u64);
        let mut at = pos;
        while at < end {
            let (_, _, len) = page_span(at, end.wrapping_sub(at) as usize);
            if let Err(e) = self.read_page(at, len, dst) {
                return if at > pos {
                    Ok(at.wrapping_sub(pos) as usize)
                } else {
                    Err(e)
                };
            }
            at = at.wrapping_add(len as u64);
        }
        Ok(total)
    }

    /// Copies the `len` bytes at `at`, all in one page, to `dst`.
    #[inline]
    fn read_page(&self, at: u64, len: usize, dst: &mut impl Sink) -> Result {
        let zeros: &'static Page = &[0; CHUNK_SIZE];
        let (idx, off, _) = page_span(at, len);
        let page = self.tree.page(idx).unwrap_or(zeros);
        dst.write_from(page.get(off..off + len).ok_or(Error::Inval)?)
    }

    /// Writes up to `count` bytes from `src` at `pos`, or at the end of the
    /// file if `append` is set.
    ///
    /// `fs_limit` is the largest file size of the filesystem: writing at or
    /// beyond it fails with [`Error::FBig`] (like tmpfs). Writing at or beyond
    /// `max_size` fails with [`Error::NoSpc`]; a write crossing it is cut
    /// short. Returns the number of bytes written and the position after them.
    ///
    /// Each page of data is copied from `src` into a bounce buffer before the
    /// file is touched: if `src` faults, the file keeps everything written
    /// before the faulting page and nothing after, and the call reports the
    /// bytes written before it, or [`Error::Fault`] if there are none. An
    /// allocation failure is reported the same way with [`Error::NoMem`].
    #[inline]
    pub fn write(
        &mut self,
        pos: i64,
        append: bool,
        count: usize,
        src: &mut impl Source,
        fs_limit: u64,
    ) -> Result<(usize, i64)> {
        if count == 0 {
            return Ok((0, pos));
        }
        let pos = if append {
            self.size
        } else {
            u64::try_from(pos).map_err(|_| Error::Inval)?
        };
        if pos >= fs_limit {
            return Err(Error::FBig);
        }
        if pos >= self.max_size {
            return Err(Error::NoSpc);
        }
        let room = self.max_size.min(fs_limit) - pos;
        let total = usize::try_from(room).map_or(count, |room| room.min(count));

        let bounce = match &mut self.bounce {
            Some(bounce) => bounce,
            None => self.bounce.insert(A::new_zeroed_page()?),
        };
        let done = self.tree.write_pages(pos, total, src, bounce)?;
        // `pos + done <= max_size <= i64::MAX`: neither the addition nor the
        // cast can overflow.
        let end = pos.wrapping_add(done as u64);
        self.size = self.size.max(end);
        Ok((done, end as i64))
    }

    /// Computes the new file position for `lseek(offset, whence)` from the
    /// current position `cur`.
    ///
    /// Positions past the end are allowed; negative ones or ones beyond
    /// `fs_limit` fail with [`Error::Inval`]. `SEEK_DATA` and `SEEK_HOLE`
    /// fail with [`Error::NxIo`] for offsets that are negative or at or past
    /// the end of the file.
    pub fn llseek(&self, cur: i64, offset: i64, whence: Whence, fs_limit: u64) -> Result<i64> {
        let size = i64::try_from(self.size).map_err(|_| Error::Inval)?;
        let new = match whence {
            Whence::Set => offset,
            Whence::Cur if offset == 0 => return Ok(cur),
            Whence::Cur => cur.checked_add(offset).ok_or(Error::Inval)?,
            Whence::End => size.checked_add(offset).ok_or(Error::Inval)?,
            Whence::Data | Whence::Hole => {
                let start = u64::try_from(offset).map_err(|_| Error::NxIo)?;
                if start >= self.size {
                    return Err(Error::NxIo);
                }
                let found = if whence == Whence::Data {
                    self.seek_data(start)?
                } else {
                    self.seek_hole(start)
                };
                i64::try_from(found).map_err(|_| Error::Inval)?
            }
        };
        match u64::try_from(new) {
            Ok(n) if n <= fs_limit => Ok(new),
            _ => Err(Error::Inval),
        }
    }
}
