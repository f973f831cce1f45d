import Checkpoints
import Foundation

/// The committed fixtures beside this file, written by Fixtures/make_fixtures.py.
enum CheckpointFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(name))) }

    /// A tensor as torch saved it: shape, dtype name and the float32 bit patterns of
    /// `tensor.float()` in row-major order.
    struct ExpectedTensor: Decodable {
        var shape: [Int]
        var type: String
        var bits: [UInt32]
    }

    static func expected(_ name: String = "expected.json") throws -> [String: ExpectedTensor] {
        try JSONDecoder().decode([String: ExpectedTensor].self, from: Data(contentsOf: url(name)))
    }
}

/// Builds zip archives with STORED entries, for tests that need archives torch does not write.
struct ZipWriter {
    var entries: [(name: String, data: [UInt8], method: UInt16)] = []

    mutating func add(_ name: String, _ data: [UInt8], method: UInt16 = 0) {
        entries.append((name, data, method))
    }

    mutating func add(_ name: String, text: String) { add(name, Array(text.utf8)) }

    /// Assembles the archive. With `zip64`, the central directory stores sizes and offsets in
    /// ZIP64 extra fields and the end record points to a ZIP64 end record, as writers do for
    /// archives over 4 GiB.
    func archive(zip64: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let localOffset = output.count
            let name = Array(entry.name.utf8)
            let size = UInt32(entry.data.count)
            output += le32(0x0403_4b50) + le16(20) + le16(0) + le16(entry.method) + le16(0) + le16(0)
            output += le32(0) + le32(zip64 ? 0 : size) + le32(zip64 ? 0 : size)
            output += le16(UInt16(name.count)) + le16(0) + name + entry.data

            let extra = zip64 ? le16(1) + le16(24) + le64(UInt64(size)) + le64(UInt64(size)) + le64(UInt64(localOffset)) : []
            let placeholder: UInt32 = 0xffff_ffff
            central += le32(0x0201_4b50) + le16(45) + le16(45) + le16(0) + le16(entry.method) + le16(0) + le16(0)
            central += le32(0) + le32(zip64 ? placeholder : size) + le32(zip64 ? placeholder : size)
            central += le16(UInt16(name.count)) + le16(UInt16(extra.count)) + le16(0) + le16(0) + le16(0) + le32(0)
            central += le32(zip64 ? placeholder : UInt32(localOffset)) + name + extra
        }
        let centralOffset = output.count
        output += central
        if zip64 {
            let zip64EndOffset = output.count
            output += le32(0x0606_4b50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
            output += le64(UInt64(entries.count)) + le64(UInt64(entries.count))
            output += le64(UInt64(central.count)) + le64(UInt64(centralOffset))
            output += le32(0x0706_4b50) + le32(0) + le64(UInt64(zip64EndOffset)) + le32(1)
            output += le32(0x0605_4b50) + le16(0) + le16(0) + le16(0xffff) + le16(0xffff)
            output += le32(0xffff_ffff) + le32(0xffff_ffff) + le16(0)
        } else {
            output += le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
            output += le32(UInt32(central.count)) + le32(UInt32(centralOffset)) + le16(0)
        }
        return output
    }
}

func le16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
func le64(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }

/// Pickle opcodes for hand-built pickles (protocol 2).
enum Pickle {
    static func string(_ text: String) -> [UInt8] { [0x58] + le32(UInt32(text.utf8.count)) + Array(text.utf8) }
    static func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }
    static func int(_ value: UInt8) -> [UInt8] { [0x4b, value] }
    static let proto: [UInt8] = [0x80, 0x02]
    static let mark: [UInt8] = [0x28]
    static let tuple: [UInt8] = [0x74]
    static let emptyDict: [UInt8] = [0x7d]
    static let emptyTuple: [UInt8] = [0x29]
    static let none: [UInt8] = [0x4e]
    static let setItem: [UInt8] = [0x73]
    static let reduce: [UInt8] = [0x52]
    static let persistentID: [UInt8] = [0x51]
    static let stop: [UInt8] = [0x2e]

    /// `{name: _rebuild_tensor_v2(storage, offset, shape, strides, False, None)}` for one
    /// FloatStorage named `key` of `count` elements. The id has 5 fields (zip) or 6 (legacy).
    static func stateDict(name: String, key: String, count: UInt8, offset: UInt8, shape: [UInt8], strides: [UInt8], legacy: Bool) -> [UInt8] {
        var id = mark + string("storage") + global("torch", "FloatStorage") + string(key) + string("cpu") + int(count)
        if legacy { id += none }
        id += tuple
        var bytes = proto + emptyDict + string(name) + global("torch._utils", "_rebuild_tensor_v2")
        bytes += mark + id + persistentID + int(offset)
        bytes += mark + shape.flatMap(int) + tuple + mark + strides.flatMap(int) + tuple
        bytes += [0x89] + none + tuple + reduce + setItem + stop
        return bytes
    }
}

/// A legacy torch.save stream around an object pickle: magic number, protocol version 1001,
/// sys_info, the object, the key list and one float32 record per key.
func legacyStream(object: [UInt8], storages: [(key: String, values: [Float])], littleEndian: Bool = true) -> [UInt8] {
    let magic: [UInt8] = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]
    let version: [UInt8] = [0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e]
    let info = Pickle.proto + Pickle.emptyDict + Pickle.string("little_endian") + [littleEndian ? 0x88 : 0x89] + Pickle.setItem + Pickle.stop
    var keys = Pickle.proto + Pickle.mark + storages.flatMap { Pickle.string($0.key) } + [0x6c] + Pickle.stop
    for storage in storages {
        keys += le64(UInt64(storage.values.count)) + storage.values.flatMap { le32($0.bitPattern) }
    }
    return magic + version + info + object + keys
}
