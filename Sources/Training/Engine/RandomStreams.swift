import Graph

extension SplitMix64 {
    /// Uniform draw in [0, 1) with 24 random bits.
    mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1 / Float(1 << 24))
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
