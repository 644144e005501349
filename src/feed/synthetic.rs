//! A generated, valid national-scale document for load tests and benchmarks.
//!
//! Cities are spread over China's bounding box (denser in the east, as the
//! market is), stores cluster within [`CITY_RADIUS_KM`] of their city centre,
//! and the channel mix follows the 1+N model: delivery centers and Xiaomi
//! Homes are direct, 2S stores are run by a signed partner that lists the
//! city. Every reference resolves and every percent fits its phase, so the
//! document validates with no data warnings; conflicts, slips and late cars
//! occur naturally, as they would in a real rollout of that size.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::simulate::phase_for;
use super::wire::{
    Agreement, AgreementStage, Channel, City, CityId, Document, FeedWarning, Location, Operator,
    Partner, PartnerId, Phase, Program, Recruitment, RecruitmentStatus, Renovation, SCHEMA_VERSION,
    Store, StoreId, StoreKind, Text, Tier, WarningId, WireSeverity,
};

/// Stores lie within this distance of their city centre.
pub const CITY_RADIUS_KM: f64 = 20.0;

/// The fewest cities a generated document has.
pub const MIN_CITIES: usize = 320;

/// The fewest partners a generated document has (the first batch's 14).
pub const MIN_PARTNERS: usize = 14;

/// Syllables that make up city and partner names, in pinyin and in Chinese.
const SYLLABLES: [(&str, &str); 40] = [
    ("Hua", "华"),
    ("Xin", "新"),
    ("Long", "龙"),
    ("Tai", "泰"),
    ("Heng", "恒"),
    ("Feng", "丰"),
    ("Yu", "裕"),
    ("Jin", "金"),
    ("Rui", "瑞"),
    ("Sheng", "盛"),
    ("Kang", "康"),
    ("Da", "达"),
    ("Ming", "明"),
    ("An", "安"),
    ("Bao", "宝"),
    ("Cheng", "城"),
    ("Dong", "东"),
    ("Xi", "西"),
    ("Nan", "南"),
    ("Bei", "北"),
    ("He", "河"),
    ("Shan", "山"),
    ("Hai", "海"),
    ("Jiang", "江"),
    ("Hu", "湖"),
    ("Lin", "林"),
    ("Yang", "阳"),
    ("Qing", "青"),
    ("Ping", "平"),
    ("Chang", "昌"),
    ("Guang", "广"),
    ("Ning", "宁"),
    ("Fu", "富"),
    ("Shun", "顺"),
    ("De", "德"),
    ("Yuan", "源"),
    ("Zhou", "州"),
    ("Kai", "凯"),
    ("Wen", "文"),
    ("Tong", "通"),
];

/// Distinct syllable pairs, so city names are unique up to this many cities.
const NAME_PAIRS: usize = SYLLABLES.len() * SYLLABLES.len();

/// The most cities a generated document has (every one with its own name).
pub const MAX_CITIES: usize = NAME_PAIRS;

/// Provincial capitals: a city belongs to the province of the nearest one.
const PROVINCES: [(&str, f64, f64); 31] = [
    ("Beijing", 39.90, 116.41),
    ("Tianjin", 39.08, 117.20),
    ("Hebei", 38.04, 114.51),
    ("Shanxi", 37.87, 112.55),
    ("Inner Mongolia", 40.84, 111.75),
    ("Liaoning", 41.81, 123.43),
    ("Jilin", 43.82, 125.32),
    ("Heilongjiang", 45.80, 126.53),
    ("Shanghai", 31.23, 121.47),
    ("Jiangsu", 32.06, 118.80),
    ("Zhejiang", 30.27, 120.16),
    ("Anhui", 31.82, 117.23),
    ("Fujian", 26.07, 119.30),
    ("Jiangxi", 28.68, 115.86),
    ("Shandong", 36.65, 117.12),
    ("Henan", 34.75, 113.63),
    ("Hubei", 30.59, 114.31),
    ("Hunan", 28.23, 112.94),
    ("Guangdong", 23.13, 113.26),
    ("Guangxi", 22.82, 108.37),
    ("Hainan", 20.04, 110.20),
    ("Chongqing", 29.56, 106.55),
    ("Sichuan", 30.57, 104.07),
    ("Guizhou", 26.65, 106.63),
    ("Yunnan", 25.04, 102.71),
    ("Tibet", 29.65, 91.13),
    ("Shaanxi", 34.34, 108.94),
    ("Gansu", 36.06, 103.83),
    ("Qinghai", 36.62, 101.78),
    ("Ningxia", 38.49, 106.23),
    ("Xinjiang", 43.83, 87.62),
];

/// District names; a store's district follows its direction and distance
/// from the centre, so stores near each other share one.
const DISTRICTS: [&str; 12] = [
    "Gulou",
    "Xincheng",
    "Gaoxin",
    "Jingkai",
    "Binhai",
    "Dongcheng",
    "Xishan",
    "Nanhu",
    "Beiyuan",
    "Longgang",
    "Huayuan",
    "Taiping",
];

/// Real brands dealer groups already sell (BYD among them, so the
/// competitor rule has something to find).
const BRANDS: [&str; 16] = [
    "SAIC-GM Buick",
    "GAC Honda",
    "Nissan",
    "Lexus",
    "BYD",
    "FAW-Volkswagen",
    "BMW",
    "Mercedes-Benz",
    "Audi",
    "Toyota",
    "Geely",
    "Changan",
    "Volvo",
    "Porsche",
    "NIO",
    "Li Auto",
];

/// Categories of the feed's own warnings, with a message for each.
const WARNING_KINDS: [(&str, &str); 4] = [
    (
        "pricing",
        "Agency store quoted a lower lock-in deposit than the direct price",
    ),
    (
        "logistics",
        "Display car shipment delayed at the regional hub",
    ),
    (
        "staffing",
        "Fewer certified service technicians in place than planned",
    ),
    ("permits", "Signage permit still pending with the district"),
];

/// The feed clock of every generated document.
fn generated_at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_709_280_000, 0).unwrap_or_default() // 2024-03-01T08:00:00Z
}

/// A document with `stores` stores over many cities and partners; the same
/// `seed` always gives the same document.
pub fn generate(stores: usize, seed: u64) -> Document {
    let mut rng = fastrand::Rng::with_seed(seed);
    let now = generated_at();
    let today = now.date_naive();
    let cities = cities(&mut rng, (stores / 50).clamp(MIN_CITIES, MAX_CITIES), today);
    let recruiting: Vec<usize> = (0..cities.len())
        .filter(|&i| cities[i].is_recruiting())
        .collect();
    let partners = partners(
        &mut rng,
        (stores / 8).max(MIN_PARTNERS),
        &recruiting,
        &cities,
        today,
    );

    // Who may run a 2S store in each city: signed partners that list it.
    let index: std::collections::HashMap<&str, usize> = cities
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut operators: Vec<Vec<usize>> = vec![Vec::new(); cities.len()];
    for (p, partner) in partners.iter().enumerate() {
        if matches!(
            partner.agreement.stage,
            AgreementStage::Intention | AgreementStage::Contract
        ) {
            for city in &partner.cities {
                if let Some(&c) = index.get(city.as_str()) {
                    operators[c].push(p);
                }
            }
        }
    }

    let mut per_city = vec![0u32; cities.len()];
    let store_list: Vec<Store> = (0..stores)
        .map(|_| {
            let c = rng.usize(..cities.len());
            per_city[c] += 1;
            store(
                &mut rng,
                &cities[c],
                per_city[c],
                &operators[c],
                &partners,
                now,
            )
        })
        .collect();

    let warnings = (0..3 + stores / 500)
        .filter(|_| !store_list.is_empty())
        .map(|i| {
            let store = &store_list[rng.usize(..store_list.len())];
            let (kind, message) = WARNING_KINDS[rng.usize(..WARNING_KINDS.len())];
            FeedWarning {
                id: WarningId::new(&format!("w-{:04}", i + 1)),
                severity: [
                    WireSeverity::Critical,
                    WireSeverity::Warning,
                    WireSeverity::Info,
                ][rng.usize(..3)]
                .clone(),
                kind: Some(Text::new(kind)),
                city: Some(store.city.clone()),
                stores: vec![store.id.clone()],
                message: Text::new(message),
            }
        })
        .collect();

    Document {
        schema_version: SCHEMA_VERSION,
        generated_at: now,
        program: Program {
            name: Text::new("Xiaomi EV 1+N channel rollout (synthetic)"),
            display_vehicle_deadline: NaiveDate::from_ymd_opt(2024, 3, 31),
        },
        cities,
        partners,
        stores: store_list,
        warnings,
        problems: Vec::new(),
    }
}

/// [`generate`], as the JSON a feed would serve.
pub fn generate_json(stores: usize, seed: u64) -> String {
    serde_json::to_string(&generate(stores, seed))
        .expect("a generated document has only finite numbers and string keys")
}

/// The `i`-th distinct syllable pair as (name, id, Chinese name). Stepping
/// by a prime spreads consecutive cities over the whole name space; the id
/// keeps the syllables apart (and the name marks a vowel start with an
/// apostrophe, as pinyin does) so Xi-nan and Xin-an stay two places.
fn name_pair(i: usize) -> (String, String, String) {
    let k = (i * 7919) % NAME_PAIRS;
    let (a, a_zh) = SYLLABLES[k / SYLLABLES.len()];
    let (b, b_zh) = SYLLABLES[k % SYLLABLES.len()];
    let b = b.to_lowercase();
    let apostrophe = if b.starts_with(['a', 'e', 'o']) {
        "'"
    } else {
        ""
    };
    (
        format!("{a}{apostrophe}{b}"),
        format!("{}-{b}", a.to_lowercase()),
        format!("{a_zh}{b_zh}"),
    )
}

fn cities(rng: &mut fastrand::Rng, count: usize, today: NaiveDate) -> Vec<City> {
    (0..count)
        .map(|i| {
            let (name, id, local) = name_pair(i);
            // Denser to the east and around the middle latitudes, as China's cities are.
            let u = rng.f64();
            let lon = 98.0 + 27.0 * (1.0 - u * u);
            let lat = 20.0 + 28.0 * (rng.f64() + rng.f64()) / 2.0;
            let province = PROVINCES
                .iter()
                .min_by(|a, b| {
                    let da = (a.1 - lat).powi(2) + (a.2 - lon).powi(2);
                    let db = (b.1 - lat).powi(2) + (b.2 - lon).powi(2);
                    da.total_cmp(&db)
                })
                .map(|p| p.0);
            let roll = rng.u8(..100);
            let recruitment = (roll >= 12).then(|| {
                let status = match roll {
                    ..30 => RecruitmentStatus::Planned,
                    30..50 => RecruitmentStatus::Open,
                    50..65 => RecruitmentStatus::Shortlisting,
                    65..85 => RecruitmentStatus::Signed,
                    _ => RecruitmentStatus::Closed,
                };
                let planned = status == RecruitmentStatus::Planned;
                let applicants = if planned { 0 } else { rng.u32(3..=20) };
                Recruitment {
                    opened_on: Some(if planned {
                        today + TimeDelta::days(rng.i64(14..=120))
                    } else {
                        today - TimeDelta::days(rng.i64(20..=60))
                    }),
                    target_stores: Some(rng.u32(1..=6)),
                    applicants: Some(applicants),
                    shortlisted: Some(match status {
                        RecruitmentStatus::Planned | RecruitmentStatus::Open => 0,
                        _ => applicants.div_ceil(3),
                    }),
                    status,
                }
            });
            City {
                id: CityId::new(&id),
                name: Text::new(&name),
                local_name: Some(Text::new(&format!("{local}市"))),
                province: province.map(Text::new),
                location: Some(Location {
                    lat: round(lat, 3),
                    lon: round(lon, 3),
                }),
                recruitment,
            }
        })
        .collect()
}

fn partners(
    rng: &mut fastrand::Rng,
    count: usize,
    recruiting: &[usize],
    cities: &[City],
    today: NaiveDate,
) -> Vec<Partner> {
    let mut top100 = 0;
    (0..count)
        .map(|i| {
            let (name, id, local) = name_pair(i * 13 + 5);
            let (tier, rank) = match rng.u8(..100) {
                ..25 if top100 < 100 => {
                    top100 += 1;
                    (Tier::Top100, Some(top100))
                }
                ..70 => (Tier::Regional, None),
                _ => (Tier::Other, None),
            };
            let mut brands: Vec<Text> = Vec::new();
            for _ in 0..rng.usize(1..=6) {
                let brand = Text::new(BRANDS[rng.usize(..BRANDS.len())]);
                if !brands.contains(&brand) {
                    brands.push(brand);
                }
            }
            let mut served: Vec<CityId> = Vec::new();
            if !recruiting.is_empty() {
                for _ in 0..rng.usize(1..=3) {
                    let city = &cities[recruiting[rng.usize(..recruiting.len())]].id;
                    if !served.contains(city) {
                        served.push(city.clone());
                    }
                }
            }
            let intention_day = NaiveDate::from_ymd_opt(2023, 12, 29).unwrap_or(today);
            let (stage, signed_on) = match rng.u8(..100) {
                ..10 => (AgreementStage::Prospect, None),
                10..45 => (AgreementStage::Intention, Some(intention_day)),
                45..95 => (
                    AgreementStage::Contract,
                    Some(today - TimeDelta::days(rng.i64(1..=50))),
                ),
                _ => (AgreementStage::Terminated, Some(intention_day)),
            };
            Partner {
                id: PartnerId::new(&format!("{id}-{i:05}")),
                name: Text::new(&format!("{name} Auto Group")),
                local_name: Some(Text::new(&format!("{local}汽车集团"))),
                tier,
                top100_rank: rank,
                brands,
                luxury_experience: rng.u8(..100) < 40,
                nev_experience: rng.u8(..100) < 50,
                agreement: Agreement { stage, signed_on },
                cities: served,
            }
        })
        .collect()
}

/// The `k`-th store of `city`; a 2S store when a signed partner serves a
/// recruiting city, else a direct one.
fn store(
    rng: &mut fastrand::Rng,
    city: &City,
    k: u32,
    operators: &[usize],
    partners: &[Partner],
    now: DateTime<Utc>,
) -> Store {
    let roll = rng.u8(..100);
    let (kind, channel, operator, abbr, label) = match roll {
        ..12 => (
            StoreKind::DeliveryCenter,
            Channel::Direct,
            Operator::Xiaomi,
            "dc",
            "Delivery Center",
        ),
        45.. if !operators.is_empty() => {
            let partner = &partners[operators[rng.usize(..operators.len())]];
            (
                StoreKind::SalesService2s,
                Channel::Agency,
                Operator::Partner(partner.id.clone()),
                "2s",
                "2S",
            )
        }
        _ => (
            StoreKind::XiaomiHome,
            Channel::Direct,
            Operator::Xiaomi,
            "home",
            "Xiaomi Home",
        ),
    };

    let centre = city.location.unwrap_or(Location {
        lat: 32.0,
        lon: 115.0,
    });
    let km = CITY_RADIUS_KM * rng.f64().sqrt();
    let angle = rng.f64() * std::f64::consts::TAU;
    let lat = centre.lat + km * angle.cos() / 111.2;
    let lon = centre.lon + km * angle.sin() / (111.2 * centre.lat.to_radians().cos());
    let sector = (angle / std::f64::consts::TAU * 6.0) as usize % 6;
    let district = DISTRICTS[if km < 7.0 { sector } else { 6 + sector }];

    let today = now.date_naive();
    let percent = if rng.u8(..100) < 25 {
        100.0
    } else {
        f64::from(rng.u8(..100))
    };
    let phase = phase_for(percent);
    let planned_open = if phase == Phase::Open {
        Some(today - TimeDelta::days(rng.i64(1..=90)))
    } else if phase == Phase::Planned && rng.bool() {
        None
    } else {
        let remaining = (100.0 - percent) * 1.5;
        Some(today + TimeDelta::days(remaining as i64 + rng.i64(-14..=21)))
    };
    let display_vehicle_eta = planned_open.and_then(|open| match phase {
        Phase::DisplayVehicle | Phase::Open => Some(open - TimeDelta::days(rng.i64(2..=10))),
        _ if rng.u8(..100) < 80 => Some(open - TimeDelta::days(rng.i64(3..=20))),
        _ => None,
    });

    Store {
        id: StoreId::new(&format!("{}-{abbr}-{k:03}", city.id)),
        city: city.id.clone(),
        kind,
        channel,
        operator,
        name: Text::new(&format!("{} {district} {label} {k}", city.name)),
        district: Some(Text::new(district)),
        location: Some(Location {
            lat: round(lat, 4),
            lon: round(lon, 4),
        }),
        renovation: Renovation {
            phase,
            percent,
            planned_open,
            display_vehicle_eta,
            updated_at: Some(now - TimeDelta::minutes(rng.i64(0..=72 * 60))),
        },
    }
}

/// `value` rounded to `places` decimals, as a feed would write coordinates.
fn round(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}
