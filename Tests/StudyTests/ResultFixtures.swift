import Foundation
import Study

/// Builders for hand-made results documents with round numbers.
enum ResultFixtures {
    static let provenance = Provenance(cpuModel: "Test CPU", toolVersion: "0.0.0-test", gitCommit: "unknown")

    static func latency(median: Double) -> LatencyStatistics {
        LatencyStatistics(
            min: median * 0.9, mean: median, median: median, p90: median * 1.1, p95: median * 1.2, p99: median * 1.3,
            max: median * 1.5)
    }

    static func modelDocument(
        kind: ResultKind, model: String = "net", method: String, state: ModelState, parameters: Int, macs: Int,
        sizeBytes: Int
    ) -> ResultDocument {
        ResultDocument(
            runKey: "\(model).\(method).\(state.rawValue).\(kind.rawValue)", kind: kind,
            model: ModelIdentity(name: model, sha256: String(repeating: "ab", count: 32)), method: method,
            rankPolicy: method == "none" ? nil : "ratio:0.5", state: state, provenance: provenance,
            timestamp: Date(timeIntervalSince1970: 1_800_000_000),
            metrics: Metrics(sizeBytes: sizeBytes, parameters: parameters, macs: macs))
    }

    static func evalDocument(model: String = "net", method: String, state: ModelState, top1: Double) -> ResultDocument {
        ResultDocument(
            runKey: "\(model).\(method).\(state.rawValue).eval", kind: .eval,
            model: ModelIdentity(name: model, sha256: String(repeating: "cd", count: 32)), method: method,
            rankPolicy: method == "none" ? nil : "ratio:0.5", state: state,
            runtime: RuntimeIdentity(name: "builtin", version: "0.1.0"),
            optimized: true, threads: 1, batch: 100, provenance: provenance,
            timestamp: Date(timeIntervalSince1970: 1_800_000_000),
            metrics: Metrics(top1: top1, top5: min(1, top1 + 0.05), samples: 10_000))
    }

    static func benchDocument(
        model: String = "net", method: String, state: ModelState, runtime: String, optimized: Bool, medianMs: Double?,
        unavailable: String? = nil
    ) -> ResultDocument {
        let setting = optimized ? "after" : "before"
        return ResultDocument(
            runKey: "\(model).\(method).\(state.rawValue).bench.\(runtime).\(setting).t1.b1", kind: .bench,
            model: ModelIdentity(name: model, sha256: String(repeating: "ef", count: 32)), method: method,
            rankPolicy: method == "none" ? nil : "ratio:0.5", state: state,
            runtime: RuntimeIdentity(name: runtime, version: "1.0"),
            optimized: optimized, threads: 1, batch: 1, provenance: provenance,
            timestamp: Date(timeIntervalSince1970: 1_800_000_000),
            metrics: medianMs.map { Metrics(latencyMs: latency(median: $0), throughputPerS: 1000 / $0) },
            unavailable: unavailable)
    }

    /// Returns the documents of a study of model `net`: the original, and CP decomposed and fine-tuned.
    ///
    /// builtin: original 10 ms before / 5 ms after optimization, CP 5 ms / 4 ms, so CP's
    /// speedup is 2 before and 1.25 after, and 0.625 of it survives.
    /// onnxruntime: original 8 / 4 ms, CP 4 / 3.2 ms: the same speedups.
    /// tensorrt: unavailable everywhere.
    static func smallStudy() -> [ResultDocument] {
        var documents = [
            modelDocument(
                kind: .compress, method: "none", state: .original, parameters: 1_000_000, macs: 200_000_000,
                sizeBytes: 4_000_000),
            modelDocument(
                kind: .compress, method: "cp", state: .decomposed, parameters: 400_000, macs: 80_000_000,
                sizeBytes: 1_600_000),
            modelDocument(
                kind: .finetune, method: "cp", state: .finetuned, parameters: 400_000, macs: 80_000_000,
                sizeBytes: 1_600_000),
            evalDocument(method: "none", state: .original, top1: 0.90),
            evalDocument(method: "cp", state: .decomposed, top1: 0.80),
            evalDocument(method: "cp", state: .finetuned, top1: 0.88),
        ]
        let latencies: [(String, ModelState, String, Double, Double)] = [
            ("none", .original, "builtin", 10, 5), ("cp", .decomposed, "builtin", 5, 4),
            ("cp", .finetuned, "builtin", 5, 4),
            ("none", .original, "onnxruntime", 8, 4), ("cp", .decomposed, "onnxruntime", 4, 3.2),
            ("cp", .finetuned, "onnxruntime", 4, 3.2),
        ]
        for (method, state, runtime, before, after) in latencies {
            documents.append(
                benchDocument(method: method, state: state, runtime: runtime, optimized: false, medianMs: before))
            documents.append(
                benchDocument(method: method, state: state, runtime: runtime, optimized: true, medianMs: after))
        }
        for (method, state) in [("none", ModelState.original), ("cp", .decomposed), ("cp", .finetuned)] {
            for optimized in [false, true] {
                documents.append(
                    benchDocument(
                        method: method, state: state, runtime: "tensorrt", optimized: optimized, medianMs: nil,
                        unavailable: "trtexec not found"))
            }
        }
        return documents
    }
}
