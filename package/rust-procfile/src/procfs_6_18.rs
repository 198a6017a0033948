// SPDX-License-Identifier: GPL-2.0

//! The proc files on the `kernel::proc_fs` of the Linux 6.18 patches
//! (`board/common/linux/6.18/`): registrations pinned in the module, reads
//! through `proc_read_iter`, the size published under the storage lock, and
//! the statistics as a `seq_file`.

use super::{check_params, storage, to_error, Shared, DIR_NAME, FS_LIMIT, NON_LFS_LIMIT};
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
        let pos = kiocb.ki_pos_mut();
        let mut content = data.content.lock();
        let c = &mut *content;
        c.calls.reads = c.calls.reads.wrapping_add(1);
        let n = c.storage.read(*pos, count, iov).map_err(to_error)?;
        // `*pos + n` is at most the file size, which fits in `i64`: neither
        // the cast nor the addition can overflow, and their unchecked forms
        // cost no test and branch on every read.
        *pos = pos.wrapping_add(n as i64);
        Ok(n)
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
        let fl = file.flags();
        let limit = if fl & flags::O_LARGEFILE != 0 {
            FS_LIMIT
        } else {
            NON_LFS_LIMIT
        };
        let mut content = data.content.lock();
        let c = &mut *content;
        c.calls.writes = c.calls.writes.wrapping_add(1);
        let st = &mut c.storage;
        let old_size = st.size();
        let (n, new_pos) = st
            .write(*pos, fl & flags::O_APPEND != 0, count, buf, limit)
            .map_err(to_error)?;
        if st.size() != old_size {
            // Under the storage lock: `stat(2)` sees the sizes in the order
            // of the writes and truncates that made them.
            size.set(st.size());
        }
        *pos = new_pos;
        Ok(n)
    }

    fn llseek(
        data: &Self::Data,
        _file: &File,
        pos: i64,
        offset: i64,
        whence: Whence,
    ) -> Result<i64> {
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
            .llseek(pos, offset, whence, FS_LIMIT)
            .map_err(to_error)
    }

    fn truncate(data: &Self::Data, size: &FileSize<'_>, new_size: u64) -> Result {
        let mut content = data.content.lock();
        let c = &mut *content;
        c.calls.truncates = c.calls.truncates.wrapping_add(1);
        c.storage.set_size(new_size).map_err(to_error)?;
        size.set(new_size);
        Ok(())
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
                0o444,
                Some(dir.as_ref().map_err(|e| *e)?),
                shared?,
            ),
            dir: dir?,
        }? Error)
    }
}
