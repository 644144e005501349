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

# A store named in a sentence: its channel and kind words, then its name;
# the kind is left out where the name says it already.
finding-store = { $channel } { $kind } { $name }
finding-store-no-kind = { $channel } { $name }
finding-store-no-channel = { $kind } { $name }
# A store of an unknown kind.
finding-store-kind-unknown = store
# After an agency store: the partner that runs it.
finding-store-partner = {" "}(partner { $partner })

# Lists of names: "a, b and c", "a, b, c and 2 more".
finding-list-comma = {", "}
finding-list-last = { $list } and { $last }
finding-list-more = { $list } and { $more } more

# A rule whose evidence is missing (should not happen): its id and city.
finding-fallback = { $rule } in { $city }

finding-unqualified-unknown = partner { $partner } does not meet the recruitment criteria
# $unmet: group, experience or both.
finding-unqualified = partner { $partner } has signed a contract but { $unmet ->
    [group] is tier "other" (neither a top-100 nor a strong regional dealer group)
    [experience] has sold neither luxury nor new-energy cars
   *[both] is tier "other" (neither a top-100 nor a strong regional dealer group) and has sold neither luxury nor new-energy cars
}

finding-delivery-after-agency = in { $city }, the first agency store, { $store }, is planned to open on { $agency_open }, { $days ->
    [one] { $days } day
   *[other] { $days } days
} before the first delivery center, { $center }, on { $center_open }

finding-no-delivery-center = { $city } has { $count ->
    [one] { $count } agency store
   *[other] { $count } agency stores
} ({ $stores }{ $partner_count ->
    [0] {""}
    [one] ; partner { $partners }
   *[other] ; partners { $partners }
}) but no delivery center to deliver and service the cars they sell

finding-schedule-slip = { $store } was planned to open on { $planned }, { $days ->
    [one] { $days } day
   *[other] { $days } days
} before the feed's date { $today }, but is still in phase { $phase } ({ $percent }%)

finding-display-late-no-date = the display car for { $store } is late
# $late: opening (after the planned opening), deadline (after the
# programme's deadline) or both.
finding-display-late = the display car for { $store } is due on { $eta }, { $late ->
    [opening] { $open_days ->
        [one] { $open_days } day
       *[other] { $open_days } days
    } after its planned opening on { $open }
    [deadline] { $deadline_days ->
        [one] { $deadline_days } day
       *[other] { $deadline_days } days
    } after the programme's display-car deadline { $deadline }
   *[both] { $open_days ->
        [one] { $open_days } day
       *[other] { $open_days } days
    } after its planned opening on { $open } and { $deadline_days ->
        [one] { $deadline_days } day
       *[other] { $deadline_days } days
    } after the programme's display-car deadline { $deadline }
}

finding-competitor-brand = { $store } is run by { $partner }, which also sells the competing { $count ->
    [one] brand
   *[other] brands
} { $brands }

# $planned: yes when the city's dealer recruitment is only planned.
finding-outside-recruitment = { $store } is in { $city }, { $planned ->
    [yes] whose dealer recruitment is only planned
   *[no] which recruits no dealers
}

# Two stores too close ($km and $limit are decimals, written already).
# These and finding-store* are split once at their variables and written
# without Fluent (they are most of a report): place the variables, do not
# select on them.
finding-overlap-apart = { $first } and { $second } are { $km } km apart
finding-overlap-from = { $first } is { $km } km from { $second }
finding-overlap-district-both = { $first } and { $second } are in the same district ({ $district })
finding-overlap-district-as = { $first } is in the same district ({ $district }) as { $second }
finding-overlap-critical = , closer than the critical { $limit } km
finding-overlap-within = , within the { $limit } km overlap distance
finding-overlap-also-district = ; same district ({ $district })
finding-overlap-but-district = {" "}but in the same district ({ $district })
finding-overlap-no-location = ; a location is missing, so the distance is unknown

# The pairs of one city beyond those listed one by one, as one finding.
# $rule: territory_overlap or agency_overlap; $count selects the plural,
# $pairs is the same count written with digit groups; $exact: yes or no.
finding-folded = { $exact ->
    [yes] {""}
   *[no] at least{" "}
}{ $pairs } more { $count ->
    [one] pair
   *[other] pairs
} of { $rule ->
    [agency_overlap] agency stores of two partners
   *[other] an agency store and a direct store
} in { $city } { $count ->
    [one] is
   *[other] are
} within { $limit } km of each other or in one district, shown as this one finding after the { $listed } listed one by one (rules.max_pairs_per_city)
finding-folded-unknown = there may be more pairs of { $rule ->
    [agency_overlap] agency stores of two partners
   *[other] an agency store and a direct store
} in { $city } within { $limit } km of each other or in one district than the { $listed } listed: the pair search stopped at its work limit
finding-folded-first = ; the first:{" "}
finding-folded-stopped = ; the pair search stopped at its work limit, so the pairs listed are not necessarily the first
finding-folded-stopped-critical = {" "}and some of these may be closer than the critical { $limit } km
finding-folded-stopped-counting = ; the pair search stopped counting at its work limit

# Notifications of new findings (src/app/notify.rs) and what `y` copies.
notify-new = { $count ->
    [one] { $count } new { $severity } conflict
   *[other] { $count } new { $severity } conflicts
}
# Findings of several severities; $severities lists notify-severity-count.
notify-new-mixed = { $count ->
    [one] { $count } new conflict
   *[other] { $count } new conflicts
} ({ $severities })
notify-severity-count = { $count } { $severity }
notify-one = { $head }: { $place }: { $message }
notify-many = { $head }: { $places }
notify-place-count = { $place } { $count }
notify-program-wide = program-wide
notify-copy-finding = { $severity } { $rule } { $place }: { $message } [{ $id }]
notify-copy-city = { $name } [{ $id }] recruitment { $status }
notify-copy-partner = { $name } [{ $id }] tier { $tier }, agreement { $stage }
notify-copy-store = { $name } [{ $id }] { $city }, { $kind }, { $phase } { $percent }%
notify-copy-store-planned = { $name } [{ $id }] { $city }, { $kind }, { $phase } { $percent }%, planned opening { $planned }

notify-command-spawn = notify.command could not be started: { $error }
notify-command-timed-out = notify.command ran longer than { $seconds } s and was killed
notify-command-failed = notify.command failed ({ $status })
notify-command-failed-said = notify.command failed ({ $status }): { $stderr }
notify-command-wait = notify.command: { $error }

## Changes between snapshots (src/analysis/changes.rs)

# Percentages come written already; phases, stages and statuses are the
# contract's values as sent.
change-store-added = new store { $store } ({ $id }) in { $city }
change-store-removed = store { $store } ({ $id }) left the feed
change-store-phase = { $store } moved { $from } -> { $to } ({ $percent }%)
change-store-percent = { $store } build-out { $from }% -> { $to }%
change-partner-added = new partner { $partner } at stage { $stage }
change-agreement-stage = { $partner } agreement { $from } -> { $to }
change-recruitment-status = { $city } recruitment { $from } -> { $to }
# $rule: the rule id (territory_overlap), or feed:<kind> for the feed's warnings.
change-appeared = { $severity } { $rule } appeared: { $message }
change-cleared = { $rule } cleared: { $message }

## Header, footer, help, command line, status and errors


## Panes: cities, partners, stores, conflicts, changes, data warnings, map


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
