//! The counting reader (`read_for_counting`) and the full reader (`read`) accept and reject exactly the same input
//! with the same errors, and the counting reader's profile is `Profile::new` of the full reader's election; neither
//! depends on how the input is cut into reads.
mod common;

use maeul_pb::format::{self, Counted, Parsed};
use maeul_pb::{ParseError, Profile};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::io::{BufReader, Read};
use std::path::PathBuf;

/// A reader that hands out its bytes in pieces of the given sizes (cycled), to cut lines at every place.
struct Pieces<'a> {
    bytes: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes[self.next % self.sizes.len()]
            .max(1)
            .min(out.len())
            .min(self.bytes.len());
        self.next += 1;
        out[..size].copy_from_slice(&self.bytes[..size]);
        self.bytes = &self.bytes[size..];
        Ok(size)
    }
}

fn describe(result: &Result<impl Sized, ParseError>) -> Option<String> {
    result.as_ref().err().map(ToString::to_string)
}

/// Both readers on the same bytes; panics (with the text) on any disagreement. Returns whether the bytes parsed.
fn agree(bytes: &[u8], sizes: &[usize]) -> bool {
    let full: Result<Parsed, ParseError> = format::read(bytes);
    let counted: Result<Counted, ParseError> = format::read_for_counting(bytes);
    let cut: Result<Parsed, ParseError> = format::read(BufReader::with_capacity(
        1,
        Pieces {
            bytes,
            sizes: sizes.to_vec(),
            next: 0,
        },
    ));
    let text = String::from_utf8_lossy(bytes);
    assert_eq!(
        describe(&full),
        describe(&counted),
        "errors differ on {text:?}"
    );
    assert_eq!(
        describe(&full),
        describe(&cut),
        "cut reads differ on {text:?}"
    );
    let (Ok(full), Ok(counted), Ok(cut)) = (full, counted, cut) else {
        return false;
    };
    assert_eq!(full.election, cut.election, "cut reads differ on {text:?}");
    assert_eq!(full.warnings, cut.warnings, "cut reads differ on {text:?}");
    assert_eq!(
        counted.profile,
        Profile::new(&full.election),
        "profiles differ on {text:?}"
    );
    assert!(counted.election.voters.is_empty());
    let mut without_voters = full.election.clone();
    without_voters.voters.clear();
    assert_eq!(
        counted.election, without_voters,
        "elections differ on {text:?}"
    );
    true
}

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pb"))
        .collect()
}

#[test]
fn both_readers_agree_on_every_fixture_however_it_is_cut() {
    let files = fixtures();
    assert!(files.len() >= 3, "the fixtures are there");
    readers_agree_on(files);
}

#[test]
#[cfg_attr(shared_data_absent, ignore = "needs the shared data (../shared)")]
fn both_readers_agree_on_every_shared_file_however_it_is_cut() {
    readers_agree_on(
        common::shared_files()
            .into_iter()
            .map(|(_, path, _)| path)
            .collect(),
    );
}

fn readers_agree_on(files: Vec<PathBuf>) {
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            agree(&bytes, &[1, 7, 4093, 65536, 3]),
            "{} parses",
            path.display()
        );
        let counted = format::read_path_for_counting(&path).unwrap();
        assert!(counted.profile.num_voters > 0, "{}", path.display());
    }
}

/// A small fixture as it is and gzip-compressed.
fn fixture_plain_and_zipped() -> (Vec<u8>, Vec<u8>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/Poland_Czestochowa_2020_Bleszno.pb");
    let plain = std::fs::read(&path).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &plain).unwrap();
    let zipped = encoder.finish().unwrap();
    (plain, zipped)
}

#[test]
fn gzip_is_read_the_same_way_for_counting() {
    let (plain, zipped) = fixture_plain_and_zipped();
    let counted = format::read_for_counting(&zipped[..]).unwrap();
    assert_eq!(
        counted.profile,
        Profile::new(&format::read(&plain[..]).unwrap().election)
    );
}

/// The gzip magic is seen even when a read hands out its first byte alone (found by the arbitrary-bytes
/// property: a one-byte buffer read a gzip stream as text).
#[test]
fn gzip_is_recognised_however_its_magic_is_cut() {
    let (plain, zipped) = fixture_plain_and_zipped();
    let expected = format::read(&plain[..]).unwrap().election;
    for sizes in [[1], [2], [3]] {
        assert!(agree(&zipped, &sizes));
        let cut = format::read(BufReader::with_capacity(
            1,
            Pieces {
                bytes: &zipped,
                sizes: sizes.to_vec(),
                next: 0,
            },
        ))
        .unwrap();
        assert_eq!(cut.election, expected);
    }
    // Not gzip after all: both readers give the same refusal.
    assert!(!agree(&[0x1f, 0x8b, 0x00, b'K'], &[1]));
    assert!(!agree(&[0x1f], &[1]));
}

/// Text that is usually a valid election, with the quirks and mistakes real and hostile files have.
fn pb_like() -> impl Strategy<Value = String> {
    let junk = prop::sample::select(vec![
        "",
        " ",
        "a",
        "none",
        "1",
        "-1",
        "1,5",
        "\"q;uo\"\"te\"",
        "\"open",
        "4/3",
        "abc",
        "p1,p2",
        "\u{a0}p1 ",
        "ą",
    ]);
    let junk_row =
        (prop::collection::vec(junk, 0..5)).prop_map(|fields| format!("{}\n", fields.join(";")));
    let vote = prop::sample::select(vec![
        "p1",
        "p2",
        "p3",
        "p1,p2",
        "p2,p1",
        "p1,p1,p3",
        "",
        " p2 ",
        "\"p1,p2\"",
        "p3,,p1",
        "p9",
    ]);
    let points = prop::sample::select(vec![
        "1", "2,1", "3,2,1", "1,1,1", "0.5,2", "", "x", "1e2,3",
    ]);
    let end = prop::sample::select(vec![
        "\n", "\n", "\n", "\n", "\r\n", "\r\n", "\r", "\u{2028}", "\x0c",
    ]);
    let id = prop::sample::select(vec!["v1", "v2", "v3", "\"v;4\"", "meta"]);
    let vote_row = (
        id,
        vote,
        points,
        end,
        prop::option::weighted(0.05, junk_row),
    )
        .prop_map(|(id, vote, points, end, junk)| {
            junk.unwrap_or_else(|| format!("{id};{vote};{points}{end}"))
        });
    let vote_type = prop::sample::select(vec![
        "approval",
        "approval",
        "choose-1",
        "cumulative",
        "cumulative",
        "scoring",
        "ordinal",
        "x",
    ]);
    let budget = prop::sample::select(vec![
        "100", "100", "100", "100", "7.5", "0", "1e3", "100.0", "-2", "x",
    ]);
    let vote_header = prop::sample::select(vec![
        "voter_id;vote;points",
        "voter_id;vote;points",
        "voter_id;vote;points;age",
        "voter_id;vote",
        "vote",
    ]);
    (
        vote_type,
        budget,
        prop::collection::vec(
            prop::sample::select(vec![
                "p4;1;d\n", "p5;0;\n", "\n", " \n", "p6;2.5;\"x;y\"\n", "p7;3;e;extra\n", "p1;3;c\n", ";;\n", "p5;x;\n",
            ]),
            0..2,
        ),
        prop::collection::vec(vote_row, 0..12),
        any::<bool>(),
        vote_header,
    )
        .prop_map(|(vote_type, budget, project_rows, vote_rows, bom, vote_header)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(&format!(
                "META\nkey;value\nbudget;{budget}\nvote_type;{vote_type}\nPROJECTS\nproject_id;cost;name\np1;10;a\np2;20;b\np3;5;\n"
            ));
            for row in project_rows {
                text.push_str(row);
            }
            text.push_str(&format!("VOTES\n{vote_header}\n"));
            for row in vote_rows {
                text.push_str(&row);
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn both_readers_agree_on_pb_like_text(text in pb_like(), sizes in prop::collection::vec(1usize..9, 1..4)) {
        agree(text.as_bytes(), &sizes);
    }

    #[test]
    fn both_readers_agree_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        agree(&bytes, &[3]);
    }
}

/// The generator is not vacuous: a good share of its texts parse, with voters.
#[test]
fn the_generated_texts_often_parse() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = pb_like();
    let mut parsed = 0;
    for _ in 0..400 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        if agree(text.as_bytes(), &[5])
            && !format::read(text.as_bytes())
                .unwrap()
                .election
                .voters
                .is_empty()
        {
            parsed += 1;
        }
    }
    assert!(
        parsed >= 40,
        "only {parsed} of 400 generated texts parsed with voters"
    );
}
