//! Every named enum's label ids in one list, so the catalogue tests can check that each has a message in
//! every language. A test below fails when a `named_enum!` is declared without being listed here.
use crate::named::label_ids;

macro_rules! every_label {
    ($($ty:ty),* $(,)?) => {
        /// The label ids of every named enum of the domain (one entry per value).
        pub fn all_label_ids() -> Vec<&'static str> {
            let mut ids = Vec::new();
            $(ids.extend(label_ids::<$ty>());)*
            ids
        }

        /// The names of the listed enums (for the completeness test).
        #[cfg(test)]
        fn listed() -> Vec<&'static str> {
            vec![$(stringify!($ty).rsplit("::").next().unwrap().trim()),*]
        }
    };
}

every_label![
    crate::object::ObjectKind,
    crate::proposal::ProposalState,
    crate::proposal::Responder,
    crate::proposal::ItemKind,
    crate::proposal::Category,
    crate::moderation::ReportReason,
    crate::moderation::Target,
    crate::moderation::LogTarget,
    crate::moderation::ModerationAction,
    crate::debate::DebateState,
    crate::debate::Position,
    crate::committee::Choice,
    crate::committee::MotionState,
    crate::committee::CallState,
    crate::committee::CommitteeKind,
    crate::committee::Sector,
    crate::committee::Position,
    crate::committee::MemberSource,
    crate::committee::ApplicationStatus,
    crate::committee::RegistrationStatus,
    crate::committee::MeetingState,
    crate::audit::AuditAction,
    crate::scope::ScopeKind,
    crate::access::Role,
    crate::residency::ResidencyStatus,
    crate::residency::ResidencyBasis,
    crate::notify::EventKind,
    crate::notify::EmailPreference,
    crate::notify::SubjectKind,
    crate::budget::Term,
    crate::budget::BallotKind,
    crate::budget::Phase,
    crate::budget::ProjectState,
    crate::budget::VoterGroup,
    crate::plan::ItemState,
    crate::plan::ProposerKind,
    crate::plan::ItemChange,
    crate::plan::PriorityMethod,
    crate::plan::GroupRole,
    crate::plan::Direction,
    crate::plan::ReferralOutcome,
    crate::plan::PlanState,
    crate::plan::SectionKind,
    crate::plan::BudgetSource,
    crate::plan::AssemblyState,
    crate::plan::VoteChannel,
    crate::plan::AssemblyChoice,
    crate::cooperation::OrgKind,
    crate::cooperation::Field,
    crate::cooperation::MemberRole,
    crate::cooperation::VerificationMethod,
    crate::cooperation::ConsortiumRole,
    crate::cooperation::ResourceKind,
    crate::cooperation::BookingState,
    crate::cooperation::ProgramKind,
    crate::cooperation::EnrolmentState,
    crate::cooperation::GrantCallState,
    crate::cooperation::Eligibility,
    crate::cooperation::EventKind,
    crate::cooperation::LinkCapacity,
    crate::cooperation::ActivityKind,
    crate::evaluation::ProjectStatus,
    crate::evaluation::UpdateState,
    crate::evaluation::IndicatorLevel,
    crate::evaluation::IndicatorKind,
    crate::evaluation::Better,
    crate::evaluation::Aggregation,
    crate::evaluation::CycleState,
    crate::evaluation::GradeLetter,
    crate::evaluation::SurveySubject,
    crate::evaluation::QuestionKind,
    crate::evaluation::SurveyState,
    crate::evaluation::Dimension,
    crate::forum::ConversationState,
    crate::forum::Participation,
    crate::forum::ModerationMode,
    crate::forum::StatementState,
    crate::forum::VoteValue,
];

#[cfg(test)]
mod tests {
    /// Every `named_enum!` in the domain's sources, by enum name (doc examples and tests excluded).
    fn declared() -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.ends_with("named.rs") || path.ends_with("labels.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split("named_enum! {").skip(1) {
                let name = part
                    .split("enum ")
                    .nth(1)
                    .and_then(|s| s.split(':').next())
                    .unwrap()
                    .trim();
                found.push(name.to_owned());
            }
        }
        found.sort();
        found
    }

    #[test]
    fn every_named_enum_is_listed() {
        let declared = declared();
        let mut listed: Vec<String> = super::listed().into_iter().map(String::from).collect();
        listed.sort();
        assert!(declared.len() >= 25, "the scan found {declared:?}");
        assert_eq!(
            declared, listed,
            "a named_enum! is missing from labels.rs (or listed twice)"
        );
    }
}
