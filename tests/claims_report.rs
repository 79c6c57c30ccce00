//! The HTML claims report (`glaneur claims --format html`), built from
//! hand-made stories of the seeds' shape (a disputed decision date and
//! formal notice, an agreed fine, a disputed set of GDPR articles) and
//! opened in a real browser: headless Chromium takes a screenshot and
//! dumps the DOM it rendered. Without Chromium the browser checks are
//! skipped, unless GLANEUR_REQUIRE_CHROMIUM=1 (as in CI, which installs it).

#[path = "../src/claims_report.rs"]
mod claims_report;
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use glaneur_claims::{Evidence, Slot, SlotValue, Source, Status, Story};
use serde_json::{json, Value};

const DECISION_017: &str = "Le 17 octobre, la CNIL a prononcé une amende de 20 millions d'euros contre Clearview AI.";
const DECISION_020: &str = "La sanction, décidée le 20 octobre 2022, est assortie d'une astreinte.";
const DECISION_MONTH: &str = "En octobre 2022, la CNIL a sanctionné Clearview AI.";
const NOTICE_003: &str = "La CNIL avait mis la société en demeure le 26 novembre 2021.";
const NOTICE_000: &str = "Jeudi 16 décembre, la CNIL a mis en demeure Clearview AI de cesser la collecte.";
const ARTICLES_000: &str = "Les manquements portent sur les articles 12, 15 et 17 du RGPD.";
const ARTICLES_003: &str = "La CNIL relève des manquements aux articles 6, 12, 15 et 17 du RGPD.";

fn evidence(doc: &str, text: &str, sentence: &str) -> Evidence {
    let start = sentence.find(text).expect("the mention is in its sentence");
    Evidence {
        doc: doc.to_string(),
        text: text.to_string(),
        start,
        end: start + text.chars().count(),
        sentence: sentence.to_string(),
    }
}

fn slot(kind: &str, role: &str, issuer: Option<&str>, status: Status, values: Vec<(Value, Vec<Evidence>)>) -> Slot {
    Slot {
        kind: kind.to_string(),
        role: role.to_string(),
        issuer: issuer.map(str::to_string),
        subject: (kind != "gdpr_article").then(|| "Clearview AI".to_string()),
        status,
        values: values
            .into_iter()
            .map(|(value, docs)| SlotValue { value, docs })
            .collect(),
    }
}

fn source(doc: &str, title: &str, site: &str, published: Option<&str>) -> Source {
    Source {
        doc: doc.to_string(),
        title: Some(title.to_string()),
        site: Some(site.to_string()),
        url: Some(format!("https://{site}/article/{doc}")),
        published: published.map(str::to_string),
    }
}

/// The seeds as one story, as `shared/spec/claims.md` reads them.
fn seeds_story() -> Story {
    let fine = json!({"amount": 20000000, "currency": "EUR"});
    let fine_sentence = |doc: &str| {
        evidence(
            doc,
            "20 millions d'euros",
            &format!("{doc} : une amende de 20 millions d'euros."),
        )
    };
    Story {
        story: 1,
        docs: ["000", "001", "002", "003", "004"].map(str::to_string).to_vec(),
        title: "La CNIL inflige une amende de 20 millions d'euros à Clearview AI".to_string(),
        sources: vec![
            source(
                "000",
                "Mise en demeure de Clearview AI",
                "quotidien.example",
                Some("2022-01-03"),
            ),
            source(
                "001",
                "La Cnil a infligé l'amende maximale",
                "hebdo.example",
                Some("2022-10"),
            ),
            source("002", "Une nouvelle amende pour Clearview AI", "veille.example", None),
            // Text from an article is never markup on the page.
            source(
                "003",
                "<script>alert('x')</script> Clearview & co",
                "tribune.example",
                Some("2022-10-20"),
            ),
            source("004", "Clearview paiera-t-il ?", "journal.example", Some("2023-05-10")),
        ],
        slots: vec![
            slot(
                "date",
                "decision",
                Some("CNIL"),
                Status::Disputed,
                vec![
                    (json!("2022-10-17"), vec![evidence("001", "17 octobre", DECISION_017)]),
                    (
                        json!("2022-10-20"),
                        vec![evidence("003", "20 octobre 2022", DECISION_020)],
                    ),
                    (json!("2022-10"), vec![evidence("002", "octobre 2022", DECISION_MONTH)]),
                ],
            ),
            slot(
                "date",
                "formal_notice",
                Some("CNIL"),
                Status::Disputed,
                vec![
                    (
                        json!("2021-11-26"),
                        vec![evidence("003", "26 novembre 2021", NOTICE_003)],
                    ),
                    (
                        json!("2021-12-16"),
                        vec![evidence("000", "Jeudi 16 décembre", NOTICE_000)],
                    ),
                ],
            ),
            slot(
                "gdpr_article",
                "breached",
                None,
                Status::Disputed,
                vec![
                    (
                        json!([{"article": 12}, {"article": 15}, {"article": 17}]),
                        vec![evidence("000", "articles 12, 15 et 17", ARTICLES_000)],
                    ),
                    (
                        json!([{"article": 6}, {"article": 12}, {"article": 15}, {"article": 17}]),
                        vec![evidence("003", "articles 6, 12, 15 et 17", ARTICLES_003)],
                    ),
                ],
            ),
            slot(
                "amount",
                "fine",
                Some("CNIL"),
                Status::Agreed,
                vec![(fine, ["001", "002", "003", "004"].map(fine_sentence).to_vec())],
            ),
            slot(
                "amount",
                "periodic_penalty",
                Some("CNIL"),
                Status::Agreed,
                vec![(
                    json!({"amount": 100000, "currency": "EUR", "per": "day"}),
                    ["001", "002", "003"]
                        .map(|doc| {
                            evidence(
                                doc,
                                "100 000 euros par jour",
                                "Une astreinte de 100 000 euros par jour de retard.",
                            )
                        })
                        .to_vec(),
                )],
            ),
            slot(
                "amount",
                "penalty_payment",
                Some("CNIL"),
                Status::Single,
                vec![(
                    json!({"amount": 5200000, "currency": "EUR"}),
                    vec![evidence(
                        "002",
                        "5,2 millions d'euros",
                        "L'astreinte liquidée atteint 5,2 millions d'euros.",
                    )],
                )],
            ),
            slot(
                "date",
                "publication",
                None,
                Status::Single,
                vec![(
                    json!("2023-05-10"),
                    vec![evidence("004", "10 mai 2023", "Publié le 10 mai 2023.")],
                )],
            ),
        ],
    }
}

fn render(stories: &[Story]) -> String {
    let mut page = Vec::new();
    claims_report::render(stories, &mut page).unwrap();
    String::from_utf8(page).unwrap()
}

#[test]
fn the_page_needs_no_network_and_shows_article_text_as_text() {
    let page = render(&[seeds_story()]);
    for fetching in ["<script", "<link", "<img", "<iframe", "@import", "url(", "src="] {
        assert!(
            !page.contains(fetching),
            "the page would fetch or run something: {fetching}"
        );
    }
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Clearview &amp; co"));
    assert!(!page.contains("{{"), "every placeholder is filled");
}

#[test]
fn disputed_slots_come_first_with_each_sources_sentence_and_its_mention_marked() {
    let page = render(&[seeds_story()]);
    let disputed = page.find("<h3>Disputed</h3>").unwrap();
    let agreed = page.find("<h3>Agreed</h3>").unwrap();
    let notice = disputed
        + page[disputed..]
            .find("date · formal notice · CNIL · against Clearview AI")
            .unwrap();
    assert!(disputed < notice && notice < agreed);
    assert!(page.contains("<td class=\"value\">2022-10-17</td>"));
    assert!(page.contains("Le <mark>17 octobre</mark>, la CNIL a prononcé"));
    assert!(page.contains("Art. 6, 12, 15, 17"));
    let fine = page.find("20,000,000 EUR").unwrap();
    assert!(agreed < fine, "the agreed fine is after the disputed slots");
}

#[test]
fn every_dated_statement_is_on_its_sources_row_of_the_time_axis() {
    let page = render(&[seeds_story()]);
    let timeline = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap()];
    // Two disputed slots with 3 and 2 sources, one single one.
    assert_eq!(timeline.matches("<g class=\"disputed\">").count(), 5);
    assert_eq!(timeline.matches("<g class=\"single\">").count(), 1);
    assert!(
        timeline.contains("<rect class=\"span\""),
        "a date known to the month is a bar"
    );
    assert!(timeline.contains(">decision 2022-10-20<") && timeline.contains(">Nov 2021<"));
    assert_eq!(
        timeline.matches("<g class=\"band\">").count(),
        2,
        "each disputed date slot is a band"
    );
    assert_eq!(timeline.matches("class=\"row-label\"").count(), 5);
}

#[test]
fn a_story_without_dates_or_disputes_says_so() {
    let mut story = seeds_story();
    story.slots.retain(|s| s.status == Status::Agreed);
    let page = render(&[story]);
    assert!(page.contains("No dated facts."));
    assert!(page.contains("No two sources disagree."));
}

#[test]
fn several_stories_are_listed_first_with_their_tallies() {
    let mut other = seeds_story();
    other.story = 2;
    other.title = "Another event".to_string();
    other.slots.retain(|s| s.status != Status::Disputed);
    let page = render(&[seeds_story(), other]);
    let contents = page.find("<nav class=\"contents\">").unwrap();
    assert!(contents < page.find("id=\"story-1\"").unwrap());
    assert!(page.contains("<a href=\"#story-2\">Another event</a> <span class=\"badge disputed\">0 disputed</span>"));
    assert!(!render(&[seeds_story()]).contains("<nav"), "one story needs no list");
}

#[test]
fn the_claims_command_writes_the_page_for_articles() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let run = common::glaneur(
        &[
            "claims",
            "fixtures/seeds",
            "--format",
            "html",
            "--output",
            report.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains("<h2>Story 1: "));
}

/// Headless Chromium from the system (Debian's `chromium` package).
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
    if found.is_none() {
        assert!(
            std::env::var("GLANEUR_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "GLANEUR_REQUIRE_CHROMIUM=1 but no chromium: apt-get install chromium"
        );
        eprintln!("skipped: no chromium (apt-get install chromium)");
    }
    found.map(PathBuf::from)
}

/// Runs Chromium headless on `page` with `action` (`--screenshot=…` or
/// `--dump-dom`), its own profile, and a time limit; its standard output.
fn in_browser(browser: &Path, page: &Path, action: &str, profile: &Path) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(action)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium took over two minutes on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn chromium_renders_the_report_with_the_disputed_values_on_it() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, render(&[seeds_story()])).unwrap();

    let screenshot = dir.path().join("report.png");
    in_browser(
        &browser,
        &page,
        &format!("--screenshot={}", screenshot.display()),
        &dir.path().join("profile-1"),
    );
    let png = std::fs::read(&screenshot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    // A blank 1280×2000 page compresses to a few kilobytes; text, colour
    // and the time axis take far more.
    assert!(png.len() > 60_000, "the screenshot looks blank: {} bytes", png.len());
    if let Ok(keep) = std::env::var("GLANEUR_REPORT_SCREENSHOT") {
        std::fs::copy(&screenshot, keep).unwrap();
    }

    let dom = in_browser(&browser, &page, "--dump-dom", &dir.path().join("profile-2"));
    for shown in [
        "<mark>17 octobre</mark>",
        "<mark>20 octobre 2022</mark>",
        "<mark>Jeudi 16 décembre</mark>",
        "Art. 6, 12, 15, 17",
        "decision 2022-10-20",
        "20,000,000 EUR",
    ] {
        assert!(dom.contains(shown), "the rendered page shows {shown}");
    }
    assert!(!dom.contains("<script>alert"), "article text stays text in the browser");
}
