//! `pdb watch`: a child process on a temp branch, edited the ways editors save (vim's rename,
//! Notepad's overwrite), with every wait bounded by a deadline and the child killed on drop.
//! With typst (required under CI=true) the packet PDF is checked through pdftotext; without it,
//! the Markdown. Latency is measured in bench/watch.sh, never here.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::common::tools::{typst_path, PDFTOTEXT};
use crate::common::{attended, header, Test, BRANCH};

/// Each wait gives up after this long (a debug build, a loaded machine, a cold typst).
const DEADLINE: Duration = Duration::from_secs(30);
/// Longer than the watch's debounce and settle time together: time for a change to be seen.
const QUIET: Duration = Duration::from_millis(1500);

/// A running `pdb watch`: what it printed so far, killed on drop.
struct Watch {
    child: Child,
    dir: TempDir,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
    /// The packet PDF, or without typst the Markdown minutes (beside the other documents).
    output: PathBuf,
    pdf: bool,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn reader(pipe: impl Read + Send + 'static, into: Arc<Mutex<String>>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut pipe = pipe;
        let mut buffer = [0u8; 4096];
        let mut bytes = Vec::new();
        while let Ok(n) = pipe.read(&mut buffer) {
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buffer[..n]);
            *into.lock().unwrap() = String::from_utf8_lossy(&bytes).into_owned();
        }
    })
}

/// The fixture 支委会 at `location`.
fn activity(location: &str) -> String {
    attended(&header("支委会").replace("局机关三楼会议室", location))
}

impl Watch {
    /// `pdb watch a.toml -o out` on the fixture branch, waiting for the first render.
    fn start() -> Watch {
        let test = Test::new().branch(BRANCH).file("a.toml", &activity("局机关三楼会议室"));
        let typst = typst_path(&[PDFTOTEXT], "the watch test's PDF (Markdown instead)");
        let test = match &typst {
            Some(typst) => {
                test.args(&["watch", "a.toml", "-o", "out", "--format", "pdf", "--typst"]).arg(&typst.to_string_lossy())
            }
            None => test.args(&["watch", "a.toml", "-o", "out", "--format", "markdown"]),
        };
        let (child, dir) = test.spawn();
        let output = if typst.is_some() { "out/a/00-全套.pdf" } else { "out/a/05-会议记录.md" };
        Watch::attach(child, dir, output, typst.is_some())
    }

    /// A spawned `pdb watch`, once its first render wrote `output`.
    fn attach(mut child: Child, dir: TempDir, output: &str, pdf: bool) -> Watch {
        let (stdout, stderr) = (Arc::default(), Arc::default());
        let readers = vec![
            reader(child.stdout.take().unwrap(), Arc::clone(&stdout)),
            reader(child.stderr.take().unwrap(), Arc::clone(&stderr)),
        ];
        let output = dir.path().join(output);
        let watch = Watch { child, dir, stdout, stderr, readers, output, pdf };
        watch.wait_until("first render", |w| w.stdout().contains("正在监视") && w.output.is_file());
        watch
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// How many runs followed a change.
    fn reruns(&self) -> usize {
        self.stdout().lines().filter(|l| l.contains("] 改动：")).count()
    }

    #[track_caller]
    fn wait_until(&self, what: &str, done: impl Fn(&Watch) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < DEADLINE,
                "no {what} within {DEADLINE:?}\n--- stdout:\n{}--- stderr:\n{}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the next run after a change, and returns its line.
    #[track_caller]
    fn next_run(&self, before: usize) -> String {
        self.wait_until("run after the change", |w| w.reruns() > before);
        self.stdout().lines().filter(|l| l.contains("] 改动：")).nth(before).unwrap().to_string()
    }

    /// The text of the packet (or of every Markdown document), whitespace removed (Chinese lines
    /// break anywhere).
    fn text(&self) -> String {
        let text = if self.pdf {
            let out =
                Command::new("pdftotext").arg("-raw").arg(&self.output).arg("-").output().expect("pdftotext runs");
            assert!(out.status.success());
            String::from_utf8(out.stdout).unwrap()
        } else {
            let mut files: Vec<PathBuf> = fs::read_dir(self.output.parent().unwrap())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect();
            files.sort();
            files.iter().map(|f| fs::read_to_string(f).unwrap()).collect()
        };
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// SIGINT, as Ctrl-C sends it; the exit status within the deadline.
    #[cfg(unix)]
    fn interrupt(mut self) -> (i32, String, TempDir) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(start.elapsed() < DEADLINE, "pdb watch did not stop on SIGINT\n{}", self.stdout());
            std::thread::sleep(Duration::from_millis(20));
        };
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        let stdout = self.stdout();
        // `Watch` is dropped here; its folder lives on.
        let dir = tempfile::tempdir().unwrap();
        let dir = std::mem::replace(&mut self.dir, dir);
        (status.code().expect("exited, not killed"), stdout, dir)
    }
}

/// vim's `backupcopy=no`: the old file renamed to a backup, the new one written, the backup
/// deleted, with its swap file beside them.
fn save_like_vim(path: &Path, text: &str) {
    let backup = path.with_extension("toml~");
    let swap = path.with_file_name(format!(".{}.swp", path.file_name().unwrap().to_string_lossy()));
    fs::write(&swap, "swap").unwrap();
    fs::rename(path, &backup).unwrap();
    fs::write(path, text).unwrap();
    fs::remove_file(&backup).unwrap();
    fs::remove_file(&swap).unwrap();
}

#[test]
fn saves_re_render_and_an_input_error_keeps_the_last_output() {
    let watch = Watch::start();
    assert!(watch.text().contains("局机关三楼会议室"), "{}", watch.text());
    assert!(
        watch.stdout().contains("首次生成 → 共 1 个活动：生成 1 个，未变 0 个，失败 0 个，发现 0 项（"),
        "{}",
        watch.stdout()
    );

    save_like_vim(&watch.path("a.toml"), &activity("局机关五楼会议室"));
    let line = watch.next_run(0);
    assert!(line.contains("改动：a.toml（活动文件） → 共 1 个活动：生成 1 个，未变 0 个，失败 0 个"), "{line}");
    assert!(watch.text().contains("局机关五楼会议室"), "{}", watch.text());

    // Notepad writes over the file in place.
    fs::write(watch.path("a.toml"), activity("局机关六楼会议室")).unwrap();
    watch.next_run(1);
    assert!(watch.text().contains("局机关六楼会议室"), "{}", watch.text());

    // A time that is no time: located, and the last good output stays as it was.
    let good = fs::read(&watch.output).unwrap();
    let broken = activity("局机关七楼会议室").replace("start    = 14:30:00", "start    = \"下午两点半\"");
    fs::write(watch.path("a.toml"), broken).unwrap();
    let line = watch.next_run(2);
    assert!(line.contains("生成 0 个，未变 0 个，失败 1 个"), "{line}");
    let stderr = watch.stderr();
    assert!(stderr.contains(" --> a.toml:3:"), "{stderr}");
    assert!(stderr.contains("开始时间"), "{stderr}");
    assert_eq!(fs::read(&watch.output).unwrap(), good, "the failed run changed the last good output");

    // The next good save renders again.
    fs::write(watch.path("a.toml"), activity("局机关七楼会议室")).unwrap();
    let line = watch.next_run(3);
    assert!(line.contains("生成 1 个，未变 0 个，失败 0 个"), "{line}");
    assert!(watch.text().contains("局机关七楼会议室"), "{}", watch.text());
}

/// SIGINT through `kill`, as a terminal's Ctrl-C sends it.
#[cfg(unix)]
#[test]
fn the_branch_file_re_renders_other_files_do_not_and_sigint_stops_cleanly() {
    let watch = Watch::start();
    assert!(!watch.text().contains("赵强强"));

    fs::write(watch.path("branch.toml"), BRANCH.replace("\"赵强\"", "\"赵强强\"")).unwrap();
    let line = watch.next_run(0);
    assert!(line.contains("改动：branch.toml（支部文件） → 共 1 个活动：生成 1 个"), "{line}");
    assert!(watch.text().contains("赵强强"), "{}", watch.text());

    // Neither a file that is no input, nor an editor's scratch file, nor pdb's own output.
    fs::write(watch.path("备忘.txt"), "明天开会").unwrap();
    fs::write(watch.path(".a.toml.swp"), "swap").unwrap();
    fs::write(watch.path("a.toml~"), "backup").unwrap();
    fs::write(watch.path("out/a/x.toml"), "").unwrap();
    std::thread::sleep(QUIET);
    assert_eq!(watch.reruns(), 1, "{}", watch.stdout());

    // Stopped while a run may be under way: it finishes or never starts, and leaves no temp file.
    fs::write(watch.path("a.toml"), activity("局机关五楼会议室")).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let (status, stdout, dir) = watch.interrupt();
    assert_eq!(status, 0, "{stdout}");
    assert!(stdout.trim_end().ends_with("已停止监视"), "{stdout}");
    let temporaries: Vec<PathBuf> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".pdb-tmp")))
        .collect();
    assert_eq!(temporaries, Vec::<PathBuf>::new());
}

#[test]
fn json_and_strict_are_refused() {
    for flag in ["--json", "--strict"] {
        let out = Test::new()
            .branch(BRANCH)
            .file("a.toml", &activity("局机关三楼会议室"))
            .args(&["watch", "a.toml", flag])
            .run();
        out.assert_status(2);
        assert!(out.stderr.contains(&format!("pdb watch 不支持 {flag}")), "{out}");
    }
}

#[test]
fn a_template_error_is_located_and_the_fixed_template_renders() {
    let test = Test::new().branch(BRANCH).file("a.toml", &activity("局机关三楼会议室"));
    let test = test.file("模板/markdown/minutes.md", "本单位会议记录：{{ act.noun }}\n");
    let (child, dir) =
        test.args(&["watch", "a.toml", "-o", "out", "--format", "markdown", "--templates", "模板"]).spawn();
    let watch = Watch::attach(child, dir, "out/a/05-会议记录.md", false);
    assert!(watch.text().contains("本单位会议记录："), "{}", watch.text());

    fs::write(watch.path("模板/markdown/minutes.md"), "本单位会议记录：{{ act.noun\n").unwrap();
    let line = watch.next_run(0);
    assert!(line.contains("改动：模板/markdown/minutes.md（模板） → 没有生成"), "{line}");
    assert!(watch.stderr().contains("--> 模板/markdown/minutes.md:1:20"), "{}", watch.stderr());

    fs::write(watch.path("模板/markdown/minutes.md"), "本单位第二版会议记录：{{ act.noun }}\n").unwrap();
    let line = watch.next_run(1);
    assert!(line.contains("生成 1 个"), "{line}");
    assert!(watch.text().contains("本单位第二版会议记录："), "{}", watch.text());
}

#[test]
fn a_typst_error_keeps_the_last_pdf() {
    let Some(typst) = typst_path(&[PDFTOTEXT], "the watch test of a typst error") else { return };
    let test = Test::new().branch(BRANCH).file("a.toml", &activity("局机关三楼会议室"));
    let test = test.file("模板/typst/说明.txt", "本单位的模板");
    let args = ["watch", "a.toml", "-o", "out", "--format", "pdf", "--templates", "模板", "--typst"];
    let (child, dir) = test.args(&args).arg(&typst.to_string_lossy()).spawn();
    let watch = Watch::attach(child, dir, "out/a/00-全套.pdf", true);
    let good = fs::read(&watch.output).unwrap();

    // Valid for Tera, not for typst: the packet fails, the viewer keeps the last good PDF.
    fs::write(watch.path("模板/typst/minutes.typ"), "#没有这个函数()\n").unwrap();
    let line = watch.next_run(0);
    assert!(line.contains("失败 1 个"), "{line}");
    assert!(watch.stderr().contains("--> out/a/05-会议记录.typ:1:"), "{}", watch.stderr());
    assert_eq!(fs::read(&watch.output).unwrap(), good);

    // Fixed: the next run replaces it (it is still pdb's, not a hand-edited file).
    fs::remove_file(watch.path("模板/typst/minutes.typ")).unwrap();
    fs::write(watch.path("a.toml"), activity("局机关五楼会议室")).unwrap();
    watch.wait_until("PDF with the new location", |w| w.text().contains("局机关五楼会议室"));
    assert!(!watch.stderr().contains("手工修改"), "{}", watch.stderr());
}

#[test]
fn a_photo_the_record_names_re_renders_another_does_not() {
    let record =
        format!("{}\n[[photos]]\nfile = \"照片/1.jpg\"\ncaption = \"会议现场\"\n", activity("局机关三楼会议室"));
    let test = Test::new().branch(BRANCH).file("a.toml", &record).jpeg("照片/1.jpg").jpeg("照片/2.jpg");
    let (child, dir) = test.args(&["watch", "a.toml", "-o", "out", "--format", "markdown"]).spawn();
    let watch = Watch::attach(child, dir, "out/a/photo-1.jpg", false);

    fs::write(watch.path("照片/2.jpg"), b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00other").unwrap();
    std::thread::sleep(QUIET);
    assert_eq!(watch.reruns(), 0, "{}", watch.stdout());

    let retaken = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00retaken";
    fs::write(watch.path("照片/1.jpg"), retaken).unwrap();
    let line = watch.next_run(0);
    assert!(line.contains("改动：照片/1.jpg（照片） → 共 1 个活动：生成 1 个"), "{line}");
    assert_eq!(fs::read(watch.path("out/a/photo-1.jpg")).unwrap(), retaken);
}
