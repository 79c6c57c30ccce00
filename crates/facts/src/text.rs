//! Text helpers shared by the recognisers: sentence spans, character
//! offsets and regular-expression alternations built from word lists.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Mutex, OnceLock};

use aho_corasick::AhoCorasick;
use regex_syntax::hir::{Hir, HirKind};

use crate::rule_regex::{BuildError, Regex};

/// A pattern that matches nothing, not even the empty string: what an
/// empty word list compiles to. Case folding is off inside it, since
/// folding the class of every character, when an enclosing `(?i)` asks
/// for it, took milliseconds per pattern.
pub const NOTHING: &str = r"(?-i:[^\s\S])";

/// The letters of the scripts Europe's languages are written in, for a
/// class of a word's letters in a rule built here (`[^{EUROPEAN_LETTERS}0-9_]`
/// for what is no word's). `\w` and `\p{L}` hold every script's: each
/// pattern with one took several times longer to compile and determinise.
pub const EUROPEAN_LETTERS: &str = r"\p{Latin}\p{Greek}\p{Cyrillic}";

/// A rule's pattern (a pack's, or the currency table's), compiled on the
/// first search that needs it. A run
/// used to compile every rule of every language it met, though many (the
/// words around a date, a law's other names, the packs read only for a
/// metadata date) are reached by few documents. The packs are compiled in,
/// and a test compiles every pattern that every pack's rules make, so a
/// broken one fails the tests, not a run.
///
/// Word boundaries are ASCII: Unicode `\b` makes the fast automaton give up
/// on non-ASCII text (all of French), and the slow one costs ten times
/// more. Callers check matches with [`is_boundary`], which is
/// Unicode-aware, where a letter such as `é` may touch them.
pub struct Pattern {
    source: String,
    large: bool,
    regex: OnceLock<Regex>,
    /// See [`Pattern::over`]: `None` for a pattern without such literals.
    needles: OnceLock<Option<AhoCorasick>>,
}

impl Pattern {
    pub fn new(source: impl Into<String>) -> Self {
        Self::uncompiled(source.into(), false)
    }

    /// For alternations of hundreds of words (the world's currency signs,
    /// the places that tell shared ones apart): their lazy DFA
    /// needs more than the default 2 MB cache, without which the regex
    /// falls back to an engine a thousand times slower. The cache grows
    /// only as far as the text needs.
    pub fn large(source: impl Into<String>) -> Self {
        Self::uncompiled(source.into(), true)
    }

    fn uncompiled(source: String, large: bool) -> Self {
        #[cfg(test)]
        MADE.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((source.clone(), large));
        Pattern {
            source,
            large,
            regex: OnceLock::new(),
            needles: OnceLock::new(),
        }
    }

    /// The pattern to search `text` with. Until it is compiled, a text
    /// that holds none of the literals every match needs gets a pattern
    /// that matches nothing instead. A run meets some languages in a few
    /// pages each and compiled all their packs' rules for them: on the
    /// article-extraction set, ten pages in three languages cost a quarter
    /// of what the run pays once. Most of a pack's patterns of
    /// institutions' names begin with the kinds of body (`Ministério`,
    /// `Tribunal`), which few of those pages hold; the other rules begin
    /// with classes and words in any case, which give no such literals, so
    /// they are searched directly: reading a pattern's literals costs a
    /// good share of compiling it, for nothing when it has none.
    pub fn over(&self, text: &str) -> &Regex {
        if let Some(regex) = self.regex.get() {
            return regex;
        }
        let needles = self.needles.get_or_init(|| {
            required_literals(&self.source).map(|literals| AhoCorasick::new(literals).expect("literals of a pattern"))
        });
        match needles {
            Some(needles) if !needles.is_match(text) => never(),
            // Compiled here, by `Deref`.
            _ => self,
        }
    }

    /// Compiles the pattern now and says what is wrong with it, for the
    /// tests that check every pack's patterns.
    #[cfg(test)]
    pub fn check(&self) -> Result<(), String> {
        compiled(&self.source, self.large)
            .map(drop)
            .map_err(|e| format!("{}: {e}", self.source))
    }
}

/// The source of every pattern made in this process, with its cache size:
/// the test that compiles every pack's patterns builds every pack's rules
/// and then compiles what they made, whichever struct holds it.
#[cfg(test)]
static MADE: Mutex<Vec<(String, bool)>> = Mutex::new(Vec::new());

/// What is wrong with each pattern made so far that does not compile.
#[cfg(test)]
pub fn made_patterns_errors() -> Vec<String> {
    let made = MADE.lock().unwrap_or_else(|e| e.into_inner()).clone();
    made.iter()
        .filter_map(|(source, large)| compiled(source, *large).err().map(|e| format!("{source}: {e}")))
        .collect()
}

impl std::ops::Deref for Pattern {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.regex.get_or_init(|| {
            compiled(&self.source, self.large).unwrap_or_else(|e| panic!("pattern {}: {e}", self.source))
        })
    }
}

/// A compiled pattern that matches nothing.
fn never() -> &'static Regex {
    static NEVER: OnceLock<Regex> = OnceLock::new();
    NEVER.get_or_init(|| Regex::new(NOTHING, None).expect("the pattern that matches nothing"))
}

/// Literals shorter than this are in nearly every text: searching for
/// them first would only delay the compiling.
const NEEDLE_MIN_BYTES: usize = 3;

/// Literals of which every match of `pattern` holds one, when its syntax
/// says so: a literal, or an alternation of them, that every match passes
/// through. `None` when some way through holds no literal of at least
/// [`NEEDLE_MIN_BYTES`] (a class, a case-insensitive word, an optional
/// part).
fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::parse(&ascii_boundaries(pattern)).ok()?;
    required(&hir).filter(|literals| literals.iter().all(|l| l.len() >= NEEDLE_MIN_BYTES))
}

fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Literal(literal) => Some(vec![literal.0.to_vec()]),
        HirKind::Capture(capture) => required(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => required(&repetition.sub),
        // Any part's literals will do: the ones whose shortest is longest
        // are the rarest in a text, and among equals the fewest.
        HirKind::Concat(parts) => parts.iter().filter_map(required).max_by_key(|literals| {
            let shortest = literals.iter().map(Vec::len).min().unwrap_or(0);
            (shortest, std::cmp::Reverse(literals.len()))
        }),
        HirKind::Alternation(branches) => branches
            .iter()
            .map(required)
            .collect::<Option<Vec<_>>>()
            .map(|each| each.concat()),
        _ => None,
    }
}

/// The pattern with the word boundaries rules mean: ASCII ones (see
/// [`Pattern`]).
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

/// Each pattern is compiled once per process: packs share many (numeric
/// and ISO dates, the checks around a date), and a run that meets seven
/// languages paid for each seven times. A clone shares the compiled
/// automata and has its own search caches. Only the packs' rules come
/// here, never a pattern made from a document's text: every pattern stays
/// for the whole run.
fn compiled(pattern: &str, large: bool) -> Result<Regex, Box<BuildError>> {
    static COMPILED: OnceLock<Mutex<HashMap<(String, bool), Regex>>> = OnceLock::new();
    let key = (pattern.to_string(), large);
    let cache = COMPILED.get_or_init(Mutex::default);
    if let Some(re) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(re.clone());
    }
    let re = Regex::new(&ascii_boundaries(pattern), large.then_some(16 << 20))?;
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, re.clone());
    Ok(re)
}

/// Builds a regex alternation that matches any of `words`, longest first
/// (so `millions` wins over `million`), with `'` matching the typographic
/// apostrophe too and a space matching any run of white space.
pub fn alternation<S: AsRef<str>>(words: &[S]) -> String {
    let mut words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    if words.is_empty() {
        return NOTHING.to_string();
    }
    let parts: Vec<String> = words.iter().map(|w| word_pattern(w)).collect();
    format!("(?:{})", parts.join("|"))
}

/// Like [`alternation`], for words that follow something else (`1er`,
/// `Fr.`): each ending with an ASCII letter or digit must end a word; one
/// ending otherwise (`1º`, `20.`) carries its own end.
pub fn ending_alternation<S: AsRef<str>>(words: &[S]) -> String {
    let mut words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    if words.is_empty() {
        return NOTHING.to_string();
    }
    let parts = words.iter().map(|w| {
        let end = if is_ascii_word(w.chars().next_back()) {
            r"\b"
        } else {
            ""
        };
        Edged::new(word_pattern(w), "", end)
    });
    format!("(?:{})", Edged::joined(parts))
}

/// Like [`alternation`], but each word must stand as a whole word: an edge
/// that is an ASCII letter or digit gets a word boundary. An edge that is
/// not (`sarà`, `à partir`, `Mio.`, `1º`) gets none, since the ASCII
/// boundary [`Pattern`] uses would never match there; callers check
/// their matches' edges with [`is_boundary`].
pub fn word_alternation<S: AsRef<str>>(words: &[S]) -> String {
    let mut words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    if words.is_empty() {
        return NOTHING.to_string();
    }
    format!("(?:{})", Edged::joined(words.iter().map(|w| Edged::word(w, false))))
}

/// Whether a word's edge is an ASCII letter or digit, where an ASCII word
/// boundary can stand.
fn is_ascii_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// One branch of an alternation: a pattern with what must come before and
/// after it (word boundaries, an abbreviation's optional dot).
pub struct Edged {
    pattern: String,
    before: &'static str,
    after: &'static str,
}

impl Edged {
    pub fn new(pattern: String, before: &'static str, after: &'static str) -> Self {
        Edged { pattern, before, after }
    }

    /// A whole word, as [`word_alternation`] writes one; with
    /// `optional_dot`, the stem of an abbreviation (`janv` of `janv.`),
    /// found with its dot or without.
    pub fn word(word: &str, optional_dot: bool) -> Self {
        let before = if is_ascii_word(word.chars().next()) { r"\b" } else { "" };
        let after = match (is_ascii_word(word.chars().next_back()), optional_dot) {
            (true, false) => r"\b",
            (true, true) => r"\b\.?",
            (false, false) => "",
            (false, true) => r"\.?",
        };
        Edged::new(word_pattern(word), before, after)
    }

    /// The branches as one alternation, in their order, each run of
    /// neighbours with the same edges written once around their patterns
    /// (`\b(?:May|June)\b` for `\bMay\b|\bJune\b`): the same matches in
    /// the same order of preference, in an automaton with a boundary
    /// check per run instead of two per word, which it determinises
    /// faster.
    pub fn joined(branches: impl Iterator<Item = Edged>) -> String {
        let mut runs: Vec<(&'static str, &'static str, Vec<String>)> = Vec::new();
        for b in branches {
            match runs.last_mut() {
                Some((before, after, patterns)) if *before == b.before && *after == b.after => patterns.push(b.pattern),
                _ => runs.push((b.before, b.after, vec![b.pattern])),
            }
        }
        runs.iter()
            .map(|(before, after, patterns)| match &patterns[..] {
                [one] => format!("{before}{one}{after}"),
                many => format!("{before}(?:{}){after}", many.join("|")),
            })
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// Like [`alternation`], but a word written in lower case matches in any
/// case (`loi`, `Loi`) while one with capitals matches as written (`Act`,
/// not the verb `act`).
pub fn case_aware_alternation<S: AsRef<str>>(words: &[S]) -> String {
    let (any_case, exact): (Vec<&str>, Vec<&str>) = words
        .iter()
        .map(AsRef::as_ref)
        .partition(|w| !w.chars().any(char::is_uppercase));
    format!("(?:(?i:{})|{})", alternation(&any_case), alternation(&exact))
}

/// A word or phrase as looked up in a pack's tables: lower case, one
/// apostrophe, single spaces (`Millions  d’euros` is `millions d'euros`).
pub fn word_key(s: &str) -> String {
    s.to_lowercase()
        .replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One literal word or phrase as a pattern, tolerant of apostrophe and
/// space variants.
pub fn word_pattern(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        match c {
            '\'' | '’' => out.push_str("['’]"),
            ' ' => out.push_str(r"\s+"),
            c => out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// Sentence byte ranges of `text`: a sentence ends at a line break, or at
/// `.`, `!`, `?` or `…` followed by white space and a capital, digit or
/// quote, unless the dot closes one of the language's abbreviations.
///
/// One pass over the text, without a copy of it: each run of end marks
/// and closing quotes (`?!»`) is read once, however long.
pub fn sentences(text: &str, abbreviations: &[String]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    while let Some(c) = text[pos..].chars().next() {
        if c == '\n' {
            push_trimmed(text, start..pos, &mut spans);
            start = pos;
            pos += 1;
        } else if ends_sentence(c) {
            let run_end = text[pos..].find(|c| !in_closing_run(c)).map_or(text.len(), |i| pos + i);
            if let Some(end) = end_after_run(text, start, pos..run_end, abbreviations) {
                push_trimmed(text, start..end, &mut spans);
                start = end;
            }
            pos = run_end;
        } else {
            pos += c.len_utf8();
        }
    }
    push_trimmed(text, start..text.len(), &mut spans);
    spans
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// End marks and what may close a sentence after them (`.»`, `?)`).
fn in_closing_run(c: char) -> bool {
    ends_sentence(c) || matches!(c, '»' | '"' | '”' | ')')
}

/// Where the sentence begun at `start` ends, when the closing `run` ends
/// it: the run is followed by a space and an opening character, and one of
/// its marks is not the dot of an abbreviation.
fn end_after_run(text: &str, start: usize, run: Range<usize>, abbreviations: &[String]) -> Option<usize> {
    let rest = &text[run.end..];
    let after_space = rest.chars().next().is_some_and(|c| c.is_whitespace() && c != '\n');
    let opens = rest
        .trim_start()
        .chars()
        .next()
        .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || matches!(n, '«' | '"' | '“' | '('));
    if !(after_space && opens) {
        return None;
    }
    // The word before a mark starts at the same place for every mark of
    // the run: the run holds no word separator.
    let word_start = text[start..run.start]
        .char_indices()
        .rfind(|(_, c)| is_word_separator(*c))
        .map_or(start, |(i, c)| start + i + c.len_utf8());
    let ends = text[run.clone()].char_indices().any(|(i, c)| {
        ends_sentence(c) && !(c == '.' && is_abbreviation(&text[word_start..run.start + i], abbreviations))
    });
    ends.then_some(run.end)
}

fn is_word_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | '\'' | '’')
}

fn is_abbreviation(word: &str, abbreviations: &[String]) -> bool {
    let mut chars = word.chars();
    let single_capital = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    single_capital || abbreviations.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Longer "sentences" (a page of one unpunctuated line) are cut at white
/// space, so that facts carry a readable context and the work per fact
/// stays bounded.
const MAX_SENTENCE_BYTES: usize = 1500;

fn push_trimmed(text: &str, range: Range<usize>, spans: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return;
    }
    let mut start = range.start + lead;
    let end = start + trimmed.len();
    while end - start > MAX_SENTENCE_BYTES {
        let cut = floor_boundary(text, start + MAX_SENTENCE_BYTES);
        let cut = text[start..cut].rfind(char::is_whitespace).map_or(cut, |i| start + i);
        let cut = if cut == start {
            start + MAX_SENTENCE_BYTES.min(end - start)
        } else {
            cut
        };
        let cut = ceil_boundary(text, cut);
        push_trimmed(text, start..cut, spans);
        start = cut;
    }
    let rest = &text[start..end];
    let lead = rest.len() - rest.trim_start().len();
    if !rest.trim().is_empty() {
        spans.push(start + lead..start + lead + rest.trim().len());
    }
}

/// True when `span` shares a byte with one of `ranges`, which are sorted
/// and disjoint (as the matches of one regex are): one binary search
/// instead of a scan of every range.
pub fn overlaps_any(ranges: &[Range<usize>], span: &Range<usize>) -> bool {
    let i = ranges.partition_point(|r| r.end <= span.start);
    ranges.get(i).is_some_and(|r| r.start < span.end && span.start < r.end)
}

/// Maps byte offsets of one text to character offsets, counting on from
/// the offset asked before: asked in text order (facts are), the text is
/// walked once, and nothing is stored (a table of every character cost
/// eight bytes each, the largest allocation on a long document).
pub struct CharOffsets<'t> {
    text: &'t [u8],
    byte: usize,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    pub fn new(text: &'t str) -> Self {
        Self {
            text: text.as_bytes(),
            byte: 0,
            chars: 0,
        }
    }

    /// The number of characters that start before `byte`.
    pub fn of(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if byte >= self.byte {
            self.chars += char_starts(&self.text[self.byte..byte]);
        } else {
            self.chars -= char_starts(&self.text[byte..self.byte]);
        }
        self.byte = byte;
        self.chars
    }
}

/// Characters starting in `bytes`: the bytes that do not continue one.
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

// Byte-offset steps that stay on character boundaries. Every offset
// computation on text goes through these: a fixed `+ 1` lands inside `–`,
// `€` or an NBSP, and slicing there panics.

/// The character that ends just before byte `pos`.
pub fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

/// The character that starts at byte `pos`.
pub fn char_after(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

/// The byte offset just past the character at `pos` (or `pos` at the end).
pub fn next_boundary(text: &str, pos: usize) -> usize {
    char_after(text, pos).map_or(pos, |c| pos + c.len_utf8())
}

/// The byte offset of the character that ends at `pos` (or `pos` at the start).
pub fn previous_boundary(text: &str, pos: usize) -> usize {
    char_before(text, pos).map_or(pos, |c| pos - c.len_utf8())
}

/// The largest character boundary at or before `pos` (clamped to the text).
pub fn floor_boundary(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// The smallest character boundary at or after `pos` (clamped to the text).
pub fn ceil_boundary(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos += 1;
    }
    pos
}

/// The at most `max_bytes` bytes of `text` before `pos`, cut at a
/// character boundary.
pub fn window_before(text: &str, pos: usize, max_bytes: usize) -> &str {
    &text[ceil_boundary(text, pos.saturating_sub(max_bytes))..pos]
}

/// True when the byte at `pos` does not continue a word (start or end of a
/// token boundary check that also treats digits as word characters).
pub fn is_boundary(text: &str, pos: usize) -> bool {
    let before = char_before(text, pos);
    let after = char_after(text, pos);
    !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_literals_every_match_needs_are_read_from_the_pattern() {
        let literals = |pattern: &str| {
            required_literals(pattern).map(|all| {
                all.iter()
                    .map(|l| String::from_utf8_lossy(l).into_owned())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            literals(r"(?P<name>(?:Autoridade|Agência) (?:Nacional )?\p{Lu}[\p{L}-]+)"),
            Some(vec!["Autoridade".to_string(), "Agência".to_string()])
        );
        // The longest literal of a sequence, past a class.
        assert_eq!(
            literals(r"[Mm]inistère (?:de la |du )\p{Lu}"),
            Some(vec!["inistère ".to_string()])
        );
        // A repeated part counts when it must occur once.
        assert_eq!(
            literals(r"(?:Court of ){1,2}\p{Lu}"),
            Some(vec!["Court of ".to_string()])
        );
        // Words in any case, optional parts, short literals: none.
        assert_eq!(literals(r"(?i)ministry of \p{Lu}"), None);
        assert_eq!(literals(r"(?:Court )?\p{Lu}+"), None);
        assert_eq!(literals(r"\p{Lu}+ a|Commission"), None);
        assert_eq!(literals(r"\bBundesamt\b"), Some(vec!["Bundesamt".to_string()]));
    }

    #[test]
    fn a_pattern_is_not_compiled_for_a_text_without_its_literals() {
        let pattern = Pattern::new(r"(?P<name>(?:Ministry|Court) of \p{Lu}\w+)");
        assert!(pattern.over("The minister spoke.").find("Ministry of Health").is_none());
        assert!(pattern.regex.get().is_none());
        let text = "The Ministry of Health said so.";
        assert_eq!(
            pattern.over(text).find(text).map(|m| m.as_str()),
            Some("Ministry of Health")
        );
        // Compiled, it is searched directly.
        assert!(pattern.over("The minister spoke.").find("Court of Appeal").is_some());
    }

    #[test]
    fn a_word_key_ignores_case_apostrophe_style_and_spacing() {
        assert_eq!(word_key("Millions  d’Euros"), "millions d'euros");
        assert_eq!(word_key(" Commissioner’s\nOffice "), "commissioner's office");
    }

    #[test]
    fn sentence_splitting() {
        let abbr = vec!["M".to_string(), "art".to_string()];
        let text = "Le 3 janv. la CNIL a parlé. M. Dupont, selon l'art. 5, répond! « Oui. »\nTitre\n\nFin… Suite";
        let got: Vec<&str> = sentences(text, &abbr).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            [
                "Le 3 janv. la CNIL a parlé.",
                "M. Dupont, selon l'art. 5, répond!",
                "« Oui. »",
                "Titre",
                "Fin…",
                "Suite"
            ]
        );
    }

    #[test]
    fn a_run_of_end_marks_ends_a_sentence_once() {
        let abbr = vec!["M".to_string()];
        let text = "Vraiment ?!?» Oui…… puis non. M.. Dupont. Fin";
        let got: Vec<&str> = sentences(text, &abbr).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["Vraiment ?!?»", "Oui…… puis non.", "M..", "Dupont.", "Fin"]);
    }

    #[test]
    fn overlong_sentences_are_cut_at_spaces() {
        let text = "mot ".repeat(1000);
        let spans = sentences(&text, &[]);
        assert!(spans.len() > 1);
        assert!(spans
            .iter()
            .all(|s| s.len() <= MAX_SENTENCE_BYTES && text[s.clone()].starts_with("mot")));
        let glued = "é".repeat(2000);
        assert!(sentences(&glued, &[])
            .iter()
            .all(|s| glued.is_char_boundary(s.start) && glued.is_char_boundary(s.end)));
    }

    #[test]
    fn alternation_prefers_longer_words() {
        let re = regex::Regex::new(&alternation(&["million", "millions d'euros"])).unwrap();
        assert_eq!(re.find("20 millions d’euros").unwrap().as_str(), "millions d’euros");
    }

    /// Words whose edges take the same boundaries share them, and match
    /// as if each carried its own: a longer word whose end is no word's
    /// end still gives way to a shorter one (`new` in `New Yorker`).
    #[test]
    fn shared_boundaries_match_as_each_word_s_own() {
        let words = ["new york", "à partir", "1º", "york", "new", "Mio.", "nov"];
        // Each word with its own boundaries, in the same longest-first order.
        let mut longest_first = words.to_vec();
        longest_first.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        let one_by_one: Vec<String> = longest_first
            .iter()
            .map(|w| {
                let edge = |c: Option<char>| if is_ascii_word(c) { r"\b" } else { "" };
                format!(
                    "{}{}{}",
                    edge(w.chars().next()),
                    word_pattern(w),
                    edge(w.chars().next_back())
                )
            })
            .collect();
        let shared = regex::Regex::new(&word_alternation(&words)).unwrap();
        let own = regex::Regex::new(&format!("(?:{})", one_by_one.join("|"))).unwrap();
        for text in ["New Yorker, new york", "à partirà Mio.x 1ºa", "nov. novel new-york"] {
            let found: Vec<&str> = shared.find_iter(text).map(|m| m.as_str()).collect();
            let expected: Vec<&str> = own.find_iter(text).map(|m| m.as_str()).collect();
            assert_eq!(found, expected, "{text}");
        }
        assert_eq!(
            word_alternation(&["may", "june", "à partir"]),
            r"(?:à\s+partir\b|\b(?:june|may)\b)"
        );
    }

    #[test]
    fn char_offsets_in_any_order() {
        let mut offsets = CharOffsets::new("é a€b");
        assert_eq!(
            [0, 2, 3, 4, 7, 8, 3, 1, 0].map(|byte| offsets.of(byte)),
            [0, 1, 2, 3, 4, 5, 2, 1, 0]
        );
    }
}
