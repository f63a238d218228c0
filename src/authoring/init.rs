//! The files `pdb init` writes into a new branch folder, and the branch.toml `pdb import roster`
//! starts from when there is none.

use super::skeleton::quote;

/// `branch.toml` for `pdb init`: the branch's names, member examples with every key, and the
/// optional parts (templates, rules, extra) commented out.
pub fn branch_file() -> String {
    format!("{}{}{}", BRANCH_HEAD, BRANCH_MEMBERS, BRANCH_OPTIONAL)
}

const BRANCH_HEAD: &str = r#"# 支部文件 branch.toml · 由 pdb init 生成
# 本支部的名称和党员名册。同一文件夹（及其下级文件夹）里的每个活动文件都用它。
# 以 # 开头的行不起作用；“# 键 = 值”是示例：改成实际情况，再删去行首的“# ”。
# 文字写在英文双引号 "…" 里。记事本保存时编码选“UTF-8”。
# 填好后运行  pdb plan 2026Q4  制定一个季度的计划：它先检查本文件，有错时指出哪一行、怎么改。

# 自定义模板文件夹（可不写），相对于本文件；其中与内置模板路径相同的文件替换内置模板。
# 先用  pdb templates export 我的模板  把内置模板复制出来再改。
# templates = "我的模板"

[branch]
# name   = "中共某某县某某局机关第一支部委员会"   # 支部全称（必填）：用于标题和落款
# short  = "机关第一党支部"                       # 简称（可不写）：用于正文
# parent = "中共某某县某某局委员会"               # 上级党组织（可不写）

"#;

const BRANCH_MEMBERS: &str = r#"# ── 党员名册：每名党员一个 [[members]]，姓名不能重复 ──
# 下面是三个示例，说明每一项怎么写：复制一段，删去行首的“# ”，改成本支部的党员。
# 只有 name 必填，其余可不写。

# [[members]]
# name      = "张建国"         # 姓名（必填）
# role      = "书记"           # 职务（可不写）：书记、副书记、组织委员、宣传委员、纪检委员……
# committee = true             # 是否支部委员会委员（可不写，默认 false）：支委会的应到人员
# status    = "正式党员"       # 正式党员 / 预备党员（可不写，默认正式党员）；预备党员没有表决权
# group     = "第一党小组"     # 所在党小组（可不写）
# group_leader = true          # 是否党小组组长（可不写，默认 false）

# [[members]]
# name   = "郑丽华"
# status = "预备党员"
# group  = "第一党小组"

# [[members]]
# name     = "黄志刚"
# excluded = "长期病休"        # 经上级党组织批准不计入应到人数的，写明原因（可不写）

"#;

/// The optional parts of branch.toml, commented out: shared by `pdb init` and `pdb import roster`.
const BRANCH_OPTIONAL: &str = r#"# ── 频次和日期规定（可不写）：不写时按《中国共产党支部工作条例（试行）》──
# 支部党员大会每季度、支委会每月、党小组会每月（每个小组）、党课每季度、主题党日每月、
# 组织生活会和民主评议党员每年。本单位另有规定时，按活动类型各写一段（类型名加英文双引号），
# 没写的项目仍用默认值：
# [rules."主题党日"]
# every = "每月"               # 每月 / 每季度 / 每年 / 不检查
# times = 1                    # 每期几次
# day   = "第一个星期五"       # pdb plan 安排在哪一天：如 "第二个星期二"、"最后一个星期五"、"15日"
# start = 15:00:00             # pdb plan 写入的开始时间

# [rules."支部党员大会"]
# month = 2                    # 每季度或每年一次的，安排在第几个月（季度内 1–3，年内 1–12）

# ── 本单位自定义数据（可不写）：原样交给模板，例如在通知上印联系人和电话 ──
# [extra]
# "联系人" = "＿＿"             # 键名有汉字时加英文双引号
# "电话"   = "＿＿"
"#;

/// `branch.toml` for `pdb import roster` when there is none: the comments of `pdb init`'s, the
/// branch's name when known, and no example members (the import adds the real ones): the part
/// before the members, the comment above them, and the part after them.
pub fn imported_branch_file(origin: &str, name: Option<&str>) -> (String, &'static str, &'static str) {
    let name_line = match name {
        Some(name) => format!("name   = {}  # 支部全称（必填）：用于标题和落款；取自名册，请核对", quote(name)),
        None => "# name   = \"中共某某县某某局机关第一支部委员会\"   # 支部全称（必填）：用于标题和落款；请填写，并删去行首的“# ”".to_string(),
    };
    let head = format!(
        "# 支部文件 branch.toml · 由 pdb import roster 从 {origin} 导入生成\n\
         # 本支部的名称和党员名册。同一文件夹（及其下级文件夹）里的每个活动文件都用它。\n\
         # 以 # 开头的行不起作用；“# 键 = 值”是示例：改成实际情况，再删去行首的“# ”。\n\
         # 文字写在英文双引号 \"…\" 里。记事本保存时编码选“UTF-8”。\n\
         # 名册有变化时，再运行 pdb import roster {origin}：新党员会加在后面，本文件中的注释不受影响。\n\n\
         [branch]\n{name_line}\n\
         # short  = \"机关第一党支部\"                       # 简称（可不写）：用于正文\n\
         # parent = \"中共某某县某某局委员会\"               # 上级党组织（可不写）\n"
    );
    (head, IMPORTED_MEMBERS, BRANCH_OPTIONAL)
}

const IMPORTED_MEMBERS: &str = "\n# ── 党员名册：每名党员一个 [[members]]，姓名不能重复 ──\n\
    # role 职务；committee 是否支部委员会委员；status 正式党员 / 预备党员；group 所在党小组；\n\
    # group_leader 是否党小组组长；excluded 经批准不计入应到人数的原因（如“长期病休”）。\n";

/// `说明.md` for `pdb init`: what to do next.
pub fn readme() -> String {
    r#"# 本支部的活动材料

这个文件夹由 `pdb init` 生成。接下来：

1. 用记事本打开 `branch.toml`，填写支部全称和党员名册，保存（编码选 UTF-8）。
2. 制定计划：`pdb plan 2026Q4`（一个季度；也可以写 `2026-11` 一个月、`2026` 一年）。pdb 先检查
   `branch.toml`，再按规定的频次为每次应开的会议写一个“计划”状态的文件，如 `2026-10-05-支委会.toml`。
   再运行一次不会重复写。要另加一次活动：`pdb new 党课 --date 2026-11-20`。
3. 会前：打开这次会议的文件，填好时间、地点、议程，运行 `pdb render 文件名`，打印 `out/` 里的
   会议通知、议程、主持词和签到表。
4. 会后：把文件里的 `status = "计划"` 改为 `status = "已召开"`，填写请假人员、发言、决议，
   再运行 `pdb render 文件名`，生成全套材料（会议记录、纪要等，装有 typst 时还有 PDF）。
5. 检查前：运行 `pdb check .`，它指出每一处错误和不合规定的地方，以及怎么改。

每个命令的用法：`pdb help 命令`，例如 `pdb help plan`。
"#
    .to_string()
}
