// SPDX-License-Identifier: GPL-2.0

//! The proc files on the `kernel::proc_fs` of the Linux 6.18 patches
//! (`board/common/linux/6.18/`): registrations pinned in the module, reads
//! through `proc_read_iter`, writes bounded by the limits of a regular file,
//! the size published under the storage lock, and the statistics as a
//! `seq_file`.

use super::{check_params, stats_mode, storage, Shared, DIR_NAME};
use core::{ops::Deref, sync::atomic::Ordering::Relaxed};
use kernel::{
    alloc::AllocError,
    c_str,
    fs::{file::flags, File, Kiocb},
    iov::IovIterDest,
    mm::virt::VmaNew,
    page::PAGE_SIZE,
    prelude::*,
    proc_fs::{self, Directory, Fault, FilePage, FileSize, SingleRegistration, SingleShow, Whence},
    seq_file::SeqFile,
    seq_print,
    sync::Arc,
    uaccess::UserSliceReader,
};

/// The memory of a chunk of file data: a page, which a fault can map into
/// user space.
pub(crate) struct ChunkPage(FilePage);

impl ChunkPage {
    /// Bytes of memory a chunk takes.
    pub(crate) const BYTES: u64 = PAGE_SIZE as u64;

    /// Allocates a chunk of zeros.
    pub(crate) fn new() -> Result<Self, AllocError> {
        // The storage's chunks are pages: the page size must hold one.
        const { assert!(PAGE_SIZE >= storage::CHUNK_SIZE) };
        FilePage::new().map(Self)
    }

    /// The data, for a writer that has the only reference to the chunk.
    #[inline]
    pub(crate) fn data_mut(&mut self) -> &mut storage::Page {
        // SAFETY: The page is valid for `PAGE_SIZE` bytes, at least a chunk,
        // while `self` holds it, and `&mut self` excludes the file's
        // readers. If it is mapped, user space may store to it meanwhile:
        // the storage only copies its bytes, never relies on them.
        unsafe { &mut *self.as_mut_ptr() }
    }

    /// The address of the data, for a writer of a mapped chunk.
    #[inline]
    pub(crate) fn as_mut_ptr(&self) -> *mut storage::Page {
        self.0.as_ptr().cast()
    }

    /// Returns whether the chunk is mapped into user space; stable under
    /// the storage lock, which faults map pages under, apart from unmaps.
    #[inline]
    pub(crate) fn is_mapped(&self) -> bool {
        self.0.is_mapped()
    }
}

impl Deref for ChunkPage {
    type Target = storage::Page;

    #[inline]
    fn deref(&self) -> &storage::Page {
        // SAFETY: The page is valid for `PAGE_SIZE` bytes, at least a chunk,
        // while `self` holds it. Its bytes change under this reference
        // only if it is mapped (user space stores, and writes go in place):
        // the storage only copies them, as a reader of a page cache page
        // does.
        unsafe { &*self.as_mut_ptr() }
    }
}

impl storage::Sink for IovIterDest<'_> {
    #[inline]
    fn write_from(&mut self, src: &[u8]) -> storage::Result {
        // A short copy means a fault in user memory: no more can be copied.
        if self.copy_to_iter(src) == src.len() {
            Ok(())
        } else {
            Err(storage::Error::Fault)
        }
    }
}

/// The file operations of `/proc/<name>`.
struct ProcFile;

#[vtable]
impl proc_fs::Operations for ProcFile {
    type Data = Arc<Shared>;

    fn open(data: &Self::Data, _file: &File) -> Result {
        // O_TRUNC arrives as a truncate to 0 once the file is open.
        data.opens.fetch_add(1, Relaxed);
        Ok(())
    }

    #[inline]
    fn read_iter(
        data: &Self::Data,
        mut kiocb: Kiocb<'_, ()>,
        iov: &mut IovIterDest<'_>,
    ) -> Result<usize> {
        let count = iov.len();
        data.read(kiocb.ki_pos_mut(), count, iov)
    }

    #[inline]
    fn write(
        data: &Self::Data,
        file: &File,
        size: &FileSize<'_>,
        buf: &mut UserSliceReader,
        pos: &mut i64,
    ) -> Result<usize> {
        let count = buf.len();
        let append = file.flags() & flags::O_APPEND != 0;
        data.write(
            pos,
            append,
            count,
            buf,
            |start, count| {
                let start = i64::try_from(start).map_err(|_| EFBIG)?;
                proc_fs::check_write_limits(file, start, count)
            },
            |new| size.set(new),
        )
    }

    fn llseek(
        data: &Self::Data,
        _file: &File,
        pos: i64,
        offset: i64,
        whence: Whence,
    ) -> Result<i64> {
        data.seek(pos, offset, whence)
    }

    fn truncate(data: &Self::Data, size: &FileSize<'_>, new_size: u64) -> Result {
        data.set_size(new_size, |new| size.set(new))?;
        // The pages wholly past the end are out of the file: unmap them, so
        // that an access faults and gets SIGBUS. Faults map pages under
        // the storage lock, so none of them is mapped again.
        size.unmap_from(new_size.div_ceil(PAGE_SIZE as u64) * PAGE_SIZE as u64);
        Ok(())
    }

    fn mmap(_data: &Self::Data, _file: &File, _vma: &VmaNew) -> Result {
        // A page of a mapping is a chunk of the storage: one to one only
        // where the kernel's pages are of that size.
        if PAGE_SIZE != storage::CHUNK_SIZE {
            return Err(ENODEV);
        }
        Ok(())
    }

    fn fault(data: &Self::Data, fault: &Fault<'_>) -> Result {
        let idx = u64::try_from(fault.pgoff()).map_err(|_| EFAULT)?;
        data.map_page(idx, |chunk| fault.insert(&chunk.0))
    }
}

/// The statistics file, `/proc/rustprocfile/stats`.
struct StatsFile;

impl SingleShow for StatsFile {
    type Data = Arc<Shared>;

    fn show(data: &Self::Data, m: &SeqFile) -> Result {
        seq_print!(m, "{}", data.stats());
        Ok(())
    }
}

/// The module: owns the proc file, the statistics and their directory (no
/// global state), pinned where the module loader put it.
///
/// The fields are dropped in order: the files, then the directory.
#[pin_data]
pub(crate) struct RustProcFile {
    #[pin]
    file: proc_fs::Registration<ProcFile>,
    #[pin]
    stats: SingleRegistration<StatsFile>,
    dir: Arc<Directory>,
}

impl kernel::InPlaceModule for RustProcFile {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let name = crate::module_parameters::name.get();
        let mode = crate::module_parameters::mode.get();
        let max_size = crate::module_parameters::max_size.get();
        // What the files share, made before them; the initialiser fails with
        // the first error.
        let shared = check_params(name, mode, max_size).and_then(|()| Shared::new(max_size));
        let dir = shared.as_ref().map_err(|e| *e).and_then(|_| {
            Directory::new(DIR_NAME, None)
                .inspect_err(|e| pr_err!("cannot create /proc/{} ({:?})\n", DIR_NAME, e))
        });
        try_pin_init!(Self {
            file <- proc_fs::Registration::new(name, mode, None, shared.clone()?)
                .pin_chain(move |_| {
                    pr_info!(
                        "created /proc/{} (mode {:#o}, max_size {})\n",
                        name,
                        mode,
                        max_size
                    );
                    Ok(())
                }),
            stats <- SingleRegistration::new(
                c_str!("stats"),
                stats_mode(mode),
                Some(dir.as_ref().map_err(|e| *e)?),
                shared?,
            ),
            dir: dir?,
        }? Error)
    }
}
