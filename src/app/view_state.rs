//! The saved view: the pane, and each pane's sort, direction and filter,
//! as they were when the dashboard last ran on a feed. One small JSON file
//! per feed in `$XDG_STATE_HOME/rollout-dash/`, written atomically (temp
//! file and rename) on quit and, debounced, on change, by a task of its own
//! so the UI task never waits for the disk. A file that cannot be read or
//! parsed is ignored with a log line: the dashboard then starts as new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::command_line::Group;
use super::{App, Pane};

/// The largest view file read: a few filters of at most 256 characters.
const MAX_VIEW_BYTES: u64 = 64 * 1024;

/// How long the view must stay unchanged before it is written: typing a
/// filter writes once, after the last key.
pub const DEBOUNCE: Duration = Duration::from_millis(500);

/// One pane's sort and filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaneView {
    /// The sort key, by name (`Severity`), so a reordered key list keeps it.
    pub sort: String,
    /// Descending.
    pub reverse: bool,
    /// The filter text.
    pub filter: String,
}

/// The view of the dashboard that is restored at the next start.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// The focused pane, by name (`Conflicts`).
    pub pane: String,
    /// Per pane (by name), its sort and filter.
    pub panes: BTreeMap<String, PaneView>,
    /// How the conflicts pane is grouped (`:group`): rule, city or none.
    pub group: String,
}

/// The panes with a list of their own (the map shares the cities').
const LISTS: [Pane; 6] = [
    Pane::Cities,
    Pane::Partners,
    Pane::Stores,
    Pane::Conflicts,
    Pane::Changes,
    Pane::DataWarnings,
];

fn pane_name(pane: Pane) -> String {
    format!("{pane:?}")
}

impl ViewState {
    /// The view the dashboard shows now.
    pub fn of(app: &App) -> ViewState {
        let panes = LISTS
            .iter()
            .map(|&pane| {
                let list = app.lists.get(pane);
                let sort = pane
                    .sort_keys()
                    .get(list.sort)
                    .map(|key| format!("{key:?}"))
                    .unwrap_or_default();
                (
                    pane_name(pane),
                    PaneView {
                        sort,
                        reverse: list.reverse,
                        filter: list.filter.clone(),
                    },
                )
            })
            .collect();
        ViewState {
            pane: pane_name(app.focus),
            panes,
            group: app.lists.group.word().to_owned(),
        }
    }

    /// Puts the view on the dashboard: what it names that no longer exists
    /// (a pane, a sort key) is left as it is.
    pub fn apply(&self, app: &mut App) {
        if let Some(pane) = Pane::ALL.into_iter().find(|p| pane_name(*p) == self.pane) {
            app.focus = pane;
        }
        for pane in LISTS {
            let Some(view) = self.panes.get(&pane_name(pane)) else {
                continue;
            };
            let list = app.lists.get_mut(pane);
            if let Some(sort) = pane
                .sort_keys()
                .iter()
                .position(|key| format!("{key:?}") == view.sort)
            {
                list.sort = sort;
            }
            list.reverse = view.reverse;
            list.clear_filter();
            // Through the filter's own input: the length cap and the
            // control characters are dealt with as when typed.
            list.type_into_filter(&view.filter);
        }
        app.lists.group = match self.group.as_str() {
            "rule" => Group::Rule,
            "city" => Group::City,
            _ => Group::None,
        };
        app.lists.rebuild(app.current.as_ref(), &app.change_log);
    }
}

/// The view file of a feed in `dir`: `key` is the feed's name, or its URL
/// for a feed without one.
pub fn path_in(dir: &Path, key: &str) -> PathBuf {
    let plain = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        dir.join(format!("view-{key}.json"))
    } else {
        dir.join(format!(
            "view-{:016x}.json",
            crate::feed::fnv64(key.as_bytes())
        ))
    }
}

/// The view file of a feed in `$XDG_STATE_HOME/rollout-dash/` (default
/// `~/.local/state/rollout-dash/`).
pub fn path_for(key: &str) -> Option<PathBuf> {
    crate::settings::xdg_dir("XDG_STATE_HOME", ".local/state").map(|dir| path_in(&dir, key))
}

/// Reads a view file; a missing one is `None`, and so is one that cannot
/// be read or parsed, with a log line saying why.
pub fn load(path: &Path) -> Option<ViewState> {
    let contents = match crate::settings::read_regular_file(path, MAX_VIEW_BYTES) {
        Ok(contents) => contents,
        Err(e) if e.is_not_found() => return None,
        Err(e) => {
            tracing::warn!(
                "saved view {}: {e}; starting with the default view",
                path.display()
            );
            return None;
        }
    };
    match serde_json::from_slice(&contents.bytes) {
        Ok(view) => Some(view),
        Err(e) => {
            tracing::warn!(
                "saved view {}: not a view file ({e}); starting with the default view",
                path.display()
            );
            None
        }
    }
}

/// Writes a view file atomically (temp file and rename), making its directory.
pub fn save(path: &Path, view: &ViewState) -> std::io::Result<()> {
    let bytes = serde_json::to_vec_pretty(view).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::feed::cache::write_atomic(path, &bytes)
}

/// Writes the view off the UI task: the latest view is written once it has
/// stayed unchanged for [`DEBOUNCE`], and at once when the saver is
/// finished (quit) or the file changes (another feed).
pub struct ViewSaver {
    tx: mpsc::UnboundedSender<(PathBuf, ViewState)>,
    task: JoinHandle<()>,
}

impl ViewSaver {
    /// Starts the saver's task.
    pub fn spawn() -> ViewSaver {
        let (tx, mut rx) = mpsc::unbounded_channel::<(PathBuf, ViewState)>();
        let task = tokio::spawn(async move {
            let mut pending: Option<(PathBuf, ViewState)> = None;
            loop {
                let next = match &pending {
                    Some(_) => match tokio::time::timeout(DEBOUNCE, rx.recv()).await {
                        Ok(next) => next,
                        Err(_) => {
                            write(pending.take()).await;
                            continue;
                        }
                    },
                    None => rx.recv().await,
                };
                let Some((path, view)) = next else {
                    // Finished: what is pending is written before the end.
                    write(pending.take()).await;
                    return;
                };
                if pending.as_ref().is_some_and(|(p, _)| *p != path) {
                    write(pending.take()).await;
                }
                pending = Some((path, view));
            }
        });
        ViewSaver { tx, task }
    }

    /// The view changed: write it to `path` once it settles.
    pub fn changed(&self, path: PathBuf, view: ViewState) {
        let _ = self.tx.send((path, view));
    }

    /// Writes what is pending and ends the task.
    pub async fn finish(self) {
        drop(self.tx);
        let _ = self.task.await;
    }
}

async fn write(pending: Option<(PathBuf, ViewState)>) {
    let Some((path, view)) = pending else {
        return;
    };
    let result = tokio::task::spawn_blocking(move || {
        let result = save(&path, &view);
        (path, result)
    })
    .await;
    match result {
        Ok((path, Err(e))) => {
            tracing::warn!("saved view {}: cannot write it: {e}", path.display());
        }
        Ok((path, Ok(()))) => tracing::debug!("saved the view to {}", path.display()),
        Err(e) => tracing::warn!("saving the view failed: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Display;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn app() -> App {
        App::new(
            "http://127.0.0.1:1".into(),
            false,
            Display::default(),
            chrono::Utc::now(),
        )
    }

    fn press(app: &mut App, c: char) {
        crate::app::update(
            app,
            crate::app::Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }

    /// A view changed by keys, saved to a real file and read back into a
    /// new dashboard, is the same view.
    #[test]
    fn a_saved_view_comes_back_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let mut before = app();
        press(&mut before, '4'); // conflicts
        press(&mut before, 's'); // by city
        press(&mut before, 'S'); // reversed
        press(&mut before, '/');
        for c in "ning".chars() {
            press(&mut before, c);
        }
        crate::app::update(
            &mut before,
            crate::app::Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let view = ViewState::of(&before);
        assert_eq!(view.pane, "Conflicts");
        assert_eq!(view.panes["Conflicts"].sort, "City");
        let path = path_in(dir.path(), "staging");
        save(&path, &view).unwrap();
        let mut after = app();
        load(&path).expect("read back").apply(&mut after);
        assert_eq!(after.focus, Pane::Conflicts);
        assert_eq!(after.lists.conflicts.sort, 1);
        assert!(after.lists.conflicts.reverse);
        assert_eq!(after.lists.conflicts.filter, "ning");
        assert_eq!(ViewState::of(&after), view);
        // Nothing but the view file is left in the directory (no temp file).
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("view-staging.json")]);
    }

    /// A broken, foreign or unreadable file is ignored: no view, no panic,
    /// and the dashboard keeps its defaults.
    #[test]
    fn a_broken_view_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path(), "prod");
        for broken in [
            &b"{\"pane\": "[..],
            b"\xff\xfe",
            b"[1, 2]",
            b"{\"pane\": 7}",
        ] {
            std::fs::write(&path, broken).unwrap();
            assert_eq!(load(&path), None, "{broken:?}");
        }
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        assert_eq!(load(&path), None, "a directory");
        assert_eq!(load(&dir.path().join("missing.json")), None);
        // Names it does not know (a pane or sort of another version) leave
        // the dashboard as it is.
        let mut app = app();
        let view: ViewState = serde_json::from_str(
            r#"{"pane": "Gantt", "panes": {"Cities": {"sort": "Colour", "reverse": true}}}"#,
        )
        .unwrap();
        view.apply(&mut app);
        assert_eq!(app.focus, Pane::Cities);
        assert_eq!(app.lists.cities.sort, 0);
        assert!(app.lists.cities.reverse);
    }

    /// Each feed has a file of its own; a URL's name is its hash.
    #[test]
    fn each_feed_has_its_own_file() {
        let dir = Path::new("/s");
        assert_ne!(path_in(dir, "prod"), path_in(dir, "staging"));
        let url = path_in(dir, "http://a:1");
        assert_ne!(url, path_in(dir, "http://a:2"));
        assert!(url.to_str().unwrap().starts_with("/s/view-"));
        assert_eq!(path_in(dir, "../x").parent(), Some(dir));
    }

    /// Changes in quick succession are written once, after they settle;
    /// finishing writes what is pending at once.
    #[tokio::test(start_paused = true)]
    async fn the_saver_writes_once_after_the_changes_settle() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path(), "prod");
        let saver = ViewSaver::spawn();
        let mut view = ViewState::default();
        for pane in ["Cities", "Partners", "Stores"] {
            view.pane = pane.into();
            saver.changed(path.clone(), view.clone());
            tokio::time::sleep(DEBOUNCE / 2).await;
        }
        assert!(!path.exists(), "nothing written while changes come");
        // The write itself runs on the blocking pool, outside the paused clock.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        tokio::time::sleep(DEBOUNCE).await;
        while !path.exists() {
            assert!(std::time::Instant::now() < deadline, "never written");
            tokio::task::yield_now().await;
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(load(&path).unwrap().pane, "Stores");
        view.pane = "Map".into();
        saver.changed(path.clone(), view);
        saver.finish().await;
        assert_eq!(load(&path).unwrap().pane, "Map", "written on finish");
    }
}
