//! Two jobs side by side: the one helper the reader and the analyses use to
//! put a second core to work (`std::thread::scope`, no pool).

/// `a` and `b`, `a` on a thread of its own when `two`; a panic in `a` is
/// passed on as it was.
pub(crate) fn both<A: Send, B>(
    two: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if !two {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let a = s.spawn(a);
        let b = b();
        (a.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), b)
    })
}

/// Whether a second thread can run at the same time.
pub(crate) fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|t| t.get() > 1)
}
