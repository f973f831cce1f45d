import Foundation

// libFuzzer entry point for the checkpoint readers. Each input is read three ways: as a
// whole checkpoint file (zip, legacy or safetensors, by its first bytes), as a zip-format
// data.pkl whose storages all resolve to one 64-byte buffer, and as the object pickle of a
// legacy stream. Thrown CheckpointErrors are expected. Crashes, sanitizer reports, other
// error types and memory blow-ups are bugs.

private let fakeStorage = [UInt8](repeating: 0x3c, count: 64)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoints(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = start.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    expectOnlyCheckpointErrors { checkShapes(try loadStateDict(bytes: bytes, path: "input")) }
    expectOnlyCheckpointErrors { checkShapes(try loadZipPickle(bytes)) }
    expectOnlyCheckpointErrors { checkShapes(try loadStateDict(bytes: legacyHeader + bytes, path: "legacy input")) }
    return 0
}

/// Traps unless every tensor has exactly as many values as its shape has elements.
private func checkShapes(_ stateDict: [String: StoredTensor]) {
    for (name, tensor) in stateDict where elementCount(tensor.shape) != tensor.values.count {
        fatalError("tensor '\(name)' of shape \(tensor.shape) has \(tensor.values.count) values")
    }
}

private func loadZipPickle(_ bytes: [UInt8]) throws -> [String: StoredTensor] {
    var unpickler = Unpickler(
        bytes: bytes, range: 0..<bytes.count, path: "input", entry: "data.pkl",
        persistentLoad: TorchZipReader.loadStorageReference)
    let result = try unpickler.load()
    return try extractStateDict(from: result, path: "input", fileSize: bytes.count) { name, descriptor in
        try materialize(descriptor, name: name, bytes: fakeStorage, storageRange: 0..<fakeStorage.count, path: "input")
    }
}

/// The magic number, protocol version and sys_info pickles that open a legacy stream.
private let legacyHeader: [UInt8] =
    [0x80, 0x02, 0x8a, 0x0a] + CheckpointFormat.legacyMagic + [0x2e] + [0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e] + [0x80, 0x02, 0x7d, 0x2e]

private func expectOnlyCheckpointErrors(_ body: () throws -> Void) {
    do {
        try body()
    } catch is CheckpointError {
        return
    } catch {
        fatalError("a reader threw \(type(of: error)) instead of CheckpointError: \(error)")
    }
}
