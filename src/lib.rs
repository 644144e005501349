//! rollout-dash: a live terminal dashboard for a "1+N" EV sales-channel rollout.
//!
//! Data flows one way: [`feed`] (wire types, validation, client, server) ->
//! [`analysis`] (conflicts, progress, changes) -> [`history`] (the SQLite
//! record of past snapshots) -> [`app`] (state and update) ->
//! [`ui`] (the view). Modules are public so tests and benches can reach them.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod event;
pub mod feed;
pub mod history;
pub mod notify;
pub mod report;
pub mod tui;
pub mod ui;
