// SPDX-License-Identifier: GPL-2.0

//! The proc files on the `kernel::proc_fs` of the Linux 6.12 patches
//! (`board/common/linux/6.12/`): a registration boxed by the abstraction,
//! `read` and `write` on user slices, writes bounded by the limits of a
//! regular file, and the size published through the
//! inode lock.

use super::{check_params, kmalloc_bytes, stats_mode, storage, Shared, DIR_NAME};
use core::{ops::Deref, sync::atomic::Ordering::Relaxed};
use kernel::{
    alloc::{flags::GFP_KERNEL_ACCOUNT, AllocError, KBox},
    c_str, fmt,
    init::zeroed,
    prelude::*,
    proc_fs::{self, flags, Directory, File, Whence},
    str::CString,
    sync::Arc,
    uaccess::{UserSliceReader, UserSliceWriter},
};

/// The memory of a chunk of file data.
pub(crate) struct ChunkPage(KBox<storage::Page>);

impl ChunkPage {
    /// Bytes of memory a chunk takes.
    pub(crate) const BYTES: u64 = kmalloc_bytes(storage::CHUNK_SIZE);

    /// Allocates a chunk of zeros.
    pub(crate) fn new() -> Result<Self, AllocError> {
        KBox::init(zeroed::<storage::Page>(), GFP_KERNEL_ACCOUNT)
            .map(Self)
            .map_err(|_| AllocError)
    }

    /// The data, for a writer that has the only reference to the chunk.
    #[inline]
    pub(crate) fn data_mut(&mut self) -> &mut storage::Page {
        &mut self.0
    }

    /// Returns whether the chunk is mapped into user space: never, as
    /// this series has no `mmap`.
    #[inline]
    pub(crate) fn is_mapped(&self) -> bool {
        false
    }

    /// The address of the data, for a writer of a mapped chunk: never
    /// written through on this series, which maps no chunk.
    #[inline]
    pub(crate) fn as_mut_ptr(&self) -> *mut storage::Page {
        core::ptr::from_ref::<storage::Page>(&self.0).cast_mut()
    }
}

impl Deref for ChunkPage {
    type Target = storage::Page;

    #[inline]
    fn deref(&self) -> &storage::Page {
        &self.0
    }
}

impl storage::Sink for UserSliceWriter {
    #[inline]
    fn write_from(&mut self, src: &[u8]) -> storage::Result {
        self.write_slice(src).map_err(|_| storage::Error::Fault)
    }
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
        data.read(pos, count, buf)
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
        // The inode lock comes before the storage lock, as in `truncate`
        // (called with it held), and is kept until the new size is in the
        // inode: `fstat` never shows less than `lseek(SEEK_END)`.
        let inode = file.lock_inode();
        data.write(
            pos,
            fl & flags::O_APPEND != 0,
            count,
            buf,
            |start, count| {
                let start = i64::try_from(start).map_err(|_| EFBIG)?;
                proc_fs::check_write_limits(file, start, count)
            },
            |new| inode.set_size(new),
        )
    }

    fn llseek(data: &Self::Data, file: &File<'_>, offset: i64, whence: Whence) -> Result<i64> {
        data.seek(file.pos(), offset, whence)
    }

    fn truncate(data: &Self::Data, size: u64) -> Result {
        // procfs publishes the size itself when this succeeds.
        data.set_size(size, |_| ())
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
        let text = CString::try_from_fmt(fmt!("{}", data.stats()))?;
        let start = usize::try_from(*pos).map_err(|_| EINVAL)?;
        let rest = text.as_bytes().get(start..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf.write_slice(rest.get(..n).unwrap_or_default())?;
        *pos = pos.saturating_add(i64::try_from(n)?);
        Ok(n)
    }
}

/// The module: owns the proc file and the statistics (no global state).
pub(crate) struct RustProcFile {
    _file: proc_fs::Registration<ProcFile>,
    _stats: proc_fs::Registration<StatsFile>,
}

impl kernel::Module for RustProcFile {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let name = crate::module_parameters::name.get();
        let mode = crate::module_parameters::mode.get();
        let max_size = crate::module_parameters::max_size.get();
        check_params(name, mode, max_size)?;
        let shared = Shared::new(max_size)?;
        let file = proc_fs::Registration::new::<Error>(name, mode, None, shared.clone())
            .inspect_err(|e| pr_err!("cannot create /proc/{} ({:?})\n", name, e))?;
        // Entries in the directory keep it alive; no need to hold it here.
        let dir = Directory::new(DIR_NAME, None)
            .inspect_err(|e| pr_err!("cannot create /proc/{} ({:?})\n", DIR_NAME, e))?;
        let stats = proc_fs::Registration::new::<Error>(
            c_str!("stats"),
            stats_mode(mode),
            Some(&dir),
            shared,
        )
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
