import Foundation

/// The CLI's output streams: results go to standard output, progress, logs and
/// errors to standard error. Tests substitute buffers to capture both.
final class Console: @unchecked Sendable {
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void
    /// True when standard error is a terminal, so progress bars may redraw in place.
    let errorIsTerminal: Bool

    init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, errorIsTerminal: Bool) {
        self.writeOut = out
        self.writeErr = err
        self.errorIsTerminal = errorIsTerminal
    }

    /// The process's own standard output and standard error.
    static let standard = Console(
        out: { FileHandle.standardOutput.write(Data($0.utf8)) },
        err: { FileHandle.standardError.write(Data($0.utf8)) },
        errorIsTerminal: isatty(STDERR_FILENO) == 1)

    /// Writes a line of results to standard output.
    func print(_ line: String = "") { writeOut(line + "\n") }

    /// Writes raw text to standard output.
    func write(_ text: String) { writeOut(text) }

    /// Writes a progress or log line to standard error.
    func log(_ line: String) { writeErr(line + "\n") }

    /// Writes raw text to standard error (progress bars that redraw with a carriage return).
    func writeError(_ text: String) { writeErr(text) }
}
