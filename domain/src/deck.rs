//! The community call's slide deck as HedgeDoc Markdown (reveal.js): reading a deck written by
//! hand into the agenda's sections and items (the import), writing an agenda back as a deck
//! (the export), and cutting a deck into its slides for presenting in the browser.
//!
//! A deck is front matter, then blocks separated by `---` lines (horizontal slides, one per
//! section), each cut into slides by `----` lines (vertical slides, one per item). The first
//! blocks are the title slides; the section title is the heading of a block's first slide.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The title the generated section gets by default.
pub const UPCOMING_TITLE: &str = "Upcoming events - meet us where you can!";

/// How a generated section's title begins: convene recognises its own section by it on import.
const UPCOMING_PREFIX: &str = "upcoming events";

/// Most bullets on one slide of the generated section: more would run off a projected slide.
const BULLETS_PER_SLIDE: usize = 6;

/// Between the blocks (sections) of a written deck.
const SECTION_BREAK: &str = "\n\n---\n\n";
/// Between the slides (items) of one section.
const SLIDE_BREAK: &str = "\n\n----\n\n";

/// A deck read back into sections (the import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deck {
    /// The date its title slide names (a `YYYY-MM-DD` in a heading of the title slides), if any.
    pub date: Option<NaiveDate>,
    pub sections: Vec<DeckSection>,
}

/// One section of an imported deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckSection {
    /// The section's heading as plain text (HTML tags like <font color=..>, `**`, `#` removed,
    /// trimmed).
    pub title: String,
    /// True for the "Upcoming events" section, which convene writes from its own data: its
    /// slides are not imported (items stay empty).
    pub generated: bool,
    /// One entry per slide, Markdown, trimmed; the section's own heading line removed.
    pub items: Vec<String>,
}

/// What `render` writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckOut {
    /// The series' title, e.g. "SCS Community Call".
    pub title: String,
    pub date: NaiveDate,
    pub sections: Vec<DeckOutSection>,
}

/// One section of a deck to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeckOutSection {
    /// A team's or a free section: one slide per item.
    Items { title: String, items: Vec<String> },
    /// The generated section: `lines` are the Markdown of one bullet each (without the leading
    /// "* "), `announcements` the Markdown bodies of one slide each (open registrations, topic
    /// collections). Its title should begin with "Upcoming events" so that an import knows it
    /// as convene's own.
    Generated {
        title: String,
        lines: Vec<String>,
        announcements: Vec<String>,
    },
}

/// One slide of a deck, for presenting in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slide {
    pub markdown: String,
    /// True for the first slide after a `---` (and for the title slide): where a section starts.
    pub first_of_section: bool,
}

/// Reads a deck. Never fails: text that is no deck gives a deck without sections.
pub fn parse(markdown: &str) -> Deck {
    let text = deck_text(markdown);
    let blocks = blocks(&text);
    let (date, first_section_block) = match title_blocks(&blocks) {
        Some((date, last_title_block)) => (Some(date), last_title_block + 1),
        None => (None, 0),
    };

    let mut sections: Vec<DeckSection> = Vec::new();
    // The section slides currently go to, by title (titles are unique once merged).
    let mut current: Option<String> = None;
    for block in blocks.iter().skip(first_section_block) {
        for (n, slide) in block.iter().enumerate() {
            let mut heading_line = None;
            if n == 0 {
                // A horizontal slide names its section; without a heading it continues the last.
                if let Some((at, heading)) = slide
                    .iter()
                    .enumerate()
                    .find_map(|(at, line)| heading(line).map(|h| (at, h)))
                {
                    open_section(&mut sections, &heading.text);
                    current = Some(heading.text);
                    heading_line = Some(at);
                }
            } else if let Some((at, heading)) = opening_heading(slide) {
                let section = current
                    .as_deref()
                    .and_then(|title| sections.iter().find(|s| s.title == title));
                match section {
                    // Everything under the generated section is convene's own output, even
                    // announcements with a top-level heading: none of it is imported.
                    Some(s) if s.generated => {}
                    Some(s) if heading.text == s.title => heading_line = Some(at),
                    // A sub-heading, or a top heading that narrows the title ("Team IaaS /
                    // Networking"), belongs to the item.
                    Some(s) if heading.level != 1 || heading.text.starts_with(&s.title) => {}
                    // Any other top heading is a section of its own, filed under another's
                    // block in hand-written decks ("SIG Documentation" under "Team Container").
                    _ if heading.level == 1 => {
                        open_section(&mut sections, &heading.text);
                        current = Some(heading.text);
                        heading_line = Some(at);
                    }
                    _ => {}
                }
            }

            let Some(section) = current
                .as_deref()
                .and_then(|title| sections.iter_mut().find(|s| s.title == title))
            else {
                continue;
            };
            if section.generated {
                continue;
            }
            let item = slide
                .iter()
                .enumerate()
                .filter(|(at, _)| Some(*at) != heading_line)
                .map(|(_, line)| *line)
                .collect::<Vec<_>>()
                .join("\n");
            let item = item.trim();
            if !item.is_empty() {
                section.items.push(item.to_owned());
            }
        }
    }
    // A heading-only block (e.g. "Updates from the Teams") is an interstitial, not a section.
    sections.retain(|s| s.generated || !s.items.is_empty());
    Deck { date, sections }
}

/// Makes sure a section of that title exists: a title seen before continues its section.
fn open_section(sections: &mut Vec<DeckSection>, title: &str) {
    if !sections.iter().any(|s| s.title == title) {
        sections.push(DeckSection {
            title: title.to_owned(),
            generated: title.to_lowercase().starts_with(UPCOMING_PREFIX),
            items: Vec::new(),
        });
    }
}

/// Writes the deck as HedgeDoc Markdown.
pub fn render(deck: &DeckOut) -> String {
    let title = one_line(&deck.title);
    let date = deck.date.format("%Y-%m-%d").to_string();
    let mut blocks = vec![format!("# {title}\n### {date}")];
    blocks.extend(deck.sections.iter().filter_map(section_block));
    let yaml_title = format!("{title} {date}").replace('\'', "''");
    format!(
        "---\ntitle: '{yaml_title}'\ntype: slide\ntags: presentation\nslideOptions:\n  \
         theme: white\n  transition: 'slide'\n---\n\n{}\n",
        blocks.join(SECTION_BREAK)
    )
}

/// The slides of a deck as `render` writes them (front matter and style blocks dropped), in
/// order, each as its Markdown, for presenting in the browser.
pub fn slides(markdown: &str) -> Vec<Slide> {
    let text = deck_text(markdown);
    blocks(&text)
        .iter()
        .flat_map(|block| {
            block
                .iter()
                .map(|slide| slide.join("\n").trim().to_owned())
                .filter(|slide| !slide.is_empty())
                .enumerate()
                .map(|(n, markdown)| Slide {
                    markdown,
                    first_of_section: n == 0,
                })
        })
        .collect()
}

/// One block of the written deck, or nothing for a section without anything to show.
fn section_block(section: &DeckOutSection) -> Option<String> {
    let slides = match section {
        DeckOutSection::Items { title, items } => {
            let title = one_line(title);
            let heading = heading_text(&title);
            items
                .iter()
                .map(|item| item.trim())
                .filter(|item| !item.is_empty())
                .enumerate()
                .map(|(n, item)| {
                    let body = escape_separators(item);
                    // A slide headed "Team IaaS / Networking" under "Team IaaS" names its
                    // section itself, as decks written by hand do. Not on the section's first
                    // slide, though: that one's heading is what names the section on import.
                    if n > 0 && extends_title(&body, &heading) {
                        body
                    } else {
                        format!("# {title}\n\n{body}")
                    }
                })
                .collect::<Vec<_>>()
        }
        DeckOutSection::Generated {
            title,
            lines,
            announcements,
        } => {
            let bullets: Vec<String> = lines
                .iter()
                .map(|line| one_line(line))
                .filter(|line| !line.is_empty())
                .map(|line| format!("* {line}"))
                .collect();
            let announcements: Vec<String> = announcements
                .iter()
                .map(|a| a.trim())
                .filter(|a| !a.is_empty())
                .map(escape_separators)
                .collect();
            if bullets.is_empty() && announcements.is_empty() {
                return None;
            }
            let mut chunks = bullets.chunks(BULLETS_PER_SLIDE).map(|c| c.join("\n"));
            let title = one_line(title);
            let mut slides = vec![match chunks.next() {
                Some(first) => format!("# {title}\n\n{first}"),
                None => format!("# {title}"),
            }];
            slides.extend(chunks);
            slides.extend(announcements);
            slides
        }
    };
    (!slides.is_empty()).then(|| slides.join(SLIDE_BREAK))
}

/// Whether an item opens with a level-1 heading that extends the section's title without being
/// it: the import keeps such a heading in the item instead of starting a section.
fn extends_title(item: &str, section_heading: &str) -> bool {
    item.lines()
        .find(|line| !line.trim().is_empty())
        .and_then(heading)
        .is_some_and(|h| {
            h.level == 1 && h.text != section_heading && h.text.starts_with(section_heading)
        })
}

/// An item's text with lines that would cut the slide or the deck made harmless: `- - -` is
/// still a horizontal rule in Markdown, but no separator.
fn escape_separators(text: &str) -> String {
    text.lines()
        .map(|line| match line.trim() {
            "---" => "- - -",
            "----" => "- - - -",
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A title or bullet on one line: a line break in it would end the heading or the bullet.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The deck's Markdown without what is no slide: `\r\n` made `\n`, front matter and style
/// blocks dropped.
fn deck_text(markdown: &str) -> String {
    let text = markdown.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    drop_style_blocks(without_front_matter(text))
}

/// The text after its YAML front matter (which HedgeDoc reads as options, not slides).
fn without_front_matter(text: &str) -> &str {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return text;
    };
    if first.trim() != "---" {
        return text;
    }
    let mut end = first.len();
    for line in lines {
        end += line.len();
        if line.trim() == "---" {
            return text.get(end..).unwrap_or_default();
        }
    }
    // Never closed: no front matter, the opening line is just a separator.
    text
}

/// The text without `<style>…</style>` blocks: they style the slides, they are none. An
/// unclosed `<style>` is left alone so that it cannot swallow the rest of the deck.
fn drop_style_blocks(text: &str) -> String {
    const OPEN: &str = "<style";
    const CLOSE: &str = "</style>";
    // ASCII lowercasing keeps every byte offset, so positions found in `lower` hold in `text`.
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut kept_from = 0;
    let mut search_from = 0;
    while let Some(open) = lower
        .get(search_from..)
        .and_then(|rest| rest.find(OPEN))
        .map(|at| at + search_from)
    {
        let after_name = open + OPEN.len();
        let is_style_tag = lower
            .as_bytes()
            .get(after_name)
            .is_some_and(|b| *b == b'>' || b.is_ascii_whitespace());
        if !is_style_tag {
            search_from = after_name;
            continue;
        }
        let Some(close) = lower
            .get(after_name..)
            .and_then(|rest| rest.find(CLOSE))
            .map(|at| at + after_name + CLOSE.len())
        else {
            break;
        };
        out.push_str(text.get(kept_from..open).unwrap_or_default());
        kept_from = close;
        search_from = close;
    }
    out.push_str(text.get(kept_from..).unwrap_or_default());
    out
}

/// The text cut into blocks at `---` lines and each block into slides at `----` lines; a slide
/// is its lines.
fn blocks(text: &str) -> Vec<Vec<Vec<&str>>> {
    let mut blocks: Vec<Vec<Vec<&str>>> = vec![vec![Vec::new()]];
    for line in text.lines() {
        match line.trim() {
            "---" => blocks.push(vec![Vec::new()]),
            "----" => {
                if let Some(block) = blocks.last_mut() {
                    block.push(Vec::new());
                }
            }
            _ => {
                if let Some(slide) = blocks.last_mut().and_then(|block| block.last_mut()) {
                    slide.push(line);
                }
            }
        }
    }
    blocks
}

/// The call's date and the index of the last title block: the first block with a dated heading.
/// Of several dated headings there, the last counts: the date stands under the series' title,
/// which may name a date of its own.
fn title_blocks(blocks: &[Vec<Vec<&str>>]) -> Option<(NaiveDate, usize)> {
    blocks.iter().enumerate().find_map(|(at, block)| {
        block
            .iter()
            .flatten()
            .filter_map(|line| heading(line))
            .filter_map(|h| iso_date(&h.text))
            .next_back()
            .map(|date| (date, at))
    })
}

/// An ATX heading: its level and its text as plain text.
struct Heading {
    level: usize,
    text: String,
}

/// The heading a line is, if it is one: up to three spaces, 1–6 `#`, a space.
fn heading(line: &str) -> Option<Heading> {
    let indented = line.trim_start_matches(' ');
    if line.len() - indented.len() > 3 {
        return None;
    }
    let level = indented.bytes().take_while(|b| *b == b'#').count();
    let rest = indented.get(level..)?;
    if !(1..=6).contains(&level) || !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some(Heading {
        level,
        text: heading_text(rest),
    })
}

/// The slide's heading if its first non-empty line is one, with that line's index.
fn opening_heading(slide: &[&str]) -> Option<(usize, Heading)> {
    let (at, line) = slide
        .iter()
        .enumerate()
        .find(|(_, line)| !line.trim().is_empty())?;
    heading(line).map(|h| (at, h))
}

/// A heading's text as plain text: closing `#`s, HTML tags and bold markers removed,
/// whitespace collapsed. Decks colour their headings with `<font>`; the section is the words.
fn heading_text(raw: &str) -> String {
    let mut text = raw.trim_end();
    let unclosed = text.trim_end_matches('#');
    if unclosed.len() != text.len() && (unclosed.is_empty() || unclosed.ends_with([' ', '\t'])) {
        text = unclosed;
    }
    let plain = without_tags(text).replace("**", "").replace("__", "");
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text without HTML tags; a `<` that opens no tag (as in "a < b") stays.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let (before, from_open) = rest.split_at(open);
        let inside = from_open.get(1..).unwrap_or_default();
        let opens_tag =
            inside.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match inside.find('>') {
            Some(close) if opens_tag => {
                out.push_str(before);
                rest = inside.get(close + 1..).unwrap_or_default();
            }
            _ => {
                out.push_str(before);
                out.push('<');
                rest = inside;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first `YYYY-MM-DD` in the text that is a real date and not part of a longer number.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let is_digit_at = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_digit);
    (0..bytes.len()).find_map(|start| {
        let window = bytes.get(start..start + 10)?;
        let shaped = window.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
        let bounded = (start == 0 || !is_digit_at(start - 1)) && !is_digit_at(start + 10);
        if !(shaped && bounded) {
            return None;
        }
        NaiveDate::parse_from_str(text.get(start..start + 10)?, "%Y-%m-%d").ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../tests/data/community-call-2023-10-19.md");

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn titles(deck: &Deck) -> Vec<&str> {
        deck.sections.iter().map(|s| s.title.as_str()).collect()
    }

    fn items(title: &str, items: &[&str]) -> DeckOutSection {
        DeckOutSection::Items {
            title: title.into(),
            items: items.iter().map(|i| (*i).to_owned()).collect(),
        }
    }

    fn out(sections: Vec<DeckOutSection>) -> DeckOut {
        DeckOut {
            title: "SCS Community Call".into(),
            date: date(2023, 10, 26),
            sections,
        }
    }

    /// A deck as a hand-written one starts: front matter, a title slide with the date.
    fn deck(body: &str) -> String {
        format!("---\ntitle: Call\n---\n\n# Call\n### 2024-01-04\n\n---\n\n{body}")
    }

    #[test]
    fn the_seed_deck_reads_as_its_sections() {
        let deck = parse(SEED);
        assert_eq!(deck.date, Some(date(2023, 10, 19)));
        let counts: Vec<(&str, bool, usize)> = deck
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.generated, s.items.len()))
            .collect();
        assert_eq!(
            counts,
            vec![
                ("Team IaaS", false, 4),
                ("Team IAM", false, 2),
                ("Team Ops", false, 3),
                ("Team Container", false, 2),
                ("SIG Documentation", false, 1),
                ("SIG Standardization / Certification", false, 1),
                ("Upcoming Events - meet us where you can!", true, 0),
                ("Third Community Hackathon", false, 2),
                ("ITZB tender", false, 1),
                ("Join the SCS Project Team @ OSBA", false, 1),
            ]
        );
        let iaas = &deck.sections[0].items;
        assert!(iaas[0].starts_with("We build the reference implementation"));
        assert!(iaas[1].starts_with("* no team meeting next week"));
        assert!(iaas[3].starts_with("# Team IaaS / Networking (VP04)\n\n* Onboarding"));
        let ops = &deck.sections[2].items;
        assert!(ops[1].starts_with("## Most important item to share"));
        assert!(ops[2].starts_with("## Any important decisions"));
        assert!(deck.sections[3].items[0].starts_with("## Review Montreal, Planning Nantes"));
        assert!(deck.sections[4].items[0].starts_with("* Intro into container layer!"));
        let hackathon = &deck.sections[7].items;
        assert!(hackathon[0].starts_with("C&H iniviting us to Dresden"));
        assert!(hackathon[1].starts_with("SIG Community 2023-10-23"));
        assert_eq!(
            deck.sections[9].items,
            vec![
                "![](https://input.scs.community/uploads/73b648ae-dac7-488d-b201-f26718e50687.png)"
            ]
        );
    }

    #[test]
    fn front_matter_and_style_blocks_are_dropped() {
        let text = "---\ntitle: Call\ntype: slide\n---\n\n<style>\n.slides h1 {\n  color: red;\n}\n\
                    </STYLE>\n\n# Call\n### 2024-01-04\n\n---\n\n# Team A\n<style>p { x: 1 }</style>\nNews";
        let deck = parse(text);
        assert_eq!(deck.date, Some(date(2024, 1, 4)));
        assert_eq!(deck.sections.len(), 1);
        assert_eq!(deck.sections[0].title, "Team A");
        assert_eq!(deck.sections[0].items, vec!["News"]);
    }

    #[test]
    fn an_unclosed_style_tag_swallows_nothing() {
        let deck = parse(&deck("# Team A\n<style>\nNews"));
        assert_eq!(deck.sections[0].items, vec!["<style>\nNews"]);
    }

    #[test]
    fn windows_line_endings_read_like_unix_ones() {
        let unix = deck("# Team A\n\nNews\n\n----\n\n# Team A\n\nMore");
        assert_eq!(parse(&unix.replace('\n', "\r\n")), parse(&unix));
        assert_eq!(parse(&unix).sections[0].items, vec!["News", "More"]);
    }

    #[test]
    fn title_blocks_up_to_the_dated_heading_are_skipped() {
        let text = "# Welcome\n\nSome intro\n\n---\n\n## <b>The Call</b>\n### 2024-01-04\n\n---\n\n# Team A\n\nNews";
        let deck = parse(text);
        assert_eq!(deck.date, Some(date(2024, 1, 4)));
        assert_eq!(titles(&deck), vec!["Team A"]);
    }

    #[test]
    fn a_date_outside_headings_does_not_end_the_title_slides() {
        let text = "# Welcome\n\nSee you 2024-01-04\n\n---\n\n# Team A\n\nNews";
        let deck = parse(text);
        assert_eq!(deck.date, None);
        assert_eq!(titles(&deck), vec!["Welcome", "Team A"]);
    }

    #[test]
    fn the_date_under_the_title_wins_over_one_in_the_title() {
        let text = "# Release 2023-09-30 Call\n### 2023-10-05\n\n---\n\n# Team A\n\nNews";
        assert_eq!(parse(text).date, Some(date(2023, 10, 5)));
    }

    #[test]
    fn what_only_looks_like_a_date_is_none() {
        assert_eq!(iso_date("2023-13-01"), None);
        assert_eq!(iso_date("12023-10-01"), None);
        assert_eq!(iso_date("on 2023-10-01."), Some(date(2023, 10, 1)));
    }

    #[test]
    fn headings_lose_font_tags_bold_and_hashes() {
        let text = deck(
            "# <font color=\"#50c3a5\">Team</font> **IaaS**\n\nNews\n\n---\n\n\
             ## __SIG__   Docs ##\n\nMore\n\n---\n\n# a < b\n\nCompared",
        );
        assert_eq!(
            titles(&parse(&text)),
            vec!["Team IaaS", "SIG Docs", "a < b"]
        );
    }

    #[test]
    fn lines_that_only_resemble_headings_are_text() {
        assert!(heading("#hashtag").is_none());
        assert!(heading("    # code").is_none());
        assert!(heading("####### seven").is_none());
        assert!(heading("   ### three").is_some_and(|h| h.level == 3 && h.text == "three"));
        assert!(heading("# C#").is_some_and(|h| h.text == "C#"));
    }

    #[test]
    fn a_heading_only_section_is_dropped() {
        let deck = parse(&deck(
            "# Updates from the Teams\n\n---\n\n# Team A\n\n----\n\n# Team A\n\nNews",
        ));
        assert_eq!(titles(&deck), vec!["Team A"]);
        assert_eq!(deck.sections[0].items, vec!["News"]);
    }

    #[test]
    fn the_generated_section_swallows_its_slides() {
        let deck = parse(&deck(
            "# Upcoming events\n* Summit\n\n----\n\n* Day\n\n----\n\n# Hackathon\nRegister\n\n\
             ---\n\nContinued without heading\n\n---\n\n# Team A\n\nNews",
        ));
        assert_eq!(
            deck.sections,
            vec![
                DeckSection {
                    title: "Upcoming events".into(),
                    generated: true,
                    items: vec![],
                },
                DeckSection {
                    title: "Team A".into(),
                    generated: false,
                    items: vec!["News".into()],
                },
            ]
        );
    }

    #[test]
    fn a_vertical_slide_with_its_own_heading_starts_a_section() {
        let deck = parse(&deck(
            "# Team Container\n\nNews\n\n----\n\n# SIG Documentation\n* Landing page\n\n----\n\nMore docs",
        ));
        assert_eq!(titles(&deck), vec!["Team Container", "SIG Documentation"]);
        assert_eq!(deck.sections[0].items, vec!["News"]);
        assert_eq!(deck.sections[1].items, vec!["* Landing page", "More docs"]);
    }

    #[test]
    fn a_heading_that_extends_the_title_stays_in_the_item() {
        let deck = parse(&deck(
            "# Team IaaS\n\nNews\n\n----\n\n# Team IaaS / Networking\n\n* VPN\n\n----\n\n## Team IaaS\n\nSub",
        ));
        assert_eq!(titles(&deck), vec!["Team IaaS"]);
        assert_eq!(
            deck.sections[0].items,
            vec!["News", "# Team IaaS / Networking\n\n* VPN", "Sub"]
        );
    }

    #[test]
    fn a_block_without_heading_continues_the_section_before() {
        let deck = parse(&deck("# Team A\n\nNews\n\n---\n\nMore news"));
        assert_eq!(deck.sections[0].items, vec!["News", "More news"]);
    }

    #[test]
    fn slides_before_any_section_are_ignored() {
        let deck = parse("Loose text\n\n----\n\n## Not a section\n\n----\n\n# Team A\n\nNews");
        assert_eq!(titles(&deck), vec!["Team A"]);
        assert_eq!(deck.sections[0].items, vec!["News"]);
    }

    #[test]
    fn repeated_titles_merge_into_one_section() {
        let deck = parse(&deck(
            "# Team A\n\nOne\n\n---\n\n# Team B\n\nTwo\n\n---\n\n# **Team A**\n\nThree",
        ));
        assert_eq!(titles(&deck), vec!["Team A", "Team B"]);
        assert_eq!(deck.sections[0].items, vec!["One", "Three"]);
    }

    #[test]
    fn text_that_is_no_deck_gives_a_deck_without_sections() {
        assert_eq!(
            parse(""),
            Deck {
                date: None,
                sections: vec![]
            }
        );
        assert!(parse("just some words\nno headings").sections.is_empty());
        assert!(parse("---\nunclosed: front matter").sections.is_empty());
    }

    #[test]
    fn render_writes_front_matter_title_slide_and_one_slide_per_item() {
        let written = render(&DeckOut {
            title: "Tom's Call".into(),
            date: date(2023, 10, 26),
            sections: vec![
                items("Team A", &["  News  ", "", "# Team A / Net\n\nVPN"]),
                items("Empty", &["  "]),
            ],
        });
        assert_eq!(
            written,
            "---\ntitle: 'Tom''s Call 2023-10-26'\ntype: slide\ntags: presentation\n\
             slideOptions:\n  theme: white\n  transition: 'slide'\n---\n\n\
             # Tom's Call\n### 2023-10-26\n\n---\n\n\
             # Team A\n\nNews\n\n----\n\n# Team A / Net\n\nVPN\n"
        );
    }

    #[test]
    fn a_foreign_heading_in_an_item_keeps_the_section_heading_above_it() {
        let written = render(&out(vec![items(
            "Team A",
            &["# Team A / Net\n\nfirst", "# Other\n\nx", "# Team A\n\ny"],
        )]));
        assert!(written.contains("# Team A\n\n# Team A / Net\n\nfirst"));
        assert!(written.contains("# Team A\n\n# Other\n\nx"));
        assert!(written.contains("# Team A\n\n# Team A\n\ny"));
        let deck = parse(&written);
        assert_eq!(titles(&deck), vec!["Team A"]);
        assert_eq!(
            deck.sections[0].items,
            vec!["# Team A / Net\n\nfirst", "# Other\n\nx", "# Team A\n\ny"]
        );
    }

    #[test]
    fn separator_lines_inside_items_are_escaped() {
        let written = render(&out(vec![
            items("Team A", &["before\n---\nmiddle\n  ----  \nafter"]),
            DeckOutSection::Generated {
                title: UPCOMING_TITLE.into(),
                lines: vec![],
                announcements: vec!["Register\n---\nnow".into()],
            },
        ]));
        assert!(written.contains("before\n- - -\nmiddle\n- - - -\nafter"));
        assert!(written.contains("Register\n- - -\nnow"));
        let deck = parse(&written);
        assert_eq!(
            deck.sections[0].items,
            vec!["before\n- - -\nmiddle\n- - - -\nafter"]
        );
        assert_eq!(deck.sections.len(), 2);
    }

    #[test]
    fn newlines_in_titles_become_spaces() {
        let written = render(&DeckOut {
            title: "SCS\nCall".into(),
            date: date(2023, 10, 26),
            sections: vec![
                items("Team\n---\nA", &["News"]),
                DeckOutSection::Generated {
                    title: "Upcoming events\nsoon".into(),
                    lines: vec!["Summit\n---\nBerlin".into()],
                    announcements: vec![],
                },
            ],
        });
        assert!(written.contains("title: 'SCS Call 2023-10-26'"));
        assert!(written.contains("# SCS Call\n"));
        assert!(written.contains("# Team --- A\n\nNews"));
        assert!(written.contains("# Upcoming events soon\n\n* Summit --- Berlin"));
        assert_eq!(
            titles(&parse(&written)),
            vec!["Team --- A", "Upcoming events soon"]
        );
    }

    #[test]
    fn the_generated_section_shows_six_bullets_a_slide_then_its_announcements() {
        let lines: Vec<String> = (1..=8).map(|n| format!("Event {n}")).collect();
        let written = render(&out(vec![DeckOutSection::Generated {
            title: UPCOMING_TITLE.into(),
            lines,
            announcements: vec!["## Hackathon\nRegister".into(), " ".into()],
        }]));
        assert!(written.ends_with(
            "---\n\n# Upcoming events - meet us where you can!\n\n\
             * Event 1\n* Event 2\n* Event 3\n* Event 4\n* Event 5\n* Event 6\n\n----\n\n\
             * Event 7\n* Event 8\n\n----\n\n## Hackathon\nRegister\n"
        ));
    }

    #[test]
    fn a_generated_section_with_only_announcements_opens_with_its_heading() {
        let written = render(&out(vec![DeckOutSection::Generated {
            title: UPCOMING_TITLE.into(),
            lines: vec![" ".into()],
            announcements: vec!["# Hackathon\nRegister".into()],
        }]));
        assert!(written.ends_with(
            "---\n\n# Upcoming events - meet us where you can!\n\n----\n\n# Hackathon\nRegister\n"
        ));
        let deck = parse(&written);
        assert_eq!(titles(&deck), vec![UPCOMING_TITLE]);
        assert!(deck.sections[0].generated);
    }

    #[test]
    fn sections_with_nothing_to_show_are_left_out() {
        let written = render(&out(vec![
            items("Team A", &[]),
            DeckOutSection::Generated {
                title: UPCOMING_TITLE.into(),
                lines: vec![],
                announcements: vec![],
            },
        ]));
        assert!(written.ends_with("# SCS Community Call\n### 2023-10-26\n"));
        assert!(parse(&written).sections.is_empty());
    }

    /// The seed's sections as `render` takes them, with sample output for the generated one.
    fn seed_out(first: &Deck) -> DeckOut {
        DeckOut {
            title: "SCS Community Call".into(),
            date: first.date.unwrap(),
            sections: first
                .sections
                .iter()
                .map(|s| {
                    if s.generated {
                        DeckOutSection::Generated {
                            title: s.title.clone(),
                            lines: (1..=7).map(|n| format!("Event {n} - Berlin")).collect(),
                            announcements: vec![
                                "## Third Community Hackathon\nRegistration open".into(),
                                "# Topic collection\nPropose topics".into(),
                            ],
                        }
                    } else {
                        DeckOutSection::Items {
                            title: s.title.clone(),
                            items: s.items.clone(),
                        }
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn the_seed_survives_a_round_trip() {
        let first = parse(SEED);
        let second = parse(&render(&seed_out(&first)));
        assert_eq!(second.sections, first.sections);
        assert_eq!(second.date, first.date);
    }

    #[test]
    fn slides_of_a_rendered_deck_start_with_the_title_slide() {
        let first = parse(SEED);
        let out = seed_out(&first);
        let shown = slides(&render(&out));
        assert_eq!(
            shown[0],
            Slide {
                markdown: "# SCS Community Call\n### 2023-10-19".into(),
                first_of_section: true,
            }
        );
        assert!(shown.iter().all(|s| !s.markdown.contains("type: slide")));
        // Title slide, one per item, and for the generated section two bullet slides (7 lines)
        // and two announcements.
        let items: usize = first.sections.iter().map(|s| s.items.len()).sum();
        assert_eq!(shown.len(), 1 + items + 2 + 2);
        let starts: Vec<&str> = shown
            .iter()
            .filter(|s| s.first_of_section)
            .map(|s| s.markdown.lines().next().unwrap_or_default())
            .collect();
        let mut expected = vec!["# SCS Community Call".to_owned()];
        expected.extend(first.sections.iter().map(|s| format!("# {}", s.title)));
        assert_eq!(starts, expected);
        assert!(
            shown
                .iter()
                .any(|s| s.markdown == "* Event 7 - Berlin" && !s.first_of_section)
        );
    }

    #[test]
    fn slides_of_a_hand_written_deck_skip_style_and_empty_blocks() {
        let shown = slides(SEED);
        assert!(
            shown[0]
                .markdown
                .starts_with("# <font color=\"#50c3a5\">Sovereign</font>")
        );
        assert!(shown.iter().all(|s| !s.markdown.contains("<style>")));
        assert!(shown.iter().all(|s| !s.markdown.is_empty()));
        assert!(
            shown
                .last()
                .is_some_and(|s| s.markdown.starts_with("# **Join"))
        );
    }
}
