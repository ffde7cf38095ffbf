//! Organizations of the network: their kinds, fields of activity, members' roles and the staff's
//! verification (a registration number, or an in-person check with a note).

use super::CooperationRefusal;
use crate::account::FieldError;

/// A name (of an organization, a resource, a program, a call): 2 to 80 characters, spaces collapsed.
pub fn parse_name(input: &str) -> Result<String, FieldError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err(FieldError::Required),
        1 => Err(FieldError::TooShort { min: 2 }),
        n if n > 80 => Err(FieldError::TooLong { max: 80 }),
        _ => Ok(name),
    }
}

/// A free text (purpose, rules, plan): at most 4,000 characters, may be empty.
pub fn parse_text(input: &str) -> Result<String, FieldError> {
    let text = input.trim().replace("\r\n", "\n");
    if text.chars().count() > 4_000 {
        Err(FieldError::TooLong { max: 4_000 })
    } else {
        Ok(text)
    }
}

crate::named_enum! {
    /// What kind of body an organization is.
    pub enum OrgKind: "organization kind", label "coop-kind-" {
        /// A registered civil-society organization (비영리민간단체, 사단법인 …).
        CivicOrganization = "civic_organization",
        /// An informal community group of residents (주민모임).
        CommunityGroup = "community_group",
        /// A social-economy enterprise (사회적기업, 협동조합, 마을기업).
        SocialEconomy = "social_economy",
        /// An intermediary support centre (중간지원조직).
        SupportCentre = "support_centre",
    }
}

crate::named_enum! {
    /// A field an organization works in (the directory filters by it).
    pub enum Field: "field of activity", label "coop-field-" {
        Welfare = "welfare",
        Environment = "environment",
        Culture = "culture",
        Education = "education",
        Economy = "economy",
        Safety = "safety",
        Governance = "governance",
    }
}

crate::named_enum! {
    /// A member's role in an organization.
    pub enum MemberRole: "member role", label "coop-role-" {
        /// Speaks for the organization and edits it.
        Representative = "representative",
        /// Works for it; edits it too.
        Staff = "staff",
        Member = "member",
    }
}

impl MemberRole {
    /// Whether this role edits the organization's page and acts for it.
    pub fn edits(self) -> bool {
        matches!(self, MemberRole::Representative | MemberRole::Staff)
    }
}

crate::named_enum! {
    /// How staff verified an organization.
    pub enum VerificationMethod: "verification method", label "coop-verified-by-" {
        RegistrationNumber = "registration_number",
        InPersonCheck = "in_person_check",
    }
}

crate::named_enum! {
    /// An organization's place in its scope's platform (the consortium that runs it).
    pub enum ConsortiumRole: "consortium role", label "coop-consortium-" {
        Lead = "lead",
        Member = "member",
    }
}

/// Checks a verification: a registration number must read `000-00-00000` (the business or
/// non-profit registration number, digits only also accepted); an in-person check needs a note.
/// Gives the evidence to store (the number normalised, or the note trimmed).
pub fn verify(
    verified: bool,
    method: VerificationMethod,
    evidence: &str,
) -> Result<String, CooperationRefusal> {
    if verified {
        return Err(CooperationRefusal::AlreadyVerified);
    }
    let evidence = evidence.trim();
    match method {
        VerificationMethod::RegistrationNumber => {
            let digits: String = evidence.chars().filter(|c| *c != '-').collect();
            let shaped = evidence.len() == 10
                || (evidence.len() == 12
                    && evidence.as_bytes()[3] == b'-'
                    && evidence.as_bytes()[6] == b'-');
            if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) || !shaped {
                return Err(CooperationRefusal::BadRegistrationNumber);
            }
            Ok(format!(
                "{}-{}-{}",
                &digits[..3],
                &digits[3..5],
                &digits[5..]
            ))
        }
        VerificationMethod::InPersonCheck => {
            if evidence.chars().count() < 5 {
                return Err(CooperationRefusal::CheckNoteRequired);
            }
            Ok(evidence.to_owned())
        }
    }
}

/// Whether a person with `role` (None: not a member) may edit the organization.
pub fn may_edit(role: Option<MemberRole>) -> Result<(), CooperationRefusal> {
    match role {
        Some(r) if r.edits() => Ok(()),
        _ => Err(CooperationRefusal::NotAMember),
    }
}

/// Checks that a member may leave: the last representative stays (someone must speak for it).
pub fn may_leave(role: MemberRole, representatives: usize) -> Result<(), CooperationRefusal> {
    if role == MemberRole::Representative && representatives <= 1 {
        Err(CooperationRefusal::LastRepresentative)
    } else {
        Ok(())
    }
}
