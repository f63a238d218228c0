//! The photos of an activity: each must exist and be an image typst can show.

use std::path::Path;

use super::Checker;

const IMAGE_TYPES: &[&str] = &["jpg", "jpeg", "png", "gif", "svg", "webp"];

pub(super) fn check_photos(checker: &mut Checker<'_>) {
    let activity = checker.activity;
    let folder = activity.source.path.parent().unwrap_or(Path::new("."));
    for (i, photo) in activity.file.photos.iter().enumerate() {
        let relative = photo.file.get_ref();
        let path = folder.join(relative);
        let field = format!("photos[{i}].file");
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if !IMAGE_TYPES.contains(&extension.as_str()) {
            checker.error(
                photo.file.span(),
                &field,
                "照片文件",
                format!("“{relative}”不是支持的图片格式"),
                "请使用 jpg、png、gif、svg 或 webp 格式的图片".into(),
            );
            continue;
        }
        match crate::photo::read(&path) {
            Err(crate::photo::PhotoError::NotFound) => checker.error(
                photo.file.span(),
                &field,
                "照片文件",
                format!("找不到照片“{}”", path.display()),
                "照片路径相对于本活动文件所在的文件夹，请核对文件名和文件夹（例如 photos/1.jpg）".into(),
            ),
            Err(err) => checker.error(
                photo.file.span(),
                &field,
                "照片文件",
                format!("照片“{relative}”{}", err.message()),
                err.help().into(),
            ),
            Ok(bytes) if !looks_like(&extension, &bytes) => checker.error(
                photo.file.span(),
                &field,
                "照片文件",
                format!("“{relative}”的内容不是 {extension} 图片"),
                "文件可能已损坏，或扩展名与实际格式不符；请重新导出图片".into(),
            ),
            Ok(_) => {}
        }
    }
}

/// Checks the magic bytes, so a renamed document is caught before typst fails on it.
fn looks_like(extension: &str, bytes: &[u8]) -> bool {
    match extension {
        "jpg" | "jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "gif" => bytes.starts_with(b"GIF8"),
        "webp" => bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        "svg" => String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).contains("<svg"),
        _ => false,
    }
}
