//! Rendering a checked record into documents: the view model, the templates and escaping.

pub(crate) mod applicant;
pub mod branch;
mod count;
pub mod decision;
mod digest;
pub(crate) mod document;
pub mod docx;
pub mod engine;
/// Public for the property tests of tests/reliability.rs.
pub mod escape;
mod extra;
mod fonts;
pub(crate) mod view;

pub use branch::{render_branch, BranchDocument};
pub use document::Document;
pub use engine::{Engine, EngineError, Engines, Format, TemplateError};
pub use fonts::Fonts;
pub use view::{Count, Packet};

use crate::model::Kind;
use crate::record::Record;

/// One rendered document, before it is written.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    /// File name inside the activity's output folder, e.g. `01-会议通知.typ`.
    pub name: String,
    pub contents: Vec<u8>,
}

/// Which documents a record produces: 06 only with photos, 08 only with reflections, and for a
/// planned activity only the four used before the meeting, whatever `--only` asks for.
pub fn documents_for(record: &Record, only: Option<&[Document]>) -> Vec<Document> {
    let file = &record.activity.file;
    Document::ALL
        .into_iter()
        .filter(|d| !record.is_planned() || d.is_pre_meeting())
        .filter(|d| match d {
            Document::Photos => !file.photos.is_empty(),
            Document::Reflections => !file.reflections.is_empty(),
            _ => true,
        })
        .filter(|d| only.is_none_or(|only| only.contains(d)))
        .collect()
}

/// Name of each photo inside the output folder: `photo-1.jpg`, kept short and ASCII so any
/// viewer, and typst's `image()`, reads it.
pub fn photo_names(record: &Record) -> Vec<String> {
    record
        .activity
        .file
        .photos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let ext = std::path::Path::new(p.file.get_ref())
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            format!("photo-{}.{ext}", i + 1)
        })
        .collect()
}

/// What to render of one activity: its view model, which of its documents, in which formats.
pub struct Request<'a> {
    pub packet: &'a Packet,
    pub documents: &'a [Document],
    /// The activity's kind, which names the files (会议通知 or 活动通知).
    pub kind: Kind,
    pub formats: &'a [Format],
}

/// Renders the requested documents of one view model in every requested format.
pub fn render_documents(engine: &Engine, request: &Request) -> Result<Vec<RenderedFile>, TemplateError> {
    let Request { packet, documents, kind, formats } = *request;
    let context = tera::Context::from_serialize(packet).expect("the view model serializes to a map");
    let mut files = Vec::new();
    for &document in documents {
        for &format in formats {
            let text = engine.render_context(format, document, &context)?;
            files.push(RenderedFile {
                name: format!("{}.{}", document.stem(kind), format.extension()),
                contents: text.into_bytes(),
            });
        }
    }
    Ok(files)
}
