//! Reading input files as text, with the encodings a Windows Notepad user produces.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// One input file held in memory, so that diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Why an input file could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Not UTF-8 from this 1-based line and column on: most likely GBK, as Notepad used to save.
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// UTF-16 or UTF-32 (Notepad's "Unicode"): named, so the fix converts from it, not from GBK.
    Wide {
        path: PathBuf,
        encoding: &'static str,
    },
}

impl SourceFile {
    /// Reads a file as UTF-8, dropping a leading BOM. CRLF is left alone: TOML accepts it.
    pub fn read(path: &Path) -> Result<SourceFile, ReadError> {
        let bytes = std::fs::read(path).map_err(|error| ReadError::Io { path: path.to_path_buf(), error })?;
        Self::from_bytes(path, bytes)
    }

    pub fn from_bytes(path: &Path, mut bytes: Vec<u8>) -> Result<SourceFile, ReadError> {
        if let Some(encoding) = wide_encoding(&bytes) {
            return Err(ReadError::Wide { path: path.to_path_buf(), encoding });
        }
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile { path: path.to_path_buf(), text }),
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let before = String::from_utf8_lossy(&err.as_bytes()[..offset]);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                Err(ReadError::NotUtf8 { path: path.to_path_buf(), line, column })
            }
        }
    }

    /// 1-based line and column (in characters, as editors count) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        crate::text::line_column(&self.text, offset)
    }
}

/// A diagnostic quotes the file's text.
impl AsRef<str> for SourceFile {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl ReadError {
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Io { path, .. } | ReadError::NotUtf8 { path, .. } | ReadError::Wide { path, .. } => path,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { error, .. } => write!(f, "无法读取文件：{}", io_reason(error)),
            ReadError::NotUtf8 { line, column, .. } => {
                write!(f, "文件不是 UTF-8 编码（第 {line} 行第 {column} 列起无法识别），可能是 GBK/ANSI 编码")
            }
            ReadError::Wide { encoding, .. } => {
                let notepad = if encoding.starts_with("UTF-16") { "（记事本中叫“Unicode”）" } else { "" };
                write!(f, "文件是 {encoding} 编码{notepad}，pdb 只读 UTF-8")
            }
        }
    }
}

impl std::error::Error for ReadError {}

impl From<ReadError> for Diagnostic {
    fn from(err: ReadError) -> Diagnostic {
        let diagnostic = Diagnostic::error(err.path(), err.to_string());
        match err {
            ReadError::Io { .. } => diagnostic.with_help("检查文件路径是否正确、文件是否存在"),
            ReadError::NotUtf8 { line, column, .. } => diagnostic.with_position(line, column).with_help(
                "用记事本打开该文件，选择“另存为”，在“编码”中选 UTF-8 后保存；\
                 或在命令行执行 iconv -f GBK -t UTF-8 原文件 > 新文件",
            ),
            ReadError::Wide { encoding, .. } => diagnostic.with_help(format!(
                "用记事本打开该文件，选择“另存为”，在“编码”中选 UTF-8 后保存；\
                 或在命令行执行 iconv -f {encoding} -t UTF-8 原文件 > 新文件"
            )),
        }
    }
}

pub(crate) fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        _ => err.to_string(),
    }
}

/// UTF-16 or UTF-32, by its BOM or, without one, by the zero bytes that ASCII text (TOML's keys)
/// has in every other (or three of four) byte.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some("UTF-32LE");
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some("UTF-32BE");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some("UTF-16LE");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16BE");
    }
    let sample = &bytes[..bytes.len().min(4096)];
    if sample.len() < 4 || !sample.contains(&0) {
        return None;
    }
    let zeros_at = |phase: usize, step: usize| {
        let slots = sample.len() / step;
        let zeros = sample.chunks_exact(step).filter(|c| c[phase] == 0).count();
        slots > 0 && zeros * 10 >= slots * 7
    };
    if zeros_at(1, 4) && zeros_at(2, 4) && zeros_at(3, 4) {
        Some("UTF-32LE")
    } else if zeros_at(0, 4) && zeros_at(1, 4) && zeros_at(2, 4) {
        Some("UTF-32BE")
    } else if zeros_at(1, 2) {
        Some("UTF-16LE")
    } else if zeros_at(0, 2) {
        Some("UTF-16BE")
    } else {
        None
    }
}
