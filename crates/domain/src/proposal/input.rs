//! Input rules for a proposal's text.
use crate::account::FieldError;

pub const TITLE_MIN: usize = 4;
pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 10_000;
pub const REASON_MAX: usize = 1_000;

pub fn parse_title(input: &str) -> Result<String, FieldError> {
    let title = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = title.chars().count();
    if len == 0 {
        Err(FieldError::Required)
    } else if len < TITLE_MIN {
        Err(FieldError::TooShort { min: TITLE_MIN })
    } else if len > TITLE_MAX {
        Err(FieldError::TooLong { max: TITLE_MAX })
    } else {
        Ok(title)
    }
}

/// The body is markdown; it is kept as written (trimmed) and sanitised when rendered.
pub fn parse_body(input: &str) -> Result<String, FieldError> {
    let body = input.trim().replace("\r\n", "\n");
    let len = body.chars().count();
    if len == 0 {
        Err(FieldError::Required)
    } else if len > BODY_MAX {
        Err(FieldError::TooLong { max: BODY_MAX })
    } else {
        Ok(body)
    }
}

pub const COMMENT_MAX: usize = 2_000;

/// A comment: markdown like a proposal's body, shorter.
pub fn parse_comment(input: &str) -> Result<String, FieldError> {
    let body = parse_body(input)?;
    if body.chars().count() > COMMENT_MAX {
        Err(FieldError::TooLong { max: COMMENT_MAX })
    } else {
        Ok(body)
    }
}

pub fn parse_category(input: &str) -> Result<super::Category, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(FieldError::Required);
    }
    super::Category::parse(input).ok_or(FieldError::Invalid)
}

pub const LOCATION_MAX: usize = 200;

/// Where a proposal is about, in words (a street, a park, a building): optional, one line.
pub fn parse_location(input: &str) -> Result<String, FieldError> {
    let location = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if location.chars().count() > LOCATION_MAX {
        Err(FieldError::TooLong { max: LOCATION_MAX })
    } else {
        Ok(location)
    }
}

pub fn parse_reason(input: &str) -> Result<String, FieldError> {
    let reason = input.trim().to_owned();
    match reason.chars().count() {
        0 => Err(FieldError::Required),
        n if n > REASON_MAX => Err(FieldError::TooLong { max: REASON_MAX }),
        _ => Ok(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_bodies_and_categories() {
        assert_eq!(
            parse_title("  골목   쉼터 만들기 ").unwrap(),
            "골목 쉼터 만들기"
        );
        assert_eq!(
            parse_title("abc"),
            Err(FieldError::TooShort { min: TITLE_MIN })
        );
        assert_eq!(
            parse_title(&"가".repeat(121)),
            Err(FieldError::TooLong { max: TITLE_MAX })
        );
        assert_eq!(parse_body(" \r\n "), Err(FieldError::Required));
        assert_eq!(parse_body("a\r\nb").unwrap(), "a\nb");
        assert!(parse_body(&"x".repeat(10_001)).is_err());
        assert_eq!(parse_category("safety"), Ok(super::super::Category::Safety));
        assert_eq!(parse_category("<script>"), Err(FieldError::Invalid));
        assert_eq!(parse_reason(""), Err(FieldError::Required));
        assert_eq!(
            parse_location("  종로구 \n 삼청공원 "),
            Ok("종로구 삼청공원".into())
        );
        assert_eq!(parse_location(""), Ok(String::new()));
        assert_eq!(
            parse_location(&"가".repeat(LOCATION_MAX + 1)),
            Err(FieldError::TooLong { max: LOCATION_MAX })
        );
        assert_eq!(
            parse_comment(&"x".repeat(2_001)),
            Err(FieldError::TooLong { max: COMMENT_MAX })
        );
        assert_eq!(parse_comment(" 좋아요 ").unwrap(), "좋아요");
    }
}
