import Foundation
import Graph
import LinearAlgebra

/// The pixel transform a grayscale model expects, stored in the model's `metadata_props`.
///
/// An input value is `(pixel · scale − mean[c]) / std[c]` for a raw pixel byte in 0…255 of
/// channel `c`. The keys, each optional:
///
/// | key | value | default |
/// | --- | --- | --- |
/// | `factorize.input.scale` | one number | `1/255` (0.00392156862745098) |
/// | `factorize.input.mean` | one number, or one per channel, comma-separated | `0` |
/// | `factorize.input.std` | one number, or one per channel, comma-separated | `1` |
///
/// A model without these keys therefore receives pixel/255, unnormalised. For example
/// Fashion-MNIST's usual normalisation is `factorize.input.mean = 0.2860`,
/// `factorize.input.std = 0.3530`.
public struct InputNormalization: Sendable, Equatable {
    public static let scaleKey = "factorize.input.scale"
    public static let meanKey = "factorize.input.mean"
    public static let stdKey = "factorize.input.std"

    public var scale: Float
    public var mean: [Float]
    public var std: [Float]

    public init(scale: Float = 1 / 255, mean: [Float] = [0], std: [Float] = [1]) {
        self.scale = scale
        self.mean = mean
        self.std = std
    }

    /// Reads the keys from `model.metadata`; `name` labels errors.
    /// - Throws: `EvaluationError.invalidMetadata` for a value that is not numbers, or a
    ///   standard deviation that is not positive.
    public init(metadataOf model: Model, name: String) throws {
        self.init()
        for (key, value) in model.metadata {
            guard [Self.scaleKey, Self.meanKey, Self.stdKey].contains(key) else { continue }
            let numbers = value.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
            guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil && $0!.isFinite }) else {
                throw EvaluationError.invalidMetadata(model: name, key: key, value: value)
            }
            let values = numbers.map { $0! }
            switch key {
            case Self.scaleKey:
                guard values.count == 1 else { throw EvaluationError.invalidMetadata(model: name, key: key, value: value) }
                scale = values[0]
            case Self.meanKey:
                mean = values
            default:
                guard values.allSatisfy({ $0 > 0 }) else {
                    throw EvaluationError.invalidMetadata(model: name, key: key, value: value)
                }
                std = values
            }
        }
    }

    /// True when the transform leaves pixel/255 unchanged.
    public var isIdentityOnUnitPixels: Bool {
        abs(scale * 255 - 1) < 1e-6 && mean.allSatisfy { $0 == 0 } && std.allSatisfy { $0 == 1 }
    }

    /// Applies the transform to images `[N, C, H, W]` whose values are pixel/255.
    public func apply(toUnitPixels images: Tensor<Float>) -> Tensor<Float> {
        if isIdentityOnUnitPixels { return images }
        let channels = images.shape[1]
        let plane = images.shape[2] * images.shape[3]
        let factor = scale * 255
        var scalars = images.scalars
        scalars.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices {
                let channel = (index / plane) % channels
                let mean = self.mean[mean.count == 1 ? 0 : min(channel, self.mean.count - 1)]
                let std = self.std[std.count == 1 ? 0 : min(channel, self.std.count - 1)]
                buffer[index] = (buffer[index] * factor - mean) / std
            }
        }
        return Tensor(shape: images.shape, scalars: scalars)
    }
}
