//! Attachments to proposals: which files are accepted. The type is decided from the file's first bytes,
//! never from its name or the browser's claim, and the name served back is rebuilt from it.

pub const MAX_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_PER_PROPOSAL: usize = 3;
const NAME_MAX: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
}

impl FileType {
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
        }
    }

    pub fn from_content_type(s: &str) -> Option<Self> {
        [FileType::Pdf, FileType::Png, FileType::Jpeg]
            .into_iter()
            .find(|t| t.content_type() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("only PDF, PNG and JPEG files are accepted")]
    UnsupportedType,
    #[error("a proposal holds at most {max} files")]
    TooMany { max: usize },
}

impl AttachmentError {
    pub fn message_id(&self) -> &'static str {
        match self {
            AttachmentError::Empty => "error-attachment-empty",
            AttachmentError::TooLarge { .. } => "error-attachment-too-large",
            AttachmentError::UnsupportedType => "error-attachment-type",
            AttachmentError::TooMany { .. } => "error-attachment-too-many",
        }
    }
}

impl crate::refusal::Explain for AttachmentError {
    fn code(&self) -> &'static str {
        match self {
            AttachmentError::Empty => "attachment_empty",
            AttachmentError::TooLarge { .. } => "attachment_too_large",
            AttachmentError::UnsupportedType => "attachment_type",
            AttachmentError::TooMany { .. } => "attachment_too_many",
        }
    }
    fn message_id(&self) -> &'static str {
        AttachmentError::message_id(self)
    }
    fn args(&self) -> Vec<(&'static str, crate::refusal::Arg)> {
        match self {
            AttachmentError::TooLarge { max } => {
                vec![("megabytes", crate::refusal::Arg::from(*max / (1024 * 1024)))]
            }
            AttachmentError::TooMany { max } => vec![("max", crate::refusal::Arg::from(*max))],
            _ => vec![],
        }
    }
    fn kind(&self) -> crate::refusal::RefusalKind {
        match self {
            AttachmentError::TooMany { .. } => crate::refusal::RefusalKind::Conflict,
            _ => crate::refusal::RefusalKind::Invalid,
        }
    }
}

/// The type of a file from its leading bytes.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else {
        None
    }
}

/// Checks a file about to be attached to a proposal that already holds `existing` files.
pub fn check(bytes: &[u8], existing: usize) -> Result<FileType, AttachmentError> {
    if existing >= MAX_PER_PROPOSAL {
        return Err(AttachmentError::TooMany {
            max: MAX_PER_PROPOSAL,
        });
    }
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(AttachmentError::TooLarge { max: MAX_BYTES });
    }
    sniff(bytes).ok_or(AttachmentError::UnsupportedType)
}

/// A safe display name: the last path component of what the browser sent, without control characters,
/// quotes or separators, shortened, with the extension of the detected type.
pub fn file_name(sent: &str, file_type: FileType) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = last.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(last);
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>' | '%'))
        .take(NAME_MAX)
        .collect();
    let clean = clean.trim().trim_start_matches('.');
    let stem = if clean.is_empty() {
        "attachment"
    } else {
        clean
    };
    format!("{stem}.{}", file_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some(FileType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileType::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        for t in [FileType::Pdf, FileType::Png, FileType::Jpeg] {
            assert_eq!(FileType::from_content_type(t.content_type()), Some(t));
        }
    }

    #[test]
    fn limits() {
        assert_eq!(check(b"", 0), Err(AttachmentError::Empty));
        assert_eq!(check(b"%PDF-", 3), Err(AttachmentError::TooMany { max: 3 }));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        assert_eq!(
            check(&big, 0),
            Err(AttachmentError::TooLarge { max: MAX_BYTES })
        );
        big.truncate(MAX_BYTES);
        assert_eq!(check(&big, 2), Ok(FileType::Pdf));
        assert_eq!(check(b"GIF89a", 0), Err(AttachmentError::UnsupportedType));
    }

    #[test]
    fn names_are_rebuilt() {
        assert_eq!(
            file_name("C:\\Users\\me\\지도.png", FileType::Png),
            "지도.png"
        );
        assert_eq!(file_name("../../etc/passwd", FileType::Pdf), "passwd.pdf");
        assert_eq!(file_name("evil\".html", FileType::Jpeg), "evil.jpg");
        assert_eq!(file_name("", FileType::Pdf), "attachment.pdf");
        assert_eq!(file_name(".hidden", FileType::Pdf), "attachment.pdf");
        assert_eq!(
            file_name(&"가".repeat(300), FileType::Pdf).chars().count(),
            104
        );
    }
}
