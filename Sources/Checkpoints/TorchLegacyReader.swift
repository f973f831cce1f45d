/// Reads the legacy stream that torch.save wrote before torch 1.6 and still writes with
/// `_use_new_zipfile_serialization=False`. The stream is five pickles in a row: the magic
/// number 0x1950a86a20f9469cfc6c, the protocol version 1001, a sys_info dict, the object
/// itself and the list of storage keys. One record per key follows in the order of that list,
/// an int64 little-endian element count and then the storage's raw bytes.
struct TorchLegacyReader {
    static let protocolVersion = 1001

    let bytes: [UInt8]
    let path: String

    /// Storages met in persistent ids, by root key, filled while the object pickle loads.
    private final class StorageTable {
        var kinds: [String: StorageKind] = [:]
    }

    func readStateDict() throws -> [String: StoredTensor] {
        var position = 0
        try checkMagicNumber(try loadPickle(at: &position, entry: "pickle 1 (magic number)"))
        try checkProtocolVersion(try loadPickle(at: &position, entry: "pickle 2 (protocol version)"))
        try checkSystemInfo(try loadPickle(at: &position, entry: "pickle 3 (sys_info)"))

        let table = StorageTable()
        let object = try loadPickle(at: &position, entry: "pickle 4 (object)") { id, result in
            let reference = try Self.loadStorageReference(id, result)
            if case .storage(let storage) = reference { table.kinds[storage.key] = storage.kind }
            return reference
        }
        let keysStart = position
        let keys = try loadPickle(at: &position, entry: "pickle 5 (storage keys)")
        let storageRanges = try readStorages(keys: keys, kinds: table.kinds, keysOffset: keysStart, position: &position)

        return try extractStateDict(from: object, path: path, fileSize: bytes.count) { name, descriptor in
            guard let range = storageRanges[descriptor.storage.key] else {
                throw CheckpointError.malformedLegacyStream(
                    path: path, offset: keysStart, reason: "storage '\(descriptor.storage.key)' of tensor '\(name)' has no data record")
            }
            return try materialize(descriptor, name: name, bytes: bytes, storageRange: range, path: path)
        }
    }

    private func loadPickle(
        at position: inout Int, entry: String, persistentLoad: Unpickler.PersistentLoad? = nil
    ) throws -> PickleResult {
        var unpickler = Unpickler(bytes: bytes, range: position..<bytes.count, path: path, entry: entry, persistentLoad: persistentLoad)
        let result = try unpickler.load()
        position = unpickler.position
        return result
    }

    private func checkMagicNumber(_ result: PickleResult) throws {
        guard case .largeInt(let value) = result.root, value == CheckpointFormat.legacyMagic else {
            throw CheckpointError.malformedLegacyStream(path: path, offset: 0, reason: "the first pickle is not the magic number 0x1950a86a20f9469cfc6c")
        }
    }

    private func checkProtocolVersion(_ result: PickleResult) throws {
        guard case .int(let version) = result.root, version == Self.protocolVersion else {
            throw CheckpointError.malformedLegacyStream(
                path: path, offset: 0,
                reason: "the protocol version is not \(Self.protocolVersion)")
        }
    }

    /// Rejects streams from big-endian machines, whose storages would need byte swapping.
    /// sys_info records the byte order and C type sizes of the saving machine.
    private func checkSystemInfo(_ result: PickleResult) throws {
        guard let info = result.dictionary(result.root) else {
            throw CheckpointError.malformedLegacyStream(path: path, offset: 0, reason: "sys_info is not a dict")
        }
        if case .bool(false) = info.value(forKey: .string("little_endian")) ?? .bool(true) {
            throw CheckpointError.unsupportedByteOrder(path: path, byteOrder: "big")
        }
    }

    /// Decodes `('storage', storage_type, root_key, location, numel, view_metadata)`, where
    /// view_metadata is None or `(view_key, offset, size)` in elements of the root storage.
    static func loadStorageReference(_ id: PickleValue, _ result: PickleResult) throws -> PickleValue {
        guard let items = result.items(id), items.count == 6 else {
            throw PickleFailure(reason: "expected ('storage', storage_type, root_key, location, numel, view_metadata)")
        }
        var view: Range<Int>?
        if case .none = items[5] {
            view = nil
        } else {
            guard let metadata = result.items(items[5]), metadata.count == 3,
                case .int(let offset) = metadata[1], case .int(let size) = metadata[2],
                offset >= 0, size >= 0, offset <= Int.max - size
            else {
                throw PickleFailure(reason: "view_metadata is not None or (view_key, offset, size)")
            }
            view = offset..<(offset + size)
        }
        return .storage(try storageReference(items, in: result, view: view))
    }

    /// Reads the storage records after the key list and returns each key's byte range.
    private func readStorages(
        keys: PickleResult, kinds: [String: StorageKind], keysOffset: Int, position: inout Int
    ) throws -> [String: Range<Int>] {
        guard let keyValues = keys.items(keys.root) else {
            throw CheckpointError.malformedLegacyStream(path: path, offset: keysOffset, reason: "the storage key pickle is not a list")
        }
        var ranges: [String: Range<Int>] = [:]
        for keyValue in keyValues {
            guard case .string(let key) = keyValue, let kind = kinds[key] else {
                throw CheckpointError.malformedLegacyStream(
                    path: path, offset: keysOffset, reason: "the key list names \(keys.kindName(keyValue)) that no tensor references")
            }
            let entry = "storage '\(key)'"
            guard fits(position, 8, within: bytes.count) else {
                throw CheckpointError.truncated(path: path, entry: entry, offset: position, needed: 8)
            }
            let count = littleEndianUInt64(bytes, at: position)
            position += 8
            let elementSize = UInt64(kind.elementByteCount)
            guard count <= UInt64(bytes.count - position) / elementSize else {
                throw CheckpointError.truncated(
                    path: path, entry: entry, offset: position, needed: Int(clamping: count.multipliedReportingOverflow(by: elementSize).partialValue))
            }
            let byteCount = Int(count) * Int(elementSize)
            ranges[key] = position..<(position + byteCount)
            position += byteCount
        }
        return ranges
    }
}

extension StorageKind {
    /// Bytes per element, also for the types that are read past but not converted.
    var elementByteCount: Int {
        switch self {
        case .supported(let type): return type.byteCount
        case .unsupported(let name):
            switch name {
            case "DoubleStorage", "float64": return 8
            case "IntStorage", "int32": return 4
            case "ShortStorage", "int16": return 2
            default: return 1
            }
        }
    }
}
