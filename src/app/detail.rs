//! Drill-down screens: their sections, the rows of each, and what Enter opens
//! from a row. Shared by `update` (moving, opening) and the view (drawing), so
//! the row under the cursor is always the one Enter opens.

use std::borrow::Cow;

use foldhash::HashSet;

use super::{App, Pane, Route, Screen};
use crate::analysis::{Change, Finding};
use crate::feed::snapshot::DataWarning;
use crate::feed::wire::{City, CityId, Partner, PartnerId, Store, StoreId};
use crate::worker::Fresh;

/// Changes a drill-down lists at most (newest first).
pub const MAX_CHANGES: usize = 200;

/// Something Enter can open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A city.
    City(CityId),
    /// A partner.
    Partner(PartnerId),
    /// A store.
    Store(StoreId),
}

impl Target {
    /// The route that shows it.
    pub fn into_route(self) -> Route {
        match self {
            Target::City(id) => Route::City(id),
            Target::Partner(id) => Route::Partner(id),
            Target::Store(id) => Route::Store(id),
        }
    }
}

/// A selectable list on a drill-down screen; Tab moves between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Stores of the city or partner.
    Stores,
    /// Partners of the city.
    Partners,
    /// Cities of the partner.
    Cities,
    /// The store's city and operator.
    Links,
    /// Findings that concern the record.
    Conflicts,
    /// Recent changes that concern the record.
    Changes,
}

/// The sections of a screen, in Tab order.
pub fn sections(route: &Route) -> &'static [Section] {
    use Section::*;
    match route {
        Route::Overview => &[],
        Route::City(_) => &[Stores, Partners, Conflicts, Changes],
        Route::Partner(_) => &[Stores, Cities, Conflicts, Changes],
        Route::Store(_) => &[Links, Conflicts, Changes],
        Route::Plan(_) => &[],
    }
}

/// The section with the focus on a screen.
pub fn current_section(screen: &Screen) -> Option<Section> {
    let sections = sections(&screen.route);
    sections
        .get(screen.section.min(sections.len().saturating_sub(1)))
        .copied()
}

/// Some of the snapshot's records, by position, in display order: counted
/// and fetched one at a time, so a drill-down touches only the rows it
/// shows, however many the record has.
#[derive(Debug)]
pub struct Subset<'a, T> {
    all: &'a [T],
    picks: &'a [u32],
}

impl<T> Clone for Subset<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Subset<'_, T> {}

impl<'a, T> Subset<'a, T> {
    /// The records of `all` at `picks`.
    pub fn new(all: &'a [T], picks: &'a [u32]) -> Self {
        Subset { all, picks }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.picks.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.picks.is_empty()
    }

    /// The record on one row.
    pub fn get(&self, row: usize) -> Option<&'a T> {
        self.picks.get(row).and_then(|&i| self.all.get(i as usize))
    }

    /// The records on `rows` (clamped to the list), in order.
    pub fn window(&self, rows: std::ops::Range<usize>) -> impl Iterator<Item = &'a T> + 'a {
        let (all, picks) = (self.all, self.picks);
        let end = rows.end.min(picks.len());
        let start = rows.start.min(end);
        picks[start..end]
            .iter()
            .filter_map(move |&i| all.get(i as usize))
    }

    /// Every record, in order (for lists known to be short).
    pub fn iter(&self) -> impl Iterator<Item = &'a T> + 'a {
        self.window(0..self.picks.len())
    }
}

/// The stores a city drill-down lists, in feed order.
pub fn city_stores<'a>(fresh: &'a Fresh, city: &CityId) -> Subset<'a, Store> {
    let picks = fresh.index.city_stores(city.as_str());
    Subset::new(&fresh.snapshot.document.stores, picks)
}

/// The stores a partner operates, in feed order.
pub fn partner_stores<'a>(fresh: &'a Fresh, partner: &PartnerId) -> Subset<'a, Store> {
    let picks = fresh.index.partner_stores(partner.as_str());
    Subset::new(&fresh.snapshot.document.stores, picks)
}

/// The partners a city drill-down lists.
pub fn city_partners<'a>(fresh: &'a Fresh, city: &CityId) -> Subset<'a, Partner> {
    let picks = fresh.index.city_partners(city.as_str());
    Subset::new(&fresh.snapshot.document.partners, picks)
}

/// The cities a partner drill-down lists (those in the feed).
pub fn partner_cities<'a>(fresh: &'a Fresh, partner: &PartnerId) -> Subset<'a, City> {
    let picks = fresh.index.partner_cities(partner.as_str());
    Subset::new(&fresh.snapshot.document.cities, picks)
}

/// The findings about a screen's record, worst first (filtered and
/// sorted as the screen's conflicts section is, when focused), the
/// acknowledged ones after the others (or left out while `A` hides them).
pub fn findings<'a>(app: &'a App, screen: &'a Screen, fresh: &'a Fresh) -> FindingRows<'a> {
    let picks = shown(
        screen,
        Section::Conflicts,
        Subset::new(
            &fresh.analysis.findings,
            source(screen, fresh, Section::Conflicts),
        ),
    )
    .picks;
    let acked: &'a [bool] = if app.triage.is_of(&fresh.analysis) {
        app.triage.acked_flags()
    } else {
        &[]
    };
    let is_acked = |i: u32| acked.get(i as usize).copied().unwrap_or(false);
    // Borrowed while none of them is acknowledged: a key costs what is on
    // screen, not what the record has.
    let picks = if picks.iter().any(|&i| is_acked(i)) {
        let mut ordered: Vec<u32> = picks.iter().copied().filter(|&i| !is_acked(i)).collect();
        if app.show_acked {
            ordered.extend(picks.iter().copied().filter(|&i| is_acked(i)));
        }
        Cow::Owned(ordered)
    } else {
        Cow::Borrowed(picks)
    };
    FindingRows {
        all: &fresh.analysis.findings,
        picks,
        acked,
    }
}

/// The findings of a drill-down's conflicts section, in display order.
#[derive(Clone, Debug)]
pub struct FindingRows<'a> {
    all: &'a [Finding],
    picks: Cow<'a, [u32]>,
    acked: &'a [bool],
}

impl<'a> FindingRows<'a> {
    /// How many rows.
    pub fn len(&self) -> usize {
        self.picks.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.picks.is_empty()
    }

    /// The finding on one row.
    pub fn get(&self, row: usize) -> Option<&'a Finding> {
        self.position(row).and_then(|i| self.all.get(i))
    }

    /// The position in the analysis of the finding on one row.
    pub fn position(&self, row: usize) -> Option<usize> {
        self.picks.get(row).map(|&i| i as usize)
    }

    /// Whether the finding on one row is acknowledged.
    pub fn is_acked(&self, row: usize) -> bool {
        self.position(row)
            .and_then(|i| self.acked.get(i).copied())
            .unwrap_or(false)
    }
}

/// The overview pane whose rows a section lists: its filter terms and
/// sort keys are that pane's. `None` for sections that do not filter.
pub fn section_pane(section: Section) -> Option<Pane> {
    match section {
        Section::Stores => Some(Pane::Stores),
        Section::Partners => Some(Pane::Partners),
        Section::Cities => Some(Pane::Cities),
        Section::Conflicts => Some(Pane::Conflicts),
        Section::Changes => Some(Pane::Changes),
        Section::Links => None,
    }
}

/// The record's own rows of a section, in source order (positions in
/// the section's pane's source list); empty for sections that do not
/// filter.
pub fn source<'a>(screen: &Screen, fresh: &'a Fresh, section: Section) -> &'a [u32] {
    let index = &fresh.index;
    match (&screen.route, section) {
        (Route::City(city), Section::Stores) => index.city_stores(city.as_str()),
        (Route::City(city), Section::Partners) => index.city_partners(city.as_str()),
        (Route::Partner(partner), Section::Stores) => index.partner_stores(partner.as_str()),
        (Route::Partner(partner), Section::Cities) => index.partner_cities(partner.as_str()),
        (Route::City(city), Section::Conflicts) => index.city_findings(city.as_str()),
        (Route::Partner(partner), Section::Conflicts) => index.partner_findings(partner.as_str()),
        (Route::Store(store), Section::Conflicts) => index.store_findings(store.as_str()),
        _ => &[],
    }
}

/// A section's rows as the screen shows them: those its filter and sort
/// left where it is the focused section and has either, else `subset`.
pub fn shown<'a, T>(screen: &'a Screen, section: Section, subset: Subset<'a, T>) -> Subset<'a, T> {
    match &screen.view {
        Some(view) if current_section(screen) == Some(section) => Subset {
            all: subset.all,
            picks: &view.picks,
        },
        _ => subset,
    }
}

/// The recent changes about a screen's record, newest first (at most
/// [`MAX_CHANGES`], from a change log of `change_log_size` entries). A
/// city's include its partners' agreement changes, which carry no city.
/// Filtered as the screen's changes section is, when focused.
pub fn changes<'a>(app: &'a App, screen: &Screen, fresh: &Fresh) -> Vec<&'a Change> {
    match &screen.view {
        Some(view) if current_section(screen) == Some(Section::Changes) => view
            .picks
            .iter()
            .filter_map(|&i| app.change_log.get(i as usize))
            .collect(),
        _ => change_positions(app, screen, fresh)
            .into_iter()
            .filter_map(|i| app.change_log.get(i as usize))
            .collect(),
    }
}

/// The positions in the change log of the recent changes about a
/// screen's record, newest first (at most [`MAX_CHANGES`]).
pub fn change_positions(app: &App, screen: &Screen, fresh: &Fresh) -> Vec<u32> {
    let concerns: Box<dyn Fn(&Change) -> bool> = match &screen.route {
        Route::City(city) => {
            let partners: HashSet<PartnerId> = city_partners(fresh, city)
                .iter()
                .map(|p| p.id.clone())
                .collect();
            let city = city.clone();
            Box::new(move |c: &Change| {
                c.city.as_ref() == Some(&city)
                    || (c.city.is_none()
                        && c.partner.as_ref().is_some_and(|p| partners.contains(p)))
            })
        }
        Route::Partner(partner) => {
            let partner = partner.clone();
            Box::new(move |c: &Change| c.partner.as_ref() == Some(&partner))
        }
        Route::Store(store) => {
            let store = store.clone();
            Box::new(move |c: &Change| c.store.as_ref() == Some(&store))
        }
        Route::Overview | Route::Plan(_) => Box::new(|_| false),
    };
    app.change_log
        .iter()
        .enumerate()
        .filter(|(_, c)| concerns(c))
        .take(MAX_CHANGES)
        .map(|(i, _)| i as u32)
        .collect()
}

/// The data warnings about a screen's record (a city's include its stores').
pub fn data_warnings<'a>(screen: &Screen, fresh: &'a Fresh) -> Subset<'a, DataWarning> {
    let record = match &screen.route {
        Route::City(city) => city.as_str(),
        Route::Partner(partner) => partner.as_str(),
        Route::Store(store) => store.as_str(),
        Route::Overview | Route::Plan(_) => "",
    };
    let picks = if record.is_empty() {
        &[]
    } else {
        fresh.index.record_warnings(record)
    };
    Subset::new(&fresh.snapshot.data_warnings, picks)
}

/// Where a store's drill-down can go: its city, and its operator if a partner.
pub fn store_links(fresh: &Fresh, store: &StoreId) -> Vec<Target> {
    fresh
        .snapshot
        .store(store.as_str())
        .map(|s| {
            let mut links = vec![Target::City(s.city.clone())];
            links.extend(s.operator.partner().cloned().map(Target::Partner));
            links
        })
        .unwrap_or_default()
}

/// What a row about these records opens: the first store, else partner,
/// else city, that is not the record already on screen.
fn open_first<'a>(
    screen: &Screen,
    stores: impl Iterator<Item = &'a StoreId>,
    partners: impl Iterator<Item = &'a PartnerId>,
    city: Option<&'a CityId>,
) -> Option<Target> {
    stores
        .map(|s| Target::Store(s.clone()))
        .chain(partners.map(|p| Target::Partner(p.clone())))
        .chain(city.map(|c| Target::City(c.clone())))
        .find(|t| screen.route != t.clone().into_route())
}

/// How many rows the focused section of a screen has.
pub fn row_count(app: &App, screen: &Screen, fresh: &Fresh) -> usize {
    match (&screen.route, current_section(screen)) {
        // The national plan lists a line per city.
        (Route::Plan(None), _) => fresh.snapshot.document.cities.len(),
        (Route::City(city), Some(Section::Stores)) => {
            shown(screen, Section::Stores, city_stores(fresh, city)).len()
        }
        (Route::City(city), Some(Section::Partners)) => {
            shown(screen, Section::Partners, city_partners(fresh, city)).len()
        }
        (Route::Partner(partner), Some(Section::Stores)) => {
            shown(screen, Section::Stores, partner_stores(fresh, partner)).len()
        }
        (Route::Partner(partner), Some(Section::Cities)) => {
            shown(screen, Section::Cities, partner_cities(fresh, partner)).len()
        }
        (Route::Store(store), Some(Section::Links)) => store_links(fresh, store).len(),
        (_, Some(Section::Conflicts)) => findings(app, screen, fresh).len(),
        (_, Some(Section::Changes)) => changes(app, screen, fresh).len(),
        _ => 0,
    }
}

/// What Enter opens from one row of the focused section (`None` for a row
/// that opens nothing new, or past the end).
pub fn target(app: &App, screen: &Screen, fresh: &Fresh, row: usize) -> Option<Target> {
    match (&screen.route, current_section(screen)) {
        (Route::Plan(None), _) => fresh
            .snapshot
            .document
            .cities
            .get(row)
            .map(|c| Target::City(c.id.clone())),
        (Route::City(city), Some(Section::Stores)) => {
            shown(screen, Section::Stores, city_stores(fresh, city))
                .get(row)
                .map(|s| Target::Store(s.id.clone()))
        }
        (Route::City(city), Some(Section::Partners)) => {
            shown(screen, Section::Partners, city_partners(fresh, city))
                .get(row)
                .map(|p| Target::Partner(p.id.clone()))
        }
        (Route::Partner(partner), Some(Section::Stores)) => {
            shown(screen, Section::Stores, partner_stores(fresh, partner))
                .get(row)
                .map(|s| Target::Store(s.id.clone()))
        }
        (Route::Partner(partner), Some(Section::Cities)) => {
            shown(screen, Section::Cities, partner_cities(fresh, partner))
                .get(row)
                .map(|c| Target::City(c.id.clone()))
        }
        (Route::Store(store), Some(Section::Links)) => {
            store_links(fresh, store).into_iter().nth(row)
        }
        (_, Some(Section::Conflicts)) => findings(app, screen, fresh)
            .get(row)
            .and_then(|f| open_first(screen, f.stores.iter(), f.partners.iter(), f.city.as_ref())),
        (_, Some(Section::Changes)) => changes(app, screen, fresh)
            .get(row)
            .and_then(|c| open_first(screen, c.store.iter(), c.partner.iter(), c.city.as_ref())),
        _ => None,
    }
}
