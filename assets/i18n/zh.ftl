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

