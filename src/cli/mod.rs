//! The command line: clap's types (`args`) become one validated `Settings` (`settings`) before
//! any work starts; the handlers of the other commands; what a run prints (`report`); and the
//! exit status (`exit`).

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use pdb::inputs::{self, Shard};
use pdb::run::{self, Mode};

use args::{Cli, Command, InputArgs, OutputArgs};
use exit::Exit;
use report::{Printer, Style, Verbosity};

/// `println!` that does not panic when stdout is a closed pipe (`pdb render … | head -1`): the
/// printing stops, the run goes on and exits with its own status, as other tools do.
macro_rules! outln {
    () => { $crate::cli::out_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::cli::out_line(format_args!($($arg)*)) };
}

/// `eprintln!` likewise, for `2>&1 | head`.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::err_line(format_args!($($arg)*)) };
}

pub(crate) fn out_line(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_fmt(args).and_then(|()| out.write_all(b"\n"));
}

pub(crate) fn err_line(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{args}");
}

mod args;
mod authoring;
mod doctor;
mod exit;
mod import;
mod report;
mod settings;
mod watch;

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let exit = dispatch(cli, styled).unwrap_or_else(|err| {
        // A diagnostic rendered in full already begins with 错误.
        let text = format!("{err:#}");
        if text.starts_with("错误") {
            errln!("{text}");
        } else {
            errln!("错误：{text}");
        }
        Exit::Usage
    });
    exit.into()
}

fn dispatch(cli: Cli, styled: bool) -> Result<Exit> {
    match cli.command {
        Command::Render(args) => batch(Mode::Render, &args.input, Some(&args.output), args.shard, styled),
        Command::Index(args) => batch(Mode::Index, &args.input, Some(&args.output), None, styled),
        Command::Watch(args) => watch::watch(&args, styled),
        Command::Check(args) => batch(Mode::Check, &args.input, None, None, styled),
        Command::Doctor(args) => Ok(doctor::doctor(&args)),
        Command::New(args) => authoring::new(&args),
        Command::Init(args) => authoring::init(&args),
        Command::Plan(args) => authoring::plan(&args, styled),
        Command::Templates(command) => authoring::templates(&command),
        Command::Import(command) => import::import(&command),
        Command::Completions(args) => authoring::completions(&args),
        Command::Man(args) => authoring::man(&args),
    }
}

/// `render`, `index` and `check`: settings first, then the run, then what it did.
fn batch(
    mode: Mode,
    input: &InputArgs,
    output: Option<&OutputArgs>,
    shard: Option<Shard>,
    styled: bool,
) -> Result<Exit> {
    let inputs = inputs::discover(&input.inputs, shard)?;
    let (settings, note) = settings::settings(mode, input, output, shard)?;
    let verbosity = Verbosity::of(input);
    let terminal = std::io::stderr().is_terminal();
    let style = Style { mode, verbosity, json: input.json, styled, terminal, period: settings.period, lines: true };
    let printer = Printer::new(style);
    let report = run::run(&inputs, &settings, &printer)?;
    Ok(printer.finish(&report, input.strict, note.as_slice()))
}
