// SPDX-License-Identifier: GPL-2.0

//! Shared helpers of the host tests: a host allocator for the storage model,
//! a model of an open file, and a real file in tmpfs driven by raw syscalls.

#![allow(dead_code)]

use rustprocfile_storage::{Allocator, Error, Page, Sink, Source, Storage, Whence, CHUNK_SIZE};
use std::cell::Cell;
use std::ffi::CString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

thread_local! {
    /// Allocations left before `HostAlloc` starts failing; `None`: no limit.
    static ALLOC_BUDGET: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Limits the number of successful allocations of this thread.
pub fn set_alloc_budget(budget: Option<usize>) {
    ALLOC_BUDGET.with(|b| b.set(budget));
}

fn take_budget() -> Result<(), Error> {
    ALLOC_BUDGET.with(|b| match b.get() {
        None => Ok(()),
        Some(0) => Err(Error::NoMem),
        Some(n) => {
            b.set(Some(n - 1));
            Ok(())
        }
    })
}

/// Heap allocator of the host, with optional failure injection.
pub struct HostAlloc;

impl Allocator for HostAlloc {
    type Box<T> = Box<T>;
    type Chunk = Arc<Page>;

    const CHUNK_BYTES: u64 = CHUNK_SIZE as u64;

    fn new_box<T>(value: T) -> Result<Box<T>, Error> {
        take_budget()?;
        Ok(Box::new(value))
    }

    fn box_bytes<T>() -> u64 {
        std::mem::size_of::<T>() as u64
    }

    fn new_chunk() -> Result<Arc<Page>, Error> {
        take_budget()?;
        Ok(Arc::new([0; CHUNK_SIZE]))
    }

    fn chunk_mut(chunk: &mut Arc<Page>) -> Option<&mut Page> {
        Arc::get_mut(chunk)
    }
}

/// The largest file size of a 64-bit Linux filesystem (`MAX_LFS_FILESIZE`).
pub const FS_LIMIT: u64 = i64::MAX as u64;

/// A source reading from a slice, optionally faulting at byte `fault_at`.
pub struct SliceSource<'a> {
    pub data: &'a [u8],
    pub pos: usize,
    pub fault_at: Option<usize>,
}

impl Source for SliceSource<'_> {
    fn read_into(&mut self, dst: &mut [u8]) -> Result<(), Error> {
        let end = self.pos + dst.len();
        if let Some(f) = self.fault_at {
            if end > f {
                // Like copy_from_user: copy what is accessible, then fail.
                let ok = f.saturating_sub(self.pos);
                dst[..ok].copy_from_slice(&self.data[self.pos..self.pos + ok]);
                return Err(Error::Fault);
            }
        }
        dst.copy_from_slice(self.data.get(self.pos..end).ok_or(Error::Fault)?);
        self.pos = end;
        Ok(())
    }
}

/// A sink appending to a vector, optionally faulting after `limit` bytes.
#[derive(Default)]
pub struct VecSink {
    pub data: Vec<u8>,
    pub limit: Option<usize>,
}

impl Sink for VecSink {
    fn write_from(&mut self, src: &[u8]) -> Result<(), Error> {
        if let Some(l) = self.limit {
            if self.data.len() + src.len() > l {
                return Err(Error::Fault);
            }
        }
        self.data.extend_from_slice(src);
        Ok(())
    }
}

/// Errno value of a model error.
pub fn errno(e: Error) -> i32 {
    match e {
        Error::Inval => libc::EINVAL,
        Error::NoSpc => libc::ENOSPC,
        Error::FBig => libc::EFBIG,
        Error::NoMem => libc::ENOMEM,
        Error::Fault => libc::EFAULT,
        Error::NxIo => libc::ENXIO,
    }
}

/// Converts a whence value to the model's.
pub fn whence(w: i32) -> Whence {
    match w {
        libc::SEEK_SET => Whence::Set,
        libc::SEEK_CUR => Whence::Cur,
        libc::SEEK_END => Whence::End,
        libc::SEEK_DATA => Whence::Data,
        libc::SEEK_HOLE => Whence::Hole,
        _ => panic!("bad whence {w}"),
    }
}

/// The model of one open file: what the kernel module does per `struct file`.
pub struct ModelFile {
    pub st: Storage<HostAlloc>,
    pub pos: i64,
    pub append: bool,
}

impl ModelFile {
    pub fn new(max_size: u64) -> Self {
        ModelFile {
            st: Storage::new(max_size).expect("valid max_size"),
            pos: 0,
            append: false,
        }
    }

    /// Reopens: new position 0, new flags, optional truncation.
    pub fn reopen(&mut self, trunc: bool, append: bool) {
        if trunc {
            // The kernel sees O_TRUNC as a truncate to 0.
            self.st.set_size(0).expect("truncate to 0");
        }
        self.pos = 0;
        self.append = append;
    }

    /// The checks `rw_verify_area()` makes before any filesystem code runs.
    fn vfs_check(pos: i64, len: usize) -> Result<(), i32> {
        if pos < 0 || pos.checked_add(len as i64).is_none() {
            return Err(libc::EINVAL);
        }
        Ok(())
    }

    pub fn read(&mut self, len: usize) -> Result<Vec<u8>, i32> {
        Self::vfs_check(self.pos, len)?;
        let mut sink = VecSink::default();
        let n = self.st.read(self.pos, len, &mut sink).map_err(errno)?;
        self.pos += n as i64;
        Ok(sink.data)
    }

    pub fn pread(&self, len: usize, off: i64) -> Result<Vec<u8>, i32> {
        Self::vfs_check(off, len)?;
        let mut sink = VecSink::default();
        self.st.read(off, len, &mut sink).map_err(errno)?;
        Ok(sink.data)
    }

    pub fn write(&mut self, data: &[u8]) -> Result<usize, i32> {
        Self::vfs_check(self.pos, data.len())?;
        let mut src = SliceSource {
            data,
            pos: 0,
            fault_at: None,
        };
        let (n, pos) = self
            .st
            .write(self.pos, self.append, data.len(), &mut src, FS_LIMIT)
            .map_err(errno)?;
        self.pos = pos;
        Ok(n)
    }

    pub fn pwrite(&mut self, data: &[u8], off: i64) -> Result<usize, i32> {
        Self::vfs_check(off, data.len())?;
        let mut src = SliceSource {
            data,
            pos: 0,
            fault_at: None,
        };
        let (n, _) = self
            .st
            .write(off, self.append, data.len(), &mut src, FS_LIMIT)
            .map_err(errno)?;
        Ok(n)
    }

    pub fn lseek(&mut self, off: i64, w: i32) -> Result<i64, i32> {
        let new = self
            .st
            .llseek(self.pos, off, whence(w), FS_LIMIT)
            .map_err(errno)?;
        self.pos = new;
        Ok(new)
    }

    /// `ftruncate(2)`: the VFS rejects negative lengths, then procfs calls
    /// the module.
    pub fn ftruncate(&mut self, len: i64) -> Result<(), i32> {
        let len = u64::try_from(len).map_err(|_| libc::EINVAL)?;
        self.st.set_size(len).map_err(errno)
    }

    pub fn size(&self) -> u64 {
        self.st.size()
    }

    /// Whole content, read without moving the position.
    pub fn content(&self) -> Vec<u8> {
        let mut sink = VecSink::default();
        let size = usize::try_from(self.st.size()).expect("small file");
        self.st.read(0, size, &mut sink).expect("read");
        sink.data
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A real regular file in tmpfs (`/dev/shm`), driven by raw syscalls.
pub struct RealFile {
    pub path: PathBuf,
    pub fd: i32,
}

fn last_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

impl RealFile {
    pub fn new() -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = PathBuf::from(format!(
            "/dev/shm/rustprocfile-test-{}-{}",
            std::process::id(),
            n
        ));
        let mut f = RealFile { path, fd: -1 };
        f.open(libc::O_CREAT | libc::O_TRUNC);
        f
    }

    fn open(&mut self, flags: i32) {
        if self.fd >= 0 {
            // SAFETY: fd is an open descriptor owned by this struct.
            unsafe { libc::close(self.fd) };
        }
        let c = CString::new(self.path.to_str().expect("utf-8")).expect("no NUL");
        // SAFETY: valid NUL-terminated path.
        self.fd = unsafe { libc::open(c.as_ptr(), libc::O_RDWR | flags, 0o600) };
        assert!(self.fd >= 0, "open {:?}: errno {}", self.path, last_errno());
    }

    pub fn reopen(&mut self, trunc: bool, append: bool) {
        let mut flags = 0;
        if trunc {
            flags |= libc::O_TRUNC;
        }
        if append {
            flags |= libc::O_APPEND;
        }
        self.open(flags);
    }

    pub fn read(&mut self, len: usize) -> Result<Vec<u8>, i32> {
        let mut buf = vec![0u8; len];
        // SAFETY: buf has len writable bytes.
        let r = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), len) };
        if r < 0 {
            return Err(last_errno());
        }
        buf.truncate(r as usize);
        Ok(buf)
    }

    pub fn pread(&self, len: usize, off: i64) -> Result<Vec<u8>, i32> {
        let mut buf = vec![0u8; len];
        // SAFETY: buf has len writable bytes.
        let r = unsafe { libc::pread(self.fd, buf.as_mut_ptr().cast(), len, off) };
        if r < 0 {
            return Err(last_errno());
        }
        buf.truncate(r as usize);
        Ok(buf)
    }

    pub fn write(&mut self, data: &[u8]) -> Result<usize, i32> {
        // SAFETY: data has data.len() readable bytes.
        let r = unsafe { libc::write(self.fd, data.as_ptr().cast(), data.len()) };
        if r < 0 {
            return Err(last_errno());
        }
        Ok(r as usize)
    }

    pub fn pwrite(&mut self, data: &[u8], off: i64) -> Result<usize, i32> {
        // SAFETY: data has data.len() readable bytes.
        let r = unsafe { libc::pwrite(self.fd, data.as_ptr().cast(), data.len(), off) };
        if r < 0 {
            return Err(last_errno());
        }
        Ok(r as usize)
    }

    pub fn lseek(&mut self, off: i64, w: i32) -> Result<i64, i32> {
        // SAFETY: plain syscall on an owned descriptor.
        let r = unsafe { libc::lseek(self.fd, off, w) };
        if r < 0 {
            return Err(last_errno());
        }
        Ok(r)
    }

    pub fn ftruncate(&mut self, len: i64) -> Result<(), i32> {
        // SAFETY: plain syscall on an owned descriptor.
        let r = unsafe { libc::ftruncate(self.fd, len) };
        if r < 0 {
            return Err(last_errno());
        }
        Ok(())
    }

    pub fn size(&self) -> u64 {
        std::fs::metadata(&self.path).expect("stat").len()
    }

    pub fn content(&self) -> Vec<u8> {
        std::fs::read(&self.path).expect("read back")
    }
}

impl Drop for RealFile {
    fn drop(&mut self) {
        // SAFETY: fd is an open descriptor owned by this struct.
        unsafe { libc::close(self.fd) };
        let _ = std::fs::remove_file(&self.path);
    }
}
