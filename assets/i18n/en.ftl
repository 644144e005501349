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

pane-cities = Cities
pane-partners = Partners
pane-stores = Store build-out
pane-conflicts = Conflicts
pane-changes = Change log
pane-map = Map
pane-data-warnings = Data warnings
pane-sorted = by { $key }
pane-sort-feed-order = feed order
pane-sort-severity = severity
pane-sort-name = name
pane-sort-status = status
pane-sort-progress = progress
pane-sort-tier = tier
pane-sort-stage = stage
pane-sort-city = city
pane-sort-phase = phase
pane-sort-planned-open = planned opening
pane-sort-rule = rule
pane-sort-newest = newest
pane-filter-not-here = does not filter { $pane }
pane-filter-untracked = { $terms }: not tracked yet, ignored
pane-filter-bad = { $error } (showing the last good filter)
pane-empty = nothing to show
pane-no-match = nothing matches the filter
pane-no-cities = no cities
pane-no-partners = no partners
pane-no-stores = no stores
pane-no-conflicts = no conflicts
pane-no-changes = no changes yet
pane-no-data-warnings = no data warnings
pane-ok = ok
pane-late = LATE
pane-new = NEW
pane-ack = ack
pane-no-city = no city
pane-xiaomi-direct = Xiaomi (direct)
pane-tier-rank = { $tier } #{ $rank }
pane-kind-dc = DC
pane-kind-home = Home
pane-kind-2s = 2S
col-status = Status
col-city = City
col-partners = Partners
col-stores = Stores
col-build-out = Build-out
col-built = Built
col-conflicts = Conflicts
col-trend = Trend
col-trend-open = Open
col-partner = Partner
col-tier = Tier
col-stage = Stage
col-cities = Cities
col-brands = Brands
col-store = Store
col-kind = Kind
col-phase = Phase
col-opens = Opens
col-car = Car
col-display-car = Display car
col-severity = Severity
col-rule = Rule
col-where = Where
col-what = What
col-finding = Severity, rule, where / what
col-time = Time
col-change = Change
col-record = Record
col-problem = Problem

## Views: city, partner and store drill-down, plan, trend


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
