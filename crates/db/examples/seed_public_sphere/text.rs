//! The vocabulary: Korean and English titles, bodies, comments and names.
use super::*;

/// (Korean, English) things residents write about. The first two contain "놀이" (the benchmark's query).
pub(crate) const OBJECTS: &[(&str, &str)] = &[
    ("어린이 놀이터", "the children's playground"),
    ("반려견 놀이터", "a dog park"),
    ("공원 벤치", "park benches"),
    ("버스 정류장 그늘막", "shade at the bus stop"),
    ("자전거 도로", "the bike lane"),
    ("골목길 가로등", "alley street lights"),
    ("공영 주차장", "the public car park"),
    ("횡단보도", "the pedestrian crossing"),
    ("분리수거함", "recycling bins"),
    ("도서관 열람실", "the library reading room"),
    ("하천 산책로", "the riverside path"),
    ("경로당", "the senior centre"),
    ("공공 와이파이", "public Wi-Fi"),
    ("전통시장 주차", "parking at the market"),
    ("공동 텃밭", "a community garden"),
    ("생활체육시설", "sports facilities"),
    ("무더위 쉼터", "a heat shelter"),
    ("전기차 충전소", "EV chargers"),
    ("마을버스 노선", "the village bus route"),
    ("어린이 보호구역", "the school zone"),
    ("방범용 CCTV", "security cameras"),
    ("보도블록", "the pavement"),
    ("빗물받이", "storm drains"),
    ("공중화장실", "public toilets"),
    ("청소년 문화공간", "a youth centre"),
];

pub(crate) const ACTIONS_KO: &[&str] = &[
    "설치를 제안합니다",
    "개선을 요청합니다",
    "확충해 주세요",
    "새로 만들어 주세요",
    "안전 점검이 필요합니다",
    "정비를 제안합니다",
    "운영 시간을 늘려 주세요",
    "위치를 옮겨 주세요",
];

pub(crate) const ACTIONS_EN: &[&str] = &[
    "Please improve",
    "Please expand",
    "Please repair",
    "Longer opening hours for",
    "Please renew",
    "A safety check of",
];

pub(crate) const SENTENCES_KO: &[&str] = &[
    "{o} 문제로 주민들이 오랫동안 불편을 겪고 있습니다.",
    "특히 저녁 시간에는 {o} 주변이 어둡고 위험합니다.",
    "아이들과 어르신들이 함께 이용할 수 있도록 {o} 개선을 부탁드립니다.",
    "{o2} 연계 방안도 함께 검토해 주시면 좋겠습니다.",
    "주민 {n}명이 모임에서 의견을 모았습니다.",
    "예산은 약 {n}백만 원으로 예상됩니다.",
    "주말마다 {o} 이용자가 많아 혼잡합니다.",
    "다른 구의 {o} 사례를 참고하면 좋겠습니다.",
    "관리 주체가 분명하지 않아 {o} 상태가 나빠졌습니다.",
    "지난 여름 폭우 때 {o2} 주변이 침수되었습니다.",
];

pub(crate) const SENTENCES_EN: &[&str] = &[
    "Residents have asked about {o} for years.",
    "In the evening the area around {o} is dark and unsafe.",
    "Children and older neighbours would both use {o}.",
    "{n} neighbours signed our letter at the last meeting.",
    "The cost should be about {n} million won.",
    "Please also look at {o2} nearby.",
];

pub(crate) const COMMENTS_KO: &[&str] = &[
    "좋은 제안입니다. 저도 찬성합니다.",
    "{o} 위치를 조금 더 구체적으로 적어 주시면 좋겠습니다.",
    "저희 아이도 매일 지나가는 곳이라 꼭 필요합니다.",
    "예산이 더 시급한 곳에 쓰였으면 해서 반대합니다.",
    "구청에 이미 민원을 넣었는데 답이 없었습니다.",
    "{o} 관리는 누가 맡게 되나요?",
    "주말에 현장을 직접 보고 왔는데 정말 심각합니다.",
    "비슷한 제안이 작년에도 있었던 것 같아요.",
    "동의합니다! **꼭** 실현되면 좋겠네요.",
    "야간 소음 문제도 같이 고려해 주세요.",
];

pub(crate) const COMMENTS_EN: &[&str] = &[
    "I agree, {o} is badly needed.",
    "Could you say where exactly?",
    "Against: the budget is needed elsewhere.",
    "We raised this at the district office last year.",
];

pub(crate) const SURNAMES: &[&str] = &[
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황",
];
pub(crate) const GIVEN: &[&str] = &[
    "민", "서", "지", "현", "우", "준", "하", "은", "수", "영", "도", "윤", "진", "아", "연", "호",
    "경", "희", "성", "혜",
];

pub(crate) fn fill(rng: &mut StdRng, template: &str, ko: bool) -> String {
    let pick = |rng: &mut StdRng| {
        let o = OBJECTS[rng.gen_range(0..OBJECTS.len())];
        if ko { o.0 } else { o.1 }
    };
    let mut s = template.replace("{o}", pick(rng));
    s = s.replace("{o2}", pick(rng));
    s.replace("{n}", &rng.gen_range(2..300).to_string())
}

/// A title and a markdown body about one thing in one place.
pub(crate) fn proposal_text(rng: &mut StdRng, place_ko: &str, place_en: &str) -> (String, String) {
    let ko = rng.gen_bool(0.85);
    let (o_ko, o_en) = OBJECTS[rng.gen_range(0..OBJECTS.len())];
    let title = if ko {
        format!(
            "{place_ko} {o_ko} {}",
            ACTIONS_KO[rng.gen_range(0..ACTIONS_KO.len())]
        )
    } else {
        format!(
            "{} {o_en} in {place_en}",
            ACTIONS_EN[rng.gen_range(0..ACTIONS_EN.len())]
        )
    };
    let mut body = String::new();
    let sentences = if ko { SENTENCES_KO } else { SENTENCES_EN };
    for paragraph in 0..rng.gen_range(1..=3) {
        if paragraph > 0 {
            body.push_str("\n\n");
        }
        for i in 0..rng.gen_range(2..=4) {
            if i > 0 {
                body.push(' ');
            }
            let first = if ko { o_ko } else { o_en };
            let t = sentences[rng.gen_range(0..sentences.len())].replacen("{o}", first, 1);
            body.push_str(&fill(rng, &t, ko));
        }
    }
    if rng.gen_bool(0.3) {
        let _ = write!(
            body,
            "\n\n- {}: {} {}\n- {}",
            if ko { "위치" } else { "Where" },
            if ko { place_ko } else { place_en },
            rng.gen_range(1..200),
            if ko { o_ko } else { o_en }
        );
    }
    (title, body)
}

pub(crate) fn comment_text(rng: &mut StdRng) -> String {
    let ko = rng.gen_bool(0.85);
    let set = if ko { COMMENTS_KO } else { COMMENTS_EN };
    let first = set[rng.gen_range(0..set.len())];
    let mut s = fill(rng, first, ko);
    if rng.gen_bool(0.3) {
        let second = set[rng.gen_range(0..set.len())];
        s.push(' ');
        s.push_str(&fill(rng, second, ko));
    }
    s
}

pub(crate) fn person_name(rng: &mut StdRng) -> String {
    let mut s = SURNAMES[rng.gen_range(0..SURNAMES.len())].to_string();
    for _ in 0..2 {
        s.push_str(GIVEN[rng.gen_range(0..GIVEN.len())]);
    }
    s
}
