//! A generated, valid national-scale document for load tests and benchmarks.

use crate::feed::wire::Document;

/// A document with `stores` stores over many cities and partners; the same
/// `seed` always gives the same document.
pub fn generate(stores: usize, seed: u64) -> Document {
    let _ = (stores, seed);
    unimplemented!()
}
