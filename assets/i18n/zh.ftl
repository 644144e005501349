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

# 操作（src/app/keys.rs）：帮助里的说明和页脚的词。
key-down = 选择下移一行
key-down-footer = 移动
key-up = 选择上移一行
key-first = 第一行
key-last = 最后一行
key-page-down = 下移十行
key-page-up = 上移十行
key-open = 打开所选城市、合作伙伴或门店（在冲突或变更记录中也可）
key-open-footer = 打开
key-copy = 把所选行以文本复制到剪贴板（OSC 52）
key-next-pane = 下一个面板
key-next-pane-footer = 面板
key-previous-pane = 上一个面板
key-next-section = 下一栏（门店、合作伙伴或城市、冲突、最近变更）
key-next-section-footer = 栏目
key-previous-section = 上一栏
key-pane-cities = 转到城市面板
key-pane-partners = 转到合作伙伴面板
key-pane-stores = 转到门店面板
key-pane-conflicts = 转到冲突面板
key-pane-changes = 转到变更记录面板
key-pane-map = 转到地图面板
key-pane-data-warnings = 转到数据警告面板
key-filter = 按名称和编号筛选，也可用条件，如 sev:critical city:nj late
key-filter-footer = 筛选
key-sort = 切换排序字段
key-sort-footer = 排序
key-reverse-sort = 倒序
key-next-match = 筛选的下一个匹配（到末尾后从头开始）
key-previous-match = 筛选的上一个匹配
key-command-line = 命令行（:city 名称、:store 编号、:group、:q 等；Tab 补全）
key-clear-filter = 清除本面板的筛选
key-back = 清除本栏的筛选，否则回到上一屏（下钻逐层叠加：合作伙伴、城市、门店，再逐层返回）
key-back-footer = 返回
key-poll = 立即拉取数据（数据源繁忙时按它的 Retry-After 等待）
key-poll-footer = 刷新
key-plan = 计划与实际：在总览中看全部，在城市中看该城市（再按 p 或 Esc 返回）
key-plan-footer = 计划
key-pause = 暂停 / 恢复拉取
key-pause-footer = 暂停
key-history-back = 显示当前之前的一次历史快照（所有面板；页头显示“历史”及其时间）
key-history-forward = 显示之后的一次历史快照；过了最新一次即回到实时
key-acknowledge = 确认所选问题（冲突面板或栏目）：输入备注，加 --for 3d 暂缓提醒；Enter 保存，Esc 取消
key-unacknowledge = 撤销所选问题的确认
key-toggle-acked = 隐藏 / 显示已确认的问题（显示时变暗，排在最后）
key-help = 本帮助（Down / Up 和 PgDn / PgUp 滚动，其他键关闭）
key-help-footer = 帮助
key-quit = 退出（不输入文字的退出键在筛选时也有效）
key-quit-footer = 退出
key-suspend = 挂起到 shell（fg 恢复）
key-redraw = 清屏并重绘整个屏幕（线路噪声之后）
key-mouse = 滚轮滚动，单击选择面板和行
key-type = 筛选文字，匹配名称和编号（最多 256 个字符；粘贴中的换行算作空格，不算 Enter）
key-type-footer = 筛选
key-filter-backspace = 删除最后一个字符
key-filter-keep = 保留筛选并退出输入
key-filter-keep-footer = 保留
key-filter-cancel = 清除筛选并退出输入
key-filter-cancel-footer = 清除
key-command-type = 命令；名称可以是英文名、中文名、拼音（nanjing、nj）、编号或模糊匹配
key-command-type-footer = 命令
key-command-complete = 补全命令或名称；再按：下一个 / 上一个候选
key-command-complete-footer = 补全
key-command-history = 浏览本次会话的命令历史
key-command-run = 执行命令（名称匹配多项时列出它们：Enter 打开选中的一项）
key-command-run-footer = 执行
key-command-close = 关闭命令行
key-command-close-footer = 关闭

key-none = （未绑定按键）
key-input-mouse = 鼠标
key-input-type = 输入或粘贴
key-input-type-footer = 输入
key-view-overview = 总览
key-view-drill-down = 下钻页
key-view-filter = 筛选时
key-view-command-line = 命令行
footer-ack-prompt = 确认 { $finding }：
footer-ack-hint = Enter 保存，Esc 取消，--for 3d 暂缓提醒
footer-filter-cut = （已截到 { $limit } 个字符）
help-title = 按键
help-more-below = Down：更多
help-more-both = Up / Down：更多
help-more-above = Up：返回
header-demo = 演示
header-history = 历史
header-updated-ago = { $age }前更新
header-ago = { $age }前
header-feed-time = 数据时间 { $time }
header-waiting-first = 等待第一份快照
header-waiting = 等待中
header-paused = 已暂停
header-history-off-why = 历史未记录：{ $reason }
header-history-off = 历史未记录
header-cities = { $count } 个城市
header-partners-signed = 合作伙伴签约 { $figure }
header-signed = 签约 { $figure }
header-stores-open = 门店开业 { $figure }
header-open = 开业 { $figure }
header-average = 平均进度 { $percent }
header-late = 逾期 { $count }
header-acked = （已确认 { $count }）
header-new = 新 { $count }
header-new-short = 新{ $count }
header-data-warnings = 数据警告 { $count }（7）
header-data-short = 数据
header-stale = 数据过期
header-polling-paused = 已暂停拉取
header-next-try = { $age }后重试
header-retrying = 正在重试
header-from-cache = 缓存中的最近一份快照；等待数据源
header-age-seconds = { $s }秒
header-age-minutes = { $m }分{ $s }秒
header-age-hours = { $h }小时{ $m }分
header-age-days = { $d }天{ $h }小时
header-too-small = 终端太小：{ $size }；至少需要 { $needed }
notice-ack-select = a 确认一个问题：先在冲突面板或冲突栏中选中一条
notice-unack-select = u 撤销确认：先选中一个问题
notice-not-acked = { $finding } 尚未确认
notice-ack-cancelled = 未确认
notice-acknowledging = 正在确认 { $finding }……
notice-paste-nowhere = 粘贴只能进入筛选：按 / 开始筛选；未做任何操作
notice-oldest = [：这已是最早的历史快照（{ $time }）
notice-nothing-before = [：实时快照之前没有历史记录
notice-already-live = ]：已是实时数据；按 [ 回看历史快照
notice-acked-shown = 已显示已确认的问题（变暗，排在最后）
notice-acked-hidden = 已隐藏已确认的问题（按 A 显示）
notice-section-not-a-list = /、s 和 S 只用于门店、合作伙伴、城市、冲突和变更记录；按 Tab 切到其中一栏
notice-copy-key = 复制
notice-copy-off = { $key } 通过 OSC 52 复制，但 ui.osc52 = false 已将其关闭
notice-copied = 已复制
notice-nothing-to-copy = 没有选中可复制的内容
notice-works-elsewhere = { $key } 只在{ $view }有效（{ $does }）；按 Esc 返回
notice-the-help = 帮助
notice-does-nothing = { $key } 在这里没有作用；按 { $help } 查看按键
notice-no-filter = n / N 逐个跳到筛选的匹配项：先按 / 设置筛选
notice-no-match = 筛选没有匹配项
notice-wrapped-to-top = 已到底部，从顶部继续
notice-wrapped-to-bottom = 已到顶部，从底部继续
notice-plan-where = p 在总览或城市页显示计划与实际；按 Esc 返回
cmd-nothing-completes = 没有可补全 { $typed } 的项
cmd-no-other-feeds = 未配置其他数据源：:feed { $feed } 需要在配置中加 [[feeds]]
cmd-no-such-feed = 没有数据源 { $feed }；可用的数据源：{ $feeds }
cmd-no-data = 还没有数据：请等待第一份快照
cmd-cities-match = { $count } 个城市匹配 { $typed }：Tab 选择，Enter 打开
cmd-partners-match = { $count } 个合作伙伴匹配 { $typed }：Tab 选择，Enter 打开
cmd-stores-match = { $count } 家门店匹配 { $typed }：Tab 选择，Enter 打开
cmd-no-city = 没有匹配 { $typed } 的城市
cmd-no-partner = 没有匹配 { $typed } 的合作伙伴
cmd-no-store = 没有编号或名称包含 { $typed } 的门店
feed-error-wait-until = 服务器要求等到 { $time }
feed-error-timeout = 数据源超时（{ $after }）
feed-error-stalled = 数据源已 { $after } 未发送数据（feed.read_timeout）
feed-error-connect = 无法连接数据源：{ $detail }
feed-error-tls = 与数据源的 TLS 连接失败：{ $detail }
feed-error-auth = 数据源拒绝了凭据（HTTP { $status }）：{ $hint }
feed-error-busy = 数据源繁忙（HTTP { $status }）
feed-error-busy-retry = 数据源繁忙（HTTP { $status }）；{ $seconds } 秒后重试
feed-error-status = 数据源返回 HTTP { $status }
feed-error-too-large = 数据源返回的内容超过 { $limit } MiB 上限（feed.max_body_mb）
feed-error-body = 无法解码数据源返回的内容：{ $detail }
feed-error-not-json = 数据源返回的不是有效 JSON（{ $detail }）；开头是 { $start }
feed-error-schema = 数据源的 schema_version 是 { $found }，本程序只读 schema_version { $expected }
feed-error-invalid = 数据源文档校验未通过，位置 { $path }：{ $detail }
feed-error-not-modified = 数据源对首次请求返回了 304 Not Modified，但此前并无快照；它必须发送文档
feed-error-internal = 拉取时出现内部错误：{ $detail }
cmd-empty = 请输入命令：city、partner、store、group、feed、q 或面板名
cmd-needs-name = :{ $command } 需要名称
cmd-needs-store-id = :{ $command } 需要门店编号
cmd-group-takes = :group 只接受 rule、city 或 none，不是 { $typed }
cmd-takes-nothing = :{ $command } 后面不能再加内容
cmd-unknown = 没有命令 { $command }；按 Tab 列出全部：{ $commands }
cmd-candidates-title = Tab 选择，Enter 打开
header-off-disabled = 已关闭
header-off-no-path = 无路径
header-off-no-file = 无文件
header-off-not-a-file = 不是文件
header-off-no-directory = 无法建目录
header-off-corrupt = 文件损坏
header-off-locked = 被锁定
header-off-read-only = 只读
header-off-newer = 版本较新
header-off-disk-full = 磁盘已满
header-off-database = 数据库错误
header-off-not-recorded = 不记录
history-off = 历史未记录
history-no-earlier = 这个数据源还没有更早的历史快照
history-off-demo = 内置演示数据不记录历史
history-off-not-recorded = 历史未记录：{ $reason }
history-off-disabled = 历史未记录：配置中 history.enabled 为 false
history-off-no-path = 历史未记录：配置中没有 history.path，也没有设置 XDG_DATA_HOME 或 HOME
history-off-missing = 历史未记录：{ $path }：还没有历史记录（文件不存在）
history-off-not-regular = 历史未记录：{ $path }：{ $kind ->
    [directory] 是目录
    [fifo] 是 FIFO（命名管道）
    [char-device] 是字符设备
    [block-device] 是块设备
    [socket] 是套接字
   *[special] 是特殊文件
}，不是普通文件
history-off-create-dir = 历史未记录：{ $path }：无法创建目录：{ $detail }
history-off-corrupt = 历史未记录：{ $path }：不是可用的历史数据库（{ $detail }）
history-off-locked = 历史未记录：{ $path }：被其他程序锁定超过 { $seconds } 秒
history-off-read-only = 历史未记录：{ $path }：只读：{ $detail }
history-off-newer = 历史未记录：{ $path }：由更新版本的 rollout-dash 写入（schema 版本 { $found }；本版本最高支持 { $known }）
history-off-full = 历史未记录：{ $path }：磁盘已满（{ $detail }）
history-off-database = 历史未记录：{ $path }：{ $detail }
query-unknown-fields = 没有字段 { $typed }：按文字匹配；字段有 { $fields }，以及 late、new
query-quote-open = 引号没有闭合
query-needs-value = { $field }：需要一个值
query-severity = 严重程度只能是 critical、warning 或 info
query-phase = 阶段只能是 { $phases } 之一
query-kind = 门店类型只能是 dc（交付中心）、home（小米之家）或 2s（2S店）
query-acked = acked 只能是 yes 或 no
query-no-rule = 没有规则 { $typed }；规则有 { $rules }、feed
query-or = 或
query-could-be = { $typed } 可能是 { $rules }
ack-needs-duration = --for 需要时长：30m、12h、3d
ack-not-a-duration = { $typed } 不是有效时长（30s、90m、6h、2d）
header-demo-feed = 内置演示数据（{ $url }）
header-date-short = %-m月%-d日 %H:%M %Z
notice-acked-until = 已确认 { $finding }，有效期至 { $until }
notice-acked-until-clears = 已确认 { $finding }，直到问题消除
notice-unack-not-acked = { $finding } 原本就未确认
notice-unacked = 已撤销对 { $finding } 的确认
notice-unack-failed = 未能撤销：{ $error }
notice-ack-failed = 未能确认：{ $error }
feed-error-hint-no-token = 未配置令牌；请设置 ROLLOUT_DASH_TOKEN 或 feed.token_file
feed-error-hint-refused = 令牌被拒绝（错误或已过期）；请检查 ROLLOUT_DASH_TOKEN 或 feed.token_file
feed-error-hint-not-allowed = 令牌无权读取这个数据源；请联系数据源负责人


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

phrase-empty-string = 空字符串
phrase-list = 列表
phrase-object = 对象
phrase-not-a-string = 非字符串
phrase-text = 文本
phrase-date = 日期（YYYY-MM-DD）
phrase-time = RFC 3339 时间
phrase-whole-number = 不小于 0 的整数
phrase-location = 含数值 lat 和 lon 的对象
phrase-not-a-location = 不含数值 lat 和 lon 的对象
phrase-strings = 字符串列表
phrase-strings-left-out = 字符串列表（非字符串元素已略去）
phrase-number = 数字 { $number }
phrase-non-strings = 含 { $count } 个非字符串元素的列表


## Configuration and usage errors (src/config.rs, src/app/keys.rs, src/main.rs, src/dashboard.rs)

config-read = 无法读取配置文件 { $path }：{ $error }
config-parse = 配置文件 { $path }：{ $message }
config-parse-line = 配置文件 { $path } 第 { $line } 行：{ $message }
config-parse-key = 配置文件 { $path }：配置项 `{ $key }`：{ $message }
config-parse-line-key = 配置文件 { $path } 第 { $line } 行：配置项 `{ $key }`：{ $message }
config-invalid = { $origin }：配置项 `{ $key }`：{ $message }
config-invalid-line = { $origin } 第 { $line } 行：配置项 `{ $key }`：{ $message }
config-origin-flags = 命令行或环境变量
config-token = 令牌文件 { $path }：{ $message }
config-token-open = 权限 { $mode } 过宽；组用户和其他用户不得可读（请执行 chmod 600）
config-not-utf8 = 不是 UTF-8 文本
config-token-empty = 文件为空
config-needs-quotes = 值 `{ $value }` 需要加引号：{ $fixed }
config-interval-too-short = 不能小于 0.2 秒
config-not-zero = 必须大于 0
config-at-least-one = 不能小于 1
config-distance = 必须是不小于 0 的距离
config-max-pairs = { $value } 超过上限 { $max }：列出的每一对都要占用内存
config-unknown-rule = 未知的规则 id { $rule }；可用的规则：{ $known }
config-retention = 不能小于 1（天）
config-feed-name = { $name } 不是有效的数据源名称：只能使用字母、数字和 '-'、'_'、'.'
config-feed-name-twice = 有两个数据源都叫 { $name }
config-command-empty = 为空；不需要命令时请删除此项
config-timezone = { $zone } 不是 IANA 时区名称（例如 "Asia/Shanghai"）
config-log-level = { $level } 不是 error、warn、info、debug、trace 之一
config-feed-not-named = { $name } 既不是网址，也不是数据源名称（配置中没有 [[feeds]]）
config-feed-unknown = 没有名为 { $name } 的数据源；已配置的数据源：{ $feeds }
config-keys-unknown-action = 未知的操作 { $name }；可用的操作：{ $actions }
config-keys-types-text = { $key } 在输入筛选条件时会输入文字；{ $name } 需要一个不输入文字的键（ctrl-x、enter、esc、f5 等）
config-keys-clash = { $key } { $view ->
    [overview] 在总览中
    [drill-down] 在下钻页中
    [filter] 在输入筛选时
    [command-line] 在命令行中
   *[other] 在{ $view }中
}同时绑定了 { $first } 和 { $second }
config-terminal = 仪表盘需要在终端中运行，而{ $problem }；没有终端时，可运行 `rollout-dash report` 获取文本或 JSON 摘要（见 `rollout-dash report --help`）
config-terminal-stdout = 标准输出不是终端
config-terminal-stdin = 标准输入不是终端
config-terminal-dumb = TERM=dumb 无法显示仪表盘
config-url-invalid = { $url } 不是网址：{ $error }
config-url-scheme = { $url } 必须以 http:// 或 https:// 开头
config-url-no-host = { $url } 缺少主机名
config-url-userinfo = 数据源网址中不能包含用户名或密码（网址不予显示）；请把令牌放在 { $variable } 或 feed.token_file 中
config-url-no-path = { $url } 不能带路径
config-file-not-regular = 是{ $kind ->
    [directory] 目录
    [fifo] FIFO（命名管道）
    [char-device] 字符设备
    [block-device] 块设备
    [socket] 套接字
   *[special] 特殊文件
}，不是普通文件
config-file-too-large = 超过 { $size }
config-read-too-large = 文件超过 { $size }
config-log-file = 日志文件 { $path }：{ $problem }（请在 log.file 中另指定一个）
config-runtime = 无法启动异步运行时：{ $error }
config-keys-alt = { $key } 无法绑定：终端会把 alt- 组合键发送成 Esc 再加该键
config-keys-not-a-key = { $key } 不是有效的键：{ $why ->
    [empty] 修饰键后面没有键
    [control] 这是控制字符，请写成 ctrl-x
    [shifted] 请直接写 shift 之后的字符（写 "G"，不要写 "shift-g"）
    [ctrl-letter] ctrl- 只能和字母组合
   *[unknown] 未知的键名；键可以是单个字符、ctrl-x、shift-tab、f1-f24、space，或以下之一：{ $names }
}
config-keys-fixed = { $what ->
    [mouse] 鼠标
    [type] 输入或粘贴
   *[other] { $what }
}不是键，不能重新绑定
config-duration = { $value } 不是有效的时长（例如 5、0.5、"500ms"、"2m"）
config-seconds = { $value } 不是可用的秒数
config-severity = { $value } 不是 critical、warning、info 之一
config-unknown-field = 没有 `{ $field }` 这一项，可用的有：{ $names }
