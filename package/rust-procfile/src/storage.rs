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
//! The file is shared by concurrent callers the way the page cache shares a
//! file: its chunks are reference counted ([`Allocator::Chunk`]), a reader
//! takes references to the chunks it needs under the caller's lock
//! ([`ReadLock`]) and copies from them with no lock held, so a copy that
//! faults or sleeps on user memory holds up nobody; a writer copies its data
//! from user space into a bounce buffer with no storage lock held, then
//! commits it under the lock, in place if no reader holds the chunk and
//! into a copy of it otherwise. Writers and size changes of one file are
//! serialised by the caller (the kernel module's writer lock, like the inode
//! lock of a regular file).
//!
//! The functions on the path of every read and write are `#[inline]`, so
//! that they fold into the module's `proc_ops` callbacks, and that path is
//! kept short for small requests, the common ones: a read within one chunk
//! takes one reference and skips the batch loop, and a tree slot is one
//! pointer. docs/PERFORMANCE.md compares the instructions per request with
//! the C twin's.

use core::{
    cell::RefCell,
    ops::{Deref, DerefMut},
};

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

    /// A reference-counted chunk of file data: clones share the chunk, which
    /// is freed with its last reference.
    type Chunk: Clone + Deref<Target = Page>;

    /// Bytes of memory one chunk takes, with its reference count.
    const CHUNK_BYTES: u64;

    /// Moves `value` to the heap; fails with [`Error::NoMem`].
    fn new_box<T>(value: T) -> Result<Self::Box<T>>;

    /// Bytes of memory a [`Self::Box`] of a `T` takes.
    fn box_bytes<T>() -> u64;

    /// Allocates a chunk filled with zeros; fails with [`Error::NoMem`].
    fn new_chunk() -> Result<Self::Chunk>;

    /// The data of `chunk` for writing, if `chunk` is its only reference.
    fn chunk_mut(chunk: &mut Self::Chunk) -> Option<&mut Page>;
}

/// Access to a storage shared by readers, under the caller's lock.
pub trait ReadLock<A: Allocator> {
    /// Calls `f` with the storage, under a lock that excludes its changes;
    /// `first` on the first call of a read (for callers that count reads
    /// under that lock).
    fn with_read<R>(&self, first: bool, f: impl FnOnce(&Storage<A>) -> R) -> R;
}

/// Access to a storage for a writer, under the caller's lock.
pub trait WriteLock<A: Allocator> {
    /// Calls `f` with the storage, under the lock that readers take;
    /// `first` on the first call of a write.
    fn with_write<R>(&self, first: bool, f: impl FnOnce(&mut Storage<A>) -> R) -> R;
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
    /// Data chunks, in nodes of level 0.
    Pages([Option<A::Chunk>; FANOUT]),
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

    /// Bytes of memory held by the file: data chunks and index nodes, as
    /// the allocator takes them. Chunks that readers still hold after the
    /// file let them go are not counted.
    pub fn allocated_bytes(&self) -> u64 {
        self.tree.pages * A::CHUNK_BYTES + self.tree.nodes * A::box_bytes::<Node<A>>()
    }

    /// Empties the file and frees all its pages.
    fn clear(&mut self) {
        self.tree.clear();
        self.size = 0;
    }

    /// Sets the file size to `size`, like `ftruncate(2)` on tmpfs.
    ///
    /// Shrinking frees the pages wholly past the new end and zeroes the rest
    /// of the last page, so a later extension reads zeros there; readers
    /// that hold that page keep its old content, in a copy made for the
    /// zeroing, which can fail with [`Error::NoMem`]. Growing leaves a hole
    /// and allocates nothing. Sizes above `max_size` fail with
    /// [`Error::FBig`]. On failure the file is unchanged.
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
                if let Some(tail) = self.tree.existing_slot_mut(size / chunk) {
                    if let Some(rest) = page_mut::<A>(tail, true)?.get_mut(off..) {
                        rest.fill(0);
                    }
                }
            }
            self.tree.free_pages_from(size.div_ceil(chunk));
        }
        self.size = size;
        Ok(())
    }

    /// The chunk of page `idx`, to map it into user space: allocated
    /// (zeroed) if it is a hole, `None` if the page lies wholly past the end
    /// of the file (where an access through a mapping fails).
    ///
    /// An allocation failure ([`Error::NoMem`]) leaves the file unchanged.
    pub fn page_to_map(&mut self, idx: u64) -> Result<Option<&A::Chunk>> {
        if idx >= self.size.div_ceil(CHUNK_SIZE as u64) {
            return Ok(None);
        }
        if self.tree.page(idx).is_none() {
            self.tree.alloc_page(idx)?;
        }
        Ok(self.tree.page(idx))
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

    /// Returns the chunk with index `idx`, if allocated.
    #[inline]
    fn page(&self, idx: u64) -> Option<&A::Chunk> {
        let mut node = self.root.as_deref()?;
        // `levels` is at least 1, and the kind of a node's slots says when
        // the walk reaches level 0: the decrements cannot wrap.
        let mut level = self.levels.wrapping_sub(1);
        loop {
            let s = slot_index(idx, level);
            match &node.slots {
                Slots::Pages(pages) => return pages[s].as_ref(),
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
        pages[slot_index(idx, 0)] = Some(A::new_chunk()?);
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
                pages[s] = Some(A::new_chunk()?);
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

    /// Returns the slot of chunk `idx` if the chunk is allocated.
    #[inline]
    fn existing_slot_mut(&mut self, idx: u64) -> Option<&mut A::Chunk> {
        let mut node = self.root.as_deref_mut()?;
        // As in `page`: no wrapping.
        let mut level = self.levels.wrapping_sub(1);
        loop {
            let s = slot_index(idx, level);
            match &mut node.slots {
                Slots::Pages(pages) => return pages[s].as_mut(),
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
    /// index nodes) first if needed, and returns what `f` returns. A page
    /// that readers hold is replaced by a copy (`keep`: with its content)
    /// first.
    ///
    /// Overwriting allocated data is the common case: it walks the tree once
    /// and allocates nothing. The page is lent to `f` instead of being
    /// returned because a borrow returned from one branch would keep the
    /// tree borrowed in the allocating branch as well (the "conditional
    /// return of a borrow" that the current borrow checker rejects), which
    /// would take a second walk to test first.
    #[inline]
    fn with_page_mut<R>(
        &mut self,
        idx: u64,
        keep: bool,
        f: impl FnOnce(&mut Page) -> R,
    ) -> Result<R> {
        // Page indices wrap around in the tree: check before walking.
        if idx >= self.capacity {
            return Err(Error::Inval);
        }
        if let Some(slot) = self.existing_slot_mut(idx) {
            return Ok(f(page_mut::<A>(slot, keep)?));
        }
        self.alloc_page(idx)?;
        let slot = self.existing_slot_mut(idx).ok_or(Error::Inval)?;
        Ok(f(page_mut::<A>(slot, keep)?))
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
}

/// The data of `slot` for writing: in place if no reader holds it, else in a
/// new chunk that replaces it in the file (`keep`: with a copy of its
/// content), while readers finish with the old one.
#[inline]
fn page_mut<A: Allocator>(slot: &mut A::Chunk, keep: bool) -> Result<&mut Page> {
    if A::chunk_mut(slot).is_none() {
        let mut copy = A::new_chunk()?;
        if keep {
            A::chunk_mut(&mut copy)
                .ok_or(Error::Inval)?
                .copy_from_slice(&slot[..]);
        }
        *slot = copy;
    }
    A::chunk_mut(slot).ok_or(Error::Inval)
}

/// Number of chunks a read takes references to under one lock.
const READ_BATCH: usize = 16;

/// Zeros, for reading holes.
static ZEROS: Page = [0; CHUNK_SIZE];

/// Copies the `len` bytes at `off` of `chunk` (zeros for a hole) to `dst`.
#[inline]
fn copy_out(chunk: Option<&Page>, off: usize, len: usize, dst: &mut impl Sink) -> Result {
    let page = chunk.unwrap_or(&ZEROS);
    dst.write_from(page.get(off..off + len).ok_or(Error::Inval)?)
}

impl<A: Allocator> Storage<A> {
    /// Number of bytes a read of `count` bytes at `pos` returns now.
    #[inline]
    fn readable(&self, pos: u64, count: usize) -> usize {
        if pos >= self.size {
            return 0;
        }
        let avail = self.size - pos;
        usize::try_from(avail).map_or(count, |avail| avail.min(count))
    }

    /// Takes references to the chunks of the bytes from `at` to `end` (or
    /// the end of the file if that comes first), at most [`READ_BATCH`]
    /// chunks, into `chunks` (`None` for holes). Returns the number of
    /// bytes they cover.
    fn collect(&self, at: u64, end: u64, chunks: &mut [Option<A::Chunk>; READ_BATCH]) -> u64 {
        let end = end.min(self.size);
        if at >= end {
            return 0;
        }
        let chunk = CHUNK_SIZE as u64;
        let first = at / chunk;
        let n = (end - at).min(READ_BATCH as u64 * chunk - at % chunk);
        let last = (at + n - 1) / chunk;
        for (idx, slot) in (first..=last).zip(chunks.iter_mut()) {
            *slot = self.tree.page(idx).cloned();
        }
        n
    }

    /// Where a write of `count` bytes at `pos` (at the end of the file with
    /// `append`) goes, and how many of its bytes: `(start, total)`.
    ///
    /// Checks, in the order tmpfs makes them: the largest file size of the
    /// filesystem, `fs_limit` ([`Error::FBig`] at or past it); `limits`,
    /// which gets the start and the count and returns how many bytes the
    /// caller's limits allow (a process's file size limit); then
    /// `max_size` ([`Error::NoSpc`] at or past it, cut short when
    /// crossing it). A write of 0 bytes returns a total of 0.
    #[inline]
    fn write_span(
        &self,
        pos: i64,
        append: bool,
        count: usize,
        fs_limit: u64,
        limits: impl FnOnce(u64, usize) -> Result<usize>,
    ) -> Result<(u64, usize)> {
        let start = if append {
            self.size
        } else {
            u64::try_from(pos).map_err(|_| Error::Inval)?
        };
        if count == 0 {
            return Ok((start, 0));
        }
        if start >= fs_limit {
            return Err(Error::FBig);
        }
        let count = limits(start, count)?;
        if start >= self.max_size {
            return Err(Error::NoSpc);
        }
        let room = self.max_size.min(fs_limit) - start;
        Ok((
            start,
            usize::try_from(room).map_or(count, |room| room.min(count)),
        ))
    }

    /// Copies `data`, which lies within one chunk, to `at`; returns whether
    /// the file grew. On failure ([`Error::NoMem`]) the file is unchanged.
    #[inline]
    fn commit(&mut self, at: u64, data: &[u8]) -> Result<bool> {
        let (idx, off, _) = page_span(at, data.len());
        // A chunk wholly overwritten need not keep its old content.
        let keep = data.len() != CHUNK_SIZE;
        self.tree.with_page_mut(idx, keep, |page| {
            let dst = page.get_mut(off..off + data.len()).ok_or(Error::Inval)?;
            dst.copy_from_slice(data);
            Ok(())
        })??;
        // `at + len` is at most `max_size`: no overflow.
        let end = at.wrapping_add(data.len() as u64);
        if end > self.size {
            self.size = end;
            return Ok(true);
        }
        Ok(false)
    }

    /// Reads up to `count` bytes at `pos` into `dst`; [`read`] on a storage
    /// used by one caller at a time.
    pub fn read(&self, pos: i64, count: usize, dst: &mut impl Sink) -> Result<usize> {
        read(self, pos, count, dst)
    }

    /// Writes up to `count` bytes from `src` at `pos`, or at the end of the
    /// file if `append` is set; [`write`] on a storage used by one caller at
    /// a time, with no limits of the caller's and a bounce buffer of its own.
    pub fn write(
        &mut self,
        pos: i64,
        append: bool,
        count: usize,
        src: &mut impl Source,
        fs_limit: u64,
    ) -> Result<(usize, i64)> {
        let mut bounce = A::new_box([0; 2 * CHUNK_SIZE])?;
        write(
            &RefCell::new(self),
            &mut bounce,
            pos,
            append,
            count,
            src,
            fs_limit,
            |_, count| Ok(count),
            |_| {},
        )
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

impl<A: Allocator> ReadLock<A> for Storage<A> {
    fn with_read<R>(&self, _first: bool, f: impl FnOnce(&Storage<A>) -> R) -> R {
        f(self)
    }
}

impl<A: Allocator> WriteLock<A> for RefCell<&mut Storage<A>> {
    fn with_write<R>(&self, _first: bool, f: impl FnOnce(&mut Storage<A>) -> R) -> R {
        f(&mut self.borrow_mut())
    }
}

/// Reads up to `count` bytes at `pos` of the storage behind `file` into
/// `dst`.
///
/// Returns the number of bytes read: 0 at or past the end of the file,
/// fewer than `count` near it. Holes read as zeros. If `dst` faults, the
/// bytes copied before the faulting chunk are reported, or [`Error::Fault`]
/// if there are none.
///
/// The size and the chunks are taken under `file`'s lock, up to
/// [`READ_BATCH`] chunks at a time, and copied with the lock released: a
/// read that runs while the file changes sees, for each batch, the file as
/// it was between two writes ([`write`] commits up to two chunks at once),
/// and stops early if the file shrinks below what it has read.
#[inline]
pub fn read<A: Allocator>(
    file: &impl ReadLock<A>,
    pos: i64,
    count: usize,
    dst: &mut impl Sink,
) -> Result<usize> {
    let pos = u64::try_from(pos).map_err(|_| Error::Inval)?;
    let (idx, off, in_chunk) = page_span(pos, count);
    if in_chunk == count {
        // Within one chunk, as most requests are: one reference, no batch.
        let (total, chunk) = file.with_read(true, |st| {
            let total = st.readable(pos, count);
            let chunk = if total > 0 {
                st.tree.page(idx).cloned()
            } else {
                None
            };
            (total, chunk)
        });
        if total == 0 {
            return Ok(0);
        }
        copy_out(chunk.as_deref(), off, total, dst)?;
        return Ok(total);
    }
    // `at` stays at most the file size, so `at + n` and `at - pos` cannot
    // overflow: the wrapping forms and the casts only leave out the checks
    // of `CONFIG_RUST_OVERFLOW_CHECKS`.
    let end = pos.saturating_add(count as u64);
    let mut at = pos;
    let mut first = true;
    let mut chunks: [Option<A::Chunk>; READ_BATCH] = core::array::from_fn(|_| None);
    while at < end {
        let n = file.with_read(first, |st| st.collect(at, end, &mut chunks));
        first = false;
        if n == 0 {
            break;
        }
        let batch_end = at.wrapping_add(n);
        for chunk in chunks.iter_mut() {
            if at >= batch_end {
                break;
            }
            let (_, off, len) = page_span(at, batch_end.wrapping_sub(at) as usize);
            if let Err(e) = copy_out(chunk.take().as_deref(), off, len, dst) {
                return if at > pos {
                    Ok(at.wrapping_sub(pos) as usize)
                } else {
                    Err(e)
                };
            }
            at = at.wrapping_add(len as u64);
        }
    }
    Ok(at.wrapping_sub(pos) as usize)
}

/// The buffer a write stages its data in: two chunks, so that a write of up
/// to one chunk's size is committed at once, wherever it starts.
pub type Bounce = [u8; 2 * CHUNK_SIZE];

/// Writes up to `count` bytes from `src` at `pos` of the storage behind
/// `file`, or at the end of the file if `append` is set. Returns the number
/// of bytes written and the position after them.
///
/// The caller serialises the writes and size changes of one file (reads
/// need not be). `fs_limit`, `limits` and `max_size` bound the write as
/// `Storage::write_span` says. `publish` gets each new size of a growing
/// file under `file`'s lock, so that sizes are published in the order of
/// the changes.
///
/// The data is copied from `src` into `bounce` with no lock held, up to two
/// chunks' worth at a time (to the end of the chunk after the one the
/// piece starts in), then into the file under `file`'s lock, both chunks
/// under one lock: a reader sees a write of up to [`CHUNK_SIZE`] bytes
/// whole or not at all. If `src` faults, the file keeps everything written
/// before the faulting chunk and nothing after, and the call reports the
/// bytes written before it, or [`Error::Fault`] if there are none. An
/// allocation failure is reported the same way with [`Error::NoMem`].
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn write<A: Allocator>(
    file: &impl WriteLock<A>,
    bounce: &mut Bounce,
    pos: i64,
    append: bool,
    count: usize,
    src: &mut impl Source,
    fs_limit: u64,
    limits: impl FnOnce(u64, usize) -> Result<usize>,
    mut publish: impl FnMut(u64),
) -> Result<(usize, i64)> {
    let (start, total) = file.with_write(true, |st| {
        st.write_span(pos, append, count, fs_limit, limits)
    })?;
    if total == 0 {
        return Ok((0, pos));
    }
    let mut done = 0;
    let mut failed = None;
    // `start + total` is at most `max_size`, so these additions cannot
    // overflow: the wrapping forms only leave out the overflow checks, as
    // in `read`.
    while done < total && failed.is_none() {
        let at = start.wrapping_add(done as u64);
        let (_, _, first) = page_span(at, total - done);
        let (_, _, second) = page_span(at.wrapping_add(first as u64), total - done - first);
        let (head, tail) = bounce.split_at_mut(first);
        if let Err(e) = src.read_into(head) {
            failed = Some(e);
            break;
        }
        // A fault in the second chunk still commits the first. A write
        // within one chunk, the common small one, makes no second copy
        // call at all.
        let second = match second {
            0 => 0,
            _ => match src.read_into(tail.get_mut(..second).ok_or(Error::Inval)?) {
                Ok(()) => second,
                Err(e) => {
                    failed = Some(e);
                    0
                }
            },
        };
        let (staged_head, staged_tail) = (&head[..], &tail[..second]);
        let committed = file.with_write(false, |st| {
            let mut grew = st.commit(at, staged_head)?;
            let mut n = first;
            if second > 0 {
                match st.commit(at.wrapping_add(first as u64), staged_tail) {
                    Ok(g) => {
                        grew |= g;
                        n += second;
                    }
                    Err(e) => failed = Some(e),
                }
            }
            if grew {
                publish(st.size);
            }
            Ok(n)
        });
        match committed {
            Ok(n) => done = done.wrapping_add(n),
            Err(e) => failed = Some(e),
        }
    }
    if let Some(e) = failed {
        if done == 0 {
            return Err(e);
        }
    }
    // `start + done <= max_size <= i64::MAX`: neither the addition nor the
    // cast can overflow.
    Ok((done, start.wrapping_add(done as u64) as i64))
}
