//! CSV as RFC 4180 writes it (comma, CRLF, double quotes doubled), guarded against formula
//! injection: a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a leading tab
//! or carriage return) is written with a leading apostrophe, so LibreOffice and Excel show it
//! as text.

/// The byte-order mark Excel needs to read the file as UTF-8 (LibreOffice ignores it).
pub const UTF8_BOM: &str = "\u{feff}";

/// One cell, quoted when it must be and defused when it could be a formula.
pub fn cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if defused.contains([',', '"', '\r', '\n']) || defused != defused.trim() {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// One record, ending in CRLF.
pub fn record<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells
        .iter()
        .map(|c| cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_cells_stay_as_they_are() {
        assert_eq!(cell("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(cell("Zoë Müller"), "Zoë Müller");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        assert_eq!(cell("Dresden, Germany"), "\"Dresden, Germany\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(" padded "), "\" padded \"");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("+49 351 123"), "'+49 351 123");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\t=cmd"), "'\t=cmd");
        assert_eq!(
            cell("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(cell("a=b"), "a=b", "only a leading sign is a formula");
    }

    #[test]
    fn records_end_in_crlf() {
        assert_eq!(record(&["a", "b,c", "=d"]), "a,\"b,c\",'=d\r\n");
    }
}
