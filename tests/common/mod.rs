//! What every test module shares: the [`Test`] builder, the fixtures, and the optional tools.

pub mod documents;
mod fixtures;
mod test;
pub mod tools;

pub use fixtures::*;
pub use test::*;
