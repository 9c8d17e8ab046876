//! End-to-end tests of the generated client crate live in `tests/tests/`.
//!
//! The repository README is included below so that its examples are compiled and run as doc tests.
#![doc = include_str!("../../README.md")]
