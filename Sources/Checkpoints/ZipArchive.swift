/// The entries of a zip archive, found through its central directory (PKWARE APPNOTE 6.3,
/// sections 4.3.12–4.3.16 and the ZIP64 records of 4.3.14–4.3.15). torch.save writes
/// uncompressed (STORED) entries with data descriptors, so the local headers carry zero
/// sizes and only the central directory has the true ones.
struct ZipArchive {
    /// One entry: its name and the byte range of its data within the archive.
    struct Entry {
        var name: String
        var data: Range<Int>
    }

    private(set) var entries: [String: Entry] = [:]
    private(set) var names: [String] = []

    private static let endOfCentralDirectorySignature: UInt32 = 0x0605_4b50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    private static let zip64EndSignature: UInt32 = 0x0606_4b50
    private static let centralHeaderSignature: UInt32 = 0x0201_4b50
    private static let localHeaderSignature: UInt32 = 0x0403_4b50

    private let bytes: [UInt8]
    private let path: String

    init(bytes: [UInt8], path: String) throws {
        self.bytes = bytes
        self.path = path
        let directory = try locateCentralDirectory()
        try readCentralDirectory(offset: directory.offset, size: directory.size, count: directory.count)
    }

    // MARK: - End of central directory

    private func locateCentralDirectory() throws -> (offset: Int, size: Int, count: Int) {
        let recordStart = try findEndOfCentralDirectory()
        var count = UInt64(littleEndianUInt16(bytes, at: recordStart + 10))
        var size = UInt64(littleEndianUInt32(bytes, at: recordStart + 12))
        var offset = UInt64(littleEndianUInt32(bytes, at: recordStart + 16))

        if count == 0xffff || size == 0xffff_ffff || offset == 0xffff_ffff {
            let zip64 = try readZip64End(recordStart: recordStart)
            (count, size, offset) = (zip64.count, zip64.size, zip64.offset)
        }
        guard offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset else {
            throw malformed(recordStart, "the central directory (offset \(offset), \(size) bytes) lies outside the file of \(bytes.count) bytes")
        }
        // Each central header takes at least 46 bytes, which bounds the declared entry count.
        guard count <= size / 46 else {
            throw malformed(recordStart, "\(count) entries cannot fit in a central directory of \(size) bytes")
        }
        return (Int(offset), Int(size), Int(count))
    }

    /// Searches backwards for the 22-byte end-of-central-directory record, which may be
    /// followed by a comment of up to 65535 bytes.
    private func findEndOfCentralDirectory() throws -> Int {
        guard bytes.count >= 22 else {
            throw CheckpointError.truncated(path: path, entry: "zip archive", offset: bytes.count, needed: 22)
        }
        let lowest = max(0, bytes.count - 22 - 0xffff)
        var start = bytes.count - 22
        while start >= lowest {
            if littleEndianUInt32(bytes, at: start) == Self.endOfCentralDirectorySignature,
                start + 22 + Int(littleEndianUInt16(bytes, at: start + 20)) == bytes.count
            {
                return start
            }
            start -= 1
        }
        throw CheckpointError.truncated(path: path, entry: "zip archive (end of central directory record)", offset: bytes.count, needed: 22)
    }

    private func readZip64End(recordStart: Int) throws -> (count: UInt64, size: UInt64, offset: UInt64) {
        let locator = recordStart - 20
        guard locator >= 0, littleEndianUInt32(bytes, at: locator) == Self.zip64LocatorSignature else {
            throw malformed(recordStart, "the end record has ZIP64 placeholder values but no ZIP64 locator precedes it")
        }
        let endOffset = littleEndianUInt64(bytes, at: locator + 8)
        guard endOffset <= UInt64(locator), fits(Int(endOffset), 56, within: locator),
            littleEndianUInt32(bytes, at: Int(endOffset)) == Self.zip64EndSignature
        else {
            throw malformed(locator, "the ZIP64 locator points at offset \(endOffset), where no ZIP64 end record is")
        }
        let start = Int(endOffset)
        return (
            littleEndianUInt64(bytes, at: start + 32), littleEndianUInt64(bytes, at: start + 40),
            littleEndianUInt64(bytes, at: start + 48)
        )
    }

    // MARK: - Central directory

    private mutating func readCentralDirectory(offset: Int, size: Int, count: Int) throws {
        let end = offset + size
        var position = offset
        for _ in 0..<count {
            guard fits(position, 46, within: end), littleEndianUInt32(bytes, at: position) == Self.centralHeaderSignature else {
                throw malformed(position, "expected a central directory header")
            }
            let nameLength = Int(littleEndianUInt16(bytes, at: position + 28))
            let extraLength = Int(littleEndianUInt16(bytes, at: position + 30))
            let commentLength = Int(littleEndianUInt16(bytes, at: position + 32))
            let recordLength = 46 + nameLength + extraLength + commentLength
            guard fits(position, recordLength, within: end) else {
                throw malformed(position, "central directory header of \(recordLength) bytes overruns the directory")
            }
            let name = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            let entry = try readEntry(header: position, name: name, extra: (position + 46 + nameLength)..<(position + 46 + nameLength + extraLength))
            if entries.updateValue(entry, forKey: name) == nil { names.append(name) }
            position += recordLength
        }
    }

    private func readEntry(header: Int, name: String, extra: Range<Int>) throws -> Entry {
        let method = Int(littleEndianUInt16(bytes, at: header + 10))
        guard method == 0 else { throw CheckpointError.compressedEntry(path: path, entry: name, method: method) }

        var compressedSize = UInt64(littleEndianUInt32(bytes, at: header + 20))
        var size = UInt64(littleEndianUInt32(bytes, at: header + 24))
        var localOffset = UInt64(littleEndianUInt32(bytes, at: header + 42))
        if size == 0xffff_ffff || compressedSize == 0xffff_ffff || localOffset == 0xffff_ffff {
            // The ZIP64 extra field (id 1) holds, in this order, only the fields set to 0xffffffff.
            guard var field = zip64ExtraField(extra) else {
                throw malformed(header, "entry '\(name)' has ZIP64 placeholder sizes but no ZIP64 extra field")
            }
            func next() throws -> UInt64 {
                guard fits(field.lowerBound, 8, within: field.upperBound) else {
                    throw malformed(header, "the ZIP64 extra field of entry '\(name)' is too short")
                }
                defer { field = (field.lowerBound + 8)..<field.upperBound }
                return littleEndianUInt64(bytes, at: field.lowerBound)
            }
            if size == 0xffff_ffff { size = try next() }
            if compressedSize == 0xffff_ffff { compressedSize = try next() }
            if localOffset == 0xffff_ffff { localOffset = try next() }
        }
        guard compressedSize == size else {
            throw malformed(header, "stored entry '\(name)' has compressed size \(compressedSize) but size \(size)")
        }
        guard localOffset <= UInt64(bytes.count), fits(Int(localOffset), 30, within: bytes.count),
            littleEndianUInt32(bytes, at: Int(localOffset)) == Self.localHeaderSignature
        else {
            throw malformed(header, "entry '\(name)' points at offset \(localOffset), where no local header is")
        }
        let local = Int(localOffset)
        let dataStart = local + 30 + Int(littleEndianUInt16(bytes, at: local + 26)) + Int(littleEndianUInt16(bytes, at: local + 28))
        guard size <= UInt64(bytes.count), fits(dataStart, Int(size), within: bytes.count) else {
            throw CheckpointError.truncated(path: path, entry: name, offset: dataStart, needed: Int(clamping: size))
        }
        return Entry(name: name, data: dataStart..<(dataStart + Int(size)))
    }

    /// Finds the data range of the ZIP64 extended-information field in an extra-field block.
    private func zip64ExtraField(_ extra: Range<Int>) -> Range<Int>? {
        var position = extra.lowerBound
        while fits(position, 4, within: extra.upperBound) {
            let id = littleEndianUInt16(bytes, at: position)
            let length = Int(littleEndianUInt16(bytes, at: position + 2))
            guard fits(position + 4, length, within: extra.upperBound) else { return nil }
            if id == 1 { return (position + 4)..<(position + 4 + length) }
            position += 4 + length
        }
        return nil
    }

    private func malformed(_ offset: Int, _ reason: String) -> CheckpointError {
        .malformedZip(path: path, offset: offset, reason: reason)
    }
}
