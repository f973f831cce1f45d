import Checkpoints
import Foundation
import Testing

/// Loads bytes and returns the thrown CheckpointError, or nil when loading succeeds.
private func loadError(_ bytes: [UInt8], path: String = "test.pt") -> CheckpointError? {
    do {
        _ = try loadStateDict(bytes: bytes, path: path)
        return nil
    } catch let error as CheckpointError {
        return error
    } catch {
        return nil
    }
}

private func zipCheckpoint(pickle: [UInt8], storages: [String: [Float]] = [:], byteOrder: String = "little") -> [UInt8] {
    var writer = ZipWriter()
    writer.add("archive/data.pkl", pickle)
    writer.add("archive/byteorder", text: byteOrder)
    for (key, values) in storages.sorted(by: { $0.key < $1.key }) {
        writer.add("archive/data/\(key)", values.flatMap { le32($0.bitPattern) })
    }
    return writer.archive()
}

// MARK: - Pickles

@Test func handBuiltZipCheckpointLoads() throws {
    let pickle = Pickle.stateDict(name: "w", key: "0", count: 4, offset: 1, shape: [3], strides: [1], legacy: false)
    let stateDict = try loadStateDict(bytes: zipCheckpoint(pickle: pickle, storages: ["0": [1, 2, 3, 4]]), path: "hand.pt")
    #expect(stateDict == ["w": StoredTensor(shape: [3], elementType: .float32, values: [2, 3, 4])])
}

@Test func osSystemGlobalRejected() {
    // os.system("echo pwned") through GLOBAL and REDUCE.
    let pickle = Pickle.proto + Pickle.global("os", "system") + Pickle.mark + Pickle.string("echo pwned") + Pickle.tuple
        + Pickle.reduce + Pickle.stop
    let error = loadError(zipCheckpoint(pickle: pickle))
    guard case .forbiddenGlobal(let path, let entry, let global, let offset) = error else {
        Issue.record("expected forbiddenGlobal, got \(String(describing: error))")
        return
    }
    #expect(path == "test.pt")
    #expect(entry == "archive/data.pkl")
    #expect(global == "os.system")
    #expect(offset > 0)
}

@Test func stackGlobalOfBuiltinsEvalRejected() {
    let pickle = [0x80, 0x04] + [0x8c, 8] + Array("builtins".utf8) + [0x8c, 4] + Array("eval".utf8) + [0x93] + Pickle.stop
    guard case .forbiddenGlobal(_, _, let global, _) = loadError(zipCheckpoint(pickle: pickle)) else {
        Issue.record("expected forbiddenGlobal")
        return
    }
    #expect(global == "builtins.eval")
}

@Test func opcodeOutsideSetRejectedWithOffset() {
    // EMPTY_SET (0x8f) at offset 2 of the pickle.
    let pickle: [UInt8] = [0x80, 0x04, 0x8f, 0x2e]
    var writer = ZipWriter()
    writer.add("archive/data.pkl", pickle)
    let archive = writer.archive()
    guard case .unsupportedOpcode(_, let entry, let opcode, let offset) = loadError(archive) else {
        Issue.record("expected unsupportedOpcode")
        return
    }
    #expect(entry == "archive/data.pkl")
    #expect(opcode == 0x8f)
    // The local header of the first entry is 30 bytes plus the name.
    #expect(offset == 30 + "archive/data.pkl".utf8.count + 2)
}

@Test func instOpcodeRejected() {
    // INST ('i') would import and call a class by its text name.
    let pickle = Pickle.proto + Pickle.mark + Array("ios\nsystem\n".utf8) + Pickle.stop
    guard case .unsupportedOpcode(_, _, let opcode, _) = loadError(zipCheckpoint(pickle: pickle)) else {
        Issue.record("expected unsupportedOpcode")
        return
    }
    #expect(opcode == UInt8(ascii: "i"))
}

@Test func storageOffsetPastEndRejected() {
    let pickle = Pickle.stateDict(name: "w", key: "0", count: 4, offset: 3, shape: [2], strides: [1], legacy: false)
    guard case .storageOutOfRange(_, let tensor, _) = loadError(zipCheckpoint(pickle: pickle, storages: ["0": [1, 2, 3, 4]])) else {
        Issue.record("expected storageOutOfRange")
        return
    }
    #expect(tensor == "w")
}

@Test func strideBeyondStorageRejected() {
    let pickle = Pickle.stateDict(name: "w", key: "0", count: 4, offset: 0, shape: [2, 2], strides: [3, 1], legacy: false)
    guard case .storageOutOfRange = loadError(zipCheckpoint(pickle: pickle, storages: ["0": [1, 2, 3, 4]])) else {
        Issue.record("expected storageOutOfRange")
        return
    }
}

@Test func emptyTensorWithHugeOffsetLoads() throws {
    // size (0, 2) at storage offset 255 of a 4-element storage reads no element.
    let pickle = Pickle.stateDict(name: "w", key: "0", count: 4, offset: 255, shape: [0, 2], strides: [2, 1], legacy: false)
    let stateDict = try loadStateDict(bytes: zipCheckpoint(pickle: pickle, storages: ["0": [1, 2, 3, 4]]), path: "empty.pt")
    #expect(stateDict["w"] == StoredTensor(shape: [0, 2], elementType: .float32, values: []))
}

@Test func hugeStrideOnUnitAxisLoads() throws {
    // Axis 1 has size 1 and stride Int.max (as LONG1), axis 0 walks elements 0 and 2.
    var pickle = Pickle.stateDict(name: "w", key: "0", count: 4, offset: 0, shape: [2, 1], strides: [2, 255], legacy: false)
    pickle.replaceSubrange(pickle.firstRange(of: [0x4b, 0xff])!, with: [0x8a, 8] + le64(UInt64(Int.max)))
    let stateDict = try loadStateDict(bytes: zipCheckpoint(pickle: pickle, storages: ["0": [1, 2, 3, 4]]), path: "unit.pt")
    #expect(stateDict["w"]?.values == [1, 3])
}

@Test func zeroStrideExpansionRejected() {
    // A 250-element view with stride 0 of a single stored element.
    let pickle = Pickle.stateDict(name: "w", key: "0", count: 1, offset: 0, shape: [250, 250], strides: [0, 0], legacy: false)
    let archive = zipCheckpoint(pickle: pickle, storages: ["0": [1]])
    #expect(archive.count * 4 < 250 * 250)
    guard case .expansionLimitExceeded(_, let tensor, _) = loadError(archive) else {
        Issue.record("expected expansionLimitExceeded")
        return
    }
    #expect(tensor == "w")
}

@Test func declaredCountDisagreeingWithDataRejected() {
    let pickle = Pickle.stateDict(name: "w", key: "0", count: 8, offset: 0, shape: [2], strides: [1], legacy: false)
    guard case .storageOutOfRange = loadError(zipCheckpoint(pickle: pickle, storages: ["0": [1, 2, 3, 4]])) else {
        Issue.record("expected storageOutOfRange")
        return
    }
}

@Test func unsupportedStorageTypeNamed() {
    var pickle = Pickle.stateDict(name: "w", key: "0", count: 2, offset: 0, shape: [2], strides: [1], legacy: false)
    // GLOBAL names end at a newline, so the longer class name needs no other change.
    if let range = pickle.firstRange(of: Array("FloatStorage".utf8)) {
        pickle.replaceSubrange(range, with: Array("DoubleStorage".utf8))
    }
    let archive = zipCheckpoint(pickle: pickle, storages: ["0": [1, 2, 3, 4]])
    guard case .unsupportedElementType(_, let tensor, let type) = loadError(archive) else {
        Issue.record("expected unsupportedElementType")
        return
    }
    #expect(tensor == "w")
    #expect(type == "DoubleStorage")
}

@Test func missingStorageEntryRejected() {
    let pickle = Pickle.stateDict(name: "w", key: "7", count: 2, offset: 0, shape: [2], strides: [1], legacy: false)
    guard case .missingEntry(_, let entry) = loadError(zipCheckpoint(pickle: pickle)) else {
        Issue.record("expected missingEntry")
        return
    }
    #expect(entry == "archive/data/7")
}

@Test func memoGetOfUnsetIndexRejected() {
    let pickle = Pickle.proto + [0x68, 5] + Pickle.stop
    guard case .malformedPickle = loadError(zipCheckpoint(pickle: pickle)) else {
        Issue.record("expected malformedPickle")
        return
    }
}

@Test func selfContainingListRejectedWithoutCrash() {
    // l = []; l.append(l); {"w": l}
    let pickle = Pickle.proto + Pickle.emptyDict + Pickle.string("w") + [0x5d, 0x71, 0, 0x68, 0, 0x61] + Pickle.setItem + Pickle.stop
    guard case .notAStateDict = loadError(zipCheckpoint(pickle: pickle)) else {
        Issue.record("expected notAStateDict")
        return
    }
}

@Test func deepTupleNestingReleasedWithoutCrash() {
    // 500,000 nested 1-tuples: values reference containers by index, so releasing them
    // does not recurse.
    let pickle = Pickle.proto + Pickle.emptyTuple + [UInt8](repeating: 0x85, count: 500_000) + Pickle.stop
    guard case .notAStateDict = loadError(zipCheckpoint(pickle: pickle)) else {
        Issue.record("expected notAStateDict")
        return
    }
}

@Test func markNestingLimitEnforced() {
    let pickle = Pickle.proto + [UInt8](repeating: 0x28, count: 70_000) + Pickle.stop
    guard case .limitExceeded = loadError(zipCheckpoint(pickle: pickle)) else {
        Issue.record("expected limitExceeded")
        return
    }
}

@Test func oversizedStringLengthRejectedAsTruncated() {
    let pickle = Pickle.proto + [0x58] + le32(0xffff_fff0) + Array("abc".utf8)
    guard case .truncated = loadError(zipCheckpoint(pickle: pickle)) else {
        Issue.record("expected truncated")
        return
    }
}

// MARK: - Zip containers

@Test func truncatedZipRejected() throws {
    let bytes = try CheckpointFixtures.bytes("small.pt")
    for length in [10, bytes.count / 2, bytes.count - 1] {
        let error = loadError(Array(bytes.prefix(length)))
        switch error {
        case .truncated, .malformedZip: break
        default: Issue.record("prefix of \(length) bytes: expected truncated or malformedZip, got \(String(describing: error))")
        }
    }
}

@Test func compressedEntryRejected() {
    var writer = ZipWriter()
    writer.add("archive/data.pkl", [0x80, 0x02, 0x7d, 0x2e], method: 8)
    guard case .compressedEntry(_, let entry, let method) = loadError(writer.archive()) else {
        Issue.record("expected compressedEntry")
        return
    }
    #expect(entry == "archive/data.pkl")
    #expect(method == 8)
}

@Test func bigEndianArchiveRejected() {
    let archive = zipCheckpoint(pickle: Pickle.proto + Pickle.emptyDict + Pickle.stop, byteOrder: "big")
    #expect(loadError(archive) == .unsupportedByteOrder(path: "test.pt", byteOrder: "big"))
}

@Test func archiveWithoutDataPickleRejected() {
    var writer = ZipWriter()
    writer.add("archive/byteorder", text: "little")
    guard case .missingEntry = loadError(writer.archive()) else {
        Issue.record("expected missingEntry")
        return
    }
}

@Test func modelKeyOfTrainingCheckpointUsed() throws {
    // {"epoch": 1, "model": {"w": tensor}}
    var inner = Pickle.stateDict(name: "w", key: "0", count: 1, offset: 0, shape: [], strides: [], legacy: false)
    inner.removeFirst(2)
    inner.removeLast()
    let pickle = Pickle.proto + Pickle.emptyDict + Pickle.string("epoch") + Pickle.int(1) + Pickle.setItem
        + Pickle.string("model") + inner + Pickle.setItem + Pickle.stop
    let stateDict = try loadStateDict(bytes: zipCheckpoint(pickle: pickle, storages: ["0": [9]]), path: "train.pt")
    #expect(stateDict == ["w": StoredTensor(shape: [], elementType: .float32, values: [9])])
}

@Test func topFolderNameMayVary() throws {
    var writer = ZipWriter()
    writer.add("resnet18/data.pkl", Pickle.stateDict(name: "w", key: "0", count: 1, offset: 0, shape: [], strides: [], legacy: false))
    writer.add("resnet18/data/0", le32(Float(2.5).bitPattern))
    let stateDict = try loadStateDict(bytes: writer.archive(), path: "resnet18.pth")
    #expect(stateDict["w"] == StoredTensor(shape: [], elementType: .float32, values: [2.5]))
}

@Test func zip64ArchiveLoads() throws {
    var writer = ZipWriter()
    writer.add("archive/data.pkl", Pickle.stateDict(name: "w", key: "0", count: 2, offset: 0, shape: [2], strides: [1], legacy: false))
    writer.add("archive/data/0", le32(Float(1.5).bitPattern) + le32(Float(-4).bitPattern))
    let stateDict = try loadStateDict(bytes: writer.archive(zip64: true), path: "zip64.pt")
    #expect(stateDict["w"] == StoredTensor(shape: [2], elementType: .float32, values: [1.5, -4]))
}

@Test func zipCommentAfterEndRecordAccepted() throws {
    var archive = zipCheckpoint(pickle: Pickle.stateDict(name: "w", key: "0", count: 1, offset: 0, shape: [], strides: [], legacy: false), storages: ["0": [3]])
    // Rewrite the comment length (last two bytes) and append the comment.
    archive.replaceSubrange((archive.count - 2)..<archive.count, with: le16(5))
    archive += Array("hello".utf8)
    #expect(try loadStateDict(bytes: archive, path: "comment.pt")["w"]?.values == [3])
}

// MARK: - Legacy streams

@Test func python2StringsInLegacyStreamAccepted() throws {
    // Python 2 pickles str as SHORT_BINSTRING ('U'), as in checkpoints from 2017.
    var object = Pickle.stateDict(name: "w", key: "9", count: 1, offset: 0, shape: [], strides: [], legacy: true)
    let binunicodeName = Pickle.string("w")
    if let range = object.firstRange(of: binunicodeName) { object.replaceSubrange(range, with: [0x55, 1, UInt8(ascii: "w")]) }
    let stream = legacyStream(object: object, storages: [("9", [7])])
    #expect(try loadStateDict(bytes: stream, path: "py2.pth")["w"]?.values == [7])
}

@Test func legacyRebuildTensorWithFourArgumentsAccepted() throws {
    // torch before 0.4 pickled tensors as _rebuild_tensor(storage, offset, size, stride).
    var object = Pickle.stateDict(name: "w", key: "9", count: 4, offset: 0, shape: [2, 2], strides: [1, 2], legacy: true)
    object.replaceSubrange(object.firstRange(of: Array("_rebuild_tensor_v2".utf8))!, with: Array("_rebuild_tensor".utf8))
    let trailingArguments = [0x89] + Pickle.none + Pickle.tuple + Pickle.reduce
    object.replaceSubrange(object.firstRange(of: trailingArguments)!, with: Pickle.tuple + Pickle.reduce)
    let stream = legacyStream(object: object, storages: [("9", [1, 2, 3, 4])])
    #expect(try loadStateDict(bytes: stream, path: "old.pth")["w"]?.values == [1, 3, 2, 4])
}

@Test func legacyStorageViewHonoured() throws {
    // view_metadata ('v', 2, 3) selects elements 2..<5 of the root storage.
    var object = Pickle.stateDict(name: "w", key: "9", count: 6, offset: 1, shape: [2], strides: [1], legacy: true)
    let view = Pickle.mark + Pickle.string("v") + Pickle.int(2) + Pickle.int(3) + Pickle.tuple
    let noneThenTuple = Pickle.none + Pickle.tuple + Pickle.persistentID
    if let range = object.firstRange(of: noneThenTuple) { object.replaceSubrange(range, with: view + Pickle.tuple + Pickle.persistentID) }
    let stream = legacyStream(object: object, storages: [("9", [0, 1, 2, 3, 4, 5])])
    #expect(try loadStateDict(bytes: stream, path: "view.pth")["w"]?.values == [3, 4])
}

@Test func handBuiltLegacyStreamLoads() throws {
    let object = Pickle.stateDict(name: "w", key: "9", count: 3, offset: 0, shape: [3], strides: [1], legacy: true)
    let stream = legacyStream(object: object, storages: [("9", [4, 5, 6])])
    #expect(try loadStateDict(bytes: stream, path: "x.pth") == ["w": StoredTensor(shape: [3], elementType: .float32, values: [4, 5, 6])])
}

@Test func truncatedLegacyStreamRejected() throws {
    let bytes = try CheckpointFixtures.bytes("small-legacy.pt")
    for length in [20, bytes.count / 2, bytes.count - 1] {
        guard case .truncated = loadError(Array(bytes.prefix(length))) else {
            Issue.record("prefix of \(length) bytes: expected truncated")
            continue
        }
    }
}

@Test func legacyBigEndianRejected() {
    let object = Pickle.proto + Pickle.emptyDict + Pickle.stop
    let stream = legacyStream(object: object, storages: [], littleEndian: false)
    #expect(loadError(stream) == .unsupportedByteOrder(path: "test.pt", byteOrder: "big"))
}

@Test func legacyRecordCountPastEndRejected() {
    let object = Pickle.stateDict(name: "w", key: "9", count: 3, offset: 0, shape: [3], strides: [1], legacy: true)
    var stream = legacyStream(object: object, storages: [("9", [4, 5, 6])])
    // Overwrite the record's element count (8 bytes before the 12 data bytes) with 2^40.
    stream.replaceSubrange((stream.count - 20)..<(stream.count - 12), with: le64(1 << 40))
    guard case .truncated(_, let entry, _, _) = loadError(stream) else {
        Issue.record("expected truncated")
        return
    }
    #expect(entry == "storage '9'")
}

@Test func legacyUnreferencedKeyRejected() {
    let object = Pickle.proto + Pickle.emptyDict + Pickle.stop
    guard case .malformedLegacyStream = loadError(legacyStream(object: object, storages: [("3", [1])])) else {
        Issue.record("expected malformedLegacyStream")
        return
    }
}
