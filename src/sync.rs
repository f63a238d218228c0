//! The one mutex policy: a lock whose holder panicked is taken over. Every mutex of pdb guards a
//! cache or a list that a panic leaves whole (an entry is inserted or not), and the panic itself
//! already fails the run, so refusing the data would only turn one error into many.

use std::sync::{Mutex, MutexGuard, PoisonError};

pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The value inside a mutex that is no longer shared, poisoned or not.
pub fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(PoisonError::into_inner)
}
