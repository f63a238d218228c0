//! A roster file as grids of text, one per sheet: spreadsheets through calamine (merged cells
//! filled with their value, so a 党小组 merged down over its members reaches every row), CSV in
//! whatever encoding Excel in China saved it.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Dimensions, Range, Reader, Sheets};

use super::RosterError;

/// One sheet: `cells[row][column]`, both 0-based from A1, so row `r` is spreadsheet row `r + 1`.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub name: String,
    pub cells: Vec<Vec<String>>,
}

impl Grid {
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.cells.get(row).and_then(|r| r.get(column)).map_or("", String::as_str)
    }

    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// What was read, and a word on how (the CSV encoding) for the summary.
pub(crate) struct Workbook {
    pub sheets: Vec<Grid>,
    pub encoding: Option<&'static str>,
}

pub(crate) fn read(path: &Path) -> Result<Workbook, RosterError> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| RosterError::read(path, e.to_string()))?;
            let (text, encoding) = decode(&bytes)
                .ok_or_else(|| RosterError::read(path, "既不是 UTF-8 也不是 GBK/GB18030 编码的文字".to_string()))?;
            let name = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            Ok(Workbook { sheets: vec![Grid { name, cells: parse_csv(&text) }], encoding: Some(encoding) })
        }
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => {
            let mut book = open_workbook_auto(path).map_err(|e| RosterError::read(path, e.to_string()))?;
            let mut sheets = Vec::new();
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name).map_err(|e| RosterError::read(path, e.to_string()))?;
                let merged = merged_cells(&mut book, &name);
                sheets.push(Grid { cells: cells(&range, &merged), name });
            }
            Ok(Workbook { sheets, encoding: None })
        }
        _ => Err(RosterError::read(
            path,
            format!("不支持“.{extension}”文件：请用 Excel 或 WPS 把名册另存为 .xlsx（或 .csv）再导入"),
        )),
    }
}

/// Merged regions where the format has them (xlsx, xls); an .ods file's covered cells stay empty.
fn merged_cells<RS: std::io::Read + std::io::Seek>(book: &mut Sheets<RS>, name: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn cells(range: &Range<Data>, merged: &[Dimensions]) -> Vec<Vec<String>> {
    let Some((end_row, end_col)) = range.end() else { return Vec::new() };
    let mut cells = vec![vec![String::new(); end_col as usize + 1]; end_row as usize + 1];
    for (row, col, value) in range.used_cells() {
        let (start_row, start_col) = range.start().unwrap_or((0, 0));
        cells[start_row as usize + row][start_col as usize + col] = text(value);
    }
    for region in merged {
        let (r0, c0) = (region.start.0 as usize, region.start.1 as usize);
        let value = cells.get(r0).and_then(|r| r.get(c0)).cloned().unwrap_or_default();
        for row in cells.iter_mut().take(region.end.0 as usize + 1).skip(r0) {
            for cell in row.iter_mut().take(region.end.1 as usize + 1).skip(c0) {
                cell.clone_from(&value);
            }
        }
    }
    cells
}

/// A cell as the text a secretary sees in it.
fn text(value: &Data) -> String {
    match value {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(true) => "是".to_string(),
        Data::Bool(false) => "否".to_string(),
        Data::DateTime(d) => d.as_datetime().map_or_else(|| d.to_string(), |d| d.date().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's “Unicode 文本”), else GB18030, which
/// contains GBK. `None` when it is none of them.
pub(crate) fn decode(bytes: &[u8]) -> Option<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).ok().map(|t| (t, "UTF-8"));
    }
    for (bom, encoding) in [(b"\xFF\xFE", encoding_rs::UTF_16LE), (b"\xFE\xFF", encoding_rs::UTF_16BE)] {
        if bytes.starts_with(bom) {
            let (text, _, errors) = encoding.decode(bytes);
            return (!errors).then(|| (text.into_owned(), "UTF-16"));
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some((text.to_string(), "UTF-8"));
    }
    let (text, _, errors) = encoding_rs::GB18030.decode(bytes);
    (!errors).then(|| (text.into_owned(), "GBK"))
}

/// Comma-, tab- or semicolon-separated, whichever the first line uses most.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter =
        [b',', b'\t', b';'].into_iter().max_by_key(|d| first.matches(char::from(*d)).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    reader.records().map_while(Result::ok).map(|record| record.iter().map(str::to_string).collect()).collect()
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub(crate) fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII")
}

/// The reverse: "B" → 1, "aa" → 26; `None` for anything that is not letters.
pub(crate) fn column_index(letters: &str) -> Option<usize> {
    let letters = letters.trim();
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut index = 0usize;
    for c in letters.chars() {
        index = index * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
    }
    Some(index - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_round_trip() {
        for (i, l) in [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(column_letters(i), l);
            assert_eq!(column_index(l), Some(i));
        }
        assert_eq!(column_index("b"), Some(1));
        assert_eq!(column_index("B2"), None);
        assert_eq!(column_index(""), None);
    }

    #[test]
    fn encodings() {
        assert_eq!(decode("姓名".as_bytes()).unwrap(), ("姓名".to_string(), "UTF-8"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("姓名".as_bytes());
        assert_eq!(decode(&bom).unwrap(), ("姓名".to_string(), "UTF-8"));
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,党小组");
        assert_eq!(decode(&gbk).unwrap(), ("姓名,党小组".to_string(), "GBK"));
    }

    #[test]
    fn csv_delimiters() {
        assert_eq!(parse_csv("a\tb\n1\t2\n"), vec![vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(parse_csv("a,\"b,c\"\n"), vec![vec!["a", "b,c"]]);
    }
}
