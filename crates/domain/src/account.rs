//! Account input rules: what a valid e-mail, password and display name are.

/// Why a form field was refused. Each maps to a message key the web layer translates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("required")]
    Required,
    #[error("too short: at least {min} characters")]
    TooShort { min: usize },
    #[error("too long: at most {max} characters")]
    TooLong { max: usize },
    #[error("not a valid e-mail address")]
    InvalidEmail,
    #[error("the two entries differ")]
    Mismatch,
    #[error("already in use")]
    Taken,
    #[error("not a valid date (YYYY-MM-DD)")]
    InvalidDate,
    #[error("not valid")]
    Invalid,
}

impl FieldError {
    /// The i18n message id for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            FieldError::Required => "error-required",
            FieldError::TooShort { .. } => "error-too-short",
            FieldError::TooLong { .. } => "error-too-long",
            FieldError::InvalidEmail => "error-invalid-email",
            FieldError::Mismatch => "error-mismatch",
            FieldError::Taken => "error-taken",
            FieldError::InvalidDate => "error-invalid-date",
            FieldError::Invalid => "error-invalid",
        }
    }

    /// The number the message interpolates, if any.
    pub fn limit(&self) -> Option<usize> {
        match self {
            FieldError::TooShort { min } => Some(*min),
            FieldError::TooLong { max } => Some(*max),
            _ => None,
        }
    }
}

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 200;
pub const NAME_MAX: usize = 60;
pub const EMAIL_MAX: usize = 254;

/// Normalises and checks an e-mail address; returns it lower-cased.
pub fn parse_email(input: &str) -> Result<String, FieldError> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err(FieldError::Required);
    }
    if email.chars().count() > EMAIL_MAX {
        return Err(FieldError::TooLong { max: EMAIL_MAX });
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err(FieldError::InvalidEmail);
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    let no_space = !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if local.is_empty() || !domain_ok || !no_space || local.contains('@') {
        return Err(FieldError::InvalidEmail);
    }
    Ok(email)
}

/// Checks a new password (length in characters, so Korean passphrases count fairly).
pub fn check_password(password: &str) -> Result<(), FieldError> {
    let len = password.chars().count();
    if len == 0 {
        Err(FieldError::Required)
    } else if len < PASSWORD_MIN {
        Err(FieldError::TooShort { min: PASSWORD_MIN })
    } else if len > PASSWORD_MAX {
        Err(FieldError::TooLong { max: PASSWORD_MAX })
    } else {
        Ok(())
    }
}

/// Normalises and checks a display name (trimmed, inner whitespace collapsed, no control characters).
pub fn parse_display_name(input: &str) -> Result<String, FieldError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(FieldError::Required);
    }
    if name.chars().count() > NAME_MAX {
        return Err(FieldError::TooLong { max: NAME_MAX });
    }
    if name.chars().any(char::is_control) {
        return Err(FieldError::Invalid);
    }
    Ok(name)
}

pub const HANDLE_MIN: usize = 3;
pub const HANDLE_MAX: usize = 30;

/// Checks a handle — the unique name people are mentioned by (`@handle`) and found at (`/people/handle`):
/// 3–30 letters (any script), digits or `_`, starting with a letter; Latin letters are lower-cased, so
/// `Kim` and `kim` are one handle.
pub fn parse_handle(input: &str) -> Result<String, FieldError> {
    let handle: String = input.trim().trim_start_matches('@').to_lowercase();
    let len = handle.chars().count();
    if len == 0 {
        Err(FieldError::Required)
    } else if len < HANDLE_MIN {
        Err(FieldError::TooShort { min: HANDLE_MIN })
    } else if len > HANDLE_MAX {
        Err(FieldError::TooLong { max: HANDLE_MAX })
    } else if !handle.chars().next().is_some_and(char::is_alphabetic)
        || !handle.chars().all(|c| c.is_alphanumeric() || c == '_')
    {
        Err(FieldError::Invalid)
    } else {
        Ok(handle)
    }
}

/// A handle suggested from an e-mail address when a person chooses none (`kim.minji@…` → `kim_minji`);
/// the storage layer appends digits while it is taken.
pub fn suggest_handle(email: &str) -> String {
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    let mut handle: String = local
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .take(HANDLE_MAX - 4)
        .collect();
    if !handle.chars().next().is_some_and(char::is_alphabetic) {
        handle.insert_str(0, "user_");
    }
    while handle.chars().count() < HANDLE_MIN {
        handle.push('_');
    }
    handle
}

/// What account, role and residence actions refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountRefusal {
    #[error("only a pending residence can be verified or rejected")]
    ResidencyNotPending,
    #[error("only a verified residence can be revoked")]
    ResidencyNotVerified,
    #[error("the account is blocked")]
    Blocked,
    #[error("the role is already granted")]
    RoleAlreadyGranted,
    #[error("this register identity already verifies another account")]
    IdentityClaimed,
}

impl crate::refusal::Explain for AccountRefusal {
    fn code(&self) -> &'static str {
        match self {
            AccountRefusal::ResidencyNotPending => "residency_not_pending",
            AccountRefusal::ResidencyNotVerified => "residency_not_verified",
            AccountRefusal::Blocked => "account_blocked",
            AccountRefusal::RoleAlreadyGranted => "role_already_granted",
            AccountRefusal::IdentityClaimed => "identity_claimed",
        }
    }
    fn message_id(&self) -> &'static str {
        match self {
            AccountRefusal::ResidencyNotPending => "refusal-residency-not-pending",
            AccountRefusal::ResidencyNotVerified => "refusal-residency-not-verified",
            AccountRefusal::Blocked => "login-blocked",
            AccountRefusal::RoleAlreadyGranted => "refusal-role-already-granted",
            AccountRefusal::IdentityClaimed => "refusal-identity-claimed",
        }
    }
    fn kind(&self) -> crate::refusal::RefusalKind {
        match self {
            AccountRefusal::Blocked => crate::refusal::RefusalKind::Forbidden,
            _ => crate::refusal::RefusalKind::Conflict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(parse_email("  Kim@Example.KR ").unwrap(), "kim@example.kr");
        assert_eq!(parse_email(""), Err(FieldError::Required));
        for bad in [
            "kim",
            "kim@",
            "@example.kr",
            "kim@example",
            "k im@example.kr",
            "kim@.kr",
            "kim@ex..kr",
        ] {
            assert_eq!(parse_email(bad), Err(FieldError::InvalidEmail), "{bad}");
        }
        let long = format!("{}@example.kr", "a".repeat(250));
        assert_eq!(
            parse_email(&long),
            Err(FieldError::TooLong { max: EMAIL_MAX })
        );
    }

    #[test]
    fn passwords_count_characters() {
        assert_eq!(check_password(""), Err(FieldError::Required));
        assert_eq!(
            check_password("short"),
            Err(FieldError::TooShort { min: PASSWORD_MIN })
        );
        assert!(check_password("마을공동체민주주의만세").is_ok()); // 11 characters, 33 bytes
        assert!(check_password(&"x".repeat(201)).is_err());
    }

    #[test]
    fn handles() {
        assert_eq!(parse_handle(" @Kim_Minji "), Ok("kim_minji".into()));
        assert_eq!(parse_handle("김하늘"), Ok("김하늘".into()));
        assert_eq!(parse_handle("ab"), Err(FieldError::TooShort { min: 3 }));
        for bad in [
            "1abc",
            "_abc",
            "kim minji",
            "kim.minji",
            "kim-minji",
            "kim@x",
        ] {
            assert_eq!(parse_handle(bad), Err(FieldError::Invalid), "{bad}");
        }
        assert!(parse_handle(&"a".repeat(31)).is_err());
        assert_eq!(suggest_handle("Kim.Minji@example.kr"), "kim_minji");
        assert_eq!(suggest_handle("7@example.kr"), "user_7");
        assert_eq!(parse_handle(&suggest_handle("x@y.kr")), Ok("x__".into()));
        for email in [
            "a.b-c+d@x.kr",
            "1@x.kr",
            "김@x.kr",
            &format!("{}@x.kr", "y".repeat(80)),
        ] {
            assert!(parse_handle(&suggest_handle(email)).is_ok(), "{email}");
        }
    }

    #[test]
    fn display_names() {
        assert_eq!(parse_display_name("  김   민지 ").unwrap(), "김 민지");
        assert_eq!(parse_display_name("   "), Err(FieldError::Required));
        assert!(parse_display_name(&"가".repeat(61)).is_err());
    }
}
