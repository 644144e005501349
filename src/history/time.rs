//! TIME on the command line: RFC 3339, or a DURATION ago (`90m`, `6h`, `2d`).

use std::time::Duration;

use chrono::{DateTime, Utc};

/// A point in time as typed: fixed, or a duration before now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSpec {
    /// An RFC 3339 time.
    At(DateTime<Utc>),
    /// This long before the command runs.
    Ago(Duration),
}

impl TimeSpec {
    /// Parses `2024-03-01T08:00:00Z`, `2024-03-01T16:00:00+08:00`, or a
    /// DURATION (`30s`, `90m`, `6h`, `2d`) meaning that long ago.
    pub fn parse(text: &str) -> Result<TimeSpec, String> {
        let text = text.trim();
        if let Ok(duration) = parse_duration(text) {
            return Ok(TimeSpec::Ago(duration));
        }
        DateTime::parse_from_rfc3339(text)
            .map(|time| TimeSpec::At(time.with_timezone(&Utc)))
            .map_err(|_| {
                format!(
                    "{:?} is not a time: give RFC 3339 (2024-03-01T08:00:00Z) \
                     or a duration ago (30s, 90m, 6h, 2d)",
                    crate::feed::text::escape(text)
                )
            })
    }

    /// The time this names, `now` being now.
    pub fn resolve(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            TimeSpec::At(time) => time,
            TimeSpec::Ago(duration) => chrono::Duration::from_std(duration)
                .ok()
                .and_then(|d| now.checked_sub_signed(d))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        }
    }
}

/// A DURATION: a number with `s`, `m`, `h` or `d` (`30s`, `90m`, `12h`, `3d`, `1.5h`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let unit = text.chars().last().unwrap_or(' ');
    let scale = match unit {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86_400.0,
        _ => {
            return Err(format!(
                "{text:?} needs a unit: s, m, h or d (30s, 90m, 6h, 2d)"
            ));
        }
    };
    let number = &text[..text.len() - 1];
    let valid = !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        && number.chars().filter(|&c| c == '.').count() <= 1
        && !number.starts_with('.')
        && !number.ends_with('.');
    let value: f64 = if valid {
        number.parse().map_err(|_| String::new())?
    } else {
        return Err(format!("{text:?} is not a duration (30s, 90m, 6h, 2d)"));
    };
    // A hundred years is more than any retention.
    let seconds = value * scale;
    if seconds > 100.0 * 365.0 * 86_400.0 {
        return Err(format!("{text:?} is longer than a hundred years"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn durations_take_s_m_h_d() {
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("90m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("6h").unwrap(), Duration::from_secs(21_600));
        assert_eq!(parse_duration("2d").unwrap(), Duration::from_secs(172_800));
        assert_eq!(parse_duration("1.5h").unwrap(), Duration::from_secs(5400));
        for bad in [
            "", "5", "h", "-1h", "1.h", ".5h", "1e3s", "5w", "1..5h", "9999999d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_time_is_rfc_3339_or_a_duration_ago() {
        let now = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap();
        let at = |text: &str| TimeSpec::parse(text).unwrap().resolve(now);
        assert_eq!(
            at("90m"),
            Utc.with_ymd_and_hms(2024, 3, 1, 10, 30, 0).unwrap()
        );
        assert_eq!(
            at("2d"),
            Utc.with_ymd_and_hms(2024, 2, 28, 12, 0, 0).unwrap()
        );
        assert_eq!(
            at("2024-03-01T16:00:00+08:00"),
            Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap()
        );
        let error = TimeSpec::parse("yesterday").unwrap_err();
        assert!(
            error.contains("RFC 3339") && error.contains("90m"),
            "{error}"
        );
    }
}
