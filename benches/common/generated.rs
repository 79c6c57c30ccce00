//! Long, fact-dense French documents made up for the scaling rows: plain
//! text of paragraphs, and an HTML page of many short paragraphs. Names and
//! figures vary with a fixed-seed generator, so that no two paragraphs are
//! the same (repeated lines are furniture) and every run reads the same
//! bytes.

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const AUTHORITIES: [&str; 6] = [
    "la CNIL",
    "la Commission nationale de l’informatique et des libertés",
    "le Garante",
    "l’AEPD",
    "l’ICO",
    "la Commission européenne",
];
const SYLLABLES: [&str; 12] = [
    "cla", "ri", "vo", "ta", "nex", "mo", "bel", "dra", "sun", "ki", "per", "lo",
];

/// A linear congruential generator: enough to vary figures, and the same
/// sequence on every machine.
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len())]
    }

    fn company(&mut self) -> String {
        let mut name: String = (0..2 + self.next(2)).map(|_| self.pick(&SYLLABLES)).collect();
        name[..1].make_ascii_uppercase();
        name
    }

    fn date(&mut self) -> String {
        format!("{} {} {}", 1 + self.next(28), self.pick(&MONTHS), 2010 + self.next(16))
    }

    /// Three or four sentences, each stating one to three facts.
    fn paragraph(&mut self) -> Vec<String> {
        let mut sentences = vec![
            format!(
                "Le {}, {} a infligé une amende de {} millions d’euros à la société {}.",
                self.date(),
                self.pick(&AUTHORITIES),
                1 + self.next(400),
                self.company()
            ),
            format!(
                "Selon l’article {} du RGPD, {} devait répondre avant le {} {}.",
                1 + self.next(99),
                self.company(),
                1 + self.next(28),
                self.pick(&MONTHS)
            ),
            format!(
                "Une astreinte de {} 000 € par jour de retard court depuis {} {}.",
                10 + self.next(90),
                self.pick(&MONTHS),
                2015 + self.next(10)
            ),
        ];
        if self.next(2) == 0 {
            sentences.push(format!(
                "En {}, {} avait déjà sanctionné {} de {},{} M€, une décision confirmée le {}.",
                2012 + self.next(12),
                self.pick(&AUTHORITIES),
                self.company(),
                1 + self.next(60),
                self.next(10),
                self.date()
            ));
        }
        sentences
    }
}

/// Plain text of at least `bytes` bytes: a title, then paragraphs
/// separated by blank lines.
pub fn french_text(bytes: usize) -> String {
    let mut draw = Draw(17);
    let mut text = String::from("Sanctions et amendes : le registre complet des décisions\n\n");
    while text.len() < bytes {
        text.push_str(&draw.paragraph().join(" "));
        text.push_str("\n\n");
    }
    text
}

/// An HTML page of at least `bytes` bytes whose article is many short
/// paragraphs, one or two sentences each, as in a live blog.
pub fn french_html(bytes: usize) -> String {
    let mut draw = Draw(29);
    let mut page = String::from(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Sanctions : le fil en direct</title>\
         </head><body><article><h1>Sanctions : le fil en direct</h1>\n",
    );
    let closing = "</article></body></html>\n";
    while page.len() + closing.len() < bytes {
        for pair in draw.paragraph().chunks(2) {
            page.push_str("<p>");
            page.push_str(&pair.join(" "));
            page.push_str("</p>\n");
        }
    }
    page.push_str(closing);
    page
}
