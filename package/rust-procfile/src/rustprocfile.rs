// SPDX-License-Identifier: GPL-2.0

//! rustprocfile: a file in `/proc` that behaves like a regular file in tmpfs.
//!
//! The file keeps its content in memory, up to `max_size` bytes. Its
//! statistics are in `/proc/rustprocfile/stats`. This file is the kernel
//! glue; the file semantics live in [`storage`], which is also built and
//! tested on the host.

use core::sync::atomic::{AtomicU64, Ordering::Relaxed};
use kernel::{
    alloc::{flags::GFP_KERNEL, KBox},
    c_str, fmt, init, new_mutex,
    prelude::*,
    proc_fs::{self, flags, Directory, File, Whence},
    str::CString,
    sync::{Arc, Mutex},
    uaccess::{UserSliceReader, UserSliceWriter},
};

pub mod storage;

use storage::Storage;

module! {
    type: RustProcFile,
    name: "rustprocfile",
    author: "rustprocfile developers",
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

/// Largest file size of the filesystem (`MAX_LFS_FILESIZE`).
const FS_LIMIT: u64 = if usize::BITS == 64 {
    i64::MAX as u64
} else {
    (u32::MAX as u64) << kernel::page::PAGE_SHIFT
};

/// Largest file size for files opened without `O_LARGEFILE` (`MAX_NON_LFS`).
const NON_LFS_LIMIT: u64 = (1 << 31) - 1;

/// Kernel memory for the storage.
pub struct KernelAlloc;

impl storage::Allocator for KernelAlloc {
    type Box<T> = KBox<T>;

    fn new_box<T>(value: T) -> storage::Result<KBox<T>> {
        KBox::new(value, GFP_KERNEL).map_err(|_| storage::Error::NoMem)
    }

    fn new_zeroed_page() -> storage::Result<KBox<storage::Page>> {
        KBox::init(init::zeroed(), GFP_KERNEL).map_err(|_| storage::Error::NoMem)
    }
}

impl storage::Source for UserSliceReader {
    #[inline]
    fn read_into(&mut self, dst: &mut [u8]) -> storage::Result {
        self.read_slice(dst).map_err(|_| storage::Error::Fault)
    }
}

impl storage::Sink for UserSliceWriter {
    #[inline]
    fn write_from(&mut self, src: &[u8]) -> storage::Result {
        self.write_slice(src).map_err(|_| storage::Error::Fault)
    }
}

/// Converts a storage error to the kernel's.
#[inline]
fn to_error(e: storage::Error) -> Error {
    match e {
        storage::Error::Inval => EINVAL,
        storage::Error::NoSpc => ENOSPC,
        storage::Error::FBig => EFBIG,
        storage::Error::NoMem => ENOMEM,
        storage::Error::Fault => EFAULT,
        storage::Error::NxIo => ENXIO,
    }
}

/// Name of the directory that holds the statistics.
const DIR_NAME: &CStr = c_str!("rustprocfile");

/// Calls counted for the statistics.
///
/// They are kept with the storage, under its lock, which every counted call
/// takes anyway: a plain add instead of an atomic one per call.
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

/// The state of the file, shared by the file and its statistics.
#[pin_data]
struct Shared {
    /// The data and the call counts.
    #[pin]
    content: Mutex<Content>,
    /// Successful opens; an open takes no lock, so this one is atomic.
    opens: AtomicU64,
}

/// The file operations.
struct ProcFile;

#[vtable]
impl proc_fs::Operations for ProcFile {
    type Data = Arc<Shared>;

    fn open(data: &Self::Data, _file: &File<'_>) -> Result {
        // O_TRUNC arrives as a truncate to 0 once the file is open.
        data.opens.fetch_add(1, Relaxed);
        Ok(())
    }

    #[inline]
    fn read(
        data: &Self::Data,
        _file: &File<'_>,
        buf: &mut UserSliceWriter,
        pos: &mut i64,
    ) -> Result<usize> {
        let count = buf.len();
        let mut content = data.content.lock();
        let c = &mut *content;
        c.calls.reads = c.calls.reads.wrapping_add(1);
        let n = c.storage.read(*pos, count, buf).map_err(to_error)?;
        // `*pos + n` is at most the file size, which fits in `i64`: neither
        // the cast nor the addition can overflow, and their unchecked forms
        // cost no test and branch on every read.
        *pos = pos.wrapping_add(n as i64);
        Ok(n)
    }

    #[inline]
    fn write(
        data: &Self::Data,
        file: &File<'_>,
        buf: &mut UserSliceReader,
        pos: &mut i64,
    ) -> Result<usize> {
        let count = buf.len();
        let fl = file.flags();
        let limit = if fl & flags::O_LARGEFILE != 0 {
            FS_LIMIT
        } else {
            NON_LFS_LIMIT
        };
        // The inode lock comes before the storage lock, as in `truncate`
        // (called with it held), and is kept until the new size is in the
        // inode: `fstat` never shows less than `lseek(SEEK_END)`.
        let inode = file.lock_inode();
        let mut content = data.content.lock();
        let c = &mut *content;
        c.calls.writes = c.calls.writes.wrapping_add(1);
        let st = &mut c.storage;
        let old_size = st.size();
        let (n, new_pos) = st
            .write(*pos, fl & flags::O_APPEND != 0, count, buf, limit)
            .map_err(to_error)?;
        if st.size() != old_size {
            inode.set_size(st.size());
        }
        *pos = new_pos;
        Ok(n)
    }

    fn llseek(data: &Self::Data, file: &File<'_>, offset: i64, whence: Whence) -> Result<i64> {
        let whence = match whence {
            Whence::Set => storage::Whence::Set,
            Whence::Cur => storage::Whence::Cur,
            Whence::End => storage::Whence::End,
            Whence::Data => storage::Whence::Data,
            Whence::Hole => storage::Whence::Hole,
        };
        let mut content = data.content.lock();
        let c = &mut *content;
        c.calls.seeks = c.calls.seeks.wrapping_add(1);
        c.storage
            .llseek(file.pos(), offset, whence, FS_LIMIT)
            .map_err(to_error)
    }

    fn truncate(data: &Self::Data, size: u64) -> Result {
        let mut content = data.content.lock();
        let c = &mut *content;
        c.calls.truncates = c.calls.truncates.wrapping_add(1);
        c.storage.set_size(size).map_err(to_error)
    }
}

/// The read-only statistics file, `/proc/rustprocfile/stats`.
struct StatsFile;

#[vtable]
impl proc_fs::Operations for StatsFile {
    type Data = Arc<Shared>;

    /// Formats the statistics on each call and returns the part from `*pos`.
    fn read(
        data: &Self::Data,
        _file: &File<'_>,
        buf: &mut UserSliceWriter,
        pos: &mut i64,
    ) -> Result<usize> {
        // One snapshot: the counts and the size are from the same moment.
        let (size, capacity, allocated, calls) = {
            let c = data.content.lock();
            let st = &c.storage;
            (st.size(), st.max_size(), st.allocated_bytes(), c.calls)
        };
        let text = CString::try_from_fmt(fmt!(
            "size {}\ncapacity {}\nallocated {}\nopens {}\nreads {}\nwrites {}\nseeks {}\ntruncates {}\n",
            size,
            capacity,
            allocated,
            data.opens.load(Relaxed),
            calls.reads,
            calls.writes,
            calls.seeks,
            calls.truncates,
        ))?;
        let start = usize::try_from(*pos).map_err(|_| EINVAL)?;
        let rest = text.as_bytes().get(start..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf.write_slice(rest.get(..n).unwrap_or_default())?;
        *pos = pos.saturating_add(i64::try_from(n)?);
        Ok(n)
    }
}

/// Checks the module parameters; logs and returns `EINVAL` if one is bad.
fn check_params(name: &CStr, mode: u16, max_size: u64) -> Result {
    let bytes = name.as_bytes();
    if bytes.is_empty()
        || bytes.len() > 255
        || bytes == b"."
        || bytes == b".."
        || bytes.contains(&b'/')
        || bytes.iter().all(|b| b.is_ascii_digit())
        || bytes == DIR_NAME.as_bytes()
    {
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
    let largest = storage::MAX_SUPPORTED_SIZE.min(FS_LIMIT);
    if max_size == 0 || max_size > largest {
        pr_err!("invalid max_size={}: must be 1 to {}\n", max_size, largest);
        return Err(EINVAL);
    }
    Ok(())
}

/// The module: owns the proc file and the statistics (no global state).
struct RustProcFile {
    _file: proc_fs::Registration<ProcFile>,
    _stats: proc_fs::Registration<StatsFile>,
}

impl kernel::Module for RustProcFile {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let name = module_parameters::name.get();
        let mode = module_parameters::mode.get();
        let max_size = module_parameters::max_size.get();
        check_params(name, mode, max_size)?;
        let st = Storage::new(max_size).map_err(to_error)?;
        let shared = Arc::pin_init(
            pin_init!(Shared {
                content <- new_mutex!(
                    Content {
                        storage: st,
                        calls: Calls::default(),
                    },
                    "rustprocfile::storage"
                ),
                opens: AtomicU64::new(0),
            }),
            GFP_KERNEL,
        )?;
        let file = proc_fs::Registration::new::<Error>(name, mode, None, shared.clone())
            .inspect_err(|e| pr_err!("cannot create /proc/{} ({:?})\n", name, e))?;
        // Entries in the directory keep it alive; no need to hold it here.
        let dir = Directory::new(DIR_NAME, None)
            .inspect_err(|e| pr_err!("cannot create /proc/{} ({:?})\n", DIR_NAME, e))?;
        let stats = proc_fs::Registration::new::<Error>(c_str!("stats"), 0o444, Some(&dir), shared)
            .inspect_err(|e| pr_err!("cannot create /proc/{}/stats ({:?})\n", DIR_NAME, e))?;
        pr_info!(
            "created /proc/{} (mode {:#o}, max_size {})\n",
            name,
            mode,
            max_size
        );
        Ok(RustProcFile {
            _file: file,
            _stats: stats,
        })
    }
}
