# rollout-dash: English catalog.
#
# Every word the dashboard and `report --format text` say. Ids are
# `area-what`; the sections below belong to the parts of the program that
# use them. zh.ftl has the same ids with the same variables (a test holds
# them to it). Numbers that select a plural form are passed as numbers;
# decimals come preformatted as text.

## Language

lang-name = English
i18n-example = { $count ->
    [one] { $count } store
   *[other] { $count } stores
} in { $city }

## Shared words: the contract's values, severities and rule labels

severity-critical = critical
severity-warning = warning
severity-info = info

rule-territory_overlap = territory overlap
rule-agency_overlap = agency overlap
rule-no_delivery_center = no delivery center
rule-delivery_after_agency = delivery center after agency
rule-schedule_slip = schedule slip
rule-display_vehicle_late = display car late
rule-unqualified_partner = unqualified partner
rule-competitor_brand = competitor brand
rule-outside_recruitment = outside recruitment

status-planned = planned
status-open = open
status-shortlisting = shortlisting
status-signed = signed
status-closed = closed

tier-top100 = top 100
tier-regional = regional
tier-other = other

stage-prospect = prospect
stage-intention = intention
stage-contract = contract
stage-terminated = terminated

kind-delivery_center = delivery center
kind-xiaomi_home = Xiaomi Home
kind-sales_service_2s = 2S store

channel-direct = direct
channel-agency = agency

phase-planned = planned
phase-site_selected = site selected
phase-design = design
phase-construction = construction
phase-fit_out = fit-out
phase-display_vehicle = display car
phase-open = open

## Findings: the sentences of conflicts (src/analysis/sentence.rs)


## Changes between snapshots (src/analysis/changes.rs)


## Header, footer, help, command line, status and errors


## Panes: cities, partners, stores, conflicts, changes, data warnings, map


## Views: city, partner and store drill-down, plan, trend

# Dates and times as the language writes them (chrono strftime patterns).
view-date-format = %Y-%m-%d
view-day-format = %m-%d
view-time-format = %Y-%m-%d %H:%M

# A drill-down whose record left the feed.
view-record-city = city
view-record-partner = partner
view-record-store = store
view-record-other = record
view-gone = { $what } { $id } (no longer in the feed). Esc goes back.
view-gone-title = { $what } { $id }

# Sections and their columns.
view-section-sort = by { $key } { $arrow }
view-sort-feed-order = feed order
view-sort-severity = severity
view-sort-name = name
view-sort-status = status
view-sort-progress = progress
view-sort-tier = tier
view-sort-stage = stage
view-sort-city = city
view-sort-phase = phase
view-sort-planned-open = planned opening
view-sort-rule = rule
view-sort-newest = newest
view-stores = Stores
view-partners = Partners
view-cities = Cities
view-conflicts = Conflicts
view-changes = Recent changes
view-links = Go to (Enter)
view-col-partner = Partner
view-col-tier = Tier
view-col-stage = Stage
view-col-city = City
view-col-recruitment = Recruitment
view-col-what = What
view-col-which = Which
view-data-warning = data: { $message }
view-yes = yes
view-no = no
view-unknown = unknown
view-build-out = build-out
view-open = open

# A city.
view-city-title = City { $name }
view-city-recruitment = recruitment
view-city-since = since { $date }
view-city-stores-open = stores { $open }/{ $total } open
view-city-open-short = { $open }/{ $total } open
view-city-built = { $percent }% built
view-city-late = { $count } late
view-city-conflicts = { $count ->
    [one] { $count } conflict
   *[other] { $count } conflicts
}
view-city-funnel = funnel: { $applicants } applicants{ $arrow }{ $shortlisted } shortlisted{ $arrow }{ $signed } signed{ $sep }target { $target } stores
view-city-funnel-short = { $applicants } applied{ $arrow }{ $shortlisted } shortlisted{ $arrow }{ $signed } signed{ $sep }target { $target }
view-trend-open = trend: open

# A partner.
view-partner-title = Partner { $name }
view-partner-agreement = agreement
view-partner-signed = signed { $date }
view-tier-rank = top100 #{ $rank }
view-criteria-group = top-100 or strong regional group:
view-criteria-experience = luxury or NEV experience:
view-criteria-experience-detail = luxury { $luxury }, NEV { $nev }
view-partner-brands = brands ({ $count }): { $brands }

# A store.
view-store-title = Store
view-store-channel = { $channel } channel
view-store-operator = operated by { $operator }
view-store-phase = phase
view-store-dates = planned opening { $planned }   display car { $display }   updated { $updated }
view-store-slipped = past its planned opening and not open
view-store-display-late = display car due after the opening or the programme deadline
view-store-location = at { $lat }, { $lon }

# Plan versus actual.
plan-programme = Programme
plan-title-programme = Plan versus actual: the programme
plan-title-city = Plan versus actual: { $city }
plan-working = working out plan versus actual...
plan-sentence = { $name }: { $gap }
plan-figures = { $open } open, { $planned } planned by { $date }
plan-unplanned = { $count ->
    [one] { $count } store
   *[other] { $count } stores
} without a planned date
plan-history-off = { $reason }: today's count only
plan-gap = Gap
plan-cities = Cities ({ $count }), Enter opens
plan-col-open = Open/plan
plan-legend-today = today
plan-legend-planned = planned
plan-legend-open = open
plan-no-plan = no planned openings
plan-on-plan = on plan
plan-behind-today = { $stores ->
    [one] { $stores } store
   *[other] { $stores } stores
} behind plan, due today
plan-behind = { $stores ->
    [one] { $stores } store
   *[other] { $stores } stores
} behind plan, { $days ->
    [one] { $days } day
   *[other] { $days } days
} late
plan-ahead-early = { $stores ->
    [one] { $stores } store
   *[other] { $stores } stores
} ahead of plan, { $days ->
    [one] { $days } day
   *[other] { $days } days
} early
plan-ahead = { $stores ->
    [one] { $stores } store
   *[other] { $stores } stores
} ahead of plan


## Report (report --format text)

report-title = { $program } - snapshot { $time } from { $feed }
report-summary = { $recruiting ->
    [one] { $recruiting } city recruiting
   *[other] { $recruiting } cities recruiting
}, { $signed }/{ $partners } partners signed, { $open }/{ $stores } stores open, avg build-out { $built }%, { $late } late
report-findings = findings: { $critical } critical, { $warning } warning, { $info } info
report-cities = CITIES
report-col-status = status
report-col-city = city
report-col-partners = partners
report-col-stores = stores
report-col-built = built
report-col-late = late
report-col-conflicts = conflicts
report-conflicts = CONFLICTS AND FEED WARNINGS
report-none = none
report-acknowledged = ACKNOWLEDGED
report-ack-until = until { $time }
report-ack-until-clear = until it clears
report-ack-note = : { $note }
report-acked-by = acked by { $by } at { $time }, { $until }{ $note }
report-data-warnings = DATA WARNINGS
report-changes-since = Changes since { $time }
report-acks-unread = warning: { $error }; acknowledgements are not applied
report-needs-feed = report needs a feed: --feed URL, { $variable } or feed.url in the config
report-first-304 = { $url }: the feed answered 304 to a first request
report-nothing-recorded = nothing of it is recorded
report-first-received = the first was received at { $time }
report-none-recorded = no snapshot of { $feed } was recorded at or before { $time } ({ $first })
report-no-feed-recorded = no feed is recorded in the history yet
report-which-feed = the history holds { $count } feeds; name one with --feed: { $feeds }
report-changes-end-at = { $error }; the changes end at the last snapshot recorded, received at { $time }
report-changes-end = { $error }; the changes end at the last snapshot recorded
report-history-starts = the history starts at { $time }


## Data warnings (src/feed/snapshot.rs): what validation found; ids come shown

warning-partner-city-missing = partner { $partner } lists city { $city }, which is not in the feed
warning-store-city-missing = store { $store } is in city { $city }, which is not in the feed
warning-store-partner-missing = store { $store } is operated by { $partner }, which is not a partner in the feed
warning-percent-out-of-range = store { $store } reports build-out at { $percent }%, outside 0-100
warning-open-unfinished = store { $store } is in phase open but its build-out is only at { $percent }%
warning-finished-early = store { $store } is in phase { $phase } but its build-out is at { $percent }%
warning-crowd = { $count } stores in { $city } are at one point ({ $lat }, { $lon }, to about 10 m), as where a geocoder fell back to the city centre: distances between them mean little
warning-feed-warning-city-missing = feed warning { $warning } names city { $city }, which is not in the feed
warning-feed-warning-store-missing = feed warning { $warning } names store { $store }, which is not in the feed
warning-field-problem = { $section ->
    [program] program
    [city] city { $record }
    [partner] partner { $record }
    [store] store { $record }
   *[feed_warning] feed warning { $record }
}: { $field } is { $found }, not { $expected }; treated as absent
warning-duplicate = duplicate { $section } id { $id } (record { $position } repeats it); the first is shown
warning-bad-coordinates = { $record } has coordinates ({ $lat }, { $lon }) outside the valid range
warning-unknown-value = { $record } has { $field } { $value }, which this client does not know; shown as unknown
warning-delivery-center-agency = store { $store } is a delivery center on the agency channel; delivery centers are direct
warning-2s-direct = store { $store } is a 2S store on the direct channel; 2S stores are agency
warning-direct-by-partner = store { $store } is on the direct channel but operated by a partner
warning-agency-by-xiaomi = store { $store } is on the agency channel but operated by xiaomi
