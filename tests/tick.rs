//! The age tick and a 304 change only the header: they are drawn over the
//! last full frame, never by rendering the whole screen again.

mod common;

use std::sync::Arc;

use chrono::Duration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use rollout_dash::app::{App, Display, Msg, Pane, update};
use rollout_dash::dashboard::{LastFrame, draw_all, draw_header};
use rollout_dash::feed::client::PollError;
use rollout_dash::ui;
use rollout_dash::worker::FeedEvent;

fn terminal(width: u16, height: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(width, height)).unwrap()
}

/// What a full render of `app` shows.
fn full(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = terminal(width, height);
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

fn rows(buffer: &Buffer, rows: std::ops::Range<u16>) -> Vec<String> {
    rows.map(|y| {
        (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect()
    })
    .collect()
}

/// The cells of some rows, styles included.
fn cells(buffer: &Buffer, rows: std::ops::Range<u16>) -> Vec<ratatui::buffer::Cell> {
    let width = usize::from(buffer.area.width);
    buffer.content[usize::from(rows.start) * width..usize::from(rows.end) * width].to_vec()
}

/// The rows where two buffers differ, for a readable failure.
fn differences(left: &Buffer, right: &Buffer) -> Vec<(u16, String, String)> {
    (0..left.area.height)
        .filter(|&y| cells(left, y..y + 1) != cells(right, y..y + 1))
        .map(|y| {
            (
                y,
                rows(left, y..y + 1).remove(0),
                rows(right, y..y + 1).remove(0),
            )
        })
        .collect()
}

#[test]
fn an_age_tick_draws_the_header_and_nothing_else() {
    let mut app = common::demo_app();
    let mut terminal = terminal(200, 60);
    let mut last: Option<LastFrame> = None;
    draw_all(&mut terminal, &app, &mut last).unwrap();
    let before = terminal.backend().buffer().clone();
    let header = ui::header_area(&app, before.area).unwrap();
    assert!(
        rows(&before, 0..1)[0].contains("10s ago"),
        "{:?}",
        rows(&before, 0..1)
    );

    // A probe: the body would look different if it were rendered again.
    app.focus = Pane::Map;
    assert_ne!(
        cells(&full(&app, 200, 60), header.bottom()..60),
        cells(&before, header.bottom()..60)
    );
    update(&mut app, Msg::Tick(common::now() + Duration::seconds(1)));
    draw_header(&mut terminal, &app, &mut last).unwrap();
    let after = terminal.backend().buffer().clone();
    assert!(
        rows(&after, 0..1)[0].contains("11s ago"),
        "{:?}",
        rows(&after, 0..1)
    );
    assert!(
        cells(&after, header.bottom()..60) == cells(&before, header.bottom()..60),
        "the tick rendered the body again"
    );
    assert_eq!(
        rows(&after, 0..header.bottom()),
        rows(&full(&app, 200, 60), 0..header.bottom())
    );
}

#[test]
fn the_header_drawn_alone_is_what_a_full_frame_shows() {
    for (width, height, display) in [
        (200, 60, Display::default()),
        (120, 40, Display::default()),
        (
            120,
            40,
            Display {
                ascii: true,
                ..Display::default()
            },
        ),
    ] {
        let mut app = common::demo_app();
        app.display = display;
        let mut terminal = terminal(width, height);
        let mut last = None;
        draw_all(&mut terminal, &app, &mut last).unwrap();
        // Ages that change the header's text length and form.
        for secs in [11, 59, 60, 61, 3_599, 3_600, 90_000, 12] {
            update(&mut app, Msg::Tick(common::now() + Duration::seconds(secs)));
            draw_header(&mut terminal, &app, &mut last).unwrap();
            assert_eq!(
                differences(terminal.backend().buffer(), &full(&app, width, height)),
                vec![],
                "{width}x{height} ascii {} at {secs}s",
                display.ascii
            );
        }
    }
}

#[test]
fn a_header_that_changes_height_is_drawn_with_everything() {
    let mut app = common::demo_app();
    let mut reference = terminal(120, 40);
    let mut terminal = terminal(120, 40);
    // The same steps drawn in full each time, as before header-only draws:
    // TestBackend keeps what a wide character leaves when the screen moves
    // up a line, so the reference goes through the same frames.
    let mut last = None;
    draw_all(&mut terminal, &app, &mut last).unwrap();
    reference.draw(|frame| ui::view(&app, frame)).unwrap();
    let at = common::now();
    // The STALE banner adds a line: everything below moves down.
    update(
        &mut app,
        Msg::Feed(FeedEvent::Failed {
            error: Arc::new(PollError::Status { status: 502 }),
            at,
            next_try_at: at + Duration::seconds(8),
        }),
    );
    draw_all(&mut terminal, &app, &mut last).unwrap();
    reference.draw(|frame| ui::view(&app, frame)).unwrap();
    // A 304 takes it away again: a header-only change as far as the loop knows.
    update(&mut app, Msg::Feed(FeedEvent::Unchanged { at }));
    draw_header(&mut terminal, &app, &mut last).unwrap();
    reference.draw(|frame| ui::view(&app, frame)).unwrap();
    assert_eq!(
        differences(terminal.backend().buffer(), reference.backend().buffer()),
        vec![]
    );
    assert!(
        !rows(terminal.backend().buffer(), 0..3)
            .join("")
            .contains("STALE")
    );
    // The help over the screen may cover the header: drawn in full.
    app.help = true;
    draw_all(&mut terminal, &app, &mut last).unwrap();
    reference.draw(|frame| ui::view(&app, frame)).unwrap();
    update(&mut app, Msg::Tick(at + Duration::seconds(3)));
    draw_header(&mut terminal, &app, &mut last).unwrap();
    reference.draw(|frame| ui::view(&app, frame)).unwrap();
    assert_eq!(
        differences(terminal.backend().buffer(), reference.backend().buffer()),
        vec![]
    );
}

#[test]
fn a_full_frame_after_headers_drawn_alone_shows_what_it_renders() {
    let mut app = common::demo_app();
    let mut terminal = terminal(120, 40);
    let mut last = None;
    draw_all(&mut terminal, &app, &mut last).unwrap();
    let first = terminal.backend().buffer().clone();
    for secs in [1, 2, 3] {
        update(&mut app, Msg::Tick(common::now() + Duration::seconds(secs)));
        draw_header(&mut terminal, &app, &mut last).unwrap();
    }
    assert!(rows(terminal.backend().buffer(), 0..1)[0].contains("13s ago"));
    // The clock as at the first frame again (a poll's answer resets the age
    // the same way): the header is the one ratatui drew last, not the one on
    // screen, so ratatui alone would leave "13s" there.
    app.now = common::now();
    draw_all(&mut terminal, &app, &mut last).unwrap();
    assert_eq!(
        differences(terminal.backend().buffer(), &first),
        vec![],
        "the screen is not the full frame"
    );
}
