// SPDX-License-Identifier: GPL-2.0

//! Must not compile: proc file data that borrows.
//!
//! A registration that is leaked keeps its proc entry, so data borrowed
//! from the stack would be read after it is gone. `kernel::proc_fs`
//! requires `Operations::Data: 'static`; this crate is otherwise valid, and
//! rustprocfile-compile-fail.mk checks that rustc rejects it for that
//! reason and no other.

use core::marker::PhantomData;
use kernel::{prelude::*, proc_fs::Operations, sync::Mutex};

module! {
    type: BorrowedData,
    name: "borrowed_data",
    description: "Must not compile: proc file data that borrows",
    license: "GPL",
}

/// Operations whose data is a reference with a lifetime shorter than
/// `'static`.
struct Borrowed<'a>(PhantomData<&'a ()>);

#[vtable]
impl<'a> Operations for Borrowed<'a> {
    type Data = &'a Mutex<u32>;
}

struct BorrowedData;

impl kernel::Module for BorrowedData {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(BorrowedData)
    }
}
