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

# 日期和时间的写法(chrono strftime 格式)。
view-date-format = %Y年%-m月%-d日
view-day-format = %-m月%-d日
view-time-format = %Y年%-m月%-d日 %H:%M

view-record-city = 城市
view-record-partner = 合作伙伴
view-record-store = 门店
view-record-other = 记录
view-gone = { $what } { $id } 已不在数据中。按 Esc 返回。
view-gone-title = { $what } { $id }

view-section-sort = 按{ $key }排序 { $arrow }
view-sort-feed-order = 原始顺序
view-sort-severity = 严重程度
view-sort-name = 名称
view-sort-status = 状态
view-sort-progress = 进度
view-sort-tier = 级别
view-sort-stage = 阶段
view-sort-city = 城市
view-sort-phase = 建店阶段
view-sort-planned-open = 计划开业
view-sort-rule = 规则
view-sort-newest = 最新
view-stores = 门店
view-partners = 合作伙伴
view-cities = 城市
view-conflicts = 冲突
view-changes = 最近变更
view-links = 前往 (Enter)
view-col-partner = 合作伙伴
view-col-tier = 级别
view-col-stage = 阶段
view-col-city = 城市
view-col-recruitment = 招募
view-col-what = 类型
view-col-which = 名称
view-data-warning = 数据警告：{ $message }
view-yes = 是
view-no = 否
view-unknown = 未知
view-build-out = 建店进度
view-open = 开业

view-city-title = 城市 { $name }
view-city-recruitment = 招募
view-city-since = 自{ $date }起
view-city-stores-open = 门店 { $open }/{ $total } 已开业
view-city-open-short = 已开业 { $open }/{ $total }
view-city-built = 建店 { $percent }%
view-city-late = 逾期 { $count }
view-city-conflicts = 冲突 { $count }
view-city-funnel = 招募：申请 { $applicants }{ $arrow }入围 { $shortlisted }{ $arrow }签约 { $signed }{ $sep }目标 { $target } 家门店
view-city-funnel-short = 申请 { $applicants }{ $arrow }入围 { $shortlisted }{ $arrow }签约 { $signed }{ $sep }目标 { $target }
view-trend-open = 趋势：开业

view-partner-title = 合作伙伴 { $name }
view-partner-agreement = 协议阶段
view-partner-signed = { $date }签约
view-tier-rank = 百强第{ $rank }
view-criteria-group = 百强或区域龙头集团：
view-criteria-experience = 豪华品牌或新能源经验：
view-criteria-experience-detail = 豪华品牌：{ $luxury }，新能源：{ $nev }
view-partner-brands = 经营品牌（{ $count }）：{ $brands }

view-store-title = 门店
view-store-channel = { $channel }
view-store-operator = 运营方 { $operator }
view-store-phase = 阶段
view-store-dates = 计划开业 { $planned }   展车到店 { $display }   更新于 { $updated }
view-store-slipped = 已过计划开业日期，仍未开业
view-store-display-late = 展车到店晚于开业日期或项目截止日期
view-store-location = 坐标 { $lat }, { $lon }

plan-programme = 全国
plan-title-programme = 计划与实际：全国
plan-title-city = 计划与实际：{ $city }
plan-working = 正在计算计划与实际…
plan-sentence = { $name }：{ $gap }
plan-figures = 已开业 { $open }，截至{ $date }计划 { $planned }
plan-unplanned = { $count } 家门店无计划开业日期
plan-history-off = { $reason }：仅有今日数据
plan-gap = 差距
plan-cities = 城市 ({ $count })，Enter 打开
plan-col-open = 开业/计划
plan-legend-today = 今天
plan-legend-planned = 计划
plan-legend-open = 开业
plan-no-plan = 无计划开业
plan-on-plan = 符合计划
plan-behind-today = 落后计划 { $stores } 家，今日到期
plan-behind = 落后计划 { $stores } 家，逾期 { $days } 天
plan-ahead-early = 超前计划 { $stores } 家，提前 { $days } 天
plan-ahead = 超前计划 { $stores } 家


## Report (report --format text)

