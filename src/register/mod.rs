//! 党员参加组织生活情况登记表: one line per member of the roster, one column per held activity
//! of the ledger's period, marked 出席 / 请假（原因）/ 缺席 / 未记录 / — (not expected), with
//! each member's totals; and the findings a register exists for (see `findings`).

mod document;
mod findings;

use chrono::NaiveDate;

pub use document::{render, REGISTER_STEM};
pub use findings::findings;

use crate::model::{ActivityStatus, Branch, Kind, LedgerRow, Mark, MemberStatus};

/// A held activity, as a column of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub date: NaiveDate,
    pub kind: Kind,
    pub group: Option<String>,
    pub title: String,
    /// Whether its attendance was recorded at all.
    pub recorded: bool,
}

/// One member's mark at one activity; `None` where the member was not expected (and did not come).
pub type Cell = Option<Mark>;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// 应参加: activities the member was expected at.
    pub expected: u32,
    pub present: u32,
    pub leave: u32,
    pub absent: u32,
    /// Expected, attendance not recorded.
    pub unknown: u32,
    /// Came without being expected (not in 应参加).
    pub extra: u32,
}

impl Totals {
    /// 出席率 over the activities whose attendance is known: 出席 ÷ (应参加 − 未记录).
    pub fn rate(&self) -> Option<String> {
        crate::ledger::attendance_rate(self.present, self.expected - self.unknown)
    }
}

#[derive(Debug, Clone)]
pub struct Line {
    pub name: String,
    pub group: Option<String>,
    pub status: MemberStatus,
    /// Approved exclusion from 应到, with its reason.
    pub excluded: Option<String>,
    pub cells: Vec<Cell>,
    pub totals: Totals,
}

#[derive(Debug, Clone)]
pub struct Register {
    pub columns: Vec<Column>,
    pub lines: Vec<Line>,
    /// Planned activities of the period: not columns, nothing to mark yet.
    pub planned: usize,
}

impl Register {
    /// The register of a branch over the ledger's rows: held activities in date order, members in
    /// roster order.
    pub fn build(branch: &Branch, rows: &[LedgerRow]) -> Register {
        let kind_index = |k: Kind| Kind::ALL.iter().position(|x| *x == k);
        let mut held: Vec<&LedgerRow> = rows.iter().filter(|r| r.status == ActivityStatus::Held).collect();
        held.sort_by(|a, b| (a.date, kind_index(a.kind), &a.input).cmp(&(b.date, kind_index(b.kind), &b.input)));
        let columns = held
            .iter()
            .map(|r| Column {
                date: r.date,
                kind: r.kind,
                group: r.group.clone(),
                title: r.title.clone(),
                recorded: !r.marks.iter().any(|m| m.mark == Mark::Unknown),
            })
            .collect();
        let lines = branch
            .file
            .members
            .iter()
            .map(|m| {
                let m = m.get_ref();
                let name = m.name.get_ref().trim();
                let cells: Vec<Cell> =
                    held.iter().map(|r| r.marks.iter().find(|x| x.name == name).map(|x| x.mark.clone())).collect();
                let mut totals = Totals::default();
                for cell in cells.iter().flatten() {
                    totals.expected += u32::from(*cell != Mark::Extra);
                    match cell {
                        Mark::Present => totals.present += 1,
                        Mark::Leave(_) => totals.leave += 1,
                        Mark::Absent => totals.absent += 1,
                        Mark::Unknown => totals.unknown += 1,
                        Mark::Extra => totals.extra += 1,
                    }
                }
                Line {
                    name: name.to_string(),
                    group: m.group.clone(),
                    status: m.status,
                    excluded: m.excluded.clone(),
                    cells,
                    totals,
                }
            })
            .collect();
        let planned = rows.len() - held.len();
        Register { columns, lines, planned }
    }
}

/// How a cell reads in the documents.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        None => "—".to_string(),
        Some(Mark::Present) => "出席".to_string(),
        Some(Mark::Leave(reason)) => format!("请假（{reason}）"),
        Some(Mark::Absent) => "缺席".to_string(),
        Some(Mark::Unknown) => "未记录".to_string(),
        Some(Mark::Extra) => "（出席）".to_string(),
    }
}
