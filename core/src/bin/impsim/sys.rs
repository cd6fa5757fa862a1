//! Everything `impsim` does that the compiler cannot check, in one place: the allocator and its
//! set-up, the process's memory policy, and files mapped into memory. Each `unsafe` block says
//! why it is sound (clippy's `undocumented_unsafe_blocks` holds it to that). The library has no
//! unsafe code of its own.
#![allow(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

// impsim allocates and frees millions of short-lived strings on a worker thread, where glibc's
// secondary arenas are slow to grow; mimalloc halves the CLI's CPU time (docs/performance.md).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its C enum value in libmimalloc-sys 0.1.49, which does
/// not name it): -1 keeps freed pages for reuse instead of returning them to the OS, so the
/// memory freed after decoding is reused by the simulation without being faulted in again.
#[cfg(not(target_arch = "wasm32"))]
const MI_OPTION_PURGE_DELAY: i32 = 15;

/// Sets the allocator's options and the process's memory policy. Call it first thing in
/// `main`, before any other thread exists.
pub fn set_up_memory() {
    // SAFETY: mi_option_set only stores an integer option of the allocator; it is called at
    // start-up, before any other thread exists that could allocate meanwhile.
    #[cfg(not(target_arch = "wasm32"))]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1)
    };
    // No transparent huge pages: mimalloc asks for them, and each first touch of one zeroes
    // 2 MB, most of which a small or medium scenario never uses; with 4 KB pages impsim was as
    // fast on 1e5 to 1e6 steps and faster below and above (1e4: 12.6 -> 8.0 ms, 2e6: 1.48 ->
    // 1.39 s), which keeps twice the work within twice the time.
    // SAFETY: prctl with integer arguments only, changing only this process's memory policy;
    // no pointer is passed and its result is not needed.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Large scenario files are mapped into memory rather than read: their pages are the page
/// cache's own, so a 70 MB file costs neither a copy nor 70 MB of fresh memory (issue #6: on
/// this kind of machine, touching fresh memory is what reading costs most).
#[cfg(unix)]
pub mod mapped {
    use std::os::unix::io::AsRawFd;

    /// Files smaller than this are read as usual.
    const MIN_BYTES: u64 = 1 << 20;

    /// A read-only private mapping of a whole regular file whose bytes are UTF-8 text.
    pub struct Map {
        ptr: *mut libc::c_void,
        len: usize,
    }

    impl Map {
        /// The file mapped, if it should be (`None` when it should be read instead: small, not
        /// a regular file, any error; reading it then reports the error as before), or the
        /// UTF-8 error of a file that is not text.
        pub fn open(path: &str) -> Option<Result<Map, std::str::Utf8Error>> {
            let file = std::fs::File::open(path).ok()?;
            let meta = file.metadata().ok()?;
            if !meta.is_file() || meta.len() < MIN_BYTES {
                return None;
            }
            let len = usize::try_from(meta.len()).ok()?;
            // SAFETY: a read-only private mapping of an open file, of its current length; the
            // file may be closed once mapped. (As with any mapped file, shrinking it meanwhile
            // would fault; impsim reads files it is given, like other tools that map.)
            let ptr = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_POPULATE,
                    file.as_raw_fd(),
                    0,
                )
            };
            if ptr == libc::MAP_FAILED {
                return None;
            }
            let map = Map { ptr, len };
            let utf8 = std::str::from_utf8(map.bytes()).map(|_| ());
            Some(utf8.map(|()| map))
        }

        fn bytes(&self) -> &[u8] {
            // SAFETY: the mapping is `len` readable bytes and lives as long as `self`.
            unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
        }

        /// The text.
        pub fn text(&self) -> &str {
            // SAFETY: `open` hands out only maps whose bytes it checked to be UTF-8, and the
            // mapping is read-only.
            unsafe { std::str::from_utf8_unchecked(self.bytes()) }
        }
    }

    impl Drop for Map {
        fn drop(&mut self) {
            // SAFETY: unmapping the mapping made in `open`, once.
            unsafe { libc::munmap(self.ptr, self.len) };
        }
    }
}
