//! `pdb new 发展党员`: a commented skeleton of an applicant record. Only the name (when given) is
//! filled in; every date and person is a commented-out example, never a plausible value.

/// `李明-发展党员.toml`, or `发展党员.toml` without a name.
pub fn file_name(name: Option<&str>) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => format!(
            "{}-发展党员.toml",
            name.chars().map(|c| if r#"<>:"/\|?*"#.contains(c) { '-' } else { c }).collect::<String>()
        ),
        None => "发展党员.toml".to_string(),
    }
}

/// The whole file.
pub fn text(name: Option<&str>, origin: &str) -> String {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    let name_line = match name {
        Some(name) => format!("name       = \"{name}\"              # 姓名（必填）"),
        None => "name       = \"＿＿＿＿\"          # 姓名（必填）：把＿＿＿＿换成姓名".to_string(),
    };
    format!(
        r#"# 发展党员记录（一人一档）· 由 {origin} 生成
# 怎样填写：以 # 开头的行不起作用。“# 键 = 值”是示例：改成实际情况，再删去行首的“# ”。
# 文字写在英文双引号 "…" 里；日期（2024-03-01）不加引号。记事本保存时编码选“UTF-8”。
# 每办完一步就把日期填上；没办的步骤不要写。pdb check 会按《中国共产党发展党员工作细则》检查时限和顺序，
# 并与本支部的会议记录（meeting、committee_review 写会议记录的文件名）核对；pdb render 生成全程纪实表和公示。
# 会议记录中相应的决议要写 applicant = "本人姓名"：支委会的写 kind = "ordinary"，支部党员大会的写
# kind = "admission"（接收预备党员）或 "confirmation"（转正）。表决票数、到会人数只写在会议记录里。

kind       = "发展党员"            # 类型（不要改）
{name_line}
# gender     = "男"                # 性别
# birth_date = 1998-04-12          # 出生日期：递交申请时须年满十八岁
# unit       = "局办公室"          # 工作单位或部门

# ── 第一阶段 申请入党
[application]
# date = 2023-03-01                # 递交入党申请书的日期（重写申请书的，仍写第一次的日期）
# talk = {{ date = 2023-03-20, by = ["王芳"] }}   # 党组织派人谈话：一个月内；谈话人须在党员名册中

# ── 第二阶段 入党积极分子的确定和培养教育（确定后删去下一行的“# ”）
# [activist]
# date        = 2023-09-20         # 支委会确定为入党积极分子的日期
# meeting     = "2023-09-20-支委会.toml"   # 那次支委会的记录（相对于本文件），可不写
# recommended = "党员推荐"         # 党员推荐 / 群团组织推优
# filed       = 2023-09-28         # 报上级党委备案
# contacts    = ["刘洋", "周敏"]   # 培养联系人：1至2名正式党员
# reviews     = [2024-03-20]       # 培养考察：至少每半年一次
# reports     = [2023-12-20]       # 思想汇报

# ── 第三阶段 发展对象的确定和考察
# [candidate]
# date        = 2024-10-08         # 支委会确定为发展对象：入党积极分子满一年以后
# meeting     = "2024-10-08-支委会.toml"
# filed       = 2024-10-15
# publicity   = {{ from = 2024-10-16, to = 2024-10-22 }}   # 发展对象公示：不少于5个工作日
# introducers = ["刘洋", "周敏"]   # 入党介绍人：2名正式党员
# political_review = {{ date = 2024-10-30, result = "合格" }}
# training    = {{ from = 2024-11-04, to = 2024-11-06, hours = 24, by = "局党委党校" }}   # 不少于3天、24学时

# ── 第四阶段 预备党员的接收
# [admission]
# committee_review = "2024-11-12-支委会.toml"   # 支委会审查
# pre_review  = 2024-11-20         # 上级党委预审
# publicity   = {{ from = 2024-11-21, to = 2024-11-27 }}   # 拟接收预备党员公示
# form        = 2024-11-25         # 填写入党志愿书
# meeting     = "2024-12-02-支部党员大会.toml"   # 支部大会讨论；预备期从这次大会的日期算起
# talk        = {{ date = 2024-12-10, by = "孙丽" }}   # 上级党委派人谈话（可写上级党委的人）
# approval    = 2025-01-08         # 上级党委审批：支部大会后三个月内

# ── 第五阶段 预备党员的教育考察和转正
# [probation]
# oath        = 2025-01-20         # 入党宣誓
# reviews     = [2025-07-10]       # 预备期考察：至少每半年一次
# application = 2025-11-20         # 转正申请
# publicity   = {{ from = 2025-11-21, to = 2025-11-27 }}   # 拟转正公示
# committee_review = "2025-11-28-支委会.toml"
# meeting     = "2025-12-02-支部党员大会.toml"   # 预备期满后召开
# outcome     = "按期转正"         # 按期转正 / 延长预备期 / 取消预备党员资格（照会议决议）
# extension_months = 6             # 只在延长预备期时写：6至12个月
# approval    = 2026-01-10
# archived    = 2026-01-20         # 材料归档

# 公示上的联系人、电话（可写在 branch.toml 的 [extra] 中，各人共用）
# [extra]
# "联系人" = "刘洋"
# "电话"   = "0000-1234567"
"#
    )
}
