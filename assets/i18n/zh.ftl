# rollout-dash: 中文目录 (Chinese catalog).
#
# The same ids as en.ftl, with the same variables. Written as an operations
# manager writes: 城市, 合作伙伴, 门店, 冲突, 数据警告, 变更记录. Chinese has
# one plural form: selectors keep only `*[other]`.

## Language

lang-name = 中文
i18n-example = { $city }有 { $count } 家门店

## Shared words: the contract's values, severities and rule labels

severity-critical = 严重
severity-warning = 警告
severity-info = 提示

rule-territory_overlap = 直营代理区域重叠
rule-agency_overlap = 代理门店重叠
rule-no_delivery_center = 缺交付中心
rule-delivery_after_agency = 交付中心晚于代理店
rule-schedule_slip = 开业延期
rule-display_vehicle_late = 展车延迟
rule-unqualified_partner = 合作伙伴不合格
rule-competitor_brand = 经营竞品
rule-outside_recruitment = 非招募城市

status-planned = 计划中
status-open = 招募中
status-shortlisting = 筛选中
status-signed = 已签约
status-closed = 已结束

tier-top100 = 百强
tier-regional = 区域龙头
tier-other = 其他

stage-prospect = 洽谈中
stage-intention = 意向协议
stage-contract = 已签合同
stage-terminated = 已终止

kind-delivery_center = 交付中心
kind-xiaomi_home = 小米之家
kind-sales_service_2s = 2S店

channel-direct = 直营
channel-agency = 代理

phase-planned = 计划中
phase-site_selected = 已选址
phase-design = 设计
phase-construction = 施工
phase-fit_out = 装修
phase-display_vehicle = 展车到店
phase-open = 已开业

## Findings: the sentences of conflicts (src/analysis/sentence.rs)

finding-store = { $channel }{ $kind } { $name }
finding-store-no-kind = { $channel } { $name }
finding-store-no-channel = { $kind } { $name }
finding-store-kind-unknown = 门店
finding-store-partner = （合作伙伴 { $partner }）

finding-list-comma = {"、"}
finding-list-last = { $list }和{ $last }
finding-list-more = { $list }及另外 { $more } 家

finding-fallback = { $city }：{ $rule }

finding-unqualified-unknown = 合作伙伴 { $partner } 不符合招募条件
finding-unqualified = 合作伙伴 { $partner } 已签合同，但{ $unmet ->
    [group] 集团级别为“其他”（既非百强也非区域龙头经销商集团）
    [experience] 从未经营过豪华品牌或新能源汽车
   *[both] 集团级别为“其他”（既非百强也非区域龙头经销商集团），且从未经营过豪华品牌或新能源汽车
}

finding-delivery-after-agency = { $city }的首家代理店 { $store } 计划于 { $agency_open } 开业，比首家交付中心 { $center }（{ $center_open }）早 { $days } 天

finding-no-delivery-center = { $city }有 { $count } 家代理店（{ $stores }{ $partner_count ->
    [0] {""}
   *[other] ；合作伙伴：{ $partners }
}），但没有交付中心为其交车和提供售后

finding-schedule-slip = { $store } 原计划于 { $planned } 开业，至数据日期 { $today } 已逾期 { $days } 天，仍处于{ $phase }阶段（进度 { $percent }%）

finding-display-late-no-date = { $store } 的展车延迟
finding-display-late = { $store } 的展车预计 { $eta } 到店，{ $late ->
    [opening] 比计划开业日 { $open } 晚 { $open_days } 天
    [deadline] 比项目展车截止日 { $deadline } 晚 { $deadline_days } 天
   *[both] 比计划开业日 { $open } 晚 { $open_days } 天，比项目展车截止日 { $deadline } 晚 { $deadline_days } 天
}

finding-competitor-brand = { $store } 由 { $partner } 经营，该合作伙伴同时经营竞品品牌{ $count ->
   *[other] {""}
} { $brands }

finding-outside-recruitment = { $store } 位于{ $city }，{ $planned ->
    [yes] 该城市的经销商招募尚在计划中
   *[no] 该城市不招募经销商
}

finding-overlap-apart = { $first } 与 { $second } 相距 { $km } 公里
finding-overlap-from = { $first } 与 { $second } 相距 { $km } 公里
finding-overlap-district-both = { $first } 与 { $second } 位于同一区（{ $district }）
finding-overlap-district-as = { $first } 与 { $second } 位于同一区（{ $district }）
finding-overlap-critical = ，小于严重阈值 { $limit } 公里
finding-overlap-within = ，在 { $limit } 公里重叠距离内
finding-overlap-also-district = ；且同区（{ $district }）
finding-overlap-but-district = ，但位于同一区（{ $district }）
finding-overlap-no-location = ；缺少位置，距离未知

finding-folded = { $city }另有{ $exact ->
    [yes] {""}
   *[no] 至少
} { $pairs } 对{ $rule ->
    [agency_overlap] 不同合作伙伴的代理店
   *[other] 代理店与直营店
}相距 { $limit } 公里以内或位于同一区{ $count ->
   *[other] {""}
}，在逐一列出的 { $listed } 对之外合并为这一条（rules.max_pairs_per_city）
finding-folded-unknown = { $city }相距 { $limit } 公里以内或位于同一区的{ $rule ->
    [agency_overlap] 不同合作伙伴的代理店
   *[other] 代理店与直营店
}可能不止已列出的 { $listed } 对：配对搜索已达工作上限
finding-folded-first = ；其中第一对：
finding-folded-stopped = ；配对搜索已达工作上限，已列出的不一定是最先的几对
finding-folded-stopped-critical = ，其余配对中可能有小于严重阈值 { $limit } 公里的
finding-folded-stopped-counting = ；配对搜索已达工作上限，未数完

notify-new = 新增 { $count } 条{ $severity }冲突
notify-new-mixed = 新增 { $count } 条冲突（{ $severities }）
notify-severity-count = { $severity } { $count }
notify-one = { $head }：{ $place }：{ $message }
notify-many = { $head }：{ $places }
notify-place-count = { $place } { $count }
notify-program-wide = 全局
notify-copy-finding = { $severity } { $rule } { $place }：{ $message } [{ $id }]
notify-copy-city = { $name } [{ $id }] 招募{ $status }
notify-copy-partner = { $name } [{ $id }] 级别：{ $tier }，合作阶段：{ $stage }
notify-copy-store = { $name } [{ $id }] { $city }，{ $kind }，{ $phase } 进度 { $percent }%
notify-copy-store-planned = { $name } [{ $id }] { $city }，{ $kind }，{ $phase } 进度 { $percent }%，计划开业 { $planned }

notify-command-spawn = notify.command 无法启动：{ $error }
notify-command-timed-out = notify.command 运行超过 { $seconds } 秒，已被终止
notify-command-failed = notify.command 执行失败（{ $status }）
notify-command-failed-said = notify.command 执行失败（{ $status }）：{ $stderr }
notify-command-wait = notify.command：{ $error }

## Changes between snapshots (src/analysis/changes.rs)

# The code passes the contract's values as sent (the English log shows
# them so); the words for them are chosen here.

change-store-added = 新门店 { $store }（{ $id }），城市：{ $city }
change-store-removed = 门店 { $store }（{ $id }）已不在数据中
change-store-phase = { $store } 阶段 { $from ->
    [planned] { phase-planned }
    [site_selected] { phase-site_selected }
    [design] { phase-design }
    [construction] { phase-construction }
    [fit_out] { phase-fit_out }
    [display_vehicle] { phase-display_vehicle }
    [open] { phase-open }
   *[other] { $from }
} → { $to ->
    [planned] { phase-planned }
    [site_selected] { phase-site_selected }
    [design] { phase-design }
    [construction] { phase-construction }
    [fit_out] { phase-fit_out }
    [display_vehicle] { phase-display_vehicle }
    [open] { phase-open }
   *[other] { $to }
}（进度 { $percent }%）
change-store-percent = { $store } 进度 { $from }% → { $to }%
change-partner-added = 新合作伙伴 { $partner }，合作阶段：{ $stage ->
    [prospect] { stage-prospect }
    [intention] { stage-intention }
    [contract] { stage-contract }
    [terminated] { stage-terminated }
   *[other] { $stage }
}
change-agreement-stage = { $partner } 合作阶段 { $from ->
    [prospect] { stage-prospect }
    [intention] { stage-intention }
    [contract] { stage-contract }
    [terminated] { stage-terminated }
   *[other] { $from }
} → { $to ->
    [prospect] { stage-prospect }
    [intention] { stage-intention }
    [contract] { stage-contract }
    [terminated] { stage-terminated }
   *[other] { $to }
}
change-recruitment-status = { $city } 招募 { $from ->
    [planned] { status-planned }
    [open] { status-open }
    [shortlisting] { status-shortlisting }
    [signed] { status-signed }
    [closed] { status-closed }
   *[other] { $from }
} → { $to ->
    [planned] { status-planned }
    [open] { status-open }
    [shortlisting] { status-shortlisting }
    [signed] { status-signed }
    [closed] { status-closed }
   *[other] { $to }
}
# The rule's label for its id; the feed's warnings keep feed:<kind>.
change-appeared = 新增{ $severity }冲突「{ $rule ->
    [territory_overlap] { rule-territory_overlap }
    [agency_overlap] { rule-agency_overlap }
    [no_delivery_center] { rule-no_delivery_center }
    [delivery_after_agency] { rule-delivery_after_agency }
    [schedule_slip] { rule-schedule_slip }
    [display_vehicle_late] { rule-display_vehicle_late }
    [unqualified_partner] { rule-unqualified_partner }
    [competitor_brand] { rule-competitor_brand }
    [outside_recruitment] { rule-outside_recruitment }
   *[other] { $rule }
}」：{ $message }
change-cleared = 冲突「{ $rule ->
    [territory_overlap] { rule-territory_overlap }
    [agency_overlap] { rule-agency_overlap }
    [no_delivery_center] { rule-no_delivery_center }
    [delivery_after_agency] { rule-delivery_after_agency }
    [schedule_slip] { rule-schedule_slip }
    [display_vehicle_late] { rule-display_vehicle_late }
    [unqualified_partner] { rule-unqualified_partner }
    [competitor_brand] { rule-competitor_brand }
    [outside_recruitment] { rule-outside_recruitment }
   *[other] { $rule }
}」已解除：{ $message }

## Header, footer, help, command line, status and errors


## Panes: cities, partners, stores, conflicts, changes, data warnings, map


## Views: city, partner and store drill-down, plan, trend


## Report (report --format text)

report-title = { $program } - 数据快照 { $time }，来自 { $feed }
report-summary = { $recruiting } 个城市招募中，合作伙伴已签约 { $signed }/{ $partners }，门店已开业 { $open }/{ $stores }，平均建设进度 { $built }%，延期 { $late } 家
report-findings = 问题：严重 { $critical }，警告 { $warning }，提示 { $info }
report-cities = 城市
report-col-status = 招募状态
report-col-city = 城市
report-col-partners = 合作伙伴
report-col-stores = 门店
report-col-built = 进度
report-col-late = 延期
report-col-conflicts = 冲突
report-conflicts = 冲突与数据源警告
report-none = 无
report-acknowledged = 已确认
report-ack-until = 至 { $time }
report-ack-until-clear = 至问题消除
report-ack-note = ：{ $note }
report-acked-by = 由 { $by } 于 { $time } 确认，{ $until }{ $note }
report-data-warnings = 数据警告
report-changes-since = 自 { $time } 以来的变更
report-acks-unread = 警告：{ $error }；未应用确认记录
report-needs-feed = report 需要数据源：--feed URL、{ $variable } 或配置中的 feed.url
report-first-304 = { $url }：数据源对首次请求回复了 304
report-nothing-recorded = 尚无任何记录
report-first-received = 最早一条收于 { $time }
report-none-recorded = { $feed } 在 { $time } 及之前没有记录的数据快照（{ $first }）
report-no-feed-recorded = 历史中还没有记录任何数据源
report-which-feed = 历史中有 { $count } 个数据源；请用 --feed 指定其一：{ $feeds }
report-changes-end-at = { $error }；变更截至最后记录的数据快照（收于 { $time }）
report-changes-end = { $error }；变更截至最后记录的数据快照
report-history-starts = 历史记录始于 { $time }


## Data warnings (src/feed/snapshot.rs): what validation found; ids come shown

warning-partner-city-missing = 合作伙伴 { $partner } 列出的城市 { $city } 不在数据中
warning-store-city-missing = 门店 { $store } 所在城市 { $city } 不在数据中
warning-store-partner-missing = 门店 { $store } 的运营方 { $partner } 不是数据中的合作伙伴
warning-percent-out-of-range = 门店 { $store } 的建设进度为 { $percent }%，超出 0-100
warning-open-unfinished = 门店 { $store } 已开业，但建设进度只有 { $percent }%
warning-finished-early = 门店 { $store } 处于「{ $phase }」阶段，但建设进度已达 { $percent }%
warning-crowd = { $city }有 { $count } 家门店位于同一坐标（{ $lat }, { $lon }，约 10 米内），多为地理编码退回到市中心所致：它们之间的距离参考价值不大
warning-feed-warning-city-missing = 数据源警告 { $warning } 提到的城市 { $city } 不在数据中
warning-feed-warning-store-missing = 数据源警告 { $warning } 提到的门店 { $store } 不在数据中
warning-field-problem = { $section ->
    [program] 项目
    [city] 城市 { $record }
    [partner] 合作伙伴 { $record }
    [store] 门店 { $record }
   *[feed_warning] 数据源警告 { $record }
}：{ $field } 为 { $found }，应为 { $expected }；按缺失处理
warning-duplicate = { $section ->
    [city] 城市
    [partner] 合作伙伴
   *[store] 门店
} ID { $id } 重复（第 { $position } 条记录与之相同）；显示第一条
warning-bad-coordinates = { $record } 的坐标 ({ $lat }, { $lon }) 超出有效范围
warning-unknown-value = { $record } 的 { $field } 为 { $value }，本客户端无法识别；显示为未知
warning-delivery-center-agency = 门店 { $store } 是交付中心，却走代理渠道；交付中心应为直营
warning-2s-direct = 门店 { $store } 是 2S 店，却走直营渠道；2S 店应为代理
warning-direct-by-partner = 门店 { $store } 走直营渠道，却由合作伙伴运营
warning-agency-by-xiaomi = 门店 { $store } 走代理渠道，却由小米运营
