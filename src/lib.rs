//! rollout-dash: a live terminal dashboard for a "1+N" EV sales-channel rollout.
//!
//! Data flows one way, and each stage imports only from the stages before it:
//! [`feed`] (wire types, fetch, parse, validate, serve) -> [`analysis`]
//! (conflicts, progress, changes; pure) -> [`history`] (the SQLite record of
//! past snapshots) -> [`worker`] (polls, derives and sends finished results)
//! -> [`app`] (state and update) -> [`ui`] (the view). Beneath them all,
//! [`settings`] (values and file reading that import nothing of ours); at the
//! edges, the commands ([`dashboard`], [`report`], [`record`], [`ack`], `serve` in
//! [`feed::server`]), [`cli`], [`config`] (which composes each stage's
//! settings), [`tui`], [`event`] and [`exit`]. Modules are public so tests
//! and benches can reach them.

pub mod ack;
pub mod analysis;
pub mod app;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod event;
pub mod exit;
pub mod feed;
pub mod history;
pub mod i18n;
pub mod notify;
pub mod record;
pub mod report;
pub mod settings;
pub mod tui;
pub mod ui;
pub mod worker;
