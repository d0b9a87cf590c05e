//! What std's prelude gives every module and a `no_std` crate lacks: the allocating
//! types and traits, from `alloc`. The wasm builds `no_std`; natively and in tests the
//! crate has std, where these are the very same items.
//!
//! `format!` is not here: the default wasm's text is built with `text!` (see
//! [`crate::text`]); code that only the full core or the native tools run imports
//! `alloc::format` itself.

pub(crate) use alloc::boxed::Box;
pub(crate) use alloc::string::{String, ToString};
pub(crate) use alloc::vec;
pub(crate) use alloc::vec::Vec;
