//! A key costs what is on screen, never what is in the feed. Measured as
//! the bytes a key and the frame after it allocate on this thread (exact
//! and repeatable, unlike time): the same with four times the stores and
//! sixteen times the findings in the city on screen.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollout_dash::app::{App, Display, Msg, Pane, Route, update};

/// Counts the bytes each thread allocates.
struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

fn count(bytes: usize) {
    let _ = ALLOCATED.try_with(|a| a.set(a.get().saturating_add(bytes)));
}

// SAFETY: every call is passed on to the system allocator unchanged; the
// count is a thread-local Cell with a const initializer (it never allocates).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The bytes `work` allocates on this thread.
fn allocated(work: impl FnOnce()) -> usize {
    let before = ALLOCATED.with(Cell::get);
    work();
    ALLOCATED.with(Cell::get) - before
}

fn press(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// A dashboard showing `stores` more stores at one point in Suzhou.
fn app_with(stores: usize) -> App {
    let fresh = common::fresh_from(&common::colocated(stores));
    let mut app = App::new(
        "http://127.0.0.1".into(),
        false,
        Display::default(),
        common::now(),
    );
    let first = common::fresh_event(&app, fresh);
    update(&mut app, first);
    app
}

/// What one key and its frame cost, in bytes, in each place a user can be.
fn costs(stores: usize) -> Vec<(&'static str, usize)> {
    let mut app = app_with(stores);
    let fresh = app.current.as_ref().unwrap();
    eprintln!(
        "{stores} stores at one point: {} findings, {} in Suzhou",
        fresh.analysis.findings.len(),
        fresh.index.city_findings("suzhou").len()
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut key_and_frame = |app: &mut App, code: KeyCode| {
        allocated(|| {
            press(app, code);
            terminal
                .draw(|frame| rollout_dash::ui::view(app, frame))
                .unwrap();
        })
    };
    let mut costs = Vec::new();
    app.focus = Pane::Conflicts;
    key_and_frame(&mut app, KeyCode::Char('g'));
    costs.push((
        "overview conflicts: j",
        key_and_frame(&mut app, KeyCode::Char('j')),
    ));
    costs.push(("overview: Tab", key_and_frame(&mut app, KeyCode::Tab)));
    // Suzhou's drill-down: its stores, then its conflicts.
    app.focus = Pane::Cities;
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.route(), Route::City(c) if c.as_str() == "suzhou"));
    key_and_frame(&mut app, KeyCode::Char('j'));
    costs.push((
        "city stores: j",
        key_and_frame(&mut app, KeyCode::Char('j')),
    ));
    costs.push((
        "city stores: G",
        key_and_frame(&mut app, KeyCode::Char('G')),
    ));
    costs.push(("city: Tab", key_and_frame(&mut app, KeyCode::Tab)));
    key_and_frame(&mut app, KeyCode::Tab);
    costs.push((
        "city conflicts: j",
        key_and_frame(&mut app, KeyCode::Char('j')),
    ));
    costs.push((
        "city conflicts: k",
        key_and_frame(&mut app, KeyCode::Char('k')),
    ));
    costs.push((
        "city conflicts: Enter",
        key_and_frame(&mut app, KeyCode::Enter),
    ));
    costs.push(("q", allocated(|| press(&mut app, KeyCode::Char('q')))));
    assert!(app.quit);
    costs
}

#[test]
fn keys_do_no_work_that_grows_with_the_data() {
    let small = costs(100);
    let large = costs(400);
    for ((what, small), (_, large)) in small.iter().zip(&large) {
        eprintln!("{what}: {small} bytes with 100 stores at one point, {large} with 400");
        // The text on screen differs a little (figures with more digits);
        // work that grew with the data would show four- to sixteen-fold.
        assert!(
            *large <= small + small / 2 + 4096,
            "{what}: {small} bytes with 100 stores at one point, {large} with 400"
        );
    }
}
