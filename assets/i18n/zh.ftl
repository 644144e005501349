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


## Views: city, partner and store drill-down, plan, trend


## Report (report --format text)

