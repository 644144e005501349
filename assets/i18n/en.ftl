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

# Actions (src/app/keys.rs): what each does, for the help and the README,
# and its footer word.
key-down = move the selection one row down
key-down-footer = move
key-up = move the selection one row up
key-first = first row
key-last = last row
key-page-down = ten rows down
key-page-up = ten rows up
key-open = open the selected city, partner or store (also from a conflict or a change)
key-open-footer = open
key-copy = copy the selected row to the clipboard as text (OSC 52)
key-next-pane = next pane
key-next-pane-footer = pane
key-previous-pane = previous pane
key-next-section = next section (stores, partners or cities, conflicts, recent changes)
key-next-section-footer = section
key-previous-section = previous section
key-pane-cities = go to the cities pane
key-pane-partners = go to the partners pane
key-pane-stores = go to the stores pane
key-pane-conflicts = go to the conflicts pane
key-pane-changes = go to the change log pane
key-pane-map = go to the map pane
key-pane-data-warnings = go to the data warnings pane
key-filter = filter by names and ids, and terms such as sev:critical city:nj late
key-filter-footer = filter
key-sort = cycle the sort key
key-sort-footer = sort
key-reverse-sort = reverse the order
key-next-match = next match of the filter (wraps at the end)
key-previous-match = previous match of the filter
key-command-line = command line (:city NAME, :store ID, :group, :q, ...; Tab completes)
key-clear-filter = clear the pane's filter
key-back = clear the section's filter, else back to the screen before (drill-downs stack: partner, city, store and back)
key-back-footer = back
key-poll = poll the feed now (a busy feed's Retry-After is waited out)
key-poll-footer = poll
key-plan = plan versus actual: of the programme from the overview, of the city from a city (p again or Esc goes back)
key-plan-footer = plan
key-pause = pause / resume polling
key-pause-footer = pause
key-history-back = show the recorded snapshot before the one on screen (every pane; HISTORY and its time in the header)
key-history-forward = show the recorded snapshot after it; past the newest, live again
key-acknowledge = acknowledge the selected finding (conflicts pane or section): type a note, add --for 3d to snooze; Enter saves, Esc cancels
key-unacknowledge = take back the selected finding's acknowledgement
key-toggle-acked = hide / show acknowledged findings (shown dimmed, after the others)
key-help = this help (Down / Up and PgDn / PgUp scroll it, any other key closes it)
key-help-footer = help
key-quit = quit (its keys that type no text work while filtering too)
key-quit-footer = quit
key-suspend = suspend to the shell (fg resumes)
key-redraw = clear the terminal and draw the whole screen again (after line noise)
key-mouse = the wheel scrolls, a click selects a pane and a row
key-type = filter text, matched against names and ids (at most 256 characters; a line break in a paste is a space, never Enter)
key-type-footer = filter
key-filter-backspace = delete the last character
key-filter-keep = keep the filter and leave it
key-filter-keep-footer = keep
key-filter-cancel = clear the filter and leave it
key-filter-cancel-footer = clear
key-command-type = a command; NAME may be the English or Chinese name, pinyin (nanjing, nj), the id, or a fuzzy match
key-command-type-footer = command
key-command-complete = complete the command or the name; again: the next / previous candidate
key-command-complete-footer = complete
key-command-history = walk the command history of this session
key-command-run = run the command (a name that fits several shows them: Enter opens the one picked)
key-command-run-footer = run
key-command-close = close the command line
key-command-close-footer = close

key-none = (no key)
key-input-mouse = mouse
key-input-type = type or paste
key-input-type-footer = type
key-view-overview = overview
key-view-drill-down = drill-down
key-view-filter = while filtering
key-view-command-line = command line
footer-ack-prompt = ack { $finding }:
footer-ack-hint = Enter saves, Esc cancels, --for 3d snoozes
footer-filter-cut = (cut at { $limit } characters)
help-title = Keys
help-more-below = Down: more
help-more-both = Up / Down: more
help-more-above = Up: back
header-demo = DEMO
header-history = HISTORY
header-updated-ago = updated { $age } ago
header-ago = { $age } ago
header-feed-time = feed time { $time }
header-waiting-first = waiting for the first snapshot
header-waiting = waiting
header-paused = PAUSED
header-history-off-why = history off: { $reason }
header-history-off = history off
header-cities =
    { $count ->
        [one] { $count } city
       *[other] { $count } cities
    }
header-partners-signed = { $figure } partners signed
header-signed = { $figure } signed
header-stores-open = { $figure } stores open
header-open = { $figure } open
header-average = avg { $percent }
header-late = { $count } late
header-acked = ({ $count } acked)
header-new = { $count } new
header-new-short = { $count }new
header-data-warnings =
    { $count ->
        [one] { $count } data warning (7)
       *[other] { $count } data warnings (7)
    }
header-data-short = data
header-stale = STALE
header-polling-paused = polling paused
header-next-try = next try in { $age }
header-retrying = retrying now
header-from-cache = the last known snapshot, from the cache; waiting for the feed
header-age-seconds = { $s }s
header-age-minutes = { $m }m { $s }s
header-age-hours = { $h }h { $m }m
header-age-days = { $d }d { $h }h
header-too-small = terminal too small: { $size }; needs at least { $needed }
notice-ack-select = a acknowledges a finding: select one in the conflicts pane or a conflicts section
notice-unack-select = u takes back an acknowledgement: select a finding first
notice-not-acked = { $finding } is not acknowledged
notice-ack-cancelled = not acknowledged
notice-acknowledging = acknowledging { $finding }...
notice-paste-nowhere = a paste goes into a filter only: / starts one; nothing was done
notice-oldest = [: this is the oldest recorded snapshot ({ $time })
notice-nothing-before = [: nothing is recorded before the live snapshot
notice-already-live = ]: already live; [ steps back through the recorded snapshots
notice-acked-shown = acknowledged findings shown (dimmed, last)
notice-acked-hidden = acknowledged findings hidden (A shows them)
notice-section-not-a-list = /, s and S work on stores, partners, cities, conflicts and changes; Tab to one of them
notice-copy-key = copy
notice-copy-off = { $key } copies by OSC 52, which ui.osc52 = false turns off
notice-copied = copied
notice-nothing-to-copy = nothing selected to copy
notice-works-elsewhere = { $key } works in the { $view } only ({ $does }); Esc to go back
notice-the-help = the help
notice-does-nothing = { $key } does nothing here; { $help } lists the keys
notice-no-filter = n / N step through a filter's matches: / sets one
notice-no-match = the filter matches nothing
notice-wrapped-to-top = search hit BOTTOM, continuing at TOP
notice-wrapped-to-bottom = search hit TOP, continuing at BOTTOM
notice-plan-where = p shows plan versus actual from the overview or a city; Esc to go back
cmd-nothing-completes = nothing completes { $typed }
cmd-no-other-feeds = no other feeds configured: :feed { $feed } needs [[feeds]] in the config
cmd-no-such-feed = no feed { $feed }; feeds are { $feeds }
cmd-no-data = no data yet: wait for the first snapshot
cmd-cities-match =
    { $count ->
        [one] { $count } city matches { $typed }: Tab picks one, Enter opens it
       *[other] { $count } cities match { $typed }: Tab picks one, Enter opens it
    }
cmd-partners-match =
    { $count ->
        [one] { $count } partner matches { $typed }: Tab picks one, Enter opens it
       *[other] { $count } partners match { $typed }: Tab picks one, Enter opens it
    }
cmd-stores-match =
    { $count ->
        [one] { $count } store matches { $typed }: Tab picks one, Enter opens it
       *[other] { $count } stores match { $typed }: Tab picks one, Enter opens it
    }
cmd-no-city = no city matches { $typed }
cmd-no-partner = no partner matches { $typed }
cmd-no-store = no store id or name holds { $typed }
feed-error-wait-until = server asked to wait until { $time }
feed-error-timeout = the feed timed out after { $after }
feed-error-stalled = the feed stopped sending for { $after } (feed.read_timeout)
feed-error-connect = cannot reach the feed: { $detail }
feed-error-tls = TLS failure talking to the feed: { $detail }
feed-error-auth = the feed refused the credentials (HTTP { $status }): { $hint }
feed-error-busy = the feed is busy (HTTP { $status })
feed-error-busy-retry = the feed is busy (HTTP { $status }); retry after { $seconds }s
feed-error-status = the feed answered HTTP { $status }
feed-error-too-large = the feed's body is larger than the { $limit } MiB limit (feed.max_body_mb)
feed-error-body = cannot decode the feed's body: { $detail }
feed-error-not-json = the feed's body is not JSON ({ $detail }); it starts with { $start }
feed-error-schema = the feed sent schema_version { $found }, but this client reads schema_version { $expected }
feed-error-invalid = the feed's document is invalid at { $path }: { $detail }
feed-error-not-modified = the feed answered 304 Not Modified to a first request, which named no earlier snapshot; it must send the document
feed-error-internal = internal error while polling: { $detail }
cmd-empty = type a command: city, partner, store, group, feed, q or a pane
cmd-needs-name = :{ $command } needs a name
cmd-needs-store-id = :{ $command } needs a store id
cmd-group-takes = :group takes rule, city or none, not { $typed }
cmd-takes-nothing = :{ $command } takes nothing after it
cmd-unknown = no command { $command }; Tab lists them: { $commands }
cmd-candidates-title = Tab picks, Enter opens
header-off-disabled = disabled
header-off-no-path = no path
header-off-no-file = no file
header-off-not-a-file = not a file
header-off-no-directory = no directory
header-off-corrupt = corrupt
header-off-locked = locked
header-off-read-only = read-only
header-off-newer = newer version
header-off-disk-full = disk full
header-off-database = database error
header-off-not-recorded = not recorded
history-off = history off
history-no-earlier = no earlier snapshot of this feed is recorded yet
history-off-demo = the built-in demo feed is not recorded
history-off-not-recorded = history off: { $reason }
history-off-disabled = history off: history.enabled is false in the config
history-off-no-path = history off: no history.path in the config, and neither XDG_DATA_HOME nor HOME is set
history-off-missing = history off: { $path }: no history recorded yet (the file does not exist)
history-off-not-regular = history off: { $path }: is { $kind ->
    [directory] a directory
    [fifo] a FIFO
    [char-device] a character device
    [block-device] a block device
    [socket] a socket
   *[special] a special file
}, not a regular file
history-off-create-dir = history off: { $path }: cannot create its directory: { $detail }
history-off-corrupt = history off: { $path }: not a usable history database ({ $detail })
history-off-locked = history off: { $path }: locked by another program for more than { $seconds } s
history-off-read-only = history off: { $path }: read-only: { $detail }
history-off-newer = history off: { $path }: written by a newer rollout-dash (schema version { $found }; this one knows up to { $known })
history-off-full = history off: { $path }: the disk is full ({ $detail })
history-off-database = history off: { $path }: { $detail }
query-unknown-fields = no field { $typed }: read as text; fields are { $fields }, and late, new
query-quote-open = a quote is not closed
query-needs-value = { $field }: needs a value
query-severity = severity is critical, warning or info
query-phase = phase is one of { $phases }
query-kind = kind is dc (delivery_center), home (xiaomi_home) or 2s (sales_service_2s)
query-acked = acked is yes or no
query-no-rule = no rule { $typed }; rules are { $rules }, feed
query-or = or
query-could-be = { $typed } could be { $rules }
ack-needs-duration = --for needs a duration: 30m, 12h, 3d
ack-not-a-duration = { $typed } is not a duration (30s, 90m, 6h, 2d)
header-demo-feed = built-in demo feed ({ $url })
header-date-short = %b %-d %H:%M %Z
notice-acked-until = acknowledged { $finding } until { $until }
notice-acked-until-clears = acknowledged { $finding } until it clears
notice-unack-not-acked = { $finding } was not acknowledged
notice-unacked = took back the acknowledgement of { $finding }
notice-unack-failed = not taken back: { $error }
notice-ack-failed = not acknowledged: { $error }
feed-error-hint-no-token = no token is configured; set ROLLOUT_DASH_TOKEN or feed.token_file
feed-error-hint-refused = the token was refused (wrong or expired); check ROLLOUT_DASH_TOKEN or feed.token_file
feed-error-hint-not-allowed = the token is not allowed to read this feed; ask the feed's owner


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

phrase-empty-string = an empty string
phrase-list = a list
phrase-object = an object
phrase-not-a-string = not a string
phrase-text = text
phrase-date = a date (YYYY-MM-DD)
phrase-time = an RFC 3339 time
phrase-whole-number = a whole number from 0
phrase-location = an object with numbers lat and lon
phrase-not-a-location = an object without numbers lat and lon
phrase-strings = a list of strings
phrase-strings-left-out = a list of strings (those are left out)
phrase-number = the number { $number }
phrase-non-strings = { $count ->
    [one] a list with { $count } element that is not a string
   *[other] a list with { $count } elements that are not strings
}


## Configuration and usage errors (src/config.rs, src/app/keys.rs, src/main.rs, src/dashboard.rs)

config-read = cannot read config file { $path }: { $error }
config-parse = config file { $path }: { $message }
config-parse-line = config file { $path }, line { $line }: { $message }
config-parse-key = config file { $path }: key `{ $key }`: { $message }
config-parse-line-key = config file { $path }, line { $line }: key `{ $key }`: { $message }
config-invalid = { $origin }: key `{ $key }`: { $message }
config-invalid-line = { $origin }, line { $line }: key `{ $key }`: { $message }
config-origin-flags = command line or environment
config-token = token file { $path }: { $message }
config-token-open = permissions { $mode } are too open; it must not be readable by group or others (chmod 600)
config-not-utf8 = it is not UTF-8 text
config-token-empty = the file is empty
config-needs-quotes = the value `{ $value }` needs quotes: { $fixed }
config-interval-too-short = must be at least 0.2 seconds
config-not-zero = must be more than 0
config-at-least-one = must be at least 1
config-distance = must be a distance of 0 or more
config-max-pairs = { $value } is more than { $max }: every pair listed is kept in memory
config-unknown-rule = unknown rule id { $rule }; known: { $known }
config-retention = must be at least 1 (a day)
config-feed-name = { $name } is not a feed name: use letters, digits, '-', '_' and '.'
config-feed-name-twice = { $name } names two feeds
config-command-empty = is empty; leave the key out for no command
config-timezone = { $zone } is not an IANA time zone name (such as "Asia/Shanghai")
config-log-level = { $level } is not one of error, warn, info, debug, trace
config-feed-not-named = { $name } is neither a URL nor a feed's name (the config has no [[feeds]])
config-feed-unknown = no feed is called { $name }; the feeds: { $feeds }
config-keys-unknown-action = unknown action { $name }; actions: { $actions }
config-keys-types-text = { $key } types text while a filter is typed; { $name } needs a key that types none (ctrl-x, enter, esc, f5, ...)
config-keys-clash = { $key } is bound to both { $first } and { $second } in the { $view ->
    [filter] filtering
    [command-line] command line
   *[other] { $view }
} view
config-terminal = the dashboard needs a terminal, and { $problem }; for a summary in text or JSON without one, run `rollout-dash report` (see `rollout-dash report --help`)
config-terminal-stdout = stdout is not a terminal
config-terminal-stdin = stdin is not a terminal
config-terminal-dumb = TERM=dumb cannot show it
config-url-invalid = { $url } is not a URL: { $error }
config-url-scheme = { $url } must start with http:// or https://
config-url-no-host = { $url } has no host
config-url-userinfo = a user name or password in the feed URL is refused (the URL is not shown); put the token in { $variable } or feed.token_file
config-url-no-path = { $url } cannot take a path
config-file-not-regular = is { $kind ->
    [directory] a directory
    [fifo] a FIFO
    [char-device] a character device
    [block-device] a block device
    [socket] a socket
   *[special] a special file
}, not a regular file
config-file-too-large = is larger than { $size }
config-read-too-large = it is larger than { $size }
config-log-file = log file { $path }: { $problem } (name another in log.file)
config-runtime = cannot start the async runtime: { $error }
config-keys-alt = { $key } cannot be bound: a terminal sends alt- keys as Esc and then the key
config-keys-not-a-key = { $key } is not a key: { $why ->
    [empty] nothing after the modifier
    [control] a control character; write ctrl-x
    [shifted] write the shifted character itself ("G", not "shift-g")
    [ctrl-letter] ctrl- goes with a letter
   *[unknown] unknown key name; a key is one character, ctrl-x, shift-tab, f1-f24, space or one of { $names }
}
config-keys-fixed = { $what ->
    [type] type or paste
   *[other] { $what }
} is not a key and cannot be remapped
config-duration = { $value } is not a duration (try 5, 0.5, "500ms", "2m")
config-seconds = { $value } is not a usable number of seconds
config-severity = { $value } is not one of critical, warning, info
config-unknown-field = unknown field `{ $field }`, expected one of { $names }
