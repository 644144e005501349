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

