import Checkpoints
import Foundation
import Testing

/// Builds a safetensors file from a JSON header, padded to 8 bytes, and a data section.
private func safetensors(_ header: String, data: [UInt8]) -> [UInt8] {
    var json = Array(header.utf8)
    json += [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8)
    return le64(UInt64(json.count)) + json + data
}

private func safetensorsError(_ bytes: [UInt8]) -> CheckpointError? {
    do {
        _ = try loadStateDict(bytes: bytes, path: "model.safetensors")
        return nil
    } catch {
        return error as? CheckpointError
    }
}

private func expectMalformed(_ bytes: [UInt8], field: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .malformedSafetensors(_, let actualField, _) = safetensorsError(bytes) else {
        Issue.record("expected malformedSafetensors, got \(String(describing: safetensorsError(bytes)))", sourceLocation: sourceLocation)
        return
    }
    #expect(actualField == field, sourceLocation: sourceLocation)
}

@Test func safetensorsOverlappingOffsetsRejected() {
    let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
    expectMalformed(safetensors(header, data: [UInt8](repeating: 0, count: 12)), field: "b.data_offsets")
}

@Test func safetensorsOffsetsPastDataRejected() {
    let header = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
    expectMalformed(safetensors(header, data: [UInt8](repeating: 0, count: 8)), field: "a.data_offsets")
}

@Test func safetensorsGapRejected() {
    let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
    expectMalformed(safetensors(header, data: [UInt8](repeating: 0, count: 8)), field: "a.data_offsets")
}

@Test func safetensorsSizeMismatchRejected() {
    let header = #"{"a":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}}"#
    expectMalformed(safetensors(header, data: [UInt8](repeating: 0, count: 8)), field: "a.data_offsets")
}

@Test func safetensorsShapeOverflowRejected() {
    let header = #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#
    expectMalformed(safetensors(header, data: []), field: "a.data_offsets")
}

@Test func safetensorsNegativeOrFractionalShapeRejected() {
    for shape in ["[-1]", "[1.5]", "[true]"] {
        let header = #"{"a":{"dtype":"F32","shape":"# + shape + #","data_offsets":[0,4]}}"#
        expectMalformed(safetensors(header, data: [0, 0, 0, 0]), field: "a.shape")
    }
}

@Test func safetensorsOversizedHeaderRejected() {
    let bytes = le64(200_000_000) + Array("{}".utf8) + [UInt8](repeating: 0x20, count: 6)
    expectMalformed(bytes, field: "header length")
}

@Test func safetensorsHeaderPastEndRejected() {
    let bytes = le64(4096) + Array(#"{"a":1}"#.utf8)
    guard case .truncated = safetensorsError(bytes) else {
        Issue.record("expected truncated")
        return
    }
}

@Test func safetensorsUnsupportedDtypeNamed() {
    let header = #"{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#
    #expect(safetensorsError(safetensors(header, data: [UInt8](repeating: 0, count: 8)))
        == .unsupportedElementType(path: "model.safetensors", tensor: "a", type: "F64"))
}

@Test func safetensorsInvalidJSONRejected() {
    expectMalformed(safetensors(#"{"a": [1, 2"#, data: []), field: "header")
}
