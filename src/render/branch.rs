//! A branch's own documents (the 台账, the register, the 发展党员工作台账): one view, rendered
//! in each format asked for and named by the document's stem.

use std::path::Path;

use serde::Serialize;

use super::{Engine, Format, RenderedFile, TemplateError};

/// For typst/base.typ: a branch document's title and what it was made from.
#[derive(Debug, Serialize)]
pub struct Act {
    pub title: String,
    pub source_file: String,
}

impl Act {
    /// “branch.toml 和各活动记录”: the branch file and the `records` the document sums up.
    pub fn new(title: &str, branch_file: &Path, records: &str) -> Act {
        Act { title: title.to_string(), source_file: format!("{} 和{records}", branch_file.display()) }
    }
}

/// Makes the Word form from the template's name and the view's context.
pub type Docx<'a> = &'a dyn Fn(&str, &tera::Context) -> Result<Vec<u8>, TemplateError>;

/// Which branch document: its template under each format's folder (`ledger`,
/// `applicant/ledger`), its file name without extension (台账), and how its .docx is made when
/// it has a Word form.
pub struct BranchDocument<'a> {
    pub template: &'a str,
    pub stem: &'a str,
    pub docx: Option<Docx<'a>>,
}

/// The document of `view` in every format of `formats`, in that order.
pub fn render_branch<V: Serialize>(
    engine: &Engine,
    document: &BranchDocument,
    view: &V,
    formats: &[Format],
) -> Result<Vec<RenderedFile>, TemplateError> {
    let context = tera::Context::from_serialize(view).expect("a branch document's view serializes to a map");
    formats
        .iter()
        .map(|&format| {
            let name = format!("{}/{}.{}", format.folder(), document.template, format.template_extension());
            let contents = match (format, document.docx) {
                (Format::Docx, Some(docx)) => docx(&name, &context)?,
                _ => engine.render_template(format, &name, &context)?.into_bytes(),
            };
            Ok(RenderedFile { name: format!("{}.{}", document.stem, format.extension()), contents })
        })
        .collect()
}
