import Checkpoints
import Foundation
import Testing

private func expectMatchesTorch(_ stateDict: [String: StoredTensor]) throws {
    let expected = try CheckpointFixtures.expected()
    #expect(Set(stateDict.keys) == Set(expected.keys))
    for (name, reference) in expected {
        let tensor = try #require(stateDict[name], "missing tensor \(name)")
        #expect(tensor.shape == reference.shape, "shape of \(name)")
        #expect(tensor.elementType.rawValue == reference.type, "element type of \(name)")
        #expect(tensor.values.map(\.bitPattern) == reference.bits, "values of \(name)")
    }
}

@Test func zipFixtureMatchesTorch() throws {
    try expectMatchesTorch(try loadStateDict(contentsOf: CheckpointFixtures.url("small.pt")))
}

@Test func legacyFixtureMatchesTorch() throws {
    try expectMatchesTorch(try loadStateDict(contentsOf: CheckpointFixtures.url("small-legacy.pt")))
}

@Test func wrappedCheckpointYieldsInnerStateDict() throws {
    try expectMatchesTorch(try loadStateDict(contentsOf: CheckpointFixtures.url("wrapped.pt")))
}

@Test func safetensorsFixtureValues() throws {
    let stateDict = try loadStateDict(contentsOf: CheckpointFixtures.url("small.safetensors"))
    #expect(Set(stateDict.keys) == ["a.f32", "b.f16", "c.bf16", "d.i64"])
    #expect(stateDict["a.f32"] == StoredTensor(shape: [2, 2], elementType: .float32, values: [1, -2.5, 0.125, 7]))
    // 6.1e-5 rounds to the float16 subnormal 0x03ff = 1023 × 2^-24.
    #expect(stateDict["b.f16"] == StoredTensor(shape: [3], elementType: .float16, values: [1, -0.25, 1023 * 0x1p-24]))
    #expect(stateDict["c.bf16"] == StoredTensor(shape: [2], elementType: .bfloat16, values: [1, -3.140625]))
    #expect(stateDict["d.i64"] == StoredTensor(shape: [], elementType: .int64, values: [-42]))
}

@Test func storedTensorConvertsToTensor() throws {
    let stateDict = try loadStateDict(contentsOf: CheckpointFixtures.url("small.pt"))
    let weight = try #require(stateDict["transposed"])
    #expect(weight.tensor.shape == [3, 2])
    #expect(weight.tensor.scalars == [1.5, 0, -2, -0.0, 3.25, 1e-3])
}

@Test func missingFileRejectedAsUnreadable() {
    #expect {
        try loadStateDict(contentsOf: CheckpointFixtures.url("absent.pt"))
    } throws: { error in
        guard case CheckpointError.unreadableFile = error else { return false }
        return true
    }
}
