//! The process exit codes every command shares (PRODUCT.md fixes them:
//! other programs rely on them).

/// Exit code: the feed could not be read or was invalid.
pub const EXIT_FEED: u8 = 1;
/// Exit code: a usage or config error.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: a finding at or above `--fail-on` was found.
pub const EXIT_FINDING: u8 = 3;
