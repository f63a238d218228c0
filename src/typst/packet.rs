//! `00-全套.typ`, the packet that binds an activity's documents into one PDF.

use crate::render::escape::typst_string;
use crate::render::Packet;

/// The packet of one activity: a cover, a contents page and every document.
pub const PACKET_STEM: &str = "00-全套";

/// `00-全套.typ`: a cover (branch, title, date), a contents page with the page numbers, then
/// every document of the activity, each included as it is and starting on a new page.
///
/// The documents keep their own page numbers at the foot of the page ("— 1 —"), as when printed
/// alone. The packet numbers its pages from the first document on, in the top right corner, the
/// way an archive numbers the pages of a file; the contents page refers to those numbers.
///
/// `key` makes the packet's labels its own (`<pdb-document-KEY>`): in a bundle, typst's queries
/// see every packet of the process, and each packet must find only its own documents.
pub fn packet_source(packet: &Packet, key: &str) -> String {
    let fonts = &packet.fonts;
    let list =
        |names: &[String]| format!("({},)", names.iter().map(|n| typst_string(n)).collect::<Vec<_>>().join(", "));
    let documents: Vec<String> = packet
        .documents
        .iter()
        .map(|d| format!("  (title: {}, file: {}),", typst_string(d.title), typst_string(&format!("{}.typ", d.stem))))
        .collect();
    let cover_sub_held = format!("{}材料", packet.act.noun);
    let mut out = String::new();
    out.push_str(&format!(
        "// 由 pdb 根据 {source} 生成：本活动的全套材料（封面、目录和各份材料）。请修改 TOML 记录后重新生成。\n\
         #let fangsong = {fangsong}\n#let song = {song}\n#let hei = {hei}\n#let kai = {kai}\n#let title-font = {title}\n\
         #let branch = {branch}\n#let act-title = {act_title}\n#let noun = {noun}\n#let cover-sub = {cover_sub}\n#let time = {time}\n#let location = {location}\n\
         #let documents = (\n{documents}\n)\n",
        source = packet.act.source_file.replace('\n', " "),
        fangsong = list(&fonts.fangsong),
        song = list(&fonts.song),
        hei = list(&fonts.hei),
        kai = list(&fonts.kai),
        title = list(&fonts.title),
        branch = typst_string(&packet.branch.name),
        act_title = typst_string(&packet.act.title),
        noun = typst_string(packet.act.noun),
        // A planned activity's packet holds only what is printed before the meeting.
        cover_sub = typst_string(if packet.act.is_planned { "会前材料" } else { &cover_sub_held }),
        time = typst_string(&packet.act.time),
        location = typst_string(&packet.act.location),
        documents = documents.join("\n"),
    ));
    out.push_str(&title_functions());
    let layout = PACKET_LAYOUT
        .replace("<pdb-document>", &format!("<pdb-document-{key}>"))
        .replace("<pdb-end>", &format!("<pdb-end-{key}>"));
    out.push_str(&layout);
    out
}

/// A packet's key: from its folder's path under the output folder, which no other activity of
/// the run has, in letters a label may hold.
pub fn packet_key(folder: &std::path::Path) -> String {
    let path: Vec<String> = folder.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    crate::digest::hash(path.join("/").as_bytes())[..16].to_string()
}

/// The title line-breaking functions of the documents (templates/typst/titles.typ), for the
/// cover: plain Typst after the template comment at its top.
fn title_functions() -> String {
    let text = crate::render::engine::builtin()
        .into_iter()
        .find(|(name, _)| name == "typst/titles.typ")
        .map(|(_, text)| text)
        .expect("templates/typst/titles.typ is built in");
    let body = text.split_once("-#}").map_or(text, |(_, rest)| rest);
    format!("{}\n", body.trim())
}

/// The fixed part of the packet; the data comes before it as `#let` bindings.
const PACKET_LAYOUT: &str = r#"#set document(title: act-title, author: branch)
#set text(lang: "zh", region: "cn", font: song, size: 16pt, cjk-latin-spacing: none)
#set par(justify: false, leading: 0.8em)
#show regex("[0-9]+[年月日号时分点人名票项]"): box
// 档案页号：从第一份材料起连续编号，写在每页右上角；封面和目录不编号。
#set page(
  paper: "a4",
  margin: (top: 2.54cm, bottom: 2.54cm, left: 3.17cm, right: 3.17cm),
  header: context {
    let first = query(<pdb-document>).first().location().page()
    let n = here().page() - first + 1
    if n >= 1 { align(right, text(font: song, size: 10.5pt, str(n))) }
  },
)

// 封面
#page(footer: none)[
  #set align(center)
  #v(3cm)
  #text(font: song, size: 18pt, branch)
  #v(1fr)
  #block(width: 85%, {
    set text(font: title-font, size: 26pt, weight: "bold")
    title-lines(act-title)
  })
  #v(1.5em)
  #text(font: kai, size: 18pt, cover-sub)
  #v(1fr)
  #set align(left)
  #block(width: 100%, inset: (x: 1cm), {
    set text(size: 16pt)
    grid(columns: (auto, 1fr), column-gutter: 0.5em, row-gutter: 0.8em,
      [时间：], time,
      [地点：], location,
    )
  })
  #v(2cm)
]

// 目录
#page(footer: none)[
  #align(center, text(font: title-font, size: 22pt, weight: "bold")[目#h(1em)录])
  #v(1em)
  #context {
    let marks = query(<pdb-document>)
    let first = marks.first().location().page()
    let starts = marks.map(m => m.location().page() - first + 1)
    let last = query(<pdb-end>).first().location().page() - first + 1
    let ends = starts.slice(1).map(s => s - 1) + (last,)
    set text(size: 14pt)
    table(
      columns: (3em, 1fr, 6em),
      align: (center + horizon, left + horizon, center + horizon),
      inset: (x: 6pt, y: 9pt),
      stroke: 0.5pt,
      table.header(..([序号], [材料名称], [页号]).map(x => text(font: hei, x))),
      ..marks.enumerate().map(((i, m)) => {
        let (from, to) = (starts.at(i), ends.at(i))
        (str(i + 1), m.value, if from == to { str(from) } else { str(from) + "—" + str(to) })
      }).flatten(),
    )
  }
]

// 各份材料：每份从新的一页开始，页脚页码从 1 起。
#for document in documents {
  pagebreak(weak: true)
  [#metadata(document.title) <pdb-document>]
  counter(page).update(1)
  include document.file
}
#metadata(none) <pdb-end>
"#;
