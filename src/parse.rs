//! Deserializing a whole input file and reporting every independent error at once (up to
//! [`MAX_ERRORS`]), in line order: a secretary fixes them all in one go instead of one per run.
//!
//! After an error, the offending part of the parsed table is patched and the file deserialized
//! again: an unknown key is dropped, a value of the wrong type is replaced by a stand-in of a
//! type that fits, a missing key gets one. Stand-ins keep the span of what they replace, so the
//! spans of the result still point into the file as written; [`Parsed::patched`] lists those
//! spans, so that a later check can leave out errors that only a stand-in caused.

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;

/// More than this and the rest is noise: the file is probably not a pdb file at all.
pub const MAX_ERRORS: usize = 20;

pub struct Parsed<T> {
    /// The file's contents, with stand-ins where it had errors; `None` when even patching could
    /// not make it deserialize.
    pub value: Option<T>,
    pub errors: Vec<Diagnostic>,
    /// The spans of the patched parts.
    pub patched: Vec<Range<usize>>,
}

impl<T> Parsed<T> {
    /// Whether a diagnostic (by its span's start) is about a part that was patched.
    pub fn is_patched(patched: &[Range<usize>], offset: usize) -> bool {
        patched.iter().any(|span| span.start <= offset && offset < span.end.max(span.start + 1))
    }
}

/// The stand-ins tried for a value of the wrong type or a missing key, in this order: the first
/// that moves the error elsewhere is kept.
const STAND_INS: &[&str] = &[
    "\"\"",
    "0",
    "false",
    "[]",
    "{}",
    "2000-01-01",
    "00:00:00",
    "\"其他\"",
    "\"正式党员\"",
    "\"已召开\"",
    "\"ordinary\"",
    "\"每月\"",
];

/// `explain` words one toml error (load's, which knows the fields' Chinese labels).
pub fn parse_all<T: DeserializeOwned>(
    source: &SourceFile,
    explain: impl Fn(&SourceFile, &toml::de::Error) -> Diagnostic,
) -> Parsed<T> {
    let (table, syntax) = DeTable::parse_recoverable(&source.text);
    if !syntax.is_empty() {
        let mut errors: Vec<Diagnostic> = Vec::new();
        for err in &syntax {
            let diagnostic = explain(source, err);
            // Recovery can report one mistake twice; one message per line is enough.
            if !errors.iter().any(|d| d.line == diagnostic.line) {
                errors.push(diagnostic);
            }
        }
        errors.truncate(MAX_ERRORS);
        return Parsed { value: None, errors, patched: Vec::new() };
    }
    let mut table = table;
    let mut errors = Vec::new();
    let mut patched = Vec::new();
    loop {
        let err = match T::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(value) => return Parsed { value: Some(value), errors, patched },
            Err(err) => err,
        };
        errors.push(explain(source, &err));
        if errors.len() >= MAX_ERRORS {
            break;
        }
        match patch::<T>(&table, &err) {
            Some((next, span)) => {
                table = next;
                patched.push(span);
            }
            None => break,
        }
    }
    Parsed { value: None, errors, patched }
}

/// The table with the part `err` is about patched, and the span patched; `None` when no patch
/// gets past this error.
fn patch<'i, T: DeserializeOwned>(
    table: &Spanned<DeTable<'i>>,
    err: &toml::de::Error,
) -> Option<(Spanned<DeTable<'i>>, Range<usize>)> {
    let span = err.span()?;
    let message = err.message();
    // Whether the next error is about something else: for a missing key, another message;
    // for a value, another place.
    let moved = |candidate: &Spanned<DeTable<'i>>, missing: bool| match T::deserialize(toml::de::Deserializer::from(
        candidate.clone(),
    )) {
        Ok(_) => true,
        Err(next) if missing => next.message() != message,
        Err(next) => next.span().is_none_or(|s| !within(&span, &s) && !within(&s, &span)),
    };
    if let Some(key) = message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
        for stand_in in STAND_INS {
            let mut candidate = table.clone();
            let target = table_at(candidate.get_mut(), &span)?;
            let value = Spanned::new(span.clone(), DeValue::parse(stand_in).ok()?.into_inner());
            target.insert(Spanned::new(span.clone(), key.to_string().into()), value);
            if moved(&candidate, true) {
                return Some((candidate, span));
            }
        }
        return None;
    }
    // An unknown key (its span is the key's) or a bad value: drop the key, or replace the value.
    let mut candidate = table.clone();
    if remove_key_at(candidate.get_mut(), &span) && moved(&candidate, false) {
        return Some((candidate, span));
    }
    for stand_in in STAND_INS {
        let mut candidate = table.clone();
        let value = value_at(candidate.get_mut(), &span)?;
        let replaced = value.span();
        *value = Spanned::new(replaced.clone(), DeValue::parse(stand_in).ok()?.into_inner());
        if moved(&candidate, false) {
            return Some((candidate, replaced));
        }
    }
    None
}

fn within(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end.max(outer.start + 1)
}

/// Removes the key whose own span is `span`, at any depth.
fn remove_key_at(table: &mut DeTable<'_>, span: &Range<usize>) -> bool {
    let found = table.iter().find(|(k, _)| k.span() == *span).map(|(k, _)| k.get_ref().clone());
    if let Some(key) = found {
        table.remove(key.as_ref());
        return true;
    }
    table.iter_mut().any(|(_, v)| match v.get_mut() {
        DeValue::Table(inner) => remove_key_at(inner, span),
        DeValue::Array(items) => items.iter_mut().any(|item| match item.get_mut() {
            DeValue::Table(inner) => remove_key_at(inner, span),
            _ => false,
        }),
        _ => false,
    })
}

/// The deepest value whose span holds `span`.
fn value_at<'a, 'i>(table: &'a mut DeTable<'i>, span: &Range<usize>) -> Option<&'a mut Spanned<DeValue<'i>>> {
    for (_, value) in table.iter_mut() {
        if let Some(found) = value_in(value, span) {
            return Some(found);
        }
    }
    None
}

fn value_in<'a, 'i>(value: &'a mut Spanned<DeValue<'i>>, span: &Range<usize>) -> Option<&'a mut Spanned<DeValue<'i>>> {
    let holds = within(&value.span(), span);
    let deeper = match value.get_mut() {
        DeValue::Table(inner) => value_at(inner, span).is_some(),
        DeValue::Array(items) => items.iter_mut().any(|item| value_in(item, span).is_some()),
        _ => false,
    };
    if deeper {
        return match value.get_mut() {
            DeValue::Table(inner) => value_at(inner, span),
            DeValue::Array(items) => items.iter_mut().find_map(|item| value_in(item, span)),
            _ => None,
        };
    }
    holds.then_some(value)
}

/// The deepest table whose span (or whose header, for `[[agenda]]`) holds `span`: where a
/// missing key goes. The root when no inner table does.
fn table_at<'a, 'i>(table: &'a mut DeTable<'i>, span: &Range<usize>) -> Option<&'a mut DeTable<'i>> {
    let inner = table.iter().position(|(_, v)| holds_table(v, span));
    match inner {
        None => Some(table),
        Some(i) => {
            let (_, value) = table.iter_mut().nth(i)?;
            match value.get_mut() {
                DeValue::Table(inner) => table_at(inner, span),
                DeValue::Array(items) => {
                    let item = items.iter_mut().find(|item| holds_table(item, span))?;
                    match item.get_mut() {
                        DeValue::Table(inner) => table_at(inner, span),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
    }
}

fn holds_table(value: &Spanned<DeValue<'_>>, span: &Range<usize>) -> bool {
    match value.get_ref() {
        DeValue::Table(_) => within(&value.span(), span),
        DeValue::Array(items) => items.iter().any(|item| holds_table(item, span)),
        _ => false,
    }
}
