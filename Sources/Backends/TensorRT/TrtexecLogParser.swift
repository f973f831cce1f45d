import Foundation

/// Parses the performance summary that trtexec prints, in every format from TensorRT 5 to 11.
///
/// Formats, as printed by `printEpilog` in TensorRT's `samples/common/sampleReporting.cpp`:
/// - before 7.0: `Average over 10 runs is 2.3 ms (host walltime is 2.4 ms, 99% percentile time is 2.6).`
/// - 7.x: section headers `Host Latency`, `Enqueue Time`, `GPU Compute`, each followed by
///   `min: 1.2 ms (end to end 2.3 ms)`, `max:`, `mean:`, `median:`,
///   `percentile: 1.5 ms at 99% (end to end 2.6 ms at 99%)`, plus `throughput: N qps`,
///   `walltime: N s` and `total compute time: N s`.
/// - 8.0 and later: `=== Performance summary ===`, then `Throughput: N qps` and one line per
///   metric, `Latency: min = a ms, max = b ms, mean = c ms, median = d ms, percentile(99%) = e ms`.
///   8.0–8.3 add `End-to-End Host Latency`; 8.5 and later print three percentiles
///   (90%, 95%, 99%); 10.x and 11.x keep the 8.5 layout.
public enum TrtexecLogParser {
    public static func parse(_ log: String) -> TrtexecSummary {
        var summary = TrtexecSummary()
        summary.version = TensorRTVersion.detect(in: log)
        var section: LegacySection?

        for rawLine in log.split(separator: "\n", omittingEmptySubsequences: false) {
            let (severity, line) = stripPrefix(String(rawLine))
            switch severity {
            case "W": summary.warnings.append(line)
            case "E": summary.errors.append(line)
            default: break
            }

            if line.hasPrefix("&&&& PASSED") { summary.passed = true }
            if line.hasPrefix("&&&& FAILED") { summary.passed = false }

            if parseSummaryLine(line, into: &summary) { continue }
            if let header = LegacySection(rawValue: line.lowercased()) {
                section = header
                continue
            }
            if let section, parseLegacyLine(line, section: section, into: &summary) { continue }
            parseAverageLine(line, into: &summary)
            parseResourceLine(line, into: &summary)
        }
        return summary
    }

    /// Splits `[07/28/2022-16:00:55] [W] [TRT] text` into its severity letter and the text.
    static func stripPrefix(_ line: String) -> (severity: String?, text: String) {
        var rest = Substring(line)
        var severity: String?
        if let match = rest.prefixMatch(of: #/\[\d{2}/\d{2}/\d{4}-\d{2}:\d{2}:\d{2}\]\s*/#) {
            rest = rest[match.range.upperBound...]
        }
        if let match = rest.prefixMatch(of: #/\[([VIWEF])\]\s?/#) {
            severity = String(match.1)
            rest = rest[match.range.upperBound...]
        }
        if let match = rest.prefixMatch(of: #/\[TRT\]\s*/#) {
            rest = rest[match.range.upperBound...]
        }
        return (severity, String(rest).trimmingTrailingWhitespace())
    }

    // MARK: 8.0 and later

    private static func parseSummaryLine(_ line: String, into summary: inout TrtexecSummary) -> Bool {
        if let match = line.wholeMatch(of: #/Throughput:\s*([-+0-9.eE]+)\s*qps/#) {
            summary.throughputQueriesPerSecond = Double(match.1)
            return true
        }
        if let match = line.wholeMatch(of: #/Total Host Walltime:\s*([-+0-9.eE]+)\s*s/#) {
            summary.totalHostWalltimeSeconds = Double(match.1)
            return true
        }
        if let match = line.wholeMatch(of: #/Total GPU Compute Time:\s*([-+0-9.eE]+)\s*s/#) {
            summary.totalGPUComputeTimeSeconds = Double(match.1)
            return true
        }
        guard let match = line.wholeMatch(of: #/(Latency|End-to-End Host Latency|Enqueue Time|H2D Latency|GPU Compute Time|D2H Latency):\s*(min\s*=?\s*[0-9].*)/#)
        else { return false }

        let statistics = parseStatistics(String(match.2))
        switch match.1 {
        case "Latency": summary.latency = statistics
        case "End-to-End Host Latency": summary.endToEndHostLatency = statistics
        case "Enqueue Time": summary.enqueueTime = statistics
        case "H2D Latency": summary.hostToDeviceLatency = statistics
        case "GPU Compute Time": summary.gpuComputeTime = statistics
        default: summary.deviceToHostLatency = statistics
        }
        return true
    }

    /// Parses `min = a ms, max = b ms, mean = c ms, median = d ms, percentile(P%) = e ms, …`.
    /// The `=` is optional because logs pasted from terminals sometimes lose it.
    static func parseStatistics(_ text: String) -> LatencyStatistics {
        var statistics = LatencyStatistics()
        for field in text.split(separator: ",") {
            let trimmed = field.trimmingCharacters(in: .whitespaces)
            if let match = trimmed.wholeMatch(of: #/(min|max|mean|median)\s*=?\s*([-+0-9.eE]+)\s*ms/#) {
                let value = Double(match.2)
                switch match.1 {
                case "min": statistics.min = value
                case "max": statistics.max = value
                case "mean": statistics.mean = value
                default: statistics.median = value
                }
            } else if let match = trimmed.wholeMatch(of: #/percentile\(([0-9.]+)%\)\s*=?\s*([-+0-9.eE]+)\s*ms/#) {
                assignPercentile(Double(match.1), value: Double(match.2), to: &statistics)
            }
        }
        return statistics
    }

    private static func assignPercentile(_ percent: Double?, value: Double?, to statistics: inout LatencyStatistics) {
        switch percent {
        case 90: statistics.p90 = value
        case 95: statistics.p95 = value
        case 99: statistics.p99 = value
        case 50: statistics.median = statistics.median ?? value
        default: break
        }
    }

    // MARK: 7.x

    enum LegacySection: String {
        case hostLatency = "host latency"
        case enqueueTime = "enqueue time"
        case gpuCompute = "gpu compute"
    }

    private static func parseLegacyLine(_ line: String, section: LegacySection, into summary: inout TrtexecSummary) -> Bool {
        if let match = line.wholeMatch(of: #/throughput:\s*([-+0-9.eE]+)\s*qps/#) {
            summary.throughputQueriesPerSecond = Double(match.1)
            return true
        }
        if let match = line.wholeMatch(of: #/walltime:\s*([-+0-9.eE]+)\s*s/#) {
            summary.totalHostWalltimeSeconds = Double(match.1)
            return true
        }
        if let match = line.wholeMatch(of: #/total compute time:\s*([-+0-9.eE]+)\s*s/#) {
            summary.totalGPUComputeTimeSeconds = Double(match.1)
            return true
        }

        var value: Double?
        var endToEnd: Double?
        var assign: (inout LatencyStatistics, Double?) -> Void
        if let match = line.wholeMatch(of: #/(min|max|mean|median):\s*([-+0-9.eE]+)\s*ms(?:\s*\(end to end\s*([-+0-9.eE]+)\s*ms\))?/#) {
            value = Double(match.2)
            endToEnd = match.3.flatMap { Double($0) }
            let keyPath: WritableKeyPath<LatencyStatistics, Double?>
            switch match.1 {
            case "min": keyPath = \.min
            case "max": keyPath = \.max
            case "mean": keyPath = \.mean
            default: keyPath = \.median
            }
            assign = { $0[keyPath: keyPath] = $1 }
        } else if let match = line.wholeMatch(
            of: #/percentile:\s*([-+0-9.eE]+)\s*ms at ([0-9.]+)%(?:\s*\(end to end\s*([-+0-9.eE]+)\s*ms at [0-9.]+%\))?/#)
        {
            value = Double(match.1)
            endToEnd = match.3.flatMap { Double($0) }
            let percent = Double(match.2)
            assign = { assignPercentile(percent, value: $1, to: &$0) }
        } else {
            return false
        }

        switch section {
        case .hostLatency:
            assign(&summary.latency, value)
            if let endToEnd {
                var statistics = summary.endToEndHostLatency ?? LatencyStatistics()
                assign(&statistics, endToEnd)
                summary.endToEndHostLatency = statistics
            }
        case .enqueueTime:
            var statistics = summary.enqueueTime ?? LatencyStatistics()
            assign(&statistics, value)
            summary.enqueueTime = statistics
        case .gpuCompute:
            var statistics = summary.gpuComputeTime ?? LatencyStatistics()
            assign(&statistics, value)
            summary.gpuComputeTime = statistics
        }
        return true
    }

    // MARK: before 7.0

    private static func parseAverageLine(_ line: String, into summary: inout TrtexecSummary) {
        guard let match = line.firstMatch(of: #/Average over (\d+) runs is ([-+0-9.eE]+) ms/#),
            let runs = Int(match.1), let milliseconds = Double(match.2)
        else { return }
        summary.runAverages.append(.init(runs: runs, milliseconds: milliseconds))
    }

    // MARK: engine and memory lines

    private static func parseResourceLine(_ line: String, into summary: inout TrtexecSummary) {
        if let match = line.firstMatch(of: #/(?:Created engine with size|Loaded engine size):\s*([0-9.]+)\s*Mi?B/#) {
            summary.engineSizeMiB = Double(match.1)
            return
        }
        let memoryPatterns: [(String, Regex<(Substring, Substring)>)] = [
            ("activation", #/Total Activation Memory:\s*(\d+)/#),
            ("activation", #/Allocated activation device memory of size\s*(\d+)/#),
            ("device_persistent", #/Total Device Persistent Memory:\s*(\d+)/#),
            ("device_persistent", #/Total per-runner device persistent memory is\s*(\d+)/#),
            ("host_persistent", #/Total Host Persistent Memory:\s*(\d+)/#),
            ("host_persistent", #/Total per-runner host persistent memory is\s*(\d+)/#),
            ("scratch", #/Total Scratch Memory:\s*(\d+)/#),
        ]
        for (key, pattern) in memoryPatterns {
            if let match = line.firstMatch(of: pattern), let bytes = Int(match.1) {
                summary.memoryBytes[key] = bytes
                return
            }
        }
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var result = self
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
