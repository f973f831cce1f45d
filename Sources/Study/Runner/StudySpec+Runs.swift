import Foundation

extension StudySpec {
    /// Expands the spec into the ordered list of runs it describes.
    ///
    /// Models come in spec order. Each starts with preparing the original when its weights
    /// are random, then the original's evaluation and benchmarks. Then, for each method and
    /// rank policy, come compression, the decomposed model's evaluation and benchmarks,
    /// fine-tuning, and the fine-tuned model's evaluation and benchmarks. Compression runs even when `decomposed`
    /// is not among the states, because fine-tuning starts from its output. Evaluation runs
    /// only when the spec has a dataset. Benchmarks run for each runtime, optimization
    /// setting, thread count and batch size, in that nesting order.
    public func runs() -> [StudyRun] {
        var runs: [StudyRun] = []
        for model in models {
            let original = originalRun(model)
            if let original { runs.append(original) }
            let originalFile = original?.output ?? originalFileURL(model)
            let originalDependencies = original.map { [$0.key] } ?? []

            let originalVariant = Variant(
                model: model.name, method: "none", rankPolicy: nil, state: .original,
                keyPrefix: "\(model.name).original",
                file: originalFile, dependencies: originalDependencies)
            if states.contains(.original) { runs += measurementRuns(originalVariant) }

            for method in methods {
                for policy in rankPolicies {
                    runs += decompositionRuns(
                        model: model.name, method: method, policy: policy, original: originalVariant)
                }
            }
        }
        return runs
    }

    /// A model file in one state, with the runs that write it.
    private struct Variant {
        var model: String
        var method: String
        var rankPolicy: RankPolicy?
        var state: ModelState
        var keyPrefix: String
        var file: URL
        var dependencies: [String]
    }

    private func originalFileURL(_ model: ModelSpec) -> URL {
        switch model.source {
        case .file(let url): return url
        case .randomWeights:
            return output.models.appendingPathComponent(model.name).appendingPathComponent("original.onnx")
        }
    }

    private func originalRun(_ model: ModelSpec) -> StudyRun? {
        guard case .randomWeights(let graph, _) = model.source else { return nil }
        return StudyRun(
            key: "\(model.name).original.prepare", kind: .prepare, model: model.name, method: "none", rankPolicy: nil,
            state: .original, input: graph, output: originalFileURL(model), dependencies: [])
    }

    private func decompositionRuns(model: String, method: String, policy: RankPolicy, original: Variant) -> [StudyRun] {
        let stem = "\(model).\(method)-\(policy.slug)"
        let folder = output.models.appendingPathComponent(model)

        let compress = StudyRun(
            key: "\(stem).compress", kind: .compress, model: model, method: method, rankPolicy: policy,
            state: .decomposed,
            input: original.file, output: folder.appendingPathComponent("\(method)-\(policy.slug).decomposed.onnx"),
            dependencies: original.dependencies)
        var runs = [compress]
        let decomposed = Variant(
            model: model, method: method, rankPolicy: policy, state: .decomposed, keyPrefix: "\(stem).decomposed",
            file: compress.output!, dependencies: [compress.key])
        if states.contains(.decomposed) { runs += measurementRuns(decomposed) }

        guard states.contains(.finetuned) else { return runs }
        var finetune = StudyRun(
            key: "\(stem).finetune", kind: .finetune, model: model, method: method, rankPolicy: policy,
            state: .finetuned,
            input: decomposed.file, output: folder.appendingPathComponent("\(method)-\(policy.slug).finetuned.onnx"),
            dependencies: decomposed.dependencies + original.dependencies)
        finetune.teacher = original.file
        runs.append(finetune)
        let finetuned = Variant(
            model: model, method: method, rankPolicy: policy, state: .finetuned, keyPrefix: "\(stem).finetuned",
            file: finetune.output!, dependencies: [finetune.key])
        runs += measurementRuns(finetuned)
        return runs
    }

    /// Evaluation and benchmark runs of one model file.
    private func measurementRuns(_ variant: Variant) -> [StudyRun] {
        func run(_ kind: StudyRunKind, key: String) -> StudyRun {
            StudyRun(
                key: key, kind: kind, model: variant.model, method: variant.method, rankPolicy: variant.rankPolicy,
                state: variant.state, input: variant.file, output: nil, dependencies: variant.dependencies)
        }

        var runs: [StudyRun] = []
        if dataset != nil {
            var eval = run(.eval, key: "\(variant.keyPrefix).eval.\(evaluation.runtime)")
            eval.runtime = evaluation.runtime
            eval.optimized = evaluation.optimized
            eval.threads = evaluation.threads
            eval.batch = evaluation.batch
            runs.append(eval)
        }

        for runtime in runtimes {
            for optimized in runtime.optimized {
                for threads in benchmark.threads {
                    for batch in benchmark.batch {
                        let setting = "\(optimized ? "after" : "before").t\(threads).b\(batch)"
                        var bench = run(.bench, key: "\(variant.keyPrefix).bench.\(runtime.name).\(setting)")
                        bench.runtime = runtime.name
                        bench.optimized = optimized
                        bench.threads = threads
                        bench.batch = batch
                        runs.append(bench)
                    }
                }
            }
        }
        return runs
    }
}
