// SPDX-License-Identifier: GPL-2.0

//! Compares the storage model with a regular file in tmpfs (`/dev/shm`).

mod common;

use common::{ModelFile, RealFile};
use proptest::prelude::*;
use rustprocfile_storage::CHUNK_SIZE;

/// The storage's chunk size. The `SEEK_DATA`/`SEEK_HOLE` comparisons take it
/// to be the host's page size, tmpfs's unit for them (4 KiB on x86_64).
const P: i64 = CHUNK_SIZE as i64;

/// Start of the last page of the 63-bit offset space. tmpfs does not see data
/// in that page with `SEEK_DATA`/`SEEK_HOLE` (measured on Linux 6.18: it
/// answers `ENXIO`; its page arithmetic overflows `loff_t` there), so those
/// queries are not compared once the file reaches into that page.
const LAST_PAGE: i64 = i64::MAX / P * P;

fn comparable(size: u64, w: i32) -> bool {
    !((w == libc::SEEK_DATA || w == libc::SEEK_HOLE) && size > LAST_PAGE as u64)
}

/// One operation on an open file.
#[derive(Debug, Clone)]
enum Op {
    Write(Vec<u8>),
    Pwrite(Vec<u8>, i64),
    Read(usize),
    Pread(usize, i64),
    Seek(i64, i32),
    Truncate(i64),
    Reopen { trunc: bool, append: bool },
}

/// A model file and a tmpfs file that must behave alike.
struct Pair {
    model: ModelFile,
    real: RealFile,
}

impl Pair {
    fn new() -> Self {
        Pair {
            model: ModelFile::new(i64::MAX as u64),
            real: RealFile::new(),
        }
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Write(d) => assert_eq!(self.model.write(d), self.real.write(d), "{op:?}"),
            Op::Pwrite(d, o) => {
                assert_eq!(self.model.pwrite(d, *o), self.real.pwrite(d, *o), "{op:?}")
            }
            Op::Read(n) => assert_eq!(self.model.read(*n), self.real.read(*n), "{op:?}"),
            Op::Pread(n, o) => {
                assert_eq!(self.model.pread(*n, *o), self.real.pread(*n, *o), "{op:?}")
            }
            Op::Seek(_, w) if !comparable(self.model.size(), *w) => return,
            Op::Seek(o, w) => {
                assert_eq!(self.model.lseek(*o, *w), self.real.lseek(*o, *w), "{op:?}")
            }
            Op::Truncate(l) => {
                assert_eq!(self.model.ftruncate(*l), self.real.ftruncate(*l), "{op:?}")
            }
            Op::Reopen { trunc, append } => {
                self.model.reopen(*trunc, *append);
                self.real.reopen(*trunc, *append);
            }
        }
        assert_eq!(self.model.size(), self.real.size(), "size after {op:?}");
        assert_eq!(
            self.model.lseek(0, libc::SEEK_CUR),
            self.real.lseek(0, libc::SEEK_CUR),
            "position after {op:?}"
        );
    }

    /// Compares the content (when small) and the data/hole map.
    fn check_all(&mut self) {
        let size = self.model.size();
        if size <= 8 << 20 {
            assert_eq!(self.model.content(), self.real.content(), "content");
        }
        let pos = self.model.lseek(0, libc::SEEK_CUR).expect("pos");
        let real_pos = self.real.lseek(0, libc::SEEK_CUR).expect("pos");
        assert_eq!(pos, real_pos);
        // Walk the data/hole map from a few starting points.
        for start in [0, 1, P - 1, P, P + 1, 3 * P, size as i64 - 1, size as i64] {
            for w in [libc::SEEK_DATA, libc::SEEK_HOLE] {
                if !comparable(size, w) {
                    continue;
                }
                assert_eq!(
                    self.model.lseek(start, w),
                    self.real.lseek(start, w),
                    "lseek({start}, {w}) size {size}"
                );
            }
        }
        self.model.lseek(pos, libc::SEEK_SET).expect("restore");
        self.real.lseek(pos, libc::SEEK_SET).expect("restore");
    }
}

fn run(ops: &[Op]) {
    let mut pair = Pair::new();
    for op in ops {
        pair.apply(op);
    }
    pair.check_all();
}

fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) | 1)
        .collect()
}

#[test]
fn hello_then_read() {
    run(&[
        Op::Write(b"hello\n".to_vec()),
        Op::Seek(0, libc::SEEK_SET),
        Op::Read(100),
        Op::Read(100),
    ]);
}

#[test]
fn read_at_and_past_eof_returns_zero() {
    run(&[
        Op::Write(bytes(10, 1)),
        Op::Read(5),
        Op::Seek(20, libc::SEEK_SET),
        Op::Read(5),
        Op::Pread(5, 10),
        Op::Pread(5, 9),
        Op::Pread(5, 1 << 40),
    ]);
}

#[test]
fn overwrite_in_place() {
    run(&[
        Op::Write(bytes(8000, 2)),
        Op::Pwrite(bytes(100, 3), 4090),
        Op::Seek(3, libc::SEEK_SET),
        Op::Write(b"xyz".to_vec()),
        Op::Pread(9000, 0),
    ]);
}

#[test]
fn write_past_eof_leaves_zero_gap() {
    run(&[
        Op::Write(b"abc".to_vec()),
        Op::Seek(3 * P + 17, libc::SEEK_SET),
        Op::Write(bytes(10, 4)),
        Op::Pread(4 * P as usize, 0),
        Op::Pwrite(bytes(5, 5), 20 * P - 2),
    ]);
}

#[test]
fn lseek_set_cur_end() {
    run(&[
        Op::Write(bytes(100, 6)),
        Op::Seek(10, libc::SEEK_SET),
        Op::Seek(5, libc::SEEK_CUR),
        Op::Seek(-20, libc::SEEK_CUR),
        Op::Seek(-16, libc::SEEK_CUR),
        Op::Seek(-1, libc::SEEK_SET),
        Op::Seek(0, libc::SEEK_END),
        Op::Seek(50, libc::SEEK_END),
        Op::Seek(-101, libc::SEEK_END),
        Op::Seek(-100, libc::SEEK_END),
        Op::Seek(i64::MAX, libc::SEEK_SET),
        Op::Seek(1, libc::SEEK_CUR),
        Op::Seek(i64::MAX, libc::SEEK_END),
        Op::Seek(i64::MIN, libc::SEEK_CUR),
    ]);
}

#[test]
fn seek_data_and_hole() {
    let mut pair = Pair::new();
    for op in [
        Op::Pwrite(bytes(10, 7), P + 5),
        Op::Pwrite(bytes(10, 8), 5 * P - 3),
        Op::Pwrite(bytes(10, 9), 9 * P),
        Op::Pwrite(vec![0; 10], 12 * P),
    ] {
        pair.apply(&op);
    }
    for start in (-2..=14 * P).step_by(683) {
        for w in [libc::SEEK_DATA, libc::SEEK_HOLE] {
            pair.apply(&Op::Seek(start, w));
        }
    }
    pair.check_all();
}

#[test]
fn append_and_trunc() {
    run(&[
        Op::Write(bytes(50, 10)),
        Op::Reopen {
            trunc: false,
            append: true,
        },
        Op::Seek(3, libc::SEEK_SET),
        Op::Write(bytes(7, 11)),
        Op::Pwrite(bytes(7, 12), 0),
        Op::Read(10),
        Op::Reopen {
            trunc: true,
            append: false,
        },
        Op::Read(10),
        Op::Write(bytes(3, 13)),
    ]);
}

#[test]
fn near_the_largest_offset() {
    run(&[
        Op::Pwrite(bytes(10, 15), LAST_PAGE - 2 * P - 5),
        Op::Seek(LAST_PAGE - 5 * P, libc::SEEK_DATA),
        Op::Seek(LAST_PAGE - 2 * P - 1, libc::SEEK_HOLE),
        Op::Seek(LAST_PAGE - P, libc::SEEK_HOLE),
        Op::Pwrite(bytes(10, 14), i64::MAX - 10),
        Op::Pwrite(bytes(10, 14), i64::MAX - 5),
        Op::Pwrite(Vec::new(), i64::MAX),
        Op::Seek(0, libc::SEEK_END),
        Op::Seek(-3, libc::SEEK_END),
        Op::Read(10),
        Op::Seek(LAST_PAGE - 20, libc::SEEK_DATA),
        Op::Seek(LAST_PAGE - 20, libc::SEEK_HOLE),
        Op::Seek(0, libc::SEEK_DATA),
        Op::Seek(0, libc::SEEK_HOLE),
        Op::Reopen {
            trunc: false,
            append: true,
        },
        Op::Write(b"x".to_vec()),
        Op::Write(Vec::new()),
    ]);
}

#[test]
fn ftruncate_shrinks_and_zeroes_the_tail() {
    run(&[
        Op::Write(bytes(5 * CHUNK_SIZE + 100, 16)),
        Op::Truncate(2 * P + 10),
        Op::Pread(6 * CHUNK_SIZE, 0),
        Op::Seek(0, libc::SEEK_END),
        // Growing again: the cut-off bytes must read as zeros.
        Op::Truncate(5 * P),
        Op::Pread(6 * CHUNK_SIZE, 0),
        Op::Seek(2 * P + 10, libc::SEEK_DATA),
        Op::Seek(0, libc::SEEK_HOLE),
        Op::Truncate(P),
        Op::Truncate(P - 1),
        Op::Truncate(0),
        Op::Seek(0, libc::SEEK_DATA),
        Op::Truncate(-1),
    ]);
}

#[test]
fn ftruncate_grows_with_a_hole() {
    run(&[
        Op::Write(b"abc".to_vec()),
        Op::Truncate(10 * P + 7),
        Op::Seek(0, libc::SEEK_HOLE),
        Op::Seek(P, libc::SEEK_DATA),
        Op::Read(100),
        Op::Pread(10, 10 * P),
        Op::Seek(0, libc::SEEK_END),
        Op::Write(b"tail".to_vec()),
        Op::Truncate(LAST_PAGE),
        Op::Truncate(i64::MAX),
        Op::Seek(0, libc::SEEK_END),
        Op::Truncate(3),
    ]);
}

#[test]
fn ftruncate_keeps_position_and_append() {
    run(&[
        Op::Write(bytes(300, 17)),
        Op::Truncate(100),
        // The position stays at 300: the next write leaves a gap.
        Op::Write(b"x".to_vec()),
        Op::Reopen {
            trunc: false,
            append: true,
        },
        Op::Truncate(50),
        Op::Write(b"y".to_vec()),
        Op::Pread(400, 0),
    ]);
}

fn offset() -> impl Strategy<Value = i64> {
    prop_oneof![
        6 => 0..4 * P,
        2 => 0..(1i64 << 20),
        1 => -3i64..0,
        1 => (i64::MAX - 3 * P)..=i64::MAX,
    ]
}

fn data() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => proptest::collection::vec(any::<u8>(), 0..64),
        2 => proptest::collection::vec(any::<u8>(), 0..3 * CHUNK_SIZE),
        1 => (0usize..2 * CHUNK_SIZE).prop_map(|n| vec![0u8; n]),
    ]
}

fn whence() -> impl Strategy<Value = i32> {
    prop_oneof![
        Just(libc::SEEK_SET),
        Just(libc::SEEK_CUR),
        Just(libc::SEEK_END),
        Just(libc::SEEK_DATA),
        Just(libc::SEEK_HOLE),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => data().prop_map(Op::Write),
        3 => (data(), offset()).prop_map(|(d, o)| Op::Pwrite(d, o)),
        3 => (0usize..3 * CHUNK_SIZE).prop_map(Op::Read),
        2 => (0usize..3 * CHUNK_SIZE, offset()).prop_map(|(n, o)| Op::Pread(n, o)),
        4 => (prop_oneof![offset(), -5 * P..5 * P], whence()).prop_map(|(o, w)| Op::Seek(o, w)),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(trunc, append)| Op::Reopen { trunc, append }),
        2 => prop_oneof![offset(), -5 * P..5 * P].prop_map(Op::Truncate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_ops_match_tmpfs(ops in proptest::collection::vec(op(), 1..40)) {
        run(&ops);
    }
}
