//! `Analysis::of` (conflicts, progress, totals, sorting) at national scale.
//!
//! Run: `cargo bench --bench analysis -- --warm-up-time 1 --measurement-time 3`.
//! The crowded cities of issue 10 alone: `cargo bench --bench analysis -- crowded`.
//!
//! The documents come from a small generator in this file, a bench fixture
//! only: `feed::synthetic::generate` is being written separately and is a
//! stub here. Each city (real centres first, then county towns placed across
//! China) gets about a hundred stores within ~20 km of its centre, denser
//! towards the middle, so the pair rules have dense cities to search.

use std::hint::black_box;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use rollout_dash::analysis::Analysis;
use rollout_dash::analysis::RulesConfig;
use rollout_dash::feed::snapshot::Snapshot;
use rollout_dash::feed::wire::{
    Agreement, AgreementStage, Channel, City, CityId, Document, Location, Operator, Partner,
    PartnerId, Phase, Program, Recruitment, RecruitmentStatus, Renovation, SCHEMA_VERSION, Store,
    StoreId, StoreKind, Text, Tier,
};
use rollout_dash::i18n::Lang;

/// Real city centres; further cities are placed at random inside China's box.
const CENTRES: &[(&str, f64, f64)] = &[
    ("beijing", 39.904, 116.407),
    ("shanghai", 31.230, 121.474),
    ("guangzhou", 23.129, 113.264),
    ("shenzhen", 22.543, 114.058),
    ("chengdu", 30.573, 104.066),
    ("chongqing", 29.563, 106.551),
    ("hangzhou", 30.274, 120.155),
    ("wuhan", 30.593, 114.305),
    ("xian", 34.341, 108.940),
    ("nanjing", 32.060, 118.797),
    ("suzhou", 31.299, 120.585),
    ("tianjin", 39.343, 117.362),
    ("changsha", 28.228, 112.939),
    ("zhengzhou", 34.746, 113.625),
    ("qingdao", 36.067, 120.383),
    ("ningbo", 29.868, 121.544),
    ("hefei", 31.821, 117.227),
    ("jinan", 36.651, 117.120),
    ("xiamen", 24.480, 118.089),
    ("foshan", 23.022, 113.122),
    ("shenyang", 41.806, 123.432),
    ("dalian", 38.914, 121.615),
    ("kunming", 25.040, 102.712),
    ("harbin", 45.803, 126.535),
    ("fuzhou", 26.074, 119.296),
    ("nanning", 22.817, 108.366),
    ("guiyang", 26.647, 106.630),
    ("shijiazhuang", 38.042, 114.514),
    ("taiyuan", 37.870, 112.549),
    ("nanchang", 28.682, 115.858),
    ("changchun", 43.817, 125.323),
    ("wuxi", 31.491, 120.312),
    ("dongguan", 23.020, 113.752),
    ("lanzhou", 36.061, 103.834),
    ("urumqi", 43.825, 87.617),
    ("haikou", 20.044, 110.198),
];

const BRANDS: &[&str] = &[
    "Audi",
    "BMW",
    "Mercedes-Benz",
    "Lexus",
    "Toyota",
    "Honda",
    "Nissan",
    "Buick",
    "Geely",
    "Changan",
    "GAC Aion",
    "Hongqi",
    "Volvo",
    "Denza",
    "BYD",
    "NIO",
    "XPeng",
    "Zeekr",
];

/// Stores per city, about: far denser than any real rollout, so the pair
/// rules have plenty to find. 100k stores make a thousand cities and counties.
const STORES_PER_CITY: usize = 100;
/// Radius of a city's built-up area, km.
const CITY_RADIUS_KM: f64 = 20.0;
/// Radius of a city's central district, km; the rest is split into sectors.
const CORE_RADIUS_KM: f64 = 5.0;
/// Districts around the core.
const SECTORS: usize = 9;

fn text(s: &str) -> Text {
    Text::new(s)
}

/// A point `north_km`/`east_km` from `centre`.
fn offset(centre: Location, north_km: f64, east_km: f64) -> Location {
    Location {
        lat: centre.lat + north_km / 111.2,
        lon: centre.lon + east_km / (111.2 * centre.lat.to_radians().cos()),
    }
}

/// A store site: denser towards the centre, as shops are; its district is
/// the core or the sector it lies in, so one district is one area.
fn site(rng: &mut fastrand::Rng, centre: Location) -> (Location, String) {
    let radius = CITY_RADIUS_KM * rng.f64().powf(0.6);
    let angle = rng.f64() * std::f64::consts::TAU;
    let district = if radius < CORE_RADIUS_KM {
        "Core".to_owned()
    } else {
        let sector = (angle / std::f64::consts::TAU * SECTORS as f64) as usize;
        format!("Sector {}", sector.min(SECTORS - 1) + 1)
    };
    let location = offset(centre, radius * angle.sin(), radius * angle.cos());
    (location, district)
}

/// A valid document with `stores` stores; the same `seed` gives the same document.
fn generate(stores: usize, seed: u64) -> Document {
    let mut rng = fastrand::Rng::with_seed(seed);
    let today = NaiveDate::from_ymd_opt(2024, 2, 20).unwrap();
    let generated_at: DateTime<Utc> = "2024-02-20T08:00:00Z".parse().unwrap();
    let city_count = stores.div_ceil(STORES_PER_CITY).max(12);

    let statuses = [
        RecruitmentStatus::Open,
        RecruitmentStatus::Shortlisting,
        RecruitmentStatus::Signed,
        RecruitmentStatus::Closed,
        RecruitmentStatus::Planned,
    ];
    let cities: Vec<City> = (0..city_count)
        .map(|i| {
            let (name, lat, lon) = match CENTRES.get(i) {
                Some(&(name, lat, lon)) => (name.to_owned(), lat, lon),
                None => (
                    format!("city-{i}"),
                    rng.f64() * 24.0 + 22.0,
                    rng.f64() * 25.0 + 100.0,
                ),
            };
            City {
                id: CityId::new(&name),
                name: text(&name),
                local_name: None,
                province: None,
                location: Some(Location { lat, lon }),
                // One city in ten recruits no dealers.
                recruitment: (i % 10 != 9).then(|| Recruitment {
                    status: statuses[rng.usize(..statuses.len())].clone(),
                    opened_on: NaiveDate::from_ymd_opt(2024, 1, 2),
                    target_stores: Some(rng.u32(2..20)),
                    applicants: Some(rng.u32(0..40)),
                    shortlisted: Some(rng.u32(0..10)),
                }),
            }
        })
        .collect();

    // About one partner per 50 stores, each serving one to three cities.
    let partner_count = (stores / 50).max(10);
    let tiers = [Tier::Top100, Tier::Regional, Tier::Other];
    let stages = [
        AgreementStage::Prospect,
        AgreementStage::Intention,
        AgreementStage::Contract,
        AgreementStage::Terminated,
    ];
    let mut city_partners: Vec<Vec<usize>> = vec![Vec::new(); city_count];
    let partners: Vec<Partner> = (0..partner_count)
        .map(|i| {
            let served: Vec<usize> = (0..rng.usize(1..=3))
                .map(|_| rng.usize(..city_count))
                .collect();
            for &c in &served {
                city_partners[c].push(i);
            }
            let brands = (0..rng.usize(2..8))
                .map(|_| text(BRANDS[rng.usize(..BRANDS.len())]))
                .collect();
            Partner {
                id: PartnerId::new(&format!("partner-{i:05}")),
                name: text(&format!("Dealer Group {i}")),
                local_name: None,
                tier: tiers[rng.usize(..tiers.len())].clone(),
                top100_rank: None,
                brands,
                luxury_experience: rng.bool(),
                nev_experience: rng.bool(),
                agreement: Agreement {
                    stage: stages[rng.usize(..stages.len())].clone(),
                    signed_on: NaiveDate::from_ymd_opt(2023, 12, 29),
                },
                cities: served.iter().map(|&c| cities[c].id.clone()).collect(),
            }
        })
        .collect();
    // A city nobody signed up for still gets a partner.
    for (c, list) in city_partners.iter_mut().enumerate() {
        if list.is_empty() {
            list.push(c % partner_count);
        }
    }

    let phases = [
        Phase::Planned,
        Phase::SiteSelected,
        Phase::Design,
        Phase::Construction,
        Phase::FitOut,
        Phase::DisplayVehicle,
        Phase::Open,
    ];
    let per_city = stores.div_ceil(city_count);
    let mut all = Vec::with_capacity(stores);
    for (c, city) in cities.iter().enumerate() {
        let centre = city.location.unwrap();
        // Nine cities in ten have a delivery center, placed first.
        let has_center = c % 10 != 4;
        for n in 0..per_city.min(stores - all.len()) {
            let (kind, channel, operator) = if n == 0 && has_center {
                (StoreKind::DeliveryCenter, Channel::Direct, Operator::Xiaomi)
            } else if rng.u8(..100) < 35 {
                (StoreKind::XiaomiHome, Channel::Direct, Operator::Xiaomi)
            } else {
                let partner = city_partners[c][rng.usize(..city_partners[c].len())];
                (
                    StoreKind::SalesService2s,
                    Channel::Agency,
                    Operator::Partner(partners[partner].id.clone()),
                )
            };
            let (location, district) = site(&mut rng, centre);
            let phase = phases[rng.usize(..phases.len())].clone();
            let percent = match phase {
                Phase::Open => 100.0,
                _ => f64::from(rng.u8(..100)),
            };
            let planned_open =
                (rng.u8(..10) < 8).then(|| today + Duration::days(rng.i64(-30..120)));
            let display_vehicle_eta =
                (rng.u8(..10) < 6).then(|| today + Duration::days(rng.i64(-20..90)));
            all.push(Store {
                id: StoreId::new(&format!("{}-{n:04}", city.id)),
                city: city.id.clone(),
                kind,
                channel,
                operator,
                name: text(&format!("{} store {n}", city.name)),
                district: Some(text(&district)),
                // A few stores are not placed yet: they still overlap by district.
                location: (rng.u8(..100) < 97).then_some(location),
                renovation: Renovation {
                    phase,
                    percent,
                    planned_open,
                    display_vehicle_eta,
                    updated_at: Some(generated_at),
                },
            });
        }
    }

    Document {
        schema_version: SCHEMA_VERSION,
        generated_at,
        program: Program {
            name: text("bench rollout"),
            display_vehicle_deadline: NaiveDate::from_ymd_opt(2024, 3, 31),
        },
        cities,
        partners,
        stores: all,
        warnings: Vec::new(),
        problems: Vec::new(),
    }
}

fn analysis(c: &mut Criterion) {
    let rules = RulesConfig::default();
    let mut group = c.benchmark_group("analysis");
    // Ten samples are plenty for figures this size and keep the run short on
    // a shared machine.
    group.sample_size(10);
    for stores in [1_000, 10_000, 100_000] {
        let snapshot = Snapshot::new(generate(stores, 7));
        let findings = Analysis::of(&snapshot, &rules).findings;
        let mut by_rule = std::collections::BTreeMap::new();
        for f in &findings {
            *by_rule.entry(f.origin.label()).or_insert(0) += 1;
        }
        eprintln!(
            "{stores} stores, {} cities, {} partners: {} findings {by_rule:?}",
            snapshot.document.cities.len(),
            snapshot.document.partners.len(),
            findings.len()
        );
        group.bench_with_input(BenchmarkId::from_parameter(stores), &snapshot, |b, s| {
            // Freeing half a million findings is not analysis: keep it out of the figure.
            b.iter_with_large_drop(|| Analysis::of(black_box(s), &rules));
        });
    }
    group.finish();
}

/// How the stores of a crowded city lie.
#[derive(Clone, Copy, Debug)]
enum Crowd {
    /// All at the city centre: a geocoder that fell back to it.
    AtOnePoint,
    /// A lattice 100 m apart (10 km across for 10,000), all in one district.
    InOneDistrict,
    /// A lattice 10 m apart (1 km across), no district: every store near
    /// every other at a point of its own, what the work limit is for.
    WithinOneKm,
}

/// One city (Xi'an) with `stores` stores, agency (20 partners in turn) and
/// direct alternately: the documents of issue 10's point 7.
fn crowded(stores: usize, crowd: Crowd) -> Document {
    let generated_at: DateTime<Utc> = "2024-02-20T08:00:00Z".parse().unwrap();
    let centre = Location {
        lat: 34.3416,
        lon: 108.9398,
    };
    let side = (stores as f64).sqrt().ceil() as usize;
    let city = CityId::new("xian");
    let partners: Vec<Partner> = (0..20)
        .map(|i| Partner {
            id: PartnerId::new(&format!("p{i:02}")),
            name: text(&format!("Partner {i}")),
            local_name: None,
            tier: Tier::Regional,
            top100_rank: None,
            brands: vec![text("Audi")],
            luxury_experience: true,
            nev_experience: true,
            agreement: Agreement {
                stage: AgreementStage::Contract,
                signed_on: None,
            },
            cities: vec![city.clone()],
        })
        .collect();
    let all = (0..stores)
        .map(|k| {
            let agency = k % 2 == 0;
            let (location, district) = match crowd {
                Crowd::AtOnePoint => (centre, None),
                Crowd::InOneDistrict => (
                    offset(centre, (k / side) as f64 * 0.1, (k % side) as f64 * 0.1),
                    Some(text("Weiyang")),
                ),
                Crowd::WithinOneKm => (
                    offset(centre, (k / side) as f64 * 0.01, (k % side) as f64 * 0.01),
                    None,
                ),
            };
            Store {
                id: StoreId::new(&format!("xa-{k:05}")),
                city: city.clone(),
                kind: if agency {
                    StoreKind::SalesService2s
                } else {
                    StoreKind::XiaomiHome
                },
                channel: if agency {
                    Channel::Agency
                } else {
                    Channel::Direct
                },
                operator: if agency {
                    Operator::Partner(partners[k / 2 % 20].id.clone())
                } else {
                    Operator::Xiaomi
                },
                name: text(&format!("Xi'an store {k}")),
                district,
                location: Some(location),
                renovation: Renovation {
                    phase: Phase::Construction,
                    percent: 50.0,
                    planned_open: None,
                    display_vehicle_eta: None,
                    updated_at: Some(generated_at),
                },
            }
        })
        .collect();
    Document {
        schema_version: SCHEMA_VERSION,
        generated_at,
        program: Program {
            name: text("crowded city"),
            display_vehicle_deadline: NaiveDate::from_ymd_opt(2024, 3, 31),
        },
        cities: vec![City {
            id: city,
            name: text("Xi'an"),
            local_name: Some(text("西安")),
            province: None,
            location: Some(centre),
            recruitment: Some(Recruitment {
                status: RecruitmentStatus::Shortlisting,
                opened_on: None,
                target_stores: None,
                applicants: None,
                shortlisted: None,
            }),
        }],
        partners,
        stores: all,
        warnings: Vec::new(),
        problems: Vec::new(),
    }
}

/// Issue 10: a city of 10,000 stores at one point, in one district, or
/// each at its own point within one km; the findings stay ~1,000.
fn crowded_cities(c: &mut Criterion) {
    let rules = RulesConfig::default();
    let mut group = c.benchmark_group("crowded");
    group.sample_size(10);
    for crowd in [Crowd::AtOnePoint, Crowd::InOneDistrict, Crowd::WithinOneKm] {
        let snapshot = Snapshot::new(crowded(10_000, crowd));
        let findings = Analysis::of(&snapshot, &rules).findings;
        let folded: Vec<String> = findings
            .iter()
            .filter(|f| matches!(f.evidence, rollout_dash::analysis::Evidence::Folded(_)))
            .map(|f| f.message(&snapshot, Lang::En).chars().take(60).collect())
            .collect();
        eprintln!(
            "crowded/{crowd:?}: {} findings; folded: {folded:?}",
            findings.len()
        );
        let id = BenchmarkId::from_parameter(format!("10k-{crowd:?}"));
        group.bench_with_input(id, &snapshot, |b, s| {
            b.iter(|| Analysis::of(black_box(s), &rules));
        });
    }
    group.finish();
}

/// Every finding's sentence of a 20k synthetic rollout (what `report` writes),
/// in each language, into one reused String: the cost of the catalogs.
/// `cargo bench --bench analysis -- messages`.
fn messages(c: &mut Criterion) {
    use rollout_dash::feed::server::SYNTHETIC_SEED;
    use rollout_dash::feed::synthetic;
    let rules = RulesConfig::default();
    let mut group = c.benchmark_group("messages");
    group.sample_size(10);
    let snapshot = Snapshot::new(synthetic::generate(20_000, SYNTHETIC_SEED));
    let findings = Analysis::of(&snapshot, &rules).findings;
    eprintln!("messages: {} findings at 20k", findings.len());
    for lang in Lang::ALL {
        let id = BenchmarkId::new("20k", lang.tag());
        group.bench_with_input(id, &findings, |b, findings| {
            let mut out = String::with_capacity(512);
            b.iter(|| {
                let mut bytes = 0;
                for finding in findings {
                    out.clear();
                    rollout_dash::analysis::sentence::write(finding, &snapshot, lang, &mut out);
                    bytes += out.len();
                }
                black_box(bytes)
            });
        });
    }
    group.finish();
}

/// Every finding's id of a 20k synthetic rollout (what `report` computes
/// once per finding). `cargo bench --bench analysis -- ids`.
fn ids(c: &mut Criterion) {
    use rollout_dash::feed::server::SYNTHETIC_SEED;
    use rollout_dash::feed::synthetic;
    let rules = RulesConfig::default();
    let mut group = c.benchmark_group("ids");
    group.sample_size(10);
    let snapshot = Snapshot::new(synthetic::generate(20_000, SYNTHETIC_SEED));
    let findings = Analysis::of(&snapshot, &rules).findings;
    group.bench_with_input("20k", &findings, |b, findings| {
        b.iter(|| {
            let mut bytes = 0;
            for finding in findings {
                bytes += finding.id().as_str().len();
            }
            black_box(bytes)
        });
    });
    group.finish();
}

criterion_group!(benches, analysis, crowded_cities, messages, ids);
criterion_main!(benches);
