import Foundation
import LinearAlgebra

/// Element types a checkpoint tensor may be stored as.
public enum StoredElementType: String, Sendable, Equatable {
    case float32, float16, bfloat16, int64
}

/// One tensor of a state dict: its shape, its stored element type, and its values widened to
/// Float32 (Int64 values converted exactly up to 2^24).
public struct StoredTensor: Sendable, Equatable {
    public var shape: [Int]
    public var elementType: StoredElementType
    public var values: [Float]

    public init(shape: [Int], elementType: StoredElementType, values: [Float]) {
        self.shape = shape
        self.elementType = elementType
        self.values = values
    }

    /// The values as a Float32 tensor of `shape`.
    public var tensor: Tensor<Float> { Tensor(shape: shape, scalars: values) }
}

/// Reads the state dict (parameter name → tensor) of a PyTorch checkpoint (zip format of
/// torch ≥ 1.6 or the legacy format) or a safetensors file, chosen by the file's first bytes.
public func loadStateDict(contentsOf url: URL) throws -> [String: StoredTensor] {
    throw CheckpointError.unsupportedFormat(path: url.path, reason: "checkpoint readers are not written yet")
}

/// Errors of the checkpoint readers.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case unsupportedFormat(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let path, let reason): return "\(path): not a supported checkpoint: \(reason)"
        }
    }
}
