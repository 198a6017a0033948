// SPDX-License-Identifier: GPL-2.0

//! rustprocfile: a file in `/proc` that behaves like a regular file in tmpfs.
//!
//! The file keeps its content in memory, up to `max_size` bytes. Its
//! statistics are in `/proc/rustprocfile/stats`. The file semantics live in
//! [`storage`], which is also built and tested on the host; this file holds
//! what the kernel glue of both kernel series shares, and the glue itself,
//! written against the `kernel::proc_fs` of the series' patches, is in
//! `procfs_6_18.rs` (Linux 6.18) and `procfs_6_12.rs` (Linux 6.12; Kbuild
//! sets `rustprocfile_linux_6_12`).

use core::{
    fmt,
    ops::Deref,
    sync::atomic::{AtomicU64, Ordering::Relaxed},
};
use kernel::{
    alloc::{
        flags::{GFP_KERNEL, GFP_KERNEL_ACCOUNT},
        KBox,
    },
    c_str, new_mutex,
    prelude::*,
    proc_fs,
    sync::{Arc, Mutex},
    uaccess::UserSliceReader,
};

#[cfg(rustprocfile_linux_6_12)]
use kernel::init::zeroed;
#[cfg(not(rustprocfile_linux_6_12))]
use pin_init::zeroed;

pub mod storage;

#[cfg(not(rustprocfile_linux_6_12))]
#[path = "procfs_6_18.rs"]
mod procfs;
#[cfg(rustprocfile_linux_6_12)]
#[path = "procfs_6_12.rs"]
mod procfs;

use procfs::RustProcFile;
use storage::Storage;

module! {
    type: RustProcFile,
    name: "rustprocfile",
    description: "A file in /proc with the semantics of a regular tmpfs file",
    license: "GPL",
    params: {
        name: str {
            default: "rustfile",
            permissions: 0o444,
            description: "Name of the file in /proc",
        },
        mode: u16 {
            default: 0o644,
            permissions: 0o444,
            description: "Permissions of the file (1 to 0777, octal with a leading 0)",
        },
        max_size: u64 {
            default: 1048576,
            permissions: 0o444,
            description: "Maximum size of the file in bytes",
        },
    },
}

/// Largest file size of the filesystem (`MAX_LFS_FILESIZE`), the bound of
/// `lseek(2)` positions.
const FS_LIMIT: u64 = if usize::BITS == 64 {
    i64::MAX as u64
} else {
    (u32::MAX as u64) << kernel::page::PAGE_SHIFT
};

/// Largest size of a proc file (`MAX_NON_LFS`, procfs's `s_maxbytes`):
/// `truncate(2)` refuses larger sizes, and writes stop there too
/// (`proc_fs::check_write_limits`), so `max_size` may not exceed it.
const PROC_LIMIT: u64 = (1 << 31) - 1;

/// Bytes of memory `kmalloc()` takes for an object of `size` bytes: its
/// size class (powers of two from 8 bytes, and 96 and 192).
const fn kmalloc_bytes(size: usize) -> u64 {
    let class = if size <= 8 {
        8
    } else if size > 64 && size <= 96 {
        96
    } else if size > 128 && size <= 192 {
        192
    } else {
        size.next_power_of_two()
    };
    class as u64
}

/// Kernel memory for the storage, charged to the memory cgroup of the
/// process that writes (as tmpfs charges its pages).
pub struct KernelAlloc;

/// A chunk of file data, shared by the file and the readers copying from it.
#[derive(Clone)]
pub struct KernelChunk(Arc<procfs::ChunkPage>);

impl Deref for KernelChunk {
    type Target = storage::Page;

    #[inline]
    fn deref(&self) -> &storage::Page {
        &self.0
    }
}

impl storage::Allocator for KernelAlloc {
    type Box<T> = KBox<T>;
    type Chunk = KernelChunk;

    // The page, and the reference count with the handle of the page.
    const CHUNK_BYTES: u64 =
        procfs::ChunkPage::BYTES + kmalloc_bytes(core::mem::size_of::<(u32, procfs::ChunkPage)>());

    fn new_box<T>(value: T) -> storage::Result<KBox<T>> {
        KBox::new(value, GFP_KERNEL_ACCOUNT).map_err(|_| storage::Error::NoMem)
    }

    fn box_bytes<T>() -> u64 {
        kmalloc_bytes(core::mem::size_of::<T>())
    }

    fn new_chunk() -> storage::Result<KernelChunk> {
        let page = procfs::ChunkPage::new().map_err(|_| storage::Error::NoMem)?;
        Arc::new(page, GFP_KERNEL_ACCOUNT)
            .map(KernelChunk)
            .map_err(|_| storage::Error::NoMem)
    }

    #[inline]
    fn chunk_mut(chunk: &mut KernelChunk) -> Option<&mut storage::Page> {
        // Two lookups of the count where one would do: returning the first
        // one's borrow from one branch would keep `chunk` borrowed in the
        // other (the "conditional return of a borrow" that the current
        // borrow checker rejects).
        if Arc::get_mut(&mut chunk.0).is_some() {
            return Arc::get_mut(&mut chunk.0).map(procfs::ChunkPage::data_mut);
        }
        // A reader is copying from the chunk, which is then replaced by a
        // copy; but a chunk mapped into user space is written in place all
        // the same, as the page cache writes its pages: a copy would leave
        // the mappings with the old page, and what user space stores there
        // would be lost.
        if !chunk.0.is_mapped() {
            return None;
        }
        // SAFETY: The page is valid while `chunk` holds it, and mapped, so
        // shared memory: user space stores to it at any time, and the
        // reader copying from it sees this write in part or whole, as a
        // reader of a page cache page does. The storage only copies the
        // bytes of a chunk, never relies on them staying the same.
        Some(unsafe { &mut *chunk.0.as_mut_ptr() })
    }
}

impl storage::Source for UserSliceReader {
    #[inline]
    fn read_into(&mut self, dst: &mut [u8]) -> storage::Result {
        self.read_slice(dst).map_err(|_| storage::Error::Fault)
    }
}

/// The kernel's error for a storage error (an exhaustive `match`: a new
/// storage error does not compile without its errno).
const fn kernel_error(e: storage::Error) -> Error {
    match e {
        storage::Error::Inval => EINVAL,
        storage::Error::NoSpc => ENOSPC,
        storage::Error::FBig => EFBIG,
        storage::Error::NoMem => ENOMEM,
        storage::Error::Fault => EFAULT,
        storage::Error::NxIo => ENXIO,
    }
}

/// [`kernel_error`] of each storage error, indexed by its discriminant.
const ERRORS: [Error; 6] = [
    kernel_error(storage::Error::Inval),
    kernel_error(storage::Error::NoSpc),
    kernel_error(storage::Error::FBig),
    kernel_error(storage::Error::NoMem),
    kernel_error(storage::Error::Fault),
    kernel_error(storage::Error::NxIo),
];

// The table lists the variants in declaration order, all of them.
const _: () = assert!(
    storage::Error::Inval as usize == 0
        && storage::Error::NoSpc as usize == 1
        && storage::Error::FBig as usize == 2
        && storage::Error::NoMem as usize == 3
        && storage::Error::Fault as usize == 4
        && storage::Error::NxIo as usize == ERRORS.len() - 1
);

/// Converts a storage error to the kernel's.
///
/// A load from a table, not a `match` on the hot path: merged into a
/// callback, a `match` can become a jump table, an indirect branch between
/// procfs and the handler (`test/check-zero-cost.py`).
#[inline]
fn to_error(e: storage::Error) -> Error {
    ERRORS[e as usize]
}

impl From<proc_fs::Whence> for storage::Whence {
    #[inline]
    fn from(whence: proc_fs::Whence) -> Self {
        match whence {
            proc_fs::Whence::Set => Self::Set,
            proc_fs::Whence::Cur => Self::Cur,
            proc_fs::Whence::End => Self::End,
            proc_fs::Whence::Data => Self::Data,
            proc_fs::Whence::Hole => Self::Hole,
        }
    }
}

/// Name of the directory that holds the statistics.
const DIR_NAME: &CStr = c_str!("rustprocfile");

/// Calls counted for the statistics.
///
/// They are kept with the storage, under its lock, which every counted call
/// takes anyway: a plain add instead of an atomic one per call, on a cache
/// line that concurrent callers share already.
#[derive(Default, Clone, Copy)]
struct Calls {
    /// Read calls.
    reads: u64,
    /// Write calls.
    writes: u64,
    /// lseek calls.
    seeks: u64,
    /// Size changes (truncate, ftruncate, open with O_TRUNC).
    truncates: u64,
}

/// What the storage lock protects.
struct Content {
    /// The data of the file.
    storage: Storage<KernelAlloc>,
    /// The calls that used it.
    calls: Calls,
}

/// What the writer lock protects.
struct Writer {
    /// Written data is copied here from user space before it goes into
    /// the file: a fault leaves the file untouched, and the copy runs with
    /// no storage lock held. Allocated by the first write.
    bounce: Option<KBox<storage::Bounce>>,
}

/// The state of the file, shared by the file and its statistics.
///
/// Two locks, as a regular file has its inode lock and the page cache's
/// short-lived ones: `writer` serialises writes and size changes and is
/// held across a writer's copy from user space; `content` is held only
/// to look data up or commit it, never across a copy to or from user
/// space, so a reader or writer stalled on its user memory holds up no
/// reader, `lseek(2)` or statistics. Order: `writer`, then `content`.
#[pin_data]
struct Shared {
    /// The data and the call counts.
    #[pin]
    content: Mutex<Content>,
    /// The writers' side.
    #[pin]
    writer: Mutex<Writer>,
    /// Bytes of the bounce buffer, once allocated (for the statistics, which
    /// take no writer lock).
    bounce_bytes: AtomicU64,
    /// Successful opens; an open takes no lock, so this one is atomic.
    opens: AtomicU64,
}

impl storage::ReadLock<KernelAlloc> for Shared {
    #[inline]
    fn with_read<R>(&self, first: bool, f: impl FnOnce(&Storage<KernelAlloc>) -> R) -> R {
        let mut content = self.content.lock();
        let c = &mut *content;
        if first {
            c.calls.reads = c.calls.reads.wrapping_add(1);
        }
        f(&c.storage)
    }
}

impl storage::WriteLock<KernelAlloc> for Shared {
    #[inline]
    fn with_write<R>(&self, first: bool, f: impl FnOnce(&mut Storage<KernelAlloc>) -> R) -> R {
        let mut content = self.content.lock();
        let c = &mut *content;
        if first {
            c.calls.writes = c.calls.writes.wrapping_add(1);
        }
        f(&mut c.storage)
    }
}

impl Shared {
    /// Creates the state of an empty file of at most `max_size` bytes.
    fn new(max_size: u64) -> Result<Arc<Self>> {
        let storage = Storage::new(max_size).map_err(to_error)?;
        Arc::pin_init(
            pin_init!(Shared {
                content <- new_mutex!(
                    Content {
                        storage,
                        calls: Calls::default(),
                    },
                    "rustprocfile::content"
                ),
                writer <- new_mutex!(Writer { bounce: None }, "rustprocfile::writer"),
                bounce_bytes: AtomicU64::new(0),
                opens: AtomicU64::new(0),
            }),
            GFP_KERNEL,
        )
    }

    /// Reads up to `count` bytes at `*pos` into `dst` and advances `*pos`
    /// past them.
    #[inline]
    fn read(&self, pos: &mut i64, count: usize, dst: &mut impl storage::Sink) -> Result<usize> {
        let n = storage::read(self, *pos, count, dst).map_err(to_error)?;
        // `*pos + n` is at most the file size, which fits in `i64`: neither
        // the cast nor the addition can overflow, and their unchecked forms
        // cost no test and branch on every read.
        *pos = pos.wrapping_add(n as i64);
        Ok(n)
    }

    /// Writes the `count` bytes of `src` at `*pos` (at the end of the file
    /// with `append`) and sets `*pos` past them. `limits` gets where the
    /// write goes and its length and returns how much the caller's limits
    /// allow (`proc_fs::check_write_limits`). When the size changes,
    /// `publish` gets the new one under the storage lock, so that sizes are
    /// published in the order of the changes.
    #[inline]
    fn write(
        &self,
        pos: &mut i64,
        append: bool,
        count: usize,
        src: &mut UserSliceReader,
        limits: impl FnOnce(u64, usize) -> Result<usize>,
        publish: impl FnMut(u64),
    ) -> Result<usize> {
        let mut writer = self.writer.lock();
        let bounce = match &mut writer.bounce {
            Some(bounce) => bounce,
            None => {
                let bounce = KBox::init(zeroed::<storage::Bounce>(), GFP_KERNEL_ACCOUNT)?;
                self.bounce_bytes.store(
                    kmalloc_bytes(core::mem::size_of::<storage::Bounce>()),
                    Relaxed,
                );
                writer.bounce.insert(bounce)
            }
        };
        let (n, new_pos) = storage::write(
            self,
            bounce,
            *pos,
            append,
            count,
            src,
            FS_LIMIT,
            // Both limits fail with EFBIG only.
            |start, count| limits(start, count).map_err(|_| storage::Error::FBig),
            publish,
        )
        .map_err(to_error)?;
        *pos = new_pos;
        Ok(n)
    }

    /// Returns the position of an `lseek(2)` from `pos`.
    fn seek(&self, pos: i64, offset: i64, whence: proc_fs::Whence) -> Result<i64> {
        let mut content = self.content.lock();
        let c = &mut *content;
        c.calls.seeks = c.calls.seeks.wrapping_add(1);
        c.storage
            .llseek(pos, offset, whence.into(), FS_LIMIT)
            .map_err(to_error)
    }

    /// Calls `map` with the chunk of page `idx`, allocated (zeroed) if it
    /// is a hole, under the storage lock: the lock that writes and size
    /// changes take, so that a page is mapped only while it is in the file.
    /// Fails with `EFAULT` for a page wholly past the end of the file.
    /// (The 6.12 series cannot map proc files.)
    #[cfg(not(rustprocfile_linux_6_12))]
    fn map_page(&self, idx: u64, map: impl FnOnce(&procfs::ChunkPage) -> Result) -> Result {
        let mut content = self.content.lock();
        match content.storage.page_to_map(idx).map_err(to_error)? {
            Some(chunk) => map(&chunk.0),
            None => Err(EFAULT),
        }
    }

    /// Sets the size of the file (truncate); `publish` gets it under the
    /// storage lock.
    fn set_size(&self, size: u64, publish: impl FnOnce(u64)) -> Result {
        let _writer = self.writer.lock();
        let mut content = self.content.lock();
        let c = &mut *content;
        c.calls.truncates = c.calls.truncates.wrapping_add(1);
        c.storage.set_size(size).map_err(to_error)?;
        publish(size);
        Ok(())
    }

    /// Returns the statistics: the counts and the size are from the same
    /// moment.
    fn stats(&self) -> Stats {
        let c = self.content.lock();
        let st = &c.storage;
        Stats {
            size: st.size(),
            capacity: st.max_size(),
            allocated: st.allocated_bytes() + self.bounce_bytes.load(Relaxed),
            opens: self.opens.load(Relaxed),
            calls: c.calls,
        }
    }
}

/// The statistics of the file at one moment.
///
/// Displayed in the format of `/proc/rustprocfile/stats`: one `name value`
/// line per figure.
struct Stats {
    /// Size of the file in bytes.
    size: u64,
    /// Largest size of the file (`max_size`).
    capacity: u64,
    /// Bytes of memory the storage holds (data pages, index nodes, bounce buffer).
    allocated: u64,
    /// Successful opens.
    opens: u64,
    /// The calls counted under the storage lock.
    calls: Calls,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "size {}\ncapacity {}\nallocated {}\nopens {}\nreads {}\nwrites {}\nseeks {}\ntruncates {}\n",
            self.size,
            self.capacity,
            self.allocated,
            self.opens,
            self.calls.reads,
            self.calls.writes,
            self.calls.seeks,
            self.calls.truncates,
        )
    }
}

/// Permissions of the statistics file: readable by whom the file is
/// readable by, since they show its size and activity, and by root for a
/// file nobody may read (procfs would make mode 0 world-readable).
fn stats_mode(mode: u16) -> u16 {
    match mode & 0o444 {
        0 => 0o400,
        read => read,
    }
}

/// Checks the module parameters; logs and returns `EINVAL` (`EEXIST` for a
/// name that is taken) if one is bad.
fn check_params(name: &CStr, mode: u16, max_size: u64) -> Result {
    // The statistics directory takes DIR_NAME in /proc: the file cannot.
    let checked = proc_fs::check_name(name, None);
    if checked == Err(EEXIST) {
        pr_err!("invalid name={}: /proc/{} exists\n", name, name);
        return Err(EEXIST);
    }
    if checked.is_err() || name.as_bytes() == DIR_NAME.as_bytes() {
        pr_err!(
            "invalid name={}: must be 1 to 255 bytes, no '/', not '.', '..', {} or all digits\n",
            name,
            DIR_NAME
        );
        return Err(EINVAL);
    }
    if mode == 0 || mode > 0o777 {
        pr_err!("invalid mode={:#o}: must be 0o1 to 0o777\n", mode);
        return Err(EINVAL);
    }
    let largest = storage::MAX_SUPPORTED_SIZE.min(PROC_LIMIT);
    if max_size == 0 || max_size > largest {
        pr_err!("invalid max_size={}: must be 1 to {}\n", max_size, largest);
        return Err(EINVAL);
    }
    Ok(())
}
