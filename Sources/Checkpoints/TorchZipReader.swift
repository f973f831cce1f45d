/// Reads the zip checkpoints torch.save writes since torch 1.6: one top-level folder (named
/// after the file, such as `archive/` or `resnet18/`) holding `data.pkl`, the pickled object,
/// `byteorder`, and `data/<key>` with the raw bytes of each storage.
struct TorchZipReader {
    let bytes: [UInt8]
    let path: String

    func readStateDict() throws -> [String: StoredTensor] {
        let archive = try ZipArchive(bytes: bytes, path: path)
        let folder = try findFolder(archive)
        try checkByteOrder(archive, folder: folder)

        let pickleName = folder + "data.pkl"
        guard let pickle = archive.entries[pickleName] else { throw CheckpointError.missingEntry(path: path, entry: pickleName) }
        var unpickler = Unpickler(
            bytes: bytes, range: pickle.data, path: path, entry: pickleName, persistentLoad: Self.loadStorageReference)
        let result = try unpickler.load()

        return try extractStateDict(from: result, path: path, fileSize: bytes.count) { name, descriptor in
            let storageName = folder + "data/" + descriptor.storage.key
            guard let storage = archive.entries[storageName] else {
                throw CheckpointError.missingEntry(path: path, entry: storageName)
            }
            return try materialize(descriptor, name: name, bytes: bytes, storageRange: storage.data, path: path)
        }
    }

    /// Finds the `<folder>/` prefix of the entry `<folder>/data.pkl`.
    private func findFolder(_ archive: ZipArchive) throws -> String {
        for name in archive.names where name.hasSuffix("/data.pkl") {
            let folder = name.dropLast("data.pkl".count)
            if folder.dropLast().contains("/") == false { return String(folder) }
        }
        throw CheckpointError.missingEntry(path: path, entry: "<folder>/data.pkl")
    }

    /// Archives written before torch 1.10 have no `byteorder` record and are little-endian.
    private func checkByteOrder(_ archive: ZipArchive, folder: String) throws {
        guard let record = archive.entries[folder + "byteorder"] else { return }
        let byteOrder = String(decoding: bytes[record.data.prefix(16)], as: UTF8.self)
        guard byteOrder == "little" else { throw CheckpointError.unsupportedByteOrder(path: path, byteOrder: byteOrder) }
    }

    /// Decodes `('storage', storage_type, key, location, numel)`.
    static func loadStorageReference(_ id: PickleValue, _ result: PickleResult) throws -> PickleValue {
        guard let items = result.items(id), items.count == 5 else {
            throw PickleFailure(reason: "expected ('storage', storage_type, key, location, numel)")
        }
        return .storage(try storageReference(items, in: result, view: nil))
    }
}

/// Decodes the fields shared by zip and legacy persistent ids: the 'storage' tag, the storage
/// class, the key (a string), the location (such as 'cpu' or 'cuda:0', ignored because all
/// storages load to memory) and the element count.
func storageReference(_ items: [PickleValue], in result: PickleResult, view: Range<Int>?) throws -> StorageReference {
    guard case .string("storage") = items[0] else {
        throw PickleFailure(reason: "the tag is \(result.kindName(items[0])), not 'storage'")
    }
    let kind: StorageKind
    switch items[1] {
    case .global(.storageType(let storageKind)), .global(.dtype(let storageKind)): kind = storageKind
    default: throw PickleFailure(reason: "the storage type is \(result.kindName(items[1])), not a torch storage class")
    }
    guard case .string(let key) = items[2], !key.isEmpty, !key.contains("/") else {
        throw PickleFailure(reason: "the storage key is not a plain name")
    }
    guard case .int(let count) = items[4], count >= 0 else {
        throw PickleFailure(reason: "the element count is not a non-negative int")
    }
    return StorageReference(key: key, kind: kind, declaredCount: count, view: view)
}
