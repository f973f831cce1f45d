import Foundation
import Study

/// `factorize study`: runs every step of a study spec, resumably, and writes its report.
enum StudyCommand: Command {
    static let spec = CommandSpec(
        name: "study",
        abstract: "Run a study spec: compress, evaluate and benchmark every combination, then report.",
        discussion: """
            SPEC.json names the models, methods, rank policies, states, runtimes, data set and
            output folders (docs/study-spec.md lists every key). Each step writes one results
            document; a step whose document exists is skipped, so an interrupted study resumes
            where it stopped. Runtimes that are not installed here give 'unavailable' documents:
            ONNX Runtime needs a Python with onnxruntime (FACTORIZE_PYTHON or .build/venv), TensorRT
            needs trtexec on PATH. --retry-unavailable measures those steps again. Built-in engine
            benchmarks run in a fresh factorize process each, so their peak memory is their own.
            Fine-tuning steps are recorded as unavailable until fine-tuning is built.
            The report goes to the spec's output.report folder at the end.
            """,
        positionals: [PositionalSpec("SPEC", "Study spec (JSON).")],
        options: [
            .value("only", "REGEX", "Perform only runs whose key matches (others are skipped)."),
            .flag("retry-unavailable", "Measure again steps recorded as unavailable."),
            .flag("json", "Print a JSON summary of the runs instead of the report tables."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let specURL = URL(fileURLWithPath: try arguments.requiredPositional("SPEC"))
        var filter: NSRegularExpression?
        if let pattern = arguments.string("only") {
            do {
                filter = try NSRegularExpression(pattern: pattern)
            } catch {
                throw UsageError("invalid value '\(pattern)' for --only: not a regular expression", command: spec.name)
            }
        }
        guard FileManager.default.fileExists(atPath: specURL.path) else {
            throw CLIError.fileNotFound(path: specURL.path, what: "study spec")
        }
        let study = try StudySpec.load(
            from: specURL, baseDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        try study.checkInputFiles()
        for folder in [study.output.results, study.output.models] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        let engine = StudyEngine(
            configuration: .init(toolVersion: factorizeVersion, builtinBenchCommand: freshBenchCommand()),
            log: { console.log("  \($0)") })
        var runner = StudyRunner(
            spec: study, actions: engine, provenance: currentProvenance(),
            options: .init(retryUnavailable: arguments.flag("retry-unavailable")))
        if let filter {
            runner.include = { run in
                filter.firstMatch(in: run.key, range: NSRange(run.key.startIndex..., in: run.key)) != nil
            }
        }
        let summary = runner.run { progress in
            if let line = progressLine(progress) { console.log(line) }
        }

        try FileManager.default.createDirectory(at: study.output.report, withIntermediateDirectories: true)
        let report = try StudyReport.load(resultsDirectory: study.output.results)
        try report.write(to: study.output.report)
        console.log(
            "study \(study.name): \(summary.finished) finished, \(summary.skipped) skipped, \(summary.failures.count) failed; "
                + "report in \(study.output.report.path)")

        if arguments.flag("json") {
            console.print(try jsonText([
                "study": study.name, "finished": summary.finished, "skipped": summary.skipped,
                "failures": summary.failures.map { ["key": $0.key, "error": $0.error] },
                "results": study.output.results.path, "report": study.output.report.path,
            ]))
        } else {
            for section in report.sections {
                console.print(report.displayTable(for: section).markdown())
            }
        }
        if !summary.failures.isEmpty {
            throw StudyCommandError.runsFailed(summary.failures.map(\.key))
        }
    }

    /// Formats the standard-error line of a run event, or returns nil for filtered runs.
    static func progressLine(_ progress: StudyProgress) -> String? {
        let position = "[\(progress.index)/\(progress.total)] \(progress.run.key)"
        switch progress.event {
        case .started: return "\(position): running"
        case .skipped(.alreadyDone): return "\(position): done earlier"
        case .skipped(.filtered): return nil
        case .skipped(.dependencyFailed(let key)): return "\(position): skipped, \(key) failed"
        case .finished(let document):
            if let reason = document?.unavailable { return "\(position): unavailable: \(reason)" }
            return "\(position): finished"
        case .failed(let error): return "\(position): failed: \(error)"
        }
    }

    /// Returns `[factorize, "bench"]` when this process is the factorize executable, so that built-in
    /// benchmarks run in a fresh process each; nil otherwise (tests run the CLI in-process).
    static func freshBenchCommand() -> [String]? {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath(),
            executable.lastPathComponent == "factorize"
        else { return nil }
        return [executable.path, "bench"]
    }
}

enum StudyCommandError: Error, CustomStringConvertible {
    case runsFailed([String])

    var description: String {
        switch self {
        case .runsFailed(let keys):
            return "\(keys.count) run\(keys.count == 1 ? "" : "s") failed: \(keys.joined(separator: ", ")); "
                + "fix the cause and run the study again to retry them"
        }
    }
}
