import Foundation

/// The step a study run performs.
public enum StudyRunKind: String, Sendable, Equatable {
    /// Writes a runnable original model by drawing random weights for a weightless graph.
    /// Writes no results document; the run is finished when the model file exists.
    case prepare
    case compress
    case finetune
    case eval
    case bench

    /// Kind of the results document the run writes; nil for `prepare`.
    public var resultKind: ResultKind? {
        switch self {
        case .prepare: return nil
        case .compress: return .compress
        case .finetune: return .finetune
        case .eval: return .eval
        case .bench: return .bench
        }
    }
}

/// One step of a study, with a key that stays the same as long as the spec does.
///
/// Keys are dot-separated: `<model>.<variant>.<kind>[.<runtime>[.<before|after>.t<threads>.b<batch>]]`,
/// where the variant is `original` or `<method>-<policy slug>.<state>`, for example
/// `resnet18.cp-ratio0.5.finetuned.bench.onnxruntime.after.t1.b1`. The results document of
/// a run is stored under its key.
public struct StudyRun: Sendable, Equatable, Identifiable {
    public var key: String
    public var kind: StudyRunKind
    /// Model name from the spec.
    public var model: String
    /// Decomposition method, or `none` for the original model.
    public var method: String
    public var rankPolicy: RankPolicy?
    /// State of the model that the run measures or writes.
    public var state: ModelState
    /// Runtime for `eval` and `bench`.
    public var runtime: String?
    public var optimized: Bool?
    public var threads: Int?
    public var batch: Int?
    /// Model file the run reads: the weightless graph for `prepare`, the original model for
    /// `compress`, the decomposed model for `finetune`, the measured model otherwise.
    public var input: URL
    /// Model file that `prepare`, `compress` and `finetune` write.
    public var output: URL?
    /// Original model that `finetune` distills from.
    public var teacher: URL?
    /// Keys of the runs that must finish first because they write `input`.
    public var dependencies: [String]

    public var id: String { key }

    /// The model file whose identity the results document records.
    public var measuredModel: URL { output ?? input }
}
