//! Running an external program (typst) with a time limit: a program that hangs is killed, so
//! one activity fails instead of the whole batch waiting for ever.

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub enum RunError {
    /// It could not be started.
    Start(std::io::Error),
    /// Still running after the limit: it was killed.
    Timeout(Duration),
}

/// Runs `command` to the end, or kills it after `limit`; its output either way is read in
/// threads, so a program that writes much cannot block on a full pipe.
pub fn output_within(command: &mut Command, limit: Duration) -> Result<Output, RunError> {
    output_with_input(command, None, limit)
}

/// [`output_within`], with `input` written to the program's standard input (typst reads its
/// main source from there when told `-`), in a thread so that a full pipe cannot block.
pub fn output_with_input(command: &mut Command, input: Option<Vec<u8>>, limit: Duration) -> Result<Output, RunError> {
    let stdin = if input.is_some() { Stdio::piped() } else { Stdio::null() };
    let mut child =
        command.stdin(stdin).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(RunError::Start)?;
    if let (Some(input), Some(mut pipe)) = (input, child.stdin.take()) {
        // Dropped at the end, which closes the pipe: the program sees the end of its input.
        std::thread::spawn(move || {
            use std::io::Write;
            let _ = pipe.write_all(&input);
        });
    }
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = reader(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = reader(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                // A grandchild may hold the pipes open: do not wait for the readers.
                return Err(RunError::Timeout(limit));
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(err) => return Err(RunError::Start(err)),
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok(Output { status, stdout, stderr })
}
