import Foundation
import Study

/// `factorize report`: tables and plots from a results folder.
enum ReportCommand: Command {
    static let spec = CommandSpec(
        name: "report",
        abstract: "Write the report (Markdown, CSV, LaTeX, SVG plots) of a results folder.",
        discussion: """
            Reads every JSON results document in RESULTS_DIR (written by eval, bench, compress and
            study with --results), writes report.md, report.csv, report.tex and one SVG file per
            plot into the report folder, and prints the Markdown tables. Documents that cannot be
            read are listed in the report and on standard error; they do not stop it.
            """,
        positionals: [PositionalSpec("RESULTS_DIR", "Folder of results documents.")],
        options: [.value("output", short: "o", "REPORT_DIR", "Folder to write the report into.")])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let results = URL(fileURLWithPath: try arguments.requiredPositional("RESULTS_DIR"))
        let output = URL(fileURLWithPath: try arguments.requiredString("output"))
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: results.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CLIError.fileNotFound(path: results.path, what: "results folder")
        }
        try writeReport(results: results, to: output, console: console)
    }

    /// Computes the report of `results`, writes it to `output`, prints its Markdown tables.
    static func writeReport(results: URL, to output: URL, console: Console) throws {
        let report = try StudyReport.load(resultsDirectory: results)
        for problem in report.problems { console.log("warning: \(problem)") }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let files = try report.write(to: output)
        for section in report.sections {
            console.print("## \(section.setting)")
            console.print()
            console.print(report.displayTable(for: section).markdown())
        }
        if report.sections.isEmpty { console.print("no results documents in \(results.path)") }
        console.log("wrote \(files.count) files to \(output.path)")
    }
}
