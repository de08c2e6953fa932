//! The `aisle` command line. Only this binary knows about the terminal:
//! progress bars, colours, exit codes (0 ok, 1 failure, 2 bad input).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
