//! Translations: Project Fluent resources per language, embedded in the binary. Each language has one
//! file per area (`locales/{ko,en}/<area>.ftl`) so that areas grow without editing one shared file; a
//! bundle holds all of a language's files and an id may be defined only once across them.
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use maeul_domain::Lang;

/// `(area, source)` for every catalogue file. Both languages list the same areas.
macro_rules! catalogue {
    ($lang:literal: $($area:literal),+) => {
        &[$(($area, include_str!(concat!("../locales/", $lang, "/", $area, ".ftl")))),+]
    };
}
const KO: &[(&str, &str)] = catalogue!("ko": "main", "participation", "committees");
const EN: &[(&str, &str)] = catalogue!("en": "main", "participation", "committees");

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
        text.into_owned()
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

    #[test]
    fn every_message_used_by_a_template_or_handler_exists() {
        let ko = message_ids(KO);
        let dirs = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/templates"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/src"),
        ];
        let mut missing = vec![];
        let mut used = 0;
        let mut stack: Vec<std::path::PathBuf> = dirs.iter().map(Into::into).collect();
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for marker in [".t(\"", ".t1(\"", "tr(ctx.lang, \"", "tr(lang, \""] {
                for part in text.split(marker).skip(1) {
                    let id = part.split('"').next().unwrap();
                    used += 1;
                    if !ko.contains(id)
                        && !id.is_empty()
                        && id
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                    {
                        missing.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
        assert!(used > 50, "the scan found only {used} uses");
        assert!(
            missing.is_empty(),
            "messages used but not defined: {missing:#?}"
        );
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
