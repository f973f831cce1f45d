import Foundation

/// An SVG plot of the report and the file name it is written under.
public struct ReportPlot: Sendable {
    public var fileName: String
    public var plot: ScatterPlot
}

/// Color and marker of a decomposition method, the same in every plot. Colors are the
/// Okabe–Ito palette (Okabe and Ito, 2008), which stays distinguishable with color-vision
/// deficiencies; shapes differ too, so that gray-scale prints stay readable.
public func plotStyle(forMethod method: String) -> (color: String, shape: ScatterPlot.MarkerShape) {
    switch method {
    case "none": return ("#000000", .circle)
    case "cp": return ("#0072B2", .square)
    case "tucker2": return ("#D55E00", .triangleUp)
    case "tt": return ("#009E73", .diamond)
    case "tr": return ("#CC79A7", .triangleDown)
    default:
        let others: [(String, ScatterPlot.MarkerShape)] = [("#E69F00", .hexagon), ("#56B4E9", .star)]
        let index = method.unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0xffff } % others.count
        return others[index]
    }
}

extension StudyReport {
    /// Builds the report's plots from the first benchmark setting's rows:
    /// accuracy vs compression ratio (when any row has a top-1), and for each runtime
    /// latency vs MACs and speedup after vs before optimization.
    public func plots() -> [ReportPlot] {
        guard let section = sections.first else { return [] }
        var plots: [ReportPlot] = []
        if section.rows.contains(where: { $0.top1.number != nil && $0.compressionRatio.number != nil }) {
            plots.append(ReportPlot(fileName: "accuracy-vs-compression.svg", plot: accuracyPlot(section)))
        }
        for runtime in runtimes {
            plots.append(
                ReportPlot(fileName: "latency-vs-macs-\(runtime).svg", plot: latencyPlot(section, runtime: runtime)))
            plots.append(ReportPlot(fileName: "speedup-\(runtime).svg", plot: speedupPlot(section, runtime: runtime)))
        }
        return plots
    }

    private func accuracyPlot(_ section: ReportSection) -> ScatterPlot {
        let series = methodSeries(section.rows) { row -> [ScatterPlot.Point] in
            guard let ratio = row.compressionRatio.number, let top1 = row.top1.number else { return [] }
            return [
                ScatterPlot.Point(
                    x: ratio, y: 100 * top1, filled: row.key.state != .decomposed,
                    label:
                        "\(rowLabel(row)): \(formatFixed(ratio, decimals: 2))× smaller, top-1 \(formatFixed(100 * top1, decimals: 2)) %"
                )
            ]
        }
        var plot = ScatterPlot(
            title: "Accuracy vs compression",
            xAxis: .init(title: "Compression ratio (original ÷ model parameters)"),
            yAxis: .init(title: "Top-1 accuracy (%)"),
            series: series)
        plot.fillLegend = ("original / fine-tuned", "decomposed")
        return plot
    }

    private func latencyPlot(_ section: ReportSection, runtime: String) -> ScatterPlot {
        let series = methodSeries(section.rows) { row -> [ScatterPlot.Point] in
            guard let macs = row.macs.number, let comparison = row.runtimes[runtime] else { return [] }
            var points: [ScatterPlot.Point] = []
            for (latency, optimized) in [(comparison.latencyBefore, false), (comparison.latencyAfter, true)] {
                guard let milliseconds = latency.number else { continue }
                points.append(
                    ScatterPlot.Point(
                        x: macs / 1e6, y: milliseconds, filled: optimized,
                        label: "\(rowLabel(row)), \(optimized ? "after" : "before") optimization: "
                            + "\(formatFixed(macs / 1e6, decimals: 1)) M MACs, \(formatFixed(milliseconds, decimals: 3)) ms"
                    ))
            }
            return points
        }
        var plot = ScatterPlot(
            title: "Latency vs MACs on \(runtime) (\(section.setting))",
            xAxis: .init(title: "MACs per inference (millions)", scale: .logarithmic),
            yAxis: .init(title: "Median latency (ms)", scale: .logarithmic),
            series: series)
        plot.fillLegend = ("after optimization", "before optimization")
        plot.emptyMessage = emptyMessage(section, runtime: runtime)
        return plot
    }

    private func speedupPlot(_ section: ReportSection, runtime: String) -> ScatterPlot {
        let decomposedRows = section.rows.filter { $0.key.state != .original }
        let series = methodSeries(decomposedRows) { row -> [ScatterPlot.Point] in
            guard let comparison = row.runtimes[runtime], let before = comparison.speedupBefore.number,
                let after = comparison.speedupAfter.number
            else { return [] }
            return [
                ScatterPlot.Point(
                    x: before, y: after, filled: row.key.state == .finetuned,
                    label:
                        "\(rowLabel(row)): speedup \(formatFixed(before, decimals: 2))× before, \(formatFixed(after, decimals: 2))× after"
                )
            ]
        }
        var plot = ScatterPlot(
            title: "Speedup over the original on \(runtime) (\(section.setting))",
            xAxis: .init(title: "Speedup before optimization (×)"),
            yAxis: .init(title: "Speedup after optimization (×)"),
            series: series)
        plot.fillLegend = ("fine-tuned", "decomposed")
        plot.showsIdentityLine = true
        plot.emptyMessage = emptyMessage(section, runtime: runtime)
        return plot
    }

    /// "no data", with the first unavailable reason of the runtime's latencies when there is one.
    private func emptyMessage(_ section: ReportSection, runtime: String) -> String {
        for row in section.rows {
            for latency in [row.runtimes[runtime]?.latencyBefore, row.runtimes[runtime]?.latencyAfter] {
                if case .unavailable(let reason)? = latency { return "no data (unavailable: \(reason))" }
            }
        }
        return "no data"
    }

    /// One series per method present in `rows`, in row order, each with its fixed style.
    private func methodSeries(_ rows: [ReportRow], points: (ReportRow) -> [ScatterPlot.Point]) -> [ScatterPlot.Series] {
        var methods: [String] = []
        for row in rows where !methods.contains(row.key.method) { methods.append(row.key.method) }
        return methods.compactMap { method in
            let methodPoints = rows.filter { $0.key.method == method }.flatMap(points)
            guard !methodPoints.isEmpty else { return nil }
            let style = plotStyle(forMethod: method)
            return ScatterPlot.Series(
                name: method == "none" ? "original" : method, color: style.color, shape: style.shape,
                points: methodPoints)
        }
    }

    private func rowLabel(_ row: ReportRow) -> String {
        [row.key.model, row.key.method == "none" ? nil : row.key.method, row.key.rankPolicy, row.key.state.rawValue]
            .compactMap { $0 }.joined(separator: " ")
    }
}
