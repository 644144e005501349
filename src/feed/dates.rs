//! Dates and times as the feed writes them, read fast.
//!
//! A national feed carries tens of thousands of dates; chrono's general
//! parser was a tenth of the whole parse. The feed's own forms
//! (`2024-03-01`, `2024-03-01T08:00:00Z`) are read directly; anything else
//! goes to chrono, so what is accepted, and every error, is chrono's.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::text::CowStr;

/// `YYYY-MM-DD`, as chrono reads it.
pub fn parse_date(text: &str) -> Result<NaiveDate, chrono::ParseError> {
    match fast_date(text.as_bytes()) {
        Some(date) => Ok(date),
        None => text.parse(),
    }
}

/// An RFC 3339 time, as chrono's serde support reads a `DateTime<Utc>`.
pub fn parse_date_time(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match fast_date_time(text.as_bytes()) {
        Some(time) => Ok(time),
        None => text
            .parse::<DateTime<FixedOffset>>()
            .map(|time| time.with_timezone(&Utc)),
    }
}

/// For `#[serde(deserialize_with)]` on a required time.
pub fn date_time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = CowStr::deserialize(deserializer)?;
    parse_date_time(&text.0).map_err(D::Error::custom)
}

/// For `#[serde(default, deserialize_with)]` on an optional time.
pub fn optional_date_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    let text: Option<CowStr<'de>> = Option::deserialize(deserializer)?;
    text.map(|t| parse_date_time(&t.0).map_err(D::Error::custom))
        .transpose()
}

/// For `#[serde(default, deserialize_with)]` on an optional date.
pub fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    let text: Option<CowStr<'de>> = Option::deserialize(deserializer)?;
    text.map(|t| parse_date(&t.0).map_err(D::Error::custom))
        .transpose()
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `YYYY-MM-DD` exactly, when it is a real date; `None` sends it to chrono.
fn fast_date(bytes: &[u8]) -> Option<NaiveDate> {
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(&bytes[0..4])?;
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        digits(&bytes[5..7])?,
        digits(&bytes[8..10])?,
    )
}

/// `YYYY-MM-DDTHH:MM:SSZ` exactly (no fraction, no leap second); `None`
/// sends it to chrono.
fn fast_date_time(bytes: &[u8]) -> Option<DateTime<Utc>> {
    if bytes.len() != 20
        || bytes[10] != b'T'
        || bytes[13] != b':'
        || bytes[16] != b':'
        || bytes[19] != b'Z'
    {
        return None;
    }
    let date = fast_date(&bytes[..10])?;
    let time = NaiveTime::from_hms_opt(
        digits(&bytes[11..13])?,
        digits(&bytes[14..16])?,
        digits(&bytes[17..19])?,
    )?;
    Some(date.and_time(time).and_utc())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// chrono's own reading, which the fast path must match exactly.
    fn chrono_date(text: &str) -> Result<NaiveDate, String> {
        text.parse::<NaiveDate>().map_err(|e| e.to_string())
    }

    fn chrono_date_time(text: &str) -> Result<DateTime<Utc>, String> {
        text.parse::<DateTime<FixedOffset>>()
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_feeds_forms_and_the_odd_ones_read_as_chrono_reads_them() {
        for text in [
            "2024-03-01",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "0000-01-01",
            "9999-12-31",
            "2024-3-01",
            "+2024-03-01",
            "2024-03-01 ",
            "２０２４-03-01",
            "",
        ] {
            assert_eq!(
                parse_date(text).map_err(|e| e.to_string()),
                chrono_date(text),
                "{text:?}"
            );
        }
        for text in [
            "2024-02-27T08:00:00Z",
            "2024-02-27T23:59:59Z",
            "2024-02-27T24:00:00Z",
            "2024-02-27T08:00:60Z",
            "2024-02-27T08:00:00.5Z",
            "2024-02-27T08:00:00+08:00",
            "2024-02-27t08:00:00z",
            "2024-02-27 08:00:00Z",
            "2024-02-30T08:00:00Z",
        ] {
            assert_eq!(
                parse_date_time(text).map_err(|e| e.to_string()),
                chrono_date_time(text),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_date_shaped_text_reads_as_chrono_reads_it(
            y in 0u32..10_000, m in 0u32..14, d in 0u32..33,
        ) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            prop_assert_eq!(parse_date(&text).map_err(|e| e.to_string()), chrono_date(&text));
        }

        #[test]
        fn any_time_shaped_text_reads_as_chrono_reads_it(
            day in 0u32..32, h in 0u32..26, min in 0u32..62, s in 0u32..62,
        ) {
            let text = format!("2024-02-{day:02}T{h:02}:{min:02}:{s:02}Z");
            prop_assert_eq!(
                parse_date_time(&text).map_err(|e| e.to_string()),
                chrono_date_time(&text)
            );
        }
    }
}
