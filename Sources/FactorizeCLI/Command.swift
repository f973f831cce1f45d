/// A `factorize` subcommand: its declaration and what it does.
protocol Command {
    static var spec: CommandSpec { get }
    /// Performs the command. Throws `UsageError` for bad usage, any other error for failure.
    static func run(_ arguments: ParsedArguments, console: Console) throws
}
