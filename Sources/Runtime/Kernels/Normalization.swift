import Foundation

/// BatchNormalization in inference mode, reduced to `y = x * scale[c] + shift[c]` with
/// `scale = gamma / sqrt(variance + epsilon)` and `shift = beta - mean * scale`.
struct ChannelAffine {
    var scale: [Float]
    var shift: [Float]

    init(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float) {
        scale = zip(gamma, variance).map { $0 / ($1 + epsilon).squareRoot() }
        shift = (0..<gamma.count).map { beta[$0] - mean[$0] * (gamma[$0] / (variance[$0] + epsilon).squareRoot()) }
    }
}

/// Applies a per-channel affine map and an activation to NCHW data (axis 1), parallel over planes.
func applyChannelAffine(
    _ affine: ChannelAffine, activation: Activation, input: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>, batch: Int, channels: Int, plane: Int, threads: Int
) {
    parallelFor(batch * channels, threads: threads, minimumChunk: max(1, 8192 / max(1, plane))) { range in
        for index in range {
            let c = index % channels
            let scale = affine.scale[c]
            let shift = affine.shift[c]
            let source = input + index * plane
            let out = output + index * plane
            for i in 0..<plane { out[i] = source[i] * scale + shift }
            activation.apply(out, count: plane)
        }
    }
}
