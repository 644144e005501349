//! When to poll next: the interval, and after failures a backoff with full
//! jitter, floored by a busy feed's `Retry-After`. Shared by the dashboard's
//! worker and `record`.

use std::time::Duration;

use crate::feed::client::PollError;

/// The poll schedule.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// Normal time between polls.
    pub interval: Duration,
    /// Backoff cap.
    pub max_backoff: Duration,
    /// Retry-After cap.
    pub max_retry_after: Duration,
}

/// The shortest wait after a failure: full jitter may draw a wait of zero,
/// and an instant retry of a refused connection helps nobody.
pub const MIN_RETRY: Duration = Duration::from_millis(100);

/// How long to wait before the next poll.
///
/// `failures` counts the failed polls in a row, the last one included (0
/// after a success: the normal interval). After failures the wait is drawn
/// with full jitter (`jitter` in `[0, 1]`, from `fastrand::f64()`) from zero
/// up to a ceiling that starts at the interval and doubles with each failure,
/// capped at `max_backoff`. Floors: `Retry-After` of a busy feed (capped at
/// `max_retry_after`), the interval itself after an auth failure (a wrong
/// token will not get right by asking faster), and [`MIN_RETRY`].
pub fn next_delay(
    schedule: &Schedule,
    failures: u32,
    error: Option<&PollError>,
    jitter: f64,
) -> Duration {
    if failures == 0 {
        return schedule.interval;
    }
    // 2^(failures-1), without overflow for long outages.
    let factor = 1u32 << (failures - 1).min(20);
    let ceiling = schedule
        .interval
        .saturating_mul(factor)
        .min(schedule.max_backoff);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let drawn = ceiling.mul_f64(jitter);
    let floor = match error {
        Some(PollError::Auth { .. }) => schedule.interval,
        Some(PollError::Busy {
            retry_after: Some(wait),
            ..
        }) => (*wait).min(schedule.max_retry_after),
        _ => Duration::ZERO,
    };
    drawn.max(floor).max(MIN_RETRY)
}
