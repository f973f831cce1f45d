import Foundation

extension StudyReport {
    /// Writes `report.md`, `report.csv`, `report.tex` and one SVG file per plot into
    /// `directory`, creating it when missing, and returns the written files.
    ///
    /// Each file is written atomically, so a reader never sees a half-written report file.
    /// - Throws: `ResultsStoreError.writeFailed` for the first file that cannot be written.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        let plots = plots()
        var files: [(name: String, contents: String)] = [
            ("report.md", markdown(plotFiles: plots.map(\.fileName))),
            ("report.csv", csv()),
            ("report.tex", latex()),
        ]
        files += plots.map { ($0.fileName, $0.plot.svg()) }

        var written: [URL] = []
        for file in files {
            let url = directory.appendingPathComponent(file.name)
            try AtomicFile.write(file.contents, to: url)
            written.append(url)
        }
        return written
    }
}
