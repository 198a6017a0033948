// SPDX-License-Identifier: GPL-2.0

//! The storage shared by a reader and a writer: the reader copies with no
//! lock held, and what it copies is the content of each chunk before or
//! after a write, never a mix of the two and never a freed chunk.

mod common;

use common::{HostAlloc, SliceSource, FS_LIMIT};
use rustprocfile_storage::{read, write, Error, ReadLock, Sink, Storage, WriteLock, CHUNK_SIZE};
use std::cell::RefCell;

/// A storage behind a `RefCell`, the host's stand-in for the module's lock:
/// a borrow is the lock being held.
struct Locked(RefCell<Storage<HostAlloc>>);

impl ReadLock<HostAlloc> for Locked {
    fn with_read<R>(&self, _first: bool, f: impl FnOnce(&Storage<HostAlloc>) -> R) -> R {
        f(&self.0.borrow())
    }
}

impl WriteLock<HostAlloc> for Locked {
    fn with_write<R>(&self, _first: bool, f: impl FnOnce(&mut Storage<HostAlloc>) -> R) -> R {
        f(&mut self.0.borrow_mut())
    }
}

fn put(file: &Locked, data: &[u8], pos: i64) -> Result<usize, Error> {
    let mut bounce = [0u8; 2 * CHUNK_SIZE];
    let mut src = SliceSource {
        data,
        pos: 0,
        fault_at: None,
    };
    let (n, _) = write(
        file,
        &mut bounce,
        pos,
        false,
        data.len(),
        &mut src,
        FS_LIMIT,
        |_, count| Ok(count),
        |_| {},
    )?;
    Ok(n)
}

/// A sink that, before taking each piece, runs `during` once: the
/// other side of the race, at the moment the reader copies.
struct Racing<'a, F: FnMut(usize)> {
    data: Vec<u8>,
    calls: usize,
    during: F,
    file: &'a Locked,
}

impl<F: FnMut(usize)> Sink for Racing<'_, F> {
    fn write_from(&mut self, src: &[u8]) -> Result<(), Error> {
        // The copy runs with the storage unlocked.
        assert!(
            self.file.0.try_borrow_mut().is_ok(),
            "lock held across the copy"
        );
        (self.during)(self.calls);
        self.calls += 1;
        self.data.extend_from_slice(src);
        Ok(())
    }
}

#[test]
fn no_lock_is_held_across_the_copy_out() {
    let file = Locked(RefCell::new(Storage::new(1 << 20).unwrap()));
    put(&file, &[7; 3 * CHUNK_SIZE], 0).unwrap();
    let mut sink = Racing {
        data: Vec::new(),
        calls: 0,
        during: |_| {},
        file: &file,
    };
    // One chunk, then a batch.
    assert_eq!(read(&file, 10, 100, &mut sink), Ok(100));
    assert_eq!(
        read(&file, 10, 3 * CHUNK_SIZE, &mut sink),
        Ok(3 * CHUNK_SIZE - 10)
    );
    assert_eq!(sink.calls, 1 + 3);
}

#[test]
fn overwrite_during_a_read_copies_the_chunk() {
    let file = Locked(RefCell::new(Storage::new(1 << 20).unwrap()));
    put(&file, &[1; 2 * CHUNK_SIZE], 0).unwrap();
    let pages = file.0.borrow().allocated_pages();
    let mut sink = Racing {
        data: Vec::new(),
        calls: 0,
        // While the reader holds chunk 0, overwrite part of it and all of
        // chunk 1, which the reader holds too (one batch).
        during: |call| {
            if call == 0 {
                put(&file, &[2; CHUNK_SIZE + 100], 50).unwrap();
            }
        },
        file: &file,
    };
    assert_eq!(
        read(&file, 0, 2 * CHUNK_SIZE, &mut sink),
        Ok(2 * CHUNK_SIZE)
    );
    // The reader got chunk 0 as it was when it took it.
    assert!(sink.data[..CHUNK_SIZE].iter().all(|&b| b == 1));
    // The file has the new data, in as many chunks as before.
    let mut after = Vec::new();
    let mut plain = common::VecSink::default();
    read(&file, 0, 2 * CHUNK_SIZE, &mut plain).unwrap();
    after.extend_from_slice(&plain.data);
    assert!(after[..50].iter().all(|&b| b == 1));
    assert!(after[50..CHUNK_SIZE + 150].iter().all(|&b| b == 2));
    assert!(after[CHUNK_SIZE + 150..].iter().all(|&b| b == 1));
    assert_eq!(file.0.borrow().allocated_pages(), pages);
}

#[test]
fn truncate_during_a_read_keeps_the_readers_chunks() {
    let file = Locked(RefCell::new(Storage::new(1 << 20).unwrap()));
    put(&file, &[3; 3 * CHUNK_SIZE], 0).unwrap();
    let mut sink = Racing {
        data: Vec::new(),
        calls: 0,
        // Shrink into chunk 0 while the reader holds the chunks: what it
        // reads is the old data, not the zeros truncate puts there.
        during: |call| {
            if call == 0 {
                file.with_write(false, |st| st.set_size(100)).unwrap();
            }
        },
        file: &file,
    };
    // The read took all three chunks under one lock: it returns them as
    // they were then.
    assert_eq!(
        read(&file, 0, 3 * CHUNK_SIZE, &mut sink),
        Ok(3 * CHUNK_SIZE)
    );
    assert!(sink.data.iter().all(|&b| b == 3));
    assert_eq!(file.0.borrow().size(), 100);
    // Growing again reads zeros past the old tail.
    file.with_write(false, |st| st.set_size(200)).unwrap();
    let mut plain = common::VecSink::default();
    read(&file, 0, 200, &mut plain).unwrap();
    assert!(plain.data[..100].iter().all(|&b| b == 3));
    assert!(plain.data[100..].iter().all(|&b| b == 0));
}

#[test]
fn the_callers_limits_come_between_the_filesystem_and_max_size() {
    let file = Locked(RefCell::new(Storage::new(10_000).unwrap()));
    let mut bounce = [0u8; 2 * CHUNK_SIZE];
    let data = [5u8; 200];
    let mut go = |pos: i64, fs_limit: u64, limit: u64| {
        let mut src = SliceSource {
            data: &data,
            pos: 0,
            fault_at: None,
        };
        // A file size limit of `limit`, as RLIMIT_FSIZE.
        write(
            &file,
            &mut bounce,
            pos,
            false,
            data.len(),
            &mut src,
            fs_limit,
            |start, count| {
                if start >= limit {
                    return Err(Error::FBig);
                }
                Ok(count.min((limit - start) as usize))
            },
            |_| {},
        )
    };
    // Cut short at the limit, then refused at it.
    assert_eq!(go(0, FS_LIMIT, 150), Ok((150, 150)));
    assert_eq!(go(150, FS_LIMIT, 150), Err(Error::FBig));
    // The filesystem's limit is checked first, max_size last.
    assert_eq!(go(5_000, 4_000, 100), Err(Error::FBig));
    assert_eq!(go(20_000, FS_LIMIT, 100), Err(Error::FBig));
    assert_eq!(go(20_000, FS_LIMIT, u64::MAX), Err(Error::NoSpc));
    assert_eq!(go(9_900, FS_LIMIT, u64::MAX), Ok((100, 10_000)));
    assert_eq!(file.0.borrow().size(), 10_000);
}
