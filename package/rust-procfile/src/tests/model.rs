// SPDX-License-Identifier: GPL-2.0

//! Properties of the storage model that tmpfs cannot show: the size cap,
//! faults, allocation failures and memory use.

mod common;

use common::{set_alloc_budget, HostAlloc, ModelFile, SliceSource, VecSink, FS_LIMIT};
use rustprocfile_storage::{Error, Storage, Whence, CHUNK_SIZE, MAX_SUPPORTED_SIZE};

#[test]
fn invalid_max_size() {
    assert!(Storage::<HostAlloc>::new(0).is_err());
    assert!(Storage::<HostAlloc>::new(MAX_SUPPORTED_SIZE + 1).is_err());
    assert!(Storage::<HostAlloc>::new(1).is_ok());
    assert!(Storage::<HostAlloc>::new(MAX_SUPPORTED_SIZE).is_ok());
}

#[test]
fn write_crossing_max_size_is_short_then_enospc() {
    let mut f = ModelFile::new(10_000);
    assert_eq!(f.write(&[1; 9_000]), Ok(9_000));
    assert_eq!(f.write(&[2; 5_000]), Ok(1_000));
    assert_eq!(f.size(), 10_000);
    assert_eq!(f.write(&[3; 1]), Err(libc::ENOSPC));
    assert_eq!(f.write(&[]), Ok(0));
    assert_eq!(f.pwrite(&[4; 1], 20_000), Err(libc::ENOSPC));
    assert_eq!(f.pwrite(&[4; 10], 9_995), Ok(5));
    // Seeking far past the cap is fine, writing there is not.
    assert_eq!(f.lseek(1 << 40, libc::SEEK_SET), Ok(1 << 40));
    assert_eq!(f.write(&[5; 1]), Err(libc::ENOSPC));
    assert_eq!(f.read(10), Ok(Vec::new()));
    f.reopen(false, true);
    assert_eq!(f.write(&[6; 1]), Err(libc::ENOSPC));
    f.reopen(true, false);
    assert_eq!(f.write(&[7; 10_001]), Ok(10_000));
    assert!(f.st.allocated_pages() <= 10_000u64.div_ceil(CHUNK_SIZE as u64));
}

#[test]
fn efbig_at_the_filesystem_limit() {
    let mut st = Storage::<HostAlloc>::new(1 << 20).unwrap();
    let mut src = SliceSource {
        data: &[1; 8],
        pos: 0,
        fault_at: None,
    };
    assert_eq!(st.write(4096, false, 8, &mut src, 4096), Err(Error::FBig));
    assert_eq!(st.write(4090, false, 8, &mut src, 4096), Ok((6, 4096)));
    assert_eq!(st.llseek(0, 4097, Whence::Set, 4096), Err(Error::Inval));
    assert_eq!(st.llseek(0, 4096, Whence::Set, 4096), Ok(4096));
}

#[test]
fn fault_leaves_the_file_unchanged() {
    let mut st = Storage::<HostAlloc>::new(1 << 20).unwrap();
    let orig = vec![9u8; 3 * CHUNK_SIZE];
    let mut src = SliceSource {
        data: &orig,
        pos: 0,
        fault_at: None,
    };
    st.write(0, false, orig.len(), &mut src, FS_LIMIT).unwrap();

    // Fault within the first page of the request: nothing changes.
    let new = vec![1u8; 2 * CHUNK_SIZE];
    let mut src = SliceSource {
        data: &new,
        pos: 0,
        fault_at: Some(100),
    };
    assert_eq!(
        st.write(10, false, new.len(), &mut src, FS_LIMIT),
        Err(Error::Fault)
    );
    // Also when extending the file.
    let mut src = SliceSource {
        data: &new,
        pos: 0,
        fault_at: Some(0),
    };
    assert_eq!(
        st.write(5 * CHUNK_SIZE as i64, false, 10, &mut src, FS_LIMIT),
        Err(Error::Fault)
    );
    let mut sink = VecSink::default();
    assert_eq!(st.read(0, 1 << 20, &mut sink), Ok(orig.len()));
    assert_eq!(sink.data, orig);
    assert_eq!(st.size(), orig.len() as u64);
    assert_eq!(st.allocated_pages(), 3);

    // Fault in the second page: the first page of the request is written
    // and reported, nothing after it.
    let mut src = SliceSource {
        data: &new,
        pos: 0,
        fault_at: Some(CHUNK_SIZE + 5),
    };
    assert_eq!(
        st.write(0, false, new.len(), &mut src, FS_LIMIT),
        Ok((CHUNK_SIZE, CHUNK_SIZE as i64))
    );
    let mut sink = VecSink::default();
    st.read(0, 1 << 20, &mut sink).unwrap();
    assert_eq!(&sink.data[..CHUNK_SIZE], &new[..CHUNK_SIZE]);
    assert_eq!(&sink.data[CHUNK_SIZE..], &orig[CHUNK_SIZE..]);
}

#[test]
fn read_fault_reports_partial_or_efault() {
    let mut f = ModelFile::new(1 << 20);
    f.write(&[3; 3 * CHUNK_SIZE]).unwrap();
    let mut sink = VecSink {
        data: Vec::new(),
        limit: Some(0),
    };
    assert_eq!(f.st.read(0, 100, &mut sink), Err(Error::Fault));
    let mut sink = VecSink {
        data: Vec::new(),
        limit: Some(CHUNK_SIZE + 1),
    };
    assert_eq!(f.st.read(0, 3 * CHUNK_SIZE, &mut sink), Ok(CHUNK_SIZE));
}

#[test]
fn allocation_failure_is_enomem_and_leaves_no_garbage() {
    for budget in 0..6 {
        let mut st = Storage::<HostAlloc>::new(1 << 40).unwrap();
        let data = vec![7u8; 3 * CHUNK_SIZE];
        let mut src = SliceSource {
            data: &data,
            pos: 0,
            fault_at: None,
        };
        set_alloc_budget(Some(budget));
        let res = st.write(1 << 30, false, data.len(), &mut src, FS_LIMIT);
        set_alloc_budget(None);
        match res {
            Err(e) => {
                assert_eq!(e, Error::NoMem);
                assert_eq!(st.size(), 0);
                assert_eq!(st.allocated_pages(), 0);
                assert_eq!(st.llseek(0, 0, Whence::Data, FS_LIMIT), Err(Error::NxIo));
            }
            Ok((n, _)) => {
                assert!(n > 0 && n % CHUNK_SIZE == 0, "budget {budget}: {n}");
                assert_eq!(st.allocated_pages(), (n / CHUNK_SIZE) as u64);
            }
        }
        // The file stays usable afterwards.
        let mut src = SliceSource {
            data: &data,
            pos: 0,
            fault_at: None,
        };
        assert!(st.write(0, false, 10, &mut src, FS_LIMIT).is_ok());
    }
}

#[test]
fn holes_cost_nothing() {
    let mut f = ModelFile::new(MAX_SUPPORTED_SIZE);
    for i in 1..=50i64 {
        f.pwrite(&[1], i * (1 << 40)).unwrap();
    }
    assert_eq!(f.st.allocated_pages(), 50);
    assert_eq!(f.pread(3, (1 << 40) - 1), Ok(vec![0, 1, 0]));
    // SEEK_HOLE/SEEK_DATA across huge sparse ranges are cheap.
    assert_eq!(f.lseek(2, libc::SEEK_DATA), Ok(1 << 40));
    assert_eq!(
        f.lseek(1 << 40, libc::SEEK_HOLE),
        Ok((1 << 40) + CHUNK_SIZE as i64)
    );
}

#[test]
fn seek_hole_skips_full_ranges() {
    let mut f = ModelFile::new(64 << 20);
    let chunk = vec![5u8; 1 << 20];
    for _ in 0..20 {
        f.write(&chunk).unwrap();
    }
    assert_eq!(f.lseek(0, libc::SEEK_HOLE), Ok(20 << 20));
    assert_eq!(f.lseek(123, libc::SEEK_DATA), Ok(123));
    assert_eq!(f.lseek(20 << 20, libc::SEEK_DATA), Err(libc::ENXIO));
}

#[test]
fn set_size_above_max_size_is_efbig_and_changes_nothing() {
    let mut f = ModelFile::new(10_000);
    assert_eq!(f.write(&[1; 5_000]), Ok(5_000));
    assert_eq!(f.ftruncate(10_001), Err(libc::EFBIG));
    assert_eq!(f.ftruncate(i64::MAX), Err(libc::EFBIG));
    assert_eq!(f.ftruncate(-1), Err(libc::EINVAL));
    assert_eq!(f.size(), 5_000);
    assert_eq!(f.pread(5_000, 0), Ok(vec![1; 5_000]));
    // Growing to the cap allocates nothing; writing at the cap is ENOSPC.
    assert_eq!(f.ftruncate(10_000), Ok(()));
    assert_eq!(f.st.allocated_pages(), 2);
    assert_eq!(f.pwrite(&[2], 10_000), Err(libc::ENOSPC));
}

#[test]
fn set_size_frees_pages_and_nodes() {
    let page = CHUNK_SIZE as u64;
    let mut f = ModelFile::new(MAX_SUPPORTED_SIZE);
    assert_eq!(f.st.allocated_bytes(), 0);
    for i in 0..100i64 {
        f.pwrite(&[1], i * (1 << 30)).unwrap();
    }
    assert_eq!(f.st.allocated_pages(), 100);
    let full = f.st.allocated_bytes();
    assert!(full > 100 * page, "{full}");
    // Keep pages 0..50 (offsets below 50 GiB): half the pages go.
    f.ftruncate(50 << 30).unwrap();
    assert_eq!(f.st.allocated_pages(), 50);
    assert!(f.st.allocated_bytes() < full);
    // Growing allocates nothing.
    f.ftruncate(1 << 50).unwrap();
    assert_eq!(f.st.allocated_pages(), 50);
    assert_eq!(f.pread(1, 49i64 << 30), Ok(vec![1]));
    assert_eq!(f.pread(1, 60i64 << 30), Ok(vec![0]));
    // Down to one byte: one page and the path to it stay.
    f.ftruncate(1).unwrap();
    assert_eq!(f.st.allocated_pages(), 1);
    let one = f.st.allocated_bytes();
    f.ftruncate(0).unwrap();
    assert_eq!(f.st.allocated_pages(), 0);
    assert_eq!(f.st.allocated_bytes(), 0);
    assert!(one > page);
    // Writing again counts nodes from scratch.
    f.pwrite(&[1], 0).unwrap();
    assert_eq!(f.st.allocated_bytes(), one);
}

#[test]
fn page_to_map_fills_holes_within_the_file_only() {
    let mut f = ModelFile::new(10 * CHUNK_SIZE as u64);
    f.pwrite(&[3; 10], CHUNK_SIZE as i64 + 5).unwrap();
    f.ftruncate(3 * CHUNK_SIZE as i64 + 1).unwrap();
    assert_eq!(f.st.allocated_pages(), 1);
    // Page 1 holds the data: mapped as it is, nothing allocated.
    let page = f.st.page_to_map(1).unwrap().unwrap().clone();
    assert_eq!(page[5..15], [3; 10]);
    assert_eq!(f.st.allocated_pages(), 1);
    // Pages 0 and 3 (one byte of it is in the file) are holes: a zeroed
    // page each, which then counts as data.
    assert!(f
        .st
        .page_to_map(0)
        .unwrap()
        .unwrap()
        .iter()
        .all(|b| *b == 0));
    assert!(f.st.page_to_map(3).unwrap().is_some());
    assert_eq!(f.st.allocated_pages(), 3);
    assert_eq!(f.lseek(0, libc::SEEK_HOLE), Ok(2 * CHUNK_SIZE as i64));
    // Page 4 is wholly past the end, and so is any page past max_size.
    assert!(f.st.page_to_map(4).unwrap().is_none());
    assert!(f.st.page_to_map(u64::MAX).unwrap().is_none());
    assert_eq!(f.st.allocated_pages(), 3);
    // The file's contents did not change.
    let mut want = vec![0u8; 3 * CHUNK_SIZE + 1];
    want[CHUNK_SIZE + 5..CHUNK_SIZE + 15].fill(3);
    assert_eq!(f.pread(want.len() + 1, 0), Ok(want));
}

#[test]
fn page_to_map_allocation_failure_is_enomem() {
    let mut f = ModelFile::new(1 << 30);
    f.ftruncate(1 << 29).unwrap();
    set_alloc_budget(Some(0));
    let res = f.st.page_to_map(1000).map(|p| p.is_some());
    set_alloc_budget(None);
    assert_eq!(res, Err(Error::NoMem));
    assert_eq!(f.st.allocated_pages(), 0);
    assert_eq!(f.lseek(0, libc::SEEK_DATA), Err(libc::ENXIO));
}
