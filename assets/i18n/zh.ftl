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

