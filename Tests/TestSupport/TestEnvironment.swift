import Foundation

/// Locations and helpers shared by the test targets: the package root, the
/// read-only fixtures beside the checkout, and the Python interpreter of the
/// oracle virtual environment.
public enum TestEnvironment {
    /// Root folder of the package (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared/fixtures` next to the checkout, or nil when it is absent.
    public static var fixtures: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Path of a fixture file, or nil when the fixtures folder or the file is absent.
    public static func fixture(_ relativePath: String) -> URL? {
        guard let url = fixtures?.appendingPathComponent(relativePath),
            FileManager.default.fileExists(atPath: url.path)
        else { return nil }
        return url
    }

    /// Python interpreter for oracle tests: `$FACTORIZE_PYTHON`, else the venv that
    /// `make test` creates in `.build/venv`. nil when neither exists.
    public static var python: URL? {
        if let path = ProcessInfo.processInfo.environment["FACTORIZE_PYTHON"],
            FileManager.default.isExecutableFile(atPath: path)
        {
            return URL(fileURLWithPath: path)
        }
        let venv = packageRoot.appendingPathComponent(".build/venv/bin/python3")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil
    }

    /// True when the oracle interpreter exists and imports every named module.
    public static func pythonHasModules(_ modules: [String]) -> Bool {
        guard python != nil else { return false }
        let probe = modules.map { "import \($0)" }.joined(separator: "; ")
        return (try? runPython(["-c", probe])) != nil
    }

    /// Runs the oracle interpreter with arguments and returns its standard output.
    /// Throws `PythonFailure` with standard error when it exits non-zero.
    @discardableResult
    public static func runPython(_ arguments: [String], input: Data? = nil) throws -> Data {
        guard let python else { throw PythonFailure(status: -1, standardError: "no Python interpreter") }
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        // Standard error goes to a file so that neither pipe can fill up and block the child.
        let errorFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("factorize-python-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
        guard process.terminationStatus == 0 else {
            throw PythonFailure(
                status: process.terminationStatus,
                standardError: String(decoding: errorData, as: UTF8.self))
        }
        return output
    }

    /// Creates a fresh temporary folder for one test.
    public static func makeTemporaryDirectory(_ prefix: String = "factorize-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A Python oracle script that exited with a non-zero status.
public struct PythonFailure: Error, CustomStringConvertible {
    public let status: Int32
    public let standardError: String
    public var description: String { "python exited with status \(status): \(standardError)" }
}
