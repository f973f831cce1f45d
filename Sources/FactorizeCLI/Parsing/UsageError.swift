/// A mistake in how a command was called: unknown option, missing or invalid value.
/// The CLI prints it with a pointer to the command's help and exits with status 64.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    /// Command the error belongs to, for the help hint; nil for the top level.
    let command: String?

    init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    var description: String { message }
}
