import Decomposition
import LinearAlgebra

/// Builders of tensors with known structure, all from seeded `SplitMix64`.
enum Synthetic {
    static func normal(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
        var generator = SplitMix64(seed: seed)
        return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.nextNormal() })
    }

    /// Σ_r a⁰ᵣ ∘ a¹ᵣ ∘ … with standard normal factors.
    static func cp(_ shape: [Int], rank: Int, seed: UInt64) -> Tensor<Double> {
        let factors = shape.enumerated().map { normal([$0.element, rank], seed: seed &+ UInt64($0.offset)) }
        let rest = khatriRao(Array(factors.dropFirst()))
        return matmul(factors[0], rest, transposeB: true).reshaped(shape)
    }

    /// Random core times random (not orthonormal) factors.
    static func tucker(_ shape: [Int], ranks: [Int], seed: UInt64) -> Tensor<Double> {
        var x = normal(ranks, seed: seed)
        for (mode, extent) in shape.enumerated() {
            x = x.modeProduct(normal([extent, ranks[mode]], seed: seed &+ 100 &+ UInt64(mode)), mode: mode)
        }
        return x
    }

    /// Tensor train with bond ranks `ranks` (`d + 1` entries, ends 1).
    static func train(_ shape: [Int], ranks: [Int], seed: UInt64) -> Tensor<Double> {
        let cores = shape.indices.map { normal([ranks[$0], shape[$0], ranks[$0 + 1]], seed: seed &+ UInt64($0)) }
        return chain(cores).reshaped(shape)
    }

    /// Tensor ring with ring ranks `ranks` (`d` entries).
    static func ring(_ shape: [Int], ranks: [Int], seed: UInt64) -> Tensor<Double> {
        let d = shape.count
        let cores = shape.indices.map { normal([ranks[$0], shape[$0], ranks[($0 + 1) % d]], seed: seed &+ UInt64($0)) }
        let product = chain(cores)  // [r0 · N, r0]
        let r0 = ranks[0]
        let n = product.shape[0] / r0
        var values = [Double](repeating: 0, count: n)
        for a in 0..<r0 { for i in 0..<n { values[i] += product.scalars[(a * n + i) * r0 + a] } }
        return Tensor(shape: shape, scalars: values)
    }

    private static func chain(_ cores: [Tensor<Double>]) -> Tensor<Double> {
        var result = cores[0].reshaped([cores[0].shape[0] * cores[0].shape[1], cores[0].shape[2]])
        for core in cores.dropFirst() {
            let (r, n, next) = (core.shape[0], core.shape[1], core.shape[2])
            result = matmul(result, core.reshaped([r, n * next])).reshaped([result.shape[0] * n, next])
        }
        return result
    }

    /// He-normal-like weights with a decaying spectrum along every unfolding.
    static func decaying(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
        var x = normal(shape, seed: seed)
        for (mode, extent) in shape.enumerated() {
            var scale = Tensor<Double>(zeros: [extent, extent])
            for i in 0..<extent { scale[i, i] = 1 / (1 + Double(i) / 4) }
            x = x.modeProduct(scale, mode: mode)
        }
        return x
    }
}

func hasNonFinite<S: LAPACKScalar>(_ x: Tensor<S>) -> Bool { x.scalars.contains { !$0.isFinite } }
