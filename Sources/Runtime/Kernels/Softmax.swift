import Foundation

/// Softmax over rows: `outer` blocks of `axisLength × inner` elements, normalized along the
/// middle axis. Subtracts each row's maximum before `exp` so large logits do not overflow.
func softmax(
    input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, outer: Int, axisLength: Int, inner: Int,
    threads: Int
) {
    parallelFor(outer * inner, threads: threads, minimumChunk: max(1, 4096 / max(1, axisLength))) { range in
        for line in range {
            let block = line / inner
            let offset = block * axisLength * inner + line % inner
            let source = input + offset
            let out = output + offset
            var maximum = -Float.infinity
            for i in 0..<axisLength { maximum = max(maximum, source[i * inner]) }
            var sum: Float = 0
            for i in 0..<axisLength {
                let value = exp(source[i * inner] - maximum)
                out[i * inner] = value
                sum += value
            }
            let reciprocal = 1 / sum
            for i in 0..<axisLength { out[i * inner] *= reciprocal }
        }
    }
}
