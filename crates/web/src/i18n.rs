//! Translations: Project Fluent resources per language, embedded in the binary. Each language has one
//! file per area (`locales/{ko,en}/<area>.ftl`) so that areas grow without editing one shared file; a
//! bundle holds all of a language's files and an id may be defined only once across them.
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use maeul_domain::{Arg, Explain, Lang};

/// A message to translate later, in the reader's language: a Fluent id and its arguments. What crosses
/// layers instead of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn id(id: &'static str) -> Message {
        Message {
            id,
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((name, value.into()));
        self
    }

    /// The message explaining a refusal.
    pub fn refusal(r: &impl Explain) -> Message {
        Message {
            id: r.message_id(),
            args: r.args(),
        }
    }
}

/// `(area, source)` for every catalogue file. Both languages list the same areas.
macro_rules! catalogue {
    ($lang:literal: $($area:literal),+) => {
        &[$(($area, include_str!(concat!("../locales/", $lang, "/", $area, ".ftl")))),+]
    };
}
const KO: &[(&str, &str)] = catalogue!("ko": "main", "participation", "committees", "errors", "admin", "budgeting", "plan", "cooperation", "evaluation", "forums");
const EN: &[(&str, &str)] = catalogue!("en": "main", "participation", "committees", "errors", "admin", "budgeting", "plan", "cooperation", "evaluation", "forums");

/// The message catalogues of both languages.
pub struct I18n {
    ko: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

fn bundle(lang: &str, files: &[(&str, &str)]) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.parse().expect("valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Pages are HTML and escape their text; Unicode isolation marks would only add invisible noise.
    bundle.set_use_isolating(false);
    for (area, source) in files {
        let resource =
            FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(_, errors)| {
                panic!("locales/{lang}/{area}.ftl does not parse: {errors:?}")
            });
        bundle.add_resource(resource).unwrap_or_else(|e| {
            panic!("locales/{lang}/{area}.ftl repeats ids of another file: {e:?}")
        });
    }
    bundle
}

impl Default for I18n {
    fn default() -> Self {
        I18n {
            ko: bundle("ko", KO),
            en: bundle("en", EN),
        }
    }
}

impl I18n {
    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }

    /// The message `id` in `lang`, with named arguments. A missing message shows its id (and is caught by
    /// the catalogue tests before it ships).
    pub fn tr(&self, lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, lang = lang.code(), "missing translation");
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            // A catalogue bug (a missing argument, a bad selector): never silent. Debug builds (every
            // test) fail loudly; a release server logs it and shows the text Fluent could make.
            tracing::error!(id, lang = lang.code(), ?errors, "message formatting failed");
            debug_assert!(
                errors.is_empty(),
                "message {id} ({}): {errors:?}",
                lang.code()
            );
        }
        text.into_owned()
    }

    /// A [`Message`] in `lang`: arguments that name messages are translated first, instants are shown in
    /// Seoul time.
    pub fn message(&self, lang: Lang, message: &Message) -> String {
        let args: Vec<(&str, FluentValue<'_>)> = message
            .args
            .iter()
            .map(|(name, arg)| (*name, self.arg(lang, arg)))
            .collect();
        self.tr(lang, message.id, &args)
    }

    /// Why something was refused, in `lang`. Several refused fields are listed one by one.
    pub fn refusal(&self, lang: Lang, refusal: &maeul_domain::Refusal) -> String {
        let fields = refusal.fields();
        if fields.len() > 1 {
            return fields
                .iter()
                .map(|f| self.message(lang, &Message::refusal(&f.error)))
                .collect::<Vec<_>>()
                .join(" ");
        }
        self.message(lang, &Message::refusal(refusal))
    }

    fn arg(&self, lang: Lang, arg: &Arg) -> FluentValue<'static> {
        match arg {
            Arg::Int(n) => FluentValue::from(*n),
            Arg::Text(t) => FluentValue::from(t.clone()),
            Arg::Message(id) => FluentValue::from(self.tr(lang, id, &[])),
            Arg::Time(unix) => FluentValue::from(maeul_domain::time::format_local(*unix)),
        }
    }
}

/// Message ids defined in a language's catalogue files (for the catalogue tests).
#[cfg(test)]
pub(crate) fn message_ids(files: &[(&str, &str)]) -> std::collections::BTreeSet<String> {
    files
        .iter()
        .flat_map(|(_, source)| source.lines())
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_files() {
        let areas = |files: &[(&'static str, &'static str)]| {
            files.iter().map(|(a, _)| *a).collect::<Vec<_>>()
        };
        assert_eq!(areas(KO), areas(EN));
        let on_disk = |lang: &str| {
            let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let mut listed: Vec<String> = areas(KO).iter().map(|a| format!("{a}.ftl")).collect();
        listed.sort();
        assert_eq!(
            on_disk("ko"),
            listed,
            "every file in locales/ko is listed in KO"
        );
        assert_eq!(
            on_disk("en"),
            listed,
            "every file in locales/en is listed in EN"
        );
    }

    #[test]
    fn both_languages_define_the_same_messages() {
        let ko = message_ids(KO);
        let en = message_ids(EN);
        let only_ko: Vec<_> = ko.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&ko).collect();
        assert!(
            only_ko.is_empty() && only_en.is_empty(),
            "only in ko: {only_ko:?}; only in en: {only_en:?}"
        );
        assert!(ko.len() > 50);
    }

    /// Every file under `dir` with the extension `ext`.
    fn files(dir: &str, ext: &str) -> Vec<std::path::PathBuf> {
        let mut found = vec![];
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if path.extension().is_some_and(|e| e == ext) {
                found.push(path);
            }
        }
        found
    }

    /// The string literals of Rust source that look like message ids (`word-word`, lowercase).
    fn id_like_literals(source: &str) -> Vec<&str> {
        source
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.contains('-')
                    && !s.starts_with('-')
                    && !s.ends_with('-')
                    && s.starts_with(|c: char| c.is_ascii_lowercase())
                    && s.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    })
            })
            .collect()
    }

    /// Literals that look like message ids but are not messages (headers, CSS classes, file names).
    const NOT_MESSAGES: &[&str] = &[
        // Element ids of the scope page's section links (test hooks).
        "all-link",
        "new-link",
        "committees-link",
        "new-committee-link",
        // A stored notification kind (its label is `notification-state-changed`).
        "state-changed",
        // A stored notification kind (its label is `notification-budget-phase`).
        "budget-phase",
        // A stored notification kind (its label is `notification-item-changed`).
        "item-changed",
    ];

    /// Every message the code can ask for exists: ids written in templates (`ctx.t("…")`), id-like
    /// literals in the web and domain sources (refusal and event message ids, which their `message_id`
    /// functions return), and every named enum's label. Ids are never assembled with `format!`, so this
    /// scan sees them all.
    #[test]
    fn every_message_the_code_uses_exists() {
        let defined = message_ids(KO);
        // Literals count as ids when they start like a defined id or like a family of ids that code
        // uses before any is defined (so a new family cannot slip past unchecked).
        let mut prefixes: std::collections::BTreeSet<&str> = defined
            .iter()
            .map(|id| id.split('-').next().unwrap())
            .collect();
        prefixes.extend(["api", "refusal", "request", "size", "error", "label"]);
        let root = env!("CARGO_MANIFEST_DIR");
        let mut missing = vec![];
        let mut used = 0;
        for path in files(&format!("{root}/templates"), "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            for marker in [".t(\"", ".t1(\"", ".t2(\""] {
                for part in text.split(marker).skip(1) {
                    let id = part.split('"').next().unwrap();
                    used += 1;
                    if !defined.contains(id) {
                        missing.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
        let mut sources = files(&format!("{root}/src"), "rs");
        sources.extend(files(&format!("{root}/../domain/src"), "rs"));
        sources.extend(files(&format!("{root}/../db/src"), "rs"));
        for path in sources {
            let text = std::fs::read_to_string(&path).unwrap();
            // Code after the tests module is test code (its ids may be made up on purpose).
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            for marker in [
                ".t(&format!",
                ".t1(&format!",
                "tr(lang, &format!",
                "tr(ctx.lang, &format!",
            ] {
                assert!(
                    !code.contains(marker),
                    "{}: a message id built with format! cannot be checked",
                    path.display()
                );
            }
            for id in id_like_literals(code) {
                let prefix = id.split('-').next().unwrap();
                if prefixes.contains(prefix) && !NOT_MESSAGES.contains(&id) {
                    used += 1;
                    if !defined.contains(id) {
                        missing.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
        for id in maeul_domain::labels::all_label_ids() {
            used += 1;
            if !defined.contains(id) {
                missing.push(format!("label of a named enum: {id}"));
            }
        }
        assert!(used > 300, "the scan found only {used} uses");
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "messages used but not defined: {missing:#?}"
        );
    }

    /// One refusal of each shape, with its arguments: each must format in both languages without a
    /// Fluent error (a missing argument panics in debug builds).
    fn sample_refusals() -> Vec<maeul_domain::Refusal> {
        use maeul_domain::Refusal;
        use maeul_domain::account::{AccountRefusal, FieldError};
        use maeul_domain::committee::{
            CommitteeRefusal as C, Ineligible, QuotaProblem, SeatError, Sector, TransitionError,
            VoteRefusal,
        };
        use maeul_domain::moderation::{ModerationAction, ModerationRefusal};
        use maeul_domain::proposal::{self, ItemRefusal, LadderError, ProposalState};
        let mut all = vec![
            Refusal::Stale,
            Refusal::AlreadyExists,
            Refusal::field("title", FieldError::TooLong { max: 200 }),
            Refusal::Fields(vec![
                maeul_domain::refusal::FieldRefusal {
                    field: "a",
                    error: FieldError::Required,
                },
                maeul_domain::refusal::FieldRefusal {
                    field: "b",
                    error: FieldError::TooShort { min: 8 },
                },
            ]),
            proposal::TransitionError::NotAllowed {
                state: ProposalState::Closed,
                event: "proposal-event-support",
            }
            .into(),
            proposal::TransitionError::ReasonRequired.into(),
            LadderError::TooHigh.into(),
            ItemRefusal::OwnComment.into(),
            maeul_domain::debate::DebateError::AlreadyConcluded.into(),
            maeul_domain::attachment::AttachmentError::TooLarge { max: 5 << 20 }.into(),
            maeul_domain::attachment::AttachmentError::TooMany { max: 3 }.into(),
            AccountRefusal::IdentityClaimed.into(),
            AccountRefusal::Blocked.into(),
            ModerationRefusal::NotApplicable {
                action: ModerationAction::Restore,
            }
            .into(),
            ModerationRefusal::ContentHidden.into(),
        ];
        let committee = [
            C::Seat(SeatError::NoSeats),
            C::Seat(SeatError::SectorFull {
                sector: Sector::Civil,
                seats: 4,
            }),
            C::Seat(SeatError::BadCap(40)),
            C::Seat(SeatError::GenderCap {
                gender: "female".into(),
                count: 5,
                total: 8,
                cap: 60,
            }),
            C::Transition(TransitionError::NotAllowed {
                state: "meeting-state-scheduled",
                event: "meeting-event-start",
            }),
            C::Transition(TransitionError::NoQuorum {
                present: 2,
                seats_filled: 9,
                needed: 5,
            }),
            C::Transition(TransitionError::TooEarly {
                opens_at: 1_800_000_000,
            }),
            C::Transition(TransitionError::NoApplicants),
            C::Vote(VoteRefusal::AlreadyVoted),
            C::Ineligible(vec![Ineligible::NotResident]),
            C::QuotasInfeasible(QuotaProblem::GenderCap { seats: 5, max: 4 }),
            C::QuotasInfeasible(QuotaProblem::Strata {
                feature: "age".into(),
            }),
            C::QuotasInfeasible(QuotaProblem::TooFewApplicants {
                applicants: 3,
                seats: 5,
            }),
            C::QuotasInfeasible(QuotaProblem::AgeBands { min_age: 16 }),
            C::Features { line: 2 },
            C::DrawFailed,
            C::NoReserve,
        ];
        all.extend(committee.into_iter().map(Refusal::from));
        all.extend(
            maeul_domain::budget::refusal::samples()
                .into_iter()
                .map(Refusal::from),
        );
        use maeul_domain::evaluation::EvaluationRefusal as E;
        all.extend(
            [
                E::NotAllowed {
                    state: "evaluation-state-measuring",
                    event: "evaluation-event-grade",
                },
                E::ScoreOutOfRange { max: 5 },
                E::GradeOwnScope,
                E::OwnUpdate,
                E::EvaluatorCannotEditIndicators,
            ]
            .map(Refusal::from),
        );
        all
    }

    #[test]
    fn refusals_format_in_both_languages() {
        let i18n = I18n::default();
        for refusal in sample_refusals() {
            for lang in [Lang::Ko, Lang::En] {
                let text = i18n.refusal(lang, &refusal);
                assert!(
                    !text.is_empty() && !text.contains("-error-") && !text.starts_with("refusal-"),
                    "{refusal:?} in {lang:?}: {text}"
                );
                assert!(!text.contains("{"), "{refusal:?} in {lang:?}: {text}");
            }
        }
        let closed = i18n.refusal(Lang::En, &sample_refusals()[4]);
        assert_eq!(closed, "A proposal that is “Closed” cannot be supported.");
    }

    #[test]
    fn messages_format_with_arguments() {
        let i18n = I18n::default();
        assert_eq!(i18n.tr(Lang::En, "nav-home", &[]), "Home");
        assert_eq!(i18n.tr(Lang::Ko, "nav-home", &[]), "홈");
        let n = i18n.tr(Lang::En, "error-too-short", &[("limit", 10.into())]);
        assert!(n.contains("10"), "{n}");
        assert_eq!(i18n.tr(Lang::En, "no-such-message", &[]), "no-such-message");
    }
}
