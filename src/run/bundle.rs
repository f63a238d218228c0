//! The batch in chunks, each chunk's PDFs from one typst process (`typst/bundle.rs`), when the
//! run's engine is `PdfEngine::Bundle`: the inputs are taken a chunk at a time as the walk goes
//! (so memory stays that of `jobs` chunks), each chunk's activities get their text documents
//! written, then all their PDFs are compiled at once, then each is finished as before.
//!
//! What goes into a bundle: only activities whose every Typst path pdb wrote (`Pending::
//! bundle_jobs`: built-in Typst templates, no SVG photo, which may link files). The bundle's root
//! is the output folder, which holds every activity's folder, so a path of the user's could reach
//! a neighbour's folder there, but not when compiled alone with its own folder as the root: such
//! an activity is compiled alone. When the bundle fails (an error, a warning, a crash, a timeout),
//! the activities whose folders typst's errors name are compiled alone, which gives each its own
//! located error, and the others go into one more bundle; when that fails too, or an error names
//! no activity, each is compiled alone.

use super::activity::Pending;
use super::settings::{Mode, PdfEngine, Settings};
use super::Shared;

/// The most activities in one typst process: memory grows with the pages of the bundle (about
/// 10 MB a packet, see BENCHMARKS.md), the saving hardly after 8.
pub(crate) const MAX_CHUNK: usize = 12;

/// How many inputs a chunk holds: the batch in a multiple of `jobs` chunks of at most
/// [`MAX_CHUNK`], as even as can be; 1 (each activity alone) without bundles.
pub(crate) fn chunk_size(settings: &Settings, total: usize) -> usize {
    let bundles = settings.pdf.as_ref().is_some_and(|pdf| pdf.engine == PdfEngine::Bundle);
    if !bundles || settings.mode != Mode::Render || total < 2 {
        return 1;
    }
    // The documents of --split double the pages.
    let max = if settings.pdf.as_ref().is_some_and(|pdf| pdf.split) { MAX_CHUNK / 2 } else { MAX_CHUNK };
    even_chunks(total, settings.jobs, max)
}

/// The size of the chunks when `total` is cut into a multiple of `jobs` chunks of at most `max`.
fn even_chunks(total: usize, jobs: usize, max: usize) -> usize {
    let jobs = jobs.max(1);
    let chunks = jobs * total.div_ceil(jobs * max.max(1));
    total.div_ceil(chunks.max(1)).max(1)
}

/// An iterator's items `size` at a time, taken as they are asked for.
pub(crate) fn chunks<I: Iterator>(mut items: I, size: usize) -> impl Iterator<Item = Vec<I::Item>> {
    std::iter::from_fn(move || {
        let chunk: Vec<I::Item> = items.by_ref().take(size).collect();
        (!chunk.is_empty()).then_some(chunk)
    })
}

/// Compiles the PDFs of a chunk's activities in one typst process and leaves each its own. When
/// typst's errors are all in some activities' folders, the others are bundled once more; an
/// activity left without PDFs (fewer than two to bundle, or a bundle that failed) compiles alone.
pub(crate) fn compile(pending: &mut [&mut Pending], shared: &Shared) {
    let Some(pdf) = shared.settings.pdf.as_ref().filter(|pdf| pdf.engine == PdfEngine::Bundle) else { return };
    let mut members: Vec<&mut Pending> =
        pending.iter_mut().map(|p| &mut **p).filter(|p| p.bundle_jobs().is_some()).collect();
    // A second try without the broken ones; one, since each costs a whole bundle.
    for _ in 0..2 {
        if members.len() < 2 {
            return;
        }
        let mut jobs = Vec::new();
        let mut owner = Vec::new();
        for (m, member) in members.iter().enumerate() {
            for job in member.bundle_jobs().unwrap_or_default() {
                jobs.push(job.clone());
                owner.push(m);
            }
        }
        match pdf.typst.compile_bundle(&shared.settings.out_dir, &jobs, &pdf.options) {
            Ok(mut pdfs) => {
                for member in &mut members {
                    let count = member.bundle_jobs().map_or(0, <[_]>::len);
                    let rest = pdfs.split_off(count);
                    member.set_pdfs(std::mem::replace(&mut pdfs, rest));
                }
                return;
            }
            Err(failure) => {
                let Some(broken) = failure.jobs else { return };
                let broken: Vec<usize> = broken.into_iter().map(|j| owner[j]).collect();
                let mut m = 0;
                members.retain(|_| {
                    m += 1;
                    !broken.contains(&(m - 1))
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_batch_is_cut_into_even_chunks_for_every_thread() {
        // The example quarter on two cores: two processes of four.
        assert_eq!(even_chunks(8, 2, 12), 4);
        // 40 on two cores: four chunks of ten, two per core, rather than 12 + 12 + 12 + 4.
        assert_eq!(even_chunks(40, 2, 12), 10);
        assert_eq!(even_chunks(10_000, 2, 12), 12);
        assert_eq!(even_chunks(3, 2, 12), 2);
        assert_eq!(even_chunks(5, 1, 12), 5);
        assert_eq!(even_chunks(1, 4, 12), 1);
        for total in 1..200 {
            let size = even_chunks(total, 3, 7);
            assert!((1..=7).contains(&size), "{total}: {size}");
        }
    }

    #[test]
    fn chunks_are_taken_lazily_and_keep_the_order() {
        let mut asked = 0;
        let items = (0..7).inspect(|_| asked += 1);
        let mut chunks = chunks(items, 3);
        assert_eq!(chunks.next(), Some(vec![0, 1, 2]));
        drop(chunks);
        assert_eq!(asked, 3);
        let all: Vec<Vec<i32>> = super::chunks(0..7, 3).collect();
        assert_eq!(all, [vec![0, 1, 2], vec![3, 4, 5], vec![6]]);
    }
}
