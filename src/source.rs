//! Reading input files as text, with the encodings a Windows Notepad user produces.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// One input file held in memory, so that diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// Reads a file as UTF-8, dropping a leading BOM. CRLF is left alone: TOML accepts it.
    pub fn read(path: &Path) -> Result<SourceFile, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|err| {
            Diagnostic::error(path, format!("无法读取文件：{}", io_reason(&err)))
                .with_help("检查文件路径是否正确、文件是否存在")
        })?;
        Self::from_bytes(path, bytes)
    }

    pub fn from_bytes(path: &Path, mut bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
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
                Err(Diagnostic::error(
                    path,
                    format!(
                        "文件不是 UTF-8 编码（第 {line} 行第 {column} 列起无法识别），可能是 GBK/ANSI 编码"
                    ),
                )
                .with_position(line, column)
                .with_help(
                    "用记事本打开该文件，选择“另存为”，在“编码”中选 UTF-8 后保存；\
                     或在命令行执行 iconv -f GBK -t UTF-8 原文件 > 新文件",
                ))
            }
        }
    }

    /// 1-based line and column (in characters, as editors count) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

pub(crate) fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        _ => err.to_string(),
    }
}
