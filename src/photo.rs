//! Reading a photo file, bounded: only a regular file (a FIFO would block the run, a symlink
//! to /dev/zero would fill memory), at most [`MAX_BYTES`], read with that bound even if the
//! file grows meanwhile.

use std::io::Read;
use std::path::Path;

/// 50 MB: a photo from a phone is 2–10 MB; more is a video or a scan to shrink first.
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Debug)]
pub enum PhotoError {
    NotFound,
    /// A folder, a device, a FIFO, a socket.
    NotAFile(&'static str),
    TooLarge(u64),
    Io(std::io::Error),
}

impl PhotoError {
    /// What is wrong, after the photo's name.
    pub fn message(&self) -> String {
        match self {
            PhotoError::NotFound => "不存在".to_string(),
            PhotoError::NotAFile(what) => format!("不是图片文件，而是{what}"),
            PhotoError::TooLarge(size) => {
                format!("太大（{:.1} MB），超过 {} MB 的上限", *size as f64 / 1024.0 / 1024.0, MAX_BYTES / 1024 / 1024)
            }
            PhotoError::Io(err) => format!("无法读取：{}", crate::source::io_reason(err)),
        }
    }

    pub fn help(&self) -> &'static str {
        match self {
            PhotoError::NotFound => "照片路径相对于本活动文件所在的文件夹，请核对文件名和文件夹（例如 photos/1.jpg）",
            PhotoError::NotAFile(_) => "file 要写一张照片文件的路径（例如 photos/1.jpg），不能是文件夹或设备",
            PhotoError::TooLarge(_) => {
                "把照片缩小后再用（例如用画图“重新调整大小”，或手机上选较小的尺寸），每张不超过 50 MB"
            }
            PhotoError::Io(_) => "检查照片文件是否存在、是否被其他程序占用",
        }
    }
}

/// The photo's bytes.
pub fn read(path: &Path) -> Result<Vec<u8>, PhotoError> {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(PhotoError::NotFound),
        Err(err) => return Err(PhotoError::Io(err)),
    };
    check(&metadata)?;
    let file = std::fs::File::open(path).map_err(PhotoError::Io)?;
    // The file opened may not be the one looked at (it was replaced in between).
    check(&file.metadata().map_err(PhotoError::Io)?)?;
    let mut bytes = Vec::with_capacity(metadata.len().min(MAX_BYTES) as usize);
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes).map_err(PhotoError::Io)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(PhotoError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

fn check(metadata: &std::fs::Metadata) -> Result<(), PhotoError> {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return Err(PhotoError::NotAFile("文件夹"));
    }
    if !kind.is_file() {
        return Err(PhotoError::NotAFile("设备或管道等特殊文件"));
    }
    if metadata.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge(metadata.len()));
    }
    Ok(())
}
