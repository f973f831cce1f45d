import Foundation

/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast generator whose whole state
/// is one 64-bit word, so checkpoints can store it and resumed runs draw the same numbers.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform draw in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1 / Float(1 << 24))
    }

    /// Standard normal draw (Box–Muller transform).
    public mutating func nextNormal() -> Float {
        let u1 = max(Double(next() >> 11) * 0x1p-53, Double.leastNonzeroMagnitude)
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}

/// Mixes several words into one seed, so that independent streams (epoch, batch, node) never collide.
func mixSeed(_ words: UInt64...) -> UInt64 {
    var generator = SplitMix64(seed: 0x5851_F42D_4C95_7F2D)
    var result: UInt64 = 0
    for word in words {
        generator = SplitMix64(seed: generator.next() ^ word)
        result = generator.next()
    }
    return result
}
