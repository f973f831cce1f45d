import Foundation

/// A one-line progress indicator on standard error. On a terminal it redraws in place;
/// otherwise each update is a plain line, so logs stay readable.
final class ProgressLine: @unchecked Sendable {
    private let console: Console
    private let label: String
    private let start = Date()
    private var lastLength = 0

    init(console: Console, label: String) {
        self.console = console
        self.label = label
    }

    /// Shows `message` with the elapsed time.
    func update(_ message: String) {
        let line = String(format: "%@: %@ [%.0f s]", label, message, Date().timeIntervalSince(start))
        if console.errorIsTerminal {
            let padding = String(repeating: " ", count: max(0, lastLength - line.count))
            console.writeError("\r" + line + padding)
            lastLength = line.count
        } else {
            console.log(line)
        }
    }

    /// Ends the line on a terminal.
    func finish() {
        if console.errorIsTerminal && lastLength > 0 {
            console.writeError("\n")
        }
    }
}
