import Foundation

/// Output of a finished child process.
struct ProcessOutput {
    var status: Int32
    var standardOutput: Data
    var standardError: Data

    var standardOutputText: String { String(decoding: standardOutput, as: UTF8.self) }
    var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }
}

/// Runs external tools. Output goes to temporary files rather than pipes, so a child that
/// writes more than a pipe buffer's capacity does not block on a full pipe.
enum ProcessRunner {
    /// Runs `executable` with `arguments`, waiting at most `timeout` seconds, after which
    /// the child gets SIGTERM, then SIGKILL one second later.
    static func run(
        _ executable: URL, arguments: [String], environment: [String: String]? = nil,
        standardInput: Data? = nil, timeout: Double = 3600
    ) throws -> ProcessOutput {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("factorize-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputURL = folder.appendingPathComponent("stdout")
        let errorURL = folder.appendingPathComponent("stderr")
        let inputURL = folder.appendingPathComponent("stdin")
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        try (standardInput ?? Data()).write(to: inputURL)

        let outputHandle = try FileHandle(forWritingTo: outputURL)
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        let inputHandle = try FileHandle(forReadingFrom: inputURL)
        defer {
            try? outputHandle.close()
            try? errorHandle.close()
            try? inputHandle.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        process.standardInput = inputHandle
        try process.run()

        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            let killDeadline = Date().addingTimeInterval(1)
            while process.isRunning && Date() < killDeadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw BackendError.timedOut(command: commandLine(executable, arguments), seconds: timeout)
        }
        process.waitUntilExit()

        return ProcessOutput(
            status: process.terminationStatus,
            standardOutput: (try? Data(contentsOf: outputURL)) ?? Data(),
            standardError: (try? Data(contentsOf: errorURL)) ?? Data())
    }

    /// Returns the first executable named `name` in the folders of `$PATH`, or nil.
    static func findExecutable(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
        for folder in (path ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Renders a command line for messages.
    static func commandLine(_ executable: URL, _ arguments: [String]) -> String {
        ([executable.path] + arguments).joined(separator: " ")
    }

    /// Returns the last `count` lines of a text, for error messages.
    static func tail(_ text: String, lines count: Int = 20) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }
}
