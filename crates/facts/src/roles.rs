//! Roles: what each fact is *of* (a fine, a decision date, a breached
//! article, the authority that decides), who issued it and whom it is
//! against, read from the words of its own sentence with the pack's
//! `[roles]` lists (`shared/spec/claims.md`, Roles). Unknown stays `None`.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde::Deserialize;

use crate::lang::{CompoundHeads, LangPack, RoleWords};
use crate::text::{is_boundary, word_pattern, Pattern, NOTHING};
use crate::{Role, Value};

/// Roles whose fact has an author and a target: a sanction and its dates.
const SANCTION_ROLES: &[Role] = &[
    Role::Fine,
    Role::PeriodicPenalty,
    Role::PenaltyPayment,
    Role::Decision,
    Role::FormalNotice,
];

/// How far (in bytes) a trigger word may stand from the mention it names:
/// beyond that, a long sentence's words are about something else.
const TRIGGER_REACH: usize = 100;

/// How far (in bytes) before a mention a hypothetical word still makes it
/// a possibility (`l'amende pourrait atteindre 4 % du chiffre d'affaires,
/// soit 12 millions d'euros`).
const HYPOTHETICAL_REACH: usize = 60;

/// At most this many lower-case words stand between an authority and the
/// verb it is the subject of (`la CNIL française a infligé`).
const AGENT_GAP_WORDS: usize = 3;

/// At most this many lower-case words stand between a subject cue and the
/// name it introduces (`à l'encontre de la société américaine Clearview AI`).
const SUBJECT_GAP_WORDS: usize = 4;

/// At most this many lower-case words stand between a trigger and the sum
/// or date it names (`on a budget of $27 million`, `bis zum`).
const ATTACHED_GAP_WORDS: usize = 2;

/// The longest organisation name read, in words.
const NAME_WORDS: usize = 6;

/// What the roles pass decides for one fact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assigned {
    pub role: Option<Role>,
    pub issuer: Option<String>,
    pub subject: Option<String>,
}

/// A country's one data-protection authority, by ISO 3166 code
/// (`data/country_authorities.toml`).
fn country_authorities() -> &'static HashMap<String, String> {
    #[derive(Deserialize)]
    struct Table {
        authorities: HashMap<String, String>,
    }
    static TABLE: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str::<Table>(include_str!("../../../data/country_authorities.toml"))
            .expect("data/country_authorities.toml")
            .authorities
    })
}

/// One list of words as a case-insensitive regex; an entry ending in `*`
/// is a stem that matches any ending. The regex is compiled on first use:
/// a pack has some thirty lists, and the words around a fact often decide
/// its role before the later ones are read.
///
/// A stem's ending is read after the match, not by the regex: the class of
/// every letter and digit, written once per stem, was a tenth of what a
/// run spent compiling patterns. The list stays sorted longest first with
/// the `*` counted, so a stem wins over a word of the same letters, and a
/// match that spells a stem is one (see [`Words::word_end`]).
struct Words {
    words: Pattern,
    /// Matches a whole text that spells one of the stems.
    stems: Option<Pattern>,
}

impl Words {
    fn new(words: &[String]) -> Self {
        // An empty word or a bare `*` names no word, and would match the
        // empty text at every position: the search would never move on.
        let mut words: Vec<&String> = words.iter().filter(|w| !w.trim_end_matches('*').is_empty()).collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        let parts: Vec<String> = words
            .iter()
            .map(|w| word_pattern(w.strip_suffix('*').unwrap_or(w)))
            .collect();
        let stems: Vec<String> = words
            .iter()
            .filter_map(|w| w.strip_suffix('*'))
            .map(word_pattern)
            .collect();
        let pattern = if parts.is_empty() {
            NOTHING.to_string()
        } else {
            format!("(?i:{})", parts.join("|"))
        };
        Words {
            words: Pattern::new(pattern),
            stems: (!stems.is_empty()).then(|| Pattern::new(format!("^(?i:{})$", stems.join("|")))),
        }
    }

    /// Where the word matched at `matched` in `text` ends: when it spells
    /// one of the stems, at the end of the word it begins, as
    /// [`is_boundary`] sees words.
    fn word_end(&self, text: &str, matched: Range<usize>) -> usize {
        let is_stem = self
            .stems
            .as_ref()
            .is_some_and(|stems| stems.is_match(&text[matched.clone()]));
        if !is_stem {
            return matched.end;
        }
        text[matched.end..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(text.len(), |i| matched.end + i)
    }

    /// Whole-word matches in `text[span]`, as byte ranges of `text`.
    fn find(&self, text: &str, span: &Range<usize>) -> Vec<Range<usize>> {
        let slice = &text[span.clone()];
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(m) = self.words.find_at(slice, at) {
            let end = self.word_end(slice, m.range());
            at = end;
            let r = span.start + m.start()..span.start + end;
            if is_boundary(text, r.start)
                && is_boundary(text, r.end)
                && !text[r.clone()].starts_with(char::is_whitespace)
            {
                found.push(r);
            }
        }
        found
    }

    fn matches_whole(&self, word: &str) -> bool {
        self.words
            .find(word)
            .is_some_and(|m| m.start() == 0 && self.word_end(word, m.range()) == word.len())
    }
}

/// The compiled `[roles]` of one pack.
pub struct RoleRules {
    amount: Vec<(Role, Words)>,
    date: Vec<(Role, Words)>,
    refines: BTreeMap<Role, Role>,
    breached: Words,
    hypothetical: Words,
    per_unit: Words,
    issuer_verbs: Words,
    agent_words: Words,
    determiners: Words,
    list_words: Words,
    subject_words: Words,
    recipient_words: Words,
    passive_verbs: Words,
    passive_auxiliaries: Words,
    passive_marks: Words,
    countries: Words,
    country_codes: HashMap<String, String>,
    names_follow_verbs: bool,
    compound_heads: CompoundHeads,
    dateline_labels: Words,
}

impl RoleRules {
    pub fn new(pack: &LangPack) -> Self {
        let r: &RoleWords = &pack.roles;
        let lists = |m: &BTreeMap<Role, Vec<String>>| m.iter().map(|(role, w)| (*role, Words::new(w))).collect();
        RoleRules {
            amount: lists(&r.amount),
            date: lists(&r.date),
            refines: r.refines.clone(),
            breached: Words::new(&r.breached),
            hypothetical: Words::new(&r.hypothetical),
            per_unit: Words::new(&r.per_unit),
            issuer_verbs: Words::new(&r.issuer_verbs),
            agent_words: Words::new(&r.agent_words),
            determiners: Words::new(&r.determiners),
            list_words: Words::new(&r.list_words),
            subject_words: Words::new(&r.subject_words),
            recipient_words: Words::new(&r.recipient_words),
            passive_verbs: Words::new(&r.passive_verbs),
            passive_auxiliaries: Words::new(&r.passive_auxiliaries),
            passive_marks: Words::new(&r.passive_marks),
            countries: Words::new(&r.countries.iter().map(|c| c.text.clone()).collect::<Vec<_>>()),
            country_codes: r.countries.iter().map(|c| (fold(&c.text), c.country.clone())).collect(),
            names_follow_verbs: r.names_follow_verbs,
            compound_heads: r.compound_heads,
            dateline_labels: Words::new(&pack.dates.dateline_labels),
        }
    }

    /// The role, issuer and subject of each of `facts` (byte spans of
    /// `text`), all in the sentence `sentence`.
    pub fn assign(&self, text: &str, sentence: &Range<usize>, facts: &[(Range<usize>, &Value)]) -> Vec<Assigned> {
        let clauses = Clauses::of(text, sentence);
        let triggers = |lists: &[(Role, Words)]| -> Vec<(Range<usize>, Role)> {
            lists
                .iter()
                .flat_map(|(role, w)| w.find(text, sentence).into_iter().map(|r| (r, *role)))
                .filter(|(r, _)| !in_compound(text, r, self.compound_heads))
                .collect()
        };
        let amount_triggers = triggers(&self.amount);
        // `vom 27.07. bis zum 20.08.2020`: a trigger that joins two dates
        // is the connector of their range (`bis zum`), not a word about
        // either of them.
        let spans_of = |kind: &str| -> Vec<&Range<usize>> {
            facts
                .iter()
                .filter(|(_, v)| v.kind() == kind)
                .map(|(span, _)| span)
                .collect()
        };
        let dates = spans_of("date");
        // `Vom 19. bis zum 27. November`: so is one after a day alone.
        let joins_two_dates = |r: &Range<usize>| {
            (ends_with_day(&text[sentence.start..r.start])
                || dates
                    .iter()
                    .any(|d| d.end <= r.start && text[d.end..r.start].trim().is_empty()))
                && dates
                    .iter()
                    .any(|d| r.end <= d.start && text[r.end..d.start].trim().is_empty())
        };
        let date_triggers: Vec<(Range<usize>, Role)> = triggers(&self.date)
            .into_iter()
            .filter(|(r, _)| !joins_two_dates(r))
            .collect();
        let hypothetical = self.hypothetical.find(text, sentence);
        let authorities: Vec<(Range<usize>, &str)> = facts
            .iter()
            .filter_map(|(span, v)| match v {
                Value::Authority(a) => Some((span.clone(), a.name.as_str())),
                _ => None,
            })
            .collect();
        let countries: Vec<(Range<usize>, &str)> = self
            .countries
            .find(text, sentence)
            .into_iter()
            .filter_map(|r| {
                let code = self.country_codes.get(&fold(&text[r.clone()]))?;
                Some((r, country_authorities().get(code)?.as_str()))
            })
            .collect();
        let sanction_words: Vec<Range<usize>> = amount_triggers
            .iter()
            .chain(&date_triggers)
            .filter(|(_, role)| SANCTION_ROLES.contains(role))
            .map(|(r, _)| r.clone())
            .collect();
        let amounts = spans_of("amount");
        // `$2.53 per diluted share, as revenue rose`: a sum per share is a
        // price or has no role, whatever its clause is about.
        let per_unit = if amounts.is_empty() {
            Vec::new()
        } else {
            self.per_unit.find(text, sentence)
        };
        let is_per_unit = |span: &Range<usize>| {
            per_unit
                .iter()
                .any(|u| u.start >= span.end && text[span.end..u.start].trim().is_empty())
        };
        // `making $320,000 on a budget of $27 million`, `am 01.01.1969 …
        // bis zum 01.11.1972`: a trigger that names the fact right after it
        // is that fact's, not its neighbours'.
        let amount_named = self.named_facts(text, &amount_triggers, &amounts);
        let date_named = self.named_facts(text, &date_triggers, &dates);
        let roles: Vec<Option<Role>> = facts
            .iter()
            .map(|(span, value)| match value {
                Value::Amount(_) => {
                    let triggers = self.triggers_of(text, span, &amount_triggers, &amount_named);
                    self.nearest_role(span, &triggers, &clauses, &hypothetical)
                        .filter(|role| *role == Role::Price || !is_per_unit(span))
                }
                Value::Date(_) => self.publication(text, sentence, span).or_else(|| {
                    let triggers = self.triggers_of(text, span, &date_triggers, &date_named);
                    self.nearest_role(span, &triggers, &clauses, &hypothetical)
                }),
                Value::GdprArticle(_) => Some(self.article_role(text, sentence, span, &clauses, &hypothetical)),
                Value::Authority(_) => None,
            })
            .collect();
        let is_sanction = |role: &Option<Role>| role.is_some_and(|r| SANCTION_ROLES.contains(&r));
        let any_sanction = roles.iter().any(is_sanction);
        // Agents and subjects cost most: read them only where they are asked.
        let agents = if any_sanction || !authorities.is_empty() {
            self.agents(text, sentence, &clauses, &authorities, &countries, &hypothetical)
        } else {
            Vec::new()
        };
        let subjects = if any_sanction {
            // No fact, country or trigger word (a capitalised noun:
            // `Bußgeld`) is the one a sanction is against.
            let not_subjects: Vec<Range<usize>> = facts
                .iter()
                .map(|(s, _)| s.clone())
                .chain(countries.iter().map(|(s, _)| s.clone()))
                .chain(amount_triggers.iter().chain(&date_triggers).map(|(s, _)| s.clone()))
                .collect();
            self.subjects(text, sentence, &clauses, &sanction_words, &not_subjects)
        } else {
            Vec::new()
        };

        facts
            .iter()
            .zip(roles)
            .map(|((span, value), role)| {
                let role = match value {
                    Value::Authority(_) => {
                        let agent = agents
                            .iter()
                            .any(|a| a.span == *span && a.agent_of_sanction(&sanction_words, &clauses));
                        Some(if agent { Role::Issuer } else { Role::Other })
                    }
                    _ => role,
                };
                let sanction = is_sanction(&role);
                Assigned {
                    role,
                    issuer: sanction
                        .then(|| {
                            nearest(
                                span,
                                agents
                                    .iter()
                                    .filter(|a| a.applies_to(span, &clauses))
                                    .map(|a| (&a.anchor, a.name.as_str())),
                            )
                        })
                        .flatten()
                        .map(String::from),
                    subject: sanction
                        .then(|| {
                            nearest(
                                span,
                                subjects
                                    .iter()
                                    .filter(|s| clauses.same(&s.start, span))
                                    .map(|s| (s, &text[s.clone()])),
                            )
                        })
                        .flatten()
                        .map(String::from),
                }
            })
            .collect()
    }

    /// For each trigger, the fact among `facts` (in text order) it names:
    /// the next one after it, when [`Self::is_attached`] to it.
    fn named_facts<'f>(
        &self,
        text: &str,
        triggers: &[(Range<usize>, Role)],
        facts: &[&'f Range<usize>],
    ) -> Vec<Option<&'f Range<usize>>> {
        triggers
            .iter()
            .map(|(trigger, _)| {
                facts
                    .iter()
                    .copied()
                    .find(|fact| fact.start >= trigger.end)
                    .filter(|fact| self.is_attached(&text[trigger.end..fact.start]))
            })
            .collect()
    }

    /// The triggers that may name the fact at `span`: those that name no
    /// fact right after them (`named`, one for each trigger), and those
    /// that name this one or one it stands [`Self::beside`].
    fn triggers_of(
        &self,
        text: &str,
        span: &Range<usize>,
        triggers: &[(Range<usize>, Role)],
        named: &[Option<&Range<usize>>],
    ) -> Vec<(Range<usize>, Role)> {
        triggers
            .iter()
            .zip(named)
            .filter(|(_, fact)| fact.is_none_or(|f| f == span || self.beside(text, f, span)))
            .map(|(trigger, _)| trigger.clone())
            .collect()
    }

    /// Whether `gap`, between a trigger and a fact, joins them: a few
    /// lower-case words at most (`of`, `de`, `von rund`), none of them a
    /// list word (in `$5 million in fines and $3 million`, `fines` is the
    /// first sum's).
    fn is_attached(&self, gap: &str) -> bool {
        let words: Vec<&str> = gap.split_whitespace().take(ATTACHED_GAP_WORDS + 1).collect();
        words.len() <= ATTACHED_GAP_WORDS
            && words.iter().all(|w| {
                w.chars().all(|c| c.is_lowercase() || c == '\'' || c == '’') && !self.list_words.matches_whole(w)
            })
    }

    /// Whether `fact` follows `of` as the same sum in brackets (`775
    /// Millionen Dollar (692 Mio Euro)`) or the next of a list (`fines of
    /// €5m and €3m`): a trigger that names one names both.
    fn beside(&self, text: &str, of: &Range<usize>, fact: &Range<usize>) -> bool {
        of.end <= fact.start && {
            let gap = text[of.end..fact.start].trim();
            gap == "(" || self.list_words.matches_whole(gap)
        }
    }

    /// The role of the trigger nearest to `span` in its clause, unless a
    /// hypothetical stands just before the mention; a role that refines
    /// another wins wherever it stands in the clause.
    fn nearest_role(
        &self,
        span: &Range<usize>,
        triggers: &[(Range<usize>, Role)],
        clauses: &Clauses,
        hypothetical: &[Range<usize>],
    ) -> Option<Role> {
        if clauses.hypothetical(span, hypothetical) {
            return None;
        }
        let near: Vec<&(Range<usize>, Role)> = triggers
            .iter()
            .filter(|(r, _)| clauses.same(&r.start, span) && distance(r, span) <= TRIGGER_REACH && !overlaps(r, span))
            .collect();
        // The nearest trigger wins; at equal distance, the longer one
        // (`daily penalty` over `penalty`).
        let nearest = near
            .iter()
            .min_by_key(|(r, _)| (distance(r, span), std::cmp::Reverse(r.len())))?
            .1;
        let refined = self
            .refines
            .iter()
            .find(|(fine, coarse)| **coarse == nearest && near.iter().any(|(_, r)| r == *fine))
            .map(|(fine, _)| *fine);
        Some(refined.unwrap_or(nearest))
    }

    /// The article's own dateline: a date alone on its line, or after a
    /// dateline label at the start of its sentence.
    fn publication(&self, text: &str, sentence: &Range<usize>, span: &Range<usize>) -> Option<Role> {
        let before = text[sentence.start..span.start].trim();
        let after = text[span.end..sentence.end].trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        let labelled = !before.is_empty() && self.dateline_labels.matches_whole(before.trim_end_matches(':').trim());
        (labelled || (before.is_empty() && after.is_empty())).then_some(Role::Publication)
    }

    fn article_role(
        &self,
        text: &str,
        sentence: &Range<usize>,
        span: &Range<usize>,
        clauses: &Clauses,
        hypothetical: &[Range<usize>],
    ) -> Role {
        let breached = !clauses.hypothetical(span, hypothetical)
            && self
                .breached
                .find(text, sentence)
                .iter()
                .any(|r| clauses.same(&r.start, span) && distance(r, span) <= TRIGGER_REACH);
        if breached {
            Role::Breached
        } else {
            Role::Cited
        }
    }

    /// The authorities (and countries standing for their one authority) in
    /// agent position: the subject of an issuing verb, or named after an
    /// agent word (`par la CNIL`, `par le Royaume-Uni (…), l'Italie et la
    /// Grèce`).
    fn agents(
        &self,
        text: &str,
        sentence: &Range<usize>,
        clauses: &Clauses,
        authorities: &[(Range<usize>, &str)],
        countries: &[(Range<usize>, &str)],
        hypothetical: &[Range<usize>],
    ) -> Vec<Agent> {
        let verbs = self.issuer_verbs.find(text, sentence);
        let agent_words = self.agent_words.find(text, sentence);
        let named: Vec<&(Range<usize>, &str)> = authorities.iter().chain(countries).collect();
        let mut agents = Vec::new();
        for (span, name) in authorities {
            let verb = verbs.iter().find(|v| {
                v.start >= span.end
                    && clauses.same(&v.start, span)
                    && self.agent_gap(text, span.end..v.start, &named)
                    && !hypothetical.iter().any(|h| h.start >= span.end && h.end <= v.start)
            });
            if let Some(verb) = verb {
                agents.push(Agent {
                    span: span.clone(),
                    anchor: verb.clone(),
                    name: name.to_string(),
                    named_after_agent_word: false,
                });
            }
        }
        for (span, name) in &named {
            let by = agent_words.iter().rev().find(|w| {
                w.end <= span.start && clauses.same(&w.start, span) && self.list_gap(text, w.end..span.start, &named)
            });
            if by.is_some() {
                agents.push(Agent {
                    span: span.clone(),
                    anchor: span.clone(),
                    name: name.to_string(),
                    named_after_agent_word: true,
                });
            }
        }
        agents
    }

    /// Between an authority and its verb: a parenthesis (`(Cnil)`), a
    /// comma, and a few lower-case words (`française a`, `avait déjà`).
    fn agent_gap(&self, text: &str, gap: Range<usize>, named: &[&(Range<usize>, &str)]) -> bool {
        let rest = without_parentheses_and(text, gap, named);
        let words: Vec<&str> = rest
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        words.len() <= AGENT_GAP_WORDS
            && words
                .iter()
                .all(|w| w.chars().all(|c| c.is_lowercase() || c == '\'' || c == '’' || c == '-'))
    }

    /// Between an agent word and a name: determiners, list words and other
    /// names with their parentheses (`le Royaume-Uni (8,5 M€), l'Italie et la`).
    fn list_gap(&self, text: &str, gap: Range<usize>, named: &[&(Range<usize>, &str)]) -> bool {
        let rest = without_parentheses_and(text, gap, named);
        tokens(&rest)
            .iter()
            .all(|t| self.determiners.matches_whole(t) || self.list_words.matches_whole(t))
    }

    /// Names of organisations in subject position: after a subject cue,
    /// after a recipient word or an issuing verb that follows a sanction
    /// word, or before a passive sanction verb.
    fn subjects(
        &self,
        text: &str,
        sentence: &Range<usize>,
        clauses: &Clauses,
        sanction_words: &[Range<usize>],
        not_subjects: &[Range<usize>],
    ) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        for cue in self.subject_words.find(text, sentence) {
            found.extend(name_after(text, cue.end, sentence.end, SUBJECT_GAP_WORDS));
        }
        let verbs = self.issuer_verbs.find(text, sentence);
        if self.names_follow_verbs {
            for verb in &verbs {
                found.extend(name_after(text, verb.end, sentence.end, SUBJECT_GAP_WORDS));
            }
        }
        for cue in self.recipient_words.find(text, sentence) {
            let after_sanction = sanction_words
                .iter()
                .chain(&verbs)
                .any(|w| w.end <= cue.start && clauses.same(&w.start, &cue));
            if after_sanction {
                found.extend(name_after(text, cue.end, sentence.end, 0));
            }
        }
        for verb in self.passive_verbs.find(text, sentence) {
            found.extend(self.name_before_passive(text, sentence.start, verb.start));
        }
        found
            .into_iter()
            .filter_map(|r| self.without_leading_determiners(text, r))
            .filter(|r| !not_subjects.iter().any(|f| overlaps(f, r)))
            .collect()
    }

    /// A name without the capitalised article that starts its sentence
    /// (`A Uber` → `Uber`); nothing when only the article is left.
    fn without_leading_determiners(&self, text: &str, name: Range<usize>) -> Option<Range<usize>> {
        let mut start = name.start;
        while let Some((word_start, word)) = words_from(text, start, name.end).next() {
            if !self.determiners.matches_whole(word) {
                break;
            }
            start = word_start + word.len();
        }
        let rest = &text[start..name.end];
        let start = start + (rest.len() - rest.trim_start().len());
        (start < name.end).then_some(start..name.end)
    }

    /// The name just before a passive verb, past its auxiliaries: with
    /// none (`Clearview IA condamnée`), or with a passive one among them
    /// (`avait déjà été condamnée`), but not an active one alone.
    fn name_before_passive(&self, text: &str, start: usize, verb: usize) -> Option<Range<usize>> {
        let mut end = verb;
        let mut skipped = Vec::new();
        loop {
            let before = text[start..end].trim_end();
            let word_start = before.rfind(char::is_whitespace).map_or(start, |i| {
                start + i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
            let word = &text[word_start..start + before.len()];
            if word.is_empty() || !self.passive_auxiliaries.matches_whole(word) {
                break;
            }
            skipped.push(word);
            end = word_start;
        }
        if !skipped.is_empty() && !skipped.iter().any(|w| self.passive_marks.matches_whole(w)) {
            return None;
        }
        name_before(text, start, end)
    }
}

/// An authority in agent position in a sentence: of every sanction of
/// its clause, the nearest agent is the issuer.
struct Agent {
    span: Range<usize>,
    /// Where its distance to a mention is measured from: its verb (`The
    /// ICO, which fined the firm £7.5m`), or its name after an agent word.
    anchor: Range<usize>,
    name: String,
    /// Named after an agent word (`par la CNIL`) rather than as the
    /// subject of an issuing verb.
    named_after_agent_word: bool,
}

impl Agent {
    fn applies_to(&self, span: &Range<usize>, clauses: &Clauses) -> bool {
        clauses.same(&self.span.start, span)
    }

    /// An authority issues in its sentence when it is the subject of an
    /// issuing verb, or the agent of a sanction word of its clause.
    fn agent_of_sanction(&self, sanction_words: &[Range<usize>], clauses: &Clauses) -> bool {
        !self.named_after_agent_word || sanction_words.iter().any(|w| self.applies_to(w, clauses))
    }
}

/// The parts of a sentence words act within: split at `;`, and quoted
/// passages apart from the text around them (a quoted title's verb says
/// nothing of the date after it).
struct Clauses {
    /// (position, clause id) at each change.
    marks: Vec<(usize, (u32, u32))>,
}

impl Clauses {
    fn of(text: &str, sentence: &Range<usize>) -> Self {
        let mut marks = vec![(sentence.start, (0, 0))];
        let (mut semicolons, mut quote, mut quotes, mut inside) = (0u32, 0u32, 0u32, false);
        for (i, c) in text[sentence.clone()].char_indices() {
            let pos = sentence.start + i;
            let (opens, closes) = match c {
                '«' | '“' => (true, false),
                '»' | '”' => (false, true),
                '"' => (!inside, inside),
                ';' => {
                    semicolons += 1;
                    (false, false)
                }
                _ => continue,
            };
            if opens {
                quotes += 1;
                quote = quotes;
                inside = true;
            } else if closes {
                inside = false;
                quote = 0;
            }
            marks.push((pos + c.len_utf8(), (semicolons, quote)));
        }
        Clauses { marks }
    }

    fn id(&self, pos: usize) -> (u32, u32) {
        let i = self.marks.partition_point(|(p, _)| *p <= pos);
        self.marks[i.saturating_sub(1)].1
    }

    fn same(&self, pos: &usize, span: &Range<usize>) -> bool {
        self.id(*pos) == self.id(span.start)
    }

    /// A hypothetical word just before the mention, in its clause
    /// (`l'amende pourrait atteindre`, `jusqu'à`).
    fn hypothetical(&self, span: &Range<usize>, hypothetical: &[Range<usize>]) -> bool {
        hypothetical
            .iter()
            .any(|h| h.end <= span.start && self.same(&h.start, span) && span.start - h.end <= HYPOTHETICAL_REACH)
    }
}

fn distance(a: &Range<usize>, b: &Range<usize>) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// Whether the words at `r` are a part of a hyphenated compound that is
/// not its head (`heads`): a modifier, no event (`cost-cutting`).
fn in_compound(text: &str, r: &Range<usize>, heads: CompoundHeads) -> bool {
    let glued_before = text[..r.start]
        .strip_suffix('-')
        .is_some_and(|before| before.ends_with(char::is_alphanumeric));
    let glued_after = text[r.end..]
        .strip_prefix('-')
        .is_some_and(|after| after.starts_with(char::is_alphanumeric));
    match heads {
        CompoundHeads::Last => glued_after,
        CompoundHeads::Either => false,
        CompoundHeads::Neither => glued_before || glued_after,
    }
}

/// Whether `text` ends with a day written alone, one or two digits and
/// perhaps a dot (`vom 19.`, `(19.`, `van 19`), after no other digit or
/// separator of a number.
fn ends_with_day(text: &str) -> bool {
    let text = text.trim_end();
    let text = text.strip_suffix('.').unwrap_or(text);
    let before = text.trim_end_matches(|c: char| c.is_ascii_digit());
    (1..=2).contains(&(text.len() - before.len()))
        && (before.is_empty() || before.ends_with(|c: char| c.is_whitespace() || c == '('))
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// The value of the candidate nearest to `span`.
fn nearest<'a>(span: &Range<usize>, candidates: impl Iterator<Item = (&'a Range<usize>, &'a str)>) -> Option<&'a str> {
    candidates.min_by_key(|(r, _)| distance(r, span)).map(|(_, v)| v)
}

fn fold(s: &str) -> String {
    s.to_lowercase().replace('’', "'")
}

/// `text[gap]` without parenthesised groups and without the named spans in it.
fn without_parentheses_and(text: &str, gap: Range<usize>, named: &[&(Range<usize>, &str)]) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for (i, c) in text[gap.clone()].char_indices() {
        let pos = gap.start + i;
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 || named.iter().any(|(r, _)| r.start <= pos && pos < r.end) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Words and commas of `s`, with an elided article split off (`l'Italie`).
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in s.split_whitespace() {
        for part in word.split_inclusive(',') {
            let (word, comma) = match part.strip_suffix(',') {
                Some(w) => (w, true),
                None => (part, false),
            };
            if !word.is_empty() {
                out.push(word.to_string());
            }
            if comma {
                out.push(",".to_string());
            }
        }
    }
    out
}

/// A word of a name: it starts with a capital (`Clearview`, `AI`, `IA`).
fn is_name_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The capitalised run of words after `pos`, past at most `skips`
/// lower-case words, before any punctuation.
fn name_after(text: &str, pos: usize, end: usize, skips: usize) -> Option<Range<usize>> {
    let mut skipped = 0;
    let mut run: Option<Range<usize>> = None;
    let mut words = 0;
    for (start, word) in words_from(text, pos, end) {
        let bare = word.trim_end_matches([',', '.', ';', ':', ')', '»', '!', '?']);
        let punctuated = bare.len() < word.len();
        let elided = bare.rsplit(['\'', '’']).next().unwrap_or(bare);
        if is_name_word(bare) || (run.is_none() && elided.len() < bare.len() && is_name_word(elided)) {
            let word_start = start + bare.len() - elided.len();
            let word_start = if is_name_word(bare) { start } else { word_start };
            run = Some(run.map_or(word_start..start + bare.len(), |r| r.start..start + bare.len()));
            words += 1;
            if punctuated || words == NAME_WORDS {
                break;
            }
        } else if run.is_some() || punctuated || !bare.chars().next().is_some_and(char::is_lowercase) {
            break;
        } else if skipped == skips {
            return None;
        } else {
            skipped += 1;
        }
    }
    run
}

/// The capitalised run of words that ends at `end`.
fn name_before(text: &str, start: usize, end: usize) -> Option<Range<usize>> {
    let before = text[start..end].trim_end();
    let run_end = start + before.len();
    let mut run_start = None;
    for (word_start, word) in before
        .split_whitespace()
        .rev()
        .map(|w| (start + offset_in(before, w), w))
        .take(NAME_WORDS)
    {
        if !is_name_word(word) || word.ends_with([',', ':', ';', '.']) {
            break;
        }
        run_start = Some(word_start);
    }
    run_start.map(|s| s..run_end)
}

fn offset_in(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

/// The words of `text[pos..end]` with their byte positions.
fn words_from(text: &str, pos: usize, end: usize) -> impl Iterator<Item = (usize, &str)> {
    let slice = &text[pos..end];
    slice.split_whitespace().map(move |w| (pos + offset_in(slice, w), w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_tie_names_an_authority_of_that_country_in_the_gazetteer() {
        let gazetteer: toml::Value = toml::from_str(include_str!("../../../data/authorities.toml")).unwrap();
        let entries = gazetteer["authority"].as_array().unwrap();
        for (country, name) in country_authorities() {
            let of_country: Vec<&toml::Value> = entries
                .iter()
                .filter(|e| e["country"].as_str() == Some(country.as_str()))
                .collect();
            assert!(
                of_country.iter().any(|e| e["name"].as_str() == Some(name.as_str())),
                "{country} → {name}"
            );
        }
    }

    fn words(list: &[&str]) -> Words {
        Words::new(&list.iter().map(|w| w.to_string()).collect::<Vec<_>>())
    }

    fn found<'t>(w: &Words, text: &'t str) -> Vec<&'t str> {
        w.find(text, &(0..text.len())).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn a_stem_takes_every_ending_and_a_word_only_itself() {
        let w = words(&["amende*", "décision"]);
        assert_eq!(
            found(&w, "Une amende, des amendes, la décision, les décisions."),
            ["amende", "amendes", "décision"]
        );
        assert_eq!(found(&w, "AMENDES"), ["AMENDES"]);
    }

    #[test]
    fn a_stem_wins_over_a_word_of_the_same_letters() {
        let w = words(&["fine", "fine*"]);
        assert_eq!(found(&w, "fined twice, fine once"), ["fined", "fine"]);
        assert!(w.matches_whole("fines"));
        assert!(!words(&["fine"]).matches_whole("fines"));
    }

    #[test]
    fn the_text_after_a_stem_is_searched_after_its_ending() {
        let w = words(&["sanction*", "fine"]);
        assert_eq!(found(&w, "sanctionfine fine"), ["sanctionfine", "fine"]);
    }

    #[test]
    fn every_pack_names_countries_with_a_tie() {
        for code in crate::lang::supported() {
            for c in &crate::lang::pack(code).unwrap().roles.countries {
                assert!(country_authorities().contains_key(&c.country), "{code}: {}", c.text);
            }
        }
    }
}
