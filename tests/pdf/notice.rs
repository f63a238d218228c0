//! The printed 会议通知 against GB/T 9704-2012: the text block on the margins of the standard.

use super::*;

/// Full-width punctuation that typst sets in half its width at a line end: its ink is in the
/// left half of its box, so the box may reach past the margin while the ink does not.
fn ends_with_closing_punctuation(text: &str) -> bool {
    text.ends_with(['，', '。', '、', '；', '：', '）', '”', '》', '」'])
}

#[test]
fn the_notice_text_block_sits_on_the_gbt_9704_margins() {
    let Some(tools) = tools() else { return };
    let run = render(
        Test::new().example(),
        tools,
        &["2026Q4/2026-11-05-支部党员大会.toml", "-o", "out", "--only", "notice", "--split"],
    );
    assert_eq!(run.status, 0, "{run}");
    let pdf = run.path("out/2026-11-05-支部党员大会/01-会议通知.pdf");
    let pages = layout(&pdf);
    assert!(pages.len() >= 2, "this notice runs over two pages, so page 1 is full: {}", pages.len());
    let (top, left, right, bottom) = (37.0 * MM, 28.0 * MM, (210.0 - 26.0) * MM, (297.0 - 35.0) * MM);
    let pitch = 225.0 * MM / 22.0;
    let mut failures = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let (body, foot): (Vec<&Line>, Vec<&Line>) = page.iter().partition(|l| l.y_min < bottom);
        // Left and right edges of the ink. Justified lines reach the right margin.
        let x_min = body.iter().map(|l| l.x_min).fold(f64::MAX, f64::min);
        let rights: Vec<f64> =
            body.iter().map(|l| if ends_with_closing_punctuation(&l.text) { l.x_max - 8.0 } else { l.x_max }).collect();
        let x_max = rights.iter().copied().fold(f64::MIN, f64::max);
        let y_min = body.iter().map(|l| l.y_min).fold(f64::MAX, f64::min);
        // Page 1 is full, so it has lines from margin to margin; no page goes past them.
        let (left_ok, right_ok) = if n == 0 {
            ((x_min - left).abs() <= MM, (x_max - right).abs() <= MM)
        } else {
            (x_min >= left - MM, x_max <= right + MM)
        };
        if !left_ok {
            failures.push(format!("page {}: left edge {:.2} mm, not 28 mm", n + 1, x_min / MM));
        }
        if !right_ok {
            failures.push(format!("page {}: right edge {:.2} mm, not 184 mm", n + 1, x_max / MM));
        }
        if (y_min - top).abs() > MM {
            failures.push(format!("page {}: top edge {:.2} mm, not 37 mm", n + 1, y_min / MM));
        }
        // 22 lines to the page: every line on the grid of 225 mm / 22 from the top edge.
        for line in &body {
            let steps = (line.y_min - top) / pitch;
            if (steps - steps.round()).abs() * pitch > 0.5 * MM {
                failures.push(format!(
                    "page {}: line {:?} off the 22-line grid at {:.2} mm",
                    n + 1,
                    line.text,
                    line.y_min / MM
                ));
            }
        }
        // A full page ends with its 22nd line, whose grid cell closes at the bottom margin.
        if n == 0 {
            let last = body.iter().map(|l| l.y_min).fold(f64::MIN, f64::max);
            let cell_bottom = last + pitch;
            if (cell_bottom - bottom).abs() > MM {
                failures.push(format!("page 1: text block ends at {:.2} mm, not 262 mm", cell_bottom / MM));
            }
        }
        // The page number: — 1 — in 4号 (14 pt), 7 mm under the text block, outside edge.
        match foot.as_slice() {
            [number] => {
                let expected = format!("—{}—", n + 1);
                if squeeze(&number.text) != expected {
                    failures.push(format!("page {}: page number {:?}", n + 1, number.text));
                }
                if (number.y_min - (bottom + 7.0 * MM)).abs() > MM {
                    failures.push(format!("page {}: page number at {:.2} mm, not 269 mm", n + 1, number.y_min / MM));
                }
                let outside = if n % 2 == 0 { (right - number.x_max) / MM } else { (number.x_min - left) / MM };
                if !(4.0..7.0).contains(&outside) {
                    failures.push(format!(
                        "page {}: page number {outside:.1} mm from the outside edge, not one character",
                        n + 1
                    ));
                }
            }
            other => {
                failures.push(format!("page {}: expected one page number under the text block, found {other:?}", n + 1))
            }
        }
    }
    // The signature: one blank line under the body, two characters from the right edge; the date
    // on the next line, two characters right of the signature's start.
    let last = pages.last().unwrap();
    let find = |needle: &str| {
        last.iter().find(|l| squeeze(&l.text).contains(needle)).unwrap_or_else(|| panic!("no {needle:?}: {last:?}"))
    };
    let signature = find("中共某某县卫生健康局机关第一支部委员会");
    let date = find("2026年10月29日");
    let body_above = last.iter().filter(|l| l.y_min < signature.y_min).map(|l| l.y_min).fold(f64::MIN, f64::max);
    let em = 16.0 - 0.21;
    if ((signature.y_min - body_above) - 2.0 * pitch).abs() > MM {
        failures.push(format!(
            "signature is {:.2} mm under the body, not one blank line",
            (signature.y_min - body_above) / MM
        ));
    }
    if ((right - signature.x_max) - 2.0 * em).abs() > MM {
        failures.push(format!(
            "signature ends {:.2} mm from the right edge, not two characters",
            (right - signature.x_max) / MM
        ));
    }
    if ((date.x_min - signature.x_min) - 2.0 * em).abs() > MM || ((date.y_min - signature.y_min) - pitch).abs() > MM {
        failures.push(format!(
            "date at ({:.2}, {:.2}) mm, signature at ({:.2}, {:.2}) mm",
            date.x_min / MM,
            date.y_min / MM,
            signature.x_min / MM,
            signature.y_min / MM
        ));
    }
    assert!(failures.is_empty(), "{}\n\n{pages:#?}", failures.join("\n"));
}
