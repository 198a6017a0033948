// SPDX-License-Identifier: GPL-2.0

//! The proc files on the `kernel::proc_fs` of the Linux 6.18 patches
//! (`board/common/linux/6.18/`): registrations pinned in the module, reads
//! through `proc_read_iter`, writes bounded by the limits of a regular file,
//! the size published under the storage lock, and the statistics as a
//! `seq_file`.

use super::{check_params, stats_mode, storage, Shared, DIR_NAME};
use core::sync::atomic::Ordering::Relaxed;
use kernel::{
    c_str,
    fs::{file::flags, File, Kiocb},
    iov::IovIterDest,
    prelude::*,
    proc_fs::{self, Directory, FileSize, SingleRegistration, SingleShow, Whence},
    seq_file::SeqFile,
    seq_print,
    sync::Arc,
    uaccess::UserSliceReader,
};

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
        data.set_size(new_size, |new| size.set(new))
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
