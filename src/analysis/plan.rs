//! Plan versus actual: how many stores were planned to be open by each date
//! (from the stores' `planned_open`), beside how many were open, and the gap
//! between the two said in stores and in days.
//!
//! The gap on `today` (the feed's `generated_at` date, as `schedule_slip`
//! takes it), with `open` stores open and `planned` = stores planned to open
//! on or before today:
//!
//! - `open == planned`: on plan.
//! - `open < planned`: `planned - open` stores behind, and late by
//!   `today - e` days, where `e` is the first date on which the plan called
//!   for more than `open` stores: the due date of the oldest opening not
//!   yet matched (0 days: it was due today).
//! - `open > planned`: `open - planned` stores ahead, and early by
//!   `r - today` days, where `r` is the first date on which the plan
//!   reaches `open` stores; no days when the plan never reaches that many
//!   (stores without a planned date opened).
//!
//! Stores without a `planned_open` count as open when they are, never as
//! planned; how many there are is said beside the gap.

use chrono::{DateTime, NaiveDate, Utc};

use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{CityId, Phase};
use crate::i18n::Lang;
use crate::tr;

/// Stores planned to be open by each date: a step per date with openings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanCurve {
    /// (date, stores planned to be open at the end of it), dates ascending.
    steps: Vec<(NaiveDate, usize)>,
}

impl PlanCurve {
    /// The curve of these planned opening dates (in any order).
    pub fn of(dates: impl IntoIterator<Item = NaiveDate>) -> Self {
        let mut dates: Vec<NaiveDate> = dates.into_iter().collect();
        dates.sort_unstable();
        let mut steps: Vec<(NaiveDate, usize)> = Vec::new();
        for (i, date) in dates.into_iter().enumerate() {
            match steps.last_mut() {
                Some((last, count)) if *last == date => *count = i + 1,
                _ => steps.push((date, i + 1)),
            }
        }
        PlanCurve { steps }
    }

    /// The steps: (date, stores planned to be open at the end of it).
    pub fn steps(&self) -> &[(NaiveDate, usize)] {
        &self.steps
    }

    /// Stores with a planned date.
    pub fn total(&self) -> usize {
        self.steps.last().map_or(0, |&(_, n)| n)
    }

    /// Stores planned to be open at the end of `date`.
    pub fn planned_by(&self, date: NaiveDate) -> usize {
        let after = self.steps.partition_point(|&(d, _)| d <= date);
        after.checked_sub(1).map_or(0, |i| self.steps[i].1)
    }

    /// The first date by which at least `stores` stores are planned to be
    /// open (`None` when the plan never has that many, or for none).
    pub fn reaches(&self, stores: usize) -> Option<NaiveDate> {
        if stores == 0 {
            return None;
        }
        let i = self.steps.partition_point(|&(_, n)| n < stores);
        self.steps.get(i).map(|&(d, _)| d)
    }
}

/// The gap between plan and actual on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// No store has a planned date.
    NoPlan,
    /// As many stores open as planned.
    OnPlan,
    /// Fewer stores open than planned.
    Behind {
        /// Planned minus open.
        stores: usize,
        /// Days since the oldest unmatched opening was due.
        days: i64,
    },
    /// More stores open than planned.
    Ahead {
        /// Open minus planned.
        stores: usize,
        /// Days until the plan reaches the count open, if it ever does.
        days: Option<i64>,
    },
}

impl Gap {
    /// The gap with `open` stores open on `today` (see the module doc).
    pub fn of(curve: &PlanCurve, today: NaiveDate, open: usize) -> Gap {
        if curve.total() == 0 {
            return Gap::NoPlan;
        }
        let planned = curve.planned_by(today);
        if open == planned {
            Gap::OnPlan
        } else if open < planned {
            // Some step on or before today exceeds `open`.
            let due = curve.reaches(open + 1).unwrap_or(today);
            Gap::Behind {
                stores: planned - open,
                days: (today - due).num_days(),
            }
        } else {
            Gap::Ahead {
                stores: open - planned,
                days: curve.reaches(open).map(|d| (d - today).num_days()),
            }
        }
    }

    /// The gap in words in `lang`: "3 stores behind plan, 5 days late",
    /// "on plan".
    pub fn words(self, lang: Lang) -> String {
        match self {
            Gap::NoPlan => tr!(lang, "plan-no-plan"),
            Gap::OnPlan => tr!(lang, "plan-on-plan"),
            Gap::Behind { stores, days: 0 } => tr!(lang, "plan-behind-today", stores = stores),
            Gap::Behind { stores, days } => {
                tr!(lang, "plan-behind", stores = stores, days = days)
            }
            Gap::Ahead {
                stores,
                days: Some(days),
            } => tr!(lang, "plan-ahead-early", stores = stores, days = days),
            Gap::Ahead { stores, days: None } => tr!(lang, "plan-ahead", stores = stores),
        }
        .into_owned()
    }
}

/// One day of a comparison: planned by the end of it, and open (as last
/// recorded that day) when known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanDay {
    /// The date.
    pub date: NaiveDate,
    /// Stores planned to be open at the end of it.
    pub planned: usize,
    /// Stores open, as recorded that day.
    pub actual: Option<usize>,
}

/// Plan versus actual for the programme or one city.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The city, or `None` for the whole programme.
    pub city: Option<CityId>,
    /// The plan.
    pub curve: PlanCurve,
    /// Every date with a planned opening or a recorded count, ascending.
    pub days: Vec<PlanDay>,
    /// Stores planned to be open today.
    pub planned_today: usize,
    /// Stores open today.
    pub open: usize,
    /// Stores without a planned date.
    pub unplanned: usize,
    /// The gap today.
    pub gap: Gap,
}

/// Plan versus actual for the programme and every city of a snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanReport {
    /// The day the gaps are measured on: the feed's `generated_at` date.
    pub today: NaiveDate,
    /// The whole programme.
    pub program: Comparison,
    /// Each city, in the snapshot's order.
    pub cities: Vec<Comparison>,
}

impl PlanReport {
    /// The comparison of a city (by raw id), or of the programme for `None`.
    pub fn of(&self, city: Option<&str>) -> Option<&Comparison> {
        match city {
            None => Some(&self.program),
            Some(id) => self
                .cities
                .iter()
                .find(|c| c.city.as_ref().is_some_and(|c| c.as_str() == id)),
        }
    }
}

/// Stores open by date: the last count of each day, from counts in time order.
pub fn daily(counts: impl IntoIterator<Item = (DateTime<Utc>, usize)>) -> Vec<(NaiveDate, usize)> {
    let mut days: Vec<(NaiveDate, usize)> = Vec::new();
    for (at, open) in counts {
        let date = at.date_naive();
        match days.last_mut() {
            Some((last, count)) if *last == date => *count = open,
            _ => days.push((date, open)),
        }
    }
    days
}

/// Joins a plan with stores open by date (`actual`, dates ascending).
pub fn join(curve: &PlanCurve, actual: &[(NaiveDate, usize)]) -> Vec<PlanDay> {
    let mut dates: Vec<NaiveDate> = curve
        .steps()
        .iter()
        .map(|&(d, _)| d)
        .chain(actual.iter().map(|&(d, _)| d))
        .collect();
    dates.sort_unstable();
    dates.dedup();
    dates
        .into_iter()
        .map(|date| PlanDay {
            date,
            planned: curve.planned_by(date),
            actual: actual
                .binary_search_by_key(&date, |&(d, _)| d)
                .ok()
                .map(|i| actual[i].1),
        })
        .collect()
}

/// Plan versus actual for every city and the programme. `actual` gives the
/// stores open by date from the history for a city (`Some(id)`) or the
/// programme (`None`); today's count is the snapshot's own and replaces a
/// recorded one of the same date.
pub fn report<'a>(
    snapshot: &Snapshot,
    actual: impl Fn(Option<&str>) -> Vec<(NaiveDate, usize)> + 'a,
) -> PlanReport {
    let today = snapshot.document.generated_at.date_naive();
    let cities = &snapshot.document.cities;
    let mut planned: Vec<Vec<NaiveDate>> = vec![Vec::new(); cities.len()];
    let mut open = vec![0usize; cities.len()];
    let mut unplanned = vec![0usize; cities.len()];
    let (mut all_planned, mut all_open, mut all_unplanned) = (Vec::new(), 0, 0);
    for (i, store) in snapshot.stores().enumerate() {
        let city = snapshot.store_city_index(i);
        let is_open = store.renovation.phase == Phase::Open;
        all_open += usize::from(is_open);
        match store.renovation.planned_open {
            Some(date) => all_planned.push(date),
            None => all_unplanned += 1,
        }
        if let Some(c) = city {
            open[c] += usize::from(is_open);
            match store.renovation.planned_open {
                Some(date) => planned[c].push(date),
                None => unplanned[c] += 1,
            }
        }
    }
    let compare = |city: Option<CityId>, dates: Vec<NaiveDate>, open: usize, unplanned: usize| {
        let curve = PlanCurve::of(dates);
        let mut recorded = actual(city.as_ref().map(|c| c.as_str()));
        recorded.retain(|&(d, _)| d < today);
        recorded.push((today, open));
        Comparison {
            days: join(&curve, &recorded),
            planned_today: curve.planned_by(today),
            gap: Gap::of(&curve, today, open),
            city,
            curve,
            open,
            unplanned,
        }
    };
    PlanReport {
        today,
        program: compare(None, all_planned, all_open, all_unplanned),
        cities: cities
            .iter()
            .enumerate()
            .map(|(i, c)| {
                compare(
                    Some(c.id.clone()),
                    std::mem::take(&mut planned[i]),
                    open[i],
                    unplanned[i],
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::demo::DEMO_FEED_JSON;
    use crate::feed::snapshot::parse_document;

    fn d(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, month, day).unwrap()
    }

    /// One opening on Jan 1, one on Jan 10, two on Jan 20.
    fn curve() -> PlanCurve {
        PlanCurve::of([d(1, 20), d(1, 1), d(1, 20), d(1, 10)])
    }

    #[test]
    fn the_curve_counts_openings_up_to_and_including_each_date() {
        let curve = curve();
        assert_eq!(curve.steps(), &[(d(1, 1), 1), (d(1, 10), 2), (d(1, 20), 4)]);
        assert_eq!(curve.total(), 4);
        assert_eq!(curve.planned_by(d(12, 31) - chrono::Duration::days(366)), 0);
        assert_eq!(curve.planned_by(d(1, 1)), 1);
        assert_eq!(curve.planned_by(d(1, 9)), 1);
        assert_eq!(curve.planned_by(d(1, 10)), 2);
        assert_eq!(curve.planned_by(d(3, 1)), 4);
        assert_eq!(curve.reaches(0), None);
        assert_eq!(curve.reaches(2), Some(d(1, 10)));
        assert_eq!(curve.reaches(3), Some(d(1, 20)));
        assert_eq!(curve.reaches(5), None);
    }

    #[test]
    fn behind_counts_days_from_the_oldest_opening_not_matched() {
        // Jan 15: two planned, one open: the second opening was due Jan 10.
        assert_eq!(
            Gap::of(&curve(), d(1, 15), 1),
            Gap::Behind { stores: 1, days: 5 }
        );
        // None open: the first was due Jan 1.
        assert_eq!(
            Gap::of(&curve(), d(1, 15), 0),
            Gap::Behind {
                stores: 2,
                days: 14
            }
        );
        // Due today.
        assert_eq!(
            Gap::of(&curve(), d(1, 20), 2),
            Gap::Behind { stores: 2, days: 0 }
        );
        assert_eq!(
            Gap::Behind { stores: 2, days: 0 }.words(Lang::En),
            "2 stores behind plan, due today"
        );
        assert_eq!(
            Gap::Behind { stores: 1, days: 5 }.words(Lang::En),
            "1 store behind plan, 5 days late"
        );
    }

    #[test]
    fn ahead_counts_days_until_the_plan_reaches_the_count_open() {
        // Jan 5: one planned, three open: the plan has three on Jan 20.
        assert_eq!(
            Gap::of(&curve(), d(1, 5), 3),
            Gap::Ahead {
                stores: 2,
                days: Some(15)
            }
        );
        // More open than the plan ever has: no days to say.
        assert_eq!(
            Gap::of(&curve(), d(1, 5), 9),
            Gap::Ahead {
                stores: 8,
                days: None
            }
        );
        assert_eq!(
            Gap::Ahead {
                stores: 2,
                days: Some(1)
            }
            .words(Lang::En),
            "2 stores ahead of plan, 1 day early"
        );
        assert_eq!(Gap::of(&curve(), d(1, 10), 2), Gap::OnPlan);
        assert_eq!(Gap::OnPlan.words(Lang::En), "on plan");
        assert_eq!(Gap::of(&PlanCurve::default(), d(1, 10), 2), Gap::NoPlan);
    }

    #[test]
    fn daily_keeps_the_last_count_of_each_day_and_join_merges_the_dates() {
        let at = |day: u32, hour: u32| d(1, day).and_hms_opt(hour, 0, 0).unwrap().and_utc();
        let actual = daily([(at(9, 8), 0), (at(9, 20), 1), (at(12, 8), 2)]);
        assert_eq!(actual, vec![(d(1, 9), 1), (d(1, 12), 2)]);
        let joined = join(&curve(), &actual);
        let planned: Vec<(NaiveDate, usize, Option<usize>)> = joined
            .iter()
            .map(|day| (day.date, day.planned, day.actual))
            .collect();
        assert_eq!(
            planned,
            vec![
                (d(1, 1), 1, None),
                (d(1, 9), 1, Some(1)),
                (d(1, 10), 2, None),
                (d(1, 12), 2, Some(2)),
                (d(1, 20), 4, None),
            ]
        );
    }

    #[test]
    fn the_demo_plan_counts_late_stores_as_planned_and_stores_without_a_date_apart() {
        let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
        // 2024-03-10: Chengdu had cd-home-01 (Feb 3) and cd-home-02 (Mar 9)
        // due; only cd-home-01 is open, so cd-home-02 is a day late.
        doc.generated_at = d(3, 10).and_hms_opt(8, 0, 0).unwrap().and_utc();
        let snapshot = Snapshot::new(doc);
        let recorded = |city: Option<&str>| match city {
            Some("chengdu") => vec![(d(3, 1), 1), (d(3, 10), 99)],
            _ => Vec::new(),
        };
        let report = report(&snapshot, recorded);
        assert_eq!(report.today, d(3, 10));
        let chengdu = report.of(Some("chengdu")).unwrap();
        assert_eq!(chengdu.planned_today, 2);
        assert_eq!(chengdu.open, 1);
        assert_eq!(chengdu.gap, Gap::Behind { stores: 1, days: 1 });
        assert_eq!(chengdu.curve.total(), 6);
        // Today's count is the snapshot's, not a recorded one of the same date.
        let today = chengdu
            .days
            .iter()
            .find(|day| day.date == d(3, 10))
            .unwrap();
        assert_eq!(today.actual, Some(1));
        let march_first = chengdu.days.iter().find(|day| day.date == d(3, 1)).unwrap();
        assert_eq!((march_first.planned, march_first.actual), (1, Some(1)));
        // Shanghai's open store has no planned date: open, never planned.
        let shanghai = report.of(Some("shanghai")).unwrap();
        assert_eq!(shanghai.unplanned, 1);
        assert_eq!(shanghai.open, 1);
        assert_eq!(shanghai.curve.total(), 5);
        // The programme sums every store, in a city or not.
        assert_eq!(report.program.open, 14);
        assert_eq!(
            report.program.curve.total() + report.program.unplanned,
            snapshot.document.stores.len()
        );
        assert!(report.of(Some("atlantis")).is_none());
    }

    #[test]
    fn the_gap_is_said_in_chinese_with_its_figures() {
        let zh = |gap: Gap| gap.words(Lang::Zh);
        assert_eq!(zh(Gap::NoPlan), "无计划开业");
        assert_eq!(zh(Gap::OnPlan), "符合计划");
        assert_eq!(
            zh(Gap::Behind { stores: 2, days: 0 }),
            "落后计划 2 家，今日到期"
        );
        assert_eq!(
            zh(Gap::Behind { stores: 1, days: 5 }),
            "落后计划 1 家，逾期 5 天"
        );
        assert_eq!(
            zh(Gap::Ahead {
                stores: 12,
                days: Some(1)
            }),
            "超前计划 12 家，提前 1 天"
        );
        assert_eq!(
            zh(Gap::Ahead {
                stores: 3,
                days: None
            }),
            "超前计划 3 家"
        );
        // English keeps its plural forms; Chinese has none to keep.
        assert_eq!(
            Gap::Ahead {
                stores: 1,
                days: None
            }
            .words(Lang::En),
            "1 store ahead of plan"
        );
        assert_eq!(
            Gap::Behind {
                stores: 1234,
                days: 1
            }
            .words(Lang::En),
            "1234 stores behind plan, 1 day late"
        );
    }
}
