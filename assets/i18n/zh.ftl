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


## Changes between snapshots (src/analysis/changes.rs)


## Header, footer, help, command line, status and errors


## Panes: cities, partners, stores, conflicts, changes, data warnings, map

pane-cities = 城市
pane-partners = 合作伙伴
pane-stores = 门店进度
pane-conflicts = 冲突
pane-changes = 变更记录
pane-map = 地图
pane-data-warnings = 数据警告
pane-sorted = 按{ $key }
pane-sort-feed-order = 原始顺序
pane-sort-severity = 严重程度
pane-sort-name = 名称
pane-sort-status = 状态
pane-sort-progress = 进度
pane-sort-tier = 级别
pane-sort-stage = 签约阶段
pane-sort-city = 城市
pane-sort-phase = 阶段
pane-sort-planned-open = 计划开业
pane-sort-rule = 规则
pane-sort-newest = 最新
pane-filter-not-here = 不适用于{ $pane }
pane-filter-untracked = { $terms }：尚未跟踪，已忽略
pane-filter-bad = { $error }（仍显示上一个有效筛选）
pane-empty = 暂无数据
pane-no-match = 没有符合筛选的记录
pane-no-cities = 暂无城市
pane-no-partners = 暂无合作伙伴
pane-no-stores = 暂无门店
pane-no-conflicts = 暂无冲突
pane-no-changes = 暂无变更
pane-no-data-warnings = 暂无数据警告
pane-ok = 正常
pane-late = 逾期
pane-new = 新
pane-ack = 已确认
pane-no-city = 无城市
pane-xiaomi-direct = 小米直营
pane-tier-rank = { $tier } #{ $rank }
pane-kind-dc = 交付中心
pane-kind-home = 小米之家
pane-kind-2s = 2S店
col-status = 状态
col-city = 城市
col-partners = 合作伙伴
col-stores = 门店
col-build-out = 进度
col-built = 进度
col-conflicts = 冲突
col-trend = 趋势
col-trend-open = 开业
col-partner = 合作伙伴
col-tier = 级别
col-stage = 阶段
col-cities = 城市
col-brands = 品牌
col-store = 门店
col-kind = 类型
col-phase = 阶段
col-opens = 计划开业
col-car = 展车
col-display-car = 展车到店
col-severity = 级别
col-rule = 规则
col-where = 地点
col-what = 内容
col-finding = 级别、规则、地点 / 内容
col-time = 时间
col-change = 变更
col-record = 记录
col-problem = 问题

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
