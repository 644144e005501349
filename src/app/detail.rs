//! Drill-down screens: which sections a screen has and what Enter can open
//! from each. Shared by `update` (moving, opening) and the view (drawing).

use super::{Route, Screen};
use crate::feed::poller::Fresh;
use crate::feed::wire::{CityId, PartnerId, StoreId};

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
}

/// The sections of a screen, in Tab order.
pub fn sections(route: &Route, _fresh: &Fresh) -> &'static [Section] {
    match route {
        Route::Overview => &[],
        Route::City(_) => &[Section::Stores, Section::Partners],
        Route::Partner(_) => &[Section::Stores, Section::Cities],
        Route::Store(_) => &[Section::Links],
    }
}

/// The section with the focus on a screen.
pub fn current_section(screen: &Screen, fresh: &Fresh) -> Option<Section> {
    let sections = sections(&screen.route, fresh);
    sections
        .get(screen.section.min(sections.len().saturating_sub(1)))
        .copied()
}

/// What Enter can open in the focused section, in display order.
pub fn targets(screen: &Screen, fresh: &Fresh) -> Vec<Target> {
    let snapshot = &fresh.snapshot;
    match (&screen.route, current_section(screen, fresh)) {
        (Route::City(city), Some(Section::Stores)) => snapshot
            .stores_in(city.as_str())
            .map(|s| Target::Store(s.id.clone()))
            .collect(),
        (Route::City(city), Some(Section::Partners)) => snapshot
            .partners_in(city.as_str())
            .into_iter()
            .map(|p| Target::Partner(p.id.clone()))
            .collect(),
        (Route::Partner(partner), Some(Section::Stores)) => partner_stores(fresh, partner)
            .map(|s| Target::Store(s.id.clone()))
            .collect(),
        (Route::Partner(partner), Some(Section::Cities)) => snapshot
            .partner(partner.as_str())
            .map(|p| {
                p.cities
                    .iter()
                    .filter(|c| snapshot.city(c.as_str()).is_some())
                    .map(|c| Target::City(c.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        (Route::Store(store), Some(Section::Links)) => snapshot
            .store(store.as_str())
            .map(|s| {
                let mut links = vec![Target::City(s.city.clone())];
                links.extend(s.operator.partner().cloned().map(Target::Partner));
                links
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The stores a partner operates, in feed order.
pub fn partner_stores<'a>(
    fresh: &'a Fresh,
    partner: &'a PartnerId,
) -> impl Iterator<Item = &'a crate::feed::wire::Store> + 'a {
    fresh
        .snapshot
        .stores()
        .filter(move |s| s.operator.partner() == Some(partner))
}
