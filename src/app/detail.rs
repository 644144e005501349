//! Drill-down screens: their sections, the rows of each, and what Enter opens
//! from a row. Shared by `update` (moving, opening) and the view (drawing), so
//! the row under the cursor is always the one Enter opens.

use super::{App, Route, Screen};
use crate::analysis::{Change, Finding};
use crate::feed::poller::Fresh;
use crate::feed::snapshot::DataWarning;
use crate::feed::wire::{CityId, Partner, PartnerId, Store, StoreId};

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
    }
}

/// The section with the focus on a screen.
pub fn current_section(screen: &Screen) -> Option<Section> {
    let sections = sections(&screen.route);
    sections
        .get(screen.section.min(sections.len().saturating_sub(1)))
        .copied()
}

/// The stores a city drill-down lists, in feed order.
pub fn city_stores<'a>(fresh: &'a Fresh, city: &'a CityId) -> impl Iterator<Item = &'a Store> + 'a {
    fresh.snapshot.stores_in(city.as_str())
}

/// The stores a partner operates, in feed order.
pub fn partner_stores<'a>(
    fresh: &'a Fresh,
    partner: &'a PartnerId,
) -> impl Iterator<Item = &'a Store> + 'a {
    fresh
        .snapshot
        .stores()
        .filter(move |s| s.operator.partner() == Some(partner))
}

/// The partners a city drill-down lists.
pub fn city_partners<'a>(fresh: &'a Fresh, city: &CityId) -> Vec<&'a Partner> {
    fresh.snapshot.partners_in(city.as_str())
}

/// The cities a partner drill-down lists (those in the feed).
pub fn partner_cities(fresh: &Fresh, partner: &PartnerId) -> Vec<CityId> {
    let snapshot = &fresh.snapshot;
    snapshot
        .partner(partner.as_str())
        .map(|p| {
            p.cities
                .iter()
                .filter(|c| snapshot.city(c.as_str()).is_some())
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// The findings about a screen's record, worst first.
pub fn findings<'a>(screen: &Screen, fresh: &'a Fresh) -> Vec<&'a Finding> {
    let analysis = &fresh.analysis;
    match &screen.route {
        Route::City(city) => analysis.findings_in(city.as_str()).collect(),
        Route::Partner(partner) => analysis.findings_for_partner(partner.as_str()).collect(),
        Route::Store(store) => analysis
            .findings
            .iter()
            .filter(|f| f.stores.contains(store))
            .collect(),
        Route::Overview => Vec::new(),
    }
}

/// The recent changes about a screen's record, newest first. A city's
/// include its partners' agreement changes, which carry no city.
pub fn changes<'a>(app: &'a App, screen: &Screen, fresh: &Fresh) -> Vec<&'a Change> {
    let concerns: Box<dyn Fn(&Change) -> bool> = match &screen.route {
        Route::City(city) => {
            let partners: Vec<PartnerId> = city_partners(fresh, city)
                .into_iter()
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
        Route::Overview => Box::new(|_| false),
    };
    app.change_log
        .iter()
        .filter(|c| concerns(c))
        .take(MAX_CHANGES)
        .collect()
}

/// The data warnings about a screen's record (a city's include its stores').
pub fn data_warnings<'a>(screen: &Screen, fresh: &'a Fresh) -> Vec<&'a DataWarning> {
    let snapshot = &fresh.snapshot;
    let about = |w: &&DataWarning| match &screen.route {
        Route::City(city) => {
            w.record.as_str() == city.as_str()
                || snapshot
                    .store(w.record.as_str())
                    .is_some_and(|s| &s.city == city)
        }
        Route::Partner(partner) => w.record.as_str() == partner.as_str(),
        Route::Store(store) => w.record.as_str() == store.as_str(),
        Route::Overview => false,
    };
    snapshot.data_warnings.iter().filter(about).collect()
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

/// What Enter can open from each row of the focused section, in display
/// order (`None` for a row that opens nothing new).
pub fn targets(app: &App, screen: &Screen, fresh: &Fresh) -> Vec<Option<Target>> {
    let snapshot = &fresh.snapshot;
    match (&screen.route, current_section(screen)) {
        (Route::City(city), Some(Section::Stores)) => city_stores(fresh, city)
            .map(|s| Some(Target::Store(s.id.clone())))
            .collect(),
        (Route::City(city), Some(Section::Partners)) => city_partners(fresh, city)
            .into_iter()
            .map(|p| Some(Target::Partner(p.id.clone())))
            .collect(),
        (Route::Partner(partner), Some(Section::Stores)) => partner_stores(fresh, partner)
            .map(|s| Some(Target::Store(s.id.clone())))
            .collect(),
        (Route::Partner(partner), Some(Section::Cities)) => partner_cities(fresh, partner)
            .into_iter()
            .map(|c| Some(Target::City(c)))
            .collect(),
        (Route::Store(store), Some(Section::Links)) => snapshot
            .store(store.as_str())
            .map(|s| {
                let mut links = vec![Some(Target::City(s.city.clone()))];
                links.extend(
                    s.operator
                        .partner()
                        .cloned()
                        .map(|p| Some(Target::Partner(p))),
                );
                links
            })
            .unwrap_or_default(),
        (_, Some(Section::Conflicts)) => findings(screen, fresh)
            .into_iter()
            .map(|f| open_first(screen, f.stores.iter(), f.partners.iter(), f.city.as_ref()))
            .collect(),
        (_, Some(Section::Changes)) => changes(app, screen, fresh)
            .into_iter()
            .map(|c| open_first(screen, c.store.iter(), c.partner.iter(), c.city.as_ref()))
            .collect(),
        _ => Vec::new(),
    }
}
