//! Checks of an input file's text that serde cannot make: characters no field may hold, names
//! in their normalised form, dates pdb can print. Each error points at its place in the file.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use crate::chars::{describe, is_forbidden};
use crate::diagnostics::Diagnostic;
use crate::model::name::{self, NameError};
use crate::model::{ActivityFile, BranchFile};
use crate::source::SourceFile;

/// Every string value of the file with a control character, a bidi control or a noncharacter,
/// located at the character itself (written raw or as an escape such as `\u000B`).
pub fn forbidden_characters(source: &SourceFile) -> Vec<Diagnostic> {
    let Ok(table) = DeTable::parse(&source.text) else { return Vec::new() };
    let mut found = Vec::new();
    strings(table.get_ref(), &mut |span, text| {
        if let Some(c) = text.chars().find(|&c| is_forbidden(c)) {
            found.push((span, c));
        }
    });
    found
        .into_iter()
        .map(|(span, c)| {
            let at = locate(&source.text, span.clone(), c);
            Diagnostic::error(&source.path, format!("文字中有不能使用的字符 {}", describe(c))).at(source, at).with_help(
                "删去这个字符：它多半是从 Word、网页或聊天软件复制文字时带进来的，打印时看不见，\
                     却会让生成的材料出错；换行请直接换行（多行文字用三个引号 \"\"\"…\"\"\"）",
            )
        })
        .collect()
}

fn strings<'a>(table: &'a DeTable<'_>, visit: &mut dyn FnMut(Range<usize>, &'a str)) {
    for (_, value) in table.iter() {
        value_strings(value, visit);
    }
}

fn value_strings<'a>(value: &'a Spanned<DeValue<'_>>, visit: &mut dyn FnMut(Range<usize>, &'a str)) {
    match value.get_ref() {
        DeValue::String(text) => visit(value.span(), text.as_ref()),
        DeValue::Table(table) => strings(table, visit),
        DeValue::Array(items) => items.iter().for_each(|item| value_strings(item, visit)),
        _ => {}
    }
}

/// Where `c` is written inside the string literal at `span`: raw, or as an escape.
fn locate(text: &str, span: Range<usize>, c: char) -> Range<usize> {
    let Some(literal) = text.get(span.clone()) else { return span };
    let mut chars = literal.char_indices().peekable();
    while let Some((i, found)) = chars.next() {
        if found == c {
            return span.start + i..span.start + i + c.len_utf8();
        }
        if found != '\\' {
            continue;
        }
        let Some(&(_, kind)) = chars.peek() else { break };
        let hex = |n: usize| literal.get(i + 2..i + 2 + n).and_then(|h| u32::from_str_radix(h, 16).ok());
        let (decoded, len) = match kind {
            'u' => (hex(4).and_then(char::from_u32), 6),
            'U' => (hex(8).and_then(char::from_u32), 10),
            'x' => (hex(2).and_then(char::from_u32), 4),
            'b' => (Some('\u{8}'), 2),
            'f' => (Some('\u{C}'), 2),
            'e' => (Some('\u{1B}'), 2),
            _ => (None, 2),
        };
        if decoded == Some(c) {
            return span.start + i..span.start + i + len;
        }
        chars.next();
    }
    span
}

/// Normalises one name in place; an empty or invisible-character name is an error at it.
fn normalize_name(
    name: &mut Spanned<String>,
    source: &SourceFile,
    field: &str,
    label: &str,
    errors: &mut Vec<Diagnostic>,
) {
    match name::normalize(name.get_ref()) {
        Ok(normal) => *name.get_mut() = normal,
        Err(err) => errors.push(name_error(&err, source, name.span(), field, label)),
    }
}

fn name_error(err: &NameError, source: &SourceFile, span: Range<usize>, field: &str, label: &str) -> Diagnostic {
    let span = match err {
        NameError::Invisible(c) => locate(&source.text, span, *c),
        NameError::Empty => span,
    };
    Diagnostic::error(&source.path, format!("{label}{}", err.message()))
        .at(source, span)
        .with_field(field, label)
        .with_help(err.help())
}

/// The roster's names, normalised (so that "张三" and "张三 " are one person, and a duplicate);
/// every empty or invisible-character name, and an empty branch name.
pub fn branch_names(file: &mut BranchFile, source: &SourceFile) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if file.branch.name.trim().is_empty() {
        let span = key_span(&source.text, &["branch", "name"]).unwrap_or(0..0);
        errors.push(
            Diagnostic::error(&source.path, "支部全称是空的")
                .at(source, span)
                .with_field("branch.name", "支部全称")
                .with_help(
                    "写上支部的全称，例如 name = \"中共某某县卫生健康局机关第一支部委员会\"（标题和落款都用它）",
                ),
        );
    }
    for (i, member) in file.members.iter_mut().enumerate() {
        normalize_name(&mut member.get_mut().name, source, &format!("members[{i}].name"), "党员姓名", &mut errors);
    }
    errors
}

/// Every name an activity file gives, normalised; the errors of the empty or invisible ones.
pub fn activity_names(file: &mut ActivityFile, source: &SourceFile) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let e = &mut errors;
    normalize_name(&mut file.host, source, "host", "主持人", e);
    if let Some(recorder) = &mut file.recorder {
        normalize_name(recorder, source, "recorder", "记录人", e);
    }
    if let Some(lecturer) = &mut file.lecturer {
        normalize_name(lecturer, source, "lecturer", "主讲人", e);
    }
    for (i, item) in file.agenda.iter_mut().enumerate() {
        if let Some(presenter) = &mut item.presenter {
            normalize_name(presenter, source, &format!("agenda[{i}].presenter"), "报告人", e);
        }
        for (j, speech) in item.speeches.iter_mut().enumerate() {
            normalize_name(&mut speech.speaker, source, &format!("agenda[{i}].speeches[{j}].speaker"), "发言人", e);
        }
    }
    for (i, decision) in file.decisions.iter_mut().enumerate() {
        let decision = decision.get_mut();
        for (j, name) in decision.tellers.iter_mut().enumerate() {
            normalize_name(name, source, &format!("decisions[{i}].tellers[{j}]"), "监票人", e);
        }
        for (j, name) in decision.counters.iter_mut().enumerate() {
            normalize_name(name, source, &format!("decisions[{i}].counters[{j}]"), "计票人", e);
        }
        if let Some(applicant) = &mut decision.applicant {
            normalize_name(applicant, source, &format!("decisions[{i}].applicant"), "申请人", e);
        }
        for (j, candidate) in decision.candidates.iter_mut().enumerate() {
            let field = format!("decisions[{i}].candidates[{j}].name");
            normalize_name(&mut candidate.get_mut().name, source, &field, "候选人", e);
        }
    }
    for (i, reflection) in file.reflections.iter_mut().enumerate() {
        normalize_name(&mut reflection.author, source, &format!("reflections[{i}].author"), "心得体会作者", e);
    }
    let Some(attendance) = file.attendance.as_mut() else { return errors };
    for (i, absence) in attendance.absent.iter_mut().enumerate() {
        normalize_name(&mut absence.name, source, &format!("attendance.absent[{i}].name"), "请假人员姓名", e);
    }
    for (i, name) in attendance.present.iter_mut().flatten().enumerate() {
        normalize_name(name, source, &format!("attendance.present[{i}]"), "实到人员", e);
    }
    for (i, guest) in attendance.guests.iter_mut().enumerate() {
        match name::normalize(&guest.name) {
            Ok(normal) => guest.name = normal,
            Err(err) => {
                let path = ["attendance", "guests"];
                let span = guest_span(&source.text, &path, i).unwrap_or(0..0);
                e.push(name_error(&err, source, span, &format!("attendance.guests[{i}].name"), "列席人员姓名"));
            }
        }
    }
    errors
}

/// The first day an activity can be on: the Party's founding (1921-07-01).
pub const EARLIEST: (i32, u32, u32) = (1921, 7, 1);
/// Later than this is a typo (2206 for 2026), not a plan.
pub const LATEST_YEAR: i32 = 2099;

/// `date` and `notice_date` between 1921-07-01 and 2099-12-31.
pub fn activity_dates(file: &ActivityFile, source: &SourceFile) -> Vec<Diagnostic> {
    let earliest = NaiveDate::from_ymd_opt(EARLIEST.0, EARLIEST.1, EARLIEST.2).expect("a date");
    let mut errors = Vec::new();
    let dates = [("date", "日期", Some(&file.date)), ("notice_date", "通知日期", file.notice_date.as_ref())];
    for (field, label, date) in dates {
        let Some(date) = date else { continue };
        let day = date.get_ref().0;
        if day < earliest || day.year() > LATEST_YEAR {
            errors.push(
                Diagnostic::error(
                    &source.path,
                    format!("{label} {} 不在 1921 年 7 月 1 日到 {LATEST_YEAR} 年之间", date.get_ref()),
                )
                .at(source, date.span())
                .with_field(field, label)
                .with_help("多半是年份打错了：请改为活动实际的日期，例如 2026-11-05"),
            );
        }
    }
    errors
}

/// The span of a key's value by its path of table keys.
fn key_span(text: &str, path: &[&str]) -> Option<Range<usize>> {
    let table = DeTable::parse(text).ok()?;
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    let mut current = table.get_ref();
    for key in path {
        let found = current.get(*key)?;
        value = Some(found);
        if let DeValue::Table(inner) = found.get_ref() {
            current = inner;
        }
    }
    value.map(Spanned::span)
}

/// The span of the `name` of the `i`-th table in the array at `path`.
fn guest_span(text: &str, path: &[&str], i: usize) -> Option<Range<usize>> {
    let table = DeTable::parse(text).ok()?;
    let mut current = table.get_ref();
    let (last, tables) = path.split_last()?;
    for key in tables {
        current = current.get(*key)?.get_ref().as_table()?;
    }
    let item = current.get(*last)?.get_ref().as_array()?.get(i)?;
    item.get_ref().as_table()?.get("name").map(Spanned::span)
}
