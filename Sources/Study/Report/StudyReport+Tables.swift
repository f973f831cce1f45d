import Foundation

extension StudyReport {
    /// Builds the table of one benchmark setting for reading: sizes in MB, parameters and MACs in
    /// millions, top-1 in percent, median latencies in ms, speedups as factors and the
    /// surviving share in percent.
    public func displayTable(for section: ReportSection) -> ReportTable {
        var columns = [
            ReportTable.Column(header: "Model", csvName: "model", isNumeric: false),
            ReportTable.Column(header: "Method", csvName: "method", isNumeric: false),
            ReportTable.Column(header: "Ranks", csvName: "rank_policy", isNumeric: false),
            ReportTable.Column(header: "State", csvName: "state", isNumeric: false),
            ReportTable.Column(header: "Size (MB)", csvName: "size_mb"),
            ReportTable.Column(header: "Params (M)", csvName: "parameters_millions"),
            ReportTable.Column(header: "MACs (M)", csvName: "macs_millions"),
            ReportTable.Column(header: "Top-1 (%)", csvName: "top1_percent"),
        ]
        for runtime in runtimes {
            columns += [
                ReportTable.Column(header: "\(runtime) before (ms)", csvName: "\(runtime)_before_ms", group: runtime),
                ReportTable.Column(header: "\(runtime) after (ms)", csvName: "\(runtime)_after_ms", group: runtime),
                ReportTable.Column(
                    header: "\(runtime) speedup before", csvName: "\(runtime)_speedup_before", group: runtime),
                ReportTable.Column(
                    header: "\(runtime) speedup after", csvName: "\(runtime)_speedup_after", group: runtime),
                ReportTable.Column(
                    header: "\(runtime) surviving (%)", csvName: "\(runtime)_surviving_percent", group: runtime),
            ]
        }

        let rows = section.rows.map { row -> [ReportTable.Cell] in
            var cells: [ReportTable.Cell] = [
                .text(row.key.model), .text(row.key.method), row.key.rankPolicy.map { .text($0) } ?? .missing,
                .text(row.key.state.rawValue),
                cell(row.sizeMB, decimals: 2),
                cell(row.parameters, scale: 1e-6, decimals: 2),
                cell(row.macs, scale: 1e-6, decimals: 1),
                cell(row.top1, scale: 100, decimals: 2),
            ]
            for runtime in runtimes {
                let comparison = row.runtimes[runtime]!
                cells += [
                    latencyCell(comparison.latencyBefore), latencyCell(comparison.latencyAfter),
                    cell(comparison.speedupBefore, decimals: 2), cell(comparison.speedupAfter, decimals: 2),
                    cell(comparison.survivingShare, scale: 100, decimals: 1),
                ]
            }
            return cells
        }
        return ReportTable(title: "Study results, \(section.setting)", columns: columns, rows: rows)
    }

    /// Builds one table of every section for further processing, with raw counts and fractions,
    /// the benchmark setting in `threads` and `batch` columns, and top-5 and compression ratio.
    public func dataTable() -> ReportTable {
        var columns = [
            ReportTable.Column(header: "Model", csvName: "model", isNumeric: false),
            ReportTable.Column(header: "Method", csvName: "method", isNumeric: false),
            ReportTable.Column(header: "Ranks", csvName: "rank_policy", isNumeric: false),
            ReportTable.Column(header: "State", csvName: "state", isNumeric: false),
            ReportTable.Column(header: "Threads", csvName: "threads"),
            ReportTable.Column(header: "Batch", csvName: "batch"),
            ReportTable.Column(header: "Size (MB)", csvName: "size_mb"),
            ReportTable.Column(header: "Parameters", csvName: "parameters"),
            ReportTable.Column(header: "MACs", csvName: "macs"),
            ReportTable.Column(header: "Compression ratio", csvName: "compression_ratio"),
            ReportTable.Column(header: "Top-1", csvName: "top1"),
            ReportTable.Column(header: "Top-5", csvName: "top5"),
        ]
        for runtime in runtimes {
            columns += [
                ReportTable.Column(header: "\(runtime) before (ms)", csvName: "\(runtime)_before_median_ms"),
                ReportTable.Column(header: "\(runtime) after (ms)", csvName: "\(runtime)_after_median_ms"),
                ReportTable.Column(header: "\(runtime) speedup before", csvName: "\(runtime)_speedup_before"),
                ReportTable.Column(header: "\(runtime) speedup after", csvName: "\(runtime)_speedup_after"),
                ReportTable.Column(header: "\(runtime) surviving share", csvName: "\(runtime)_surviving_share"),
            ]
        }

        var rows: [[ReportTable.Cell]] = []
        for section in sections {
            for row in section.rows {
                var cells: [ReportTable.Cell] = [
                    .text(row.key.model), .text(row.key.method), .text(row.key.rankPolicy ?? ""),
                    .text(row.key.state.rawValue),
                    .number(Double(section.setting.threads), decimals: 0),
                    .number(Double(section.setting.batch), decimals: 0),
                    cell(row.sizeMB), cell(row.parameters), cell(row.macs), cell(row.compressionRatio),
                    cell(row.top1), cell(row.top5),
                ]
                for runtime in runtimes {
                    let comparison = row.runtimes[runtime]!
                    cells += [
                        cell(comparison.latencyBefore), cell(comparison.latencyAfter), cell(comparison.speedupBefore),
                        cell(comparison.speedupAfter), cell(comparison.survivingShare),
                    ]
                }
                rows.append(cells)
            }
        }
        return ReportTable(title: "Study results", columns: columns, rows: rows)
    }

    /// Renders the report as Markdown: provenance, one table per benchmark setting, the plots and any
    /// unreadable results files.
    public func markdown(plotFiles: [String] = []) -> String {
        var text = "# Study report\n\n"
        text += "Computed from \(documents.count) results document\(documents.count == 1 ? "" : "s"). "
        text += "Latencies are medians in ms; a speedup is the original model's latency divided by the row's, "
        text += "with the same runtime, optimization setting, threads and batch. "
        text += "Surviving is speedup after ÷ speedup before optimization.\n\n"
        text += provenanceMarkdown()

        for section in sections {
            text +=
                "\n## \(section.setting.description.prefix(1).uppercased() + section.setting.description.dropFirst())\n\n"
            text += displayTable(for: section).markdown()
        }

        if !plotFiles.isEmpty {
            text += "\n## Plots\n\n"
            for file in plotFiles {
                text += "![\(file)](\(file))\n\n"
            }
        }
        if !problems.isEmpty {
            text += "\n## Unreadable results files\n\n"
            for problem in problems {
                text += "- \(problem.description)\n"
            }
        }
        return text
    }

    /// Renders all display tables as one LaTeX file of `table` environments.
    public func latex() -> String {
        var text = "% Study report tables; needs \\usepackage{booktabs}.\n"
        for (index, section) in sections.enumerated() {
            text += "\n" + displayTable(for: section).latex(label: "tab:study-\(index + 1)")
        }
        return text
    }

    /// Renders `dataTable()` as CSV.
    public func csv() -> String {
        dataTable().csv()
    }

    private func provenanceMarkdown() -> String {
        func distinct(_ values: [String]) -> String {
            var seen: [String] = []
            for value in values where !seen.contains(value) { seen.append(value) }
            return seen.isEmpty ? "–" : seen.joined(separator: "; ")
        }
        let runtimeVersions = documents.compactMap { document in
            document.runtime.map { "\($0.name) \($0.version)" }
        }
        return """
            | | |
            | --- | --- |
            | CPU | \(distinct(documents.map(\.provenance.cpuModel))) |
            | Factorize | \(distinct(documents.map(\.provenance.toolVersion))) |
            | Git commit | \(distinct(documents.map(\.provenance.gitCommit))) |
            | Runtimes | \(distinct(runtimeVersions.sorted())) |

            """
    }
}

private func cell(_ value: ReportValue, scale: Double = 1, decimals: Int = 6) -> ReportTable.Cell {
    switch value {
    case .number(let number): return .number(number * scale, decimals: decimals)
    case .missing: return .missing
    case .unavailable(let reason): return .unavailable(reason)
    }
}

/// Latency cells get three significant digits or more: 2 decimals from 1 ms, 3 below.
private func latencyCell(_ value: ReportValue) -> ReportTable.Cell {
    guard case .number(let milliseconds) = value else { return cell(value) }
    return .number(milliseconds, decimals: milliseconds >= 100 ? 1 : (milliseconds >= 1 ? 2 : 3))
}
