//! `glaneur claims --format html`: one self-contained page (inline CSS
//! and SVG, nothing fetched) that shows a fact-checker, per story, the
//! dated claims of each source on a time axis, the disputed slots with
//! each source's sentence, then the agreed and single ones, and the
//! sources. The markup lives in `templates/claims.html`, compiled in: a
//! page and named fragments with `{{name}}` placeholders, filled here with
//! escaped text (plain substitution: no template language is needed for
//! a fixed layout, and no dependency).

use std::collections::HashMap;
use std::io::{self, Write};

use glaneur_claims::{Evidence, Slot, Source, Status, Story};
use serde_json::Value;

const TEMPLATE: &str = include_str!("../templates/claims.html");

/// Writes the report of `stories` as one HTML page.
pub fn render(stories: &[Story], out: &mut dyn Write) -> io::Result<()> {
    let template = Template::parse(TEMPLATE);
    let sources: usize = stories.iter().map(|s| s.sources.len()).sum();
    let disputed = stories
        .iter()
        .flat_map(|s| &s.slots)
        .filter(|slot| slot.status == Status::Disputed)
        .count();
    let summary = format!(
        "{} from {} (each document in one story); {} where sources disagree, shown first in each story.",
        plural(stories.len(), "story", "stories"),
        plural(sources, "source", "sources"),
        plural(disputed, "slot", "slots"),
    );
    let body: String = stories.iter().map(|story| render_story(&template, story)).collect();
    // With several stories, a list of them first, each with its tally.
    let contents = if stories.len() > 1 {
        let items: String = stories
            .iter()
            .map(|story| {
                let number = story.story.to_string();
                template.fill(
                    "contents-item",
                    &[
                        ("number", Text(&number)),
                        ("title", Text(&story.title)),
                        ("tally", Html(&tally(&template, story))),
                    ],
                )
            })
            .collect();
        template.fill("contents", &[("items", Html(&items))])
    } else {
        String::new()
    };
    let title = match stories {
        [story] => format!("Claims: {}", story.title),
        _ => "Claims across sources".to_string(),
    };
    let page = template.fill(
        "",
        &[
            ("title", Text(&title)),
            ("summary", Text(&summary)),
            ("contents", Html(&contents)),
            ("stories", Html(&body)),
        ],
    );
    out.write_all(page.as_bytes())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The page (named "") and its fragments, split at `<!-- fragment NAME -->`.
struct Template<'a> {
    fragments: HashMap<&'a str, &'a str>,
}

/// A placeholder's value: text to escape, or markup already built.
enum Piece<'a> {
    Text(&'a str),
    Html(&'a str),
}
use Piece::{Html, Text};

impl<'a> Template<'a> {
    fn parse(source: &'a str) -> Self {
        const MARK: &str = "<!-- fragment ";
        let mut fragments = HashMap::new();
        let mut parts = source.split(MARK);
        fragments.insert("", parts.next().unwrap_or(""));
        for part in parts {
            if let Some((name, body)) = part.split_once(" -->\n") {
                fragments.insert(name, body);
            }
        }
        Template { fragments }
    }

    /// The fragment with each `{{name}}` replaced by its piece (text
    /// escaped); a name without a piece is left empty.
    fn fill(&self, fragment: &str, pieces: &[(&str, Piece)]) -> String {
        let mut rest = self.fragments.get(fragment).copied().unwrap_or("");
        let mut out = String::with_capacity(rest.len() * 2);
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else {
                out.push_str(&rest[open..]);
                return out;
            };
            let name = &after[..close];
            match pieces.iter().find(|(n, _)| *n == name).map(|(_, p)| p) {
                Some(Text(text)) => escape_into(&mut out, text),
                Some(Html(html)) => out.push_str(html),
                None => {}
            }
            rest = &after[close + 2..];
        }
        out.push_str(rest);
        out
    }
}

/// HTML-escapes `text` (element content and quoted attribute values).
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Disputed => "disputed",
        Status::Agreed => "agreed",
        Status::Single => "single",
    }
}

fn render_story(template: &Template, story: &Story) -> String {
    let labels = SourceLabels::new(&story.sources);
    let slots_of = |status: Status, none: &str| {
        let slots: String = story
            .slots
            .iter()
            .filter(|s| s.status == status)
            .map(|slot| render_slot(template, slot, &labels))
            .collect();
        if slots.is_empty() {
            template.fill("none", &[("text", Text(none))])
        } else {
            slots
        }
    };
    let sources: String = story
        .sources
        .iter()
        .map(|s| render_source(template, s, &labels))
        .collect();
    let number = story.story.to_string();
    template.fill(
        "story",
        &[
            ("number", Text(&number)),
            ("title", Text(&story.title)),
            ("tally", Html(&tally(template, story))),
            ("timeline", Html(&timeline::render(template, story, &labels))),
            (
                "disputed",
                Html(&slots_of(Status::Disputed, "No two sources disagree.")),
            ),
            (
                "agreed",
                Html(&slots_of(Status::Agreed, "Nothing stated by several sources alike.")),
            ),
            (
                "single",
                Html(&slots_of(Status::Single, "Nothing stated by one source only.")),
            ),
            ("sources", Html(&sources)),
        ],
    )
}

/// How many slots of the story are disputed, agreed and single, as badges.
fn tally(template: &Template, story: &Story) -> String {
    [Status::Disputed, Status::Agreed, Status::Single]
        .into_iter()
        .map(|status| {
            let count = story.slots.iter().filter(|s| s.status == status).count().to_string();
            template.fill(
                "badge",
                &[("status", Text(status_name(status))), ("count", Text(&count))],
            )
        })
        .collect()
}

/// How a source is named on the page: its number in the story and its
/// site (or its doc when the site is unknown).
struct SourceLabels {
    labels: HashMap<String, String>,
}

impl SourceLabels {
    fn new(sources: &[Source]) -> Self {
        let labels = sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    s.doc.clone(),
                    format!("{}. {}", i + 1, s.site.as_deref().unwrap_or(&s.doc)),
                )
            })
            .collect();
        SourceLabels { labels }
    }

    fn of(&self, doc: &str) -> String {
        self.labels.get(doc).cloned().unwrap_or_else(|| doc.to_string())
    }
}

/// `date · decision · CNIL · Clearview AI`: what the slot is about.
fn slot_name(slot: &Slot) -> String {
    let mut parts = vec![slot.kind.replace('_', " "), slot.role.replace('_', " ")];
    parts.extend(slot.issuer.iter().cloned());
    parts.extend(slot.subject.iter().map(|s| format!("against {s}")));
    parts.join(" · ")
}

fn render_slot(template: &Template, slot: &Slot, labels: &SourceLabels) -> String {
    let rows: String = slot
        .values
        .iter()
        .flat_map(|value| {
            // The value heads its first statement; the others follow it.
            let shown = display_value(&slot.kind, &value.value);
            value
                .docs
                .iter()
                .enumerate()
                .map(move |(i, evidence)| (if i == 0 { shown.clone() } else { String::new() }, evidence))
        })
        .map(|(shown, evidence)| render_evidence(template, &shown, evidence, labels))
        .collect();
    template.fill(
        "slot",
        &[
            ("status", Text(status_name(slot.status))),
            ("name", Text(&slot_name(slot))),
            ("values", Html(&rows)),
        ],
    )
}

/// One source's statement: the value, the source, and the sentence with
/// the mention marked (the first place the mention's text occurs in it).
fn render_evidence(template: &Template, shown: &str, evidence: &Evidence, labels: &SourceLabels) -> String {
    let sentence = if evidence.sentence.is_empty() {
        evidence.text.as_str()
    } else {
        evidence.sentence.as_str()
    };
    let (before, mention, after) = match sentence
        .find(evidence.text.as_str())
        .filter(|_| !evidence.text.is_empty())
    {
        Some(at) => (
            &sentence[..at],
            &sentence[at..at + evidence.text.len()],
            &sentence[at + evidence.text.len()..],
        ),
        None => (sentence, "", ""),
    };
    template.fill(
        "slot-evidence",
        &[
            ("value", Text(shown)),
            ("source", Text(&labels.of(&evidence.doc))),
            ("before", Text(before)),
            ("mention", Text(mention)),
            ("after", Text(after)),
        ],
    )
}

fn render_source(template: &Template, source: &Source, labels: &SourceLabels) -> String {
    let title = source.title.as_deref().unwrap_or("(no title)");
    let title = match &source.url {
        Some(url) => template.fill("link", &[("url", Text(url)), ("text", Text(title))]),
        None => escaped(title),
    };
    template.fill(
        "source",
        &[
            ("doc", Text(&labels.of(&source.doc))),
            ("title", Html(&title)),
            ("site", Text(source.site.as_deref().unwrap_or("—"))),
            ("published", Text(source.published.as_deref().unwrap_or("—"))),
        ],
    )
}

fn escaped(text: &str) -> String {
    let mut out = String::new();
    escape_into(&mut out, text);
    out
}

/// A value as a reader writes it: `20,000,000 EUR per day`, `Art. 6, 12`,
/// `CNIL`, dates as ISO text.
fn display_value(kind: &str, value: &Value) -> String {
    match (kind, value) {
        (_, Value::String(s)) => s.clone(),
        ("amount", Value::Object(amount)) => {
            let number = amount.get("amount").and_then(Value::as_f64).map(grouped);
            let currency = amount.get("currency").and_then(Value::as_str).unwrap_or("");
            let per = amount.get("per").and_then(Value::as_str).map(|p| format!(" per {p}"));
            match number {
                Some(number) => format!("{number} {currency}{}", per.unwrap_or_default()),
                None => value.to_string(),
            }
        }
        ("gdpr_article", Value::Array(articles)) => {
            let articles: Vec<String> = articles.iter().map(article).collect();
            format!("Art. {}", articles.join(", "))
        }
        ("gdpr_article", single) => format!("Art. {}", article(single)),
        ("authority", Value::Object(authority)) => authority
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| value.to_string(), str::to_string),
        _ => value.to_string(),
    }
}

/// `17`, `17(1)`, `5(1)(a)` from an article value (or a bare number).
fn article(value: &Value) -> String {
    match value {
        Value::Object(parts) => {
            let mut text = parts.get("article").map_or_else(String::new, plain);
            for key in ["paragraph", "point"] {
                if let Some(part) = parts.get(key) {
                    text.push_str(&format!("({})", plain(part)));
                }
            }
            text
        }
        other => plain(other),
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `20000000` as `20,000,000`; fractions kept as they are.
pub(crate) fn grouped(number: f64) -> String {
    if number.fract() != 0.0 || number.abs() >= 1e15 {
        return number.to_string();
    }
    let digits = format!("{}", number.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if number < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// The dated slots of a story on a time axis, one row a source.
mod timeline {
    use super::{status_name, SourceLabels, Template, Text};
    use glaneur_calendar::{Day, PartialDate};
    use glaneur_claims::{Status, Story};

    const WIDTH: f64 = 1136.0;
    const LEFT: f64 = 210.0;
    const RIGHT: f64 = 40.0;
    const TOP: f64 = 52.0;
    const ROW: f64 = 52.0;
    const BOTTOM: f64 = 34.0;
    /// Two labels in a row closer than this (in pixels) are put one above
    /// and one below their marks.
    const LABEL_ROOM: f64 = 96.0;

    /// One dated statement: a source's value for a slot, as the span of
    /// days it covers (a single day, a month or a year).
    struct Mark {
        row: usize,
        first: i64,
        last: i64,
        status: Status,
        label: String,
        tip: String,
    }

    pub(super) fn render(template: &Template, story: &Story, labels: &SourceLabels) -> String {
        let rows: Vec<&str> = story.sources.iter().map(|s| s.doc.as_str()).collect();
        let mut marks = Vec::new();
        for slot in story.slots.iter().filter(|s| s.kind == "date") {
            for value in &slot.values {
                let Some((first, last)) = value.value.as_str().and_then(day_span) else {
                    continue;
                };
                for evidence in &value.docs {
                    let Some(row) = rows.iter().position(|d| *d == evidence.doc) else {
                        continue;
                    };
                    let text = value.value.as_str().unwrap_or_default();
                    marks.push(Mark {
                        row,
                        first,
                        last,
                        status: slot.status,
                        label: format!("{} {text}", slot.role.replace('_', " ")),
                        tip: format!("{}: {text} ({})", super::slot_name(slot), status_name(slot.status)),
                    });
                }
            }
        }
        if marks.is_empty() {
            return template.fill("none", &[("text", Text("No dated facts."))]);
        }
        let bands = disputed_spans(story);
        let first = marks.iter().map(|m| m.first).min().unwrap_or(0);
        let last = marks.iter().map(|m| m.last).max().unwrap_or(0);
        let pad = ((last - first) / 20).max(3);
        let axis = Axis {
            first: first - pad,
            last: last + pad + 1,
        };
        let height = TOP + ROW * rows.len() as f64 + BOTTOM;
        let row_y = |row: usize| TOP + ROW * row as f64 + ROW * 0.62;
        let row_lines: String = rows
            .iter()
            .enumerate()
            .map(|(i, doc)| {
                let y = num(row_y(i));
                template.fill(
                    "timeline-row",
                    &[
                        ("x1", Text(&num(LEFT))),
                        ("x2", Text(&num(WIDTH - RIGHT))),
                        ("y", Text(&y)),
                        ("text_y", Text(&num(row_y(i) + 4.0))),
                        ("source", Text(&labels.of(doc))),
                    ],
                )
            })
            .collect();
        let ticks: String = axis
            .ticks()
            .into_iter()
            .map(|(day, label)| {
                let x = num(axis.x(day));
                template.fill(
                    "timeline-tick",
                    &[
                        ("x", Text(&x)),
                        ("y1", Text(&num(TOP - 8.0))),
                        ("y2", Text(&num(height - BOTTOM + 4.0))),
                        ("text_y", Text(&num(height - 12.0))),
                        ("label", Text(&label)),
                    ],
                )
            })
            .collect();
        let mut previous_label: Option<(f64, bool)> = None;
        let bands: String = bands
            .iter()
            .map(|(name, first, last)| {
                let (x1, x2) = (axis.x(*first), axis.x(last + 1));
                // Labels of bands close together alternate between two lines.
                let centre = (x1 + x2) / 2.0;
                let lower = match previous_label {
                    Some((x, lower)) if (x - centre).abs() < 2.0 * LABEL_ROOM => !lower,
                    _ => false,
                };
                previous_label = Some((centre, lower));
                let tip = format!("{name}: the sources disagree");
                let label = format!("{} disputed", name.split(" · ").nth(1).unwrap_or(name));
                template.fill(
                    "timeline-band",
                    &[
                        ("tip", Text(&tip)),
                        ("x", Text(&num(x1 - 8.0))),
                        ("width", Text(&num(x2 - x1 + 16.0))),
                        ("top", Text(&num(TOP - 14.0))),
                        ("height", Text(&num(ROW * rows.len() as f64 + 10.0))),
                        ("label_x", Text(&num(centre))),
                        ("label_y", Text(&num(if lower { TOP - 18.0 } else { TOP - 31.0 }))),
                        ("label", Text(&label)),
                    ],
                )
            })
            .collect();
        // Disputed marks last, so that they are drawn on top.
        marks.sort_by_key(|m| (m.row, std::cmp::Reverse(m.status), m.first));
        let mut last_label: Vec<Option<(f64, bool)>> = vec![None; rows.len()];
        let mut drawn: Vec<(i64, String)> = Vec::new();
        for mark in &marks {
            let x1 = axis.x(mark.first);
            let x2 = axis.x(mark.last + 1);
            let centre = if mark.first == mark.last { x1 } else { (x1 + x2) / 2.0 };
            let y = row_y(mark.row);
            let below = match last_label[mark.row] {
                Some((x, below)) if (x - centre).abs() < LABEL_ROOM => !below,
                _ => false,
            };
            last_label[mark.row] = Some((centre, below));
            let label_y = if below { y + 20.0 } else { y - 11.0 };
            let status = status_name(mark.status);
            let svg = if mark.first == mark.last {
                template.fill(
                    "timeline-point",
                    &[
                        ("status", Text(status)),
                        ("tip", Text(&mark.tip)),
                        ("x", Text(&num(x1))),
                        ("y", Text(&num(y))),
                        ("label_y", Text(&num(label_y))),
                        ("label", Text(&mark.label)),
                    ],
                )
            } else {
                template.fill(
                    "timeline-span",
                    &[
                        ("status", Text(status)),
                        ("tip", Text(&mark.tip)),
                        ("x", Text(&num(x1))),
                        ("top", Text(&num(y - 6.0))),
                        ("width", Text(&num((x2 - x1).max(4.0)))),
                        ("label_x", Text(&num(centre))),
                        ("label_y", Text(&num(label_y))),
                        ("label", Text(&mark.label)),
                    ],
                )
            };
            drawn.push((if mark.status == Status::Disputed { 1 } else { 0 }, svg));
        }
        drawn.sort_by_key(|(order, _)| *order);
        let marks_svg: String = drawn.into_iter().map(|(_, svg)| svg).collect();
        template.fill(
            "timeline",
            &[
                ("width", Text(&num(WIDTH))),
                ("height", Text(&num(height))),
                ("label", Text("Dates stated by each source, on a time axis")),
                ("bands", super::Html(&bands)),
                ("rows", super::Html(&row_lines)),
                ("ticks", super::Html(&ticks)),
                ("marks", super::Html(&marks_svg)),
            ],
        )
    }

    /// Each disputed date slot's name and the days its values cover: the
    /// stretch of time the sources disagree on.
    fn disputed_spans(story: &Story) -> Vec<(String, i64, i64)> {
        story
            .slots
            .iter()
            .filter(|s| s.kind == "date" && s.status == Status::Disputed)
            .filter_map(|slot| {
                let spans: Vec<(i64, i64)> = slot
                    .values
                    .iter()
                    .filter_map(|v| v.value.as_str().and_then(day_span))
                    .collect();
                let first = spans.iter().map(|s| s.0).min()?;
                let last = spans.iter().map(|s| s.1).max()?;
                Some((super::slot_name(slot), first, last))
            })
            .collect()
    }

    fn num(x: f64) -> String {
        format!("{x:.1}")
    }

    /// The days `[first, last]` an ISO date covers: `2022` a year,
    /// `2022-10` a month, `2022-10-17` (or a longer timestamp) a day.
    fn day_span(iso: &str) -> Option<(i64, i64)> {
        let date = PartialDate::parse_iso_prefix(iso)?;
        Some((date.first_day().ordinal(), date.last_day().ordinal()))
    }

    /// Days since 1970-01-01 of a calendar day.
    fn days(year: i64, month: u32, day: u32) -> i64 {
        Day {
            year: year as i32,
            month: month as u8,
            day: day as u8,
        }
        .ordinal()
    }

    /// Year and month (1-12) of a day number.
    fn year_month(day: i64) -> (i64, u32) {
        let day = Day::from_ordinal(day);
        (i64::from(day.year), u32::from(day.month))
    }

    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];

    /// The time axis: days `[first, last)` across the plot's width.
    struct Axis {
        first: i64,
        last: i64,
    }

    impl Axis {
        fn x(&self, day: i64) -> f64 {
            let share = (day - self.first) as f64 / (self.last - self.first).max(1) as f64;
            LEFT + share * (WIDTH - LEFT - RIGHT)
        }

        /// About ten gridlines on month or year starts, or on days for a
        /// span of weeks.
        fn ticks(&self) -> Vec<(i64, String)> {
            let span = self.last - self.first;
            let mut ticks = Vec::new();
            if span <= 75 {
                let step = [1, 2, 7, 14].into_iter().find(|s| span / s <= 12).unwrap_or(14);
                let mut day = self.first;
                while day < self.last {
                    let (year, month) = year_month(day);
                    let date = day - days(year, month, 1) + 1;
                    ticks.push((day, format!("{date} {}", MONTHS[month as usize - 1])));
                    day += step;
                }
                return ticks;
            }
            let months = span / 30;
            let step = [1, 2, 3, 6, 12, 24, 60, 120]
                .into_iter()
                .find(|s| months / s <= 12)
                .unwrap_or(120);
            let (mut year, mut month) = year_month(self.first);
            loop {
                let day = days(year, month, 1);
                if day >= self.last {
                    return ticks;
                }
                let index = year * 12 + month as i64 - 1;
                if day >= self.first && index % step == 0 {
                    let label = if step >= 12 {
                        year.to_string()
                    } else {
                        format!("{} {year}", MONTHS[month as usize - 1])
                    };
                    ticks.push((day, label));
                }
                (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_date_covers_its_day_month_or_year() {
            assert_eq!(day_span("1970-01-01"), Some((0, 0)));
            assert_eq!(day_span("2022-10-17"), Some((19_282, 19_282)));
            assert_eq!(day_span("2024-02"), Some((days(2024, 2, 1), days(2024, 2, 29))));
            assert_eq!(day_span("2022"), Some((days(2022, 1, 1), days(2022, 12, 31))));
            assert_eq!(day_span("2022-10-17T09:30:00Z"), Some((19_282, 19_282)));
            assert_eq!(day_span("October"), None);
            assert_eq!(day_span("2022-13"), None);
        }

        #[test]
        fn day_numbers_give_back_their_year_and_month() {
            for day in [-800_000, -1, 0, 59, 19_282, 20_000, 800_000] {
                let (year, month) = year_month(day);
                assert!(days(year, month, 1) <= day && day < days(year, month, 1) + 31, "{day}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_take_escaped_text_or_markup() {
        let template = Template::parse("<p>{{a}}|{{b}}|{{missing}}</p>\n<!-- fragment x -->\n<i>{{a}}</i>\n");
        let page = template.fill("", &[("a", Text("<b>&\"'")), ("b", Html("<b>ok</b>"))]);
        assert_eq!(page, "<p>&lt;b&gt;&amp;&quot;&#39;|<b>ok</b>|</p>\n");
        assert_eq!(template.fill("x", &[("a", Text("1"))]), "<i>1</i>\n");
    }

    #[test]
    fn values_read_as_a_reader_writes_them() {
        let fine = serde_json::json!({"amount": 20000000, "currency": "EUR"});
        assert_eq!(display_value("amount", &fine), "20,000,000 EUR");
        let penalty = serde_json::json!({"amount": 100000.0, "currency": "EUR", "per": "day"});
        assert_eq!(display_value("amount", &penalty), "100,000 EUR per day");
        let articles = serde_json::json!([{"article": 6}, {"article": 17, "paragraph": 1}]);
        assert_eq!(display_value("gdpr_article", &articles), "Art. 6, 17(1)");
        assert_eq!(display_value("date", &serde_json::json!("2022-10")), "2022-10");
    }
}
