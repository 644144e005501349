//! End to end navigation: the real binary in a pseudo-terminal, against
//! `rollout-dash serve` on 127.0.0.1: `:city 宁波` typed key by key (the
//! Chinese characters as the terminal sends them, UTF-8) lands in Ningbo.

mod common;

use common::Server;
use common::pty::Dashboard;

#[test]
fn typing_city_ningbo_in_chinese_lands_in_ningbo() {
    let server = Server::start(&[]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[]);
    dashboard.wait_for("Suzhou");
    dashboard.send(b":");
    for c in "city 宁波".chars() {
        dashboard.send(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
    dashboard.wait_for(":city 宁波");
    dashboard.send(b"\r");
    let screen = dashboard.wait_for("funnel");
    // Ningbo's drill-down: its province, its stores (a Yinzhou 2S), and
    // none of Suzhou's.
    assert!(screen.contains("Ningbo"), "{screen}");
    assert!(screen.contains("Zhejiang"), "{screen}");
    assert!(screen.contains("Yinzhou"), "{screen}");
    assert!(!screen.contains("Suzhou"), "{screen}");
    // Esc goes back to the overview; :q quits.
    dashboard.send(b"\x1b");
    dashboard.wait_for("Store build-out");
    dashboard.send(b":q\r");
    assert!(dashboard.wait_exit().success());
}
