//! Which documents report the same event. Documents sharing a specific
//! key (a subject, a named entity of the title or lead, an amount, the
//! opening of the text) are candidate pairs; a pair joins when its shared
//! evidence is both specific and strong enough; stories are the connected
//! documents (union-find). Near-linear: keys shared by more than
//! `BLOCK_CAP` documents say nothing about one event and are ignored, so
//! no block is large.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use glaneur_calendar::PartialDate;

use crate::values::{article, fold, name};
use crate::Document;

/// A key shared by more documents than this is topic, not evidence of one
/// event (CNIL, RGPD, a common round sum): it neither pairs nor scores.
const BLOCK_CAP: usize = 200;
/// A headline word pairs the documents that share it only when this few
/// do: a headline is the same when it shares several, so a pair missed
/// here is found by its rarer words.
const TITLE_WORD_BLOCK_CAP: usize = 50;
/// Copies of one wire story can be many; a title shared by more is a
/// site's recurring heading.
const SYNDICATION_CAP: usize = 2000;
/// A title this short (in words) is a heading, not an identity.
const MIN_SYNDICATED_TITLE_WORDS: usize = 4;
/// The opening of a text compared for copies, and the least of it that
/// identifies one (shorter openings are furniture).
const LEAD_PRINT_CHARS: usize = 300;
const MIN_LEAD_PRINT_CHARS: usize = 200;
/// An event date counts when this close to the publication date.
const EVENT_DATE_DAYS: i64 = 14;
/// Reports of one event are published this close together.
const SAME_NEWS_CYCLE_DAYS: i64 = 3;
/// The least score of a pair that joins.
const JOIN_SCORE: f64 = 5.0;
/// Two headlines of one event: this many content words in common, and
/// this share of the shorter headline's.
const SAME_HEADLINE_WORDS: usize = 3;
const SAME_HEADLINE_SHARE: f64 = 0.5;
/// Roles of a sum that a sanction or ruling sets: the same one in two
/// documents is the same decision, where a price is only the same product.
const SANCTION_ROLES: &[&str] = &["fine", "periodic_penalty", "penalty_payment", "damages"];
/// Separators before a site's name in a title (`… | Site`, `… - Site`).
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " » "];

/// The keys of one document (or of a set of copies), by what they are,
/// each a sorted list of interned key ids.
#[derive(Default, Clone)]
struct Keys {
    subjects: Vec<u32>,
    entities: Vec<u32>,
    /// The names of the title alone (ids among `entities`).
    title_names: Vec<u32>,
    amounts: Vec<u32>,
    /// The amounts a sanction sets (ids among `amounts`).
    sanctions: Vec<u32>,
    /// Roled facts, as kind, role and value: what the document claims.
    claims: Vec<u32>,
    dates: Vec<u32>,
    authorities: Vec<u32>,
    articles: Vec<u32>,
    title_words: Vec<u32>,
    lead: Vec<u32>,
    published: Option<i64>,
    /// Content words of the title before keys too common are dropped.
    title_length: usize,
}

impl Keys {
    fn lists_mut(&mut self) -> [&mut Vec<u32>; 11] {
        [
            &mut self.subjects,
            &mut self.entities,
            &mut self.title_names,
            &mut self.amounts,
            &mut self.sanctions,
            &mut self.claims,
            &mut self.dates,
            &mut self.authorities,
            &mut self.articles,
            &mut self.title_words,
            &mut self.lead,
        ]
    }

    fn absorb(&mut self, other: &Keys) {
        let others = [
            &other.subjects,
            &other.entities,
            &other.title_names,
            &other.amounts,
            &other.sanctions,
            &other.claims,
            &other.dates,
            &other.authorities,
            &other.articles,
            &other.title_words,
            &other.lead,
        ];
        for (mine, theirs) in self.lists_mut().into_iter().zip(others) {
            mine.extend_from_slice(theirs);
            mine.sort_unstable();
            mine.dedup();
        }
        self.published = self.published.or(other.published);
        self.title_length = self.title_length.max(other.title_length);
    }
}

#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, key: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(key).or_insert(next)
    }

    fn ids(&mut self, prefix: &str, keys: impl IntoIterator<Item = String>) -> Vec<u32> {
        let mut ids: Vec<u32> = keys.into_iter().map(|k| self.id(format!("{prefix}{k}"))).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The stories of `docs`, as lists of indices into it, each document in
/// exactly one.
pub(crate) fn group(docs: &[Document]) -> Vec<Vec<usize>> {
    let mut interner = Interner::default();
    let mut keys: Vec<Keys> = docs.iter().map(|doc| keys_of(doc, &mut interner)).collect();
    let mut sets = UnionFind::new(docs.len());
    join_syndicated_titles(docs, &mut sets);

    // From here on each set of copies is one document: its first, holding
    // the keys of all, so that copies neither inflate blocks nor pair.
    for i in 0..docs.len() {
        let root = sets.find(i);
        if root != i {
            let copy = std::mem::take(&mut keys[i]);
            keys[root].absorb(&copy);
        }
    }
    let originals: Vec<usize> = (0..docs.len()).filter(|&i| sets.find(i) == i).collect();
    let mut frequency = vec![0u32; interner.ids.len()];
    for &i in &originals {
        let k = &mut keys[i];
        for list in k.lists_mut() {
            for &id in list.iter() {
                frequency[id as usize] += 1;
            }
        }
    }
    let specific = |id: &u32| (frequency[*id as usize] as usize) <= BLOCK_CAP;
    for &i in &originals {
        for list in keys[i].lists_mut() {
            list.retain(specific);
        }
    }

    for (a, b) in candidate_pairs(&originals, &keys, frequency.len()) {
        if joins(&keys[a], &keys[b]) {
            sets.union(a, b);
        }
    }

    let mut stories: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..docs.len() {
        stories.entry(sets.find(i)).or_default().push(i);
    }
    let mut stories: Vec<Vec<usize>> = stories.into_values().collect();
    stories.sort_by_key(|members| members[0]);
    stories
}

/// Copies of a wire story keep its title: documents with the same title
/// of a few words are one.
fn join_syndicated_titles(docs: &[Document], sets: &mut UnionFind) {
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let words = doc.title.as_deref().map(words).unwrap_or_default();
        if words.len() >= MIN_SYNDICATED_TITLE_WORDS {
            by_title.entry(words.join(" ")).or_default().push(i);
        }
    }
    for copies in by_title.values().filter(|c| c.len() <= SYNDICATION_CAP) {
        for pair in copies.windows(2) {
            sets.union(pair[0], pair[1]);
        }
    }
}

/// Every pair of documents sharing a blocking key (a subject, a named
/// entity, an amount, a title word, the opening of the text), once,
/// lower index first.
fn candidate_pairs(originals: &[usize], keys: &[Keys], key_count: usize) -> Vec<(usize, usize)> {
    let mut blocks: Vec<Vec<u32>> = vec![Vec::new(); key_count];
    let mut word_blocks: Vec<Vec<u32>> = vec![Vec::new(); key_count];
    for &i in originals {
        let k = &keys[i];
        let keys = k.subjects.iter().chain(&k.entities).chain(&k.amounts);
        for &id in keys.chain(&k.lead) {
            blocks[id as usize].push(i as u32);
        }
        for &id in &k.title_words {
            word_blocks[id as usize].push(i as u32);
        }
    }
    let word_blocks = word_blocks.into_iter().filter(|b| b.len() <= TITLE_WORD_BLOCK_CAP);
    let mut pairs: Vec<u64> = Vec::new();
    for block in blocks.into_iter().chain(word_blocks).filter(|b| b.len() >= 2) {
        for (n, &a) in block.iter().enumerate() {
            pairs.extend(block[n + 1..].iter().map(|&b| (u64::from(a) << 32) | u64::from(b)));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|p| ((p >> 32) as usize, (p & 0xffff_ffff) as usize))
        .collect()
}

/// Whether two documents report the same event. Topic alone (the same
/// authority, the same GDPR articles, common words) never joins: a pair
/// needs the same subject; or the same opening with a title word in
/// common (a copy under another title); or the same headline (most of
/// the shorter title's content words); or the same fine (or other sum a
/// sanction sets) with a name in common; or two sums, three names and a
/// title word in common (prices alone are shared by every shopping
/// guide); or two claims (the same articles breached, the same complaint
/// date), two names and a title word in common; and enough weight of
/// shared evidence on top.
fn joins(a: &Keys, b: &Keys) -> bool {
    let shared = |x: &[u32], y: &[u32]| common(x, y) as f64;
    let subjects = shared(&a.subjects, &b.subjects);
    let entities = shared(&a.entities, &b.entities);
    let amounts = shared(&a.amounts, &b.amounts);
    let sanctions = shared(&a.sanctions, &b.sanctions);
    let claims = shared(&a.claims, &b.claims);
    let dates = shared(&a.dates, &b.dates);
    let authorities = shared(&a.authorities, &b.authorities);
    let articles = shared(&a.articles, &b.articles);
    let title_words = shared(&a.title_words, &b.title_words);
    let copied_lead = shared(&a.lead, &b.lead) > 0.0 && title_words > 0.0;
    let shorter_title = a.title_length.min(b.title_length).max(1) as f64;
    let same_headline = title_words >= SAME_HEADLINE_WORDS as f64 && title_words / shorter_title >= SAME_HEADLINE_SHARE;
    let same_cycle = matches!((a.published, b.published), (Some(x), Some(y)) if (x - y).abs() <= SAME_NEWS_CYCLE_DAYS);

    // Titles naming different things (`… à Alphadata`, `… à Betamail`)
    // report different events, whatever else they share.
    let names_apart = |x: &Keys, y: &Keys| !x.title_names.is_empty() && common(&x.title_names, &y.entities) == 0;
    if subjects == 0.0 && !copied_lead && names_apart(a, b) && names_apart(b, a) {
        return false;
    }
    let specific = subjects > 0.0
        || copied_lead
        || same_headline
        || (sanctions > 0.0 && entities > 0.0)
        || (amounts >= 2.0 && entities >= 3.0 && title_words >= 1.0)
        || (claims >= 2.0 && entities >= 2.0 && title_words >= 1.0);
    let score = 4.0 * subjects.min(1.0)
        + 1.5 * entities.min(3.0)
        + 3.0 * amounts.min(2.0)
        + 1.5 * dates.min(2.0)
        + authorities.min(1.0)
        + 0.5 * articles.min(3.0)
        + title_words.min(4.0)
        + if same_cycle { 1.0 } else { 0.0 }
        + if copied_lead { 6.0 } else { 0.0 };
    specific && score >= JOIN_SCORE
}

/// The number of ids two sorted lists share.
fn common(x: &[u32], y: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn keys_of(doc: &Document, interner: &mut Interner) -> Keys {
    let published = doc.published.as_deref().and_then(day_number);
    let authority_words: Vec<String> = doc
        .facts
        .iter()
        .filter(|f| f.kind == "authority")
        .flat_map(|f| {
            words(&f.text)
                .into_iter()
                .chain(name(&f.value).map(words).unwrap_or_default())
        })
        .collect();
    let subjects = doc.facts.iter().filter_map(|f| f.subject.as_deref()).map(fold);
    let not_authority = |w: &String| !authority_words.contains(w);
    let title = doc.title.as_deref().map(headline).unwrap_or_default();
    let title_names = names(title).into_iter().filter(not_authority);
    let entities = doc
        .title
        .iter()
        .chain([&doc.lead])
        .flat_map(|t| names(t))
        .filter(not_authority);
    let amounts = doc
        .facts
        .iter()
        .filter(|f| f.kind == "amount")
        .filter_map(|f| amount_key(&f.value));
    let claims = doc
        .facts
        .iter()
        .filter(|f| f.kind != "authority")
        .filter_map(|f| Some((f, f.role.as_deref()?)))
        .filter(|(_, role)| !crate::slots::NOT_CLAIMS.contains(role))
        .map(|(f, role)| format!("{}|{role}|{}", f.kind, f.value));
    let sanctions = doc
        .facts
        .iter()
        .filter(|f| f.kind == "amount" && f.role.as_deref().is_some_and(|r| SANCTION_ROLES.contains(&r)))
        .filter_map(|f| amount_key(&f.value));
    let dates = doc
        .facts
        .iter()
        .filter(|f| f.kind == "date" && f.role.as_deref() != Some("publication"))
        .filter_map(|f| f.value.as_str())
        .filter(|date| date.len() == 10)
        .filter(|date| match (published, day_number(date)) {
            (Some(p), Some(d)) => d != p && (d - p).abs() <= EVENT_DATE_DAYS,
            (None, Some(_)) => true,
            _ => false,
        })
        .map(str::to_owned);
    let authorities = doc
        .facts
        .iter()
        .filter(|f| f.kind == "authority")
        .filter_map(|f| name(&f.value))
        .map(fold);
    let articles = doc
        .facts
        .iter()
        .filter(|f| f.kind == "gdpr_article")
        .filter_map(|f| article(&f.value))
        .map(|n| n.to_string());
    let title_words: Vec<String> = words(title)
        .into_iter()
        .filter(|w| w.chars().count() >= 3 && !function_words().contains(w.as_str()) && !authority_words.contains(w))
        .collect();
    let title_length = title_words.iter().collect::<HashSet<_>>().len();
    Keys {
        subjects: interner.ids("s:", subjects),
        entities: interner.ids("e:", entities),
        title_names: interner.ids("e:", title_names),
        amounts: interner.ids("m:", amounts),
        sanctions: interner.ids("m:", sanctions),
        claims: interner.ids("c:", claims),
        dates: interner.ids("d:", dates),
        authorities: interner.ids("a:", authorities),
        articles: interner.ids("g:", articles),
        title_words: interner.ids("t:", title_words),
        lead: interner.ids("l:", lead_print(&doc.lead)),
        published,
        title_length,
    }
}

/// The headline of a title: its longest part when separators set off
/// the site's name or section (`Headline | Site`, `Site - Headline`).
fn headline(title: &str) -> &str {
    let mut parts = vec![title];
    for separator in TITLE_SEPARATORS {
        parts = parts.iter().flat_map(|part| part.split(separator)).collect();
    }
    parts
        .into_iter()
        .max_by_key(|part| part.chars().count())
        .unwrap_or(title)
}

/// The function words of every language, folded: a headline's content is
/// in its other words, whatever the language its document got.
fn function_words() -> &'static HashSet<String> {
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| glaneur_articles::function_words().map(fold).collect())
}

/// The folded words of a text: runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The names of a text, folded: words capitalised inside a sentence, or
/// with more than one capital (`AI`, `iPhone`) anywhere. A capital that
/// only opens a sentence says nothing.
fn names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for sentence in text.split(['.', '!', '?', ':', '\n', '|', '«', '»', '"', '“', '”']) {
        let tokens = sentence.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty());
        for (position, token) in tokens.enumerate() {
            let capitals = token.chars().filter(|c| c.is_uppercase()).count();
            let opens_capitalised = token.chars().next().is_some_and(char::is_uppercase);
            let is_name = token.chars().count() >= 2
                && token.chars().any(char::is_alphabetic)
                && (capitals >= 2 || (position > 0 && opens_capitalised));
            if is_name {
                names.push(fold(token));
            }
        }
    }
    names
}

/// A sum as blocking and comparison see it: currency, period, and the
/// amount to three significant digits.
fn amount_key(value: &serde_json::Value) -> Option<String> {
    let amount = value["amount"].as_f64().filter(|a| *a > 0.0)?;
    let currency = value["currency"].as_str()?;
    let per = value["per"].as_str().unwrap_or("");
    Some(format!("{currency}/{per}/{amount:.2e}"))
}

/// The opening of a text, folded to its letters and digits, hashed; none
/// when too short to identify a copy.
fn lead_print(lead: &str) -> Option<String> {
    let letters: String = fold(lead)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(LEAD_PRINT_CHARS)
        .collect();
    (letters.chars().count() >= MIN_LEAD_PRINT_CHARS).then(|| {
        let mut hasher = DefaultHasher::new();
        letters.hash(&mut hasher);
        format!("{:x}", hasher.finish())
    })
}

/// Days since 1970-01-01 of an ISO `YYYY-MM-DD` (or longer) date.
fn day_number(iso: &str) -> Option<i64> {
    PartialDate::parse_iso_prefix(iso)
        .filter(|date| date.has_day())
        .map(|date| date.first_day().ordinal())
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins the sets of `a` and `b`; the lower root stays the root, so a
    /// set's root is its first document.
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}
